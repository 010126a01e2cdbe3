/** Drives the `check` and `data generate` command handlers of src/cli/data-commands.ts without a process. */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheckId, runCheckUscc } from './data-commands';
import { runGenerate } from './data-handlers';

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
};
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('check commands', () => {
  it('exit 0 for the RULES.md examples, 1 with the reason code otherwise', () => {
    for (const v of ['11010519491231002X', '440524188001010014']) expect(runCheckId(v, io().io)).toBe(0);
    for (const v of ['91350100M000100Y43', '91110108551385082Q', '91440300708461136T'])
      expect(runCheckUscc(v, io().io)).toBe(0);
    const bad = io();
    expect(runCheckId('110105194912310021', bad.io)).toBe(1);
    expect(bad.err.join()).toContain('BAD_CHECKSUM');
    const pilot = io();
    expect(runCheckUscc('91350100M0001TGQXM', pilot.io)).toBe(1);
    expect(pilot.err.join()).toContain('BAD_CHECKSUM');
    const future = io();
    expect(runCheckId('11010519491231002X', future.io, '1940-01-01')).toBe(1);
    expect(future.err.join()).toContain('FUTURE_DATE');
  });

  it('points a credit code given to `check id` to `check uscc`, and an ID number the other way', () => {
    const code = io();
    expect(runCheckId('91350100M000100Y43', code.io)).toBe(1);
    expect(code.err.join('\n')).toContain('hutong check uscc 91350100M000100Y43');
    const id = io();
    expect(runCheckUscc('11010519491231002X', id.io)).toBe(1);
    expect(id.err.join('\n')).toContain('hutong check id 11010519491231002X');
    const neither = io();
    expect(runCheckId('110105194912310021', neither.io)).toBe(1);
    expect(neither.err.join('\n')).not.toContain('hutong check');
  });
});

describe('data generate', () => {
  it('rejects a bad scale, and writes identical files for the same seed', () => {
    expect(runGenerate({ scale: 'huge', seed: '1', out: '/nonexistent' }, io().io)).toBe(2);
    const a = mkdtempSync(join(tmpdir(), 'hutong-cli-'));
    const b = mkdtempSync(join(tmpdir(), 'hutong-cli-'));
    dirs.push(a, b);
    expect(runGenerate({ scale: 'small', seed: '5', out: a }, io().io)).toBe(0);
    expect(runGenerate({ scale: 'small', seed: '5', out: b }, io().io)).toBe(0);
    for (const f of readdirSync(a)) expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
  });
});
