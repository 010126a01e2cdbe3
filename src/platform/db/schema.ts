/**
 * Schema versions declared the way a DBA reads them — a column is `'type [primary key] [not null]
 * [unique] [default N] [references table.column]'` — and turned into Kysely migrations, so the same
 * declaration runs on SQLite and PostgreSQL and each version's way down is derived, not written twice.
 * The type `bytes` is SQLite's blob and PostgreSQL's bytea.
 */
import {
  type ColumnDefinitionBuilder,
  type CreateTableBuilder,
  type Kysely,
  type Migration,
  type MigrationProvider,
  SqliteAdapter,
  sql,
} from 'kysely';

type DataTypeExpression = Parameters<CreateTableBuilder<string>['addColumn']>[1];

export type Columns = Record<string, string>;

function isSqlite(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

const MODIFIERS: [RegExp, (column: ColumnDefinitionBuilder, match: RegExpExecArray) => ColumnDefinitionBuilder][] = [
  [/^primary key\b/, (c) => c.primaryKey()],
  [/^not null\b/, (c) => c.notNull()],
  [/^unique\b/, (c) => c.unique()],
  [/^default (-?\d+)\b/, (c, m) => c.defaultTo(Number(m[1]))],
  [/^references (\w+\.\w+)\b/, (c, m) => c.references(m[1] as string)],
];

function columnSpec(
  db: Kysely<unknown>,
  spec: string,
): {
  type: DataTypeExpression;
  modify: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
} {
  const type = /^(double precision|\w+(?:\(\d+\))?)\s*/.exec(spec);
  if (!type) throw new Error(`column type missing in ${JSON.stringify(spec)}`);
  const steps: ((c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder)[] = [];
  let rest = spec.slice(type[0].length);
  while (rest) {
    const found = MODIFIERS.map(([pattern, apply]) => [pattern.exec(rest), apply] as const).find(([m]) => m);
    if (!found?.[0]) throw new Error(`unknown column modifier in ${JSON.stringify(spec)}`);
    const [match, apply] = found;
    steps.push((c) => apply(c, match));
    rest = rest.slice(match[0].length).trimStart();
  }
  const name = type[1] === 'bytes' ? (isSqlite(db) ? 'blob' : 'bytea') : type[1];
  return { type: name as DataTypeExpression, modify: (c) => steps.reduce((column, step) => step(column), c) };
}

async function createTable(db: Kysely<unknown>, table: string, columns: Columns): Promise<void> {
  let builder: CreateTableBuilder<string, string> = db.schema.createTable(table);
  for (const [name, spec] of Object.entries(columns)) {
    if (name === PRIMARY_KEY) {
      builder = builder.addPrimaryKeyConstraint(`${table}_pk`, spec.split(/,\s*/));
      continue;
    }
    const { type, modify } = columnSpec(db, spec);
    builder = builder.addColumn(name, type, modify);
  }
  await builder.execute();
}

async function createIndex(db: Kysely<unknown>, name: string, on: string): Promise<void> {
  const { table, columns } = indexSpec(on);
  // An index built from names at run time has no column types for Kysely to check.
  await db.schema
    .createIndex(name)
    .on(table)
    .columns(columns as never[])
    .execute();
}

function indexSpec(on: string): { table: string; columns: string[] } {
  const match = /^(\w+) \(([\w, ]+)\)$/.exec(on);
  if (!match) throw new Error(`index must read 'table (column, …)', not ${JSON.stringify(on)}`);
  return { table: match[1] as string, columns: (match[2] as string).split(/,\s*/) };
}

async function addColumns(db: Kysely<unknown>, table: string, columns: Columns): Promise<void> {
  for (const [name, spec] of Object.entries(columns)) {
    const { type, modify } = columnSpec(db, spec);
    await db.schema.alterTable(table).addColumn(name, type, modify).execute();
  }
}

/** What one schema version adds; the way down is derived from it (drop what was added, in reverse). */
export interface SchemaVersion {
  /** Table → columns; a composite key is the entry `'primary key': 'a, b'`. */
  createTables?: Record<string, Columns>;
  /** Index name → `'table (column, …)'`. */
  createIndexes?: Record<string, string>;
  /** Existing table → columns added to it. */
  addColumns?: Record<string, Columns>;
  /** Tables that refuse update and delete, through the named guard function (PostgreSQL). */
  appendOnly?: { guard: string; tables: readonly string[] };
}

/** The composite-key entry of a table's columns. */
const PRIMARY_KEY = 'primary key';

/** Kysely migrations, by version name, from declared schema versions. */
export function schemaMigrations(versions: Record<string, SchemaVersion>): MigrationProvider {
  const migrations: Record<string, Migration> = {};
  for (const [name, version] of Object.entries(versions)) {
    const tables = Object.entries(version.createTables ?? {});
    const indexes = Object.entries(version.createIndexes ?? {});
    const columns = Object.entries(version.addColumns ?? {});
    migrations[name] = {
      async up(db) {
        for (const [table, spec] of tables) await createTable(db, table, spec);
        for (const [table, added] of columns) await addColumns(db, table, added);
        for (const [index, on] of indexes) await createIndex(db, index, on);
        if (version.appendOnly) await makeAppendOnly(db, version.appendOnly.guard, version.appendOnly.tables);
      },
      async down(db) {
        const created = new Set(tables.map(([table]) => table));
        for (const [index, on] of [...indexes].reverse()) {
          if (!created.has(indexSpec(on).table)) await db.schema.dropIndex(index).execute();
        }
        for (const [table, added] of [...columns].reverse()) {
          for (const column of Object.keys(added).reverse())
            await db.schema.alterTable(table).dropColumn(column).execute();
        }
        for (const [table] of [...tables].reverse()) await db.schema.dropTable(table).execute();
        if (version.appendOnly && !isSqlite(db))
          await sql.raw(`drop function ${version.appendOnly.guard}()`).execute(db);
      },
    };
  }
  return { getMigrations: async () => migrations };
}

/**
 * Makes tables append-only in the database itself. This stops mistakes, not an attacker with DDL
 * rights: that is what signed checkpoints, chained records and witnesses are for.
 */
async function makeAppendOnly(db: Kysely<unknown>, guard: string, tables: readonly string[]): Promise<void> {
  if (isSqlite(db)) {
    for (const table of tables) {
      for (const op of ['update', 'delete']) {
        await sql
          .raw(
            `create trigger ${table}_no_${op} before ${op} on ${table} begin select raise(abort, '${table} is append-only'); end`,
          )
          .execute(db);
      }
    }
    return;
  }
  await sql
    .raw(
      `create function ${guard}() returns trigger language plpgsql as $$ begin raise exception '% is append-only', TG_TABLE_NAME; end $$`,
    )
    .execute(db);
  for (const table of tables) {
    await sql
      .raw(
        `create trigger ${table}_no_change before update or delete on ${table} for each row execute function ${guard}()`,
      )
      .execute(db);
  }
}
