/** The 一网通办 application's own tables (its own database), for SQLite and PostgreSQL. */
import { schemaMigrations } from '../../../platform/db/schema';

export const servicesMigrations = schemaMigrations({
  '2026_11_28_001_services': {
    createTables: {
      services_applications: {
        id: 'varchar(32) primary key',
        item_id: 'varchar(48) not null',
        status: 'varchar(24) not null',
        // The applicant is known by a keyed hash; the raw ID number and name are kept only while the
        // application waits for verification (they are needed to retry) and erased once it is decided.
        subject_hash: 'varchar(64) not null',
        id_masked: 'varchar(24) not null',
        name_masked: 'varchar(64) not null',
        id_number: 'varchar(18)',
        name: 'varchar(64)',
        as_of: 'varchar(10) not null',
        channel: 'varchar(16) not null',
        officer: 'varchar(64)',
        submitted_at: 'varchar(32) not null',
        decided_at: 'varchar(32)',
        decided_instantly: 'integer not null default 0',
        reasons_json: 'text not null',
        benefit_json: 'text',
        certificate_no: 'varchar(32)',
        asked_json: 'text not null',
        attempts: 'integer not null default 0',
        next_attempt_at: 'varchar(32)',
        last_error: 'varchar(64)',
        idempotency_key: 'varchar(128) unique',
        receipt_hash: 'varchar(64) not null',
        documents_saved: 'integer not null default 0',
        trips_saved: 'integer not null default 0',
      },
      services_certificates: {
        number: 'varchar(32) primary key',
        item_id: 'varchar(48) not null',
        subject_hash: 'varchar(64) not null',
        application_id: 'varchar(32) not null',
        status: 'varchar(16) not null',
        issued_on: 'varchar(10) not null',
        valid_until: 'varchar(10)',
        payload: 'text not null',
      },
      // One valid certificate per item and person, enforced by the database: two concurrent applications
      // cannot both issue a card.
      services_holdings: {
        item_id: 'varchar(48) not null',
        subject_hash: 'varchar(64) not null',
        certificate_no: 'varchar(32) not null',
        'primary key': 'item_id, subject_hash',
      },
      services_sequences: {
        name: 'varchar(32) primary key',
        value: 'integer not null',
      },
      services_sweeps: {
        id: 'varchar(40) primary key',
        item_id: 'varchar(48) not null',
        month: 'varchar(7) not null',
        as_of: 'varchar(10) not null',
        run_at: 'varchar(32) not null',
        officer: 'varchar(64)',
        eligible_count: 'integer not null',
        newly_count: 'integer not null',
        total_cents: 'bigint not null',
        by_tier_json: 'text not null',
        duration_ms: 'integer not null',
      },
    },
    createIndexes: {
      services_applications_subject: 'services_applications (subject_hash, item_id)',
      services_applications_status: 'services_applications (status, next_attempt_at)',
      services_applications_submitted: 'services_applications (submitted_at)',
      services_sweeps_item: 'services_sweeps (item_id, run_at)',
    },
  },
  '2026_12_05_002_idempotency_fingerprint': {
    // An Idempotency-Key answers again only the same caller's same request (keyed hash of both).
    addColumns: { services_applications: { idempotency_fingerprint: 'varchar(64)' } },
  },
});
