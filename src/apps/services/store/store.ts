/**
 * The 一网通办 store: applications (办件), certificates issued, who holds one, certificate number sequences
 * and 免申即享 sweeps, in the application's own database (Kysely on SQLite or PostgreSQL).
 */
import type { Generated, Kysely, Selectable } from 'kysely';
import { MigratedStore } from '../../../platform/db/migrate';
import { servicesMigrations } from './store-migrations';

export type ApplicationStatus = 'pending_verification' | 'approved' | 'rejected';
export type Channel = 'self_service' | 'counter' | 'api';

interface ApplicationsTable {
  id: string;
  item_id: string;
  status: ApplicationStatus;
  subject_hash: string;
  id_masked: string;
  name_masked: string;
  id_number: string | null;
  name: string | null;
  as_of: string;
  channel: Channel;
  officer: string | null;
  submitted_at: string;
  decided_at: string | null;
  decided_instantly: Generated<number>;
  reasons_json: string;
  benefit_json: string | null;
  certificate_no: string | null;
  asked_json: string;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  last_error: string | null;
  idempotency_key: string | null;
  idempotency_fingerprint: string | null;
  receipt_hash: string;
  documents_saved: Generated<number>;
  trips_saved: Generated<number>;
}

interface CertificatesTable {
  number: string;
  item_id: string;
  subject_hash: string;
  application_id: string;
  status: 'valid' | 'revoked';
  issued_on: string;
  valid_until: string | null;
  payload: string;
}

interface HoldingsTable {
  item_id: string;
  subject_hash: string;
  certificate_no: string;
}

interface SequencesTable {
  name: string;
  value: number;
}

interface SweepsTable {
  id: string;
  item_id: string;
  month: string;
  as_of: string;
  run_at: string;
  officer: string | null;
  eligible_count: number;
  newly_count: number;
  total_cents: number;
  by_tier_json: string;
  duration_ms: number;
}

export interface ServicesDatabase {
  services_applications: ApplicationsTable;
  services_certificates: CertificatesTable;
  services_holdings: HoldingsTable;
  services_sequences: SequencesTable;
  services_sweeps: SweepsTable;
}

export type ApplicationRow = Selectable<ApplicationsTable>;
export type CertificateRow = Selectable<CertificatesTable>;
export type SweepRow = Selectable<SweepsTable>;

export interface NewApplication {
  id: string;
  itemId: string;
  subjectHash: string;
  idMasked: string;
  nameMasked: string;
  idNumber: string;
  name: string;
  asOf: string;
  channel: Channel;
  officer: string | null;
  submittedAt: string;
  /**
   * When the background retry may first take it: after the instant attempt has had its time, so the two
   * never evaluate (and ask the departments about) the same application at once.
   */
  firstRetryAt: string;
  idempotencyKey: string | null;
  /** Keyed hash of the caller and the request the key was first used for. */
  idempotencyFingerprint?: string | null;
  receiptHash: string;
}

export interface Decision {
  status: 'approved' | 'rejected';
  decidedAt: string;
  instant: boolean;
  reasonsJson: string;
  benefitJson: string | null;
  askedJson: string;
  documentsSaved: number;
  tripsSaved: number;
}

export interface CertificateDraft {
  itemId: string;
  /** Certificate number = prefix + issue year + six-digit sequence, allocated inside the transaction. */
  numberPrefix: string;
  issuedOn: string;
  validUntil: string | null;
  /** Builds the signed payload once the number is known. */
  sign(number: string): string;
}

export interface ApplicationFilter {
  status?: ApplicationStatus | undefined;
  itemId?: string | undefined;
  subjectHash?: string | undefined;
  id?: string | undefined;
}

export interface Metrics {
  applications: number;
  instantDecisions: number;
  pending: number;
  approved: number;
  rejected: number;
  documentsSaved: number;
  tripsSaved: number;
  certificatesIssued: number;
  byItem: { itemId: string; applications: number; approved: number; rejected: number; pending: number }[];
}

const count = (value: unknown) => Number(value ?? 0);

export class ServicesStore extends MigratedStore<ServicesDatabase> {
  constructor(db: Kysely<ServicesDatabase>) {
    super(db, servicesMigrations, 'services_migrations');
  }

  async insertApplication(a: NewApplication): Promise<void> {
    await this.db
      .insertInto('services_applications')
      .values({
        id: a.id,
        item_id: a.itemId,
        status: 'pending_verification',
        subject_hash: a.subjectHash,
        id_masked: a.idMasked,
        name_masked: a.nameMasked,
        id_number: a.idNumber,
        name: a.name,
        as_of: a.asOf,
        channel: a.channel,
        officer: a.officer,
        submitted_at: a.submittedAt,
        decided_at: null,
        reasons_json: '[]',
        benefit_json: null,
        certificate_no: null,
        asked_json: '[]',
        next_attempt_at: a.firstRetryAt,
        last_error: null,
        idempotency_key: a.idempotencyKey,
        idempotency_fingerprint: a.idempotencyFingerprint ?? null,
        receipt_hash: a.receiptHash,
      })
      .execute();
  }

  async getApplication(id: string): Promise<ApplicationRow | undefined> {
    return this.db.selectFrom('services_applications').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findByIdempotencyKey(key: string): Promise<ApplicationRow | undefined> {
    return this.db
      .selectFrom('services_applications')
      .selectAll()
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
  }

  async findPending(itemId: string, subjectHash: string): Promise<ApplicationRow | undefined> {
    return this.db
      .selectFrom('services_applications')
      .selectAll()
      .where('item_id', '=', itemId)
      .where('subject_hash', '=', subjectHash)
      .where('status', '=', 'pending_verification')
      .orderBy('submitted_at')
      .executeTakeFirst();
  }

  async listApplications(
    filter: ApplicationFilter,
    page: { page: number; pageSize: number },
  ): Promise<{ items: ApplicationRow[]; total: number }> {
    let query = this.db.selectFrom('services_applications');
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.itemId) query = query.where('item_id', '=', filter.itemId);
    if (filter.subjectHash) query = query.where('subject_hash', '=', filter.subjectHash);
    if (filter.id) query = query.where('id', '=', filter.id);
    const total = await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const items = await query
      .selectAll()
      .orderBy('submitted_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute();
    return { items, total: count(total.n) };
  }

  /** Pending applications whose next attempt is due, oldest first. */
  async duePending(now: string, limit: number): Promise<ApplicationRow[]> {
    return this.db
      .selectFrom('services_applications')
      .selectAll()
      .where('status', '=', 'pending_verification')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
  }

  async recordFailedAttempt(id: string, error: string, nextAttemptAt: string): Promise<void> {
    await this.db
      .updateTable('services_applications')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error, next_attempt_at: nextAttemptAt }))
      .where('id', '=', id)
      .where('status', '=', 'pending_verification')
      .execute();
  }

  /** Whether the person holds a certificate of the item that is valid (not revoked, not expired) on `on`. */
  async hasValidHolding(itemId: string, subjectHash: string, on?: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('services_holdings')
      .innerJoin('services_certificates', 'services_certificates.number', 'services_holdings.certificate_no')
      .select(['services_certificates.status', 'services_certificates.valid_until'])
      .where('services_holdings.item_id', '=', itemId)
      .where('services_holdings.subject_hash', '=', subjectHash)
      .executeTakeFirst();
    if (row?.status !== 'valid') return false;
    return on === undefined || row.valid_until === null || row.valid_until >= on;
  }

  /**
   * Decides a pending application; the raw ID number and name are erased in the same statement. With a
   * certificate draft, the holding, the number and the certificate are written in one transaction. Outcome
   * 'held': the person already holds one (a concurrent application won), nothing was written; 'not_pending':
   * another attempt decided the application first, nothing was written.
   */
  async decide(
    id: string,
    decision: Decision,
    certificate?: CertificateDraft & { subjectHash: string },
  ): Promise<{ outcome: 'decided'; issued: CertificateRow | null } | { outcome: 'held' | 'not_pending' }> {
    try {
      return await this.decideInTransaction(id, decision, certificate);
    } catch (error) {
      if (error instanceof AlreadyDecided) return { outcome: 'not_pending' };
      // A concurrent transaction inserted the same holding first (primary key): the person holds one now.
      if (certificate && (await this.hasValidHolding(certificate.itemId, certificate.subjectHash))) {
        return { outcome: 'held' };
      }
      throw error;
    }
  }

  private decideInTransaction(
    id: string,
    decision: Decision,
    certificate?: CertificateDraft & { subjectHash: string },
  ): Promise<{ outcome: 'decided'; issued: CertificateRow | null } | { outcome: 'held' }> {
    return this.db.transaction().execute(async (trx) => {
      let issued: CertificateRow | null = null;
      if (certificate) {
        const held = await trx
          .selectFrom('services_holdings')
          .innerJoin('services_certificates', 'services_certificates.number', 'services_holdings.certificate_no')
          .select(['services_holdings.certificate_no', 'services_certificates.valid_until'])
          .where('services_holdings.item_id', '=', certificate.itemId)
          .where('services_holdings.subject_hash', '=', certificate.subjectHash)
          .executeTakeFirst();
        if (held) {
          // A certificate that has run out (e.g. a five-year bus pass) may be renewed; a valid one may not.
          if (held.valid_until === null || held.valid_until >= certificate.issuedOn)
            return { outcome: 'held' as const };
          await trx
            .deleteFrom('services_holdings')
            .where('item_id', '=', certificate.itemId)
            .where('subject_hash', '=', certificate.subjectHash)
            .execute();
        }
        const year = certificate.issuedOn.slice(0, 4);
        const sequenceName = `${certificate.numberPrefix}${year}`;
        await trx
          .insertInto('services_sequences')
          .values({ name: sequenceName, value: 0 })
          .onConflict((oc) => oc.column('name').doNothing())
          .execute();
        await trx
          .updateTable('services_sequences')
          .set((eb) => ({ value: eb('value', '+', 1) }))
          .where('name', '=', sequenceName)
          .execute();
        const { value } = await trx
          .selectFrom('services_sequences')
          .select('value')
          .where('name', '=', sequenceName)
          .executeTakeFirstOrThrow();
        const number = `${sequenceName}${String(value).padStart(6, '0')}`;
        issued = {
          number,
          item_id: certificate.itemId,
          subject_hash: certificate.subjectHash,
          application_id: id,
          status: 'valid',
          issued_on: certificate.issuedOn,
          valid_until: certificate.validUntil,
          payload: certificate.sign(number),
        };
        await trx
          .insertInto('services_holdings')
          .values({ item_id: certificate.itemId, subject_hash: certificate.subjectHash, certificate_no: number })
          .execute();
        await trx.insertInto('services_certificates').values(issued).execute();
      }
      const result = await trx
        .updateTable('services_applications')
        .set((eb) => ({
          status: decision.status,
          decided_at: decision.decidedAt,
          decided_instantly: decision.instant ? 1 : 0,
          reasons_json: decision.reasonsJson,
          benefit_json: decision.benefitJson,
          asked_json: decision.askedJson,
          certificate_no: issued?.number ?? null,
          documents_saved: decision.documentsSaved,
          trips_saved: decision.tripsSaved,
          attempts: eb('attempts', '+', 1),
          next_attempt_at: null,
          last_error: null,
          id_number: null,
          name: null,
        }))
        .where('id', '=', id)
        .where('status', '=', 'pending_verification')
        .executeTakeFirst();
      // Decided meanwhile: undo everything (the certificate too) by failing the transaction.
      if (Number(result.numUpdatedRows) !== 1) throw new AlreadyDecided();
      return { outcome: 'decided' as const, issued };
    });
  }

  async getCertificate(number: string): Promise<CertificateRow | undefined> {
    return this.db.selectFrom('services_certificates').selectAll().where('number', '=', number).executeTakeFirst();
  }

  async insertSweep(row: SweepRow): Promise<void> {
    await this.db.insertInto('services_sweeps').values(row).execute();
  }

  async listSweeps(itemId?: string, limit = 50): Promise<SweepRow[]> {
    let query = this.db.selectFrom('services_sweeps').selectAll();
    if (itemId) query = query.where('item_id', '=', itemId);
    return query.orderBy('run_at', 'desc').limit(limit).execute();
  }

  async metrics(): Promise<Metrics> {
    const rows = await this.db
      .selectFrom('services_applications')
      .select((eb) => [
        'item_id',
        'status',
        eb.fn.countAll().as('n'),
        eb.fn.sum<number>('decided_instantly').as('instant'),
        eb.fn.sum<number>('documents_saved').as('documents'),
        eb.fn.sum<number>('trips_saved').as('trips'),
      ])
      .groupBy(['item_id', 'status'])
      .execute();
    const certificates = await this.db
      .selectFrom('services_certificates')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const metrics: Metrics = {
      applications: 0,
      instantDecisions: 0,
      pending: 0,
      approved: 0,
      rejected: 0,
      documentsSaved: 0,
      tripsSaved: 0,
      certificatesIssued: count(certificates.n),
      byItem: [],
    };
    const byItem = new Map<string, Metrics['byItem'][number]>();
    for (const row of rows) {
      const n = count(row.n);
      metrics.applications += n;
      metrics.instantDecisions += count(row.instant);
      metrics.documentsSaved += count(row.documents);
      metrics.tripsSaved += count(row.trips);
      const item = byItem.get(row.item_id) ?? {
        itemId: row.item_id,
        applications: 0,
        approved: 0,
        rejected: 0,
        pending: 0,
      };
      item.applications += n;
      if (row.status === 'approved') {
        metrics.approved += n;
        item.approved += n;
      } else if (row.status === 'rejected') {
        metrics.rejected += n;
        item.rejected += n;
      } else {
        metrics.pending += n;
        item.pending += n;
      }
      byItem.set(row.item_id, item);
    }
    metrics.byItem = [...byItem.values()].sort((a, b) => a.itemId.localeCompare(b.itemId));
    return metrics;
  }
}

export class AlreadyDecided extends Error {
  override readonly name = 'AlreadyDecided';
}
