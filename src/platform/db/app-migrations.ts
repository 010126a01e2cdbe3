/** Runs a hosted app's migrations on its own database (SQLite, or a schema of the city's PostgreSQL). */
import { type Kysely, type Migration, Migrator, SqliteAdapter, sql } from 'kysely';

export async function migrateAppDatabase(
  // biome-ignore lint/suspicious/noExplicitAny: the migrator only needs the connection, not the table types.
  db: Kysely<any>,
  migrations: Readonly<Record<string, Migration>>,
  /** Names its bookkeeping tables: `<app>_migrations` and `<app>_migrations_lock`. */
  app: string,
): Promise<void> {
  // With several databases as schemas of one PostgreSQL database, name the current schema explicitly
  // (Kysely would otherwise find another schema's migration table).
  const migrationTableSchema =
    db.getExecutor().adapter instanceof SqliteAdapter
      ? undefined
      : (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...migrations }) },
    migrationTableName: `${app}_migrations`,
    migrationLockTableName: `${app}_migrations_lock`,
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}
