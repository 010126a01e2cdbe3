/**
 * A node's identity: its Ed25519 key pair and its local API token, created at first start and kept
 * beside its store (mode 0600). The private key never leaves the node.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface NodeIdentity {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Raw 32-byte public key, base64: the form registered at the hub. */
  publicKeyRaw: string;
  /** Token the member's own systems use on the node's local API. */
  localToken: string;
}

interface StoredIdentity {
  privateKeyPkcs8: string;
  localToken: string;
}

/**
 * Writes `file` with a new key pair and the same local token, beside the current one (`<file>.next`, 0600);
 * `commit()` puts it in place (an atomic rename) once the hub has registered its public key, `abandon()`
 * removes it.
 */
export function prepareReplacementIdentity(
  file: string,
  current: NodeIdentity,
): { identity: NodeIdentity; commit(): void; abandon(): void } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const next = `${file}.next`;
  const stored: StoredIdentity = {
    privateKeyPkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
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
  const privateKey = createPrivateKey({
    key: Buffer.from(stored.privateKeyPkcs8, 'base64'),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  const publicKeyRaw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64');
  return { privateKey, publicKey, publicKeyRaw, localToken: stored.localToken };
}

export function loadOrCreateIdentity(file: string): NodeIdentity {
  let stored: StoredIdentity;
  if (existsSync(file)) {
    stored = JSON.parse(readFileSync(file, 'utf8')) as StoredIdentity;
  } else {
    const { privateKey } = generateKeyPairSync('ed25519');
    stored = {
      privateKeyPkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      localToken: `hnl_${randomBytes(24).toString('base64url')}`,
    };
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${JSON.stringify(stored)}\n`, { mode: 0o600 });
  }
  return identityOf(stored);
}
