/**
 * The databases a store contract suite runs on: SQLite always, PostgreSQL when HUTONG_TEST_PG names a
 * connection string. Each `open()` gives a fresh, empty database (a temp file, or a new PostgreSQL schema).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { type DatabaseOptions, type DialectName, openDatabase } from './open';

export interface TestDatabase<DB = unknown> {
  db: Kysely<DB>;
  options: DatabaseOptions;
  dispose(): Promise<void>;
}

export interface TestDialect {
  name: DialectName;
  open<DB>(): Promise<TestDatabase<DB>>;
}

const sqliteDialect: TestDialect = {
  name: 'sqlite',
  async open<DB>() {
    const dir = mkdtempSync(join(tmpdir(), 'hutong-test-'));
    const options: DatabaseOptions = { dialect: 'sqlite', file: join(dir, 'test.sqlite') };
    const db = openDatabase<DB>(options);
    return {
      db,
      options,
      async dispose() {
        await db.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

function postgresDialect(connectionString: string): TestDialect {
  return {
    name: 'postgres',
    async open<DB>() {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const admin = openDatabase<unknown>({ dialect: 'postgres', connectionString, maxConnections: 1 });
      await sql`create schema ${sql.id(schema)}`.execute(admin);
      await admin.destroy();
      const options: DatabaseOptions = { dialect: 'postgres', connectionString, schema };
      const db = openDatabase<DB>(options);
      return {
        db,
        options,
        async dispose() {
          await sql`drop schema ${sql.id(schema)} cascade`.execute(db);
          await db.destroy();
        },
      };
    },
  };
}

export function testDialects(env: NodeJS.ProcessEnv = process.env): TestDialect[] {
  const pgUrl = env.HUTONG_TEST_PG;
  return pgUrl ? [sqliteDialect, postgresDialect(pgUrl)] : [sqliteDialect];
}

/**
 * For a store's suite: before each test (or once, `per: 'suite'`) a fresh database on `dialect` with the
 * store on it, migrated (`migrations` times: migrating again must be harmless), handed to `ready` for the
 * suite's own setup; the database is disposed of afterwards.
 */
export function withFreshStore<DB, Store extends { migrate(): Promise<void> }>(
  dialect: TestDialect,
  open: (db: Kysely<DB>) => Store,
  ready: (store: Store, database: TestDatabase<DB>) => void | Promise<void>,
  options: { per?: 'test' | 'suite'; migrations?: number } = {},
): void {
  let database: TestDatabase<DB> | undefined;
  const [before, after] = options.per === 'suite' ? [beforeAll, afterAll] : [beforeEach, afterEach];
  before(async () => {
    database = await dialect.open<DB>();
    const store = open(database.db);
    for (let i = 0; i < (options.migrations ?? 1); i++) await store.migrate();
    await ready(store, database);
  });
  after(async () => {
    await database?.dispose();
    database = undefined;
  });
}
