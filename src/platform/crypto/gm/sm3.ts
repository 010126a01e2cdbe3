/**
 * SM3 (GB/T 32905-2016) and HMAC-SM3 (RFC 2104 over SM3, GM/T 0042) from node:crypto, i.e. OpenSSL 3.
 */
import { createHash, createHmac } from 'node:crypto';

/** GB/T 32905-2016 §5: a 32-byte digest. */
export function sm3(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sm3').update(data).digest());
}

/** RFC 2104 HMAC with SM3 (block size 64 bytes): the keyed hash of 密评's integrity requirements. */
export function hmacSm3(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sm3', key).update(data).digest());
}
