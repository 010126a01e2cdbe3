/** What scoring produces: each enterprise's result, each group's benchmarks and summary, the year's result. */
import type { EvaluationClass, GroupConfig, GroupLabel, InputName, VetoInput } from './config';

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
