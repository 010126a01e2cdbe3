/**
 * node:crypto implementation of the ledger core's crypto ports (SHA-256, Ed25519; SM2 seals of a 国密 city
 * through ./gm/sm2).
 * Keys cross the port as raw 32-byte RFC 8032 values; node wants DER, so fixed SPKI/PKCS#8 prefixes wrap them.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import type { Ed25519Signer, LedgerCrypto } from '../../core/ledger/crypto-port';
import { sm2VerifierFor } from './gm/sm2';

// RFC 8410 §4: SubjectPublicKeyInfo and PrivateKeyInfo headers for id-Ed25519 (1.3.101.112).
const ED25519_SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
const ED25519_PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

function withPrefix(prefix: Uint8Array, raw: Uint8Array): Buffer {
  return Buffer.concat([prefix, raw]);
}

function publicKeyObject(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: withPrefix(ED25519_SPKI_PREFIX, raw), format: 'der', type: 'spki' });
}

function toBytes(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export const nodeLedgerCrypto: LedgerCrypto = {
  sha256: (data) => toBytes(createHash('sha256').update(data).digest()),
  ed25519Verify: (publicKey, message, signature) => {
    // The port promises false, not an exception, for malformed attacker-supplied keys and signatures.
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    try {
      return verify(null, message, publicKeyObject(publicKey), signature);
    } catch {
      return false;
    }
  },
  sm2Verify: (publicKey, message, signature) => sm2Verifier(publicKey)(message, signature),
};

// A city has a few dozen node keys; each verifier's precomputed multiples make it ≈ 6 × faster than a bare one.
const sm2Verifiers = new Map<string, (message: Uint8Array, signature: Uint8Array) => boolean>();
function sm2Verifier(publicKey: Uint8Array) {
  const id = Buffer.from(publicKey).toString('base64');
  let verifier = sm2Verifiers.get(id);
  if (!verifier) {
    if (sm2Verifiers.size >= 256) sm2Verifiers.clear();
    verifier = sm2VerifierFor(publicKey);
    sm2Verifiers.set(id, verifier);
  }
  return verifier;
}

/** An Ed25519 signer from a raw 32-byte RFC 8032 seed (the private key form used by Go's note package). */
export function ed25519SignerFromSeed(seed: Uint8Array): Ed25519Signer {
  if (seed.length !== 32) throw new Error('Ed25519 seed must be 32 bytes');
  const key = createPrivateKey({ key: withPrefix(ED25519_PKCS8_PREFIX, seed), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(spki.subarray(ED25519_SPKI_PREFIX.length));
  return {
    publicKey,
    sign: (message) => toBytes(sign(null, message, key)),
  };
}
