/**
 * Deterministic synthetic 清河市: builds every row of the 14 department resources from a seed and a scale
 * and hands them to a sink one at a time, so even the large city never sits in memory. Pure: no I/O, no
 * clock, no Math.random — the same seed and scale give the same rows in the same order on any machine.
 * docs/DATA.md explains the distributions, the injected data-quality faults and the branch-forcing roles.
 */
import { makeIdNumber } from '../core/ids/id-number';
import { makeUscc } from '../core/ids/uscc';
import {
  CITY_NAME,
  DATA_YEARS,
  DISTRICTS,
  FEMALE_GIVEN,
  FIRM_WORDS,
  type IndustryClass,
  MALE_GIVEN,
  MANUFACTURING,
  MIGRANT_AREAS,
  NON_MANUFACTURING,
  REFERENCE_DATE,
  STREETS,
  SURNAMES,
} from './city-data';
import { addMonths } from '../core/calendar/dates';
import { addYears, daysFromIso, isoFromDays } from './dates';
import { Rng, cumulative, weightedIndex } from './prng';
import type { ResourceCode } from './schema';

export type ScaleName = 'small' | 'medium' | 'large';
export interface CityScale {
  residents: number;
  enterprises: number;
}
export const SCALES: Record<ScaleName, CityScale> = {
  small: { residents: 10_000, enterprises: 600 },
  medium: { residents: 100_000, enterprises: 10_000 },
  large: { residents: 1_000_000, enterprises: 100_000 },
};

export function isScaleName(s: string): s is ScaleName {
  return s === 'small' || s === 'medium' || s === 'large';
}

/** Receives each row as cells in schema column order; '' is an empty (null) cell. */
export type RowSink = (resource: ResourceCode, cells: readonly string[]) => void;

export interface GenerateOptions {
  seed: number;
  scale: CityScale;
}

const T = REFERENCE_DATE;
const T_DAYS = daysFromIso(T);
const SIX_MONTHS_BEFORE_T = addMonths(T, -6);

const dec2 = (x: number) => (Math.round(x * 100) / 100).toFixed(2);

// Per-year-of-age weights for people alive at T: about a fifth aged 60+, a thin tail to 105.
const AGE_WEIGHTS: number[] = Array.from({ length: 106 }, (_, a) => {
  if (a < 15) return 1.0;
  if (a < 25) return 1.1;
  if (a < 60) return 1.45;
  if (a < 70) return 1.1;
  if (a < 80) return 0.6;
  if (a < 90) return 0.25;
  if (a < 100) return 0.06;
  return 0.03;
});
const AGE_CUM = cumulative(AGE_WEIGHTS);
const POP_CUM = cumulative(DISTRICTS.map((d) => d.popWeight));
const FIRM_CUM = cumulative(DISTRICTS.map((d) => d.firmWeight));
const SURNAME_CUM = cumulative([...SURNAMES].map((_, i) => 1 / (i + 8)));
const MANU_CUM = cumulative(MANUFACTURING.map((c) => c.weight));
const NON_MANU_CUM = cumulative(NON_MANUFACTURING.map((c) => c.weight));
const PENALTY_TEXTS = [
  '超标排放大气污染物',
  '未按规定运行污染防治设施',
  '危险废物贮存不规范',
  '未批先建',
  '废水超标排放',
  '自动监测数据弄虚作假',
];

/** Hands out unique 3-digit sequences per (area, birth date) with the parity the gender needs. */
class IdAllocator {
  private readonly next = new Map<string, number>();
  issue(area: string, birth: string, male: boolean): string {
    const key = `${area}${birth}${male ? 1 : 0}`;
    const k = this.next.get(key) ?? 0;
    this.next.set(key, k + 1);
    // Start each (area, date) at a key-derived offset so sequences look spread out, not all "100"/"101".
    let h = 0;
    for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) | 0;
    const seq = (((h >>> 0) % 450) * 2 + k * 2 + (male ? 1 : 0)) % 1000;
    return makeIdNumber(area, birth, seq);
  }
}

function chineseName(rng: Rng, male: boolean): string {
  const surname = SURNAMES[weightedIndex(rng, SURNAME_CUM)] as string;
  const pool = male ? MALE_GIVEN : FEMALE_GIVEN;
  const first = pool[rng.int(pool.length)] as string;
  return rng.chance(0.72) ? surname + first + (pool[rng.int(pool.length)] as string) : surname + first;
}

function dayBetween(rng: Rng, lo: string, hi: string): string {
  const a = daysFromIso(lo);
  const b = daysFromIso(hi);
  return b <= a ? lo : isoFromDays(a + rng.int(b - a + 1));
}

const maxIso = (a: string, b: string) => (a > b ? a : b);

/** Birth date of someone who is `age` full years old at T. */
function birthForAge(rng: Rng, age: number): string {
  const hi = daysFromIso(addYears(T, -age));
  const lo = daysFromIso(addYears(T, -(age + 1))) + 1;
  return isoFromDays(lo + rng.int(hi - lo + 1));
}

export interface GenerationCounts {
  rows: Record<string, number>;
}

export function generateCity(options: GenerateOptions, emit: RowSink): GenerationCounts {
  const rows: Record<string, number> = {};
  const sink: RowSink = (r, cells) => {
    rows[r] = (rows[r] ?? 0) + 1;
    emit(r, cells);
  };
  const ids = new IdAllocator();
  const cards = { n: 0 };
  generateResidents(new Rng(options.seed, 1), options.scale.residents, ids, cards, sink);
  generateMigrants(new Rng(options.seed, 2), Math.round(options.scale.residents * 0.12), ids, cards, sink);
  // Legal representatives come from a stream of their own and are issued IDs after every resident, so adding
  // them left every earlier column of every register as it was.
  const representatives = legalRepresentatives(new Rng(options.seed, 4), ids);
  generateEnterprises(new Rng(options.seed, 3), options.seed, options.scale.enterprises, representatives, sink);
  return { rows };
}

function cardNo(cards: { n: number }, issue: string): string {
  cards.n++;
  return `QHYD${issue.slice(0, 4)}${String(cards.n).padStart(7, '0')}`;
}

function generateResidents(rng: Rng, count: number, ids: IdAllocator, cards: { n: number }, sink: RowSink): void {
  let deaths = 0;
  for (let i = 0; i < count; i++) {
    let age = weightedIndex(rng, AGE_CUM);
    let birth: string;
    if (rng.chance(0.004)) {
      // Birthday boundaries of the age rules (60; allowance tiers 80/90/100): on the day, and one day short.
      const b = rng.pick([60, 80, 90, 100]);
      const exact = addYears(T, -b);
      birth = rng.chance(0.5) ? exact : isoFromDays(daysFromIso(exact) + 1);
      age = birth === exact ? b : b - 1;
    } else {
      birth = birthForAge(rng, age);
    }
    const male = !rng.chance(age >= 80 ? 0.58 : 0.5);
    const district = DISTRICTS[weightedIndex(rng, POP_CUM)] as (typeof DISTRICTS)[number];
    const id = ids.issue(district.code, birth, male);
    const name = chineseName(rng, male);
    const address = `${CITY_NAME}${district.name}${rng.pick(STREETS)}${rng.range(1, 399)}号${
      rng.chance(0.7) ? `${rng.range(1, 30)}幢${rng.range(1, 24)}0${rng.range(1, 4)}室` : ''
    }`;

    const deathP = age >= 90 ? 0.25 : age >= 80 ? 0.12 : age >= 60 ? 0.04 : 0.004;
    const u = rng.next();
    let status = '正常';
    let reason = '';
    let deregDate = '';
    if (u < deathP) {
      status = '注销';
      reason = '死亡';
      deregDate = dayBetween(rng, maxIso(birth, '2016-01-01'), T);
    } else if (u < deathP + 0.02) {
      status = '注销';
      reason = '迁出';
      deregDate = dayBetween(rng, maxIso(addYears(birth, 1), '2018-01-01'), T);
    } else if (u < deathP + 0.023) {
      status = '注销';
      reason = '其他';
      deregDate = dayBetween(rng, maxIso(birth, '2018-01-01'), T);
    }
    sink('gongan.household', [id, name, male ? '男' : '女', birth, district.code, address, status, reason, deregDate]);

    if (reason === '死亡') {
      deaths++;
      // Data-quality fault: the residence-permit registry was not told of the death, so a still-valid permit
      // lets the residence check pass and the elderly-card rule reaches DECEASED whatever its check order.
      if (deaths % 25 === 1) {
        const issue = dayBetween(rng, addYears(T, -2), SIX_MONTHS_BEFORE_T);
        sink('gongan.residence_permit', [id, name, rng.pick(DISTRICTS).code, issue, addYears(issue, 3)]);
      }
    }

    const endDate = deregDate || T;
    // Pensions: 60+ mostly; some women retire from urban employment at 55.
    const earlyRetiree = !male && age >= 55 && age < 60 && rng.chance(0.3);
    if ((age >= 60 && rng.chance(0.92)) || earlyRetiree) {
      const rural = !earlyRetiree && rng.chance(age >= 75 ? 0.5 : 0.35);
      const start = rural ? maxIso(addYears(birth, 60), '2011-07-01') : addYears(birth, male ? 60 : 55);
      if (start <= endDate) {
        const pStatus = reason === '' ? (rng.chance(0.03) ? '暂停' : '领取中') : reason === '死亡' ? '终止' : '暂停';
        sink('renshe.pension', [id, rural ? '城乡居民' : '城镇职工', pStatus, start]);
      }
    }

    if (age >= 60) {
      const cardP = reason === '' ? 0.55 : 0.45;
      const lo = maxIso(addYears(birth, 60), '2012-01-01');
      if (rng.chance(cardP) && lo <= endDate) {
        const issue = dayBetween(rng, lo, endDate);
        if (reason !== '') {
          sink('minzheng.elderly_card', [id, cardNo(cards, issue), issue, '注销']);
        } else if (rng.chance(0.05) && issue > lo) {
          // A lost card cancelled and re-issued: the holder still holds a valid one.
          const earlier = dayBetween(rng, lo, isoFromDays(daysFromIso(issue) - 1));
          sink('minzheng.elderly_card', [id, cardNo(cards, earlier), earlier, '注销']);
          sink('minzheng.elderly_card', [id, cardNo(cards, issue), issue, '有效']);
        } else {
          // A few cards cancelled without re-issue: their holders may apply again.
          sink('minzheng.elderly_card', [id, cardNo(cards, issue), issue, rng.chance(0.04) ? '注销' : '有效']);
        }
      }
    }
  }
}

function generateMigrants(rng: Rng, count: number, ids: IdAllocator, cards: { n: number }, sink: RowSink): void {
  for (let i = 0; i < count; i++) {
    const u = rng.next();
    const age = u < 0.03 ? rng.range(1, 17) : u < 0.11 ? rng.range(60, 85) : rng.range(18, 59);
    const birth = birthForAge(rng, age);
    const male = rng.chance(0.53);
    const id = ids.issue(rng.pick(MIGRANT_AREAS), birth, male);
    const name = chineseName(rng, male);
    const district = DISTRICTS[weightedIndex(rng, FIRM_CUM)] as (typeof DISTRICTS)[number];

    const kind = rng.next();
    let issue: string;
    let expiry: string;
    if (kind < 0.02) {
      // Exactly on the 6-month boundary, and one day short of it.
      issue = rng.chance(0.5) ? SIX_MONTHS_BEFORE_T : isoFromDays(daysFromIso(SIX_MONTHS_BEFORE_T) + 1);
      expiry = addYears(issue, 1);
    } else if (kind < 0.17) {
      issue = isoFromDays(daysFromIso(SIX_MONTHS_BEFORE_T) + 1 + rng.int(T_DAYS - daysFromIso(SIX_MONTHS_BEFORE_T)));
      expiry = addYears(issue, 1);
    } else if (kind < 0.32) {
      expiry = dayBetween(rng, addYears(T, -2), isoFromDays(T_DAYS - 1));
      issue = addYears(expiry, -1);
    } else {
      const validity = rng.chance(0.6) ? 1 : 3;
      issue = dayBetween(rng, isoFromDays(daysFromIso(addYears(T, -validity)) + 1), SIX_MONTHS_BEFORE_T);
      expiry = addYears(issue, validity);
    }
    if (kind >= 0.17 && rng.chance(0.25)) {
      const prevIssue = addYears(issue, -1);
      sink('gongan.residence_permit', [id, name, district.code, prevIssue, issue]);
    }
    sink('gongan.residence_permit', [id, name, district.code, issue, expiry]);

    const residentLongEnough = issue <= SIX_MONTHS_BEFORE_T && expiry >= T;
    if (age >= 60 && residentLongEnough && rng.chance(0.3)) {
      const cardIssue = dayBetween(rng, maxIso(issue, addYears(birth, 60)), T);
      sink('minzheng.elderly_card', [id, cardNo(cards, cardIssue), cardIssue, '有效']);
    }
  }
}

type Role =
  | 'none'
  | 'land-boundary'
  | 'no-tax-2025'
  | 'no-energy-2025'
  | 'zero-energy'
  | 'no-elec-2025'
  | 'laggard'
  | 'no-emissions'
  | 'no-insured-2024'
  | 'veto'
  | 'zero-emission'
  | 'missing-month';

// Every 50 firms, fixed slots play a role that guarantees each 亩均 rule branch is reached at small scale.
const ROLE_BY_SLOT: Record<number, Role> = {
  3: 'missing-month',
  7: 'land-boundary',
  13: 'no-tax-2025',
  19: 'no-energy-2025',
  23: 'zero-energy',
  29: 'no-elec-2025',
  31: 'laggard',
  37: 'no-emissions',
  41: 'no-insured-2024',
  43: 'veto',
  47: 'zero-emission',
};

/** A firm's legal representative (法定代表人): a person with an ID number of the firm's district. */
function legalRepresentatives(rng: Rng, ids: IdAllocator): (district: string) => { idNumber: string; name: string } {
  return (district) => {
    const male = rng.chance(0.7);
    const birth = dayBetween(rng, '1955-01-01', '1998-12-31');
    return { idNumber: ids.issue(district, birth, male), name: chineseName(rng, male) };
  };
}

function generateEnterprises(
  rng: Rng,
  seed: number,
  count: number,
  representative: (district: string) => { idNumber: string; name: string },
  sink: RowSink,
): void {
  const orgOffset = (Math.abs(seed) * 7_777_777 + 12_345_678) % 100_000_000;
  let parcelSeq = 0;
  for (let j = 0; j < count; j++) {
    const role: Role = ROLE_BY_SLOT[j % 50] ?? 'none';
    const k = Math.floor(j / 50);
    const forced = role !== 'none';

    const nonManu = !forced && rng.chance(0.07);
    const industry: IndustryClass = nonManu
      ? (NON_MANUFACTURING[weightedIndex(rng, NON_MANU_CUM)] as IndustryClass)
      : (MANUFACTURING[weightedIndex(rng, MANU_CUM)] as IndustryClass);
    const district = DISTRICTS[weightedIndex(rng, FIRM_CUM)] as (typeof DISTRICTS)[number];
    // Multiplying by an odd number not divisible by 5 permutes 0..1e8-1, so organisation codes never collide.
    const orgBody = String((orgOffset + j * 48_271) % 100_000_000).padStart(8, '0');
    const uscc = makeUscc(district.code, orgBody);

    const su = rng.next();
    const status = forced ? '存续' : su < 0.05 ? '注销' : su < 0.08 ? '吊销' : '存续';
    const recentFirm = !forced && rng.chance(0.12);
    const regYear = recentFirm ? 0 : 2022 - Math.floor(rng.next() ** 1.4 * 27);
    const registered = recentFirm
      ? dayBetween(rng, '2023-01-01', T)
      : dayBetween(
          rng,
          `${forced ? Math.min(regYear, 2018) : regYear}-01-01`,
          `${forced ? Math.min(regYear, 2018) : regYear}-12-31`,
        );
    const name = `清河${rng.pick([...FIRM_WORDS])}${rng.pick([...FIRM_WORDS])}${industry.word}${rng.chance(0.1) ? '股份' : ''}有限公司`;
    const rep = representative(district.code);
    sink('shichang.enterprise', [uscc, name, industry.code, district.code, registered, status, rep.name, rep.idNumber]);

    // One latent size drives land, staff, revenue and everything derived from revenue (correlated lognormals).
    let z = rng.normal();
    const laggardAbove = k % 2 === 0;
    const vetoAbove = Math.floor(k / 6) % 2 === 0;
    const wantsAbove =
      role === 'no-tax-2025' ||
      role === 'no-energy-2025' ||
      role === 'zero-energy' ||
      role === 'no-emissions' ||
      role === 'no-insured-2024' ||
      role === 'zero-emission' ||
      role === 'missing-month' ||
      (role === 'laggard' && laggardAbove) ||
      (role === 'veto' && vetoAbove);
    const wantsBelow =
      role === 'land-boundary' ||
      role === 'no-elec-2025' ||
      (role === 'laggard' && !laggardAbove) ||
      (role === 'veto' && !vetoAbove);
    if (wantsAbove) z = Math.max(z, 1.6) + 0.2;
    if (wantsBelow) z = Math.min(z, -1.3) - 0.2;
    const baseRevenue = Math.exp(Math.log(1200) + 1.3 * z);
    const vaRate = role === 'laggard' ? 0.05 : Math.min(0.6, Math.max(0.05, rng.lognormal(Math.log(0.22), 0.3)));
    const taxRate = role === 'laggard' ? 0.003 : rng.lognormal(Math.log(0.035), 0.45);
    const energyMult = rng.lognormal(0, 0.4);
    const kwhMult = rng.lognormal(0, 0.35);
    const emitMult = rng.lognormal(0, 0.6);
    const hasRd = rng.chance(baseRevenue >= 2000 ? 0.75 : 0.25);
    const rdRate = rng.lognormal(Math.log(0.015), 0.6);
    const employees = Math.max(3, Math.round((baseRevenue ** 0.8 / 4) * rng.lognormal(0, 0.3)));
    const growth = rng.lognormal(Math.log(1.04), 0.06);
    const randomZeroEnergy = !forced && rng.chance(0.01);

    // Land: tenants own none; a few own only non-industrial land; some acquired all of it recently.
    const tenant = !forced && rng.chance(0.15);
    const nonIndustrialOnly = !forced && !tenant && rng.chance(0.04);
    const recentLand = !forced && !tenant && rng.chance(0.06);
    if (!tenant) {
      let area = Math.max(0.5, Math.exp(0.7 * Math.log(baseRevenue) - 1.2 + 0.5 * rng.normal()));
      if (role === 'no-elec-2025' || role === 'laggard' || role === 'veto') area = Math.max(area, 5);
      const n = role === 'land-boundary' ? 1 : rng.chance(0.7) ? 1 : rng.chance(0.73) ? 2 : 3;
      const firstLo = maxIso(registered, '1995-01-01');
      const first =
        recentLand || firstLo > '2022-06-30'
          ? dayBetween(rng, maxIso(registered, '2023-01-01'), T)
          : dayBetween(rng, firstLo, '2022-06-30');
      for (let p = 0; p < n; p++) {
        const share = n === 1 ? 1 : p === 0 ? 0.6 : 0.4 / (n - 1);
        const parcelArea =
          role === 'land-boundary' ? ([2.99, 3.0, 3.01][k % 3] as number) : Math.max(0.3, area * share);
        const acquired = p === 0 ? first : dayBetween(rng, first, T);
        const uu = rng.next();
        const use = nonIndustrialOnly
          ? p === 0 || uu < 0.5
            ? '仓储'
            : '商服'
          : p === 0 || uu < 0.7
            ? '工业'
            : uu < 0.88
              ? '仓储'
              : uu < 0.96
                ? '商服'
                : '住宅';
        const parcelDistrict = rng.chance(0.9) ? district.code : rng.pick(DISTRICTS).code;
        parcelSeq++;
        sink('ziranziyuan.land_parcel', [
          `${parcelDistrict}-${acquired.slice(0, 4)}-${String(parcelSeq).padStart(7, '0')}`,
          uscc,
          parcelDistrict,
          dec2(parcelArea),
          use,
          acquired,
        ]);
      }
    }

    // Injected data-quality faults (documented in docs/DATA.md).
    const randomMissingMonth = rng.chance(0.03) ? { year: rng.pick(DATA_YEARS), month: rng.range(1, 12) } : null;
    const missingMonthOf = (year: number) =>
      role === 'missing-month'
        ? 1 + ((k + year) % 12)
        : randomMissingMonth?.year === year
          ? randomMissingMonth.month
          : 0;
    const missingEmissionYear = rng.chance(0.03) ? rng.pick(DATA_YEARS) : 0;
    const missingTaxYear = rng.chance(0.005) ? rng.pick(DATA_YEARS) : 0;
    const missingElecYear = rng.chance(0.005) ? rng.pick(DATA_YEARS) : 0;
    const usedDates = new Set<string>();

    for (const year of DATA_YEARS) {
      if (registered > `${year}-12-31`) continue;
      const partYear =
        registered > `${year}-01-01` ? (366 - (daysFromIso(registered) - daysFromIso(`${year}-01-01`))) / 366 : 1;
      const rev = baseRevenue * growth ** (year - 2023) * rng.lognormal(0, 0.1) * partYear;
      const above = wantsAbove ? true : wantsBelow ? false : rev >= 2000;
      const va = rev * vaRate * rng.lognormal(0, 0.05);
      const tax = rev * taxRate * rng.lognormal(0, 0.1);
      const energy = role === 'zero-energy' || randomZeroEnergy ? 0 : rev * industry.energy * energyMult;
      const kwh = Math.round(rev * industry.kwh * kwhMult * (energy === 0 ? 0.2 : 1));
      const emission = role === 'zero-emission' ? 0 : rev * industry.emission * emitMult;
      const rd = hasRd ? rev * rdRate : null;

      if (!(role === 'no-tax-2025' && year === 2025) && missingTaxYear !== year) {
        sink('shuiwu.tax_annual', [uscc, String(year), dec2(tax)]);
      }
      sink('tongji.enterprise_annual', [
        uscc,
        String(year),
        above ? '1' : '0',
        dec2(va),
        dec2(rev),
        rd === null ? '' : dec2(rd),
        role === 'no-energy-2025' && year === 2025 ? '' : dec2(energy),
      ]);
      if (!(role === 'no-elec-2025' && year === 2025) && missingElecYear !== year) {
        sink('gongdian.electricity_annual', [uscc, String(year), String(kwh)]);
      }
      if (role !== 'no-emissions' && missingEmissionYear !== year) {
        sink('shengtai.emission_annual', [uscc, String(year), dec2(emission)]);
      }
      if (!(role === 'no-insured-2024' && year === 2024)) {
        const yearStaff = employees * growth ** (year - 2023);
        for (let m = 1; m <= 12; m++) {
          if (`${year}-${m < 10 ? '0' : ''}${m}` < registered.slice(0, 7)) continue;
          if (missingMonthOf(year) === m) continue;
          const staff = Math.max(1, Math.round(yearStaff * (1 + 0.03 * rng.normal())));
          sink('renshe.insured_monthly', [uscc, `${year}-${m < 10 ? '0' : ''}${m}`, String(staff)]);
        }
      }
      if (rd !== null) {
        const invention = rng.poisson(rd / 300);
        const utility = rng.poisson(rd / 100);
        if (invention + utility > 0)
          sink('shichang.patent_annual', [uscc, String(year), String(invention), String(utility)]);
      }
    }

    // Accidents and penalties run to the reference date (2026 H1 included); dates are unique per firm.
    const uniqueDay = (year: number) => {
      const hi = year === 2026 ? T : `${year}-12-31`;
      let d = dayBetween(rng, maxIso(`${year}-01-01`, registered), hi);
      while (usedDates.has(d)) d = isoFromDays(daysFromIso(d) - 1);
      usedDates.add(d);
      return d;
    };
    for (const year of [2023, 2024, 2025, 2026]) {
      if (registered > `${year}-12-31`) continue;
      const forcedVeto = role === 'veto' && year === 2023 + (k % 3);
      const vetoByAccident = Math.floor(k / 3) % 2 === 0;
      if ((forcedVeto && vetoByAccident) || rng.chance(0.02)) {
        const lu = rng.next();
        const level =
          forcedVeto && vetoByAccident
            ? '较大'
            : lu < 0.8
              ? '一般'
              : lu < 0.95
                ? '较大'
                : lu < 0.99
                  ? '重大'
                  : '特别重大';
        sink('yingji.safety_accident', [uscc, uniqueDay(year), level]);
      }
      if ((forcedVeto && !vetoByAccident) || rng.chance(0.04)) {
        const su2 = rng.next();
        const severity = forcedVeto && !vetoByAccident ? '严重' : su2 < 0.6 ? '一般' : su2 < 0.88 ? '较重' : '严重';
        sink('shengtai.penalty', [uscc, uniqueDay(year), severity, rng.pick(PENALTY_TEXTS)]);
      }
    }
  }
}
