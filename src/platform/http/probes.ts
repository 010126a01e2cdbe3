/**
 * /livez and /readyz for an orchestrator or a load balancer, the same on the hub and the nodes: alive while
 * the process answers; ready while every check of `readiness` holds, otherwise the server's own coded
 * problem (503) naming the checks that failed.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

export interface Probes {
  /** What the readiness probe checks, for the API description. */
  summary: string;
  /** Each check by name, true when it holds; none means ready whenever the server answers. */
  readiness?: (() => Promise<Record<string, boolean>>) | undefined;
  /** The server's coded refusal (503) for `detail`. */
  notReady(detail: string): Error;
}

export function serveProbes(app: FastifyInstance, probes: Probes): void {
  const ops = (summary: string, response: Record<number, unknown>, problems: number[] = []) => ({
    tags: ['ops'],
    summary,
    security: [],
    response,
    problems,
  });
  app.get(
    '/livez',
    { schema: ops('存活检查 / Liveness', { 200: z.object({ status: z.literal('ok') }) }) },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      schema: ops(
        probes.summary,
        { 200: z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.boolean()) }) },
        [503],
      ),
    },
    async () => {
      const checks = (await probes.readiness?.()) ?? {};
      const failing = Object.keys(checks).filter((name) => !checks[name]);
      if (failing.length > 0) throw probes.notReady(`未就绪 / not ready: ${failing.join(', ')}`);
      return { status: 'ready' as const, checks };
    },
  );
}
