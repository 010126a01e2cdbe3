/** Versioned migrations of the log's query index and the subject sessions, for SQLite and PostgreSQL. */
import { schemaMigrations } from '../../platform/db/schema';

export const ledgerIndexMigrations = schemaMigrations({
  '2026_12_01_001_ledger_index': {
    createTables: {
      ledger_index_entries: {
        idx: 'bigint primary key',
        logtime: 'varchar(32) not null',
        kind: 'varchar(16) not null',
        action: 'varchar(32)',
        decision: 'varchar(8)',
        code: 'varchar(48)',
        actor: 'varchar(32)',
        consumer: 'varchar(32)',
        provider: 'varchar(32)',
        resource: 'varchar(64)',
        agreement_id: 'varchar(64)',
        mode: 'varchar(16)',
        items_json: 'text not null',
        purpose: 'text',
        request_id: 'varchar(64)',
        covert_until: 'varchar(10)',
        subject_count: 'integer not null',
      },
      // No second index on (subject_hash, logtime): one person's rows are few, found by the key and filtered
      // by time, and every extra random-order index doubles the cost of indexing millions of hashes
      // (3 M rows into SQLite: 112 s with it, 52 s without, measured 2026-11-27).
      ledger_index_subjects: {
        subject_hash: 'varchar(64) not null',
        idx: 'bigint not null',
        logtime: 'varchar(32) not null',
        'primary key': 'subject_hash, idx',
      },
      ledger_index_state: {
        name: 'varchar(16) primary key',
        size: 'bigint not null',
      },
      subject_sessions: {
        token_digest: 'varchar(128) primary key',
        kind: 'varchar(16) not null',
        subject_hash: 'varchar(64) not null',
        covert_hashes_json: 'text not null',
        display_name: 'varchar(200) not null',
        created_at: 'varchar(32) not null',
        expires_at: 'varchar(32) not null',
      },
    },
    createIndexes: {
      ledger_index_entries_time: 'ledger_index_entries (logtime, idx)',
      ledger_index_entries_request: 'ledger_index_entries (request_id)',
      ledger_index_entries_consumer: 'ledger_index_entries (consumer, logtime)',
      ledger_index_entries_provider: 'ledger_index_entries (provider, logtime)',
      ledger_index_entries_covert: 'ledger_index_entries (covert_until)',
    },
  },
  '2026_12_05_002_event_time': {
    // logtime is now the log's own sequencing time; the event's own time is kept beside it.
    addColumns: {
      ledger_index_entries: { event_time: 'varchar(32)', officer_hash: 'varchar(64)', case_hash: 'varchar(64)' },
    },
  },
});
