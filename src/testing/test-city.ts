/**
 * The whole demo city for integration tests: hub and every department node on free loopback ports, the
 * small seed-1 data loaded, silent logs, and a clock that runs in real time but can be moved.
 * With HUTONG_TEST_CITY_PG (a PostgreSQL URL) every store — the hub's, each application's, each node's with
 * its department's data — is a PostgreSQL schema of the city's own, dropped when it closes: the same
 * integration suites run on both databases (`npm test` runs them again so when HUTONG_TEST_PG is set).
 * With HUTONG_TEST_CITY_CRYPTO=gm the city runs under the 国密 suite (SM2 node keys and exchange signatures,
 * HMAC-SM3 subject hashes, people's data sealed with SM4): `npm test` runs the same suites again so.
 */
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createLogger } from '../platform/log/logger';
import { type DemoOptions, type DemoPlacement, demoNodeSealers, startDemo } from '../composition/demo';
import { type CryptoSuiteName, cryptoSuite } from '../composition/crypto-suite';
import { readFileSync } from 'node:fs';
import { exportCity } from '../datasets/demo-city';
import { nodeStoreDatabase } from '../datasets/node-stores';
import { demoMembers } from '../demo/members';
import { type DatabaseOptions, openDatabase } from '../platform/db/open';
import type { NodeOptions, RunningNode } from '../composition/node';
import { loadOrCreateCitySecret } from '../composition/city-secret';
import { demoPublications } from '../demo/publications';
import { demoCovertConsumers } from '../demo/identity';
import { shiftableClock } from '../core/ports/clock';
import type { DemoCredentials } from '../demo/seed';
import type { LogService } from '../ledger/service/log-service';
import type { WitnessCoordinator } from '../ledger/service/witnessing';

export interface TestCity {
  url: string;
  dataDir: string;
  clock: ReturnType<typeof shiftableClock>;
  credentials: DemoCredentials;
  /** The hub's Fastify app with the hosted applications (its `routeTable` lists every route). */
  hubApp: FastifyInstance;
  node(code: string): RunningNode;
  /** The hub's audit log (to publish a checkpoint now instead of waiting for the timer). */
  log: LogService;
  witnessing: WitnessCoordinator;
  /** Calls the hub API as a member's system. */
  hub<T = Record<string, unknown>>(
    member: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: T }>;
  /** Writes every department's data as `<resource>.csv` into `outDir` (from wherever the stores are). */
  exportData(outDir: string): Promise<void>;
  /** True when the stores are PostgreSQL schemas (HUTONG_TEST_CITY_PG), not SQLite files in the data folder. */
  onPostgres: boolean;
  /** The city's cryptographic suite (HUTONG_TEST_CITY_CRYPTO; default intl). */
  crypto: CryptoSuiteName;
  /** A subject's keyed hash as the city's log holds it (HMAC-SHA-256, or HMAC-SM3 under gm). */
  subjectHash(subject: string): string;
  /** A member's node store (to restart its node on the same one). */
  nodeDatabase(member: string): DatabaseOptions;
  /** Everything a member's node was started with but its port (to start it again as the city did). */
  nodeOptions(member: string): Omit<NodeOptions, 'port'>;
  /** Asks a member's node through its local API (POST /local/v1/query), as the member's own systems do. */
  localQuery<T = Record<string, unknown>>(
    member: string,
    body: Record<string, unknown>,
  ): Promise<{ status: number; requestId: string | null; json: T; text: string }>;
  close(): Promise<void>;
}

/** A schema per store on `url`, created now; `drop()` removes them all. */
async function postgresPlacement(url: string): Promise<DemoPlacement & { drop(): Promise<void> }> {
  const prefix = `city_${Math.random().toString(16).slice(2, 10)}`;
  const stores = [
    'hub',
    'app_services',
    'app_evaluation',
    ...demoMembers.filter((member) => member.role !== 'operator' && member.role !== 'auditor').map((m) => m.code),
  ];
  const admin = openDatabase<unknown>({ dialect: 'postgres', connectionString: url, maxConnections: 1 });
  try {
    for (const store of stores) await sql`create schema ${sql.id(`${prefix}_${store}`)}`.execute(admin);
  } finally {
    await admin.destroy();
  }
  const at = (store: string): DatabaseOptions => ({
    dialect: 'postgres',
    connectionString: url,
    schema: `${prefix}_${store}`,
    maxConnections: 4,
  });
  return {
    hub: at('hub'),
    app: (name) => at(`app_${name}`),
    node: (member) => at(member),
    async drop() {
      const db = openDatabase<unknown>({ dialect: 'postgres', connectionString: url, maxConnections: 1 });
      try {
        for (const store of stores)
          await sql`drop schema if exists ${sql.id(`${prefix}_${store}`)} cascade`.execute(db);
      } finally {
        await db.destroy();
      }
    },
  };
}

/**
 * The suite test cities and installation tests run under: HUTONG_TEST_CITY_CRYPTO (`gm`), else intl. A test
 * file calling this runs again under gm in `npm test` (scripts/test-cities-again.mjs).
 */
export function testSuite(): CryptoSuiteName {
  return process.env.HUTONG_TEST_CITY_CRYPTO === 'gm' ? 'gm' : 'intl';
}

export async function startTestCity(
  options: { node?: DemoOptions['node']; crypto?: CryptoSuiteName } = {},
): Promise<TestCity> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hutong-city-'));
  const clock = shiftableClock();
  const postgresUrl = process.env.HUTONG_TEST_CITY_PG;
  const placement = postgresUrl ? await postgresPlacement(postgresUrl) : undefined;
  const stores = placement ? placement.node : dataDir;
  const crypto = options.crypto ?? testSuite();
  const demo = await startDemo({
    crypto,
    placement,
    dataDir,
    port: 0,
    host: '127.0.0.1',
    clock,
    passwordCost: 1024,
    logger: createLogger({ level: 'silent' }),
    // Every answer of the hub, its apps and the nodes must be what their OpenAPI schemas say, field for field.
    checkResponses: true,
    node: { syncIntervalMs: 3_600_000, checkResponses: true, ...options.node },
  });
  return {
    url: demo.url,
    dataDir,
    clock,
    credentials: demo.credentials,
    hubApp: demo.hub.app,
    log: demo.hub.log,
    witnessing: demo.hub.witnessing,
    node(code) {
      const node = demo.nodes.find((candidate) => candidate.memberCode === code);
      if (!node) throw new Error(`no node for ${code}`);
      return node;
    },
    async hub(member, method, path, body) {
      const response = await fetch(new URL(`/api/v1${path}`, demo.url), {
        method,
        headers: {
          authorization: `Bearer ${demo.credentials.tokens[member]}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, json: text ? JSON.parse(text) : {} };
    },
    async localQuery(member, body) {
      const node = demo.nodes.find((candidate) => candidate.memberCode === member);
      if (!node) throw new Error(`no node for ${member}`);
      const response = await fetch(`${node.url}/local/v1/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${node.localToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        requestId: response.headers.get('hutong-request-id'),
        json: text ? JSON.parse(text) : {},
        text,
      };
    },
    onPostgres: placement !== undefined,
    crypto,
    nodeOptions: (member) => ({
      memberCode: member,
      dataDir,
      database: nodeStoreDatabase(stores, member),
      hubUrl: demo.url,
      hubToken: demo.credentials.tokens[member] ?? '',
      citySecret: loadOrCreateCitySecret(dataDir),
      host: '127.0.0.1',
      publications: demoPublications(member),
      covertConsumers: demoCovertConsumers,
      clock,
      logger: createLogger({ level: 'silent' }),
      syncIntervalMs: 3_600_000,
      checkResponses: true,
      crypto,
      personalData: demoNodeSealers(dataDir, crypto)?.(member),
    }),
    subjectHash: (subject) =>
      cryptoSuite(crypto)
        .subjectHasher(readFileSync(join(dataDir, 'city-secret'), 'utf8').trim())
        .hash(subject),
    exportData: (outDir) => exportCity(stores, outDir, demoNodeSealers(dataDir, crypto)),
    nodeDatabase: (member) => nodeStoreDatabase(stores, member),
    async close() {
      await demo.close();
      await placement?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
