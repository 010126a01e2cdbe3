/**
 * A department's node (前置机) as a city installs it: `initNode` writes its configuration and keys (0600)
 * and says which two files come from the hub (the member's API token, the city secret); `runNode` serves it
 * from that configuration — HTTPS beyond loopback, the hub and the other nodes checked against the city's CA.
 */
import { RESOURCES } from '../datasets/schema';
import { isSealable, resealTable } from '../datasets/sealing';
import { SEQ_COLUMN, tableExists } from '../datasets/store';
import { openDatabase } from '../platform/db/open';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { demoPublications } from '../demo/publications';
import { loadOrCreateSeed } from '../platform/crypto/seed-file';
import { createLogger } from '../platform/log/logger';
import { Agent } from 'undici';
import { HttpHubDirectory } from '../node/exchange/hub-directory-client';
import { loadOrCreateIdentity, prepareReplacementIdentity } from '../node/store/node-keys';
import type { PersonalDataSealer } from '../core/ports/personal-data';
import { ConfigError, type NodeConfig } from './config';
import { cryptoSuite, nodeMessageSigner } from './crypto-suite';
import { newestNodeKey } from '../core/members/member';
import { type RunningNode, startNode } from './node';
import { ConfigExists, databaseOptions, isLoopback, readConfigured, TlsRequired } from './production-hub';

export interface InitNodeOptions {
  dir: string;
  member: string;
  hubUrl: string;
  /** The city's cryptographic suite (default intl); `gm` also writes the key people's data is sealed with. */
  crypto?: 'intl' | 'gm' | undefined;
  database?: string | undefined;
  schema?: string | undefined;
  publicUrl?: string | undefined;
  /** Files to copy in now (else the operator puts them at the paths `initNode` names). */
  hubTokenFile?: string | undefined;
  citySecretFile?: string | undefined;
}

export interface InitializedNode {
  configFile: string;
  /** What is still missing before `hutong node --config` can run, as the paths to fill. */
  missing: { hubToken?: string; citySecret?: string };
}

function configText(
  options: Required<Pick<InitNodeOptions, 'member' | 'hubUrl'>> & {
    publicUrl: string;
    database: string;
    schema: string | undefined;
    crypto: 'intl' | 'gm';
  },
): string {
  return `# hutong node (前置机) configuration of ${options.member} (written by \`hutong init node\`). Every key can be
# overridden by an environment variable: HUTONG_ and the key's path in upper snake case.
# Secrets are files (mode 0600) named here; relative paths are relative to this file.

member: ${options.member}

hub:
  url: ${options.hubUrl}

# Where the node listens, and the address the hub and the other nodes reach it at.
listen:
  host: 127.0.0.1
  port: 9443
publicUrl: ${options.publicUrl}

# The department's own data and the node's audit trail. PostgreSQL for a large department.
database:
  url: ${options.database}
${options.schema ? `  schema: ${options.schema}\n` : ''}  pool: 10
  statementTimeoutMs: 30000

# HTTPS (reloaded on SIGHUP); ca: the city's CA, the only roots the hub's and the nodes' certificates are
# checked against.
# tls:
#   cert: tls/node.crt
#   key: tls/node.key
#   ca: tls/city-ca.crt

secrets:
  identityFile: secrets/identity.json
  witnessKeyFile: secrets/witness-key
${options.crypto === 'gm' ? '  witnessSm2KeyFile: secrets/witness-key-sm2\n' : ''}  # Issued by the hub's administrator for this member (POST /api/v1/members/${options.member}/tokens).
  hubTokenFile: secrets/hub-token
  # A copy of the hub's secrets/city-secret.
  citySecretFile: secrets/city-secret
${options.crypto === 'gm' ? "  # The key ID numbers, names and addresses are sealed with at rest (SM4 + HMAC-SM3). Back it up:\n  # without it the department's people's data cannot be read.\n  dataKeyFile: secrets/data-key\n" : ''}
# The city's cryptographic suite: intl (Ed25519, SHA-256) or gm (国密: SM2, SM3, SM4).
crypto: ${options.crypto}

# Refuse requests after this long without confirming agreements with the hub (fail closed).
stalenessSeconds: 600
logLevel: info
`;
}

export function initNode(options: InitNodeOptions): InitializedNode {
  const dir = resolve(options.dir);
  const configFile = join(dir, 'node.yaml');
  if (existsSync(configFile)) throw new ConfigExists(configFile);
  const secrets = join(dir, 'secrets');
  mkdirSync(secrets, { recursive: true, mode: 0o700 });
  writeFileSync(
    configFile,
    configText({
      member: options.member,
      hubUrl: options.hubUrl,
      publicUrl: options.publicUrl ?? 'https://127.0.0.1:9443',
      database: options.database ?? 'sqlite:node.sqlite',
      schema: options.schema,
      crypto: options.crypto ?? 'intl',
    }),
    { mode: 0o600, flag: 'wx' },
  );
  const identity = loadOrCreateIdentity(join(secrets, 'identity.json'), cryptoSuite(options.crypto).nodeKeyAlgorithm);
  // The member's own systems (the hub's hosted application, for 政务服务办 and 经信局) call the local API
  // with this token; a file of its own, so copying it never copies the node's signing key.
  writeFileSync(join(secrets, 'local-token'), `${identity.localToken}\n`, { mode: 0o600, flag: 'wx' });
  loadOrCreateSeed(join(secrets, 'witness-key'));
  if (options.crypto === 'gm') loadOrCreateSeed(join(secrets, 'witness-key-sm2'));
  if (options.crypto === 'gm') loadOrCreateSeed(join(secrets, 'data-key'));
  const missing: InitializedNode['missing'] = {};
  for (const [given, name, key] of [
    [options.hubTokenFile, 'hub-token', 'hubToken'],
    [options.citySecretFile, 'city-secret', 'citySecret'],
  ] as const) {
    const target = join(secrets, name);
    if (given) {
      copyFileSync(given, target);
      writeFileSync(target, readFileSync(target), { mode: 0o600 });
    } else missing[key] = target;
  }
  return { configFile, missing };
}

/** The node's key is not the one the hub holds as its member's current key: rotation would be refused. */
export class KeyNotCurrent extends Error {
  readonly code = 'KEY_NOT_CURRENT';
  constructor(member: string) {
    super(
      `${member}: this node's key is not the member's current key at the hub (replaced already, or never registered: start the node once)`,
    );
  }
}

/**
 * Replaces the node's signing key (run with the node stopped): a new Ed25519 key is written beside the
 * current one, registered at the hub under a signature by the current key, and only then put in place. The
 * old public key stays at the hub, so records sealed with it still verify; the next start signs with the
 * new one. The local API token is kept.
 */
export async function rotateNodeKey(config: NodeConfig): Promise<{ keyId: string; previousKeyId: string }> {
  const read = (key: string, file: string) => readConfigured(key, file).toString('utf8').trim();
  readConfigured('secrets.identityFile', config.secrets.identityFile);
  const current = loadOrCreateIdentity(config.secrets.identityFile);
  const hubToken = read('secrets.hubTokenFile', config.secrets.hubTokenFile);
  const trust = config.tls?.ca ? new Agent({ connect: { ca: [readConfigured('tls.ca', config.tls.ca)] } }) : undefined;
  try {
    const unsigned = new HttpHubDirectory(config.hub.url, hubToken, undefined, 10_000, 10_000, trust);
    const member = (await unsigned.members()).find((candidate) => candidate.code === config.member);
    const registered = member ? newestNodeKey(member) : undefined;
    if (!registered || registered.publicKey !== current.publicKeyRaw) throw new KeyNotCurrent(config.member);
    // Under the 国密 suite the new key is SM2, whatever the old one was (a city moving from intl to gm).
    const replacement = prepareReplacementIdentity(
      config.secrets.identityFile,
      current,
      cryptoSuite(config.crypto).nodeKeyAlgorithm,
    );
    const signer = {
      key: nodeMessageSigner(current, () => `${config.member}:${registered.id}`),
      algorithm: current.algorithm,
      now: () => new Date(),
    };
    const directory = new HttpHubDirectory(config.hub.url, hubToken, signer, 10_000, 10_000, trust);
    let keyId: string;
    try {
      keyId = await directory.replaceNodeKey(
        config.member,
        replacement.identity.publicKeyRaw,
        replacement.identity.algorithm,
      );
    } catch (error) {
      replacement.abandon();
      throw error;
    }
    // Registered: from here the new key is the member's, so its file must not be lost (`.next` stays if
    // the rename fails, for the operator to move into place).
    replacement.commit();
    return { keyId: `${config.member}:${keyId}`, previousKeyId: `${config.member}:${registered.id}` };
  } finally {
    await trust?.close();
  }
}

/** Under the 国密 suite, what seals the department's people's data at rest (its key from secrets.dataKeyFile). */
export function personalDataSealerOf(config: NodeConfig): PersonalDataSealer | undefined {
  const sealerFrom = cryptoSuite(config.crypto).personalDataSealer;
  if (!sealerFrom) return undefined;
  if (!config.secrets.dataKeyFile) {
    throw new ConfigError('node configuration', [
      { key: 'secrets.dataKeyFile', message: 'required with crypto: gm (the key people’s data is sealed with)' },
    ]);
  }
  readConfigured('secrets.dataKeyFile', config.secrets.dataKeyFile);
  return sealerFrom(loadOrCreateSeed(config.secrets.dataKeyFile));
}

/** A data-key rotation left its new key behind (a crash between re-sealing and putting the key in place). */
export class DataKeyPending extends Error {
  readonly code = 'DATA_KEY_PENDING';
  constructor(readonly file: string) {
    super(
      `${file} exists: an earlier rotation stopped before putting it in place. If that rotation committed, the data is sealed under it: move it over the data key; otherwise delete it. Then run again.`,
    );
  }
}

/**
 * Replaces the key the department's people's data is sealed with (run with the node stopped): a new key is
 * written beside the current one, every sealed table of this member is re-sealed under it in one transaction,
 * and only then is the new key put in place.
 */
export async function rotateDataKey(config: NodeConfig): Promise<Record<string, number>> {
  const current = personalDataSealerOf(config);
  const sealerFrom = cryptoSuite(config.crypto).personalDataSealer;
  const file = config.secrets.dataKeyFile;
  if (!current || !sealerFrom || !file) {
    throw new ConfigError('node configuration', [{ key: 'crypto', message: 'data keys exist only under crypto: gm' }]);
  }
  const next = `${file}.next`;
  if (existsSync(next)) throw new DataKeyPending(next);
  writeFileSync(next, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  const rotated = sealerFrom(loadOrCreateSeed(next));
  const db = openDatabase(databaseOptions(config.database));
  let resealed: Record<string, number>;
  try {
    resealed = await db.transaction().execute(async (trx) => {
      const counts: Record<string, number> = {};
      for (const resource of RESOURCES.filter((r) => r.provider === config.member && isSealable(r))) {
        if (await tableExists(trx, resource)) {
          counts[resource.code] = await resealTable(trx, resource, current, rotated, SEQ_COLUMN);
        }
      }
      return counts;
    });
  } catch (error) {
    rmSync(next, { force: true });
    throw error;
  } finally {
    await db.destroy();
  }
  renameSync(next, file);
  return resealed;
}

/** Serves a node from its configuration. */
export async function runNode(
  config: NodeConfig,
  options: { insecure?: boolean; logger?: Logger } = {},
): Promise<RunningNode> {
  if (!config.tls && !isLoopback(config.listen.host) && !options.insecure) throw new TlsRequired(config.listen.host);
  const read = (key: string, file: string) => readConfigured(key, file).toString('utf8').trim();
  // Read before anything starts: a missing file is named by its key, not found halfway through.
  if (config.tls) {
    readConfigured('tls.cert', config.tls.cert);
    readConfigured('tls.key', config.tls.key);
  }
  return startNode({
    memberCode: config.member,
    dataDir: dirname(config.secrets.identityFile),
    hubUrl: config.hub.url,
    hubToken: read('secrets.hubTokenFile', config.secrets.hubTokenFile),
    citySecret: read('secrets.citySecretFile', config.secrets.citySecretFile),
    host: config.listen.host,
    port: config.listen.port,
    publicUrl: config.publicUrl,
    database: databaseOptions(config.database),
    identityFile: config.secrets.identityFile,
    witnessKeyFile: config.secrets.witnessKeyFile,
    // A gm configuration written without the key (before it existed) gets it beside the witness key.
    witnessSm2KeyFile:
      config.secrets.witnessSm2KeyFile ?? join(dirname(config.secrets.witnessKeyFile), 'witness-key-sm2'),
    tls: config.tls ? { cert: config.tls.cert, key: config.tls.key } : undefined,
    ca: config.tls?.ca ? [readConfigured('tls.ca', config.tls.ca)] : undefined,
    // The computations hutong ships for the city's departments (亩均, 一网通办); a department's own follow.
    publications: demoPublications(config.member),
    personalData: personalDataSealerOf(config),
    crypto: config.crypto,
    stalenessLimitMs: config.stalenessSeconds * 1000,
    logger: options.logger ?? createLogger({ level: config.logLevel }),
  });
}
