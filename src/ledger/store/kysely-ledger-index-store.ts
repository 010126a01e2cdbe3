/** The log's query index and the subject sessions on Kysely: one implementation for SQLite and PostgreSQL. */
import type { ExpressionBuilder, Kysely, Selectable, SelectQueryBuilder } from 'kysely';
import type { SubjectKind } from '../../core/catalog/resource';
import type { Page, PageRequest } from '../../core/ports/hub-store';
import type {
  CovertRule,
  IndexedEntry,
  IndexedEntryWithSubjects,
  LedgerEntryKind,
  LedgerIndexFilter,
  LedgerIndexStore,
  UsageQuery,
  WithheldSummary,
} from '../../core/ports/ledger-index';
import type { SubjectSession, SubjectSessionStore } from '../../core/ports/subject-login';
import { ledgerIndexMigrations } from './ledger-index-migrations';
import type { LedgerIndexDatabase, LedgerIndexEntriesTable } from './ledger-index-schema';
import { MigratedStore } from '../../platform/db/migrate';

// Rows per statement: well below SQLite's and PostgreSQL's bound-parameter limits (20 columns × 50).
const CHUNK = 50;
const SUBJECT_CHUNK = 300;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function toRow(entry: IndexedEntry): LedgerIndexEntriesTable {
  return {
    idx: entry.index,
    logtime: entry.logtime,
    kind: entry.kind,
    action: entry.action,
    decision: entry.decision,
    code: entry.code,
    actor: entry.actor,
    consumer: entry.consumer,
    provider: entry.provider,
    resource: entry.resource,
    agreement_id: entry.agreementId,
    mode: entry.mode,
    items_json: JSON.stringify(entry.items),
    purpose: entry.purpose,
    request_id: entry.requestId,
    covert_until: entry.covertUntil,
    subject_count: entry.subjectCount,
    event_time: entry.eventTime,
    officer_hash: entry.officerHash,
    case_hash: entry.caseHash,
  };
}

function toEntry(row: Selectable<LedgerIndexEntriesTable>): IndexedEntry {
  return {
    index: Number(row.idx),
    logtime: row.logtime,
    kind: row.kind as LedgerEntryKind,
    action: row.action,
    decision: row.decision as IndexedEntry['decision'],
    code: row.code,
    actor: row.actor,
    consumer: row.consumer,
    provider: row.provider,
    resource: row.resource,
    agreementId: row.agreement_id,
    mode: row.mode,
    items: JSON.parse(row.items_json) as string[],
    purpose: row.purpose,
    requestId: row.request_id,
    covertUntil: row.covert_until,
    subjectCount: Number(row.subject_count),
    eventTime: row.event_time,
    officerHash: row.officer_hash,
    caseHash: row.case_hash,
  };
}

type EntriesBuilder = ExpressionBuilder<LedgerIndexDatabase, 'ledger_index_entries'>;

/** True for rows hidden from their subjects today under the rule. */
function withheldNow(eb: EntriesBuilder, rule: CovertRule) {
  return eb.and([
    // NOT NULL first: `not(...)` must be true, not unknown, for rows without a flag or a consumer.
    eb('ledger_index_entries.covert_until', 'is not', null),
    eb('ledger_index_entries.consumer', 'is not', null),
    eb('ledger_index_entries.covert_until', '>', rule.today),
    eb('ledger_index_entries.consumer', 'in', [...rule.consumers]),
  ]);
}

export class KyselyLedgerIndexStore
  extends MigratedStore<LedgerIndexDatabase>
  implements LedgerIndexStore, SubjectSessionStore
{
  constructor(db: Kysely<LedgerIndexDatabase>) {
    super(db, ledgerIndexMigrations, 'ledger_index_migrations');
  }

  async indexedSize(): Promise<number> {
    const row = await this.db
      .selectFrom('ledger_index_state')
      .select('size')
      .where('name', '=', 'entries')
      .executeTakeFirst();
    return row ? Number(row.size) : 0;
  }

  async addEntries(from: number, to: number, entries: readonly IndexedEntryWithSubjects[]): Promise<void> {
    if (to < from || entries.some((e) => e.index < from || e.index >= to)) {
      throw new RangeError(`index rows must lie in [${from}, ${to})`);
    }
    await this.db.transaction().execute(async (trx) => {
      const state = await trx
        .selectFrom('ledger_index_state')
        .select('size')
        .where('name', '=', 'entries')
        .executeTakeFirst();
      const size = state ? Number(state.size) : 0;
      if (size !== from) throw new Error(`the index covers ${size} entries, not ${from}: another indexer ran`);
      for (const rows of chunks(entries.map(toRow), CHUNK)) {
        await trx.insertInto('ledger_index_entries').values(rows).execute();
      }
      // A subject's rows carry the access's own time: what the person reads, filters and sorts by.
      const subjects = entries.flatMap((entry) =>
        entry.subjectHashes.map((hash) => ({
          subject_hash: hash,
          idx: entry.index,
          logtime: entry.eventTime ?? entry.logtime,
        })),
      );
      for (const rows of chunks(subjects, SUBJECT_CHUNK)) {
        await trx.insertInto('ledger_index_subjects').values(rows).execute();
      }
      if (state) {
        await trx.updateTable('ledger_index_state').set({ size: to }).where('name', '=', 'entries').execute();
      } else {
        await trx.insertInto('ledger_index_state').values({ name: 'entries', size: to }).execute();
      }
    });
  }

  private async page<O>(
    query: SelectQueryBuilder<LedgerIndexDatabase, 'ledger_index_entries', O>,
    page: PageRequest,
    order: 'time' | 'index' | 'event' = 'time',
  ): Promise<Page<IndexedEntry>> {
    const { total } = await query.select((eb) => eb.fn.countAll().as('total')).executeTakeFirstOrThrow();
    const all = query.selectAll('ledger_index_entries');
    const sorted =
      order === 'index'
        ? all
        : order === 'event'
          ? all.orderBy(
              (eb) => eb.fn.coalesce('ledger_index_entries.event_time', 'ledger_index_entries.logtime'),
              'desc',
            )
          : all.orderBy('ledger_index_entries.logtime', 'desc');
    const rows = await sorted
      .orderBy('ledger_index_entries.idx', 'desc')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute();
    return {
      items: rows.map((row) => toEntry(row as Selectable<LedgerIndexEntriesTable>)),
      total: Number(total),
      page: page.page,
      pageSize: page.pageSize,
    };
  }

  search(filter: LedgerIndexFilter, page: PageRequest): Promise<Page<IndexedEntry>> {
    let query = this.db.selectFrom('ledger_index_entries');
    if (filter.requestId) query = query.where('request_id', '=', filter.requestId);
    if (filter.officerHash) query = query.where('officer_hash', '=', filter.officerHash);
    if (filter.caseHash) query = query.where('case_hash', '=', filter.caseHash);
    if (filter.consumer) query = query.where('consumer', '=', filter.consumer);
    if (filter.provider) query = query.where('provider', '=', filter.provider);
    if (filter.resource) query = query.where('resource', '=', filter.resource);
    if (filter.kind) query = query.where('kind', '=', filter.kind);
    if (filter.decision) query = query.where('decision', '=', filter.decision);
    if (filter.from) query = query.where('logtime', '>=', filter.from);
    if (filter.to) query = query.where('logtime', '<', filter.to);
    if (filter.before !== undefined) query = query.where('idx', '<', filter.before);
    for (const party of filter.parties ?? []) {
      query = query.where((eb) => eb.or([eb('consumer', '=', party), eb('provider', '=', party)]));
    }
    return this.page(query, page, filter.order);
  }

  usage(query: UsageQuery, page: PageRequest): Promise<Page<IndexedEntry>> {
    const hashes = [...new Set(query.subjectHashes)];
    if (hashes.length === 0) return Promise.resolve({ items: [], total: 0, page: page.page, pageSize: page.pageSize });
    let q = this.db
      .selectFrom('ledger_index_entries')
      .where('ledger_index_entries.idx', 'in', (eb) => {
        let sub = eb.selectFrom('ledger_index_subjects').select('idx').where('subject_hash', 'in', hashes);
        if (query.from) sub = sub.where('logtime', '>=', query.from);
        if (query.to) sub = sub.where('logtime', '<', query.to);
        return sub;
      })
      .where('ledger_index_entries.kind', '=', 'access')
      .where('ledger_index_entries.decision', '=', 'served');
    if (query.covert.consumers.length > 0) q = q.where((eb) => eb.not(withheldNow(eb, query.covert)));
    // A person's records by when their data was used (the node's decision), newest first.
    return this.page(q, page, 'event');
  }

  async withheld(rule: CovertRule, page: PageRequest): Promise<Page<IndexedEntry> & WithheldSummary> {
    if (rule.consumers.length === 0) {
      return { items: [], total: 0, page: page.page, pageSize: page.pageSize, byConsumer: [] };
    }
    const query = this.db
      .selectFrom('ledger_index_entries')
      .where('kind', '=', 'access')
      .where('decision', '=', 'served')
      .where('subject_count', '>', 0)
      .where((eb) => withheldNow(eb, rule));
    const [result, groups] = await Promise.all([
      this.page(query, page),
      query
        .select((eb) => ['consumer', eb.fn.countAll().as('count'), eb.fn.max('covert_until').as('until')])
        .groupBy('consumer')
        .orderBy('consumer')
        .execute(),
    ]);
    return {
      ...result,
      byConsumer: groups.map((g) => ({ consumer: g.consumer ?? '', count: Number(g.count), until: String(g.until) })),
    };
  }

  async disclosedCovertDates(rule: CovertRule): Promise<string[]> {
    if (rule.consumers.length === 0) return [];
    const rows = await this.db
      .selectFrom('ledger_index_entries')
      .select('covert_until')
      .distinct()
      .where('covert_until', 'is not', null)
      .where('covert_until', '<=', rule.today)
      .where('consumer', 'in', [...rule.consumers])
      .orderBy('covert_until')
      .execute();
    return rows.map((row) => row.covert_until!).filter((date) => date !== null);
  }

  // ---- subject sessions -------------------------------------------------------------------------

  async insertSubjectSession(session: SubjectSession): Promise<void> {
    await this.db
      .insertInto('subject_sessions')
      .values({
        token_digest: session.tokenDigest,
        kind: session.kind,
        subject_hash: session.subjectHash,
        covert_hashes_json: JSON.stringify(session.covertHashes),
        display_name: session.displayName,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
      })
      .execute();
  }

  async findSubjectSession(tokenDigest: string): Promise<SubjectSession | undefined> {
    const row = await this.db
      .selectFrom('subject_sessions')
      .selectAll()
      .where('token_digest', '=', tokenDigest)
      .executeTakeFirst();
    return row
      ? {
          tokenDigest: row.token_digest,
          kind: row.kind as SubjectKind,
          subjectHash: row.subject_hash,
          covertHashes: JSON.parse(row.covert_hashes_json) as string[],
          displayName: row.display_name,
          createdAt: row.created_at,
          expiresAt: row.expires_at,
        }
      : undefined;
  }

  async deleteSubjectSession(tokenDigest: string): Promise<void> {
    await this.db.deleteFrom('subject_sessions').where('token_digest', '=', tokenDigest).execute();
  }
}
