/**
 * A production hub's or node's configuration file (YAML, written by `hutong init`), checked at start with zod so
 * a mistake names its key. Every key can be overridden by an environment variable: `HUTONG_` and the key's
 * path in upper snake case (`database.url` → `HUTONG_DATABASE_URL`, `listen.port` → `HUTONG_LISTEN_PORT`).
 * Secrets are never values in the file: the file names files that hold them (0600). Relative paths are
 * relative to the configuration file. Only the composition root reads this; nothing deeper reads env.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65_535);
const path = z.string().trim().min(1);

const listenSchema = (defaultPort: number) =>
  z
    .strictObject({ host: z.string().trim().min(1).default('127.0.0.1'), port: port.default(defaultPort) })
    .default({ host: '127.0.0.1', port: defaultPort });

const databaseSchema = z.strictObject({
  /** `postgres://…` (production) or `sqlite:<file>` (a small city or a trial). */
  url: z.string().regex(/^(postgres(ql)?:\/\/|sqlite:)/, 'postgres://… or sqlite:<file>'),
  /** A PostgreSQL schema of its own (default: the user's search path). */
  schema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .optional(),
  pool: z.coerce.number().int().min(1).max(200).default(10),
  statementTimeoutMs: z.coerce.number().int().min(100).max(600_000).default(30_000),
});

/** An application the hub's server hosts, running as its member through that member's node. */
const hostedAppSchema = z.strictObject({
  /** The member's node (its local API), e.g. https://10.0.0.4:9443. */
  nodeUrl: z.url({ protocol: /^https?$/ }),
  /** The node's local API token: a copy of the node's secrets/local-token. */
  localTokenFile: path,
  /** The member's API token at the hub, for ledger lookups. */
  hubTokenFile: path,
  /** The application's own database (default: an SQLite file under dataDir/apps). */
  database: databaseSchema.optional(),
});

const logLevelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info');

export const hubConfigSchema = z.strictObject({
  listen: listenSchema(8443),
  /** The address departments and browsers reach the hub at (nodes register under it; TLS names match it). */
  publicUrl: z.url({ protocol: /^https?$/ }),
  database: databaseSchema,
  /**
   * Certificate and key files (PEM); without them the hub serves plain HTTP, on loopback only. `ca`: the
   * city's CA, the only roots the nodes' certificates are checked against when the hub calls them.
   */
  tls: z.strictObject({ cert: path, key: path, ca: path.optional() }).optional(),
  secrets: z.strictObject({
    /** The log's Ed25519 signing seed (base64). */
    ledgerKeyFile: path,
    /** Under the 国密 suite, the seed of the log's SM2 key (its checkpoints' `hutong/sm2-sm3` line). */
    ledgerSm2KeyFile: path.optional(),
    /** The key of the subject hashes in audit events (HMAC). */
    citySecretFile: path,
  }),
  /** Networks (CIDR) departments' nodes may be registered in. */
  nodeNetworks: z.array(z.string().trim().min(1)).min(1).default(['127.0.0.0/8', '::1/128']),
  /** Files the hub keeps besides its database: the applications' signing keys and embedded databases. */
  dataDir: path.default('.'),
  /** The city's cryptographic suite: `gm` (国密) keys subject hashes with HMAC-SM3; every node must agree. */
  crypto: z.enum(['intl', 'gm']).default('intl'),
  /**
   * The city's applications on the hub's server: 一网通办 runs as 政务服务办 (zhengwu), 亩均论英雄 as 经信局
   * (jingxin); each only where its section is present.
   */
  apps: z.strictObject({ services: hostedAppSchema.optional(), evaluation: hostedAppSchema.optional() }).default({}),
  logLevel: logLevelSchema,
  retention: z
    .strictObject({
      /** Access records are kept at least three years (RULES.md §10). Log tiles are never deleted. */
      accessRecordsDays: z.coerce.number().int().min(1095).default(1095),
      /** Operating logs: 网络安全法 (2025 amendment) art. 23(3) asks at least six months. */
      operatingLogsDays: z.coerce.number().int().min(183).default(183),
    })
    .default({ accessRecordsDays: 1095, operatingLogsDays: 183 }),
});

export type HubConfig = z.infer<typeof hubConfigSchema>;
export type HostedAppConfig = z.infer<typeof hostedAppSchema>;

/** A department's node (前置机), written by `hutong init node`. */
export const nodeConfigSchema = z.strictObject({
  /** The department's member code at the hub. */
  member: z.string().regex(/^[a-z][a-z0-9_]{1,31}$/),
  hub: z.strictObject({ url: z.url({ protocol: /^https?$/ }) }),
  listen: listenSchema(9443),
  /** The address the hub and the other departments' nodes reach this node at (announced to the hub). */
  publicUrl: z.url({ protocol: /^https?$/ }),
  database: databaseSchema,
  /** HTTPS for this node; `ca`: the city's CA, the only roots the hub's and peers' certificates are checked against. */
  tls: z.strictObject({ cert: path, key: path, ca: path.optional() }).optional(),
  secrets: z.strictObject({
    /** The node's exchange signing key and its local API token. */
    identityFile: path,
    /** The key the node cosigns the hub's log with. */
    witnessKeyFile: path,
    /** Under `crypto: gm`: the seed of its SM2 cosigning key (the checkpoints' SM2 cosignature lines). */
    witnessSm2KeyFile: path.optional(),
    /** The member's API token at the hub (issued by the hub's administrator). */
    hubTokenFile: path,
    /** The city secret, the same file as the hub's (keyed subject hashes). */
    citySecretFile: path,
    /** Under `crypto: gm`: the 32-byte key people's data is sealed with at rest (base64). */
    dataKeyFile: path.optional(),
  }),
  /**
   * The city's cryptographic suite: `gm` (国密) keeps people's ID numbers, names and addresses sealed at
   * rest (SM4 + HMAC-SM3, key in secrets.dataKeyFile).
   */
  crypto: z.enum(['intl', 'gm']).default('intl'),
  /** Fail closed after this long without confirming agreements with the hub. */
  stalenessSeconds: z.coerce.number().int().min(10).max(86_400).default(600),
  logLevel: logLevelSchema,
});

export type NodeConfig = z.infer<typeof nodeConfigSchema>;

/** A configuration that cannot be used, with each problem under the key it concerns. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly file: string,
    readonly problems: readonly { key: string; message: string }[],
  ) {
    super(`${file}: ${problems.map((problem) => `${problem.key}: ${problem.message}`).join('; ')}`);
  }
}

/** `HUTONG_DATABASE_URL=…` → `{ database: { url: '…' } }`, for the keys the schema knows. */
function environmentOverrides(
  schema: z.ZodObject,
  environment: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  const visit = (shape: Record<string, z.ZodType>, at: string[]) => {
    for (const [key, schema] of Object.entries(shape)) {
      const keyPath = [...at, key];
      const inner = objectShape(schema);
      if (inner) {
        visit(inner, keyPath);
        continue;
      }
      const name = `HUTONG_${keyPath.map((part) => part.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()).join('_')}`;
      const value = environment[name];
      if (value === undefined) continue;
      let target = overrides;
      for (const part of keyPath.slice(0, -1)) {
        target[part] ??= {};
        target = target[part] as Record<string, unknown>;
      }
      // A list is written comma-separated (HUTONG_NODE_NETWORKS=10.0.0.0/8,192.168.0.0/16).
      target[key] = isList(schema) ? value.split(',').map((item) => item.trim()) : value;
    }
  };
  visit(schema.shape as Record<string, z.ZodType>, []);
  return overrides;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodDefault || current instanceof z.ZodOptional) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const inner = unwrap(schema);
  return inner instanceof z.ZodObject ? (inner.shape as Record<string, z.ZodType>) : undefined;
}

function isList(schema: z.ZodType): boolean {
  return unwrap(schema) instanceof z.ZodArray;
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = result[key];
    result[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object'
        ? merge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return result;
}

/** Reads a YAML file, overrides it from the environment, and checks it against `schema`. */
function loadConfig<Schema extends z.ZodObject>(
  file: string,
  schema: Schema,
  environment: Readonly<Record<string, string | undefined>>,
): { config: z.infer<Schema>; at(relative: string): string } {
  let parsed: unknown;
  try {
    parsed = parse(readFileSync(file, 'utf8')) ?? {};
  } catch (error) {
    throw new ConfigError(file, [{ key: '(file)', message: (error as Error).message.split('\n')[0] as string }]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(file, [{ key: '(file)', message: 'not a YAML mapping' }]);
  }
  const result = schema.safeParse(merge(parsed as Record<string, unknown>, environmentOverrides(schema, environment)));
  if (!result.success) {
    throw new ConfigError(
      file,
      result.error.issues.map((issue) => ({ key: issue.path.join('.') || '(file)', message: issue.message })),
    );
  }
  const here = dirname(resolve(file));
  return {
    config: result.data,
    at: (relative: string) => (isAbsolute(relative) ? relative : resolve(here, relative)),
  };
}

function resolvedDatabase(database: HubConfig['database'], at: (relative: string) => string): HubConfig['database'] {
  return database.url.startsWith('sqlite:')
    ? { ...database, url: `sqlite:${at(database.url.slice('sqlite:'.length))}` }
    : database;
}

function resolvedTls(
  tls: { cert: string; key: string; ca?: string | undefined } | undefined,
  at: (relative: string) => string,
) {
  return tls ? { cert: at(tls.cert), key: at(tls.key), ...(tls.ca ? { ca: at(tls.ca) } : {}) } : undefined;
}

/** Reads, overrides from the environment, checks and resolves a hub configuration file. */
export function loadHubConfig(file: string, environment: Readonly<Record<string, string | undefined>> = {}): HubConfig {
  const { config, at } = loadConfig(file, hubConfigSchema, environment);
  const app = (hosted: HostedAppConfig | undefined) =>
    hosted && {
      ...hosted,
      localTokenFile: at(hosted.localTokenFile),
      hubTokenFile: at(hosted.hubTokenFile),
      database: hosted.database && resolvedDatabase(hosted.database, at),
    };
  return {
    ...config,
    database: resolvedDatabase(config.database, at),
    tls: resolvedTls(config.tls, at),
    dataDir: at(config.dataDir),
    apps: { services: app(config.apps.services), evaluation: app(config.apps.evaluation) },
    secrets: {
      ledgerKeyFile: at(config.secrets.ledgerKeyFile),
      ...(config.secrets.ledgerSm2KeyFile ? { ledgerSm2KeyFile: at(config.secrets.ledgerSm2KeyFile) } : {}),
      citySecretFile: at(config.secrets.citySecretFile),
    },
  };
}

/** Reads, overrides from the environment, checks and resolves a node configuration file. */
export function loadNodeConfig(
  file: string,
  environment: Readonly<Record<string, string | undefined>> = {},
): NodeConfig {
  const { config, at } = loadConfig(file, nodeConfigSchema, environment);
  return {
    ...config,
    database: resolvedDatabase(config.database, at),
    tls: resolvedTls(config.tls, at),
    secrets: {
      identityFile: at(config.secrets.identityFile),
      witnessKeyFile: at(config.secrets.witnessKeyFile),
      witnessSm2KeyFile: config.secrets.witnessSm2KeyFile && at(config.secrets.witnessSm2KeyFile),
      hubTokenFile: at(config.secrets.hubTokenFile),
      citySecretFile: at(config.secrets.citySecretFile),
      dataKeyFile: config.secrets.dataKeyFile && at(config.secrets.dataKeyFile),
    },
  };
}
