/** A node's data tables (filled by `hutong data load`) read through Kysely, counting every read. */
import { CompiledQuery, type Kysely } from 'kysely';
import type { DataRow, NodeData } from '../../core/ports/node-ports';

/** Where a resource's rows are: the department's table, and the column that keeps them in file order. */
export interface NodeDataTables {
  tableOf(resourceCode: string): string | undefined;
  orderColumn: string;
  /** How rows are stored when not as-is (the 国密 suite's sealed personal columns). */
  codec?: StoredRowCodec | undefined;
}

/** Stored rows ↔ the resource's rows. */
export interface StoredRowCodec {
  /** What is stored (and searched for) in place of `value` in `column`. */
  lookupValue(resourceCode: string, column: string, value: string): string;
  /** A stored row as the resource defines it. */
  read(resourceCode: string, row: Record<string, unknown>): Record<string, unknown>;
}

const chunkSize = 500;

export class KyselyNodeData implements NodeData {
  private readCount = 0;

  constructor(
    // biome-ignore lint/suspicious/noExplicitAny: data tables are defined at run time from the dataset schema.
    private readonly db: Kysely<any>,
    private readonly tables: NodeDataTables,
  ) {}

  // Building a query costs more than running this one; its SQL depends only on table, column and batch size.
  private readonly lookups = new Map<string, CompiledQuery>();

  private compiledLookup(table: string, keyColumn: string, keys: string[]): CompiledQuery {
    const shape = `${table}\u0000${keyColumn}\u0000${keys.length}`;
    let compiled = this.lookups.get(shape);
    if (!compiled) {
      compiled = this.db
        .selectFrom(table)
        .selectAll()
        .where(keyColumn, 'in', keys)
        .orderBy(this.tables.orderColumn)
        .compile();
      if (this.lookups.size < 200) this.lookups.set(shape, compiled);
    }
    return CompiledQuery.raw(compiled.sql, keys);
  }

  private table(resourceCode: string): string {
    const table = this.tables.tableOf(resourceCode);
    if (!table) throw new Error(`no data table for ${resourceCode}`);
    return table;
  }

  private clean(resourceCode: string, rows: Record<string, unknown>[]): DataRow[] {
    const codec = this.tables.codec;
    return rows.map((stored) => {
      const row = codec ? codec.read(resourceCode, stored) : stored;
      const out: DataRow = {};
      for (const [column, value] of Object.entries(row)) {
        if (column === this.tables.orderColumn) continue;
        out[column] = value === null || value === undefined ? null : typeof value === 'number' ? value : String(value);
      }
      return out;
    });
  }

  async rowsForSubjects(resourceCode: string, keyColumn: string, keys: string[]): Promise<DataRow[]> {
    this.readCount += 1;
    const table = this.table(resourceCode);
    const codec = this.tables.codec;
    const stored = codec ? keys.map((key) => codec.lookupValue(resourceCode, keyColumn, key)) : keys;
    const rows: DataRow[] = [];
    for (let start = 0; start < stored.length; start += chunkSize) {
      const chunk = stored.slice(start, start + chunkSize);
      const found = await this.db.executeQuery<Record<string, unknown>>(this.compiledLookup(table, keyColumn, chunk));
      rows.push(...this.clean(resourceCode, found.rows));
    }
    return rows;
  }

  async allRows(resourceCode: string): Promise<DataRow[]> {
    this.readCount += 1;
    return this.clean(
      resourceCode,
      await this.db.selectFrom(this.table(resourceCode)).selectAll().orderBy(this.tables.orderColumn).execute(),
    );
  }

  reads(): number {
    return this.readCount;
  }
}
