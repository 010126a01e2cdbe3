/**
 * The evaluation database's tables as Kysely sees them, and each stored row turned into the record the
 * application works with.
 */
import type { EnterpriseRow, EvaluationRecord, EvaluationStatus, Objection, ObjectionStatus } from './store';

export interface EvaluationTable {
  id: string;
  year: number;
  config_id: string;
  config_version: string;
  config_json: string;
  status: string;
  progress: string | null;
  error_code: string | null;
  error_detail: string | null;
  created_at: string;
  finished_at: string | null;
  created_by: string;
  summary_json: string | null;
  duration_ms: number | null;
  enterprise_count: number;
}

export interface EnterpriseRowTable {
  evaluation_id: string;
  uscc: string;
  name: string;
  group_label: string | null;
  graded: number;
  reason: string | null;
  total: number | null;
  rank: number | null;
  class: string | null;
  rank_class: string | null;
  veto: number;
  district_code: string;
  industry_code: string;
  previous_class: string | null;
  /** Classes of Y, Y−1, Y−2, … as one letter each ('-' when not graded): the history a later year reads. */
  class_history: string | null;
  surcharge: string | null;
  detail_json: string;
}

export interface ExchangeTable {
  evaluation_id: string;
  seq: number;
  source: string;
  provider: string;
  resource: string;
  computation: string;
  agreement_id: string;
  year: number | null;
  request_id: string;
  subjects: number;
  ledger_index: number | null;
}

export interface ObjectionTable {
  id: string;
  evaluation_id: string;
  year: number;
  uscc: string;
  enterprise_name: string;
  figure: string;
  provider: string;
  reason: string;
  status: string;
  filed_by_member: string;
  filed_by_user: string | null;
  filed_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution_note: string | null;
}

export interface EvaluationDatabase {
  evaluation_runs: EvaluationTable;
  evaluation_enterprises: EnterpriseRowTable;
  evaluation_exchanges: ExchangeTable;
  evaluation_objections: ObjectionTable;
}

export function toEvaluation(row: EvaluationTable, withDetail: boolean): EvaluationRecord {
  return {
    id: row.id,
    year: Number(row.year),
    configId: row.config_id,
    configVersion: row.config_version,
    config: withDetail ? JSON.parse(row.config_json) : null,
    status: row.status as EvaluationStatus,
    progress: row.progress,
    error: row.error_code ? { code: row.error_code, detail: row.error_detail ?? '' } : null,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    createdBy: row.created_by,
    summary: withDetail && row.summary_json ? JSON.parse(row.summary_json) : null,
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    enterpriseCount: Number(row.enterprise_count),
  };
}

export function toEnterprise(row: EnterpriseRowTable): EnterpriseRow {
  return {
    uscc: row.uscc,
    name: row.name,
    group: row.group_label,
    graded: Number(row.graded) === 1,
    reason: row.reason,
    total: row.total === null ? null : Number(row.total),
    rank: row.rank === null ? null : Number(row.rank),
    class: row.class,
    rankClass: row.rank_class,
    veto: Number(row.veto) === 1,
    districtCode: row.district_code,
    industryCode: row.industry_code,
    previousClass: row.previous_class,
    classHistory: row.class_history,
    surcharge: row.surcharge,
    detail: JSON.parse(row.detail_json),
  };
}

export function toObjection(row: ObjectionTable): Objection {
  return {
    id: row.id,
    evaluationId: row.evaluation_id,
    year: Number(row.year),
    uscc: row.uscc,
    enterpriseName: row.enterprise_name,
    figure: row.figure,
    provider: row.provider,
    reason: row.reason,
    status: row.status as ObjectionStatus,
    filedByMember: row.filed_by_member,
    filedByUser: row.filed_by_user,
    filedAt: row.filed_at,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
    resolutionNote: row.resolution_note,
  };
}
