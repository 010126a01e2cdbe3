/**
 * The 亩均论英雄 scoring engine: pure and deterministic. It takes the per-enterprise figures already fetched
 * from the departments (through the exchange, or from a test) and a methodology, and returns every
 * enterprise's group, graded flag or reason, indicator values, benchmarks, scores, total, rank, class,
 * veto and policies, with group and district/industry summaries. No I/O, no clock.
 *
 * Order does not depend on the input: enterprises are processed in credit-code order, so sums (and hence
 * benchmarks and totals) are the same floats whatever order the departments answered in. Money (surcharge
 * amounts) is exact: kWh × a decimal rate in BigInt units, rounded half up to the fen.
 */
import { divideRounded, formatUnits, toUnits } from '../../core/access/values';
import type {
  EvaluationClass,
  GroupConfig,
  GroupLabel,
  IndicatorConfig,
  InputName,
  Methodology,
  VetoInput,
} from './config';

/** What the market registry says of an enterprise (year-independent). */
export interface RegistryFacts {
  uscc: string;
  name: string;
  industryCode: string;
  districtCode: string;
  registeredDate: string;
  status: string;
}

/**
 * One enterprise's figures for year Y. `undefined` means "not fetched" (the enterprise was out of the
 * evaluation before the figure mattered); `null` means the department has no figure (missing).
 */
export interface EnterpriseFacts extends RegistryFacts {
  /** The 统计 above-scale flag in Y; null when the statistics bureau has no row for Y. */
  aboveScale?: boolean | null;
  /** Earliest acquisition date of the industrial parcels counted in land_mu; null when there are none. */
  earliestLandAcquired?: string | null;
  inputs: Partial<Record<InputName, number | null>>;
  events: Partial<Record<VetoInput, number | null>>;
}

export type IndicatorBasis = 'value' | 'zeroDenominator' | 'groupMean' | 'noBenchmark';

export interface IndicatorResult {
  id: string;
  /** numerator / denominator; null for a zero denominator or missing data. */
  value: number | null;
  benchmark: number | null;
  score: number;
  basis: IndicatorBasis;
}

export interface VetoResult {
  /** Codes of the veto rules the enterprise triggered in Y. */
  rules: string[];
  /** Whether the veto changed its class. */
  applied: boolean;
}

export interface PolicyResult {
  kind: 'electricitySurcharge' | 'listed';
  class: EvaluationClass;
  label: string;
  /** Consecutive years in the class, Y included (counted back as far as the methodology needs). */
  consecutiveYears?: number;
  /** 元/千瓦时, as configured. */
  rate?: string;
  /** kWh used in Y; null when the power company has no figure. */
  kwh?: number | null;
  /** kWh × rate in 元, exact to the fen; null without kWh. */
  amount?: string | null;
}

export interface EnterpriseResult {
  uscc: string;
  name: string;
  districtCode: string;
  industryCode: string;
  group: GroupLabel | null;
  graded: boolean;
  /** Why not graded: a stable code (OUT_OF_SCOPE_STATUS, NEW_ENTERPRISE, INCOMPLETE_DATA …); null when graded. */
  reason: string | null;
  reasonLabel: string | null;
  /** Inputs missing for an INCOMPLETE_DATA enterprise. */
  missing: InputName[];
  inputs: Partial<Record<InputName, number | null>>;
  events: Partial<Record<VetoInput, number | null>>;
  indicators: IndicatorResult[];
  scores: Record<string, number>;
  total: number | null;
  rank: number | null;
  class: EvaluationClass | null;
  /** The class from the rank alone, before a veto capped it. */
  rankClass: EvaluationClass | null;
  veto: VetoResult | null;
  /** Classes in Y−1, Y−2, … as far as the run looked back (null: not graded or no data that year). */
  previousClasses: (EvaluationClass | null)[];
  policies: PolicyResult[];
}

export interface BenchmarkResult {
  indicator: string;
  name: string;
  unit: string;
  weight: number;
  type: 'ratioOfTotals' | 'fixed';
  /** null when a ratio of totals cannot be formed (no data, or a zero total). */
  value: number | null;
  /** Enterprises whose data entered the ratio (for ratioOfTotals) or that had the data (fixed). */
  enterprises: number;
  numeratorTotal: number;
  denominatorTotal: number;
  /** The mean score of those with data: what an enterprise with missing data gets under groupMeanScore. */
  meanScore: number | null;
}

export interface GroupSummary {
  label: GroupLabel;
  /** Enterprises of the group in scope (graded and not). */
  enterprises: number;
  graded: number;
  notGraded: Record<string, number>;
  benchmarks: BenchmarkResult[];
  classCounts: Record<EvaluationClass, number>;
  /** Rank cut-offs: A up to rank a, B up to b, D from rank d + 1. */
  cutoffs: { a: number; b: number; d: number };
  vetoed: number;
  vetoApplied: number;
  maxTotal: number | null;
  minTotal: number | null;
}

export interface BreakdownRow {
  key: string;
  enterprises: number;
  graded: number;
  classCounts: Record<EvaluationClass, number>;
  byGroup: Partial<Record<GroupLabel, Record<EvaluationClass, number>>>;
  /** Industrial land of the graded enterprises (亩). */
  landMu: number;
  /** Σ tax / Σ land over graded enterprises (万元/亩). */
  taxPerMu: number | null;
  /** Σ value added / Σ land over graded enterprises with a value-added figure (万元/亩). */
  valueAddedPerMu: number | null;
}

export interface PolicySummary {
  kind: PolicyResult['kind'];
  class: EvaluationClass;
  label: string;
  enterprises: number;
  /** Total surcharge (元), exact; null for listed measures. */
  amount: string | null;
}

export interface YearResult {
  year: number;
  methodology: { id: string; version: string };
  enterprises: EnterpriseResult[];
  groups: GroupSummary[];
  byDistrict: BreakdownRow[];
  byIndustry: BreakdownRow[];
  policies: PolicySummary[];
  counts: { registry: number; inScope: number; graded: number; notGraded: Record<string, number> };
}

export type Eligibility =
  | { kind: 'excluded'; group: GroupLabel | null; code: string; label: string }
  | { kind: 'needsData' }
  | { kind: 'candidate'; group: GroupConfig };

const classOrder: Record<EvaluationClass, number> = { A: 0, B: 1, C: 2, D: 3 };

function emptyClassCounts(): Record<EvaluationClass, number> {
  return { A: 0, B: 0, C: 0, D: 0 };
}

/** GB/T 4754 division: the first two digits of the industry code. */
export function industryDivision(industryCode: string): number | null {
  const m = /^(\d{2})/.exec(industryCode);
  return m ? Number(m[1]) : null;
}

function yearStart(year: number): string {
  return `${String(year).padStart(4, '0')}-01-01`;
}

function groupFor(config: Methodology, aboveScale: boolean | null | undefined): GroupConfig | undefined {
  return config.groups.find((group) => group.aboveScale === (aboveScale === true));
}

function present(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Where an enterprise stands before its indicator figures are needed: outside the population, excluded
 * (with the methodology's reason), a candidate of a group, or "needs data" when a rule depends on land or
 * statistics not fetched yet. The data-gathering step asks this to fetch figures only for those who need them.
 */
export function eligibility(
  config: Methodology,
  year: number,
  facts: EnterpriseFacts,
  /** At scoring time nothing more will be fetched: a figure not fetched counts as missing. */
  final = false,
): Eligibility {
  const division = industryDivision(facts.industryCode);
  const { from, to } = config.scope.industryDivisions;
  if (!config.scope.statuses.includes(facts.status)) {
    return { kind: 'excluded', group: null, code: 'OUT_OF_SCOPE_STATUS', label: `登记状态为${facts.status}` };
  }
  if (division === null || division < from || division > to) {
    return {
      kind: 'excluded',
      group: null,
      code: 'OUT_OF_SCOPE_INDUSTRY',
      label: `非评价行业（${facts.industryCode}，不在 ${from}–${to} 大类）`,
    };
  }
  // The group is known once the statistics bureau answered; exclusions are listed with it when known.
  const groupKnown = facts.aboveScale !== undefined;
  const group = groupKnown ? groupFor(config, facts.aboveScale) : undefined;
  const label = group?.label ?? null;
  const landKnown = final || facts.inputs.land_mu !== undefined;
  for (const exclusion of config.exclusions) {
    switch (exclusion.rule) {
      case 'registeredSince':
        if (facts.registeredDate >= yearStart(year - exclusion.yearsBefore)) {
          return { kind: 'excluded', group: label, code: exclusion.code, label: exclusion.label };
        }
        break;
      case 'noIndustrialLand':
        if (!landKnown) return { kind: 'needsData' };
        if (!present(facts.inputs.land_mu)) {
          return { kind: 'excluded', group: label, code: exclusion.code, label: exclusion.label };
        }
        break;
      case 'landAcquiredSince':
        if (!landKnown) return { kind: 'needsData' };
        if (
          present(facts.inputs.land_mu) &&
          facts.earliestLandAcquired &&
          facts.earliestLandAcquired >= yearStart(year - exclusion.yearsBefore)
        ) {
          return { kind: 'excluded', group: label, code: exclusion.code, label: exclusion.label };
        }
        break;
    }
  }
  if (!landKnown || (!groupKnown && !final)) return { kind: 'needsData' };
  // No statistics row (or, at scoring time, none asked for): not above scale.
  if (!groupKnown) return eligibleInGroup(facts, groupFor(config, null));
  return eligibleInGroup(facts, group);
}

function eligibleInGroup(facts: EnterpriseFacts, group: GroupConfig | undefined): Eligibility {
  if (!group) {
    return { kind: 'excluded', group: null, code: 'NO_GROUP', label: '不属于任何评价组' };
  }
  const land = facts.inputs.land_mu;
  if (!present(land)) {
    // No exclusion rule for enterprises without land: nothing to divide by.
    return { kind: 'excluded', group: group.label, code: 'NO_INDUSTRIAL_LAND', label: '无自有工业用地' };
  }
  if (group.minLandMu !== null && land < group.minLandMu) {
    return {
      kind: 'excluded',
      group: group.label,
      code: 'LAND_BELOW_MINIMUM',
      label: `${group.label}企业工业用地不足 ${group.minLandMu} 亩`,
    };
  }
  return { kind: 'candidate', group };
}

/** The inputs an enterprise of this group must have, with the rule for each when it is missing. */
function missingRuleOf(group: GroupConfig, input: InputName): 'incomplete' | 'zero' | 'groupMeanScore' {
  return group.missing[input] ?? 'incomplete';
}

/** round(share × n), half up, exactly (shares are decimal fractions such as 0.05). */
export function roundShare(share: number, n: number): number {
  const units = BigInt(share.toFixed(12).replace('.', ''));
  const scale = 10n ** 12n;
  return Number((2n * units * BigInt(n) + scale) / (2n * scale));
}

export function classForRank(config: Methodology, rank: number, n: number): EvaluationClass {
  const { a, b, d } = cutoffs(config, n);
  if (rank <= a) return 'A';
  if (rank > n - d) return 'D';
  if (rank <= b) return 'B';
  return 'C';
}

function cutoffs(config: Methodology, n: number): { a: number; b: number; d: number } {
  return {
    a: roundShare(config.classes.aShare, n),
    b: roundShare(config.classes.bShare, n),
    d: roundShare(config.classes.dShare, n),
  };
}

/** kWh × rate (元/千瓦时, a decimal string), in 元 rounded half up to the fen. */
export function surchargeAmount(kwh: number, rate: string): string {
  const rateUnits = toUnits(rate, 6);
  if (rateUnits === null || !Number.isSafeInteger(kwh)) throw new Error(`bad surcharge inputs ${kwh} × ${rate}`);
  return formatUnits(divideRounded(BigInt(kwh) * rateUnits, 10_000n), 2);
}

interface Candidate {
  facts: EnterpriseFacts;
  result: EnterpriseResult;
}

const BASIS_VALUE = 0;
const BASIS_ZERO = 1;
const BASIS_MEAN = 2;
const BASIS_NONE = 3;
const basisNames: IndicatorBasis[] = ['value', 'zeroDenominator', 'groupMean', 'noBenchmark'];

/** Per indicator of a group: its benchmark, and each candidate's value, basis and score (in member order). */
function scoreGroup(config: Methodology, group: GroupConfig, members: Candidate[]): BenchmarkResult[] {
  const cap = config.scoring.cap;
  const benchmarks: BenchmarkResult[] = [];
  const count = members.length;
  const values = new Float64Array(count);
  const basis = new Uint8Array(count);
  const scores = new Float64Array(count);
  for (const indicator of group.indicators) {
    const numeratorZero = missingRuleOf(group, indicator.numerator) === 'zero';
    const denominatorZero = missingRuleOf(group, indicator.denominator) === 'zero';
    let numeratorTotal = 0;
    let denominatorTotal = 0;
    let withData = 0;
    for (let i = 0; i < count; i++) {
      const inputs = (members[i] as Candidate).facts.inputs;
      let n = inputs[indicator.numerator];
      let d = inputs[indicator.denominator];
      if (!present(n)) n = numeratorZero ? 0 : null;
      if (!present(d)) d = denominatorZero ? 0 : null;
      if (n === null || n === undefined || d === null || d === undefined) {
        basis[i] = BASIS_MEAN;
        continue;
      }
      const den = d / indicator.denominatorDivisor;
      numeratorTotal += n;
      denominatorTotal += d;
      withData += 1;
      if (den === 0) basis[i] = BASIS_ZERO;
      else {
        basis[i] = BASIS_VALUE;
        values[i] = n / den;
      }
    }
    let benchmark: number | null;
    if (indicator.benchmark.type === 'fixed') benchmark = indicator.benchmark.value;
    else {
      const ratio = denominatorTotal === 0 ? null : numeratorTotal / (denominatorTotal / indicator.denominatorDivisor);
      benchmark = ratio !== null && Number.isFinite(ratio) && ratio > 0 ? ratio : null;
    }
    const weight = indicator.weight;
    let best: number | null = null;
    for (let i = 0; i < count; i++) {
      if (basis[i] !== BASIS_VALUE) continue;
      if (benchmark === null) {
        basis[i] = BASIS_NONE;
        scores[i] = 0;
        continue;
      }
      const ratio = Math.max(values[i] as number, 0) / benchmark;
      const score = weight * (cap === null ? ratio : Math.min(ratio, cap));
      scores[i] = score;
      if (best === null || score > best) best = score;
    }
    const zeroScore =
      config.scoring.zeroDenominator === 'cap'
        ? weight * (cap as number)
        : config.scoring.zeroDenominator === 'groupMax'
          ? (best ?? weight)
          : 0;
    let sumWithData = 0;
    for (let i = 0; i < count; i++) {
      if (basis[i] === BASIS_ZERO) scores[i] = zeroScore;
      if (basis[i] !== BASIS_MEAN) sumWithData += scores[i] as number;
    }
    const meanScore = withData > 0 ? sumWithData / withData : null;
    for (let i = 0; i < count; i++) {
      const b = basis[i] as number;
      const score = b === BASIS_MEAN ? (meanScore ?? 0) : (scores[i] as number);
      const result = (members[i] as Candidate).result;
      result.indicators.push({
        id: indicator.id,
        value: b === BASIS_VALUE || b === BASIS_NONE ? (values[i] as number) : null,
        benchmark,
        score,
        basis: basisNames[b] as IndicatorBasis,
      });
      result.scores[indicator.id] = score;
    }
    benchmarks.push({
      indicator: indicator.id,
      name: indicator.name,
      unit: indicator.unit,
      weight,
      type: indicator.benchmark.type,
      value: benchmark,
      enterprises: withData,
      numeratorTotal,
      denominatorTotal,
      meanScore,
    });
  }
  return benchmarks;
}

/** Orders a group's members for ranking: total desc, then the methodology's tie-breaks (precomputed keys). */
function rankOrder(config: Methodology, group: GroupConfig, members: readonly Candidate[]): Candidate[] {
  const indicatorIndex = new Map(group.indicators.map((indicator, index) => [indicator.id, index]));
  const totals = members.map((m) => m.result.total as number);
  const keys = config.ranking.tieBreaks.map((tie) => {
    if (tie.by === 'uscc') return null;
    const index = indicatorIndex.get(tie.indicator) as number;
    // A zero denominator ranks as the best possible value of the indicator.
    return members.map((m) => m.result.indicators[index]?.value ?? Number.POSITIVE_INFINITY);
  });
  const order = members.map((_, i) => i);
  order.sort((a, b) => {
    const byTotal = (totals[b] as number) - (totals[a] as number);
    if (byTotal !== 0) return byTotal;
    for (let t = 0; t < keys.length; t++) {
      const tie = config.ranking.tieBreaks[t] as Methodology['ranking']['tieBreaks'][number];
      const key = keys[t];
      let diff: number;
      if (key === null || key === undefined) {
        const ua = (members[a] as Candidate).result.uscc;
        const ub = (members[b] as Candidate).result.uscc;
        diff = ua < ub ? -1 : ua > ub ? 1 : 0;
      } else {
        const va = key[a] as number;
        const vb = key[b] as number;
        diff = va === vb ? 0 : va < vb ? -1 : 1;
      }
      if (diff !== 0) return tie.order === 'asc' ? diff : -diff;
    }
    return 0;
  });
  return order.map((i) => members[i] as Candidate);
}

function compareIndicatorInputs(indicator: IndicatorConfig): InputName[] {
  return [indicator.numerator, indicator.denominator];
}

/**
 * Scores one year. `history` maps a credit code to its classes in Y−1, Y−2, … (from runs of those years
 * with the same methodology); it decides consecutive-year policies such as the D surcharge tiers.
 */
export function scoreYear(
  config: Methodology,
  year: number,
  facts: readonly EnterpriseFacts[],
  history: ReadonlyMap<string, readonly (EvaluationClass | null)[]> = new Map(),
): YearResult {
  const sorted = [...facts].sort((a, b) => (a.uscc < b.uscc ? -1 : a.uscc > b.uscc ? 1 : 0));
  const results: EnterpriseResult[] = [];
  const candidatesByGroup = new Map<GroupLabel, Candidate[]>();
  const notGraded: Record<string, number> = {};
  for (const item of sorted) {
    const result: EnterpriseResult = {
      uscc: item.uscc,
      name: item.name,
      districtCode: item.districtCode,
      industryCode: item.industryCode,
      group: null,
      graded: false,
      reason: null,
      reasonLabel: null,
      missing: [],
      inputs: item.inputs,
      events: item.events,
      indicators: [],
      scores: {},
      total: null,
      rank: null,
      class: null,
      rankClass: null,
      veto: null,
      previousClasses: (history.get(item.uscc) as (EvaluationClass | null)[] | undefined) ?? [],
      policies: [],
    };
    results.push(result);
    // Figures not fetched are missing at this stage: the gathering step fetched all a candidate needs.
    // The group stays unknown (null) for an enterprise excluded before its statistics were asked for.
    const decided = eligibility(config, year, item, true);
    if (decided.kind === 'needsData') throw new Error('unreachable: every fact is known at scoring time');
    if (decided.kind === 'excluded') {
      result.group = decided.group;
      result.reason = decided.code;
      result.reasonLabel = decided.label;
      notGraded[decided.code] = (notGraded[decided.code] ?? 0) + 1;
      continue;
    }
    const group = decided.group;
    result.group = group.label;
    const missing = new Set<InputName>();
    for (const indicator of group.indicators) {
      for (const input of compareIndicatorInputs(indicator)) {
        if (!present(item.inputs[input]) && missingRuleOf(group, input) === 'incomplete') missing.add(input);
      }
    }
    if (missing.size > 0) {
      result.reason = 'INCOMPLETE_DATA';
      result.reasonLabel = '数据不全';
      result.missing = [...missing];
      notGraded.INCOMPLETE_DATA = (notGraded.INCOMPLETE_DATA ?? 0) + 1;
      continue;
    }
    result.graded = true;
    const list = candidatesByGroup.get(group.label) ?? [];
    list.push({ facts: item, result });
    candidatesByGroup.set(group.label, list);
  }

  const groups: GroupSummary[] = [];
  const policyTotals = new Map<string, { summary: PolicySummary; units: bigint }>();
  for (const group of config.groups) {
    const members = candidatesByGroup.get(group.label) ?? [];
    const benchmarks = scoreGroup(config, group, members);
    for (const member of members) {
      let total = 0;
      for (const indicator of member.result.indicators) total += indicator.score;
      member.result.total = total;
    }
    const ranked = rankOrder(config, group, members);
    const n = ranked.length;
    const cut = cutoffs(config, n);
    const counts = emptyClassCounts();
    let vetoed = 0;
    let vetoApplied = 0;
    ranked.forEach((member, index) => {
      const rank = index + 1;
      const rankClass: EvaluationClass = rank <= cut.a ? 'A' : rank > n - cut.d ? 'D' : rank <= cut.b ? 'B' : 'C';
      let cls = rankClass;
      let rules: string[] | null = null;
      for (const rule of config.veto.rules) {
        if ((member.facts.events[rule.input] ?? 0) >= rule.atLeast) {
          rules = rules ?? [];
          rules.push(rule.code);
        }
      }
      if (rules !== null) {
        vetoed += 1;
        const applied = classOrder[cls] < classOrder[config.veto.capClass];
        if (applied) {
          cls = config.veto.capClass;
          vetoApplied += 1;
        }
        member.result.veto = { rules, applied };
      }
      member.result.rank = rank;
      member.result.rankClass = rankClass;
      member.result.class = cls;
      counts[cls] += 1;
      member.result.policies = policiesFor(config, member.result, cls);
      for (const policy of member.result.policies) {
        const key = `${policy.kind}:${policy.class}:${policy.label}`;
        let entry = policyTotals.get(key);
        if (!entry) {
          entry = {
            summary: { kind: policy.kind, class: policy.class, label: policy.label, enterprises: 0, amount: null },
            units: 0n,
          };
          policyTotals.set(key, entry);
        }
        entry.summary.enterprises += 1;
        if (policy.amount) entry.units += toUnits(policy.amount, 2) as bigint;
        if (policy.kind === 'electricitySurcharge') entry.summary.amount = formatUnits(entry.units, 2);
      }
    });
    const inGroup = results.filter((r) => r.group === group.label);
    const groupNotGraded: Record<string, number> = {};
    for (const r of inGroup) if (!r.graded && r.reason) groupNotGraded[r.reason] = (groupNotGraded[r.reason] ?? 0) + 1;
    const totals = ranked.map((m) => m.result.total as number);
    groups.push({
      label: group.label,
      enterprises: inGroup.length,
      graded: n,
      notGraded: groupNotGraded,
      benchmarks,
      classCounts: counts,
      cutoffs: cut,
      vetoed,
      vetoApplied,
      maxTotal: totals.length ? (totals[0] as number) : null,
      minTotal: totals.length ? (totals[totals.length - 1] as number) : null,
    });
  }

  const inScope = results.filter((r) => r.reason !== 'OUT_OF_SCOPE_STATUS' && r.reason !== 'OUT_OF_SCOPE_INDUSTRY');
  return {
    year,
    methodology: { id: config.id, version: config.version },
    enterprises: results,
    groups,
    byDistrict: breakdown(inScope, (r) => r.districtCode),
    byIndustry: breakdown(inScope, (r) => r.industryCode.slice(0, 2)),
    policies: [...policyTotals.values()].map((entry) => entry.summary),
    counts: {
      registry: results.length,
      inScope: inScope.length,
      graded: results.filter((r) => r.graded).length,
      notGraded,
    },
  };
}

function policiesFor(config: Methodology, result: EnterpriseResult, cls: EvaluationClass): PolicyResult[] {
  const out: PolicyResult[] = [];
  for (const policy of config.policies) {
    if (policy.class !== cls) continue;
    if (policy.kind === 'listed') {
      out.push({ kind: 'listed', class: cls, label: policy.label });
      continue;
    }
    let years = 1;
    for (const previous of result.previousClasses) {
      if (previous !== cls) break;
      years += 1;
    }
    const rates = policy.ratesByConsecutiveYear;
    const rate = rates[Math.min(years, rates.length) - 1] as string;
    const kwh = result.inputs.kwh;
    out.push({
      kind: 'electricitySurcharge',
      class: cls,
      label: policy.label,
      consecutiveYears: years,
      rate,
      kwh: present(kwh) ? kwh : null,
      amount: present(kwh) ? surchargeAmount(kwh, rate) : null,
    });
  }
  return out;
}

function breakdown(results: readonly EnterpriseResult[], keyOf: (r: EnterpriseResult) => string): BreakdownRow[] {
  const rows = new Map<string, BreakdownRow & { tax: number; va: number; vaLand: number }>();
  for (const r of results) {
    const key = keyOf(r);
    let row = rows.get(key);
    if (!row) {
      row = {
        key,
        enterprises: 0,
        graded: 0,
        classCounts: emptyClassCounts(),
        byGroup: {},
        landMu: 0,
        taxPerMu: null,
        valueAddedPerMu: null,
        tax: 0,
        va: 0,
        vaLand: 0,
      };
      rows.set(key, row);
    }
    row.enterprises += 1;
    if (!r.graded || !r.class || !r.group) continue;
    row.graded += 1;
    row.classCounts[r.class] += 1;
    const byGroup = row.byGroup[r.group] ?? emptyClassCounts();
    row.byGroup[r.group] = byGroup;
    byGroup[r.class] += 1;
    const land = r.inputs.land_mu as number;
    row.landMu += land;
    row.tax += r.inputs.tax ?? 0;
    if (present(r.inputs.value_added)) {
      row.va += r.inputs.value_added;
      row.vaLand += land;
    }
  }
  return [...rows.values()]
    .map(({ tax, va, vaLand, ...row }) => ({
      ...row,
      taxPerMu: row.landMu > 0 ? tax / row.landMu : null,
      valueAddedPerMu: vaLand > 0 ? va / vaLand : null,
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export interface RunYear {
  year: number;
  facts: readonly EnterpriseFacts[];
}

/**
 * Scores Y with the classes of the earlier years it needs for consecutive-year policies: each earlier year
 * is scored in full with the same methodology (oldest first), and its classes become Y's history.
 */
export function scoreWithHistory(
  config: Methodology,
  target: RunYear,
  earlier: readonly RunYear[],
): { result: YearResult; earlier: YearResult[] } {
  const ordered = [...earlier].sort((a, b) => a.year - b.year);
  const earlierResults: YearResult[] = [];
  const classesByYear = new Map<number, Map<string, EvaluationClass | null>>();
  for (const run of ordered) {
    const result = scoreYear(config, run.year, run.facts, historyFor(run.year, classesByYear, ordered));
    earlierResults.push(result);
    classesByYear.set(run.year, new Map(result.enterprises.map((e) => [e.uscc, e.class])));
  }
  const result = scoreYear(config, target.year, target.facts, historyFor(target.year, classesByYear, ordered));
  return { result, earlier: earlierResults };
}

function historyFor(
  year: number,
  classesByYear: ReadonlyMap<number, ReadonlyMap<string, EvaluationClass | null>>,
  runs: readonly RunYear[],
): Map<string, (EvaluationClass | null)[]> {
  const years = runs.map((run) => run.year).filter((y) => y < year && classesByYear.has(y));
  years.sort((a, b) => b - a);
  // Only an unbroken run of years counts back: Y−1, Y−2, … until a year was not evaluated.
  const chain: number[] = [];
  for (let y = year - 1; years.includes(y); y -= 1) chain.push(y);
  const history = new Map<string, (EvaluationClass | null)[]>();
  if (chain.length === 0) return history;
  const subjects = new Set<string>();
  for (const y of chain) for (const uscc of classesByYear.get(y)?.keys() ?? []) subjects.add(uscc);
  for (const uscc of subjects)
    history.set(
      uscc,
      chain.map((y) => classesByYear.get(y)?.get(uscc) ?? null),
    );
  return history;
}
