/**
 * C2SP tlog-cosignature v1 (c2sp.org/tlog-cosignature), Ed25519 flavour, signature type 0x04.
 * Signature bytes = u64 big-endian timestamp || Ed25519 signature over
 * "cosignature/v1\ntime <timestamp>\n" || checkpoint note text. The timestamp comes from the caller
 * (the core has no clock).
 */
import { checkUint } from './bits';
import { base64Encode, concatBytes, readU64be, u32be, u64be, utf8 } from './bytes';
import type { Ed25519Signer, LedgerCrypto, Sha256 } from './crypto-port';
import { fail } from './errors';
import {
  computeKeyId,
  formatSignatureLine,
  formatVkey,
  isValidKeyName,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
  parseVkey,
  SIG_TYPE_COSIGNATURE_V1,
  type Vkey,
} from './note';

const HEADER = 'cosignature/v1\n';
const MAX_TIMESTAMP = 2n ** 63n - 1n;

/** The exact bytes a v1 cosigner signs for checkpoint note text `checkpointText` at `timestamp`. */
export function cosignedMessage(checkpointText: string, timestamp: number): Uint8Array {
  checkUint(timestamp, 'timestamp');
  return utf8(`${HEADER}time ${timestamp}\n${checkpointText}`);
}

/**
 * Reads the timestamp of a cosignature (signature bytes after the key ID). Returns a bigint because the
 * wire allows values up to 2^63-1; callers compare it with their clock.
 */
export function cosignatureTimestamp(signature: Uint8Array): bigint {
  if (signature.length !== 8 + 64) fail('BAD_COSIGNATURE', 'Ed25519 cosignature must be 72 bytes');
  const ts = readU64be(signature, 0);
  if (ts > MAX_TIMESTAMP) fail('BAD_COSIGNATURE', 'cosignature timestamp exceeds 2^63-1');
  return ts;
}

/** A note verifier for a witness's type-0x04 vkey; plug it into openNote together with the log's verifier. */
export function cosignatureVerifier(c: LedgerCrypto, vkey: string | Vkey): NoteVerifier {
  const k = typeof vkey === 'string' ? parseVkey(c, vkey) : vkey;
  if (k.type !== SIG_TYPE_COSIGNATURE_V1) fail('BAD_VKEY', 'not a cosignature/v1 (type 0x04) vkey');
  const publicKey = k.publicKey;
  return {
    name: k.name,
    keyId: k.keyId,
    verify: (text, signature) => {
      if (signature.length !== 72) return false;
      const ts = readU64be(signature, 0);
      if (ts > MAX_TIMESTAMP || ts > BigInt(Number.MAX_SAFE_INTEGER)) return false;
      const message = concatBytes(utf8(`${HEADER}time ${ts}\n`), text);
      return c.ed25519Verify(publicKey, message, signature.subarray(8));
    },
  };
}

/** Signs checkpoint text as witness `name`, stamping it with `timestamp` (POSIX seconds). */
export function cosign(
  c: Sha256,
  name: string,
  signer: Ed25519Signer,
  checkpointText: string,
  timestamp: number,
): NoteSignature & { timestamp: number; line: string } {
  if (!isValidKeyName(name)) fail('BAD_KEY_NAME', 'witness name must be non-empty without spaces or "+"');
  const sig = signer.sign(cosignedMessage(checkpointText, timestamp));
  const signature = concatBytes(u64be(timestamp), sig);
  const keyId = computeKeyId(c, name, SIG_TYPE_COSIGNATURE_V1, signer.publicKey);
  const base64 = base64Encode(concatBytes(u32be(keyId), signature));
  return { name, keyId, signature, base64, timestamp, line: formatSignatureLine({ name, keyId, signature }) };
}

/**
 * A NoteSigner whose signatures are cosignatures stamped by `now()`; lets signNote() produce a
 * cosigned checkpoint directly. The clock is injected so the core stays clock-free.
 */
export function cosignatureNoteSigner(c: Sha256, name: string, signer: Ed25519Signer, now: () => number): NoteSigner {
  if (!isValidKeyName(name)) fail('BAD_KEY_NAME', 'witness name must be non-empty without spaces or "+"');
  const keyId = computeKeyId(c, name, SIG_TYPE_COSIGNATURE_V1, signer.publicKey);
  return {
    name,
    keyId,
    sign: (text) => {
      const ts = now();
      checkUint(ts, 'timestamp');
      return concatBytes(u64be(ts), signer.sign(concatBytes(utf8(`${HEADER}time ${ts}\n`), text)));
    },
  };
}

export function cosignatureVkey(c: Sha256, name: string, publicKey: Uint8Array): string {
  return formatVkey(name, SIG_TYPE_COSIGNATURE_V1, publicKey, c);
}
