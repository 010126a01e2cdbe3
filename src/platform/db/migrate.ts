/** Runs a store's migrations to the latest version, on SQLite or PostgreSQL. */
import { type Kysely, type MigrationProvider, Migrator, SqliteAdapter, sql } from 'kysely';

export async function migrateToLatest(
  // biome-ignore lint/suspicious/noExplicitAny: the migrator only needs the connection, not the table types.
  db: Kysely<any>,
  provider: MigrationProvider,
  tables: { migrationTableName: string; migrationLockTableName: string },
): Promise<void> {
  // Kysely looks for its migration tables in every schema unless told which one; with several hutong
  // databases as schemas of one PostgreSQL database (tests, or a shared server) it would find another
  // schema's table and skip creating its own. So name the current schema explicitly.
  const migrationTableSchema =
    db.getExecutor().adapter instanceof SqliteAdapter
      ? undefined
      : (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema;
  const migrator = new Migrator({ db, provider, ...tables, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  const { error } = await retryingOtherSchemaRaces(() => migrator.migrateToLatest(), migrationTableSchema);
  if (error) throw error;
}

/**
 * Runs a Kysely migrator step again when it failed on another schema: its check for its migration table
 * introspects every schema of the database, and another database on the same server dropping its schema
 * (or a table) meanwhile fails that read, not our migration.
 */
export async function retryingOtherSchemaRaces<Result extends { error?: unknown }>(
  step: () => Promise<Result>,
  ours: string | undefined,
): Promise<Result> {
  for (let attempt = 1; ; attempt++) {
    let result: Result;
    try {
      result = await step();
    } catch (error) {
      // Kysely throws (rather than returns) what fails while it looks for its migration table.
      if (attempt >= 8 || !otherSchemaChanged(error, ours)) throw error;
      result = { error } as Result;
    }
    if (!result.error || attempt >= 8 || !otherSchemaChanged(result.error, ours)) return result;
    await new Promise((done) => setTimeout(done, 20 * attempt));
  }
}

/** PostgreSQL's "schema/table does not exist" (3F000, 42P01) about something that is not our schema. */
function otherSchemaChanged(error: unknown, ours: string | undefined): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code !== '3F000' && code !== '42P01') return false;
  return ours === undefined || typeof message !== 'string' || !message.includes(`"${ours}"`);
}

/**
 * A store keeping its own tables in a Kysely database: it migrates them (recording its versions in a
 * migration table of its own, so stores can share a database) and closes the connection it was given.
 */
export abstract class MigratedStore<DB> {
  protected constructor(
    protected readonly db: Kysely<DB>,
    private readonly migrations: MigrationProvider,
    private readonly migrationTableName: string,
  ) {}

  async migrate(): Promise<void> {
    await migrateToLatest(this.db, this.migrations, {
      migrationTableName: this.migrationTableName,
      migrationLockTableName: `${this.migrationTableName}_lock`,
    });
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
