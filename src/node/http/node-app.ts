/**
 * A node's HTTP surface. Peer API (`/peer/v1/*`): RFC 9421-signed requests from other nodes, answered with
 * signed responses bound to the request. Local API (`/local/v1/*`): the member's own systems, with the
 * node's local token. Every peer refusal is audited and carries its own problem code.
 */
import type { MessageSigner, MessageVerifier } from '../../core/ports/message-signature';
import type { NodeKey } from '../../core/members/member';
import { timingSafeEqual } from 'node:crypto';
import fastifyCors from '@fastify/cors';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  type FastifyServerFactory,
} from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { PROBLEM_MEDIA_TYPE } from '../../core/problem';
import { NodeError, nodeProblem } from '../service/node-errors';
import { type ServerMetrics, serveMetrics } from '../../platform/http/metrics';
import { serveProbes } from '../../platform/http/probes';
import type { NodeService } from '../service/node-service';
import type { Witness } from '../service/witness';
import type { PeerClient } from '../exchange/peer-client';
import { LocalQueries, parseLocalQuery } from '../consumer/local-query';
import { PeerPipeline } from '../provider/peer-pipeline';
import { recordRoutes } from '../../platform/http/route-table';
import { staticSecurityHeaders } from '../../platform/http/security-headers';
import {
  checkingSerializerCompiler,
  describingSerializerCompiler,
  openApiDocumentSchema,
  openApiTransform,
  openApiTransformObject,
} from '../../platform/http/openapi';
import type { NodeStore } from '../../core/ports/node-store';
import {
  agreementChangedSchema,
  agreementsSchema,
  computationsSchema,
  doc,
  healthSchema,
  localQuerySchema,
  nodeKeySchema,
  overviewSchema,
  peerAnswerSchema,
  peerRequestSchema,
  refusalStatuses,
  requestsQuerySchema,
  requestsSchema,
  signedHeadSchema,
  statsSchema,
  syncSchema,
  text,
} from './node-schemas';

export interface NodeAppOptions {
  /** Adds the composition's own figures (decisions, audit queue, database pool) to /metrics. */
  instrument?: ((metrics: ServerMetrics) => void) | undefined;
  /** What /readyz checks (each true when it holds). */
  readiness?: (() => Promise<Record<string, boolean>>) | undefined;
  /** Builds the HTTP server (an HTTPS one when the node serves TLS itself). */
  serverFactory?: FastifyServerFactory | undefined;
  service: NodeService;
  store: NodeStore;
  logger: Logger;
  now(): Date;
  /** The node's exchange key; its public half (base64 raw) is served at /peer/v1/key. */
  signer: MessageSigner;
  publicKey: Pick<NodeKey, 'algorithm' | 'publicKey'>;
  /** A member's registered node key as a verifier of its algorithm's scheme. */
  verifierFor(key: NodeKey): MessageVerifier;
  localToken: string;
  windowSeconds: number;
  peers: PeerClient;
  /** The hub's origin: the console is served there and may call the node's local API. */
  hubOrigin: string;
  /** The provider node's tlog-witness; absent on consumer nodes. */
  witness?: Witness | undefined;
  /** The node's own URL, once it listens (shown to the data officer). */
  publicUrl?: string;
  /** Resolves a console session token at the hub; the node serves the person only for its own member. */
  sessionUser(token: string): Promise<{ username: string; memberCode: string } | undefined>;
  /** Fail an answer its documented schema does not describe exactly (tests: the document cannot drift). */
  checkResponses?: boolean | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Called only by other machines (signed peer and hub calls): no browser headers. */
    machineOnly?: boolean;
  }
  interface FastifyRequest {
    /** The console user calling the local API; null for the member's own systems (local token). */
    localOfficer?: string | null;
  }
}

const localTokenSecurity = [{ localToken: [] }];
const peerSigned = [{ peerSignature: [] }];

/** How long the node trusts the hub's answer about a console session (a logout must stop it at once). */
export const SESSION_CACHE_MS = 800;

export async function buildNodeApp(options: NodeAppOptions): Promise<FastifyInstance> {
  const { service } = options;
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: 16 * 1_048_576,
    ...(options.serverFactory ? { serverFactory: options.serverFactory } : {}),
  });
  recordRoutes(app);
  // Counted from the first route on; the figures are served once the OpenAPI plugin can document them.
  const metrics = serveMetrics(app, 'node');
  options.instrument?.(metrics);
  // The response schemas document; a signed answer's bytes and a JSON answer's fields stay as built.
  app.setSerializerCompiler(
    options.checkResponses ? checkingSerializerCompiler(describingSerializerCompiler) : describingSerializerCompiler,
  );
  // Signatures cover the exact bytes, so the body is kept raw and parsed only after verification.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  // One error handler for every route, set before any route (Fastify binds a route to the handler in force
  // when it is added): every failure leaves as a coded problem, a client's error never as a 500 or a trace.
  app.setNotFoundHandler((_request, reply) =>
    reply.status(404).type(PROBLEM_MEDIA_TYPE).send(nodeProblem('NOT_FOUND')),
  );
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof NodeError) {
      const problem = nodeProblem(error.code, error.message);
      return reply.status(problem.status).type(PROBLEM_MEDIA_TYPE).send(problem);
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'node error');
      return reply.status(500).type(PROBLEM_MEDIA_TYPE).send(nodeProblem('INTERNAL'));
    }
    // A client's error (body too large, bad content type…): its code and status, without Fastify's internals.
    request.log.info({ status }, 'request refused');
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
    return reply
      .status(status)
      .type(PROBLEM_MEDIA_TYPE)
      .send({ ...nodeProblem(code), status });
  });

  // An API, never a page: nothing may be loaded, framed or sniffed from it. The same headers on every answer
  // a browser may see; node-to-node and hub-to-node calls (machineOnly routes) are machines answering signed
  // requests, and the hot path is spared even this.
  const securityHeaders = staticSecurityHeaders({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.addHook('onRequest', (request, reply, done) => {
    // The API's own documentation page sets its own policy (its scripts and styles are its static files).
    const docs = request.url === '/docs' || request.url.startsWith('/docs/');
    if (request.routeOptions.config.machineOnly !== true && !docs) reply.headers(securityHeaders);
    done();
  });

  // The node's API described for integrators (collected from the routes below as they are added).
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: `互通前置机 API — ${service.memberCode}`,
        version: '1',
        description:
          'A department node. Local API (/local/v1): the member’s own systems with the node’s local token, or its ' +
          'console persons with their hub session. Peer API (/peer/v1): requests signed by another node (RFC 9421). ' +
          'Witness (/witness): c2sp.org/tlog-witness (its refusals are plain text, as that spec says). ' +
          'Errors are RFC 9457 problem+json.',
      },
      components: {
        securitySchemes: {
          localToken: { type: 'http', scheme: 'bearer', description: 'the node’s local token, or a hub session' },
          // OpenAPI has no scheme for HTTP Message Signatures; described here, checked by the node.
          peerSignature: {
            type: 'apiKey',
            in: 'header',
            name: 'Signature',
            description: 'RFC 9421 signature by the calling node’s key (with Signature-Input and Content-Digest)',
          },
        },
      },
    },
    // The local token is one secret: refused, it is 401 (no roles). A peer's signed request may be refused
    // for any reason of the exchange's or the access core's.
    transform: openApiTransform({ security: { localToken: [401], peerSignature: refusalStatuses(false) } }),
    transformObject: openApiTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get(
    '/openapi.json',
    {
      schema: doc('ops', '本 API 的 OpenAPI 3.1 文档 / This API as OpenAPI 3.1', [], {
        response: { 200: openApiDocumentSchema },
      }),
    },
    async () => app.swagger(),
  );

  const pipeline = new PeerPipeline({
    service,
    now: options.now,
    signer: options.signer,
    verifierFor: options.verifierFor,
    windowSeconds: options.windowSeconds,
  });
  const machineOnly = { config: { machineOnly: true } };

  app.post(
    '/peer/v1/:mode',
    {
      ...machineOnly,
      schema: doc('peer', '按协议访问本单位数据（须由使用方前置机签名）/ A signed request for data', peerSigned, {
        described: { body: peerRequestSchema },
        response: {
          200: {
            description:
              '已签名的应答（RFC 9421，绑定请求）/ The answer, signed (RFC 9421: Signature, Signature-Input, ' +
              'Content-Digest) and bound to the request; a verified caller’s refusals are signed problems too',
            content: { 'application/json': { schema: peerAnswerSchema } },
          },
        },
      }),
    },
    async (request: FastifyRequest<{ Params: { mode: string } }>, reply) => {
      const outcome = await pipeline.handle({
        method: 'POST',
        target: request.url,
        headers: request.headers,
        body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        mode: request.params.mode,
        clientAddress: request.ip,
      });
      if (outcome.kind === 'signed') return reply.status(outcome.status).headers(outcome.headers).send(outcome.body);
      request.log.info({ code: outcome.problem.code }, 'unverified peer request refused');
      if (outcome.retryAfterSeconds) reply.header('retry-after', String(outcome.retryAfterSeconds));
      return reply.status(outcome.problem.status).type(PROBLEM_MEDIA_TYPE).send(outcome.problem);
    },
  );

  // A hint from the hub; the node re-reads the agreement from the hub itself, so the hint needs no trust.
  app.post(
    '/peer/v1/agreement-changed',
    {
      ...machineOnly,
      schema: doc('peer', '协议变更提示（前置机自行向平台重读）/ An agreement changed: re-read it', [], {
        described: { body: agreementChangedSchema },
        response: {
          204: z.undefined().describe('已提示，前置机将向平台重读 / Noted: the node re-reads it from the hub'),
        },
      }),
    },
    async (request, reply) => {
      let agreementId: unknown;
      try {
        agreementId = JSON.parse(Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '{}').agreementId;
      } catch {
        agreementId = undefined;
      }
      if (typeof agreementId !== 'string' || agreementId.length > 64) {
        return reply.status(400).type(PROBLEM_MEDIA_TYPE).send(nodeProblem('BAD_REQUEST', 'agreementId required'));
      }
      await service.refreshAgreement(agreementId).catch((error) => request.log.warn({ err: error }, 'refresh failed'));
      return reply.status(204).send();
    },
  );

  metrics.expose();
  app.get(
    '/healthz',
    { schema: doc('ops', '健康检查 / Health', [], { response: { 200: healthSchema } }) },
    async () => ({
      status: 'ok',
      member: service.memberCode,
    }),
  );
  // Ready when its database answers, its keys are registered at the hub and the hub answers.
  serveProbes(app, {
    summary: '就绪检查（数据库、密钥、交换中心）/ Readiness (database, keys, hub)',
    readiness: options.readiness,
    notReady: (detail) => new NodeError('NODE_NOT_READY', detail),
  });

  // The head of the node's audit chain, signed with its key: an auditor checks that the hub's log holds it.
  app.get(
    '/audit/v1/head',
    {
      schema: doc('audit', '本单位审计链的签名链头 / The signed head of the audit chain', [], {
        response: { 200: signedHeadSchema },
        // No access decided yet.
        problems: [404],
      }),
    },
    async (_request, reply) => {
      const head = await service.signedHead();
      if (!head)
        return reply.status(404).type(PROBLEM_MEDIA_TYPE).send(nodeProblem('NOT_FOUND', 'no audit record yet'));
      return head;
    },
  );

  // c2sp.org/tlog-witness: the hub submits each new checkpoint of its log; the body is plain text.
  app.post(
    '/witness/add-checkpoint',
    {
      ...machineOnly,
      schema: doc('witness', '联署检查点（c2sp.org/tlog-witness）/ Cosign a checkpoint', [], {
        consumes: ['text/plain'],
        described: { body: z.string().describe('old size, consistency proof and checkpoint (c2sp.org/tlog-witness)') },
        response: {
          200: text('联署签名 / The cosignature line'),
          400: text('请求格式错误 / Malformed request'),
          403: text('检查点签名无法验证 / The checkpoint’s signature does not verify'),
          404: text('未知日志，或本节点不是见证方 / Unknown log, or no witness on this node'),
          409: text('见证方所知的大小 / The size the witness holds', 'text/x.tlog.size'),
          422: text('一致性证明不成立 / The consistency proof does not verify'),
        },
      }),
    },
    async (request, reply) => {
      if (!options.witness)
        return reply.status(404).type('text/plain; charset=utf-8').send('no witness on this node\n');
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const answer = await options.witness.addCheckpoint(body);
      return reply.status(answer.status).type(answer.contentType).send(answer.body);
    },
  );
  app.get(
    '/witness/vkey',
    {
      schema: doc('witness', '见证公钥 / The witness verifier key', [], {
        response: {
          200: text('c2sp.org/signed-note verifier key'),
          404: text('本节点不是见证方 / No witness on this node'),
        },
      }),
    },
    async (_request, reply) => {
      if (!options.witness)
        return reply.status(404).type('text/plain; charset=utf-8').send('no witness on this node\n');
      return reply.type('text/plain; charset=utf-8').send(`${options.witness.vkey()}\n`);
    },
  );
  app.get(
    '/peer/v1/key',
    { schema: doc('peer', '本前置机的签名公钥 / The node’s signing key', [], { response: { 200: nodeKeySchema } }) },
    async () => ({
      member: service.memberCode,
      keyId: options.signer.keyId,
      algorithm: options.publicKey.algorithm,
      publicKey: options.publicKey.publicKey,
    }),
  );

  // ---- local API, for the member's own systems ----------------------------------------------------
  const expectedToken = Buffer.from(options.localToken);
  // Session lookups at the hub are cached briefly: the console polls, the hub need not hear every poll
  // in the same second.
  const sessions = new Map<string, { officer: string | null; until: number }>();
  async function localCaller(request: FastifyRequest): Promise<{ officer: string | null } | undefined> {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const token = match?.[1] ?? '';
    const given = Buffer.from(token);
    if (given.length === expectedToken.length && timingSafeEqual(given, expectedToken)) return { officer: null };
    if (!token) return undefined;
    const now = Date.now();
    const cached = sessions.get(token);
    if (cached && cached.until > now) return { officer: cached.officer };
    const user = await options.sessionUser(token).catch(() => undefined);
    if (!user || user.memberCode !== service.memberCode) return undefined;
    if (sessions.size > 1000) sessions.clear();
    // Under a second: a logout at the hub reaches the node before the person could click again.
    sessions.set(token, { officer: user.username, until: now + SESSION_CACHE_MS });
    return { officer: user.username };
  }

  await app.register(fastifyCors, {
    origin: (origin, callback) => callback(null, origin === options.hubOrigin),
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type'],
    exposedHeaders: ['hutong-request-id', 'hutong-signed-by'],
    maxAge: 600,
  });

  const queries = new LocalQueries(service, options.peers);
  await app.register(async (local) => {
    local.addHook('onRequest', async (request, reply) => {
      const caller = await localCaller(request);
      if (!caller) return reply.status(401).type(PROBLEM_MEDIA_TYPE).send(nodeProblem('UNAUTHENTICATED'));
      request.localOfficer = caller.officer;
    });

    local.post(
      '/local/v1/query',
      {
        schema: doc('local', '经本单位前置机查询 / Query through this node', localTokenSecurity, {
          described: { body: localQuerySchema },
          response: {
            200: {
              description:
                '提供方的应答，原样转交（已验签）/ The provider’s answer as it came, its signature verified ' +
                '(Hutong-Request-Id, Hutong-Signed-By)',
              content: { 'application/json': { schema: peerAnswerSchema } },
            },
          },
          // The provider's refusal, passed on as it came; 502 when it could not be reached or verified.
          problems: refusalStatuses(true),
        }),
      },
      async (request, reply) => {
        const query = parseLocalQuery(Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
        const answer = await queries.query(query, request.localOfficer ?? null);
        return reply
          .status(answer.status)
          .type(answer.contentType)
          .header('hutong-request-id', answer.requestId)
          .header('hutong-signed-by', answer.signedBy)
          .send(answer.body);
      },
    );

    local.get(
      '/local/v1/requests',
      {
        schema: doc('local', '最近的访问决定 / Recent access decisions', localTokenSecurity, {
          // Read leniently: an unusable limit is the default, not an error.
          described: { querystring: requestsQuerySchema },
          response: { 200: requestsSchema },
        }),
      },
      async (request) => {
        const query = request.query as { limit?: string; decision?: string };
        const limit = Math.min(Math.max(Number.parseInt(query.limit ?? '50', 10) || 50, 1), 5000);
        const decision = query.decision === 'served' || query.decision === 'denied' ? query.decision : undefined;
        return { items: await service.recentRequests(limit, decision) };
      },
    );
    local.get(
      '/local/v1/agreements',
      {
        schema: doc('local', '本节点持有的协议 / Agreements held', localTokenSecurity, {
          response: { 200: agreementsSchema },
        }),
      },
      async () => ({ items: await options.store.listAgreements() }),
    );
    local.get(
      '/local/v1/overview',
      { schema: doc('local', '前置机概况 / Node overview', localTokenSecurity, { response: { 200: overviewSchema } }) },
      async () => ({
        ...(await service.overview(options.signer.keyId)),
        nodeUrl: `${options.publicUrl ?? ''}`,
      }),
    );
    local.get(
      '/local/v1/computations',
      {
        schema: doc('local', '已发布的计算 / Published computations', localTokenSecurity, {
          response: { 200: computationsSchema },
        }),
      },
      async () => ({ items: service.listComputations() }),
    );
    local.get(
      '/local/v1/stats',
      { schema: doc('local', '计数 / Counters', localTokenSecurity, { response: { 200: statsSchema } }) },
      async () => ({
        member: service.memberCode,
        dataReads: service.dataReads(),
        audited: await options.store.countAudit(),
        shipping: service.shippingStats(),
      }),
    );
    local.post(
      '/local/v1/sync',
      {
        schema: doc('local', '立即与平台同步协议 / Sync agreements now', localTokenSecurity, {
          response: { 200: syncSchema },
        }),
      },
      async () => service.sync(),
    );
  });

  return app;
}
