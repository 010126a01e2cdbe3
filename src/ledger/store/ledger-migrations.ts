/** Versioned migrations of the hub's audit-log tables, for SQLite and PostgreSQL. */
import { type Kysely, type Migration, type MigrationProvider, SqliteAdapter, sql } from 'kysely';

function isSqlite(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

const APPEND_ONLY = ['ledger_entries', 'ledger_hashes'] as const;

const migrations: Record<string, Migration> = {
  '2026_11_27_001_ledger': {
    async up(db: Kysely<unknown>) {
      const bytes = isSqlite(db) ? 'blob' : 'bytea';
      await db.schema
        .createTable('ledger_entries')
        .addColumn('idx', 'bigint', (c) => c.primaryKey())
        .addColumn('data', bytes, (c) => c.notNull())
        .addColumn('leaf_hash', bytes, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('ledger_hashes')
        .addColumn('stored_index', 'bigint', (c) => c.primaryKey())
        .addColumn('hash', bytes, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('ledger_checkpoints')
        .addColumn('size', 'bigint', (c) => c.primaryKey())
        .addColumn('note', 'text', (c) => c.notNull())
        .execute();
      // Entries and hashes are append-only in the database itself. This stops mistakes, not an attacker
      // with DDL rights: that is what the signed checkpoints, tiles and witnesses are for.
      if (isSqlite(db)) {
        for (const table of APPEND_ONLY) {
          for (const op of ['update', 'delete']) {
            await sql
              .raw(
                `create trigger ${table}_no_${op} before ${op} on ${table} begin select raise(abort, '${table} is append-only'); end`,
              )
              .execute(db);
          }
        }
      } else {
        await sql`create function ledger_append_only() returns trigger language plpgsql as $$ begin raise exception '% is append-only', TG_TABLE_NAME; end $$`.execute(
          db,
        );
        for (const table of APPEND_ONLY) {
          await sql
            .raw(
              `create trigger ${table}_no_change before update or delete on ${table} for each row execute function ledger_append_only()`,
            )
            .execute(db);
        }
      }
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['ledger_checkpoints', 'ledger_hashes', 'ledger_entries']) {
        await db.schema.dropTable(table).execute();
      }
      if (!isSqlite(db)) await sql`drop function ledger_append_only()`.execute(db);
    },
  },
};

migrations['2026_12_05_002_cosigned'] = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('ledger_cosigned')
      .addColumn('size', 'bigint', (c) => c.primaryKey())
      .addColumn('note', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('ledger_cosigned').execute();
  },
};

export const ledgerMigrations: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
