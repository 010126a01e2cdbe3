/**
 * The 国密 suite's extra checkpoint signatures: SM2 (GB/T 32918.2, SM3, default user ID `1234567812345678`)
 * as signed-note lines of signature type 0xff — c2sp.org/signed-note §Signature types reserves it for types
 * without an assigned byte, "followed by a longer identifier". Two identifiers are hutong's own:
 *
 * - `hutong/sm2-sm3`: the log's SM2 signature over the note text; the line's bytes are key ID ‖ r ‖ s.
 * - `hutong/sm2-sm3-cosignature/v1`: a witness's SM2 cosignature over exactly the message of
 *   c2sp.org/tlog-cosignature (`cosignature/v1\ntime <t>\n` ‖ checkpoint text); bytes key ID ‖ u64 t ‖ r ‖ s.
 *
 * key ID = SHA-256(key name ‖ 0x0A ‖ 0xff ‖ identifier ‖ 65-byte uncompressed SM2 key)[:4], and a vkey is
 * `<name>+<hex key ID>+base64(0xff ‖ identifier ‖ key)` — the signed-note rule with the identifier as part
 * of the type. C2SP verifiers never hold such a key, so they skip these lines as unknown (§Verification).
 */
import { checkUint } from './bits';
import { base64Encode, bytesEqual, concatBytes, hexEncode, readU64be, u32be, u64be, utf8 } from './bytes';
import type { LedgerCrypto, Sha256 } from './crypto-port';
import { fail } from './errors';
import {
  computeKeyId,
  formatSignatureLine,
  isValidKeyName,
  type NoteSigner,
  type NoteVerifier,
  splitVkey,
  type Vkey,
} from './note';

/** c2sp.org/signed-note: the type byte for signature types without an assigned identifier byte. */
export const SIG_TYPE_EXTENDED = 0xff;
export const SM2_NOTE_IDENTIFIER = 'hutong/sm2-sm3';
export const SM2_COSIGNATURE_IDENTIFIER = 'hutong/sm2-sm3-cosignature/v1';
export type Sm2SignatureKind = typeof SM2_NOTE_IDENTIFIER | typeof SM2_COSIGNATURE_IDENTIFIER;

const SM2_KEY_LENGTH = 65;
const COSIGNATURE_HEADER = 'cosignature/v1\n';
const MAX_TIMESTAMP = 2n ** 63n - 1n;

/** A private SM2 key held outside the core: signs with SM3 and the default user ID, 64-byte r‖s. */
export interface Sm2Signer {
  /** Uncompressed public point, 65 bytes. */
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** An SM2 vkey: `type` is 0xff and `kind` names which of hutong's identifiers follows it. */
export interface Sm2Vkey extends Vkey {
  readonly kind: Sm2SignatureKind;
}

function keyMaterial(kind: Sm2SignatureKind, publicKey: Uint8Array): Uint8Array {
  return concatBytes(utf8(kind), publicKey);
}

function checkSm2Key(publicKey: Uint8Array): void {
  if (publicKey.length !== SM2_KEY_LENGTH || publicKey[0] !== 0x04) {
    fail('BAD_VKEY', 'SM2 public key must be 65 bytes, uncompressed (0x04 first)');
  }
}

export function sm2KeyId(c: Sha256, name: string, kind: Sm2SignatureKind, publicKey: Uint8Array): number {
  return computeKeyId(c, name, SIG_TYPE_EXTENDED, keyMaterial(kind, publicKey));
}

export function formatSm2Vkey(c: Sha256, name: string, kind: Sm2SignatureKind, publicKey: Uint8Array): string {
  if (!isValidKeyName(name)) fail('BAD_KEY_NAME', 'key name must be non-empty without spaces or "+"');
  checkSm2Key(publicKey);
  const keyId = hexEncode(u32be(sm2KeyId(c, name, kind, publicKey)));
  return `${name}+${keyId}+${base64Encode(concatBytes(Uint8Array.of(SIG_TYPE_EXTENDED), keyMaterial(kind, publicKey)))}`;
}

/** True when a vkey's key material starts with the extended type byte (a caller then uses parseSm2Vkey). */
export function isExtendedVkey(vkey: string): boolean {
  try {
    return splitVkey(vkey).key[0] === SIG_TYPE_EXTENDED;
  } catch {
    return false;
  }
}

/** Parses an SM2 vkey of one of hutong's identifiers, checking its key ID against the key (attacker input). */
export function parseSm2Vkey(c: Sha256, vkey: string): Sm2Vkey {
  const { name, keyId, key } = splitVkey(vkey);
  if (key[0] !== SIG_TYPE_EXTENDED) fail('BAD_VKEY', 'not an extended-type (0xff) vkey');
  const kind = [SM2_COSIGNATURE_IDENTIFIER, SM2_NOTE_IDENTIFIER].find(
    (candidate) =>
      key.length === 1 + candidate.length + SM2_KEY_LENGTH &&
      bytesEqual(key.subarray(1, 1 + candidate.length), utf8(candidate)),
  ) as Sm2SignatureKind | undefined;
  if (!kind) fail('BAD_VKEY', 'unsupported extended signature type');
  const publicKey = key.slice(1 + kind.length);
  checkSm2Key(publicKey);
  if (sm2KeyId(c, name, kind, publicKey) !== keyId) fail('BAD_VKEY', 'vkey key ID does not match the key');
  return { name, keyId, type: SIG_TYPE_EXTENDED, kind, publicKey };
}

function requireSm2(c: LedgerCrypto): NonNullable<LedgerCrypto['sm2Verify']> {
  return c.sm2Verify ?? fail('BAD_VKEY', 'this verifier cannot check SM2 (no LedgerCrypto.sm2Verify)');
}

/** Checks the log's `hutong/sm2-sm3` line. */
export function sm2NoteVerifier(c: LedgerCrypto, vkey: string | Sm2Vkey): NoteVerifier {
  const key = typeof vkey === 'string' ? parseSm2Vkey(c, vkey) : vkey;
  if (key.kind !== SM2_NOTE_IDENTIFIER) fail('BAD_VKEY', `not a ${SM2_NOTE_IDENTIFIER} vkey`);
  const verify = requireSm2(c);
  return {
    name: key.name,
    keyId: key.keyId,
    verify: (text, signature) => signature.length === 64 && verify(key.publicKey, text, signature),
  };
}

export function sm2NoteSigner(c: Sha256, name: string, signer: Sm2Signer): NoteSigner {
  if (!isValidKeyName(name)) fail('BAD_KEY_NAME', 'key name must be non-empty without spaces or "+"');
  return { name, keyId: sm2KeyId(c, name, SM2_NOTE_IDENTIFIER, signer.publicKey), sign: (text) => signer.sign(text) };
}

/** Checks a witness's `hutong/sm2-sm3-cosignature/v1` line (the tlog-cosignature message, SM2-signed). */
export function sm2CosignatureVerifier(c: LedgerCrypto, vkey: string | Sm2Vkey): NoteVerifier {
  const key = typeof vkey === 'string' ? parseSm2Vkey(c, vkey) : vkey;
  if (key.kind !== SM2_COSIGNATURE_IDENTIFIER) fail('BAD_VKEY', `not a ${SM2_COSIGNATURE_IDENTIFIER} vkey`);
  const verify = requireSm2(c);
  return {
    name: key.name,
    keyId: key.keyId,
    verify: (text, signature) => {
      if (signature.length !== 8 + 64) return false;
      const timestamp = readU64be(signature, 0);
      if (timestamp > MAX_TIMESTAMP || timestamp > BigInt(Number.MAX_SAFE_INTEGER)) return false;
      const message = concatBytes(utf8(`${COSIGNATURE_HEADER}time ${timestamp}\n`), text);
      return verify(key.publicKey, message, signature.subarray(8));
    },
  };
}

/** A witness's SM2 cosignature line over `checkpointText` at `timestamp` (POSIX seconds). */
export function sm2Cosign(
  c: Sha256,
  name: string,
  signer: Sm2Signer,
  checkpointText: string,
  timestamp: number,
): string {
  if (!isValidKeyName(name)) fail('BAD_KEY_NAME', 'witness name must be non-empty without spaces or "+"');
  checkUint(timestamp, 'timestamp');
  const signature = signer.sign(utf8(`${COSIGNATURE_HEADER}time ${timestamp}\n${checkpointText}`));
  const keyId = sm2KeyId(c, name, SM2_COSIGNATURE_IDENTIFIER, signer.publicKey);
  return formatSignatureLine({ name, keyId, signature: concatBytes(u64be(timestamp), signature) });
}
