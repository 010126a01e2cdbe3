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
import { formatUnits, toUnits } from '../../../core/access/values';
import type { EvaluationClass, GroupConfig, GroupLabel, IndicatorConfig, InputName, Methodology } from './config';
import {
  classOrder,
  cutoffs,
  eligibility,
  emptyClassCounts,
  missingRuleOf,
  present,
  surchargeAmount,
} from './eligibility';
import type {
  BenchmarkResult,
  BreakdownRow,
  EnterpriseFacts,
  EnterpriseResult,
  GroupSummary,
  IndicatorBasis,
  PolicyResult,
  PolicySummary,
  YearResult,
} from './score-types';

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
