/**
 * A node's identity: its key pair — Ed25519, or SM2 under the 国密 suite — and its local API token, created
 * at first start and kept beside its store (mode 0600). The private key never leaves the node.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { NodeKeyAlgorithm } from '../../core/members/member';

export interface NodeIdentity {
  algorithm: NodeKeyAlgorithm;
  privateKey: KeyObject;
  /** The private key as PKCS#8 DER (what an SM2 signer is built from). */
  privateKeyPkcs8: Buffer;
  publicKey: KeyObject;
  /** Raw public key, base64 (32 bytes Ed25519, 65 bytes uncompressed SM2): the form registered at the hub. */
  publicKeyRaw: string;
  /** Token the member's own systems use on the node's local API. */
  localToken: string;
}

interface StoredIdentity {
  /** Absent in identities written before the 国密 suite existed: Ed25519. */
  algorithm?: NodeKeyAlgorithm;
  privateKeyPkcs8: string;
  localToken: string;
}

const rawPublicKeyLength: Record<NodeKeyAlgorithm, number> = { ed25519: 32, sm2: 65 };

function newPrivateKey(algorithm: NodeKeyAlgorithm): string {
  // OpenSSL's SM2 key is an EC key on the SM2 curve (GB/T 32918.5); its PKCS#8 is what `openssl genpkey` writes.
  const { privateKey } =
    algorithm === 'sm2' ? generateKeyPairSync('ec', { namedCurve: 'SM2' }) : generateKeyPairSync('ed25519');
  return privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
}

/**
 * Writes `file` with a new key pair (of `algorithm`, by default the current one's) and the same local token,
 * beside the current one (`<file>.next`, 0600); `commit()` puts it in place (an atomic rename) once the hub has
 * registered its public key, `abandon()` removes it.
 */
export function prepareReplacementIdentity(
  file: string,
  current: NodeIdentity,
  algorithm: NodeKeyAlgorithm = current.algorithm,
): { identity: NodeIdentity; commit(): void; abandon(): void } {
  const next = `${file}.next`;
  const stored: StoredIdentity = {
    algorithm,
    privateKeyPkcs8: newPrivateKey(algorithm),
    localToken: current.localToken,
  };
  rmSync(next, { force: true });
  writeFileSync(next, `${JSON.stringify(stored)}\n`, { mode: 0o600, flag: 'wx' });
  return {
    identity: identityOf(stored),
    commit: () => renameSync(next, file),
    abandon: () => rmSync(next, { force: true }),
  };
}

function identityOf(stored: StoredIdentity): NodeIdentity {
  const algorithm = stored.algorithm ?? 'ed25519';
  const privateKeyPkcs8 = Buffer.from(stored.privateKeyPkcs8, 'base64');
  const privateKey = createPrivateKey({ key: privateKeyPkcs8, format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  const publicKeyRaw = publicKey
    .export({ format: 'der', type: 'spki' })
    .subarray(-rawPublicKeyLength[algorithm])
    .toString('base64');
  return { algorithm, privateKey, privateKeyPkcs8, publicKey, publicKeyRaw, localToken: stored.localToken };
}

/**
 * The identity in `file`, or a new one of `algorithm` written there. An existing identity keeps its own
 * algorithm: a node moves to another suite's key by `hutong rotate-key`, which registers it at the hub first.
 */
export function loadOrCreateIdentity(file: string, algorithm: NodeKeyAlgorithm = 'ed25519'): NodeIdentity {
  let stored: StoredIdentity;
  if (existsSync(file)) {
    stored = JSON.parse(readFileSync(file, 'utf8')) as StoredIdentity;
  } else {
    stored = {
      algorithm,
      privateKeyPkcs8: newPrivateKey(algorithm),
      localToken: `hnl_${randomBytes(24).toString('base64url')}`,
    };
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${JSON.stringify(stored)}\n`, { mode: 0o600 });
  }
  return identityOf(stored);
}
