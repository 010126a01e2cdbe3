/**
 * Hand-worked cases, one per rule of RULES.md §8 (acceptance 2): each expected number below was worked
 * out by hand from the rule's text, not from the engine.
 */
import { describe, expect, it } from 'vitest';
import { type Methodology, parseMethodology } from './config';
import { defaultMethodology, shippedMethodologies } from './config-files';
import { classForRank, roundShare, surchargeAmount } from './eligibility';
import type { EnterpriseFacts, EnterpriseResult, YearResult } from './score-types';
import { scoreWithHistory, scoreYear } from './scoring';

const Y = 2025;
const config = defaultMethodology();
const huangyan = shippedMethodologies().get('huangyan-2022') as Methodology;

let serial = 0;
/** A credit-code-like key that sorts in creation order unless given. */
function key(): string {
  serial += 1;
  return `91339105TEST${String(serial).padStart(5, '0')}X`;
}

type Inputs = EnterpriseFacts['inputs'];

function above(inputs: Inputs, extra: Partial<EnterpriseFacts> = {}): EnterpriseFacts {
  return {
    uscc: key(),
    name: '测试企业',
    industryCode: '3670',
    districtCode: '339105',
    registeredDate: '2010-05-01',
    status: '存续',
    aboveScale: true,
    earliestLandAcquired: '2015-01-01',
    inputs: {
      tax: 100,
      value_added: 400,
      main_revenue: 2000,
      rd_expense: 40,
      energy_tce: 200,
      employees: 40,
      land_mu: 10,
      kwh: 1_000_000,
      emission: 20,
      ...inputs,
    },
    events: { major_accidents: 0, severe_penalties: 0 },
    ...extra,
  };
}

function below(inputs: Inputs, extra: Partial<EnterpriseFacts> = {}): EnterpriseFacts {
  return above(
    { value_added: null, main_revenue: null, rd_expense: null, energy_tce: null, ...inputs },
    {
      aboveScale: false,
      ...extra,
    },
  );
}

function find(result: YearResult, uscc: string): EnterpriseResult {
  const found = result.enterprises.find((e) => e.uscc === uscc);
  if (!found) throw new Error(`no ${uscc}`);
  return found;
}

function score(e: EnterpriseResult, id: string): number {
  return e.scores[id] as number;
}

describe('the shipped methodologies', () => {
  it('validate, and the default carries every number of §8', () => {
    expect(config.version).toBe('1.0.0');
    const [规上, 规下] = config.groups;
    expect(规上?.indicators.map((i) => [i.name, i.weight])).toEqual([
      ['亩均税收', 30],
      ['亩均增加值', 20],
      ['单位能耗增加值', 20],
      ['单位排放增加值', 10],
      ['全员劳动生产率', 10],
      ['R&D经费支出占主营业务收入之比', 10],
    ]);
    expect(规下?.indicators.map((i) => [i.name, i.weight, i.denominatorDivisor])).toEqual([
      ['亩均税收', 50, 1],
      ['单位电耗税收', 50, 10000],
    ]);
    expect(规下?.minLandMu).toBe(3);
    expect(config.scoring).toEqual({ cap: 3, zeroDenominator: 'cap' });
    expect(config.classes).toMatchObject({ aShare: 0.2, bShare: 0.6, dShare: 0.05 });
    expect(config.classes.labels).toEqual({ A: '优先发展', B: '提升发展', C: '调整转型', D: '整治淘汰' });
    expect(config.policies[0]).toMatchObject({ class: 'D', ratesByConsecutiveYear: ['0.05', '0.08', '0.10'] });
    expect(
      huangyan.groups[0]?.indicators.map((i) => (i.benchmark.type === 'fixed' ? i.benchmark.value : null)),
    ).toEqual([24.097, 136.16, 2.694, 4929.81, 18.14, 0.0302]);
    expect(huangyan.scoring.cap).toBeNull();
  });

  it('refuses an inconsistent methodology with every issue and its path', () => {
    const broken = structuredClone(config) as unknown as Record<string, unknown> & Methodology;
    broken.classes.bShare = 0.1;
    broken.scoring = { cap: null, zeroDenominator: 'cap' };
    (broken.groups[0] as { missing: Record<string, string> }).missing.land_mu = 'zero';
    broken.ranking.tieBreaks = [{ by: 'indicator', indicator: 'no_such', order: 'desc' }];
    (broken.groups[1]?.indicators[0] as { numerator: string }).numerator = 'profit';
    let issues: { path: string }[] = [];
    try {
      parseMethodology(broken);
    } catch (error) {
      issues = (error as { issues: { path: string }[] }).issues;
    }
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['groups.1.indicators.0.numerator']));
    // Structural errors come first; the cross-field rules run on a structurally valid document.
    (broken.groups[1]?.indicators[0] as { numerator: string }).numerator = 'tax';
    try {
      parseMethodology(broken);
    } catch (error) {
      issues = (error as { issues: { path: string }[] }).issues;
    }
    expect(issues.map((i) => i.path).sort()).toEqual(
      [
        'classes.bShare',
        'groups.0.missing.land_mu',
        'ranking.tieBreaks.0.indicator',
        'ranking.tieBreaks.0.indicator',
        'scoring.zeroDenominator',
      ].sort(),
    );
    expect(() => parseMethodology({ ...config, unknownKey: 1 })).toThrow();
  });
});

describe('indicators, benchmarks and scores (规上)', () => {
  // F1: land 10, tax 100, VA 400, energy 200, emission 20, staff 40, revenue 2000, R&D 40.
  // F2: land 30, tax 60,  VA 600, energy 100, emission 60, staff 60, revenue 3000, R&D missing (= 0).
  // Benchmarks (ratio of totals): tax/mu 160/40 = 4; VA/mu 1000/40 = 25; VA/energy 1000/300 = 10/3;
  // VA/emission 1000/80 = 12.5; VA/staff 1000/100 = 10; R&D 40/5000 = 0.008.
  const f1 = above({});
  const f2 = above({
    land_mu: 30,
    tax: 60,
    value_added: 600,
    energy_tce: 100,
    emission: 60,
    employees: 60,
    main_revenue: 3000,
    rd_expense: null,
  });
  const result = scoreYear(config, Y, [f1, f2]);

  it('uses the group ratio of totals as the benchmark', () => {
    const group = result.groups.find((g) => g.label === '规上')!;
    expect(group.benchmarks.map((b) => b.value)).toEqual([4, 25, 1000 / 300, 12.5, 10, 0.008]);
  });

  it('scores weight × value / benchmark and sums the total', () => {
    const a = find(result, f1.uscc);
    // 30×10/4, 20×40/25, 20×2/(10/3), 10×20/12.5, 10×10/10, 10×0.02/0.008
    expect(a.indicators.map((i) => i.score)).toEqual([75, 32, 12, 16, 10, 25].map((x) => expect.closeTo(x, 9)));
    expect(a.total).toBeCloseTo(170, 9);
    const b = find(result, f2.uscc);
    // 30×2/4, 20×20/25, 20×6/(10/3), 10×10/12.5, 10×10/10, missing R&D counts as 0.
    expect(b.indicators.map((i) => i.score)).toEqual([15, 16, 36, 8, 10, 0].map((x) => expect.closeTo(x, 9)));
    expect(b.total).toBeCloseTo(85, 9);
    expect([a.rank, b.rank]).toEqual([1, 2]);
    expect(a.graded && b.graded).toBe(true);
    expect(a.group).toBe('规上');
  });

  it('caps an indicator at 3 × its weight, and negative values score 0', () => {
    // F3: tax/mu 100 against a benchmark of (160+1000)/(40+10) = 23.2 → ratio 4.31 → capped at 3 → 90.
    const f3 = above({ tax: 1000 });
    const f4 = above({ value_added: -50 });
    const capped = scoreYear(config, Y, [f1, f2, f3, f4]);
    expect(score(find(capped, f3.uscc), 'tax_per_mu')).toBe(90);
    expect(score(find(capped, f4.uscc), 'va_per_mu')).toBe(0);
    // Huangyan 2022: fixed benchmarks, no cap. F3: 30 × 100 / 24.097.
    const free = scoreYear(huangyan, Y, [f1, f2, f3]);
    expect(score(find(free, f3.uscc), 'tax_per_mu')).toBeCloseTo((30 * 100) / 24.097, 9);
    expect(free.groups[0]?.benchmarks.map((b) => b.value)).toEqual([24.097, 136.16, 2.694, 4929.81, 18.14, 0.0302]);
  });

  it('zero energy and zero emissions: a zero denominator scores the cap', () => {
    const zeroEnergy = above({ energy_tce: 0 });
    const zeroEmission = above({ emission: 0 });
    const r = scoreYear(config, Y, [f1, f2, zeroEnergy, zeroEmission]);
    const e = find(r, zeroEnergy.uscc);
    expect(e.graded).toBe(true);
    expect(e.indicators[2]).toMatchObject({ value: null, score: 60, basis: 'zeroDenominator' });
    expect(find(r, zeroEmission.uscc).indicators[3]).toMatchObject({
      value: null,
      score: 30,
      basis: 'zeroDenominator',
    });
    // Their value added still counts in the numerator total: VA/energy benchmark = 1800 / 500 = 3.6.
    expect(r.groups[0]?.benchmarks[2]?.value).toBeCloseTo(3.6, 12);
    // Without a cap (Huangyan) a zero denominator scores the group's best score of that indicator.
    const free = scoreYear(huangyan, Y, [f1, f2, zeroEnergy]);
    const best = Math.max(score(find(free, f1.uscc), 'va_per_energy'), score(find(free, f2.uscc), 'va_per_energy'));
    expect(score(find(free, zeroEnergy.uscc), 'va_per_energy')).toBe(best);
  });

  it('missing emissions: the enterprise gets the group mean emission score, outside the benchmark', () => {
    const noEmission = above({ emission: null });
    const r = scoreYear(config, Y, [f1, f2, noEmission]);
    // Benchmark over those with emission data only: (400+600)/(20+60) = 12.5. F1: 10×20/12.5 = 16,
    // F2: 10×10/12.5 = 8, so the mean emission score is 12.
    expect(r.groups[0]?.benchmarks[3]?.value).toBe(12.5);
    const mean = 12;
    const e = find(r, noEmission.uscc);
    expect(e.graded).toBe(true);
    expect(e.indicators[3]).toMatchObject({ basis: 'groupMean', value: null });
    expect(e.indicators[3]?.score).toBeCloseTo(mean, 12);
  });

  it('mean employees is whatever the figure says (months with records are averaged upstream)', () => {
    // 11 months of 30 and one missing month: mean 30, not 27.5.
    const r = scoreYear(config, Y, [f1, above({ employees: (30 * 11) / 11, value_added: 300 })]);
    expect(r.groups[0]?.benchmarks[4]?.value).toBeCloseTo(700 / 70, 12);
  });
});

describe('规下 and the 3-mu boundary', () => {
  // G1: land 5, tax 50, 10 万kWh; G2: land 45, tax 10, 90 万kWh. Benchmarks 60/50 = 1.2 and 60/100 = 0.6.
  const g1 = below({ land_mu: 5, tax: 50, kwh: 100_000 });
  const g2 = below({ land_mu: 45, tax: 10, kwh: 900_000 });

  it('scores tax per mu and tax per 10⁴ kWh, capped', () => {
    const r = scoreYear(config, Y, [g1, g2]);
    expect(r.groups[1]?.benchmarks.map((b) => b.value)).toEqual([1.2, 0.6]);
    const a = find(r, g1.uscc);
    expect(a.group).toBe('规下');
    expect(a.indicators.map((i) => i.score)).toEqual([150, 150]);
    expect(a.total).toBe(300);
    const b = find(r, g2.uscc);
    // 50 × (10/45)/1.2 = 9.259259… and 50 × (10/90)/0.6 = 9.259259…
    expect(b.total).toBeCloseTo(2 * ((50 * (10 / 45)) / 1.2), 9);
  });

  it('grades 3.00 and 3.01 mu, not 2.99 mu; the minimum does not apply to 规上', () => {
    const at299 = below({ land_mu: 2.99 });
    const at300 = below({ land_mu: 3 });
    const at301 = below({ land_mu: 3.01 });
    const small规上 = above({ land_mu: 1 });
    const r = scoreYear(config, Y, [g1, g2, at299, at300, at301, small规上]);
    expect(find(r, at299.uscc)).toMatchObject({ graded: false, group: '规下', reason: 'LAND_BELOW_MINIMUM' });
    expect(find(r, at300.uscc).graded).toBe(true);
    expect(find(r, at301.uscc).graded).toBe(true);
    expect(find(r, small规上.uscc).graded).toBe(true);
  });

  it('an enterprise without a statistics row is 规下', () => {
    const r = scoreYear(config, Y, [g1, g2, below({}, { aboveScale: null })]);
    expect(r.enterprises[2]).toMatchObject({ group: '规下', graded: true });
  });
});

describe('exclusions and data gaps (不参评, 数据不全)', () => {
  const base = [above({}), above({ tax: 50 }), below({ land_mu: 5 }), below({ land_mu: 8 })];

  it('lists each excluded enterprise with its reason, in the order of the rules', () => {
    const cases: [EnterpriseFacts, string | null, string | null][] = [
      [above({}, { status: '注销' }), null, 'OUT_OF_SCOPE_STATUS'],
      [above({}, { status: '吊销' }), null, 'OUT_OF_SCOPE_STATUS'],
      [above({}, { industryCode: '6513' }), null, 'OUT_OF_SCOPE_INDUSTRY'],
      [above({}, { industryCode: '1200' }), null, 'OUT_OF_SCOPE_INDUSTRY'],
      [above({}, { industryCode: '1311' }), '规上', null],
      [above({}, { industryCode: '4390' }), '规上', null],
      // Registered on or after (Y−1)-01-01 = 2024-01-01.
      [above({}, { registeredDate: '2024-01-01' }), '规上', 'NEW_ENTERPRISE'],
      [above({}, { registeredDate: '2023-12-31' }), '规上', null],
      // A new enterprise without land is still a new enterprise (first rule wins).
      [
        above({ land_mu: null }, { registeredDate: '2024-06-01', earliestLandAcquired: null }),
        '规上',
        'NEW_ENTERPRISE',
      ],
      [above({ land_mu: null }, { earliestLandAcquired: null }), '规上', 'NO_INDUSTRIAL_LAND'],
      [below({ land_mu: null }, { earliestLandAcquired: null }), '规下', 'NO_INDUSTRIAL_LAND'],
      // All industrial land acquired on or after (Y−2)-01-01 = 2023-01-01.
      [above({}, { earliestLandAcquired: '2023-01-01' }), '规上', 'NEW_LAND'],
      [above({}, { earliestLandAcquired: '2022-12-31' }), '规上', null],
      // 规上 数据不全: tax, value added, energy, revenue, employees.
      [above({ tax: null }), '规上', 'INCOMPLETE_DATA'],
      [above({ value_added: null }), '规上', 'INCOMPLETE_DATA'],
      [above({ energy_tce: null }), '规上', 'INCOMPLETE_DATA'],
      [above({ main_revenue: null }), '规上', 'INCOMPLETE_DATA'],
      [above({ employees: null }), '规上', 'INCOMPLETE_DATA'],
      [above({ rd_expense: null }), '规上', null],
      [above({ emission: null }), '规上', null],
      [above({ kwh: null }), '规上', null],
      // 规下 数据不全: tax or electricity.
      [below({ land_mu: 4, tax: null }), '规下', 'INCOMPLETE_DATA'],
      [below({ land_mu: 4, kwh: null }), '规下', 'INCOMPLETE_DATA'],
      [below({ land_mu: 4, employees: null, emission: null }), '规下', null],
      // Land below the minimum comes before missing data.
      [below({ land_mu: 2, tax: null }), '规下', 'LAND_BELOW_MINIMUM'],
      // A real zero is not missing.
      [above({ tax: 0 }), '规上', null],
    ];
    const r = scoreYear(config, Y, [...base, ...cases.map(([facts]) => facts)]);
    for (const [facts, group, reason] of cases) {
      const e = find(r, facts.uscc);
      expect({ uscc: e.uscc, group: e.group, reason: e.reason, graded: e.graded }).toEqual({
        uscc: facts.uscc,
        group,
        reason,
        graded: reason === null,
      });
    }
    expect(find(r, cases[13]![0].uscc).missing).toEqual(['tax']);
    expect(find(r, cases[22]![0].uscc).missing).toEqual(['kwh']);
    expect(find(r, cases[6]![0].uscc).reasonLabel).toContain('新注册企业');
    expect(r.counts.notGraded.INCOMPLETE_DATA).toBe(7);
    // Excluded enterprises are not in the benchmark: 规上 tax/mu = (100+50+100×9 graded 10-mu firms…) — only graded ones.
    const graded规上 = r.enterprises.filter((e) => e.graded && e.group === '规上');
    const sum = (f: (e: EnterpriseResult) => number) => graded规上.reduce((s, e) => s + f(e), 0);
    expect(r.groups[0]?.benchmarks[0]?.value).toBeCloseTo(
      sum((e) => e.inputs.tax as number) / sum((e) => e.inputs.land_mu as number),
      12,
    );
  });
});

describe('ranks, ties and classes', () => {
  it('round(share × n) is half up, exactly', () => {
    expect(roundShare(0.05, 10)).toBe(1); // 0.5 → 1
    expect(roundShare(0.05, 30)).toBe(2); // 1.5 → 2
    expect(roundShare(0.05, 29)).toBe(1); // 1.45 → 1
    expect(roundShare(0.2, 1248)).toBe(250); // 249.6
    expect(roundShare(0.6, 1248)).toBe(749); // 748.8
    expect(roundShare(0.05, 1248)).toBe(62); // 62.4
    expect(roundShare(0.2, 0)).toBe(0);
  });

  it('A if r ≤ round(0.2n); D if r > n − round(0.05n); B if r ≤ round(0.6n); C otherwise', () => {
    // n = 10: A ranks 1–2, B 3–6, C 7–9, D 10.
    expect(Array.from({ length: 10 }, (_, i) => classForRank(config, i + 1, 10)).join('')).toBe('AABBBBCCCD');
    // n = 3: round(0.6) = 1 A; round(1.8) = 2 → B rank 2; round(0.15) = 0 → no D.
    expect([1, 2, 3].map((r) => classForRank(config, r, 3)).join('')).toBe('ABC');
    // n = 1: round(0.2) = 0 A, no D, round(0.6) = 1 → B.
    expect(classForRank(config, 1, 1)).toBe('B');
  });

  it('breaks a tie in total by tax per mu (desc), then by credit code (asc)', () => {
    // Both capped on both 规下 indicators (total 300); the second has the higher tax per mu.
    const lowTaxPerMu = below({ land_mu: 10, tax: 100, kwh: 10_000 }, { uscc: '91339105TIEAAAAA1X' });
    const highTaxPerMu = below({ land_mu: 5, tax: 100, kwh: 10_000 }, { uscc: '91339105TIEAAAAA2X' });
    // Identical twins: total and tax per mu equal, so the smaller credit code ranks first.
    const twinB = below({ land_mu: 5, tax: 1, kwh: 100_000 }, { uscc: '91339105TIEBBBBB2X' });
    const twinA = below({ land_mu: 5, tax: 1, kwh: 100_000 }, { uscc: '91339105TIEBBBBB1X' });
    const filler = Array.from({ length: 6 }, () => below({ land_mu: 50, tax: 2, kwh: 500_000 }));
    const r = scoreYear(config, Y, [lowTaxPerMu, twinB, ...filler, highTaxPerMu, twinA]);
    expect(find(r, lowTaxPerMu.uscc).total).toBe(300);
    expect(find(r, highTaxPerMu.uscc).total).toBe(300);
    expect(find(r, highTaxPerMu.uscc).rank).toBe(1);
    expect(find(r, lowTaxPerMu.uscc).rank).toBe(2);
    expect(find(r, twinA.uscc).total).toBe(find(r, twinB.uscc).total);
    expect(find(r, twinA.uscc).rank! + 1).toBe(find(r, twinB.uscc).rank);
  });

  it('is deterministic whatever order the figures arrive in', () => {
    const firms = Array.from({ length: 25 }, (_, i) => above({ tax: 10 + ((i * 37) % 11), value_added: 100 + i }));
    const a = scoreYear(config, Y, firms);
    const b = scoreYear(config, Y, [...firms].reverse());
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});

describe('veto (一票否决)', () => {
  it('caps a vetoed firm at C after ranking; the others keep their classes; D stays D', () => {
    // Ten 规上 firms ranked by tax: n = 10 → A A B B B B C C C D.
    const firms = Array.from({ length: 10 }, (_, i) => above({ tax: 100 - i * 5 }));
    firms[0]!.events.major_accidents = 1; // rank 1, A → C
    firms[3]!.events.severe_penalties = 2; // rank 4, B → C
    firms[9]!.events.major_accidents = 1; // rank 10, D stays D
    const r = scoreYear(config, Y, firms);
    const classesInRankOrder = firms.map((f) => find(r, f.uscc).class).join('');
    expect(classesInRankOrder).toBe('CABCBBCCCD');
    expect(find(r, firms[0]!.uscc)).toMatchObject({
      rank: 1,
      rankClass: 'A',
      class: 'C',
      veto: { rules: ['MAJOR_ACCIDENT'], applied: true },
    });
    expect(find(r, firms[3]!.uscc).veto).toEqual({ rules: ['SEVERE_ENV_PENALTY'], applied: true });
    expect(find(r, firms[9]!.uscc).veto).toEqual({ rules: ['MAJOR_ACCIDENT'], applied: false });
    expect(find(r, firms[1]!.uscc).veto).toBeNull();
    expect(r.groups[0]).toMatchObject({ vetoed: 3, vetoApplied: 2, classCounts: { A: 1, B: 3, C: 5, D: 1 } });
  });

  it('applies in the 规下 group too', () => {
    const firms = Array.from({ length: 5 }, (_, i) => below({ tax: 50 - i, land_mu: 5 }));
    firms[0]!.events.severe_penalties = 1;
    const r = scoreYear(config, Y, firms);
    expect(find(r, firms[0]!.uscc)).toMatchObject({ group: '规下', rankClass: 'A', class: 'C' });
  });
});

describe('differentiated electricity price for consecutive D years', () => {
  it('computes kWh × rate exactly, in 元 to the fen', () => {
    expect(surchargeAmount(1_234_567, '0.08')).toBe('98765.36');
    expect(surchargeAmount(12_345, '0.10')).toBe('1234.50');
    expect(surchargeAmount(3, '0.05')).toBe('0.15');
    expect(surchargeAmount(1, '0.005')).toBe('0.01');
    expect(surchargeAmount(0, '0.05')).toBe('0.00');
    // 0.1 + 0.2 style float drift would show here: 7 × 0.05 × 3 kWh sums.
    expect(surchargeAmount(9_007_199_254, '0.05')).toBe('450359962.70');
  });

  /** Sixty 规上 firms (n = 60: A ranks 1–12, B 13–36, C 37–57, D 58–60); those in `laggards` rank last. */
  function yearWith(laggards: readonly string[], year: number) {
    const facts: EnterpriseFacts[] = [];
    for (let i = 0; i < 60; i++) {
      const uscc = `91339105DYEAR${String(i).padStart(4, '0')}X`;
      facts.push(above({ tax: laggards.includes(uscc) ? 0.5 : 100 + i, kwh: 1_234_567 }, { uscc }));
    }
    return { year, facts };
  }

  it('0.05 in the first D year, 0.08 in the second, 0.10 from the third; a break restarts the count', () => {
    const x = '91339105DYEAR0007X';
    const y = '91339105DYEAR0011X';
    const z = '91339105DYEAR0013X';
    // x is D in 2023, 2024, 2025; y in 2024 and 2025; z in 2023 and 2025 (not 2024).
    const { result, earlier } = scoreWithHistory(config, yearWith([x, y, z], 2025), [
      yearWith([x, y], 2024),
      yearWith([x, z], 2023),
    ]);
    expect(earlier.map((e) => e.year)).toEqual([2023, 2024]);
    for (const [who, previous, expected] of [
      [x, ['D', 'D'], { years: 3, rate: '0.10', amount: '123456.70' }],
      [y, ['D', 'C'], { years: 2, rate: '0.08', amount: '98765.36' }],
      [z, ['C', 'D'], { years: 1, rate: '0.05', amount: '61728.35' }],
    ] as const) {
      const e = find(result, who);
      expect(e.class).toBe('D');
      expect(e.previousClasses.map((c) => c === 'D')).toEqual(previous.map((c) => c === 'D'));
      expect(e.policies).toEqual([
        {
          kind: 'electricitySurcharge',
          class: 'D',
          label: '差别化电价加价',
          consecutiveYears: expected.years,
          rate: expected.rate,
          kwh: 1_234_567,
          amount: expected.amount,
        },
      ]);
    }
  });

  it('lists class A for priority quotas, and totals the surcharge per policy', () => {
    const { facts } = yearWith(['91339105DYEAR0003X'], Y);
    const r = scoreYear(config, Y, facts);
    const a = r.enterprises.filter((e) => e.class === 'A');
    expect(a).toHaveLength(12);
    for (const e of a) expect(e.policies).toEqual([{ kind: 'listed', class: 'A', label: '优先保障用地、用能指标' }]);
    expect(r.policies).toEqual(
      expect.arrayContaining([
        // Three D firms in their first D year: 3 × 61,728.35.
        { kind: 'electricitySurcharge', class: 'D', label: '差别化电价加价', enterprises: 3, amount: '185185.05' },
        { kind: 'listed', class: 'A', label: '优先保障用地、用能指标', enterprises: 12, amount: null },
      ]),
    );
  });

  it('a D firm without an electricity figure is listed with no amount', () => {
    const { facts } = yearWith(['91339105DYEAR0003X'], Y);
    const noKwh = facts.map((f) =>
      f.uscc === '91339105DYEAR0003X' ? { ...f, inputs: { ...f.inputs, kwh: null } } : f,
    );
    const e = find(scoreYear(config, Y, noKwh), '91339105DYEAR0003X');
    expect(e.policies[0]).toMatchObject({ rate: '0.05', kwh: null, amount: null });
  });
});

describe('district and industry breakdown', () => {
  it('counts classes and forms 亩均 figures over graded firms', () => {
    const a = above({ tax: 100, land_mu: 10, value_added: 400 }, { districtCode: '339102', industryCode: '3670' });
    const b = above({ tax: 50, land_mu: 40, value_added: 100 }, { districtCode: '339102', industryCode: '3351' });
    const c = below({ tax: 30, land_mu: 5 }, { districtCode: '339103', industryCode: '3670' });
    const out = above({}, { districtCode: '339102', status: '注销' });
    const r = scoreYear(config, Y, [a, b, c, out]);
    const d102 = r.byDistrict.find((row) => row.key === '339102')!;
    expect(d102).toMatchObject({ enterprises: 2, graded: 2, landMu: 50, taxPerMu: 3, valueAddedPerMu: 10 });
    const i36 = r.byIndustry.find((row) => row.key === '36')!;
    expect(i36.graded).toBe(2);
    expect(i36.taxPerMu).toBeCloseTo(130 / 15, 12);
    expect(r.counts).toMatchObject({ registry: 4, inScope: 3, graded: 3 });
  });
});
