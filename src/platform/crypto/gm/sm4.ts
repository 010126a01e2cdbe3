/**
 * SM4 (GB/T 32907-2016) for data at rest: SM4-CBC with a random IV, then HMAC-SM3 over what was encrypted
 * (encrypt-then-MAC, ISO/IEC 19772 scheme 5 / GB/T 36624), checked in constant time before anything is
 * decrypted. node:crypto (OpenSSL 3.0) has SM4-CBC/CTR but no SM4-GCM, hence the separate MAC.
 * Sealed form: version byte ‖ IV (16) ‖ ciphertext ‖ tag (32).
 */
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { hmacSm3 } from './sm3';

const VERSION = 1;
const IV_LENGTH = 16;
const TAG_LENGTH = 32;

/** Two independent keys: SM4 (16 bytes) for confidentiality, HMAC-SM3 (32 bytes) for integrity. */
export interface FieldKeys {
  encryption: Uint8Array;
  mac: Uint8Array;
}

export class FieldSealError extends Error {
  constructor(
    readonly code: 'FIELD_MALFORMED' | 'FIELD_TAMPERED',
    message: string,
  ) {
    super(message);
  }
}

function checkKeys(keys: FieldKeys): void {
  if (keys.encryption.length !== 16) throw new RangeError('SM4 keys are 16 bytes');
  if (keys.mac.length < 32) throw new RangeError('HMAC-SM3 keys are at least 32 bytes');
}

/**
 * Encrypts `plaintext`, binding it to `context` (e.g. table and column): a value moved to another column
 * or row context fails its check instead of decrypting there.
 */
export function sealField(keys: FieldKeys, plaintext: Uint8Array, context: Uint8Array = new Uint8Array()): Uint8Array {
  checkKeys(keys);
  const iv = randomBytes(IV_LENGTH);
  const cipher = createCipheriv('sm4-cbc', keys.encryption, iv);
  const body = Buffer.concat([Buffer.of(VERSION), iv, cipher.update(plaintext), cipher.final()]);
  const tag = hmacSm3(keys.mac, Buffer.concat([lengthPrefixed(context), body]));
  return new Uint8Array(Buffer.concat([body, tag]));
}

/** Checks the tag, then decrypts; a changed byte anywhere (or another context) is FIELD_TAMPERED. */
export function openField(keys: FieldKeys, sealed: Uint8Array, context: Uint8Array = new Uint8Array()): Uint8Array {
  checkKeys(keys);
  if (sealed.length < 1 + IV_LENGTH + 16 + TAG_LENGTH || (sealed.length - 1 - TAG_LENGTH) % 16 !== 0) {
    throw new FieldSealError('FIELD_MALFORMED', 'not a sealed field');
  }
  if (sealed[0] !== VERSION) throw new FieldSealError('FIELD_MALFORMED', `unknown sealed-field version ${sealed[0]}`);
  const body = sealed.subarray(0, sealed.length - TAG_LENGTH);
  const tag = sealed.subarray(sealed.length - TAG_LENGTH);
  const expected = hmacSm3(keys.mac, Buffer.concat([lengthPrefixed(context), body]));
  if (!timingSafeEqual(expected, tag)) throw new FieldSealError('FIELD_TAMPERED', 'sealed field failed its check');
  const decipher = createDecipheriv('sm4-cbc', keys.encryption, body.subarray(1, 1 + IV_LENGTH));
  return new Uint8Array(Buffer.concat([decipher.update(body.subarray(1 + IV_LENGTH)), decipher.final()]));
}

function lengthPrefixed(context: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(context.length);
  return Buffer.concat([length, context]);
}
