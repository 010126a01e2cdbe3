import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoCryptoSuite, demoNodeSealers } from './demo';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'hutong-demo-suite-'));
  dirs.push(dir);
  return dir;
};

describe('a demo data folder’s cryptographic suite', () => {
  it('is the one it was made with: asked for the other, it refuses with a code; asked for none, it keeps it', () => {
    const dir = folder();
    expect(demoCryptoSuite(dir, 'gm')).toBe('gm');
    expect(demoCryptoSuite(dir)).toBe('gm');
    expect(() => demoCryptoSuite(dir, 'intl')).toThrow(expect.objectContaining({ code: 'DATA_SUITE_MISMATCH' }));
    expect(readFileSync(join(dir, 'crypto-suite'), 'utf8').trim()).toBe('gm');
    expect(demoCryptoSuite(folder())).toBe('intl');
  });

  it('gives each department its own data key under gm, none under intl', () => {
    const dir = folder();
    const sealers = demoNodeSealers(dir, 'gm');
    const sealed = sealers?.('gongan')?.seal('gongan.household/1', '110105194912310021');
    expect(sealed).toBeDefined();
    expect(sealed).not.toContain('110105194912310021');
    expect(sealers?.('gongan')?.open('gongan.household/1', sealed!)).toBe('110105194912310021');
    expect(() => sealers?.('renshe')?.open('gongan.household/1', sealed!)).toThrow();
    expect(demoNodeSealers(dir, 'intl')).toBeUndefined();
  });
});
