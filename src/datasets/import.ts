/**
 * Imports a real department file (CSV or XLSX) into a resource table: every row validated against the
 * dataset schema, bad rows reported with stable codes, good rows upserted by key. All-or-nothing per file
 * unless `partial`: the writes run in one transaction that is rolled back when any row was rejected.
 */
import type { PersonalDataSealer } from '../core/ports/personal-data';
import { isSealable, sealRow } from './sealing';
import { closeSync, openSync, writeSync } from 'node:fs';
import { extname } from 'node:path';
import { encodeCsvRow } from './csv';
import { FileFormatError, type RowBatch, readCsvRows, readXlsxRows } from './read-file';
import type { ResourceDef } from './schema';
import { type AnyDb, SEQ_COLUMN, type StoredRow, batchSize, ensureResourceTable, maxSeq, upsertRows } from './store';
import { type HeaderMap, type RowIssue, keyOf, mapHeader, validateRow } from './validate';

export interface ImportOptions {
  partial?: boolean;
  /** Reference date for "birth date in the future" checks (YYYY-MM-DD); the CLI passes today. */
  asOf?: string;
  onProgress?: (done: number, total: number) => void;
  /** The 国密 suite: personal columns are stored sealed (src/datasets/sealing.ts). */
  sealer?: PersonalDataSealer | undefined;
}

export interface ImportSummary {
  resource: string;
  file: string;
  rowsRead: number;
  accepted: number;
  rejected: number;
  /** Whether the accepted rows were written (false when rejected rows aborted an all-or-nothing import). */
  committed: boolean;
  /** Problems that rejected rows, or (row 0/1) the whole file. */
  rejects: RowIssue[];
  warnings: RowIssue[];
  /** Set when the file as a whole could not be imported (NOT_UTF8, MISSING_COLUMN, …). */
  fileError: RowIssue | null;
}

class Rollback extends Error {}

function rowsOf(file: string, resource: ResourceDef): AsyncGenerator<RowBatch> {
  const ext = extname(file).toLowerCase();
  if (ext === '.xlsx') {
    const dateNames = new Set(resource.columns.filter((c) => c.type === 'date').flatMap((c) => [c.name, c.title]));
    return readXlsxRows(file, (h) => dateNames.has(h));
  }
  if (ext === '.csv' || ext === '.txt') return readCsvRows(file);
  throw new FileFormatError('UNSUPPORTED_FORMAT', `${file}: only .csv and .xlsx files can be imported`);
}

export async function importFile(
  db: AnyDb,
  resource: ResourceDef,
  file: string,
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  const summary: ImportSummary = {
    resource: resource.code,
    file,
    rowsRead: 0,
    accepted: 0,
    rejected: 0,
    committed: false,
    rejects: [],
    warnings: [],
    fileError: null,
  };
  const sealer = opts.sealer && isSealable(resource) ? opts.sealer : undefined;
  await ensureResourceTable(db, resource, { sealed: sealer !== undefined });
  try {
    await db.transaction().execute(async (trx) => {
      let seq = await maxSeq(trx, resource);
      let header: HeaderMap | null = null;
      let width = 0;
      const seen = new Set<string>();
      let batch: StoredRow[] = [];
      const size = batchSize(resource);
      for await (const { rows, bytesRead, totalBytes } of rowsOf(file, resource)) {
        for (const row of rows) {
          if (!header) {
            header = mapHeader(resource, row.cells);
            width = row.cells.length;
            if (header.issues.length) {
              summary.rejects.push(...header.issues);
              summary.fileError = header.issues[0] as RowIssue;
              throw new Rollback();
            }
            for (const name of header.unknown) {
              summary.warnings.push({
                row: 1,
                column: name,
                code: 'UNKNOWN_COLUMN',
                reason: `column ${name} is not in ${resource.code}; ignored`,
              });
            }
            continue;
          }
          summary.rowsRead++;
          // A file that ends inside a quoted cell was cut off mid-row, whatever its cell count.
          let r: ReturnType<typeof validateRow> =
            row.unterminated && row.quoteOpen
              ? {
                  ok: false,
                  issues: [
                    { row: row.line, column: '', code: 'TRUNCATED_ROW', reason: 'file ends inside a quoted cell' },
                  ],
                }
              : validateRow(resource, header, row.cells, row.line, width, opts.asOf);
          if (r.ok) {
            const key = keyOf(resource, r.values);
            if (seen.has(key)) {
              r = {
                ok: false,
                issues: [
                  {
                    row: row.line,
                    column: resource.keyColumns.join('+'),
                    code: 'DUPLICATE_KEY',
                    reason: `key ${key.replaceAll('\u0001', ', ')} repeats an earlier row`,
                  },
                ],
              };
            } else {
              seen.add(key);
            }
          }
          if (!r.ok) {
            summary.rejected++;
            summary.rejects.push(...r.issues);
            continue;
          }
          summary.accepted++;
          summary.warnings.push(...r.warnings);
          seq++;
          const accepted: StoredRow = { [SEQ_COLUMN]: seq, ...r.values };
          batch.push(sealer ? sealRow(resource, accepted, sealer) : accepted);
          if (batch.length >= size) {
            await upsertRows(trx, resource, batch);
            batch = [];
          }
        }
        opts.onProgress?.(bytesRead, totalBytes);
      }
      if (!header) {
        summary.fileError = { row: 0, column: '', code: 'EMPTY_FILE', reason: `${file} has no header row` };
        summary.rejects.push(summary.fileError);
        throw new Rollback();
      }
      await upsertRows(trx, resource, batch);
      if (summary.rejected > 0 && !opts.partial) throw new Rollback();
    });
    summary.committed = true;
  } catch (e) {
    if (e instanceof FileFormatError) {
      summary.fileError = { row: 0, column: '', code: e.code, reason: e.message };
      summary.rejects.push(summary.fileError);
    } else if (!(e instanceof Rollback)) {
      throw e;
    }
    summary.committed = false;
  }
  return summary;
}

/** Writes the rejects CSV: row number, column, code, reason. */
export function writeRejects(file: string, issues: readonly RowIssue[]): void {
  const fd = openSync(file, 'w');
  try {
    let buf = encodeCsvRow(['row', 'column', 'code', 'reason']);
    for (const i of issues) buf += encodeCsvRow([String(i.row), i.column, i.code, i.reason]);
    writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
}
