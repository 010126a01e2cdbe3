/**
 * A hub as a city installs it: `initHub` writes the configuration and the secrets (0600) and creates the
 * operator's administrator with a one-time password; `runHub` serves it over TLS from that configuration
 * (on SQLite, and on PostgreSQL when HUTONG_TEST_PG is set); the administrator must replace the one-time
 * password before anything else, and the demo's password is refused.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AddressInfo, createConnection, createServer as createNetServer, type Socket } from 'node:net';
import { connect } from 'node:tls';
import { sql } from 'kysely';
import { Agent } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../platform/db/open';
import type { HubDatabase } from '../hub/store/hub-schema';
import { KyselyHubStore } from '../hub/store/kysely-hub-store';
import { loadHubConfig } from './config';
import { jsonCaller } from './installation.test-helper';
import { ConfigExists, initHub, runHub, TlsRequired } from './production-hub';
import { testSuite } from '../testing/test-city';

const folders: string[] = [];
const schemas: string[] = [];
afterAll(async () => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  if (schemas.length === 0 || !process.env.HUTONG_TEST_PG) return;
  const admin = openDatabase<unknown>({ dialect: 'postgres', connectionString: process.env.HUTONG_TEST_PG });
  for (const schema of schemas) await sql`drop schema ${sql.id(schema)} cascade`.execute(admin);
  await admin.destroy();
});

/** A self-signed certificate for 127.0.0.1 (its own CA), written as `<name>.crt` and `<name>.key`. */
function selfSigned(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '2',
    '-subj',
    `/CN=hutong test ${name}`,
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ]);
  return { cert, key };
}

async function freshSchema(connectionString: string): Promise<string> {
  const schema = `t_${Math.random().toString(16).slice(2, 14)}`;
  const admin = openDatabase<unknown>({ dialect: 'postgres', connectionString, maxConnections: 1 });
  await sql`create schema ${sql.id(schema)}`.execute(admin);
  await admin.destroy();
  schemas.push(schema);
  return schema;
}

const databases: { name: string; database?: string }[] = [{ name: 'sqlite' }];
if (process.env.HUTONG_TEST_PG) databases.push({ name: 'postgres', database: process.env.HUTONG_TEST_PG });

describe.each(databases)('a city’s own hub on $name', ({ database }) => {
  it('is initialised once, served over TLS, and opens only to a password of the administrator’s own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hutong-init-'));
    folders.push(dir);
    const schema = database ? await freshSchema(database) : undefined;
    const init = await initHub({ dir, database, schema, passwordCost: 1024, crypto: testSuite() });
    expect(init.username).toBe('dashuju.admin');
    expect(init.oneTimePassword.length).toBeGreaterThanOrEqual(16);
    for (const file of ['hub.yaml', 'secrets/ledger-key', 'secrets/city-secret']) {
      expect(statSync(join(dir, file)).mode & 0o777, file).toBe(0o600);
    }
    await expect(initHub({ dir, database, schema })).rejects.toBeInstanceOf(ConfigExists);

    const first = selfSigned(dir, 'first');
    const config = loadHubConfig(init.configFile, {
      HUTONG_LOG_LEVEL: 'warn',
      HUTONG_LISTEN_PORT: '0',
      HUTONG_TLS_CERT: first.cert,
      HUTONG_TLS_KEY: first.key,
    });
    // Plain HTTP beyond loopback is refused unless asked for.
    await expect(runHub({ ...config, tls: undefined, listen: { host: '0.0.0.0', port: 0 } })).rejects.toBeInstanceOf(
      TlsRequired,
    );
    // An application whose token file is missing stops the start, naming the key.
    const withApp = {
      ...config,
      apps: {
        services: {
          nodeUrl: 'https://127.0.0.1:9443',
          localTokenFile: join(dir, 'absent-local-token'),
          hubTokenFile: join(dir, 'absent-hub-token'),
          database: undefined,
        },
      },
    };
    await expect(runHub(withApp)).rejects.toMatchObject({
      code: 'SECRET_MISSING',
      key: 'apps.services.localTokenFile',
    });

    const running = await runHub(config, { passwordCost: 1024 });
    try {
      expect(running.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const second = selfSigned(dir, 'second');
      const dispatcher = new Agent({ connect: { ca: [readFileSync(first.cert), readFileSync(second.cert)] } });
      const request = jsonCaller(dispatcher);
      const call = (method: string, path: string, token?: string, body?: unknown) =>
        request(running.url, method, path, token, body);

      expect((await call('GET', '/readyz')).json).toMatchObject({ status: 'ready', checks: { database: true } });
      expect(
        (await call('POST', '/api/v1/auth/login', undefined, { username: 'dashuju', password: 'qinghe-demo-2026' }))
          .status,
      ).toBe(401);

      const login = await call('POST', '/api/v1/auth/login', undefined, {
        username: init.username,
        password: init.oneTimePassword,
      });
      expect(login.json.user).toMatchObject({ mustChangePassword: true, memberRole: 'operator' });
      const once = login.json.token as string;
      expect((await call('GET', '/api/v1/members', once)).json.code).toBe('PASSWORD_CHANGE_REQUIRED');
      const change = (newPassword: string) =>
        call('POST', '/api/v1/auth/password', once, { currentPassword: init.oneTimePassword, newPassword });
      expect((await change('qinghe-demo-2026')).json.code).toBe('PASSWORD_TOO_COMMON');
      const changed = await change('Granary-Lighthouse-5150');
      expect(changed.status).toBe(200);
      const members = await call('GET', '/api/v1/members', changed.json.token as string);
      expect((members.json.items as { code: string }[]).map((member) => member.code)).toEqual(['dashuju']);

      // SIGHUP: a renewed certificate is served to new connections without a restart.
      const fingerprint = () =>
        new Promise<string>((done, fail) => {
          const socket = connect({
            host: '127.0.0.1',
            port: Number(new URL(running.url).port),
            ca: [readFileSync(first.cert), readFileSync(second.cert)],
          });
          socket.once('secureConnect', () => {
            done(socket.getPeerCertificate().fingerprint256);
            socket.end();
          });
          socket.once('error', fail);
        });
      const before = await fingerprint();
      execFileSync('cp', [second.cert, first.cert]);
      execFileSync('cp', [second.key, first.key]);
      running.reloadTls();
      const after = await fingerprint();
      expect(after).not.toBe(before);
      await dispatcher.close();
    } finally {
      await running.close();
    }
  }, 60_000);
});

describe.skipIf(!process.env.HUTONG_TEST_PG)('two hubs starting together on one PostgreSQL database', () => {
  it('migrate it once, under the advisory lock', async () => {
    const connectionString = process.env.HUTONG_TEST_PG as string;
    const schema = await freshSchema(connectionString);
    const pools = [0, 1].map(() =>
      openDatabase<HubDatabase>({ dialect: 'postgres', connectionString, schema, maxConnections: 2 }),
    );
    await Promise.all(pools.map((db) => new KyselyHubStore(db).migrate()));
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(pools[0]!);
    const names = applied.rows.map((row) => row.name);
    expect(names.length).toBeGreaterThan(3);
    expect(new Set(names).size).toBe(names.length);
    for (const db of pools) await db.destroy();
  });
});

/** A TCP relay to PostgreSQL that a test can cut and restore, as a network fault between hub and database. */
async function relayTo(target: URL): Promise<{ port: number; cut(): void; restore(): Promise<void>; close(): void }> {
  const sockets = new Set<Socket>();
  let server = createNetServer();
  const listen = (port: number) =>
    new Promise<number>((done) => {
      server = createNetServer((client) => {
        const upstream = createConnection({ host: target.hostname, port: Number(target.port || 5432) });
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('error', () => undefined);
          socket.on('close', () => sockets.delete(socket));
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => done((server.address() as AddressInfo).port));
    });
  const port = await listen(0);
  const cut = () => {
    server.close();
    for (const socket of sockets) socket.destroy();
  };
  return { port, cut, restore: async () => void (await listen(port)), close: cut };
}

describe.skipIf(!process.env.HUTONG_TEST_PG)('readiness', () => {
  it('turns unready while the database is unreachable and ready when it is back', async () => {
    const target = new URL(process.env.HUTONG_TEST_PG as string);
    const relay = await relayTo(target);
    const dir = mkdtempSync(join(tmpdir(), 'hutong-ready-'));
    folders.push(dir);
    const viaRelay = new URL(target.toString());
    viaRelay.hostname = '127.0.0.1';
    viaRelay.port = String(relay.port);
    const schema = await freshSchema(target.toString());
    const init = await initHub({ dir, database: viaRelay.toString(), schema, passwordCost: 1024, crypto: testSuite() });
    const running = await runHub(
      loadHubConfig(init.configFile, {
        HUTONG_LOG_LEVEL: 'warn',
        HUTONG_LISTEN_PORT: '0',
        HUTONG_DATABASE_STATEMENT_TIMEOUT_MS: '2000',
      }),
      { passwordCost: 1024 },
    );
    try {
      const ready = async () => {
        const response = await fetch(`${running.url}/readyz`);
        return `${response.status} ${((await response.json()) as { code?: string; status?: string }).code ?? 'ready'}`;
      };
      expect(await ready()).toBe('200 ready');
      relay.cut();
      await expect.poll(ready, { timeout: 20_000 }).toBe('503 NOT_READY');
      await relay.restore();
      await expect.poll(ready, { timeout: 20_000 }).toBe('200 ready');
    } finally {
      await running.close().catch(() => undefined);
      relay.close();
    }
  }, 60_000);
});
