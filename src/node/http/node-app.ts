/**
 * A node's HTTP surface. Peer API (`/peer/v1/*`): RFC 9421-signed requests from other nodes, answered with
 * signed responses bound to the request. Local API (`/local/v1/*`): the member's own systems, with the
 * node's local token. Every peer refusal is audited and carries its own problem code.
 */
import { createPublicKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import fastifyCors from '@fastify/cors';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { AccessMode } from '../../core/catalog/resource';
import { PROBLEM_MEDIA_TYPE } from '../../core/problem';
import { NodeError, nodeProblem } from '../service/node-errors';
import type { NodeService, PeerAnswer } from '../service/node-service';
import type { Witness } from '../service/witness';
import {
  ed25519PublicKeyFromRaw,
  exchangeHeaders,
  type HttpRequestParts,
  SignatureError,
  signResponse,
  verifyRequest,
} from '../exchange/http-signatures';
import { type PeerClient, PeerTransportError } from '../exchange/peer-client';
import { recordRoutes } from '../../platform/http/route-table';
import { staticSecurityHeaders } from '../../platform/http/security-headers';
import type { NodeStore } from '../../core/ports/node-store';

export interface NodeAppOptions {
  service: NodeService;
  store: NodeStore;
  logger: Logger;
  now(): Date;
  signingKey: { keyId: string; privateKey: KeyObject };
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

const peerModes: ReadonlySet<string> = new Set(['verify', 'record', 'aggregate', 'compute']);

/** How long the node trusts the hub's answer about a console session (a logout must stop it at once). */
export const SESSION_CACHE_MS = 800;

function decodeHeader(value: string | string[] | undefined): string {
  const text = Array.isArray(value) ? value.join(', ') : (value ?? '');
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function plainHeader(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return (Array.isArray(value) ? value.join(', ') : value).slice(0, 64);
}

/**
 * Peer requests whose signature did not verify, per client address: past a limit in a minute, the address
 * is answered 429 without verifying anything (bounded memory; a restart forgets, which costs an attacker
 * nothing it could not do anyway — nothing is decided or read for such requests).
 */
class UnverifiedCallers {
  private readonly seen = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly limit = 30,
    private readonly windowMs = 60_000,
  ) {}

  blocked(address: string, now = Date.now()): boolean {
    const entry = this.seen.get(address);
    return entry !== undefined && now - entry.since < this.windowMs && entry.count >= this.limit;
  }

  failed(address: string, now = Date.now()): void {
    const entry = this.seen.get(address);
    if (!entry || now - entry.since >= this.windowMs) {
      if (this.seen.size > 10_000) this.seen.clear();
      this.seen.set(address, { count: 1, since: now });
    } else {
      entry.count += 1;
    }
  }
}

/** `member:keyId` as signed; only a well-formed pair names anyone. */
function splitKeyId(keyId: string): { member: string; id: string } | undefined {
  const match = /^([a-z][a-z0-9_]{1,31}):([A-Za-z0-9._-]{1,64})$/.exec(keyId);
  return match ? { member: match[1]!, id: match[2]! } : undefined;
}

function claimedKeyId(headers: Record<string, string | string[] | undefined>): string | undefined {
  const input = headers['signature-input'];
  const text = Array.isArray(input) ? input.join(',') : input;
  return text ? /keyid="([^"]+)"/.exec(text)?.[1] : undefined;
}

export async function buildNodeApp(options: NodeAppOptions): Promise<FastifyInstance> {
  const { service } = options;
  const app = Fastify({ loggerInstance: options.logger as FastifyBaseLogger, bodyLimit: 16 * 1_048_576 });
  recordRoutes(app);
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
    if (request.routeOptions.config.machineOnly !== true) reply.headers(securityHeaders);
    done();
  });

  // Which key is a member's current one is asked every time (a replaced key stops at once); only the
  // conversion to a KeyObject is cached.
  const keyObjects = new Map<string, KeyObject>();
  async function lookupKey(keyId: string): Promise<KeyObject | undefined> {
    const parts = splitKeyId(keyId);
    if (!parts) return undefined;
    const raw = await service.publicKey(parts.member, parts.id);
    if (!raw) return undefined;
    let key = keyObjects.get(raw);
    if (!key) {
      key = ed25519PublicKeyFromRaw(raw);
      if (keyObjects.size > 1000) keyObjects.clear();
      keyObjects.set(raw, key);
    }
    return key;
  }

  const unverified = new UnverifiedCallers();

  function sendSigned(
    reply: FastifyReply,
    request: HttpRequestParts,
    answer: { status: number; contentType: string; body: Buffer; retryAfterMs?: number | undefined },
  ) {
    // RFC 9110 §10.2.3 for a throttled caller (rate limit, daily question budget); not covered by the signature.
    if (answer.retryAfterMs) reply.header('retry-after', String(Math.ceil(answer.retryAfterMs / 1000)));
    const headers = signResponse(
      {
        status: answer.status,
        headers: {
          'content-type': answer.contentType,
          [exchangeHeaders.requestId]: plainHeader(request.headers[exchangeHeaders.requestId]) ?? '',
        },
        body: answer.body,
      },
      request,
      { key: options.signingKey, created: options.now(), tag: 'hutong-response' },
    );
    return reply.status(answer.status).headers(headers).send(answer.body);
  }

  const machineOnly = { config: { machineOnly: true } };

  app.post('/peer/v1/:mode', machineOnly, async (request: FastifyRequest<{ Params: { mode: string } }>, reply) => {
    // A caller whose signatures keep failing is turned away before any verifying work is done.
    if (unverified.blocked(request.ip)) {
      return reply
        .status(429)
        .header('retry-after', '60')
        .type(PROBLEM_MEDIA_TYPE)
        .send(nodeProblem('TOO_MANY_UNVERIFIED'));
    }
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const parts: HttpRequestParts = { method: 'POST', target: request.url, headers: request.headers, body };
    const mode = peerModes.has(request.params.mode) ? (request.params.mode as AccessMode) : null;
    const claimed = claimedKeyId(request.headers);
    const claimedFacts = {
      claimedCaller: (claimed && splitKeyId(claimed)?.member) || 'unknown',
      agreementId: plainHeader(request.headers[exchangeHeaders.agreement]),
      requestId: plainHeader(request.headers[exchangeHeaders.requestId]),
      requestDigest: plainHeader(request.headers['content-digest']),
      mode,
    };
    let answer: PeerAnswer;
    try {
      const key = claimed ? await lookupKey(claimed) : undefined;
      const verified = verifyRequest(parts, {
        now: options.now(),
        windowSeconds: options.windowSeconds,
        lookupKey: () => key,
      });
      const caller = splitKeyId(verified.keyId)!.member;
      const signed = { signerKey: verified.keyId, nonce: verified.nonce ?? null };
      const fresh = service.claimNonce(
        verified.keyId,
        verified.nonce!,
        new Date(verified.created.getTime() + 2 * options.windowSeconds * 1000),
      );
      const covertUntil = plainHeader(request.headers[exchangeHeaders.covertUntil]);
      if (covertUntil !== null && !verified.covered.includes(exchangeHeaders.covertUntil)) {
        // An uncovered flag could have been added on the way: the signer did not ask for it.
        answer = await service.refuseUnverified(
          { ...claimedFacts, ...signed },
          'SIGNATURE_COMPONENTS_MISSING',
          `signature does not cover ${exchangeHeaders.covertUntil}`,
        );
      } else if (!fresh) {
        answer = await service.refuseUnverified(
          { ...claimedFacts, ...signed },
          'SIGNATURE_REPLAYED',
          `nonce ${verified.nonce} was already used`,
        );
      } else if (!mode) {
        answer = await service.refuseUnverified(
          { ...claimedFacts, ...signed },
          'NOT_FOUND',
          `no access mode ${request.params.mode}`,
        );
      } else {
        let payload: unknown;
        try {
          payload = JSON.parse(body.toString('utf8'));
        } catch {
          payload = undefined;
        }
        answer =
          payload === undefined
            ? await service.refuseUnverified({ ...claimedFacts, ...signed }, 'BAD_REQUEST', 'the body is not JSON')
            : await service.serve({
                caller,
                mode,
                agreementId: claimedFacts.agreementId ?? '',
                purpose: decodeHeader(request.headers[exchangeHeaders.purpose]),
                officer: decodeHeader(request.headers[exchangeHeaders.officer]).slice(0, 64),
                caseId: decodeHeader(request.headers[exchangeHeaders.caseId]).slice(0, 64),
                requestId: claimedFacts.requestId ?? '',
                requestDigest: claimedFacts.requestDigest ?? '',
                signerKey: verified.keyId,
                nonce: verified.nonce!,
                covertUntil,
                payload,
              });
      }
    } catch (error) {
      if (error instanceof SignatureError) {
        // Not verified, so not anyone's request: nothing was decided or read, and it is not logged as the
        // access of the member it claims to be. Counted per address instead.
        unverified.failed(request.ip);
        request.log.info({ code: error.code }, 'unverified peer request refused');
        const problem = nodeProblem(error.code, error.message);
        return reply.status(problem.status).type(PROBLEM_MEDIA_TYPE).send(problem);
      }
      if (error instanceof NodeError) {
        const problem = nodeProblem(error.code, error.message);
        return sendSigned(reply, parts, {
          status: problem.status,
          contentType: PROBLEM_MEDIA_TYPE,
          body: Buffer.from(JSON.stringify(problem)),
        });
      }
      throw error;
    }
    return sendSigned(reply, parts, answer);
  });

  // A hint from the hub; the node re-reads the agreement from the hub itself, so the hint needs no trust.
  app.post('/peer/v1/agreement-changed', machineOnly, async (request, reply) => {
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
  });

  app.get('/healthz', async () => ({ status: 'ok', member: service.memberCode }));

  // The head of the node's audit chain, signed with its key: an auditor checks that the hub's log holds it.
  app.get('/audit/v1/head', async (_request, reply) => {
    const head = await service.signedHead();
    if (!head) return reply.status(404).type(PROBLEM_MEDIA_TYPE).send(nodeProblem('NOT_FOUND', 'no audit record yet'));
    return head;
  });

  // c2sp.org/tlog-witness: the hub submits each new checkpoint of its log; the body is plain text.
  app.post('/witness/add-checkpoint', machineOnly, async (request, reply) => {
    if (!options.witness) return reply.status(404).type('text/plain; charset=utf-8').send('no witness on this node\n');
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const answer = await options.witness.addCheckpoint(body);
    return reply.status(answer.status).type(answer.contentType).send(answer.body);
  });
  app.get('/witness/vkey', async (_request, reply) => {
    if (!options.witness) return reply.status(404).type('text/plain; charset=utf-8').send('no witness on this node\n');
    return reply.type('text/plain; charset=utf-8').send(`${options.witness.vkey()}\n`);
  });
  app.get('/peer/v1/key', async () => ({
    member: service.memberCode,
    keyId: options.signingKey.keyId,
    publicKey: createPublicKey(options.signingKey.privateKey)
      .export({ format: 'der', type: 'spki' })
      .subarray(-32)
      .toString('base64'),
  }));

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

  await app.register(async (local) => {
    local.addHook('onRequest', async (request, reply) => {
      const caller = await localCaller(request);
      if (!caller) return reply.status(401).type(PROBLEM_MEDIA_TYPE).send(nodeProblem('UNAUTHENTICATED'));
      request.localOfficer = caller.officer;
    });

    local.post('/local/v1/query', async (request, reply) => {
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '');
      } catch {
        return reply.status(400).type(PROBLEM_MEDIA_TYPE).send(nodeProblem('BAD_REQUEST', 'the body is not JSON'));
      }
      const { agreementId, mode, officer, caseId, covertUntil, ...payload } = input ?? {};
      if (typeof agreementId !== 'string' || typeof mode !== 'string' || !peerModes.has(mode)) {
        return reply
          .status(400)
          .type(PROBLEM_MEDIA_TYPE)
          .send(nodeProblem('BAD_REQUEST', 'agreementId and a mode are required'));
      }
      const cached = await service.cachedAgreement(agreementId);
      if (!cached || cached.agreement.consumerCode !== service.memberCode) {
        return reply
          .status(403)
          .type(PROBLEM_MEDIA_TYPE)
          .send(nodeProblem('AGREEMENT_UNKNOWN', `this member holds no agreement ${agreementId}`));
      }
      const providerUrl = service.member(cached.agreement.providerCode)?.nodeUrl;
      if (!providerUrl) {
        return reply
          .status(502)
          .type(PROBLEM_MEDIA_TYPE)
          .send(nodeProblem('PROVIDER_UNREACHABLE', `${cached.agreement.providerCode} has no node registered`));
      }
      try {
        const answer = await options.peers.call({
          providerUrl,
          mode,
          agreementId,
          purpose: cached.agreement.purpose,
          // A person logged into the console acts as themselves; a system names its officer.
          officer: request.localOfficer ?? (typeof officer === 'string' ? officer : 'system'),
          caseId: typeof caseId === 'string' ? caseId : '',
          covertUntil: typeof covertUntil === 'string' ? covertUntil : undefined,
          payload,
        });
        return reply
          .status(answer.status)
          .type(answer.status >= 400 ? PROBLEM_MEDIA_TYPE : 'application/json')
          .header('hutong-request-id', answer.requestId)
          .header('hutong-signed-by', answer.signedBy)
          .send(answer.raw);
      } catch (error) {
        if (error instanceof PeerTransportError) {
          return reply.status(502).type(PROBLEM_MEDIA_TYPE).send(nodeProblem(error.code, error.message));
        }
        throw error;
      }
    });

    local.get('/local/v1/requests', async (request) => {
      const query = request.query as { limit?: string; decision?: string };
      const limit = Math.min(Math.max(Number.parseInt(query.limit ?? '50', 10) || 50, 1), 5000);
      const decision = query.decision === 'served' || query.decision === 'denied' ? query.decision : undefined;
      return { items: await service.recentRequests(limit, decision) };
    });
    local.get('/local/v1/agreements', async () => ({ items: await options.store.listAgreements() }));
    local.get('/local/v1/overview', async () => ({
      ...(await service.overview(options.signingKey.keyId)),
      nodeUrl: `${options.publicUrl ?? ''}`,
    }));
    local.get('/local/v1/computations', async () => ({ items: service.listComputations() }));
    local.get('/local/v1/stats', async () => ({
      member: service.memberCode,
      dataReads: service.dataReads(),
      audited: await options.store.countAudit(),
      shipping: service.shippingStats(),
    }));
    local.post('/local/v1/sync', async () => service.sync());
  });

  return app;
}
