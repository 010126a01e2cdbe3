import { join } from 'node:path';
import { packageVersion, projectRoot } from './project-root';

export { packageVersion, projectRoot } from './project-root';
import type { FastifyInstance, FastifyServerFactory } from 'fastify';
import { Agent } from 'undici';
import type { Logger } from 'pino';
import type { AgreementEvents } from '../core/ports/agreement-events';
import type { AuditLog } from '../core/ports/audit-log';
import { ed25519SignerFromSeed, nodeLedgerCrypto } from '../platform/crypto/ledger-crypto';
import { loadOrCreateSeed } from '../platform/crypto/seed-file';
import type { LedgerDatabase } from '../ledger/store/ledger-schema';
import { KyselyLedgerStore } from '../ledger/store/kysely-ledger-store';
import { LogService } from '../ledger/service/log-service';
import { cosignatureVkey } from '../core/ledger/cosignature';
import { type KeyAlgorithm, witnessKeyName } from '../core/members/member';
import { canonicalJsonAuditLog, loggedAtOf } from '../ledger/service/audit-log';
import { WitnessCoordinator, type WitnessEndpoint } from '../ledger/service/witnessing';
import { type Kysely, sql } from 'kysely';
import type { Clock } from '../core/ports/clock';
import type { HubStore } from '../core/ports/hub-store';
import type { LedgerStore } from '../core/ports/ledger-store';
import { type WorkCalendar, weekendsOnly } from '../core/calendar/working-days';
import { systemClock } from '../platform/clock/system-clock';
import { randomIds, sha256TokenDigester } from '../platform/crypto/random-ids';
import { scryptPasswordHasher } from '../platform/crypto/scrypt-password';
import { type DatabaseOptions, openDatabase, poolGauges } from '../platform/db/open';
import { buildHubApp, type HostedApp } from '../hub/http/hub-app';
import { createLogger } from '../platform/log/logger';
import { httpAgreementNotifier } from '../hub/clients/agreement-notifier';
import type { HubDatabase } from '../hub/store/hub-schema';
import { KyselyHubStore } from '../hub/store/kysely-hub-store';
import { HubService } from '../hub/service/hub-service';
import { cryptoSuite, nodeKeyVerifier } from './crypto-suite';
import { formatSm2Vkey, SM2_COSIGNATURE_IDENTIFIER } from '../core/ledger/sm2-note';
import { KyselyLedgerIndexStore } from '../ledger/store/kysely-ledger-index-store';
import type { LedgerIndexDatabase } from '../ledger/store/ledger-index-schema';
import { DataUsageService, defaultDataUsagePolicy, type IdentityPolicy } from '../hub/service/data-usage-service';
import { LedgerIndexer } from '../ledger/service/ledger-index';
import { KyselyAttemptThrottle, type ThrottleDatabase } from '../platform/db/kysely-throttle';
import { GuessGuard } from '../hub/service/guesses';
import { commonPasswordList } from '../platform/crypto/common-passwords';
import { hostAllowedIn, loopbackNetworks } from '../hub/service/networks';
import { loadOrCreateCitySecret } from './city-secret';
import { demoPassword } from '../demo/members';
import { repeatEvery } from '../platform/clock/repeat';

/** Access records are kept at least three years (RULES.md §10). */
export const ACCESS_RECORDS_MIN_DAYS = 1095;

export interface HubOptions {
  /** Where the hub keeps its SQLite database when no other database is given. */
  dataDir: string;
  /** The log's signing seed (default: `<dataDir>/ledger-key`, created at first start). */
  ledgerKeyFile?: string | undefined;
  /** Under the 国密 suite, the seed of the log's SM2 key (default `<data dir>/ledger-key-sm2`). */
  ledgerSm2KeyFile?: string | undefined;
  database?: DatabaseOptions | undefined;
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  logLevel?: string | undefined;
  slaWorkingDays?: number | undefined;
  calendar?: WorkCalendar | undefined;
  sessionHours?: number | undefined;
  /** scrypt cost; tests lower it to keep suites fast. */
  passwordCost?: number | undefined;
  webDir?: string | undefined;
  agreementEvents?: AgreementEvents | undefined;
  auditLog?: AuditLog | undefined;
  checkpointIntervalMs?: number | undefined;
  /** Applications served by the hub's server under /apps/<name>/v1 (wired by the demo composition). */
  apps?: readonly HostedApp[] | undefined;
  /** The key of subject hashes (default: `<dataDir>/city-secret`, created at first start). */
  citySecret?: string | undefined;
  /** Consumers allowed to flag accesses covert (withheld from the subject until a disclosure date). */
  covertConsumers?: readonly string[] | undefined;
  /** How residents' and enterprises' names are checked at login (through a member's node). */
  identity?: IdentityPolicy | undefined;
  /** Networks (CIDR) nodes may be registered in; default loopback (the demo's one machine). */
  nodeNetworks?: readonly string[] | undefined;
  /** Host names nodes may be registered at (default: localhost). */
  nodeHostnames?: readonly string[] | undefined;
  /** Wraps the log's store (instrumentation; the crash tests inject faults inside its transactions). */
  decorateLedgerStore?: ((store: LedgerStore) => LedgerStore) | undefined;
  /** Fail any answer its OpenAPI response schema does not describe exactly (test cities). */
  checkResponses?: boolean | undefined;
  /** Builds the HTTP server (an HTTPS one, for a hub serving TLS). */
  serverFactory?: FastifyServerFactory | undefined;
  /** The city's CA (PEM): the only roots nodes' certificates are checked against when the hub calls them. */
  ca?: readonly Buffer[] | undefined;
  /**
   * Days the clear officer and case of access records are kept (at least three years; RULES.md §10); the log
   * itself, with their keyed hashes, is never deleted.
   */
  accessRecordsDays?: number | undefined;
  /** The city's cryptographic suite: `gm` keys subject hashes with HMAC-SM3 (the nodes must agree). */
  crypto?: 'intl' | 'gm' | undefined;
}

export interface Hub {
  app: FastifyInstance;
  service: HubService;
  store: HubStore;
  clock: Clock;
  /** The append-only audit log (RFC 6962 / C2SP tlog-tiles) served under /ledger. */
  log: LogService;
  /** Collects the provider nodes' cosignatures for each checkpoint. */
  witnessing: WitnessCoordinator;
  /** A service over the same store that sees another time: used to seed dated demo history. */
  serviceAt(instant: Date): HubService;
  /** "Who used my data", the log's entry search and the residents' logins (src/hub/service/data-usage-service.ts). */
  dataUsage: DataUsageService;
  /** Keeps the log's query index up to date (also run before every query). */
  ledgerIndexer: LedgerIndexer;
  close(): Promise<void>;
}

/** A data folder written by an earlier, incompatible format: the operator must start from a fresh one. */
export class DataFormatOutdated extends Error {
  readonly code = 'DATA_FORMAT_OUTDATED';
  constructor(readonly dataDir: string) {
    super(`${dataDir} holds an audit log of an earlier hutong format; start with a fresh data folder (--data)`);
  }
}

export async function createHub(options: HubOptions): Promise<Hub> {
  const database = options.database ?? { dialect: 'sqlite' as const, file: join(options.dataDir, 'hub.sqlite') };
  const db = openDatabase<HubDatabase>(database);
  const store = new KyselyHubStore(db);
  await store.migrate();
  const nodeDispatcher = options.ca ? new Agent({ connect: { ca: [...options.ca] } }) : undefined;
  // The audit log lives in the hub's database, in tables of its own.
  const kyselyLedgerStore = new KyselyLedgerStore(db as unknown as Kysely<LedgerDatabase>);
  await kyselyLedgerStore.migrate();
  const ledgerStore: LedgerStore = options.decorateLedgerStore?.(kyselyLedgerStore) ?? kyselyLedgerStore;
  const clock = options.clock ?? systemClock;
  const suite = cryptoSuite(options.crypto);
  const log = new LogService({
    store: ledgerStore,
    crypto: nodeLedgerCrypto,
    signer: ed25519SignerFromSeed(loadOrCreateSeed(options.ledgerKeyFile ?? join(options.dataDir, 'ledger-key'))),
    sm2Signer: suite.ledgerSm2Signer?.(
      loadOrCreateSeed(options.ledgerSm2KeyFile ?? join(options.dataDir, 'ledger-key-sm2')),
    ),
    clock,
    // The log's time never goes back, not even across a restart with a clock set back.
    lastLoggedAt: async () => {
      const size = await ledgerStore.size();
      if (size === 0) return undefined;
      const [last] = await ledgerStore.readEntries(size - 1, size);
      return loggedAtOf(last!.data);
    },
  });
  // A log of the first format (before node chains and the log's own time) cannot be continued: its
  // access entries carry no chain a verifier could follow. Say so plainly instead of mixing formats.
  if ((await kyselyLedgerStore.size()) > 0) {
    const [first] = await kyselyLedgerStore.readEntries(0, 1);
    if (loggedAtOf(first!.data) === undefined) {
      throw new DataFormatOutdated(options.dataDir);
    }
  }
  // The log's tables live in the hub's database: a change and its entries commit in one transaction.
  const auditLog =
    options.auditLog ?? canonicalJsonAuditLog(log, (handle) => new KyselyHubStore(handle as Kysely<HubDatabase>));
  // Provider nodes witness the log, each with the witness key its member registered at the hub (with the
  // member's own credentials: a node URL's answer is never trusted for it); the policy the hub publishes
  // lists them for every verifier to pin.
  const witnessing = new WitnessCoordinator({
    log,
    crypto: nodeLedgerCrypto,
    async witnesses() {
      const endpoints: WitnessEndpoint[] = [];
      for (const member of await store.listMembers()) {
        const newest = (algorithm: KeyAlgorithm) =>
          member.publicKeys.filter((candidate) => candidate.algorithm === algorithm).at(-1);
        const key = newest('ed25519-witness');
        if (member.role !== 'provider' || !member.nodeUrl || !key) continue;
        const name = witnessKeyName(member.code);
        const vkey = cosignatureVkey(nodeLedgerCrypto, name, Buffer.from(key.publicKey, 'base64'));
        // Under the 国密 suite the witness also cosigns with the SM2 key its member registered.
        const sm2Key = suite.ledgerSm2Signer ? newest('sm2-witness') : undefined;
        const sm2Vkey =
          sm2Key &&
          formatSm2Vkey(nodeLedgerCrypto, name, SM2_COSIGNATURE_IDENTIFIER, Buffer.from(sm2Key.publicKey, 'base64'));
        endpoints.push({ name: member.code, url: member.nodeUrl, vkey, sm2Vkey });
      }
      return endpoints;
    },
    async post(url, body) {
      const response = await fetch(url, {
        method: 'POST',
        body,
        signal: AbortSignal.timeout(3000),
        ...(nodeDispatcher ? { dispatcher: nodeDispatcher } : {}),
      } as RequestInit);
      return { status: response.status, body: await response.text() };
    },
  });
  const logger = options.logger ?? createLogger({ level: options.logLevel ?? 'info' });
  const hasher = suite.subjectHasher(options.citySecret ?? loadOrCreateCitySecret(options.dataDir));
  // Guessing limits live in the hub's database: atomic under concurrency, kept across restarts.
  const throttle = new KyselyAttemptThrottle(db as unknown as Kysely<ThrottleDatabase>);
  await throttle.migrate();
  const commonPasswords = commonPasswordList();
  const guard = new GuessGuard({
    throttle,
    clock,
    keyOf: (value) => hasher.keyed('throttle', value),
    onLocked: (event) => logger.warn(event, 'attempts locked until the window ends'),
  });
  const passwords = scryptPasswordHasher(options.passwordCost ?? 16384);
  const policy = {
    slaWorkingDays: options.slaWorkingDays ?? 10,
    calendar: options.calendar ?? weekendsOnly,
    sessionHours: options.sessionHours ?? 12,
    nodeHostAllowed: hostAllowedIn(options.nodeNetworks ?? loopbackNetworks, options.nodeHostnames ?? ['localhost']),
  };
  const events = options.agreementEvents ?? httpAgreementNotifier(store, logger, undefined, nodeDispatcher);
  const serviceAt = (instantOrClock: Date | Clock) =>
    new HubService({
      store,
      clock: instantOrClock instanceof Date ? { now: () => new Date(instantOrClock.getTime()) } : instantOrClock,
      ids: randomIds,
      passwords,
      tokens: sha256TokenDigester,
      policy,
      events,
      auditLog,
      crypto: nodeLedgerCrypto,
      guard,
      commonPasswords,
      publishedPasswords: [demoPassword],
    });
  const service = serviceAt(clock);
  // The log's query index: separate tables, filled from committed entries, rebuildable from the log.
  const indexStore = new KyselyLedgerIndexStore(db as unknown as Kysely<LedgerIndexDatabase>);
  await indexStore.migrate();
  const ledgerIndexer = new LedgerIndexer(indexStore, {
    size: () => log.size(),
    readEntries: (start, end) => ledgerStore.readEntries(start, end),
  });
  const dataUsage = new DataUsageService({
    index: indexStore,
    sessions: indexStore,
    catchUp: () => ledgerIndexer.catchUp(),
    hubStore: store,
    readEntry: (index) => log.entry(index),
    auditLog,
    clock,
    hasher,
    guard,
    ids: randomIds,
    tokens: sha256TokenDigester,
    policy: {
      ...defaultDataUsagePolicy,
      identity: options.identity,
      covertConsumers: options.covertConsumers ?? defaultDataUsagePolicy.covertConsumers,
    },
  });
  // When the log last grew a checkpoint (for /metrics).
  let checkpointSize: number | undefined;
  let checkpointPublishedAt = clock.now().getTime();
  const app = await buildHubApp({
    dataUsage,
    hub: service,
    logger,
    webDir: options.webDir ?? join(projectRoot, 'web', 'dist'),
    version: packageVersion(),
    ledger: log,
    witnessing,
    apps: options.apps,
    checkResponses: options.checkResponses,
    serverFactory: options.serverFactory,
    crypto: options.crypto,
    nodeKeyVerifier,
    instrument(metrics) {
      metrics.gauge('hutong_ledger_entries', 'Entries in the audit log', [], async () => [{ value: await log.size() }]);
      metrics.gauge(
        'hutong_ledger_unpublished_entries',
        'Entries appended to the audit log that no checkpoint covers yet',
        [],
        async () => [{ value: (await log.size()) - ((await log.latestCheckpoint())?.size ?? 0) }],
      );
      metrics.gauge(
        'hutong_ledger_checkpoint_age_seconds',
        'Seconds since the latest checkpoint that grew the log was published',
        [],
        async () => [{ value: (clock.now().getTime() - checkpointPublishedAt) / 1000 }],
      );
      metrics.gauge(
        'hutong_witness_lag_entries',
        'Entries of the latest checkpoint each witness has not cosigned yet',
        ['witness'],
        async () => {
          const size = (await log.latestCheckpoint())?.size ?? 0;
          return witnessing
            .witnessStatus()
            .map((witness) => ({ labels: { witness: witness.name }, value: Math.max(0, size - witness.cosignedSize) }));
        },
      );
      metrics.gauge('hutong_db_pool_connections', 'Database connections by state (PostgreSQL)', ['state'], async () =>
        poolGauges(db),
      );
    },
    // Migrations ran and keys were loaded before this point: what can go away is the database.
    async readiness() {
      const database = await sql`select 1 as up`
        .execute(db)
        .then(() => true)
        .catch(() => false);
      return { database, migrations: true, keys: true };
    },
    now: () => clock.now(),
    async authenticateSubject(token) {
      const subject = await dataUsage.authenticateSubject(token);
      if (!subject) return undefined;
      return {
        kind: subject.kind,
        displayName: subject.displayName,
        owns: (key) => hasher.hash(key) === subject.subjectHash,
      };
    },
  });
  // C2SP: a checkpoint at least every second while entries arrive (publishing is a no-op when none did).
  const publishing = repeatEvery(
    options.checkpointIntervalMs ?? 1000,
    () =>
      log
        .publishCheckpoint(clock.now())
        .then(async () => {
          const size = (await log.latestCheckpoint())?.size;
          if (size !== checkpointSize) {
            checkpointSize = size;
            checkpointPublishedAt = clock.now().getTime();
          }
        })
        .then(() => witnessing.cosignLatest()),
    (error) => logger.error({ err: error }, 'checkpoint not published or not cosigned'),
  );
  const retentionDays = options.accessRecordsDays ?? ACCESS_RECORDS_MIN_DAYS;
  const pruneAccessDetails = async () => {
    const before = new Date(clock.now().getTime() - retentionDays * 86_400_000).toISOString();
    const deleted = await store.pruneAccessDetails(before);
    if (deleted > 0) logger.info({ deleted, before }, 'access details past their retention deleted');
  };
  await pruneAccessDetails();
  const retention = repeatEvery(6 * 3_600_000, pruneAccessDetails, (error) =>
    logger.error({ err: error }, 'access details not pruned'),
  );
  const indexing = repeatEvery(
    options.checkpointIntervalMs ?? 1000,
    () => ledgerIndexer.catchUp(),
    (error) => logger.error({ err: error }, 'ledger index not updated'),
  );
  await log.publishCheckpoint(clock.now());
  return {
    app,
    service,
    store,
    clock,
    serviceAt: (instant) => serviceAt(instant),
    log,
    witnessing,
    dataUsage,
    ledgerIndexer,
    async close() {
      // A round in flight (a checkpoint being cosigned, the index catching up) ends before the store closes.
      await Promise.all([publishing.stop(), indexing.stop(), retention.stop()]);
      // Stop taking requests and let those in flight finish; then the log's last entries get a checkpoint.
      await app.close();
      await log.flush();
      await log
        .publishCheckpoint(clock.now())
        .catch((error) => logger.warn({ err: error }, 'last checkpoint not published'));
      // The index is not brought up to date here: it catches up from the log at the next start.
      await ledgerIndexer.stop();
      await store.close();
      await nodeDispatcher?.close();
    },
  };
}
