/**
 * Declared schema versions on every test database: columns get their types and constraints, a composite
 * key and the append-only guard hold in the database itself, and the derived way down removes everything
 * the versions added, so the versions can be applied again.
 */
import { type Kysely, type MigrationProvider, Migrator, NO_MIGRATIONS, sql } from 'kysely';
import { retryingOtherSchemaRaces } from './migrate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schemaMigrations } from './schema';
import { type TestDatabase, testDialects } from './test-databases';

const versions = schemaMigrations({
  '001_people': {
    createTables: {
      offices: { code: 'varchar(8) primary key', name: 'text not null' },
      visits: {
        office: 'varchar(8) not null references offices.code',
        seq: 'integer not null',
        ticket: 'varchar(16) unique',
        count: 'integer not null default 0',
        payload: 'bytes',
        'primary key': 'office, seq',
      },
    },
    createIndexes: { visits_ticket: 'visits (ticket, seq)' },
    appendOnly: { guard: 'visits_append_only', tables: ['visits'] },
  },
  '002_notes': {
    addColumns: { offices: { note: 'text', rank: 'integer not null default 7' } },
    createIndexes: { offices_rank: 'offices (rank)' },
  },
});

/** Kysely's migrator, its steps retried when another test's schema vanished under its catalog read. */
function migrator(db: Kysely<unknown>, provider: MigrationProvider, name = 'versions') {
  const inner = new Migrator({
    db,
    provider,
    migrationTableName: `${name}_migrations`,
    migrationLockTableName: `${name}_lock`,
  });
  return {
    migrateToLatest: () => retryingOtherSchemaRaces(() => inner.migrateToLatest(), undefined),
    migrateDown: () => retryingOtherSchemaRaces(() => inner.migrateDown(), undefined),
    migrateTo: (target: Parameters<Migrator['migrateTo']>[0]) =>
      retryingOtherSchemaRaces(() => inner.migrateTo(target), undefined),
  };
}

/** The tables of this test's database, its own schema only (never a catalog-wide listing). */
async function tableNames(database: TestDatabase): Promise<string[]> {
  const { rows } =
    database.options.dialect === 'postgres'
      ? await sql<{
          name: string;
        }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(database.db)
      : await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(database.db);
  return rows
    .map((row) => row.name)
    .filter((name) => !name.startsWith('versions_') && !name.startsWith('sqlite_'))
    .sort();
}

async function columnNames(database: TestDatabase, table: string): Promise<string[]> {
  const { rows } =
    database.options.dialect === 'postgres'
      ? await sql<{ name: string }>`select column_name as name from information_schema.columns
          where table_schema = current_schema() and table_name = ${table}`.execute(database.db)
      : await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(database.db);
  return rows.map((row) => row.name).sort();
}

for (const dialect of testDialects()) {
  describe(`declared schema versions on ${dialect.name}`, () => {
    let database: TestDatabase;
    // biome-ignore lint/suspicious/noExplicitAny: the test writes rows into tables it declared at run time.
    let db: Kysely<any>;
    beforeEach(async () => {
      database = await dialect.open();
      db = database.db;
      const { error } = await migrator(db, versions).migrateToLatest();
      expect(error).toBeUndefined();
    });
    afterEach(async () => database.dispose());

    it('creates the declared columns with their constraints and defaults', async () => {
      await db.insertInto('offices').values({ code: 'A', name: '一号窗口' }).execute();
      await db
        .insertInto('visits')
        .values({ office: 'A', seq: 1, ticket: 'T1', payload: Buffer.from([1, 2]) })
        .execute();
      const visit = await db.selectFrom('visits').selectAll().executeTakeFirstOrThrow();
      expect(visit.count).toBe(0);
      expect(Buffer.from(visit.payload)).toEqual(Buffer.from([1, 2]));
      expect((await db.selectFrom('offices').select('rank').executeTakeFirstOrThrow()).rank).toBe(7);
      // composite key, unique column, foreign key, not null
      await expect(db.insertInto('visits').values({ office: 'A', seq: 1 }).execute()).rejects.toThrow();
      await expect(db.insertInto('visits').values({ office: 'A', seq: 2, ticket: 'T1' }).execute()).rejects.toThrow();
      await expect(db.insertInto('visits').values({ office: 'B', seq: 3 }).execute()).rejects.toThrow();
      await expect(db.insertInto('offices').values({ code: 'C' }).execute()).rejects.toThrow();
      await db.insertInto('visits').values({ office: 'A', seq: 2, ticket: 'T2' }).execute();
    });

    it('refuses updates and deletes of an append-only table', async () => {
      await db.insertInto('offices').values({ code: 'A', name: '一号窗口' }).execute();
      await db.insertInto('visits').values({ office: 'A', seq: 1 }).execute();
      await expect(db.updateTable('visits').set({ count: 5 }).execute()).rejects.toThrow(/append-only/);
      await expect(db.deleteFrom('visits').execute()).rejects.toThrow(/append-only/);
      await db.updateTable('offices').set({ note: '可改' }).execute();
    });

    it('goes down version by version, removing what each added, and up again', async () => {
      const versionsMigrator = migrator(db, versions);
      expect((await versionsMigrator.migrateDown()).error).toBeUndefined();
      expect(await columnNames(database, 'offices')).toEqual(['code', 'name']);
      expect((await versionsMigrator.migrateTo(NO_MIGRATIONS)).error).toBeUndefined();
      expect(await tableNames(database)).toEqual([]);
      expect((await versionsMigrator.migrateToLatest()).error).toBeUndefined();
      expect(await tableNames(database)).toEqual(['offices', 'visits']);
    });

    it('names the column or index it cannot read', async () => {
      const badColumn = schemaMigrations({ '001': { createTables: { t: { a: 'integer nullable' } } } });
      expect((await migrator(db, badColumn, 'bad_column').migrateToLatest()).error).toMatchObject({
        message: expect.stringContaining('integer nullable'),
      });
      const badIndex = schemaMigrations({ '001': { createIndexes: { i: 'offices rank' } } });
      expect((await migrator(db, badIndex, 'bad_index').migrateToLatest()).error).toMatchObject({
        message: expect.stringContaining('offices rank'),
      });
    });
  });
}
