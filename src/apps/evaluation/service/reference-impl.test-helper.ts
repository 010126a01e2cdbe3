/**
 * An independent implementation of RULES.md §8, written from the text for the acceptance tests: it
 * reads the departments' exported CSV files directly and shares no code with the engine (scoring.ts).
 * Where the text leaves a choice, the application's documented choice is followed (README.md):
 *   - a zero denominator scores the cap; ties: total desc, tax per mu desc, credit code asc;
 *   - the group of an enterprise outside the population, or excluded as newly registered before its
 *     statistics were asked for, is null; otherwise 规上 iff the 统计 above-scale flag of Y is 1;
 *   - consecutive D years are counted over Y−1 and Y−2 evaluated the same way.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type Row = Record<string, string>;

export interface ReferenceFirm {
  uscc: string;
  group: '规上' | '规下' | null;
  graded: boolean;
  reason: string | null;
  total: number | null;
  rank: number | null;
  class: 'A' | 'B' | 'C' | 'D' | null;
  veto: boolean;
  /** For class D: consecutive D years and the surcharge (元, to the fen) = kWh × rate. */
  surcharge: { years: number; rate: string; amount: string | null } | null;
}

export function readCsv(dir: string, code: string): Row[] {
  const lines = readFileSync(join(dir, `${code}.csv`), 'utf8')
    .split('\n')
    .filter((line) => line !== '');
  const header = (lines.shift() as string).split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    if (cells.length !== header.length) throw new Error(`${code}: a quoted cell; this reader does not handle it`);
    return Object.fromEntries(header.map((h, i) => [h, cells[i] as string]));
  });
}

interface Firm {
  uscc: string;
  group: '规上' | '规下';
  land: number;
  tax: number;
  va: number;
  energy: number;
  emission: number | null;
  staff: number;
  revenue: number;
  rd: number;
  kwh: number | null;
  veto: boolean;
  total: number;
  taxPerMu: number;
}

const CAP = 3;

function score(weight: number, numerator: number, denominator: number, benchmark: number): number {
  if (denominator === 0) return weight * CAP;
  return weight * Math.min(Math.max(numerator / denominator, 0) / benchmark, CAP);
}

/** Rounds x·n half up for a share given in hundredths (20 → 0.20). */
function roundHundredths(hundredths: number, n: number): number {
  return Math.floor((hundredths * n + 50) / 100);
}

export function referenceYear(dir: string, Y: number): Map<string, ReferenceFirm> {
  const byYear = (code: string) =>
    new Map(
      readCsv(dir, code)
        .filter((r) => r.year === String(Y))
        .map((r) => [r.uscc as string, r]),
    );
  const tax = byYear('shuiwu.tax_annual');
  const stats = byYear('tongji.enterprise_annual');
  const elec = byYear('gongdian.electricity_annual');
  const emission = byYear('shengtai.emission_annual');
  const months = new Map<string, number[]>();
  for (const m of readCsv(dir, 'renshe.insured_monthly')) {
    if (!(m.month as string).startsWith(`${Y}-`) || m.insured_count === '') continue;
    const list = months.get(m.uscc as string) ?? [];
    list.push(Number(m.insured_count));
    months.set(m.uscc as string, list);
  }
  const parcels = new Map<string, Row[]>();
  for (const p of readCsv(dir, 'ziranziyuan.land_parcel')) {
    if (p.use_type !== '工业' || (p.acquired_date as string) > `${Y}-12-31`) continue;
    parcels.set(p.uscc as string, [...(parcels.get(p.uscc as string) ?? []), p]);
  }
  const vetoed = new Set<string>();
  for (const a of readCsv(dir, 'yingji.safety_accident')) {
    if (['较大', '重大', '特别重大'].includes(a.level as string) && (a.accident_date as string).startsWith(`${Y}-`)) {
      vetoed.add(a.uscc as string);
    }
  }
  for (const p of readCsv(dir, 'shengtai.penalty')) {
    if (p.severity === '严重' && (p.decision_date as string).startsWith(`${Y}-`)) vetoed.add(p.uscc as string);
  }
  const empty = (v: string | undefined) => v === undefined || v === '';

  const out = new Map<string, ReferenceFirm>();
  const graded: Firm[] = [];
  for (const e of readCsv(dir, 'shichang.enterprise')) {
    const u = e.uscc as string;
    const put = (group: ReferenceFirm['group'], reason: string) =>
      out.set(u, {
        uscc: u,
        group,
        graded: false,
        reason,
        total: null,
        rank: null,
        class: null,
        veto: false,
        surcharge: null,
      });
    if (e.status !== '存续') {
      put(null, 'OUT_OF_SCOPE_STATUS');
      continue;
    }
    const division = Number((e.industry_code as string).slice(0, 2));
    if (!(division >= 13 && division <= 43)) {
      put(null, 'OUT_OF_SCOPE_INDUSTRY');
      continue;
    }
    if ((e.registered_date as string) >= `${Y - 1}-01-01`) {
      put(null, 'NEW_ENTERPRISE');
      continue;
    }
    const s = stats.get(u);
    const group: '规上' | '规下' = s?.above_scale === '1' ? '规上' : '规下';
    const own = parcels.get(u) ?? [];
    if (own.length === 0) {
      put(group, 'NO_INDUSTRIAL_LAND');
      continue;
    }
    if (own.every((p) => (p.acquired_date as string) >= `${Y - 2}-01-01`)) {
      put(group, 'NEW_LAND');
      continue;
    }
    const land = Math.round(own.reduce((sum, p) => sum + Number(p.area_mu), 0) * 100) / 100;
    if (group === '规下' && land < 3) {
      put(group, 'LAND_BELOW_MINIMUM');
      continue;
    }
    const staff = months.get(u);
    const t = tax.get(u);
    if (group === '规上') {
      if (!t || empty(s?.value_added) || empty(s?.energy_tce) || empty(s?.main_revenue) || !staff?.length) {
        put(group, 'INCOMPLETE_DATA');
        continue;
      }
    } else if (!t || !elec.has(u)) {
      put(group, 'INCOMPLETE_DATA');
      continue;
    }
    const em = emission.get(u);
    graded.push({
      uscc: u,
      group,
      land,
      tax: Number(t.tax_paid),
      va: empty(s?.value_added) ? 0 : Number(s?.value_added),
      energy: empty(s?.energy_tce) ? 0 : Number(s?.energy_tce),
      emission: em ? Number(em.pollutant_t) : null,
      staff: staff?.length ? staff.reduce((a, b) => a + b, 0) / staff.length : 0,
      revenue: empty(s?.main_revenue) ? 0 : Number(s?.main_revenue),
      rd: empty(s?.rd_expense) ? 0 : Number(s?.rd_expense),
      kwh: elec.has(u) ? Number(elec.get(u)?.kwh) : null,
      veto: vetoed.has(u),
      total: 0,
      taxPerMu: 0,
    });
  }

  for (const group of ['规上', '规下'] as const) {
    const g = graded.filter((f) => f.group === group);
    const sum = (f: (x: Firm) => number, list = g) => list.reduce((s, x) => s + f(x), 0);
    if (group === '规上') {
      const withEmission = g.filter((f) => f.emission !== null);
      const b = {
        tax: sum((f) => f.tax) / sum((f) => f.land),
        vaLand: sum((f) => f.va) / sum((f) => f.land),
        vaEnergy: sum((f) => f.va) / sum((f) => f.energy),
        vaEmission: sum((f) => f.va, withEmission) / sum((f) => f.emission as number, withEmission),
        labour: sum((f) => f.va) / sum((f) => f.staff),
        rd: sum((f) => f.rd) / sum((f) => f.revenue),
      };
      const emissionScore = (f: Firm) => score(10, f.va, f.emission as number, b.vaEmission);
      const meanEmission = sum(emissionScore, withEmission) / withEmission.length;
      for (const f of g) {
        f.taxPerMu = f.tax / f.land;
        f.total =
          score(30, f.tax, f.land, b.tax) +
          score(20, f.va, f.land, b.vaLand) +
          score(20, f.va, f.energy, b.vaEnergy) +
          (f.emission === null ? meanEmission : emissionScore(f)) +
          score(10, f.va, f.staff, b.labour) +
          score(10, f.rd, f.revenue, b.rd);
      }
    } else {
      const b = {
        tax: sum((f) => f.tax) / sum((f) => f.land),
        elec: sum((f) => f.tax) / sum((f) => (f.kwh as number) / 10_000),
      };
      for (const f of g) {
        f.taxPerMu = f.tax / f.land;
        f.total = score(50, f.tax, f.land, b.tax) + score(50, f.tax, (f.kwh as number) / 10_000, b.elec);
      }
    }
    g.sort((x, y) => y.total - x.total || y.taxPerMu - x.taxPerMu || (x.uscc < y.uscc ? -1 : 1));
    const n = g.length;
    g.forEach((f, i) => {
      const r = i + 1;
      let cls: 'A' | 'B' | 'C' | 'D' =
        r <= roundHundredths(20, n)
          ? 'A'
          : r > n - roundHundredths(5, n)
            ? 'D'
            : r <= roundHundredths(60, n)
              ? 'B'
              : 'C';
      if (f.veto && (cls === 'A' || cls === 'B')) cls = 'C';
      out.set(f.uscc, {
        uscc: f.uscc,
        group,
        graded: true,
        reason: null,
        total: f.total,
        rank: r,
        class: cls,
        veto: f.veto,
        surcharge: null,
      });
    });
    // kWh kept for the surcharge of class D.
    for (const f of g) (out.get(f.uscc) as ReferenceFirm & { kwh?: number | null }).kwh = f.kwh;
  }
  return out;
}

/** Y with the D surcharge from Y−1 and Y−2: 0.05 / 0.08 / 0.10 元/kWh in the 1st / 2nd / 3rd+ D year. */
export function referenceEvaluation(dir: string, Y: number): Map<string, ReferenceFirm> {
  const current = referenceYear(dir, Y);
  const previous = [referenceYear(dir, Y - 1), referenceYear(dir, Y - 2)];
  for (const firm of current.values()) {
    if (firm.class !== 'D') continue;
    let years = 1;
    for (const year of previous) {
      if (year.get(firm.uscc)?.class !== 'D') break;
      years += 1;
    }
    const rate = ['0.05', '0.08', '0.10'][Math.min(years, 3) - 1] as string;
    const kwh = (firm as ReferenceFirm & { kwh?: number | null }).kwh ?? null;
    // Exact: kWh × rate in fen (rates have two decimals), then yuan with two decimals.
    const fen = kwh === null ? null : BigInt(kwh) * BigInt(rate.replace('.', ''));
    const amount = fen === null ? null : `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
    firm.surcharge = { years, rate, amount };
  }
  return current;
}
