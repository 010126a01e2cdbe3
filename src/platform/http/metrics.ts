/**
 * Prometheus metrics (text format at /metrics) for the hub and the nodes, one registry per server so two
 * in one process (tests, the demo) never mix. Labels carry route patterns, modes and outcomes — never a
 * URL with an identifier in it, never a person, a subject or a case.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { z } from 'zod';

export interface ServerMetrics {
  registry: Registry;
  /** Serves /metrics (called once the OpenAPI plugin is registered, so the route is documented). */
  expose(): void;
  /** A gauge read when scraped: `collect` returns the value per label set. */
  gauge(
    name: string,
    help: string,
    labelNames: readonly string[],
    collect: () => Promise<readonly { labels?: Record<string, string>; value: number }[]>,
  ): void;
  counter(name: string, help: string, labelNames: readonly string[]): Counter<string>;
}

/** Requests by route and status, their latency, the process's own figures, and /metrics to read them. */
export function serveMetrics(app: FastifyInstance, service: 'hub' | 'node'): ServerMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'hutong_process_' });
  const requests = new Counter({
    name: 'hutong_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'hutong_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // The pattern (/api/v1/agreements/:id), not the URL: an ID in a label would be a record of who asked what.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  const expose = () =>
    app.get(
      '/metrics',
      {
        schema: {
          tags: ['ops'],
          summary: '运行指标（Prometheus 文本格式）/ Metrics (Prometheus text format)',
          response: {
            200: {
              description: 'Prometheus text exposition format 0.0.4',
              content: { 'text/plain': { schema: z.string() } },
            },
          },
        },
      },
      async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
    );
  return {
    registry,
    expose,
    gauge(name, help, labelNames, collect) {
      new Gauge({
        name,
        help,
        labelNames: [...labelNames],
        registers: [registry],
        async collect() {
          this.reset();
          for (const { labels, value } of await collect()) {
            if (labels) this.set(labels, value);
            else this.set(value);
          }
        },
      });
    },
    counter(name, help, labelNames) {
      return new Counter({ name, help, labelNames: [...labelNames], registers: [registry] });
    },
  };
}
