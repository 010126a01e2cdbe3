/**
 * A production hub's configuration file (YAML, written by `hutong init hub`), checked at start with zod so
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

export const hubConfigSchema = z.strictObject({
  listen: z
    .strictObject({ host: z.string().trim().min(1).default('127.0.0.1'), port: port.default(8443) })
    .default({ host: '127.0.0.1', port: 8443 }),
  /** The address departments and browsers reach the hub at (nodes register under it; TLS names match it). */
  publicUrl: z.url({ protocol: /^https?$/ }),
  database: z.strictObject({
    /** `postgres://…` (production) or `sqlite:<file>` (a small city or a trial). */
    url: z.string().regex(/^(postgres(ql)?:\/\/|sqlite:)/, 'postgres://… or sqlite:<file>'),
    /** A PostgreSQL schema of its own (default: the user's search path). */
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/)
      .optional(),
    pool: z.coerce.number().int().min(1).max(200).default(10),
    statementTimeoutMs: z.coerce.number().int().min(100).max(600_000).default(30_000),
  }),
  /** Certificate and key files (PEM); without them the hub serves plain HTTP, on loopback only. */
  tls: z.strictObject({ cert: path, key: path }).optional(),
  secrets: z.strictObject({
    /** The log's Ed25519 signing seed (base64). */
    ledgerKeyFile: path,
    /** The key of the subject hashes in audit events (HMAC). */
    citySecretFile: path,
  }),
  /** Networks (CIDR) departments' nodes may be registered in. */
  nodeNetworks: z.array(z.string().trim().min(1)).min(1).default(['127.0.0.0/8', '::1/128']),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  retention: z
    .strictObject({
      /** Access records are kept at least three years (RULES.md §9). Log tiles are never deleted. */
      accessRecordsDays: z.coerce.number().int().min(1095).default(1095),
      /** Operating logs: 网络安全法 art. 21 asks at least six months. */
      operatingLogsDays: z.coerce.number().int().min(183).default(183),
    })
    .default({ accessRecordsDays: 1095, operatingLogsDays: 183 }),
});

export type HubConfig = z.infer<typeof hubConfigSchema>;

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
function environmentOverrides(environment: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
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
  visit(hubConfigSchema.shape as Record<string, z.ZodType>, []);
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

/** Reads, overrides from the environment, checks and resolves a hub configuration file. */
export function loadHubConfig(file: string, environment: Readonly<Record<string, string | undefined>> = {}): HubConfig {
  let parsed: unknown;
  try {
    parsed = parse(readFileSync(file, 'utf8')) ?? {};
  } catch (error) {
    throw new ConfigError(file, [{ key: '(file)', message: (error as Error).message.split('\n')[0] as string }]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(file, [{ key: '(file)', message: 'not a YAML mapping' }]);
  }
  const result = hubConfigSchema.safeParse(merge(parsed as Record<string, unknown>, environmentOverrides(environment)));
  if (!result.success) {
    throw new ConfigError(
      file,
      result.error.issues.map((issue) => ({ key: issue.path.join('.') || '(file)', message: issue.message })),
    );
  }
  const config = result.data;
  const here = dirname(resolve(file));
  const at = (relative: string) => (isAbsolute(relative) ? relative : resolve(here, relative));
  return {
    ...config,
    database: {
      ...config.database,
      url: config.database.url.startsWith('sqlite:')
        ? `sqlite:${at(config.database.url.slice('sqlite:'.length))}`
        : config.database.url,
    },
    tls: config.tls ? { cert: at(config.tls.cert), key: at(config.tls.key) } : undefined,
    secrets: { ledgerKeyFile: at(config.secrets.ledgerKeyFile), citySecretFile: at(config.secrets.citySecretFile) },
  };
}
