/** Versioned migrations of the hub's audit-log tables, for SQLite and PostgreSQL. */
import { schemaMigrations } from '../../platform/db/schema';

export const ledgerMigrations = schemaMigrations({
  '2026_11_27_001_ledger': {
    createTables: {
      ledger_entries: {
        idx: 'bigint primary key',
        data: 'bytes not null',
        leaf_hash: 'bytes not null',
      },
      ledger_hashes: {
        stored_index: 'bigint primary key',
        hash: 'bytes not null',
      },
      ledger_checkpoints: {
        size: 'bigint primary key',
        note: 'text not null',
      },
    },
    // Entries and hashes are append-only in the database itself. This stops mistakes, not an attacker
    // with DDL rights: that is what the signed checkpoints, tiles and witnesses are for.
    appendOnly: { guard: 'ledger_append_only', tables: ['ledger_entries', 'ledger_hashes'] },
  },
  '2026_12_05_002_cosigned': {
    createTables: {
      ledger_cosigned: {
        size: 'bigint primary key',
        note: 'text not null',
      },
    },
  },
});
