/** The 亩均论英雄 application's own tables (its own database), for SQLite and PostgreSQL. */
import type { Kysely, Migration } from 'kysely';
import { migrateAppDatabase } from '../../../platform/db/app-migrations';

const migrations: Record<string, Migration> = {
  '2026_12_01_001_evaluation': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('evaluation_runs')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('config_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('config_version', 'varchar(32)', (c) => c.notNull())
        .addColumn('config_json', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('progress', 'text')
        .addColumn('error_code', 'varchar(48)')
        .addColumn('error_detail', 'text')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('finished_at', 'varchar(32)')
        .addColumn('created_by', 'varchar(64)', (c) => c.notNull())
        .addColumn('summary_json', 'text')
        .addColumn('duration_ms', 'integer')
        .addColumn('enterprise_count', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex('evaluation_runs_year')
        .on('evaluation_runs')
        .columns(['year', 'created_at'])
        .execute();
      await db.schema
        .createTable('evaluation_enterprises')
        .addColumn('evaluation_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('uscc', 'varchar(18)', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('group_label', 'varchar(8)')
        .addColumn('graded', 'integer', (c) => c.notNull())
        .addColumn('reason', 'varchar(48)')
        .addColumn('total', 'double precision')
        .addColumn('rank', 'integer')
        .addColumn('class', 'varchar(1)')
        .addColumn('rank_class', 'varchar(1)')
        .addColumn('veto', 'integer', (c) => c.notNull())
        .addColumn('district_code', 'varchar(12)', (c) => c.notNull())
        .addColumn('industry_code', 'varchar(8)', (c) => c.notNull())
        .addColumn('previous_class', 'varchar(1)')
        .addColumn('surcharge', 'varchar(32)')
        .addColumn('detail_json', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('evaluation_enterprises_pk', ['evaluation_id', 'uscc'])
        .execute();
      await db.schema
        .createIndex('evaluation_enterprises_rank')
        .on('evaluation_enterprises')
        .columns(['evaluation_id', 'group_label', 'rank'])
        .execute();
      await db.schema
        .createTable('evaluation_exchanges')
        .addColumn('evaluation_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('source', 'varchar(16)', (c) => c.notNull())
        .addColumn('provider', 'varchar(32)', (c) => c.notNull())
        .addColumn('resource', 'varchar(64)', (c) => c.notNull())
        .addColumn('computation', 'varchar(64)', (c) => c.notNull())
        .addColumn('agreement_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('year', 'integer')
        .addColumn('request_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('subjects', 'integer', (c) => c.notNull())
        .addColumn('ledger_index', 'bigint')
        .addPrimaryKeyConstraint('evaluation_exchanges_pk', ['evaluation_id', 'seq'])
        .execute();
      await db.schema
        .createTable('evaluation_objections')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('evaluation_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('uscc', 'varchar(18)', (c) => c.notNull())
        .addColumn('enterprise_name', 'text', (c) => c.notNull())
        .addColumn('figure', 'varchar(32)', (c) => c.notNull())
        .addColumn('provider', 'varchar(32)', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('filed_by_member', 'varchar(32)', (c) => c.notNull())
        .addColumn('filed_by_user', 'varchar(64)')
        .addColumn('filed_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('resolved_at', 'varchar(32)')
        .addColumn('resolved_by', 'varchar(64)')
        .addColumn('resolution_note', 'text')
        .execute();
      await db.schema
        .createIndex('evaluation_objections_year')
        .on('evaluation_objections')
        .columns(['year', 'uscc'])
        .execute();
    },
  },
  '2026_12_01_002_class_history': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('evaluation_enterprises').addColumn('class_history', 'varchar(16)').execute();
    },
  },
};

export async function migrateEvaluation(
  // biome-ignore lint/suspicious/noExplicitAny: the migrator only needs the connection, not the table types.
  db: Kysely<any>,
): Promise<void> {
  await migrateAppDatabase(db, migrations, 'evaluation');
}
