/**
 * A city's own hub, as an operator installs it: `initHub` writes a configuration file, the keys (0600) and
 * the city secret, creates the platform operator and its administrator with a one-time password (shown
 * once, to be changed at first login); `runHub` serves it from that configuration, over TLS unless it only
 * listens on loopback. No fixed or default credential exists here: those are the demo's alone.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import type { FastifyServerFactory } from 'fastify';
import type { Logger } from 'pino';
import { loadOrCreateSeed } from '../platform/crypto/seed-file';
import type { DatabaseOptions } from '../platform/db/open';
import { createLogger } from '../platform/log/logger';
import { loadOrCreateCitySecret } from './city-secret';
import { type HostedAppConfig, type HubConfig, loadHubConfig } from './config';
import { createHub, type Hub } from './hub';
import { Agent } from 'undici';
import { systemClock } from '../platform/clock/system-clock';
import { createHostedApps, type HostedApps } from './apps';
import { EVALUATION_MEMBER } from './evaluation-app';
import { SERVICES_MEMBER } from './services-settings';

/** The hub refuses to serve beyond loopback in clear text unless the operator insists (`--insecure`). */
export class TlsRequired extends Error {
  readonly code = 'TLS_REQUIRED';
  constructor(host: string) {
    super(
      `refusing to listen on ${host} without TLS: set tls.cert and tls.key in the configuration, ` +
        'or pass --insecure to serve plain HTTP beyond this machine',
    );
  }
}

/** A file the configuration names (a secret, a certificate) cannot be read. */
export class SecretMissing extends Error {
  readonly code = 'SECRET_MISSING';
  constructor(
    readonly key: string,
    readonly file: string,
  ) {
    super(`${key}: ${file} cannot be read (missing, or not readable by this user)`);
  }
}

/** Reads a file the configuration names under `key`, saying which key when it cannot. */
export function readConfigured(key: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    throw new SecretMissing(key, file);
  }
}

export class ConfigExists extends Error {
  readonly code = 'CONFIG_EXISTS';
  constructor(readonly file: string) {
    super(`${file} exists already: hutong init never overwrites a configuration or its keys`);
  }
}

export function databaseOptions(config: HubConfig['database']): DatabaseOptions {
  if (config.url.startsWith('sqlite:')) return { dialect: 'sqlite', file: config.url.slice('sqlite:'.length) };
  return {
    dialect: 'postgres',
    connectionString: config.url,
    maxConnections: config.pool,
    statementTimeoutMs: config.statementTimeoutMs,
    ...(config.schema ? { schema: config.schema } : {}),
  };
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

export interface InitHubOptions {
  dir: string;
  /** The city's cryptographic suite (default intl). */
  crypto?: 'intl' | 'gm' | undefined;
  /** `postgres://…` (default: an SQLite file in the folder, for a trial). */
  database?: string | undefined;
  /** A PostgreSQL schema of the hub's own. */
  schema?: string | undefined;
  publicUrl?: string | undefined;
  operatorCode?: string | undefined;
  operatorName?: string | undefined;
  /** scrypt cost; tests lower it. */
  passwordCost?: number | undefined;
}

export interface InitializedHub {
  configFile: string;
  username: string;
  /** Shown once; the administrator must replace it at first login. */
  oneTimePassword: string;
}

function configText(options: {
  crypto: 'intl' | 'gm';
  publicUrl: string;
  database: string;
  schema: string | undefined;
  listenHost: string;
  port: number;
}): string {
  return `# hutong hub configuration (written by \`hutong init hub\`). Every key can be overridden by an
# environment variable: HUTONG_ and the key's path in upper snake case (database.url → HUTONG_DATABASE_URL).
# Secrets are files (mode 0600) named here, never values; relative paths are relative to this file.

# Where the hub listens. Beyond loopback it serves HTTPS only (see tls), unless started with --insecure.
listen:
  host: ${options.listenHost}
  port: ${options.port}

# The address departments' nodes and browsers use to reach the hub.
publicUrl: ${options.publicUrl}

# PostgreSQL in production (the hub, its audit log and the log's index live in one database, so a change
# and its audit entry commit together); sqlite:<file> for a trial. Migrations run at start, under a lock.
database:
  url: ${options.database}
${options.schema ? `  schema: ${options.schema}\n` : ''}  pool: 10
  statementTimeoutMs: 30000

# Certificate and private key (PEM) for HTTPS; reloaded on SIGHUP. \`hutong init ca\` makes a city CA.
# tls:
#   cert: tls/hub.crt
#   key: tls/hub.key

secrets:
  ledgerKeyFile: secrets/ledger-key
${options.crypto === 'gm' ? '  ledgerSm2KeyFile: secrets/ledger-key-sm2\n' : ''}  citySecretFile: secrets/city-secret

# Networks (CIDR) the departments' nodes may be registered in.
nodeNetworks:
  - 127.0.0.0/8
  - ::1/128

logLevel: info

# The city's cryptographic suite: intl (Ed25519, SHA-256) or gm (国密: SM2, SM3, SM4). Every node of the
# city must name the same one.
crypto: ${options.crypto}

# Files kept besides the database (the applications' signing keys; their SQLite files when no database is given).
dataDir: .

# The city's applications on this server, each running as its member through that member's node:
# 一网通办 as 政务服务办 (zhengwu), 亩均论英雄 as 经信局 (jingxin). localTokenFile is a copy of the node's
# secrets/local-token, hubTokenFile the member's API token; database as above (default: SQLite under dataDir/apps).
# apps:
#   services:
#     nodeUrl: https://10.0.0.4:9443
#     localTokenFile: secrets/zhengwu-local-token
#     hubTokenFile: secrets/zhengwu-hub-token
#     database:
#       url: postgres://hutong@db.example/hutong
#       schema: services
#   evaluation:
#     nodeUrl: https://10.0.0.5:9443
#     localTokenFile: secrets/jingxin-local-token
#     hubTokenFile: secrets/jingxin-hub-token

# Access records are kept at least three years; the log's tiles are never deleted. Operating logs at
# least six months (网络安全法, 2025 amendment, art. 23(3)).
retention:
  accessRecordsDays: 1095
  operatingLogsDays: 183
`;
}

/** Writes a hub's configuration and secrets into `dir` and creates its operator; never overwrites. */
export async function initHub(options: InitHubOptions): Promise<InitializedHub> {
  const dir = resolve(options.dir);
  const configFile = join(dir, 'hub.yaml');
  if (existsSync(configFile)) throw new ConfigExists(configFile);
  mkdirSync(join(dir, 'secrets'), { recursive: true, mode: 0o700 });
  const database = options.database ?? 'sqlite:hub.sqlite';
  writeFileSync(
    configFile,
    configText({
      crypto: options.crypto ?? 'intl',
      publicUrl: options.publicUrl ?? 'https://127.0.0.1:8443',
      database,
      schema: options.schema,
      listenHost: '127.0.0.1',
      port: 8443,
    }),
    { mode: 0o600, flag: 'wx' },
  );
  const config = loadHubConfig(configFile);
  loadOrCreateSeed(config.secrets.ledgerKeyFile);
  if (config.secrets.ledgerSm2KeyFile) loadOrCreateSeed(config.secrets.ledgerSm2KeyFile);
  const citySecret = loadOrCreateCitySecret(join(dir, 'secrets'));
  const hub = await createHub({
    dataDir: dir,
    crypto: config.crypto,
    database: databaseOptions(config.database),
    ledgerKeyFile: config.secrets.ledgerKeyFile,
    citySecret,
    logger: createLogger({ level: 'warn' }),
    passwordCost: options.passwordCost,
  });
  try {
    const code = options.operatorCode ?? 'dashuju';
    await hub.service.members.registerMember('bootstrap', {
      code,
      name: options.operatorName ?? '大数据发展管理局',
      role: 'operator',
      contact: { person: '平台管理员', phone: '', email: '' },
    });
    const username = `${code}.admin`;
    const oneTimePassword = randomBytes(15).toString('base64url');
    await hub.service.accounts.createUser('bootstrap', {
      username,
      password: oneTimePassword,
      memberCode: code,
      displayName: '平台管理员',
      roles: ['admin'],
      mustChangePassword: true,
    });
    return { configFile, username, oneTimePassword };
  } finally {
    await hub.close();
  }
}

export interface RunningHub {
  hub: Hub;
  url: string;
  /** Reads the certificate and key again (SIGHUP): new connections get them, open ones keep theirs. */
  reloadTls(): void;
  close(): Promise<void>;
}

/** Serves a hub from its configuration. */
export async function runHub(
  config: HubConfig,
  options: { insecure?: boolean; logger?: Logger; passwordCost?: number } = {},
): Promise<RunningHub> {
  if (!config.tls && !isLoopback(config.listen.host) && !options.insecure) throw new TlsRequired(config.listen.host);
  const tls = config.tls;
  let server: Server | undefined;
  const readTls = () =>
    tls ? { cert: readConfigured('tls.cert', tls.cert), key: readConfigured('tls.key', tls.key) } : undefined;
  const serverFactory: FastifyServerFactory | undefined = tls
    ? (handler) => {
        server = createServer(readTls() ?? {}, handler);
        return server as unknown as ReturnType<FastifyServerFactory>;
      }
    : undefined;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const ca = tls?.ca ? [readConfigured('tls.ca', tls.ca)] : undefined;
  const hosted = await hostedApps(config, logger, ca);
  let hub: Hub;
  let address: string;
  try {
    hub = await createHub({
      dataDir: config.dataDir,
      database: databaseOptions(config.database),
      ledgerKeyFile: config.secrets.ledgerKeyFile,
      ledgerSm2KeyFile: config.secrets.ledgerSm2KeyFile,
      citySecret: readConfigured('secrets.citySecretFile', config.secrets.citySecretFile).toString('utf8').trim(),
      logger,
      nodeNetworks: config.nodeNetworks,
      passwordCost: options.passwordCost,
      serverFactory,
      ca,
      apps: hosted?.apps,
      accessRecordsDays: config.retention.accessRecordsDays,
      crypto: config.crypto,
    });
    address = await hub.app.listen({ host: config.listen.host, port: config.listen.port });
    await hosted?.start();
  } catch (error) {
    // The applications' databases and connections do not outlive a start that failed.
    await hosted?.close();
    throw error;
  }
  return {
    hub,
    url: tls ? address.replace(/^http:/, 'https:') : address,
    reloadTls() {
      const files = readTls();
      if (server && files) server.setSecureContext(files);
    },
    async close() {
      await hosted?.close();
      await hub.close();
    },
  };
}

/**
 * The applications the configuration names, each calling its member's node (checked against the city's CA)
 * with tokens read now, so a missing file stops the start with the key that names it.
 */
async function hostedApps(
  config: HubConfig,
  logger: Logger,
  ca: Buffer[] | undefined,
): Promise<HostedApps | undefined> {
  const { services, evaluation } = config.apps;
  if (!services && !evaluation) return undefined;
  const read = (key: string, file: string) => readConfigured(key, file).toString('utf8').trim();
  const endpoints = new Map<string, { url: string; localToken: string; hubToken: string }>();
  for (const [name, member, app] of [
    ['services', SERVICES_MEMBER, services],
    ['evaluation', EVALUATION_MEMBER, evaluation],
  ] as const) {
    if (!app) continue;
    endpoints.set(member, {
      url: app.nodeUrl,
      localToken: read(`apps.${name}.localTokenFile`, app.localTokenFile),
      hubToken: read(`apps.${name}.hubTokenFile`, app.hubTokenFile),
    });
  }
  const trust = ca ? new Agent({ connect: { ca } }) : undefined;
  const trustedFetch: typeof fetch | undefined = trust
    ? (input, init) => fetch(input, { ...init, dispatcher: trust } as RequestInit)
    : undefined;
  const appDatabase = (app: HostedAppConfig | undefined) => (app?.database ? databaseOptions(app.database) : undefined);
  const apps = await createHostedApps(
    {
      dataDir: config.dataDir,
      clock: systemClock,
      logger,
      hubUrl: () => config.publicUrl,
      nodeOf: (code) => endpoints.get(code),
      hubTokenOf: (code) => endpoints.get(code)?.hubToken,
      fetch: trustedFetch,
      crypto: config.crypto,
    },
    {
      // A city's residents see their own eligibility today; only staff look at another date.
      services: services ? { database: appDatabase(services), asOfAllowed: 'staff' } : false,
      evaluation: evaluation ? { database: appDatabase(evaluation) } : false,
    },
  );
  return {
    ...apps,
    async close() {
      await apps.close();
      await trust?.close();
    },
  };
}
