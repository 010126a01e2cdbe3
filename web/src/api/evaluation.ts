// Client of 亩均论英雄 (/apps/evaluation/v1): evaluations, the ranking table, an enterprise's figures with their
// sources, class moves, the policy list, objections (数据异议) and the XLSX export.
import { ApiError, call, getToken } from './client';
import { decodeProblem } from '../../../src/core/problem';

// The answers' shapes come from the application itself (type-only), so the console cannot drift from them.
import type { EvaluationClass, GroupLabel, Methodology } from '../../../src/apps/evaluation/service/config';
import type {
  BenchmarkResult as Benchmark,
  BreakdownRow,
  GroupSummary,
  PolicyResult as Policy,
  PolicySummary,
  VetoResult,
} from '../../../src/apps/evaluation/service/score-types';
import type { EvaluationSummary, EvaluationView } from '../../../src/apps/evaluation/service/rows';
import type { ExchangeRow as Exchange, Objection } from '../../../src/apps/evaluation/store/store';

export type {
  Benchmark,
  BreakdownRow,
  EvaluationClass,
  EvaluationSummary,
  Exchange,
  GroupLabel,
  GroupSummary,
  Objection,
  Policy,
  PolicySummary,
};

const BASE = '/apps/evaluation/v1';

export type ClassCounts = Record<EvaluationClass, number>;

/** An evaluation as the API returns it. */
export type Evaluation = EvaluationView;

export interface MethodologyInfo {
  id: string;
  version: string;
  title: string;
  titleEn: string | null;
  description: string;
  sources: string[];
}

export interface EnterpriseListItem {
  uscc: string;
  name: string;
  group: GroupLabel | null;
  graded: boolean;
  reason: string | null;
  reasonLabel: string | null;
  total: number | null;
  rank: number | null;
  class: EvaluationClass | null;
  rankClass: EvaluationClass | null;
  veto: boolean;
  districtCode: string;
  industryCode: string;
  previousClass: EvaluationClass | null;
  surcharge: string | null;
}

export interface EnterpriseQuery {
  group?: GroupLabel;
  class?: EvaluationClass;
  graded?: 'true' | 'false';
  district?: string;
  industry?: string;
  reason?: string;
  q?: string;
  sort?: 'rank' | 'total' | 'uscc' | 'name' | 'class';
  order?: 'asc' | 'desc';
  page?: number;
  pageSize?: number;
}

export interface EnterpriseDetail extends Omit<EnterpriseListItem, 'veto'> {
  evaluationId: string;
  year: number;
  methodology: { id: string; version: string };
  missing: string[];
  earliestLandAcquired: string | null;
  indicators: {
    id: string;
    name: string;
    nameEn: string;
    unit: string;
    weight: number;
    numerator: string;
    denominator: string;
    value: number | null;
    benchmark: number | null;
    score: number | null;
    basis: 'value' | 'zeroDenominator' | 'groupMean' | 'noBenchmark' | null;
    hidden: boolean;
  }[];
  figures: {
    figure: string;
    label: string;
    labelEn: string;
    unit: string;
    value: number | null;
    hidden: boolean;
    provider: string;
    department: string;
    computation: string;
    requestId: string | null;
    ledgerIndex: number | null;
    disputed: boolean;
  }[];
  registry: { provider: string; department: string; requestId: string | null; ledgerIndex: number | null };
  veto: VetoResult | null;
  previousClasses: (EvaluationClass | null)[];
  policies: Policy[];
  objections: Objection[];
}

export interface Moves {
  basis: { kind: 'sameRun'; year: number } | { kind: 'evaluation'; id: string; year: number; configId: string };
  matrix: Record<string, Record<string, number>>;
  moved: {
    uscc: string;
    name: string;
    group: GroupLabel | null;
    from: EvaluationClass | null;
    to: EvaluationClass | null;
  }[];
  movedTotal: number;
}

export interface PolicyItem {
  uscc: string;
  name: string;
  group: GroupLabel;
  rank: number;
  class: EvaluationClass;
  districtCode: string;
  industryCode: string;
  kind: 'electricitySurcharge' | 'listed';
  label: string;
  consecutiveYears: number | null;
  rate: string | null;
  kwh: number | null;
  amount: string | null;
}

const get = <T>(path: string, query?: Record<string, string | number | undefined>) =>
  call<T>(BASE, 'GET', path, undefined, query, 'hub');
const post = <T>(path: string, body: unknown) => call<T>(BASE, 'POST', path, body, undefined, 'hub');

export const evaluationApi = {
  configs: () => get<{ items: MethodologyInfo[] }>('/configs'),
  config: (id: string) => get<Methodology>(`/configs/${encodeURIComponent(id)}`),
  list: (year?: number) => get<{ items: Evaluation[] }>('/evaluations', { year }),
  get: (id: string) => get<Evaluation>(`/evaluations/${encodeURIComponent(id)}`),
  run: (body: { year: number; configId?: string; config?: unknown; history?: 'auto' | 'recompute' }) =>
    post<Evaluation>('/evaluations', body),
  enterprises: (id: string, q: EnterpriseQuery) =>
    get<{ items: EnterpriseListItem[]; total: number; page: number; pageSize: number }>(
      `/evaluations/${encodeURIComponent(id)}/enterprises`,
      { ...q },
    ),
  enterprise: (id: string, uscc: string) =>
    get<EnterpriseDetail>(`/evaluations/${encodeURIComponent(id)}/enterprises/${encodeURIComponent(uscc)}`),
  moves: (id: string, against?: string) => get<Moves>(`/evaluations/${encodeURIComponent(id)}/moves`, { against }),
  policies: (id: string) =>
    get<{ items: PolicyItem[]; summary: PolicySummary[] }>(`/evaluations/${encodeURIComponent(id)}/policies`),
  objections: (q: { evaluationId?: string; year?: number; status?: Objection['status'] } = {}) =>
    get<{ items: Objection[] }>('/objections', { ...q }),
  object: (id: string, body: { uscc: string; figure: string; reason: string }) =>
    post<Objection>(`/evaluations/${encodeURIComponent(id)}/objections`, body),
  resolve: (objectionId: string, body: { status: 'corrected' | 'rejected'; note?: string }) =>
    post<Objection>(`/objections/${encodeURIComponent(objectionId)}/resolve`, body),
  /** The workbook as a file download (the bearer token cannot ride on a plain link). */
  async downloadXlsx(id: string, year: number): Promise<void> {
    const res = await fetch(`${BASE}/evaluations/${encodeURIComponent(id)}/xlsx`, {
      headers: { Authorization: `Bearer ${getToken() ?? ''}` },
    });
    if (!res.ok) {
      const p = decodeProblem(res.status, await res.text(), res.statusText);
      throw new ApiError(p.status, p.code, p.detail, p.errors);
    }
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = `亩均评价-${year}-${id}.xlsx`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
};
