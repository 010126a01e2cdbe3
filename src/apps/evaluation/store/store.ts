/**
 * The evaluation's own database (SQLite or PostgreSQL through Kysely, handed over by the composition root):
 * evaluations (year, methodology, status, summary), one row per enterprise and evaluation (the columns the
 * ranking table filters and sorts on, the rest as JSON), the exchanges that supplied the figures (with
 * their ledger index once known), and objections (数据异议) to figures.
 */
import type { Kysely } from 'kysely';
import { MigratedStore } from '../../../platform/db/migrate';
import { evaluationMigrations } from './store-migrations';
import {
  type EnterpriseRowTable,
  type EvaluationDatabase,
  toEnterprise,
  toEvaluation,
  toObjection,
} from './store-schema';

export type EvaluationStatus = 'running' | 'done' | 'failed';

export interface EvaluationRecord {
  id: string;
  year: number;
  configId: string;
  configVersion: string;
  config: unknown;
  status: EvaluationStatus;
  progress: string | null;
  error: { code: string; detail: string } | null;
  createdAt: string;
  finishedAt: string | null;
  createdBy: string;
  summary: unknown;
  durationMs: number | null;
  enterpriseCount: number;
}

export interface EnterpriseRow {
  uscc: string;
  name: string;
  group: string | null;
  graded: boolean;
  reason: string | null;
  total: number | null;
  rank: number | null;
  class: string | null;
  rankClass: string | null;
  veto: boolean;
  districtCode: string;
  industryCode: string;
  previousClass: string | null;
  classHistory: string | null;
  surcharge: string | null;
  detail: unknown;
}

/** One compute call through the exchange, with the log index of its access entry once resolved. */
export interface ExchangeRow {
  seq: number;
  source: string;
  provider: string;
  resource: string;
  computation: string;
  agreementId: string;
  year: number | null;
  requestId: string;
  subjects: number;
  ledgerIndex: number | null;
}

export type ObjectionStatus = 'open' | 'corrected' | 'rejected';

export interface Objection {
  id: string;
  evaluationId: string;
  year: number;
  uscc: string;
  enterpriseName: string;
  figure: string;
  provider: string;
  reason: string;
  status: ObjectionStatus;
  filedByMember: string;
  filedByUser: string | null;
  filedAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
}

export interface EnterpriseQuery {
  group?: string | undefined;
  class?: string | undefined;
  graded?: boolean | undefined;
  district?: string | undefined;
  /** Industry division (two digits) or full code prefix. */
  industry?: string | undefined;
  reason?: string | undefined;
  q?: string | undefined;
  sort?: 'rank' | 'total' | 'uscc' | 'name' | 'class' | undefined;
  order?: 'asc' | 'desc' | undefined;
  page: number;
  pageSize: number;
}

const insertChunk = 400;

export class EvaluationStore extends MigratedStore<EvaluationDatabase> {
  constructor(db: Kysely<EvaluationDatabase>) {
    super(db, evaluationMigrations, 'evaluation_migrations');
  }

  async createEvaluation(input: {
    id: string;
    year: number;
    configId: string;
    configVersion: string;
    config: unknown;
    createdAt: string;
    createdBy: string;
  }): Promise<void> {
    await this.db
      .insertInto('evaluation_runs')
      .values({
        id: input.id,
        year: input.year,
        config_id: input.configId,
        config_version: input.configVersion,
        config_json: JSON.stringify(input.config),
        status: 'running',
        progress: null,
        error_code: null,
        error_detail: null,
        created_at: input.createdAt,
        finished_at: null,
        created_by: input.createdBy,
        summary_json: null,
        duration_ms: null,
        enterprise_count: 0,
      })
      .execute();
  }

  async setProgress(id: string, progress: string): Promise<void> {
    await this.db.updateTable('evaluation_runs').set({ progress }).where('id', '=', id).execute();
  }

  async failEvaluation(id: string, code: string, detail: string, at: string): Promise<void> {
    await this.db
      .updateTable('evaluation_runs')
      .set({ status: 'failed', error_code: code, error_detail: detail, finished_at: at })
      .where('id', '=', id)
      .execute();
  }

  /** Stores a finished evaluation's rows, exchanges and summary in one transaction. */
  async completeEvaluation(
    id: string,
    input: {
      summary: unknown;
      enterprises: EnterpriseRow[];
      exchanges: ExchangeRow[];
      finishedAt: string;
      durationMs: number;
    },
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (let start = 0; start < input.enterprises.length; start += insertChunk) {
        const chunk = input.enterprises.slice(start, start + insertChunk);
        await trx
          .insertInto('evaluation_enterprises')
          .values(
            chunk.map((row) => ({
              evaluation_id: id,
              uscc: row.uscc,
              name: row.name,
              group_label: row.group,
              graded: row.graded ? 1 : 0,
              reason: row.reason,
              total: row.total,
              rank: row.rank,
              class: row.class,
              rank_class: row.rankClass,
              veto: row.veto ? 1 : 0,
              district_code: row.districtCode,
              industry_code: row.industryCode,
              previous_class: row.previousClass,
              class_history: row.classHistory,
              surcharge: row.surcharge,
              detail_json: JSON.stringify(row.detail),
            })),
          )
          .execute();
      }
      for (let start = 0; start < input.exchanges.length; start += insertChunk) {
        await trx
          .insertInto('evaluation_exchanges')
          .values(
            input.exchanges.slice(start, start + insertChunk).map((row) => ({
              evaluation_id: id,
              seq: row.seq,
              source: row.source,
              provider: row.provider,
              resource: row.resource,
              computation: row.computation,
              agreement_id: row.agreementId,
              year: row.year,
              request_id: row.requestId,
              subjects: row.subjects,
              ledger_index: row.ledgerIndex,
            })),
          )
          .execute();
      }
      await trx
        .updateTable('evaluation_runs')
        .set({
          status: 'done',
          progress: null,
          summary_json: JSON.stringify(input.summary),
          finished_at: input.finishedAt,
          duration_ms: input.durationMs,
          enterprise_count: input.enterprises.length,
        })
        .where('id', '=', id)
        .execute();
    });
  }

  async getEvaluation(id: string): Promise<EvaluationRecord | undefined> {
    const row = await this.db.selectFrom('evaluation_runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toEvaluation(row, true) : undefined;
  }

  /** Newest first; without the summaries (they can be large). */
  async listEvaluations(filter: { year?: number | undefined } = {}): Promise<EvaluationRecord[]> {
    let query = this.db
      .selectFrom('evaluation_runs')
      .select([
        'id',
        'year',
        'config_id',
        'config_version',
        'status',
        'progress',
        'error_code',
        'error_detail',
        'created_at',
        'finished_at',
        'created_by',
        'duration_ms',
        'enterprise_count',
      ])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc');
    if (filter.year !== undefined) query = query.where('year', '=', filter.year);
    const rows = await query.execute();
    return rows.map((row) => toEvaluation({ ...row, config_json: 'null', summary_json: null }, false));
  }

  /** The latest finished evaluation of a year with this methodology (id and version), if any. */
  async latestDone(year: number, configId: string, configVersion: string): Promise<EvaluationRecord | undefined> {
    const row = await this.db
      .selectFrom('evaluation_runs')
      .select('id')
      .where('year', '=', year)
      .where('config_id', '=', configId)
      .where('config_version', '=', configVersion)
      .where('status', '=', 'done')
      .orderBy('finished_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? this.getEvaluation(row.id) : undefined;
  }

  /** Credit code → class history string (Y, Y−1, …) of an evaluation. */
  async classHistories(id: string): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('evaluation_enterprises')
      .select(['uscc', 'class_history'])
      .where('evaluation_id', '=', id)
      .execute();
    return new Map(rows.map((row) => [row.uscc, row.class_history ?? '']));
  }

  /** Evaluations still marked running (a restart interrupted them). */
  async runningEvaluations(): Promise<string[]> {
    const rows = await this.db.selectFrom('evaluation_runs').select('id').where('status', '=', 'running').execute();
    return rows.map((row) => row.id);
  }

  async queryEnterprises(id: string, query: EnterpriseQuery): Promise<{ items: EnterpriseRow[]; total: number }> {
    let base = this.db.selectFrom('evaluation_enterprises').where('evaluation_id', '=', id);
    if (query.group) base = base.where('group_label', '=', query.group);
    if (query.class) base = base.where('class', '=', query.class);
    if (query.graded !== undefined) base = base.where('graded', '=', query.graded ? 1 : 0);
    if (query.district) base = base.where('district_code', '=', query.district);
    if (query.industry) base = base.where('industry_code', 'like', `${escapeLike(query.industry)}%`);
    if (query.reason) base = base.where('reason', '=', query.reason);
    if (query.q) {
      const pattern = `%${escapeLike(query.q)}%`;
      base = base.where((eb) => eb.or([eb('name', 'like', pattern), eb('uscc', 'like', pattern)]));
    }
    const counted = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    const total = Number(counted?.n ?? 0);
    const order = query.order ?? 'asc';
    let rows = base.selectAll();
    switch (query.sort ?? 'rank') {
      case 'rank':
        // Graded first (by group, then rank); the others after, by credit code.
        rows = rows
          .orderBy('graded', 'desc')
          .orderBy('group_label', 'asc')
          .orderBy('rank', order)
          .orderBy('uscc', 'asc');
        break;
      case 'total':
        rows = rows.orderBy('graded', 'desc').orderBy('total', order).orderBy('uscc', 'asc');
        break;
      case 'class':
        rows = rows.orderBy('graded', 'desc').orderBy('class', order).orderBy('total', 'desc').orderBy('uscc', 'asc');
        break;
      case 'name':
        rows = rows.orderBy('name', order).orderBy('uscc', 'asc');
        break;
      case 'uscc':
        rows = rows.orderBy('uscc', order);
        break;
    }
    const page = await rows
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute();
    return { items: page.map(toEnterprise), total };
  }

  async getEnterprise(id: string, uscc: string): Promise<EnterpriseRow | undefined> {
    const row = await this.db
      .selectFrom('evaluation_enterprises')
      .selectAll()
      .where('evaluation_id', '=', id)
      .where('uscc', '=', uscc)
      .executeTakeFirst();
    return row ? toEnterprise(row) : undefined;
  }

  /** Every enterprise row of an evaluation, in pages (for exports). */
  async *allEnterprises(id: string, pageSize = 5000): AsyncGenerator<EnterpriseRow[]> {
    let after = '';
    for (;;) {
      const rows = await this.db
        .selectFrom('evaluation_enterprises')
        .selectAll()
        .where('evaluation_id', '=', id)
        .where('uscc', '>', after)
        .orderBy('uscc', 'asc')
        .limit(pageSize)
        .execute();
      if (rows.length === 0) return;
      yield rows.map(toEnterprise);
      after = (rows[rows.length - 1] as EnterpriseRowTable).uscc;
    }
  }

  /** Credit code → class of an evaluation (for year-over-year moves). */
  async classes(id: string): Promise<Map<string, { class: string | null; name: string; group: string | null }>> {
    const rows = await this.db
      .selectFrom('evaluation_enterprises')
      .select(['uscc', 'class', 'name', 'group_label'])
      .where('evaluation_id', '=', id)
      .execute();
    return new Map(rows.map((row) => [row.uscc, { class: row.class, name: row.name, group: row.group_label }]));
  }

  async exchanges(id: string): Promise<ExchangeRow[]> {
    const rows = await this.db
      .selectFrom('evaluation_exchanges')
      .selectAll()
      .where('evaluation_id', '=', id)
      .orderBy('seq', 'asc')
      .execute();
    return rows.map((row) => ({
      seq: row.seq,
      source: row.source,
      provider: row.provider,
      resource: row.resource,
      computation: row.computation,
      agreementId: row.agreement_id,
      year: row.year,
      requestId: row.request_id,
      subjects: row.subjects,
      ledgerIndex: row.ledger_index === null ? null : Number(row.ledger_index),
    }));
  }

  async setLedgerIndex(id: string, seq: number, ledgerIndex: number): Promise<void> {
    await this.db
      .updateTable('evaluation_exchanges')
      .set({ ledger_index: ledgerIndex })
      .where('evaluation_id', '=', id)
      .where('seq', '=', seq)
      .execute();
  }

  async addObjection(objection: Objection): Promise<void> {
    await this.db
      .insertInto('evaluation_objections')
      .values({
        id: objection.id,
        evaluation_id: objection.evaluationId,
        year: objection.year,
        uscc: objection.uscc,
        enterprise_name: objection.enterpriseName,
        figure: objection.figure,
        provider: objection.provider,
        reason: objection.reason,
        status: objection.status,
        filed_by_member: objection.filedByMember,
        filed_by_user: objection.filedByUser,
        filed_at: objection.filedAt,
        resolved_at: objection.resolvedAt,
        resolved_by: objection.resolvedBy,
        resolution_note: objection.resolutionNote,
      })
      .execute();
  }

  async getObjection(id: string): Promise<Objection | undefined> {
    const row = await this.db.selectFrom('evaluation_objections').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toObjection(row) : undefined;
  }

  async listObjections(
    filter: {
      year?: number | undefined;
      uscc?: string | undefined;
      evaluationId?: string | undefined;
      provider?: string | undefined;
      status?: ObjectionStatus | undefined;
    } = {},
  ): Promise<Objection[]> {
    let query = this.db.selectFrom('evaluation_objections').selectAll();
    if (filter.year !== undefined) query = query.where('year', '=', filter.year);
    if (filter.uscc) query = query.where('uscc', '=', filter.uscc);
    if (filter.evaluationId) query = query.where('evaluation_id', '=', filter.evaluationId);
    if (filter.provider) query = query.where('provider', '=', filter.provider);
    if (filter.status) query = query.where('status', '=', filter.status);
    const rows = await query.orderBy('filed_at', 'desc').orderBy('id', 'desc').execute();
    return rows.map(toObjection);
  }

  /** Moves an open objection to corrected or rejected; false when it was not open any more. */
  async resolveObjection(
    id: string,
    input: { status: 'corrected' | 'rejected'; at: string; by: string; note: string | null },
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('evaluation_objections')
      .set({ status: input.status, resolved_at: input.at, resolved_by: input.by, resolution_note: input.note })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}

function escapeLike(text: string): string {
  return text.replace(/[%_\\]/g, '');
}
