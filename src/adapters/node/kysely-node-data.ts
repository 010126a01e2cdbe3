/** A node's data tables (filled by `hutong data load`) read through Kysely, counting every read. */
import { CompiledQuery, type Kysely } from 'kysely';
import { findResource } from '../../datasets/schema';
import { SEQ_COLUMN } from '../../datasets/store';
import type { DataRow, NodeData } from '../../core/ports/node-ports';

const chunkSize = 500;

export class KyselyNodeData implements NodeData {
  private readCount = 0;

  // biome-ignore lint/suspicious/noExplicitAny: data tables are defined at run time from the dataset schema.
  constructor(private readonly db: Kysely<any>) {}

  // Building a query costs more than running this one; its SQL depends only on table, column and batch size.
  private readonly lookups = new Map<string, CompiledQuery>();

  private compiledLookup(table: string, keyColumn: string, keys: string[]): CompiledQuery {
    const shape = `${table}\u0000${keyColumn}\u0000${keys.length}`;
    let compiled = this.lookups.get(shape);
    if (!compiled) {
      compiled = this.db.selectFrom(table).selectAll().where(keyColumn, 'in', keys).orderBy(SEQ_COLUMN).compile();
      if (this.lookups.size < 200) this.lookups.set(shape, compiled);
    }
    return CompiledQuery.raw(compiled.sql, keys);
  }

  private table(resourceCode: string): string {
    const resource = findResource(resourceCode);
    if (!resource) throw new Error(`no data table for ${resourceCode}`);
    return resource.table;
  }

  private clean(rows: Record<string, unknown>[]): DataRow[] {
    return rows.map((row) => {
      const out: DataRow = {};
      for (const [column, value] of Object.entries(row)) {
        if (column === SEQ_COLUMN) continue;
        out[column] = value === null || value === undefined ? null : typeof value === 'number' ? value : String(value);
      }
      return out;
    });
  }

  async rowsForSubjects(resourceCode: string, keyColumn: string, keys: string[]): Promise<DataRow[]> {
    this.readCount += 1;
    const table = this.table(resourceCode);
    const rows: DataRow[] = [];
    for (let start = 0; start < keys.length; start += chunkSize) {
      const chunk = keys.slice(start, start + chunkSize);
      const found = await this.db.executeQuery<Record<string, unknown>>(this.compiledLookup(table, keyColumn, chunk));
      rows.push(...this.clean(found.rows));
    }
    return rows;
  }

  async allRows(resourceCode: string): Promise<DataRow[]> {
    this.readCount += 1;
    return this.clean(await this.db.selectFrom(this.table(resourceCode)).selectAll().orderBy(SEQ_COLUMN).execute());
  }

  reads(): number {
    return this.readCount;
  }
}
