/**
 * Who is evaluated and into which class (RULES.md §8): eligibility by group, industry and registration,
 * the inputs a group requires, class cut-offs by rank, and the electricity surcharge.
 */
import { divideRounded, formatUnits, toUnits } from '../../../core/access/values';
import type { EvaluationClass, GroupConfig, InputName, Methodology } from './config';
import type { Eligibility, EnterpriseFacts } from './score-types';

export const classOrder: Record<EvaluationClass, number> = { A: 0, B: 1, C: 2, D: 3 };

export function emptyClassCounts(): Record<EvaluationClass, number> {
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

export function present(value: number | null | undefined): value is number {
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
      // The enterprise's own code is in its row; the label names the rule, so equal reasons group together.
      label: `非评价行业（不在 ${from}–${to} 大类）`,
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
export function missingRuleOf(group: GroupConfig, input: InputName): 'incomplete' | 'zero' | 'groupMeanScore' {
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

export function cutoffs(config: Methodology, n: number): { a: number; b: number; d: number } {
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
