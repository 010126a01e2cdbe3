/**
 * The hub's HTTP surface: API under /api/v1, OpenAPI at /openapi.json, docs at /docs, health at /healthz,
 * and the console (web/dist) at /. Errors leave only as RFC 9457 problem+json.
 */
import { existsSync } from 'node:fs';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyServerFactory,
} from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Principal, SubjectCaller } from '../../core/auth/principal';
import type { NodeKey } from '../../core/members/member';
import type { MessageVerifier } from '../../core/ports/message-signature';
import { CodedError, HutongError } from '../../core/errors';
import type { DataUsageService } from '../service/data-usage-service';
import type { HubService } from '../service/hub-service';
import type { LogService } from '../../ledger/service/log-service';
import { recordRoutes } from '../../platform/http/route-table';
import { type LedgerWitnessing, ledgerRoutes } from '../../ledger/http/ledger-routes';
import { authHook } from '../../platform/http/auth';
import { type ServerMetrics, serveMetrics } from '../../platform/http/metrics';
import { serveProbes } from '../../platform/http/probes';
import { problem, sendProblem, toProblem } from '../../platform/http/problem';
import {
  checkingSerializerCompiler,
  type OpenApiDocument,
  openApiDocumentSchema,
  openApiTransform,
  openApiTransformObject,
} from '../../platform/http/openapi';
import { agreementRoutes } from './routes/agreement-routes';
import { authRoutes } from './routes/auth-routes';
import { catalogRoutes } from './routes/catalog-routes';
import { ledgerSearchRoutes, subjectRoutes } from './routes/data-usage-routes';
import { ledgerCursorRoutes, ledgerIntakeRoutes } from './routes/ledger-intake-routes';
import { memberKeyRoutes, memberRoutes } from './routes/member-routes';

export interface HubAppOptions {
  hub: HubService;
  /** Builds the HTTP server (an HTTPS one when the hub serves TLS itself). */
  serverFactory?: FastifyServerFactory | undefined;
  /** Adds the composition's own figures (log, witnesses, database pool) to /metrics. */
  instrument?: ((metrics: ServerMetrics) => void) | undefined;
  /** What /readyz checks (each true when it holds); none means ready whenever it answers. */
  readiness?: (() => Promise<Record<string, boolean>>) | undefined;
  logger: Logger;
  /** Folder of the built console; omitted or missing means no console is served. */
  webDir?: string | undefined;
  version: string;
  /** The audit log, served under /ledger (C2SP tlog-tiles); omitted in apps without one. */
  ledger?: LogService | undefined;
  witnessing?: LedgerWitnessing | undefined;
  /** The log's index: entry search, withheld accesses, residents' and enterprises' own data usage. */
  dataUsage?: DataUsageService | undefined;
  /**
   * Applications hosted on the hub's server (一网通办, 亩均论英雄), each mounted under its own prefix
   * (`/apps/<name>/v1`). They reach the exchange through its client API only; `authenticate` resolves the
   * console's bearer token (hub session or API token) to the caller, for apps that serve the console.
   */
  apps?: readonly HostedApp[] | undefined;
  /** Resolves a resident's or enterprise's session token (from the hub's subject login). */
  authenticateSubject?: ((token: string) => Promise<SubjectCaller | undefined>) | undefined;
  /** The hub's clock, for node signatures' time window (default: the system's). */
  now?: (() => Date) | undefined;
  /** Accepted distance of a node signature's `created` from now, in seconds (default 300). */
  signatureWindowSeconds?: number | undefined;
  /** Fail an answer its response schema would change (tests: a schema that misses a field shows). */
  checkResponses?: boolean | undefined;
  /** The city's cryptographic suite; nodes announcing another one are refused. */
  crypto?: 'intl' | 'gm' | undefined;
  /** Checks a node's signed calls under its registered key, in the key's algorithm (the composition's suite). */
  nodeKeyVerifier: (key: NodeKey) => MessageVerifier;
}

export interface HostedAppOptions {
  authenticate: (token: string) => Promise<Principal | undefined>;
  /** Residents' and enterprises' own sessions (their login at the hub). */
  authenticateSubject: (token: string) => Promise<SubjectCaller | undefined>;
}

export interface HostedApp {
  prefix: string;
  plugin: FastifyPluginAsync<HostedAppOptions>;
}

export async function buildHubApp(options: HubAppOptions): Promise<FastifyInstance> {
  const { hub, logger } = options;
  // The registered nodes' origins, for the console's CSP; read again at most every 2 s, and afresh for every
  // page load: a console page keeps the CSP of its document for the whole session, so one loaded just after a
  // node registered would otherwise never reach that node.
  let origins = { value: '', at: 0 };
  const refreshOrigins = async () => {
    const members = await hub.members.listMembers();
    const list = [...new Set(members.flatMap((m) => (m.nodeUrl ? [new URL(m.nodeUrl).origin] : [])))];
    origins = { value: list.join(' '), at: Date.now() };
  };
  const nodeOrigins = (_response: unknown) => origins.value;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: 1_048_576,
    // Request ids show up in logs and problems so a clerk's complaint can be traced.
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false } },
    ...(options.serverFactory ? { serverFactory: options.serverFactory } : {}),
  }).withTypeProvider<ZodTypeProvider>();
  recordRoutes(app);
  // Counted from the first route on; the figures are served once the OpenAPI plugin can document them.
  const metrics = serveMetrics(app, 'hub');
  options.instrument?.(metrics);

  app.addHook('onRequest', async (request) => {
    const pageLoad = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
    if (pageLoad || Date.now() - origins.at > 2_000) await refreshOrigins().catch(() => undefined);
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(
    options.checkResponses ? checkingSerializerCompiler(serializerCompiler) : serializerCompiler,
  );

  app.setErrorHandler((error, request, reply) => {
    const body = toProblem(error);
    // A coded 5xx (not ready, a department unreachable) is a state, not a bug: no stack trace for it.
    if (body.status >= 500 && !(error instanceof CodedError)) request.log.error({ err: error }, 'unhandled error');
    else if (body.status >= 500) request.log.warn({ code: body.code, status: body.status }, 'request not served');
    else request.log.info({ code: body.code, status: body.status }, 'request refused');
    // RFC 9110 §10.2.3: how long a throttled caller should wait.
    const retryAfter = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
    return sendProblem(reply, { ...body, instance: request.id });
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: '互通 hutong — 清河市数据共享交换平台 API',
        version: options.version,
        description: 'Hub API: members, catalog, sharing agreements, SLA overview. Errors are RFC 9457 problem+json.',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer' },
          // OpenAPI has no scheme for HTTP Message Signatures; described here, checked by the route.
          nodeSignature: {
            type: 'apiKey',
            in: 'header',
            name: 'Signature',
            description:
              'RFC 9421 signature by the member’s current node key (with Signature-Input and Content-Digest)',
          },
        },
      },
    },
    // A bearer token is refused 401 when missing or invalid and 403 when its holder may not; a node's
    // signature likewise (a session where a node must sign is 403).
    transform: openApiTransform({ security: { bearerAuth: [401, 403], nodeSignature: [401, 403] } }),
    transformObject: openApiTransformObject,
  });
  // Security headers on every answer (RULES §9): a CSP without inline scripts (the console's styles are
  // inline, antd writes them), no framing, no MIME sniffing, no referrer. The console talks to the nodes'
  // local APIs, so their origins are allowed to be fetched from.
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", (_request, response) => nodeOrigins(response)],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });

  metrics.expose();
  app.get(
    '/openapi.json',
    {
      schema: {
        tags: ['ops'],
        summary: '本 API 的 OpenAPI 3.1 文档 / This API as OpenAPI 3.1',
        response: { 200: openApiDocumentSchema },
      },
    },
    async () => app.swagger() as OpenApiDocument,
  );
  app.get(
    '/healthz',
    {
      schema: { tags: ['ops'], summary: '健康检查 / Health', response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );
  // Ready once its database answers (migrations ran and keys were loaded before the hub was built).
  serveProbes(app, {
    summary: '就绪检查（数据库可达）/ Readiness (database reachable)',
    readiness: options.readiness,
    notReady: (detail) => new HutongError('NOT_READY', detail),
  });

  // A session opened with a one-time password may only change it (auth routes); everything else refuses it.
  const sessionOrPasswordChange = (token: string) => hub.accounts.authenticate(token);
  const authenticate = async (token: string) => {
    const principal = await sessionOrPasswordChange(token);
    if (principal?.passwordChangeRequired) throw new HutongError('PASSWORD_CHANGE_REQUIRED');
    return principal;
  };
  await app.register(
    async (api) => {
      await api.register(authRoutes(hub, sessionOrPasswordChange));
      await api.register(
        ledgerIntakeRoutes(hub, authenticate, {
          now: options.now ?? (() => new Date()),
          windowSeconds: options.signatureWindowSeconds ?? 300,
          verifierFor: options.nodeKeyVerifier,
        }),
      );
      if (options.dataUsage) await api.register(subjectRoutes(options.dataUsage, authenticate));
      await api.register(async (secured) => {
        secured.addHook('onRequest', authHook(authenticate));
        await secured.register(memberRoutes(hub, { crypto: options.crypto ?? 'intl' }));
        await secured.register(
          memberKeyRoutes(hub, {
            now: options.now ?? (() => new Date()),
            windowSeconds: options.signatureWindowSeconds ?? 300,
            verifierFor: options.nodeKeyVerifier,
          }),
        );
        await secured.register(catalogRoutes(hub));
        await secured.register(agreementRoutes(hub));
        await secured.register(ledgerCursorRoutes(hub));
        if (options.dataUsage) await secured.register(ledgerSearchRoutes(options.dataUsage));
      });
    },
    { prefix: '/api/v1' },
  );

  if (options.ledger) await app.register(ledgerRoutes(options.ledger, options.witnessing));
  const authenticateSubject = options.authenticateSubject ?? (async () => undefined);
  for (const hosted of options.apps ?? []) {
    await app.register(hosted.plugin, { prefix: hosted.prefix, authenticate, authenticateSubject });
  }

  const webDir = options.webDir && existsSync(options.webDir) ? options.webDir : undefined;
  if (webDir) {
    await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false });
  }
  app.setNotFoundHandler((request, reply) => {
    const wantsPage =
      request.method === 'GET' &&
      !request.url.startsWith('/api/') &&
      !request.url.startsWith('/ledger/') &&
      !request.url.startsWith('/apps/') &&
      webDir;
    if (wantsPage) return reply.sendFile('index.html');
    const body = problem('NOT_FOUND', `没有这个地址 / no route for ${request.method} ${request.url.split('?')[0]}`);
    return sendProblem(reply, { ...body, instance: request.id });
  });

  return app;
}
