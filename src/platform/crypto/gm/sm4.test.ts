import { createCipheriv, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { type FieldKeys, FieldSealError, openField, sealField } from './sm4';

const keys: FieldKeys = { encryption: randomBytes(16), mac: randomBytes(32) };
const text = (value: string) => new TextEncoder().encode(value);

describe('SM4 (GB/T 32907-2016) sealed fields', () => {
  it('uses the standard block cipher (Annex A.1: key = plaintext = 0123…3210)', () => {
    const block = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    const cipher = createCipheriv('sm4-ecb', block, null).setAutoPadding(false);
    expect(Buffer.concat([cipher.update(block), cipher.final()]).toString('hex')).toBe(
      '681edf34d206965e86b3e94f536e4246',
    );
  });

  it('round-trips a value and never shows it in what it stores', () => {
    const id = text('110105194912310021');
    const sealed = sealField(keys, id, text('gongan.household/id_number'));
    expect(Buffer.from(sealed).includes(Buffer.from(id))).toBe(false);
    expect(openField(keys, sealed, text('gongan.household/id_number'))).toEqual(id);
    // A fresh IV each time: equal values do not look equal at rest.
    expect(Buffer.from(sealField(keys, id)).equals(Buffer.from(sealField(keys, id)))).toBe(false);
  });

  it('refuses a changed byte, another context, another key, and what is not a sealed field', () => {
    const sealed = sealField(keys, text('张三'), text('name'));
    for (const at of [0, 1, 20, sealed.length - 1]) {
      const changed = Uint8Array.from(sealed);
      changed[at] = (changed[at] as number) ^ 1;
      expect(() => openField(keys, changed, text('name'))).toThrow(FieldSealError);
    }
    expect(() => openField(keys, sealed, text('address'))).toThrow(expect.objectContaining({ code: 'FIELD_TAMPERED' }));
    expect(() => openField({ ...keys, mac: randomBytes(32) }, sealed, text('name'))).toThrow(
      expect.objectContaining({ code: 'FIELD_TAMPERED' }),
    );
    expect(() => openField(keys, sealed.subarray(0, 20))).toThrow(expect.objectContaining({ code: 'FIELD_MALFORMED' }));
  });

  it('encrypts as OpenSSL does: its command line decrypts the ciphertext part', () => {
    const sealed = Buffer.from(sealField(keys, text('清河市幸福路 8 号')));
    const iv = sealed.subarray(1, 17);
    const ciphertext = sealed.subarray(17, sealed.length - 32);
    const plain = execFileSync(
      'openssl',
      ['enc', '-d', '-sm4-cbc', '-K', Buffer.from(keys.encryption).toString('hex'), '-iv', iv.toString('hex')],
      { input: ciphertext },
    );
    expect(plain.toString('utf8')).toBe('清河市幸福路 8 号');
  });
});
