import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryFolders } from '../testing/temporary-folders';
import { writeCityFiles } from './files';
import { SCALES, generateCity } from './generator';
import { RESOURCES } from './schema';

// Independent checksum implementations (different formulation from src/core/ids on purpose):
// GB 11643 weights are 2^(17-i) mod 11 and the check value is (12 - sum mod 11) mod 11, 10 written X.
function idOk(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * (2 ** (17 - i) % 11);
  const v = (12 - (sum % 11)) % 11;
  return id[17] === (v === 10 ? 'X' : String(v));
}
// GB 32100 weights are 3^i mod 31; check value (31 - sum mod 31) mod 31 over the 31-character alphabet.
function usccOk(code: string): boolean {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  if (code.length !== 18 || [...code].some((c) => !alphabet.includes(c))) return false;
  let sum = 0;
  let w = 1;
  for (let i = 0; i < 17; i++) {
    sum += alphabet.indexOf(code[i] as string) * w;
    w = (w * 3) % 31;
  }
  return code[17] === alphabet[(31 - (sum % 31)) % 31];
}

const tmp = temporaryFolders('hutong-gen-');

function rowsByResource(seed: number, scale = SCALES.small) {
  const out = new Map<string, string[][]>();
  generateCity({ seed, scale }, (r, cells) => {
    const list = out.get(r) ?? [];
    if (list.length === 0) out.set(r, list);
    list.push([...cells]);
  });
  return out;
}

describe('generateCity', () => {
  const city = rowsByResource(1);

  it('independent checksums accept the RULES.md examples (sanity of the test oracle)', () => {
    expect(idOk('11010519491231002X') && idOk('440524188001010014')).toBe(true);
    expect(usccOk('91350100M000100Y43') && usccOk('91110108551385082Q') && !usccOk('91350100M0001TGQXM')).toBe(true);
  });

  it('emits every resource with exactly the schema column count', () => {
    for (const r of RESOURCES) {
      const rows = city.get(r.code) ?? [];
      expect(rows.length, r.code).toBeGreaterThan(0);
      for (const row of rows) expect(row.length).toBe(r.columns.length);
    }
  });

  it('produces only valid ID numbers and credit codes, per an independent implementation', () => {
    let ids = 0;
    let codes = 0;
    for (const r of RESOURCES) {
      r.columns.forEach((c, i) => {
        for (const row of city.get(r.code) ?? []) {
          if (c.checksum === 'id_number') {
            ids++;
            expect(idOk(row[i] as string), row[i]).toBe(true);
          }
          if (c.checksum === 'uscc') {
            codes++;
            expect(usccOk(row[i] as string), row[i]).toBe(true);
          }
        }
      });
    }
    expect(ids).toBeGreaterThan(10_000);
    expect(codes).toBeGreaterThan(600);
  });

  it('matches gender to the parity of the sequence digit and keeps keys unique', () => {
    for (const row of city.get('gongan.household') ?? []) {
      const seq = Number((row[0] as string).slice(14, 17));
      expect(row[2]).toBe(seq % 2 === 1 ? '男' : '女');
      expect((row[0] as string).slice(6, 14)).toBe((row[3] as string).replaceAll('-', ''));
    }
    for (const r of RESOURCES) {
      const idx = r.keyColumns.map((k) => r.columns.findIndex((c) => c.name === k));
      const keys = new Set((city.get(r.code) ?? []).map((row) => idx.map((i) => row[i]).join('|')));
      expect(keys.size, r.code).toBe(city.get(r.code)?.length);
    }
  });

  it('has a city age pyramid: about a fifth aged 60+, some aged 80 to 105', () => {
    const ages = (city.get('gongan.household') ?? []).map((r) => {
      const b = r[3] as string;
      const years = 2026 - Number(b.slice(0, 4));
      return b.slice(5) <= '06-30' ? years : years - 1;
    });
    const share60 = ages.filter((a) => a >= 60).length / ages.length;
    expect(share60).toBeGreaterThan(0.17);
    expect(share60).toBeLessThan(0.27);
    expect(ages.some((a) => a >= 100 && a <= 105)).toBe(true);
    expect(Math.max(...ages)).toBeLessThanOrEqual(105);
  });

  it('is deterministic: same seed → same rows; another seed → different rows', () => {
    const again = rowsByResource(1);
    for (const r of RESOURCES) expect(again.get(r.code)).toEqual(city.get(r.code));
    const other = rowsByResource(2, { residents: 500, enterprises: 60 });
    expect(other.get('gongan.household')?.[0]).not.toEqual(city.get('gongan.household')?.[0]);
  });

  it('writes byte-identical files for the same seed and scale, with exactly the schema headers', () => {
    const scale = { residents: 1500, enterprises: 120 };
    const a = tmp();
    const b = tmp();
    writeCityFiles(a, { seed: 7, scale });
    writeCityFiles(b, { seed: 7, scale });
    const files = readdirSync(a).sort();
    expect(files).toEqual(RESOURCES.map((r) => `${r.code}.csv`).sort());
    for (const f of files) expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
    for (const r of RESOURCES) {
      const header = readFileSync(join(a, `${r.code}.csv`), 'utf8').split('\n')[0];
      expect(header).toBe(r.columns.map((c) => c.name).join(','));
    }
  });
});
