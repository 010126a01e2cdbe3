/** The 一网通办 application's own tables (its own database), for SQLite and PostgreSQL. */
import type { Kysely, Migration } from 'kysely';
import { migrateAppDatabase } from '../../../platform/db/app-migrations';

const migrations: Record<string, Migration> = {
  '2026_11_28_001_services': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('services_applications')
        .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('item_id', 'varchar(48)', (c) => c.notNull())
        .addColumn('status', 'varchar(24)', (c) => c.notNull())
        // The applicant is known by a keyed hash; the raw ID number and name are kept only while the
        // application waits for verification (they are needed to retry) and erased once it is decided.
        .addColumn('subject_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('id_masked', 'varchar(24)', (c) => c.notNull())
        .addColumn('name_masked', 'varchar(64)', (c) => c.notNull())
        .addColumn('id_number', 'varchar(18)')
        .addColumn('name', 'varchar(64)')
        .addColumn('as_of', 'varchar(10)', (c) => c.notNull())
        .addColumn('channel', 'varchar(16)', (c) => c.notNull())
        .addColumn('officer', 'varchar(64)')
        .addColumn('submitted_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('decided_at', 'varchar(32)')
        .addColumn('decided_instantly', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('reasons_json', 'text', (c) => c.notNull())
        .addColumn('benefit_json', 'text')
        .addColumn('certificate_no', 'varchar(32)')
        .addColumn('asked_json', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'varchar(32)')
        .addColumn('last_error', 'varchar(64)')
        .addColumn('idempotency_key', 'varchar(128)', (c) => c.unique())
        .addColumn('receipt_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('documents_saved', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('trips_saved', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex('services_applications_subject')
        .on('services_applications')
        .columns(['subject_hash', 'item_id'])
        .execute();
      await db.schema
        .createIndex('services_applications_status')
        .on('services_applications')
        .columns(['status', 'next_attempt_at'])
        .execute();
      await db.schema
        .createIndex('services_applications_submitted')
        .on('services_applications')
        .column('submitted_at')
        .execute();
      await db.schema
        .createTable('services_certificates')
        .addColumn('number', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('item_id', 'varchar(48)', (c) => c.notNull())
        .addColumn('subject_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('application_id', 'varchar(32)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('issued_on', 'varchar(10)', (c) => c.notNull())
        .addColumn('valid_until', 'varchar(10)')
        .addColumn('payload', 'text', (c) => c.notNull())
        .execute();
      // One valid certificate per item and person, enforced by the database: two concurrent applications
      // cannot both issue a card.
      await db.schema
        .createTable('services_holdings')
        .addColumn('item_id', 'varchar(48)', (c) => c.notNull())
        .addColumn('subject_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('certificate_no', 'varchar(32)', (c) => c.notNull())
        .addPrimaryKeyConstraint('services_holdings_pk', ['item_id', 'subject_hash'])
        .execute();
      await db.schema
        .createTable('services_sequences')
        .addColumn('name', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('value', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('services_sweeps')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('item_id', 'varchar(48)', (c) => c.notNull())
        .addColumn('month', 'varchar(7)', (c) => c.notNull())
        .addColumn('as_of', 'varchar(10)', (c) => c.notNull())
        .addColumn('run_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('officer', 'varchar(64)')
        .addColumn('eligible_count', 'integer', (c) => c.notNull())
        .addColumn('newly_count', 'integer', (c) => c.notNull())
        .addColumn('total_cents', 'bigint', (c) => c.notNull())
        .addColumn('by_tier_json', 'text', (c) => c.notNull())
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('services_sweeps_item')
        .on('services_sweeps')
        .columns(['item_id', 'run_at'])
        .execute();
    },
  },
};

migrations['2026_12_05_002_idempotency_fingerprint'] = {
  // An Idempotency-Key answers again only the same caller's same request (keyed hash of both).
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('services_applications').addColumn('idempotency_fingerprint', 'varchar(64)').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('services_applications').dropColumn('idempotency_fingerprint').execute();
  },
};

export async function migrateServices(
  // biome-ignore lint/suspicious/noExplicitAny: the migrator only needs the connection, not the table types.
  db: Kysely<any>,
): Promise<void> {
  await migrateAppDatabase(db, migrations, 'services');
}
