/**
 * A department node's resource tables: created from the dataset schema through Kysely's schema builder and
 * written/read with the same code on SQLite and PostgreSQL. Each table carries a `_seq` column recording
 * file order, so an export reproduces the loaded file byte for byte.
 */
import { type CreateTableBuilder, type Kysely, SqliteAdapter, sql } from 'kysely';
import type { PersonalDataSealer } from '../core/ports/personal-data';
import type { ColumnDef, ResourceDef } from './schema';
import { isSealable, SEALED_COLUMN, unsealRow } from './sealing';
import { type DbValue, formatCell } from './validate';

// biome-ignore lint/suspicious/noExplicitAny: tables are defined at run time from the dataset schema.
export type AnyDb = Kysely<any>;

export const SEQ_COLUMN = '_seq';

function sqlType(c: ColumnDef) {
  switch (c.type) {
    case 'integer':
      return sql`bigint`;
    case 'year':
    case 'boolean':
      // Booleans as 0/1 integers: SQLite has no boolean and pg's would come back as true/false.
      return sql`integer`;
    case 'decimal':
      return sql.raw(`numeric(20, ${c.scale ?? 2})`);
    default:
      return sql`text`;
  }
}

/** `sealed`: the node keeps personal columns sealed (src/datasets/sealing.ts), in one extra column. */
export async function ensureResourceTable(
  db: AnyDb,
  resource: ResourceDef,
  options: { sealed?: boolean } = {},
): Promise<void> {
  let builder: CreateTableBuilder<string, string> = db.schema
    .createTable(resource.table)
    .ifNotExists()
    .addColumn(SEQ_COLUMN, 'bigint', (c) => c.notNull());
  for (const c of resource.columns) {
    builder = builder.addColumn(c.name, sqlType(c), (b) => (c.nullable ? b : b.notNull()));
  }
  if (options.sealed) builder = builder.addColumn(SEALED_COLUMN, 'text');
  await builder.addPrimaryKeyConstraint(`${resource.table}_pk`, resource.keyColumns as string[]).execute();
  await db.schema
    .createIndex(`${resource.table}_seq_idx`)
    .ifNotExists()
    .on(resource.table)
    .column(SEQ_COLUMN)
    .execute();
  // Nodes look rows up by subject (credit code, ID number); when the key does not start with it (a parcel
  // is keyed by its parcel number), a batch lookup would scan the whole table without this index.
  const subject = resource.columns.find((c) => c.subjectKey !== null);
  if (subject && resource.keyColumns[0] !== subject.name) {
    await db.schema
      .createIndex(`${resource.table}_subject_idx`)
      .ifNotExists()
      .on(resource.table)
      .column(subject.name)
      .execute();
  }
}

export async function tableExists(db: AnyDb, resource: ResourceDef): Promise<boolean> {
  // Only the schema on our search path counts. Listing every schema (Kysely's introspection) also races
  // with another schema being dropped at the same moment ("schema … does not exist").
  const { rows } =
    db.getExecutor().adapter instanceof SqliteAdapter
      ? await sql<{
          n: number;
        }>`select count(*) as n from sqlite_master where type = 'table' and name = ${resource.table}`.execute(db)
      : await sql<{
          n: number;
        }>`select count(*) as n from pg_tables where schemaname = current_schema() and tablename = ${resource.table}`.execute(
          db,
        );
  return Number(rows[0]?.n ?? 0) > 0;
}

export async function countRows(db: AnyDb, resource: ResourceDef): Promise<number> {
  const r = await db.selectFrom(resource.table).select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function maxSeq(db: AnyDb, resource: ResourceDef): Promise<number> {
  const r = await db.selectFrom(resource.table).select(db.fn.max(SEQ_COLUMN).as('m')).executeTakeFirst();
  return r?.m === null || r?.m === undefined ? 0 : Number(r.m);
}

/** Rows per statement, kept under SQLite's 32,766 bound variables. */
export function batchSize(resource: ResourceDef): number {
  return Math.min(1000, Math.floor(30_000 / (resource.columns.length + 1)));
}

export type StoredRow = Record<string, DbValue>;

export async function insertRows(db: AnyDb, resource: ResourceDef, rows: StoredRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto(resource.table).values(rows).execute();
}

/** Inserts or updates by the resource's key; an existing row keeps its `_seq` (its place in exports). */
export async function upsertRows(db: AnyDb, resource: ResourceDef, rows: StoredRow[]): Promise<void> {
  if (rows.length === 0) return;
  const nonKey = [
    ...resource.columns.map((c) => c.name),
    ...(SEALED_COLUMN in (rows[0] as object) ? [SEALED_COLUMN] : []),
  ].filter((n) => !resource.keyColumns.includes(n));
  await db
    .insertInto(resource.table)
    .values(rows)
    .onConflict((oc) => {
      const target = oc.columns(resource.keyColumns as string[]);
      return nonKey.length === 0
        ? target.doNothing()
        : target.doUpdateSet(Object.fromEntries(nonKey.map((n) => [n, sql.ref(`excluded.${n}`)])));
    })
    .execute();
}

export async function deleteAllRows(db: AnyDb, resource: ResourceDef): Promise<void> {
  await db.deleteFrom(resource.table).execute();
}

/** Streams the table in file order as formatted cells, a page at a time (unsealed with `sealer`). */
export async function* readCells(
  db: AnyDb,
  resource: ResourceDef,
  pageSize = 5000,
  sealer?: PersonalDataSealer,
): AsyncGenerator<string[][]> {
  let after = -1;
  const sealed = sealer !== undefined && isSealable(resource);
  const names = [...resource.columns.map((c) => c.name), ...(sealed ? [SEALED_COLUMN] : [])];
  for (;;) {
    const page = await db
      .selectFrom(resource.table)
      .select([SEQ_COLUMN, ...names])
      .where(SEQ_COLUMN, '>', after)
      .orderBy(SEQ_COLUMN)
      .limit(pageSize)
      .execute();
    if (page.length === 0) return;
    yield page.map((stored) => {
      const r = sealed ? unsealRow(resource, stored, sealer) : stored;
      return resource.columns.map((c) => formatCell(c, r[c.name]));
    });
    after = Number(page[page.length - 1]?.[SEQ_COLUMN]);
    if (page.length < pageSize) return;
  }
}
