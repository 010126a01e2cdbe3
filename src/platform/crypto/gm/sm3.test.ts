import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hmacSm3, sm3 } from './sm3';

const text = (value: string) => new TextEncoder().encode(value);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('SM3 (GB/T 32905-2016)', () => {
  it('gives the standard’s example digests (Annex A.1 "abc", A.2 "abcd" × 16)', () => {
    expect(hex(sm3(text('abc')))).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(hex(sm3(text('abcd'.repeat(16))))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('agrees with OpenSSL’s command line (openssl dgst -sm3, -hmac)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hutong-sm3-'));
    const file = join(dir, 'message');
    const message = text('清河市 一网通办 · 亩均论英雄 '.repeat(9));
    writeFileSync(file, message);
    const dgst = (...args: string[]) =>
      execFileSync('openssl', ['dgst', '-sm3', ...args, '-r', file])
        .toString()
        .split(' ')[0];
    expect(dgst()).toBe(hex(sm3(message)));
    expect(dgst('-hmac', 'city-secret-key')).toBe(hex(hmacSm3(text('city-secret-key'), message)));
  });

  it('keys its HMAC: another key, another tag', () => {
    expect(hex(hmacSm3(text('a'), text('m')))).not.toBe(hex(hmacSm3(text('b'), text('m'))));
    expect(hmacSm3(text('a'), text('m'))).toHaveLength(32);
  });
});
