import { describe, expect, it } from 'vitest';
import { thrownCode } from '../thrown-code.test-helper';
import { bitLen, onesCount, trailingZeros, xor } from './bits';
import { base64Decode, base64Encode, hexDecode, parseDecimal, readU64be, u64be } from './bytes';
import { LedgerError } from './errors';

const code = (run: () => unknown) => thrownCode(LedgerError, run);

describe('base64 (RFC 4648 §4)', () => {
  // RFC 4648 §10 test vectors.
  const rfc: [string, string][] = [
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ];
  it.each(rfc)('%j ↔ %j', (plain, encoded) => {
    expect(base64Encode(new TextEncoder().encode(plain))).toBe(encoded);
    expect(new TextDecoder().decode(base64Decode(encoded))).toBe(plain);
  });

  it('round-trips every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (let n = 0; n < 10; n++) expect(base64Decode(base64Encode(all.subarray(n)))).toEqual(all.subarray(n));
  });

  it.each([
    'Zg', // missing padding
    'Zg=',
    'Zh==', // non-zero padding bits (RFC 4648 §3.5)
    'Zm9=',
    'Zm9v ',
    ' Zm9v',
    'Zm9v\n',
    'Zm-v', // base64url alphabet
    'Zm_v',
    'Z===',
    '====',
    'Zg==Zg==',
    'Zé9v',
  ])('rejects %j', (bad) => {
    expect(code(() => base64Decode(bad))).toBe('BAD_BASE64');
  });
});

describe('hex, decimals and integers', () => {
  it('hexDecode is strict', () => {
    expect(hexDecode('00ff')).toEqual(Uint8Array.of(0, 255));
    expect(hexDecode('ABcd')).toEqual(Uint8Array.of(0xab, 0xcd));
    for (const bad of ['0', 'zz', '0x00', ' 00']) expect(hexDecode(bad)).toBeUndefined();
  });

  it('parseDecimal accepts only canonical decimals', () => {
    expect(parseDecimal('0')).toBe(0);
    expect(parseDecimal('20852163')).toBe(20852163);
    expect(parseDecimal(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    for (const bad of ['', '00', '01', '-1', '+1', '1.0', '1e3', ' 1', '1 ', '9007199254740992', '١']) {
      expect(parseDecimal(bad), bad).toBeUndefined();
    }
  });

  it('u64 big-endian', () => {
    expect(u64be(1)).toEqual(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 1));
    expect(u64be(2 ** 32)).toEqual(Uint8Array.of(0, 0, 0, 1, 0, 0, 0, 0));
    expect(readU64be(Uint8Array.of(0xff, 0, 0, 0, 0, 0, 0, 1), 0)).toBe(0xff00000000000001n);
  });
});

describe('bit helpers beyond 32 bits', () => {
  it('match bigint arithmetic', () => {
    const samples = [0, 1, 2, 3, 255, 256, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 40 + 12345, 2 ** 53 - 1];
    for (const a of samples) {
      const A = BigInt(a);
      expect(bitLen(a), `bitLen ${a}`).toBe(A.toString(2).replace(/^0$/, '').length);
      expect(onesCount(a)).toBe([...A.toString(2)].filter((c) => c === '1').length);
      if (a > 0) expect(trailingZeros(a)).toBe(A.toString(2).length - 1 - A.toString(2).lastIndexOf('1'));
      for (const b of samples) expect(xor(a, b)).toBe(Number(A ^ BigInt(b)));
    }
    expect(trailingZeros(0)).toBe(64);
  });
});
