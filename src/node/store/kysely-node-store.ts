/** A node's own tables on Kysely: one implementation for SQLite and PostgreSQL. */
import { MigratedStore } from '../../platform/db/migrate';
import { CompiledQuery, type Kysely, type Selectable } from 'kysely';
import type { Agreement } from '../../core/agreements/agreement';
import type { AccessMode } from '../../core/catalog/resource';
import type { AccessRecord } from '../../core/audit/access-record';
import { canonicalJson } from '../../core/ledger/canonical-json';
import type {
  AuditAppend,
  AuditDecision,
  AuditHead,
  CachedAgreement,
  ChainLinker,
  NodeStore,
  StoredAuditEvent,
  VerifyQuestionUse,
} from '../../core/ports/node-store';
import { nodeMigrations } from './node-migrations';
import type { NodeAuditTable, NodeDatabase } from './node-schema';

function auditRow(event: StoredAuditEvent): NodeAuditTable {
  return {
    record_json: canonicalJson(event.record),
    record_hash: event.recordHash,
    seq: event.seq,
    event_id: event.eventId,
    at: event.at,
    decision: event.decision,
    code: event.code,
    consumer_code: event.consumerCode,
    provider_code: event.providerCode,
    resource_code: event.resourceCode,
    agreement_id: event.agreementId,
    mode: event.mode,
    items_json: JSON.stringify(event.items),
    purpose: event.purpose,
    officer: event.officer,
    case_id: event.caseId,
    request_id: event.requestId,
    request_digest: event.requestDigest,
    response_digest: event.responseDigest,
    subject_hashes_json: JSON.stringify(event.subjectHashes),
    signer_key: event.signerKey,
    nonce: event.nonce,
    covert_until: event.covertUntil ?? null,
  };
}

function toEvent(row: Selectable<NodeAuditTable>): StoredAuditEvent {
  return {
    seq: Number(row.seq),
    eventId: row.event_id,
    at: row.at,
    decision: row.decision as AuditDecision,
    code: row.code,
    consumerCode: row.consumer_code,
    providerCode: row.provider_code,
    resourceCode: row.resource_code,
    agreementId: row.agreement_id,
    mode: row.mode as AccessMode | null,
    items: JSON.parse(row.items_json),
    purpose: row.purpose,
    officer: row.officer,
    caseId: row.case_id,
    requestId: row.request_id,
    requestDigest: row.request_digest,
    responseDigest: row.response_digest,
    subjectHashes: JSON.parse(row.subject_hashes_json),
    signerKey: row.signer_key,
    nonce: row.nonce,
    covertUntil: row.covert_until,
    record: JSON.parse(row.record_json ?? 'null') as AccessRecord,
    recordHash: row.record_hash ?? '',
  };
}

export class KyselyNodeStore extends MigratedStore<NodeDatabase> implements NodeStore {
  private auditInsertSql: string | undefined;

  constructor(db: Kysely<NodeDatabase>) {
    super(db, nodeMigrations, 'node_migrations');
  }

  private agreementRow(agreement: Agreement, confirmedAt: string) {
    return {
      id: agreement.id,
      consumer_code: agreement.consumerCode,
      provider_code: agreement.providerCode,
      resource_code: agreement.resourceCode,
      status: agreement.status,
      version: agreement.version,
      agreement_json: JSON.stringify(agreement),
      confirmed_at: confirmedAt,
    };
  }

  async replaceAgreements(agreements: Agreement[], confirmedAt: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('node_agreements').execute();
      for (const agreement of agreements) {
        await trx.insertInto('node_agreements').values(this.agreementRow(agreement, confirmedAt)).execute();
      }
      await trx.deleteFrom('node_sync').where('name', '=', 'agreements').execute();
      await trx.insertInto('node_sync').values({ name: 'agreements', confirmed_at: confirmedAt }).execute();
    });
  }

  async upsertAgreement(agreement: Agreement, confirmedAt: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('node_agreements').where('id', '=', agreement.id).execute();
      await trx.insertInto('node_agreements').values(this.agreementRow(agreement, confirmedAt)).execute();
    });
  }

  async getAgreement(id: string): Promise<CachedAgreement | undefined> {
    const row = await this.db.selectFrom('node_agreements').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? { agreement: JSON.parse(row.agreement_json) as Agreement, confirmedAt: row.confirmed_at } : undefined;
  }

  async listAgreements(): Promise<CachedAgreement[]> {
    const rows = await this.db.selectFrom('node_agreements').selectAll().orderBy('id').execute();
    return rows.map((row) => ({
      agreement: JSON.parse(row.agreement_json) as Agreement,
      confirmedAt: row.confirmed_at,
    }));
  }

  async lastSync(): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('node_sync')
      .select('confirmed_at')
      .where('name', '=', 'agreements')
      .executeTakeFirst();
    return row?.confirmed_at;
  }

  appendAudit(events: readonly AuditAppend[], link: ChainLinker): Promise<StoredAuditEvent[]> {
    if (events.length === 0) return Promise.resolve([]);
    // One chain, one writer: calls are serialised, so two batches can never both take the same head (on
    // PostgreSQL, whose pool would otherwise run them side by side).
    const run = this.appending.then(() => this.appendLinked(events, link));
    this.appending = run.catch(() => undefined);
    return run;
  }

  private appending: Promise<unknown> = Promise.resolve();

  private appendLinked(events: readonly AuditAppend[], link: ChainLinker): Promise<StoredAuditEvent[]> {
    return this.db.transaction().execute(async (trx) => {
      // The head as committed, read inside the transaction: one indexed row per batch, and always current.
      const last = await trx
        .selectFrom('node_audit')
        .select(['seq', 'record_hash'])
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (last && last.record_hash === null) {
        throw new Error('the audit trail predates chained records: start this node from a fresh data folder');
      }
      let seq = last ? Number(last.seq) : 0;
      let hash = last ? last.record_hash : null;
      const stored: StoredAuditEvent[] = [];
      for (const { event, draft } of events) {
        seq += 1;
        const linked = link(draft, seq, hash);
        hash = linked.hash;
        const row = auditRow({ ...event, seq, record: linked.record, recordHash: linked.hash });
        // One statement shape for every event: compiled once, then only the values change.
        this.auditInsertSql ??= trx.insertInto('node_audit').values(row).compile().sql;
        await trx.executeQuery(CompiledQuery.raw(this.auditInsertSql, Object.values(row)));
        stored.push({ ...event, seq, record: linked.record, recordHash: linked.hash });
      }
      return stored;
    });
  }

  async auditHead(): Promise<AuditHead | undefined> {
    const row = await this.db
      .selectFrom('node_audit')
      .select(['seq', 'record_hash', 'at'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.record_hash ? { seq: Number(row.seq), hash: row.record_hash, at: row.at } : undefined;
  }

  async auditAt(seq: number): Promise<StoredAuditEvent | undefined> {
    const row = await this.db.selectFrom('node_audit').selectAll().where('seq', '=', seq).executeTakeFirst();
    return row ? toEvent(row) : undefined;
  }

  async auditAfter(afterSeq: number, limit: number): Promise<StoredAuditEvent[]> {
    const rows = await this.db
      .selectFrom('node_audit')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toEvent);
  }

  async recentAudit(limit: number, filter: { decision?: AuditDecision } = {}): Promise<StoredAuditEvent[]> {
    let query = this.db.selectFrom('node_audit').selectAll().orderBy('seq', 'desc').limit(limit);
    if (filter.decision) query = query.where('decision', '=', filter.decision);
    return (await query.execute()).map(toEvent);
  }

  async countAudit(decision?: AuditDecision): Promise<number> {
    let query = this.db.selectFrom('node_audit').select((eb) => eb.fn.countAll().as('n'));
    if (decision) query = query.where('decision', '=', decision);
    const { n } = await query.executeTakeFirstOrThrow();
    return Number(n);
  }

  async witnessState(origin: string): Promise<{ size: number; root: string } | undefined> {
    const row = await this.db
      .selectFrom('node_witness')
      .select(['size', 'root'])
      .where('origin', '=', origin)
      .executeTakeFirst();
    return row ? { size: Number(row.size), root: row.root } : undefined;
  }

  async advanceWitness(
    origin: string,
    oldSize: number,
    next: { size: number; root: string },
    at: string,
  ): Promise<boolean> {
    if (oldSize === 0) {
      // First checkpoint of this origin, or one after size 0: the row may not exist yet.
      const inserted = await this.db
        .insertInto('node_witness')
        .values({ origin, size: next.size, root: next.root, updated_at: at })
        .onConflict((conflict) => conflict.column('origin').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return true;
    }
    const updated = await this.db
      .updateTable('node_witness')
      .set({ size: next.size, root: next.root, updated_at: at })
      .where('origin', '=', origin)
      .where('size', '=', oldSize)
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  }

  async noncesSince(since: string): Promise<{ signerKey: string; nonce: string; at: string }[]> {
    const rows = await this.db
      .selectFrom('node_audit')
      .select(['signer_key', 'nonce', 'at'])
      .where('at', '>=', since)
      .where('nonce', 'is not', null)
      .execute();
    return rows.map((row) => ({ signerKey: row.signer_key!, nonce: row.nonce!, at: row.at }));
  }

  async recordVerifyQuestion(question: VerifyQuestionUse): Promise<void> {
    await this.db
      .insertInto('node_verify_questions')
      .values({
        day: question.day,
        agreement_id: question.agreementId,
        subject_hash: question.subjectHash,
        question_hash: question.questionHash,
      })
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  }

  async verifyQuestionsOn(day: string): Promise<VerifyQuestionUse[]> {
    const rows = await this.db.selectFrom('node_verify_questions').selectAll().where('day', '=', day).execute();
    return rows.map((row) => ({
      day: row.day,
      agreementId: row.agreement_id,
      subjectHash: row.subject_hash,
      questionHash: row.question_hash,
    }));
  }
}
