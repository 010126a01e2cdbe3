/** Versioned migrations of the log's query index and the subject sessions, for SQLite and PostgreSQL. */
import type { Kysely, Migration, MigrationProvider } from 'kysely';

const migrations: Record<string, Migration> = {
  '2026_12_01_001_ledger_index': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('ledger_index_entries')
        .addColumn('idx', 'bigint', (c) => c.primaryKey())
        .addColumn('logtime', 'varchar(32)', (c) => c.notNull())
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('action', 'varchar(32)')
        .addColumn('decision', 'varchar(8)')
        .addColumn('code', 'varchar(48)')
        .addColumn('actor', 'varchar(32)')
        .addColumn('consumer', 'varchar(32)')
        .addColumn('provider', 'varchar(32)')
        .addColumn('resource', 'varchar(64)')
        .addColumn('agreement_id', 'varchar(64)')
        .addColumn('mode', 'varchar(16)')
        .addColumn('items_json', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text')
        .addColumn('request_id', 'varchar(64)')
        .addColumn('covert_until', 'varchar(10)')
        .addColumn('subject_count', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('ledger_index_entries_time')
        .on('ledger_index_entries')
        .columns(['logtime', 'idx'])
        .execute();
      await db.schema
        .createIndex('ledger_index_entries_request')
        .on('ledger_index_entries')
        .column('request_id')
        .execute();
      await db.schema
        .createIndex('ledger_index_entries_consumer')
        .on('ledger_index_entries')
        .columns(['consumer', 'logtime'])
        .execute();
      await db.schema
        .createIndex('ledger_index_entries_provider')
        .on('ledger_index_entries')
        .columns(['provider', 'logtime'])
        .execute();
      await db.schema
        .createIndex('ledger_index_entries_covert')
        .on('ledger_index_entries')
        .column('covert_until')
        .execute();
      await db.schema
        .createTable('ledger_index_subjects')
        .addColumn('subject_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('idx', 'bigint', (c) => c.notNull())
        .addColumn('logtime', 'varchar(32)', (c) => c.notNull())
        .addPrimaryKeyConstraint('ledger_index_subjects_pk', ['subject_hash', 'idx'])
        .execute();
      // No second index on (subject_hash, logtime): one person's rows are few, found by the key and filtered
      // by time, and every extra random-order index doubles the cost of indexing millions of hashes
      // (3 M rows into SQLite: 112 s with it, 52 s without, measured 2026-11-27).
      await db.schema
        .createTable('ledger_index_state')
        .addColumn('name', 'varchar(16)', (c) => c.primaryKey())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('subject_sessions')
        .addColumn('token_digest', 'varchar(128)', (c) => c.primaryKey())
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('subject_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('covert_hashes_json', 'text', (c) => c.notNull())
        .addColumn('display_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['subject_sessions', 'ledger_index_state', 'ledger_index_subjects', 'ledger_index_entries']) {
        await db.schema.dropTable(table).execute();
      }
    },
  },
};

migrations['2026_12_05_002_event_time'] = {
  async up(db: Kysely<unknown>) {
    // logtime is now the log's own sequencing time; the event's own time is kept beside it.
    await db.schema.alterTable('ledger_index_entries').addColumn('event_time', 'varchar(32)').execute();
    await db.schema.alterTable('ledger_index_entries').addColumn('officer_hash', 'varchar(64)').execute();
    await db.schema.alterTable('ledger_index_entries').addColumn('case_hash', 'varchar(64)').execute();
  },
  async down(db: Kysely<unknown>) {
    for (const column of ['case_hash', 'officer_hash', 'event_time']) {
      await db.schema.alterTable('ledger_index_entries').dropColumn(column).execute();
    }
  },
};

export const ledgerIndexMigrations: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
