/**
 * The 国密 suite's sealing of personal data at rest (src/core/ports/personal-data.ts): SM4-CBC with HMAC-SM3,
 * encrypt-then-MAC (./sm4.ts), and an HMAC-SM3 blind index. Three keys derive from one 32-byte data key
 * (HMAC-SM3 of the key over a label each, as an HKDF-Expand step would), so a key provider hands over one
 * secret — a key file today, an SDF/HSM-held key later.
 */
import type { PersonalDataSealer } from '../../../core/ports/personal-data';
import { hmacSm3 } from './sm3';
import { type FieldKeys, openField, sealField } from './sm4';

const utf8 = new TextEncoder();
const text = new TextDecoder('utf-8', { fatal: true });

function derive(dataKey: Uint8Array, label: string): Uint8Array {
  return hmacSm3(dataKey, utf8.encode(`hutong personal data v1 ${label}`));
}

export function sm4PersonalDataSealer(dataKey: Uint8Array): PersonalDataSealer {
  if (dataKey.length < 32) throw new RangeError('the data key is at least 32 bytes');
  const fields: FieldKeys = { encryption: derive(dataKey, 'sm4').subarray(0, 16), mac: derive(dataKey, 'mac') };
  const indexKey = derive(dataKey, 'index');
  return {
    index: (context, value) =>
      `bi1:${Buffer.from(hmacSm3(indexKey, utf8.encode(`${context}\u0000${value}`))).toString('base64url')}`,
    seal: (context, plaintext) =>
      Buffer.from(sealField(fields, utf8.encode(plaintext), utf8.encode(context))).toString('base64'),
    open: (context, sealed) => text.decode(openField(fields, Buffer.from(sealed, 'base64'), utf8.encode(context))),
  };
}
