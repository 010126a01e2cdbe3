/**
 * Opens a Kysely instance on SQLite (better-sqlite3, embedded default) or PostgreSQL (pg).
 * Store code above this line is dialect-neutral; this is the only place that knows the drivers.
 */
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, type SqliteDatabase, SqliteDialect } from 'kysely';
import pg from 'pg';

export type DatabaseOptions =
  | { dialect: 'sqlite'; file: string }
  | {
      dialect: 'postgres';
      connectionString: string;
      schema?: string;
      maxConnections?: number;
      /** Any statement running longer is cancelled by the server (a stuck query must not hold a connection). */
      statementTimeoutMs?: number;
    };

export type DialectName = DatabaseOptions['dialect'];

// PostgreSQL returns int8/numeric as strings by default; our counts and sizes fit in a double.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(1700, (v) => Number.parseFloat(v));

/**
 * Kysely prepares every query anew; on a node's hot path (the same few statements thousands of times a
 * second) re-preparing costs more than running. Statements are reused by SQL text, which is safe because
 * better-sqlite3 runs each one to completion synchronously.
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        if (statements.size < 500) statements.set(sql, statement);
      }
      return statement as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
    close() {
      statements.clear();
      database.close();
    },
  };
}

const pools = new WeakMap<object, pg.Pool>();

/** A PostgreSQL database's connection pool in use (for metrics); undefined for SQLite (no pool). */
export function poolUse(db: object): { total: number; idle: number; waiting: number; max: number } | undefined {
  const pool = pools.get(db);
  return pool
    ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 }
    : undefined;
}

/** The pool's connections by state, for /metrics (none for SQLite, which has no pool). */
export function poolGauges(db: object): { labels: Record<string, string>; value: number }[] {
  const use = poolUse(db);
  if (!use) return [];
  return [
    { labels: { state: 'open' }, value: use.total },
    { labels: { state: 'idle' }, value: use.idle },
    { labels: { state: 'waiting' }, value: use.waiting },
    { labels: { state: 'max' }, value: use.max },
  ];
}

export function openDatabase<DB>(options: DatabaseOptions): Kysely<DB> {
  if (options.dialect === 'sqlite') {
    if (options.file !== ':memory:') {
      // Databases hold personal data: only their owner reads them. SQLite gives the -wal and -shm files the
      // database file's own permissions, so creating it 0600 first is enough.
      mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });
      closeSync(openSync(options.file, 'a', 0o600));
      chmodSync(options.file, 0o600);
    }
    const database = new SQLite(options.file);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 5000');
    return new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  // An idle connection the server or the network drops is reported here; unhandled, that event would end
  // the process. The pool replaces the connection at the next query; /readyz tells when queries fail.
  pool.on('error', () => undefined);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
}
