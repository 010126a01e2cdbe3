/** Versioned migrations of a node's own tables, for SQLite and PostgreSQL. */
import { type Kysely, type Migration, type MigrationProvider, SqliteAdapter, sql } from 'kysely';

function isSqlite(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

const migrations: Record<string, Migration> = {
  '2026_11_27_001_node': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('node_agreements')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('consumer_code', 'varchar(32)', (c) => c.notNull())
        .addColumn('provider_code', 'varchar(32)', (c) => c.notNull())
        .addColumn('resource_code', 'varchar(64)', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('agreement_json', 'text', (c) => c.notNull())
        .addColumn('confirmed_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('node_sync')
        .addColumn('name', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('confirmed_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('node_audit')
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('event_id', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('at', 'varchar(32)', (c) => c.notNull())
        .addColumn('decision', 'varchar(8)', (c) => c.notNull())
        .addColumn('code', 'varchar(48)')
        .addColumn('consumer_code', 'varchar(32)', (c) => c.notNull())
        .addColumn('provider_code', 'varchar(32)', (c) => c.notNull())
        .addColumn('resource_code', 'varchar(64)')
        .addColumn('agreement_id', 'varchar(64)')
        .addColumn('mode', 'varchar(16)')
        .addColumn('items_json', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text')
        .addColumn('officer', 'varchar(64)')
        .addColumn('case_id', 'varchar(64)')
        .addColumn('request_id', 'varchar(64)')
        .addColumn('request_digest', 'varchar(128)')
        .addColumn('response_digest', 'varchar(128)')
        .addColumn('subject_hashes_json', 'text', (c) => c.notNull())
        // The signature nonce travels with the event: the node's memory of used nonces is rebuilt from here.
        .addColumn('signer_key', 'varchar(96)')
        .addColumn('nonce', 'varchar(128)')
        .execute();
      await db.schema.createIndex('node_audit_at').on('node_audit').column('at').execute();
      // The audit trail is append-only in the database itself, not just by convention.
      if (isSqlite(db)) {
        await sql`create trigger node_audit_no_update before update on node_audit begin select raise(abort, 'node_audit is append-only'); end`.execute(
          db,
        );
        await sql`create trigger node_audit_no_delete before delete on node_audit begin select raise(abort, 'node_audit is append-only'); end`.execute(
          db,
        );
      } else {
        await sql`create function node_audit_append_only() returns trigger language plpgsql as $$ begin raise exception 'node_audit is append-only'; end $$`.execute(
          db,
        );
        await sql`create trigger node_audit_no_change before update or delete on node_audit for each row execute function node_audit_append_only()`.execute(
          db,
        );
      }
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['node_audit', 'node_sync', 'node_agreements']) {
        await db.schema.dropTable(table).execute();
      }
    },
  },
};

migrations['2026_11_27_002_witness'] = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('node_witness')
      .addColumn('origin', 'varchar(200)', (c) => c.primaryKey())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('root', 'varchar(64)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('node_witness').execute();
  },
};

migrations['2026_12_01_003_covert'] = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('node_audit').addColumn('covert_until', 'varchar(10)').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('node_audit').dropColumn('covert_until').execute();
  },
};

migrations['2026_12_05_004_chained_records'] = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('node_audit').addColumn('record_json', 'text').execute();
    await db.schema.alterTable('node_audit').addColumn('record_hash', 'varchar(64)').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('node_audit').dropColumn('record_hash').execute();
    await db.schema.alterTable('node_audit').dropColumn('record_json').execute();
  },
};

migrations['2026_12_05_005_verify_questions'] = {
  async up(db: Kysely<unknown>) {
    // Which distinct verify questions a consumer asked about one subject under one agreement on one day
    // (keyed hashes only): the node's daily budget against probing survives a restart.
    await db.schema
      .createTable('node_verify_questions')
      .addColumn('day', 'varchar(10)', (c) => c.notNull())
      .addColumn('agreement_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('subject_hash', 'varchar(128)', (c) => c.notNull())
      .addColumn('question_hash', 'varchar(128)', (c) => c.notNull())
      .addPrimaryKeyConstraint('node_verify_questions_pk', ['day', 'agreement_id', 'subject_hash', 'question_hash'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('node_verify_questions').execute();
  },
};

export const nodeMigrations: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
