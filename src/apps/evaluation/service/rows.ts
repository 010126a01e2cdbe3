/**
 * How an evaluation is kept and shown: the stored row and detail of each enterprise, the run's summary,
 * and the shapes of lists, results, policies and class moves built from them.
 */
import type { EvaluationClass, InputName, Methodology } from './config';
import type { SourceKey } from './gather';
import type { EnterpriseResult, GroupSummary, YearResult } from './score-types';
import type { EnterpriseRow, EvaluationRecord, ExchangeRow } from '../store/store';

/** What is stored per enterprise besides the indexed columns. */
export interface EnterpriseDetail {
  reasonLabel: string | null;
  missing: InputName[];
  inputs: EnterpriseResult['inputs'];
  events: EnterpriseResult['events'];
  earliestLandAcquired: string | null;
  indicators: EnterpriseResult['indicators'];
  scores: Record<string, number>;
  veto: EnterpriseResult['veto'];
  previousClasses: (EvaluationClass | null)[];
  policies: EnterpriseResult['policies'];
  /** Which exchange (seq) supplied each source's figures for Y. */
  refs: Partial<Record<SourceKey, number>>;
}

export interface EvaluationSummary {
  methodology: { id: string; version: string; title: string };
  years: number[];
  counts: YearResult['counts'];
  groups: YearResult['groups'];
  byDistrict: YearResult['byDistrict'];
  byIndustry: YearResult['byIndustry'];
  policies: YearResult['policies'];
  /** Where the classes of the earlier years came from. */
  history: { kind: 'stored'; evaluationId: string; year: number } | { kind: 'recomputed'; years: number[] };
  /** The earlier years' class counts, newest first (scored in the same run, or from the stored evaluation). */
  earlier: {
    year: number;
    counts: YearResult['counts'];
    groups: { label: string; graded: number; classCounts: Record<EvaluationClass, number> }[];
  }[];
  /** Where the run's time went: the exchange (all years) and the scoring; the rest of `durationMs` is the store. */
  timings: { gatherMs: number; scoreMs: number };
  /** Class in Y−1 → class in Y, per group (same methodology, from the same run). */
  moves: Record<string, Record<string, Record<string, number>>>;
}

/**
 * An evaluation as the API returns it (GET /evaluations, /evaluations/{id}): the stored record, with the
 * methodology and the summary it keeps as JSON read with their shapes. Shared by the CLI and the console.
 */
export interface EvaluationView extends Omit<EvaluationRecord, 'config' | 'summary'> {
  summary: EvaluationSummary | null;
  /** The methodology document the evaluation ran with (re-runs send it back unchanged). */
  config: Methodology | null;
  /** With GET /evaluations/{id} only: the exchanges that supplied the figures. */
  exchanges?: ExchangeRow[];
}

/** One enterprise's stored row: the figures shown in lists, with the full detail behind them. */
export function toRow(
  e: EnterpriseResult,
  refs: Partial<Record<SourceKey, number>>,
  earliestLandAcquired: string | null,
): EnterpriseRow {
  const detail: EnterpriseDetail = {
    reasonLabel: e.reasonLabel,
    missing: e.missing,
    inputs: e.inputs,
    events: e.events,
    earliestLandAcquired,
    indicators: e.indicators,
    scores: e.scores,
    veto: e.veto,
    previousClasses: e.previousClasses,
    policies: e.policies,
    refs,
  };
  const surcharge = e.policies.find((p) => p.kind === 'electricitySurcharge');
  return {
    uscc: e.uscc,
    name: e.name,
    group: e.group,
    graded: e.graded,
    reason: e.reason,
    total: e.total,
    rank: e.rank,
    class: e.class,
    rankClass: e.rankClass,
    veto: e.veto !== null,
    districtCode: e.districtCode,
    industryCode: e.industryCode,
    previousClass: e.previousClasses[0] ?? null,
    classHistory: [e.class, ...e.previousClasses].map((c) => c ?? '-').join(''),
    surcharge: surcharge?.amount ?? null,
    detail,
  };
}

/** Where an enterprise stands: who it is, its group and whether and how it was graded. */
function standing(row: EnterpriseRow) {
  const detail = row.detail as EnterpriseDetail;
  return {
    uscc: row.uscc,
    name: row.name,
    districtCode: row.districtCode,
    industryCode: row.industryCode,
    group: row.group,
    graded: row.graded,
    reason: row.reason,
    reasonLabel: detail.reasonLabel,
    total: row.total,
    rank: row.rank,
    class: row.class,
    rankClass: row.rankClass,
  };
}

export function listItem(row: EnterpriseRow) {
  return { ...standing(row), veto: row.veto, previousClass: row.previousClass, surcharge: row.surcharge };
}

/** One enterprise in the whole result. */
export type ResultItem = ReturnType<typeof resultItem>;

export function resultItem(row: EnterpriseRow) {
  const detail = row.detail as EnterpriseDetail;
  return {
    ...standing(row),
    missing: detail.missing,
    inputs: { ...detail.inputs, ...detail.events },
    indicators: Object.fromEntries(detail.indicators.map((i) => [i.id, i.value])),
    scores: detail.scores,
    veto: detail.veto,
    previousClasses: detail.previousClasses,
    policies: detail.policies,
    sources: detail.refs,
  };
}

export function policyItems(rows: EnterpriseRow[]) {
  return rows.flatMap((row) => {
    const detail = row.detail as EnterpriseDetail;
    return detail.policies.map((policy) => ({
      uscc: row.uscc,
      name: row.name,
      group: row.group as string,
      rank: row.rank as number,
      class: policy.class,
      districtCode: row.districtCode,
      industryCode: row.industryCode,
      kind: policy.kind,
      label: policy.label,
      consecutiveYears: policy.consecutiveYears ?? null,
      rate: policy.rate ?? null,
      kwh: policy.kwh ?? null,
      amount: policy.amount ?? null,
    }));
  });
}

export function compactGroups(groups: readonly Pick<GroupSummary, 'label' | 'graded' | 'classCounts'>[]) {
  return groups.map((g) => ({ label: g.label, graded: g.graded, classCounts: g.classCounts }));
}

export function movesOf(result: YearResult): EvaluationSummary['moves'] {
  const moves: EvaluationSummary['moves'] = {};
  for (const e of result.enterprises) {
    if (!e.group) continue;
    const before = e.previousClasses[0] ?? null;
    if (e.class === null && before === null) continue;
    const group = moves[e.group] ?? {};
    moves[e.group] = group;
    const from = before ?? '-';
    const row = group[from] ?? {};
    group[from] = row;
    row[e.class ?? '-'] = (row[e.class ?? '-'] ?? 0) + 1;
  }
  return moves;
}
