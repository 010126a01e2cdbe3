/**
 * The departments' node stores (the demo's `<data dir>/nodes/<member>.sqlite`, or a database per member
 * chosen by the caller, e.g. PostgreSQL schemas), one table per resource, and moving whole cities in and out
 * of them: load generated CSVs, export them back byte for byte.
 */
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { type DatabaseOptions, openDatabase } from '../platform/db/open';
import { encodeCsvRow } from './csv';
import { readCsvRows } from './read-file';
import {
  type AnyDb,
  SEQ_COLUMN,
  batchSize,
  deleteAllRows,
  ensureResourceTable,
  insertRows,
  readCells,
  tableExists,
} from './store';
import type { PersonalDataSealer } from '../core/ports/personal-data';
import { PROVIDER_CODES, RESOURCES, type ResourceDef } from './schema';
import { isSealable, sealRow } from './sealing';
import type { StoredRow } from './store';
import { mapHeader, validateRow } from './validate';

export function nodeStorePath(dataDir: string, member: string): string {
  return join(dataDir, 'nodes', `${member}.sqlite`);
}

/**
 * Where the node stores are: a data folder (the demo's SQLite files under `nodes/`), or each member's
 * database as the caller placed it.
 */
export type NodeStores = string | ((member: string) => DatabaseOptions);

/** What seals each member's people's data at rest (the 国密 suite); none: stored as read. */
export type NodeSealers = (member: string) => PersonalDataSealer | undefined;

export function nodeStoreDatabase(stores: NodeStores, member: string): DatabaseOptions {
  return typeof stores === 'string' ? { dialect: 'sqlite', file: nodeStorePath(stores, member) } : stores(member);
}

/** The members whose store may hold data: those with a file, for a data folder; every provider otherwise. */
function presentMembers(stores: NodeStores): string[] {
  return typeof stores === 'string'
    ? PROVIDER_CODES.filter((member) => existsSync(nodeStorePath(stores, member)))
    : [...PROVIDER_CODES];
}

export function openNodeStore(stores: NodeStores, member: string): AnyDb {
  return openDatabase(nodeStoreDatabase(stores, member));
}

/** Runs `fn` with each provider's node store open, closing them all afterwards. */
export async function withNodeStores<T>(
  stores: NodeStores,
  fn: (storeOf: (member: string) => AnyDb) => Promise<T>,
): Promise<T> {
  const opened = new Map<string, AnyDb>();
  const storeOf = (member: string) => {
    let db = opened.get(member);
    if (!db) {
      db = openNodeStore(stores, member);
      opened.set(member, db);
    }
    return db;
  };
  try {
    return await fn(storeOf);
  } finally {
    for (const db of opened.values()) await db.destroy();
  }
}

export class LoadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Replaces a resource table's contents with a CSV file (trusted: any invalid row aborts the whole load,
 * inside one transaction, so a half-loaded table is never left behind). Returns the row count.
 */
export async function loadResourceFile(
  db: AnyDb,
  resource: ResourceDef,
  file: string,
  sealer?: PersonalDataSealer,
): Promise<number> {
  const sealed = sealer !== undefined && isSealable(resource);
  await ensureResourceTable(db, resource, { sealed });
  const stored = (row: StoredRow) => (sealed ? sealRow(resource, row, sealer) : row);
  return db.transaction().execute(async (trx) => {
    await deleteAllRows(trx, resource);
    let header: ReturnType<typeof mapHeader> | null = null;
    let width = 0;
    let batch: StoredRow[] = [];
    let seq = 0;
    const size = batchSize(resource);
    for await (const { rows } of readCsvRows(file)) {
      for (const row of rows) {
        if (!header) {
          header = mapHeader(resource, row.cells);
          width = row.cells.length;
          const missing = header.issues[0];
          if (missing) throw new LoadError(missing.code, `${file}: ${missing.reason}`);
          continue;
        }
        const r = validateRow(resource, header, row.cells, row.line, width);
        if (!r.ok) {
          const i = r.issues[0];
          throw new LoadError(i?.code ?? 'INVALID_ROW', `${file} row ${row.line} ${i?.column}: ${i?.reason}`);
        }
        seq++;
        batch.push(stored({ [SEQ_COLUMN]: seq, ...r.values }));
        if (batch.length >= size) {
          await insertRows(trx, resource, batch);
          batch = [];
        }
      }
    }
    await insertRows(trx, resource, batch);
    return seq;
  });
}

/** Loads `<fromDir>/<resource code>.csv` for every resource into the node stores under dataDir. */
export async function loadCity(
  fromDir: string,
  stores: NodeStores,
  onResource?: (code: string, rows: number) => void,
  sealers?: NodeSealers,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await withNodeStores(stores, async (storeOf) => {
    for (const r of RESOURCES) {
      const file = join(fromDir, `${r.code}.csv`);
      if (!existsSync(file)) throw new LoadError('MISSING_FILE', `${file} not found`);
      counts[r.code] = await loadResourceFile(storeOf(r.provider), r, file, sealers?.(r.provider));
      onResource?.(r.code, counts[r.code] as number);
    }
  });
  return counts;
}

/** Writes one resource table as `<resource code>.csv` in file order. */
export async function exportResource(
  db: AnyDb,
  resource: ResourceDef,
  outFile: string,
  sealer?: PersonalDataSealer,
): Promise<number> {
  const fd = openSync(outFile, 'w', 0o600);
  let n = 0;
  try {
    writeSync(fd, encodeCsvRow(resource.columns.map((c) => c.name)));
    for await (const page of readCells(db, resource, 5000, sealer)) {
      let buf = '';
      for (const cells of page) buf += encodeCsvRow(cells);
      writeSync(fd, buf);
      n += page.length;
    }
  } finally {
    closeSync(fd);
  }
  return n;
}

/** Exports every resource the node stores hold; members without a store are skipped. */
export async function exportCity(
  stores: NodeStores,
  outDir: string,
  sealers?: NodeSealers,
): Promise<Record<string, number>> {
  mkdirSync(outDir, { recursive: true, mode: 0o700 });
  const counts: Record<string, number> = {};
  const present = presentMembers(stores);
  await withNodeStores(stores, async (storeOf) => {
    for (const r of RESOURCES) {
      if (!present.includes(r.provider)) continue;
      const db = storeOf(r.provider);
      if (!(await tableExists(db, r))) continue;
      counts[r.code] = await exportResource(db, r, join(outDir, `${r.code}.csv`), sealers?.(r.provider));
    }
  });
  return counts;
}
