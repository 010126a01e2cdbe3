/**
 * Composition of one department node: its store (the same database as its data tables), identity, hub
 * directory, service, HTTP app, and the background sync that keeps its agreements fresh.
 */
import type { PersonalDataSealer } from '../core/ports/personal-data';
import { sealedRows } from '../datasets/sealing';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyServerFactory } from 'fastify';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { Agent } from 'undici';
import type { Counter } from 'prom-client';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { systemClock } from '../platform/clock/system-clock';
import { type DatabaseOptions, openDatabase, poolGauges } from '../platform/db/open';
import { contentDigest } from '../node/exchange/http-signatures';
import { cryptoSuite, nodeKeyVerifier, nodeMessageSigner } from './crypto-suite';
import { PeerClient } from '../node/exchange/peer-client';
import { buildNodeApp, type NodeAppOptions } from '../node/http/node-app';
import { createLogger } from '../platform/log/logger';
import { HttpHubDirectory } from '../node/exchange/hub-directory-client';
import { KyselyNodeData } from '../node/store/kysely-node-data';
import { findResource } from '../datasets/schema';
import { SEQ_COLUMN } from '../datasets/store';
import { loadOrCreateIdentity } from '../node/store/node-keys';
import { KyselyNodeStore } from '../node/store/kysely-node-store';
import type { NodeDatabase } from '../node/store/node-schema';
import type { Clock } from '../core/ports/clock';
import { NodeService } from '../node/service/node-service';
import { Witness } from '../node/service/witness';
import { witnessKeyName } from '../core/members/member';
import { HUTONG_LOG_ORIGIN } from '../ledger/service/log-service';
import { ed25519SignerFromSeed, nodeLedgerCrypto } from '../platform/crypto/ledger-crypto';
import { loadOrCreateSeed } from '../platform/crypto/seed-file';
import { emptyPublications, type Publications } from '../node/service/publications';
import { repeatEvery } from '../platform/clock/repeat';

export interface NodeOptions {
  memberCode: string;
  dataDir: string;
  hubUrl: string;
  /** The member's API token at the hub (to read agreements and register the node). */
  hubToken: string;
  citySecret: string;
  host: string;
  port: number;
  database?: DatabaseOptions | undefined;
  publications?: Publications | undefined;
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  stalenessLimitMs?: number | undefined;
  syncIntervalMs?: number | undefined;
  signatureWindowSeconds?: number | undefined;
  maxBatch?: number | undefined;
  shipIntervalMs?: number | undefined;
  /** How long audit events may wait for the hub's log before the node fails closed (default 10 min). */
  maxUnshippedMs?: number | undefined;
  /** Consumers whose requests may be flagged covert (hutong-covert-until); anyone else's flag is refused. */
  covertConsumers?: readonly string[] | undefined;
  /** Distinct verify questions about one subject per agreement and day (NodeService; default 20). */
  verifyQuestionsPerDay?: number | undefined;
  /** Distinct values per day, subject and agreed question with a threshold or date parameter (default 3). */
  verifyThresholdValuesPerDay?: number | undefined;
  /** The 国密 suite: the department's people's data is stored sealed (src/datasets/sealing.ts). */
  personalData?: PersonalDataSealer | undefined;
  /** The city's cryptographic suite: `gm` keys subject hashes with HMAC-SM3 (as the hub does). */
  crypto?: 'intl' | 'gm' | undefined;
  /** Fail any answer its OpenAPI response schema does not describe exactly (test cities). */
  checkResponses?: boolean | undefined;
  /** Serve HTTPS with these PEM files (read again by `reloadTls`). */
  tls?: { cert: string; key: string } | undefined;
  /** The city's CA (PEM): the only roots the hub's and peers' certificates are checked against. */
  ca?: readonly Buffer[] | undefined;
  /** The URL the node announces at the hub (default: its listening address). */
  publicUrl?: string | undefined;
  /** The node's keys (default: `<dataDir>/nodes/<member>.identity.json` and `.witness-key`). */
  identityFile?: string | undefined;
  witnessKeyFile?: string | undefined;
  /** Under the 国密 suite (default `<dataDir>/nodes/<member>.witness-key-sm2`). */
  witnessSm2KeyFile?: string | undefined;
}

export interface RunningNode {
  memberCode: string;
  url: string;
  localToken: string;
  app: FastifyInstance;
  service: NodeService;
  /** Reads the TLS certificate and key again (SIGHUP); new connections get them. */
  reloadTls(): void;
  close(): Promise<void>;
}

export function nodeDatabaseFile(dataDir: string, memberCode: string): string {
  return join(dataDir, 'nodes', `${memberCode}.sqlite`);
}

export async function startNode(options: NodeOptions): Promise<RunningNode> {
  const clock = options.clock ?? systemClock;
  const suite = cryptoSuite(options.crypto);
  const logger = (options.logger ?? createLogger({ level: 'info' })).child({ node: options.memberCode });
  const database = options.database ?? {
    dialect: 'sqlite' as const,
    file: nodeDatabaseFile(options.dataDir, options.memberCode),
  };
  const db = openDatabase<NodeDatabase>(database);
  const store = new KyselyNodeStore(db);
  await store.migrate();
  const identity = loadOrCreateIdentity(
    options.identityFile ?? join(options.dataDir, 'nodes', `${options.memberCode}.identity.json`),
    suite.nodeKeyAlgorithm,
  );
  if (identity.algorithm !== suite.nodeKeyAlgorithm) {
    logger.warn(
      { algorithm: identity.algorithm, crypto: options.crypto ?? 'intl' },
      'the node key is not of the city’s suite: replace it with `hutong rotate-key --config node.yaml`',
    );
  }
  const dispatcher = options.ca ? new Agent({ connect: { ca: [...options.ca] } }) : undefined;
  // The key id is known only once the hub registered the key; everything that signs reads it from here.
  const signingKey = { keyId: '' };
  const signer = nodeMessageSigner(identity, () => signingKey.keyId);
  const directory = new HttpHubDirectory(
    options.hubUrl,
    options.hubToken,
    { key: signer, algorithm: identity.algorithm, now: () => clock.now() },
    undefined,
    undefined,
    dispatcher,
  );
  directory.onKeyId = (keyId) => {
    signingKey.keyId = keyId;
  };
  let decisions: Counter<string> | undefined;
  const service = new NodeService({
    memberCode: options.memberCode,
    store,
    crypto: nodeLedgerCrypto,
    signer: {
      keyId: () => signingKey.keyId,
      sign: (message) => new Uint8Array(signer.sign(message)),
    },
    // The demo city's tables (src/datasets): a real department's node is given its own.
    data: new KyselyNodeData(db, {
      tableOf: (code) => findResource(code)?.table,
      orderColumn: SEQ_COLUMN,
      codec: options.personalData && sealedRows(options.personalData, findResource),
    }),
    directory,
    clock,
    hasher: suite.subjectHasher(options.citySecret),
    newEventId: randomUUID,
    digest: contentDigest,
    publications: options.publications ?? emptyPublications,
    stalenessLimitMs: options.stalenessLimitMs ?? 10 * 60_000,
    maxBatch: options.maxBatch ?? 10_000,
    maxUnshippedMs: options.maxUnshippedMs,
    covertConsumers: options.covertConsumers,
    verifyQuestionsPerDay: options.verifyQuestionsPerDay,
    verifyThresholdValuesPerDay: options.verifyThresholdValuesPerDay,
    onDecision: (mode, decision) => decisions?.inc({ mode, decision }),
  });
  const windowSeconds = options.signatureWindowSeconds ?? 300;
  const peers = new PeerClient({
    signer,
    now: () => clock.now(),
    windowSeconds,
    timeoutMs: 15_000,
    ca: options.ca,
    // The provider's current key, asked at every answer (a replaced key stops at once); nodeKeyVerifier
    // keeps one verifier per key.
    async lookupProviderKey(keyId) {
      const [member, id] = keyId.split(':');
      const registered = member && id ? await service.publicKey(member, id) : undefined;
      return registered && nodeKeyVerifier(registered);
    },
  });
  const witnessSigner = ed25519SignerFromSeed(
    loadOrCreateSeed(options.witnessKeyFile ?? join(options.dataDir, 'nodes', `${options.memberCode}.witness-key`)),
  );
  // Under the 国密 suite the witness cosigns with an SM2 key of its own too (a seed file beside the other).
  const witnessSm2Signer = suite.ledgerSm2Signer?.(
    loadOrCreateSeed(
      options.witnessSm2KeyFile ?? join(options.dataDir, 'nodes', `${options.memberCode}.witness-key-sm2`),
    ),
  );
  const witness = new Witness({
    name: witnessKeyName(options.memberCode),
    signer: witnessSigner,
    sm2Signer: witnessSm2Signer,
    crypto: nodeLedgerCrypto,
    store,
    clock,
  });
  const appOptions: NodeAppOptions = {
    witness,
    service,
    store,
    logger,
    now: () => clock.now(),
    signer,
    publicKey: { algorithm: identity.algorithm, publicKey: identity.publicKeyRaw },
    verifierFor: nodeKeyVerifier,
    localToken: identity.localToken,
    windowSeconds,
    peers,
    hubOrigin: new URL(options.hubUrl).origin,
    sessionUser: (token) => directory.sessionUser(token),
    checkResponses: options.checkResponses,
  };
  appOptions.instrument = (metrics) => {
    decisions = metrics.counter(
      'hutong_exchange_decisions_total',
      'Exchange decisions this node recorded, by access mode and outcome (served or denied)',
      ['mode', 'decision'],
    );
    metrics.gauge(
      'hutong_audit_queue_depth',
      'Audit records committed here and not yet in the hub’s log',
      [],
      async () => [{ value: (await service.auditQueue()).depth }],
    );
    metrics.gauge(
      'hutong_audit_queue_oldest_age_seconds',
      'How long the oldest audit record not yet in the hub’s log has waited (the shipping lag)',
      [],
      async () => [{ value: (await service.auditQueue()).oldestAgeMs / 1000 }],
    );
    metrics.gauge('hutong_db_pool_connections', 'Database connections by state (PostgreSQL)', ['state'], async () =>
      poolGauges(db),
    );
  };
  appOptions.readiness = async () => {
    const [database, hub] = await Promise.all([
      sql`select 1 as up`
        .execute(db)
        .then(() => true)
        .catch(() => false),
      fetch(new URL('/livez', options.hubUrl), {
        signal: AbortSignal.timeout(2000),
        ...(dispatcher ? { dispatcher } : {}),
      } as RequestInit)
        .then((response) => response.ok)
        .catch(() => false),
    ]);
    return { database, keys: signingKey.keyId !== '', hub };
  };
  const tls = options.tls;
  const readTls = () => (tls ? { cert: readFileSync(tls.cert), key: readFileSync(tls.key) } : undefined);
  let server: HttpsServer | undefined;
  if (tls) {
    appOptions.serverFactory = (handler) => {
      server = createHttpsServer(readTls() ?? {}, handler);
      return server as unknown as ReturnType<FastifyServerFactory>;
    };
  }
  const app = await buildNodeApp(appOptions);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const listening = `${tls ? 'https' : 'http'}://${options.host}:${typeof address === 'object' && address ? address.port : options.port}`;
  const url = options.publicUrl ?? listening;
  appOptions.publicUrl = url;
  let hubKeyId: string;
  try {
    hubKeyId = await directory.announce(
      options.memberCode,
      url,
      identity.publicKeyRaw,
      Buffer.from(witnessSigner.publicKey).toString('base64'),
      options.crypto ?? 'intl',
      witnessSm2Signer && Buffer.from(witnessSm2Signer.publicKey).toString('base64'),
    );
  } catch (error) {
    // Refused (another suite, an address outside the city's networks): nothing keeps running.
    await app.close();
    await peers.close();
    await dispatcher?.close();
    await store.close();
    throw error;
  }
  signingKey.keyId = `${options.memberCode}:${hubKeyId}`;
  await service.restoreNonces(windowSeconds);
  await service.restoreVerifyQuestions();
  await service.sync();
  // Every provider node witnesses the hub's log (trust on first use of the log key its hub publishes);
  // a consumer node's witness knows no log and answers 404, as the spec says for an unknown origin.
  if (service.member(options.memberCode)?.role === 'provider') {
    const vkey = await fetch(
      new URL('/ledger/vkey', options.hubUrl),
      (dispatcher ? { dispatcher } : {}) as RequestInit,
    ).then((response) => (response.ok ? response.text() : ''));
    if (vkey.trim()) witness.trust([{ origin: HUTONG_LOG_ORIGIN, vkey: vkey.trim() }]);
  }
  const interval = setInterval(() => {
    service.sync().catch((error) => logger.warn({ err: (error as Error).message }, 'agreement sync failed'));
  }, options.syncIntervalMs ?? 30_000);
  interval.unref();
  // Audit events travel to the hub's Merkle log in the background; the node's table is their queue.
  const shipper = repeatEvery(
    options.shipIntervalMs ?? 1000,
    () => service.shipAudit(),
    (error) => logger.warn({ err: (error as Error).message }, 'audit shipping failed'),
  );
  let closed = false;
  return {
    memberCode: options.memberCode,
    url,
    localToken: identity.localToken,
    app,
    service,
    reloadTls() {
      const files = readTls();
      if (server && files) server.setSecureContext(files);
    },
    async close() {
      // Idempotent: a test or bench may stop one node early and the whole city later.
      if (closed) return;
      closed = true;
      clearInterval(interval);
      await shipper.stop();
      // Stop taking requests, let those in flight finish, then ship what the node committed (best effort:
      // what stays unshipped is shipped at the next start, the node's table is the queue).
      await app.close();
      await service
        .shipAudit()
        .catch((error) => logger.warn({ err: (error as Error).message }, 'audit not shipped at stop'));
      await peers.close();
      await dispatcher?.close();
      await service.close();
      await store.close();
    },
  };
}

/** A stable fingerprint of a secret, to tell operators which secret a node runs with without showing it. */
export function secretFingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 12);
}
