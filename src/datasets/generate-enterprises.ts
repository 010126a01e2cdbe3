/**
 * The synthetic city's enterprises and their figures at each department (registry, tax, statistics,
 * insurance, land, power, emissions, penalties, accidents), with the branch-forcing roles. Deterministic
 * from the seed.
 */
import { makeUscc } from '../core/ids/uscc';
import { DATA_YEARS, DISTRICTS, FIRM_WORDS, type IndustryClass, MANUFACTURING, NON_MANUFACTURING } from './city-data';
import { daysFromIso, isoFromDays } from './dates';
import { type Rng, cumulative, weightedIndex } from './prng';
import { type IdAllocator, T, chineseName, dayBetween, dec2, maxIso } from './generate-people';
import type { RowSink } from './generator';

export const FIRM_CUM = cumulative(DISTRICTS.map((d) => d.firmWeight));

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
export function legalRepresentatives(
  rng: Rng,
  ids: IdAllocator,
): (district: string) => { idNumber: string; name: string } {
  return (district) => {
    const male = rng.chance(0.7);
    const birth = dayBetween(rng, '1955-01-01', '1998-12-31');
    return { idNumber: ids.issue(district, birth, male), name: chineseName(rng, male) };
  };
}

export function generateEnterprises(
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
