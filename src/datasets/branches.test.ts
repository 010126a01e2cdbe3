/**
 * The small seed-1 city must reach every branch of the elderly-card, longevity-allowance and 亩均 rules
 * (RULES.md §7–§8). The rules are re-implemented here from the reference text, reading only the CSVs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCityFiles } from './files';
import { SCALES } from './generator';

const T = '2026-06-30';
let dir = '';
type Row = Record<string, string>;
const cache = new Map<string, Row[]>();

function read(code: string): Row[] {
  const hit = cache.get(code);
  if (hit) return hit;
  const lines = readFileSync(join(dir, `${code}.csv`), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const header = (lines.shift() as string).split(',');
  const rows = lines.map((l) => {
    // The generated city never needs quoting; a comma inside a cell would show up as a width mismatch here.
    const cells = l.split(',');
    expect(cells.length).toBe(header.length);
    return Object.fromEntries(header.map((h, i) => [h, cells[i] as string]));
  });
  cache.set(code, rows);
  return rows;
}

function age(birth: string, at: string): number {
  const y = Number(at.slice(0, 4)) - Number(birth.slice(0, 4));
  return at.slice(5) >= birth.slice(5) ? y : y - 1;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hutong-branches-'));
  writeCityFiles(dir, { seed: 1, scale: SCALES.small });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('§7 elderly card and longevity allowance branches (small, seed 1)', () => {
  it('reaches every elderly-card outcome', () => {
    const household = new Map(read('gongan.household').map((r) => [r.id_number as string, r]));
    const permits = new Map<string, Row[]>();
    for (const p of read('gongan.residence_permit'))
      permits.set(p.id_number as string, [...(permits.get(p.id_number as string) ?? []), p]);
    const validCard = new Set(
      read('minzheng.elderly_card')
        .filter((c) => c.status === '有效')
        .map((c) => c.id_number),
    );
    const people = new Set([...household.keys(), ...permits.keys()]);
    const outcomes: Record<string, number> = {};
    const notResidentWhy: Record<string, number> = {};
    for (const id of people) {
      const h = household.get(id);
      const ps = permits.get(id) ?? [];
      const viaHousehold = h?.status === '正常';
      const viaPermit = ps.some(
        (p) =>
          (p.issue_date as string) <= '2025-12-30' && (p.expiry_date as string) >= T && (p.issue_date as string) <= T,
      );
      let outcome: string;
      if (!viaHousehold && !viaPermit) {
        outcome = 'NOT_RESIDENT';
        const why = h
          ? `household ${h.deregistration_reason}`
          : ps.some((p) => (p.issue_date as string) > '2025-12-30')
            ? 'permit too recent'
            : 'permit expired';
        notResidentWhy[why] = (notResidentWhy[why] ?? 0) + 1;
      } else if (h?.deregistration_reason === '死亡') outcome = 'DECEASED';
      else if (age(id.slice(6, 10) + '-' + id.slice(10, 12) + '-' + id.slice(12, 14), T) < 60) outcome = 'AGE_UNDER_60';
      else if (validCard.has(id)) outcome = 'ALREADY_HOLDS_CARD';
      else outcome = 'GRANTED';
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    for (const o of ['NOT_RESIDENT', 'DECEASED', 'AGE_UNDER_60', 'ALREADY_HOLDS_CARD', 'GRANTED'])
      expect(outcomes[o], o).toBeGreaterThan(0);
    for (const w of ['household 死亡', 'household 迁出', 'permit too recent', 'permit expired'])
      expect(notResidentWhy[w], w).toBeGreaterThan(0);
    // Age boundary: turning 60 exactly on T, and one day short of it.
    const births = [...household.values()].filter((h) => h.status === '正常').map((h) => h.birth_date);
    expect(births).toContain('1966-06-30');
    expect(births).toContain('1966-07-01');
    // Permit boundary: issued exactly six months before T, and one day later.
    const issues = read('gongan.residence_permit').map((p) => p.issue_date);
    expect(issues).toContain('2025-12-30');
    expect(issues).toContain('2025-12-31');
    // Cards: both statuses, and migrants (no household record) holding valid ones.
    expect(read('minzheng.elderly_card').some((c) => c.status === '注销')).toBe(true);
    expect([...validCard].some((id) => !household.has(id as string))).toBe(true);
  });

  it('reaches every longevity-allowance tier, with and without the 城乡居民 supplement', () => {
    const rural = new Set(
      read('renshe.pension')
        .filter((p) => p.pension_type === '城乡居民' && p.status === '领取中')
        .map((p) => p.id_number),
    );
    const urban = read('renshe.pension').some((p) => p.pension_type === '城镇职工');
    expect(urban).toBe(true);
    const tiers: Record<string, number> = {};
    for (const h of read('gongan.household')) {
      if (h.status !== '正常') continue;
      const a = age(h.birth_date as string, T);
      const tier = a >= 100 ? '100+' : a >= 90 ? '90-99' : a >= 80 ? '80-89' : null;
      if (!tier) continue;
      const key = `${tier}${rural.has(h.id_number) ? '+rural' : ''}`;
      tiers[key] = (tiers[key] ?? 0) + 1;
    }
    for (const t of ['80-89', '90-99', '100+', '80-89+rural', '90-99+rural']) expect(tiers[t], t).toBeGreaterThan(0);
  });
});

interface Firm {
  uscc: string;
  group: 'above' | 'below';
  land: number;
  tax: number;
  va: number;
  energy: number;
  emission: number | null;
  staff: number;
  revenue: number;
  rd: number;
  elec: number;
  veto: boolean;
  fullMonths: boolean;
  total?: number;
  taxPerMu?: number;
  cls?: string;
}

function evaluate(Y: number) {
  const byFirmYear = (code: string) =>
    new Map(
      read(code)
        .filter((r) => r.year === String(Y))
        .map((r) => [r.uscc as string, r]),
    );
  const tax = byFirmYear('shuiwu.tax_annual');
  const stats = byFirmYear('tongji.enterprise_annual');
  const elec = byFirmYear('gongdian.electricity_annual');
  const emis = byFirmYear('shengtai.emission_annual');
  const months = new Map<string, number[]>();
  for (const m of read('renshe.insured_monthly')) {
    if (!(m.month as string).startsWith(`${Y}-`)) continue;
    months.set(m.uscc as string, [...(months.get(m.uscc as string) ?? []), Number(m.insured_count)]);
  }
  const parcels = read('ziranziyuan.land_parcel').filter(
    (p) => p.use_type === '工业' && (p.acquired_date as string) <= `${Y}-12-31`,
  );
  const vetoed = new Set([
    ...read('yingji.safety_accident')
      .filter((a) => a.level !== '一般' && (a.accident_date as string).startsWith(`${Y}-`))
      .map((a) => a.uscc),
    ...read('shengtai.penalty')
      .filter((p) => p.severity === '严重' && (p.decision_date as string).startsWith(`${Y}-`))
      .map((p) => p.uscc),
  ]);
  const reasons: Record<string, number> = {};
  const count = (k: string) => {
    reasons[k] = (reasons[k] ?? 0) + 1;
  };
  const graded: Firm[] = [];
  const boundary: Record<string, string> = {};
  for (const e of read('shichang.enterprise')) {
    const division = Number((e.industry_code as string).slice(0, 2));
    if (division < 13 || division > 43) {
      count('outside:industry');
      continue;
    }
    if (e.status !== '存续') {
      count('outside:status');
      continue;
    }
    const u = e.uscc as string;
    const own = parcels.filter((p) => p.uscc === u);
    const land = Math.round(own.reduce((s, p) => s + Number(p.area_mu), 0) * 100) / 100;
    const s = stats.get(u);
    const above = s?.above_scale === '1';
    if ((e.registered_date as string) >= `${Y - 1}-01-01`) count('new-firm');
    else if (own.length === 0) count('no-industrial-land');
    else if (own.every((p) => (p.acquired_date as string) >= `${Y - 2}-01-01`)) count('new-land');
    else if (!above && land < 3) {
      count('below-under-3mu');
      if (land === 2.99) boundary['2.99'] = 'not graded';
    } else if (above && (!tax.has(u) || !s?.value_added || !s?.energy_tce || !s?.main_revenue || !months.has(u))) {
      count('above-incomplete');
    } else if (!above && (!tax.has(u) || !elec.has(u))) {
      count('below-incomplete');
    } else {
      if (!above && (land === 3 || land === 3.01)) boundary[land.toFixed(2)] = 'graded';
      const staff = months.get(u) ?? [];
      graded.push({
        uscc: u,
        group: above ? 'above' : 'below',
        land,
        tax: Number(tax.get(u)?.tax_paid),
        va: Number(s?.value_added ?? 0),
        energy: Number(s?.energy_tce ?? 0),
        emission: emis.has(u) ? Number(emis.get(u)?.pollutant_t) : null,
        staff: staff.length ? staff.reduce((a, b) => a + b, 0) / staff.length : 0,
        revenue: Number(s?.main_revenue ?? 0),
        rd: s?.rd_expense ? Number(s.rd_expense) : 0,
        elec: Number(elec.get(u)?.kwh ?? 0),
        veto: vetoed.has(u),
        fullMonths: staff.length === 12,
      });
    }
  }
  const cap = 3;
  const score = (w: number, v: number, _num: number, den: number, bench: number) =>
    den === 0 ? w * cap : w * Math.min(Math.max(v, 0) / bench, cap);
  const classes: Record<string, number> = {};
  let cappedByVeto = 0;
  for (const group of ['above', 'below'] as const) {
    const g = graded.filter((f) => f.group === group);
    const sum = (f: (x: Firm) => number, list = g) => list.reduce((s, x) => s + f(x), 0);
    if (group === 'above') {
      const withEm = g.filter((f) => f.emission !== null);
      const b = {
        tax: sum((f) => f.tax) / sum((f) => f.land),
        vaLand: sum((f) => f.va) / sum((f) => f.land),
        vaEnergy: sum((f) => f.va) / sum((f) => f.energy),
        vaEm: sum((f) => f.va, withEm) / sum((f) => f.emission ?? 0, withEm),
        labour: sum((f) => f.va) / sum((f) => f.staff),
        rd: sum((f) => f.rd) / sum((f) => f.revenue),
      };
      const emScore = (f: Firm) => score(10, f.va / (f.emission as number), f.va, f.emission as number, b.vaEm);
      const meanEm = sum(emScore, withEm) / withEm.length;
      for (const f of g) {
        f.taxPerMu = f.tax / f.land;
        f.total =
          score(30, f.tax / f.land, f.tax, f.land, b.tax) +
          score(20, f.va / f.land, f.va, f.land, b.vaLand) +
          score(20, f.va / f.energy, f.va, f.energy, b.vaEnergy) +
          (f.emission === null ? meanEm : emScore(f)) +
          score(10, f.va / f.staff, f.va, f.staff, b.labour) +
          score(10, f.rd / f.revenue, f.rd, f.revenue, b.rd);
      }
      if (g.some((f) => f.energy === 0)) count('above-zero-energy');
      if (g.some((f) => f.emission === 0)) count('above-zero-emission');
      if (g.some((f) => f.emission === null)) count('above-missing-emission');
      if (g.some((f) => f.rd === 0)) count('above-missing-rd');
      if (g.some((f) => !f.fullMonths)) count('above-missing-month');
    } else {
      const b = { tax: sum((f) => f.tax) / sum((f) => f.land), elec: sum((f) => f.tax) / sum((f) => f.elec / 1e4) };
      for (const f of g) {
        f.taxPerMu = f.tax / f.land;
        f.total =
          score(50, f.tax / f.land, f.tax, f.land, b.tax) + score(50, f.tax / (f.elec / 1e4), f.tax, f.elec, b.elec);
      }
    }
    g.sort(
      (x, y) =>
        (y.total as number) - (x.total as number) ||
        (y.taxPerMu as number) - (x.taxPerMu as number) ||
        (x.uscc < y.uscc ? -1 : 1),
    );
    const n = g.length;
    const round = (x: number) => Math.floor(x + 0.5);
    g.forEach((f, i) => {
      const r = i + 1;
      let cls = r <= round(0.2 * n) ? 'A' : r > n - round(0.05 * n) ? 'D' : r <= round(0.6 * n) ? 'B' : 'C';
      if (f.veto && (cls === 'A' || cls === 'B')) {
        cls = 'C';
        cappedByVeto++;
      }
      f.cls = cls;
      classes[`${group}:${cls}`] = (classes[`${group}:${cls}`] ?? 0) + 1;
    });
  }
  return { reasons, classes, cappedByVeto, boundary, graded };
}

describe('§8 亩均 evaluation branches (small, seed 1)', () => {
  const years = [2023, 2024, 2025];
  const results = new Map<number, ReturnType<typeof evaluate>>();
  beforeAll(() => {
    for (const y of years) results.set(y, evaluate(y));
  });

  it('reaches every population, not-graded and data-quality branch in the latest year', () => {
    const r = results.get(2025) as ReturnType<typeof evaluate>;
    for (const k of [
      'outside:industry',
      'outside:status',
      'new-firm',
      'no-industrial-land',
      'new-land',
      'below-under-3mu',
      'above-incomplete',
      'below-incomplete',
      'above-zero-energy',
      'above-zero-emission',
      'above-missing-emission',
      'above-missing-rd',
      'above-missing-month',
    ]) {
      expect(r.reasons[k] ?? 0, `${k} ${JSON.stringify(r.reasons)}`).toBeGreaterThan(0);
    }
    expect(r.boundary).toEqual({ '2.99': 'not graded', '3.00': 'graded', '3.01': 'graded' });
    // Employees missing for a whole year makes a 规上 firm incomplete in that year only.
    expect((results.get(2024) as ReturnType<typeof evaluate>).reasons['above-incomplete']).toBeGreaterThan(0);
  });

  it('grades both groups into all four classes every year, and the veto caps some firms', () => {
    let capped = 0;
    for (const y of years) {
      const r = results.get(y) as ReturnType<typeof evaluate>;
      for (const c of ['above:A', 'above:B', 'above:C', 'above:D', 'below:A', 'below:B', 'below:C', 'below:D']) {
        expect(r.classes[c], `${y} ${c}`).toBeGreaterThan(0);
      }
      expect(
        r.graded.some((f) => f.veto),
        `${y} veto`,
      ).toBe(true);
      capped += r.cappedByVeto;
    }
    expect(capped).toBeGreaterThan(0);
  });

  it('has firms in class D for two and for three consecutive years (surcharge tiers)', () => {
    const dYears = new Map<string, number[]>();
    for (const y of years) {
      for (const f of (results.get(y) as ReturnType<typeof evaluate>).graded)
        if (f.cls === 'D') dYears.set(f.uscc, [...(dYears.get(f.uscc) ?? []), y]);
    }
    const streaks = [...dYears.values()].map((ys) => ys.length);
    expect(streaks.filter((s) => s >= 2).length).toBeGreaterThan(0);
    expect(streaks.filter((s) => s === 3).length).toBeGreaterThan(0);
    const accidents = read('yingji.safety_accident');
    const penalties = read('shengtai.penalty');
    for (const lvl of ['一般', '较大'])
      expect(
        accidents.some((a) => a.level === lvl),
        lvl,
      ).toBe(true);
    for (const sev of ['一般', '较重', '严重'])
      expect(
        penalties.some((p) => p.severity === sev),
        sev,
      ).toBe(true);
  });
});
