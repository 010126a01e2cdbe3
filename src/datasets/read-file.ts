/**
 * Reads department files (CSV or XLSX) as rows of text cells, streaming. CSV must be UTF-8: a GBK export
 * from a legacy system is refused with NOT_UTF8 instead of being imported as mojibake.
 */
import { createReadStream, statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { CsvParser, decodeCsvCell, type ParsedRow } from './csv';
import { isoFromDays } from './dates';

export class FileFormatError extends Error {
  constructor(
    readonly code: 'NOT_UTF8' | 'EMPTY_FILE' | 'UNSUPPORTED_FORMAT' | 'UNREADABLE_FILE',
    message: string,
  ) {
    super(message);
  }
}

export interface RowBatch {
  rows: ParsedRow[];
  bytesRead: number;
  totalBytes: number;
}

export async function* readCsvRows(file: string): AsyncGenerator<RowBatch> {
  const totalBytes = statSync(file).size;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parser = new CsvParser();
  let bytesRead = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 16 })) {
    const buf = chunk as Buffer;
    bytesRead += buf.length;
    let text: string;
    try {
      text = decoder.decode(buf, { stream: true });
    } catch {
      throw new FileFormatError(
        'NOT_UTF8',
        `${file} is not valid UTF-8 (near byte ${bytesRead - buf.length}); save it as UTF-8`,
      );
    }
    if (bytesRead === buf.length) text = text.replace(/^\uFEFF/, '');
    const rows = parser.push(text).map(decodedRow);
    if (rows.length) yield { rows, bytesRead, totalBytes };
  }
  try {
    decoder.decode();
  } catch {
    throw new FileFormatError('NOT_UTF8', `${file} ends inside a multi-byte character: not valid UTF-8`);
  }
  yield { rows: parser.end().map(decodedRow), bytesRead, totalBytes };
}

/** Cells our own export wrote with an apostrophe against CSV injection get their value back. */
function decodedRow(row: ParsedRow): ParsedRow {
  return { ...row, cells: row.cells.map(decodeCsvCell) };
}

/** Excel stores dates as days since 1899-12-30 (its 1900 leap-year bug folded in for dates after March 1900). */
export function excelSerialToIso(serial: number): string {
  return isoFromDays(Math.floor(serial) - 25569);
}

function cellText(v: unknown, dateColumn: boolean): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return dateColumn ? excelSerialToIso(v) : String(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; result?: unknown; text?: unknown };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if ('result' in o) return cellText(o.result, dateColumn);
    if (typeof o.text === 'string') return o.text;
  }
  return String(v);
}

/**
 * Reads the first worksheet. `isDateColumn` says, by header name, which columns hold dates, because the
 * streaming reader hands those back as bare serial numbers.
 */
export async function* readXlsxRows(file: string, isDateColumn: (header: string) => boolean): AsyncGenerator<RowBatch> {
  const totalBytes = statSync(file).size;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
  });
  let dateCols: boolean[] = [];
  let width = 0;
  for await (const sheet of reader) {
    let batch: ParsedRow[] = [];
    // biome-ignore lint/suspicious/noExplicitAny: exceljs's streaming row type is not exported.
    for await (const row of sheet as AsyncIterable<any>) {
      const values = (row.values as unknown[]).slice(1);
      if (row.number === 1) {
        const header = values.map((v) => cellText(v, false).trim());
        width = header.length;
        dateCols = header.map(isDateColumn);
        batch.push({ cells: header, line: 1, unterminated: false });
        continue;
      }
      const cells = values.map((v, i) => cellText(v, dateCols[i] ?? false));
      // Trailing empty cells are not stored in XLSX: pad to the header's width.
      while (cells.length < width) cells.push('');
      if (cells.every((c) => c === '')) continue;
      batch.push({ cells, line: row.number as number, unterminated: false });
      if (batch.length >= 2000) {
        yield { rows: batch, bytesRead: 0, totalBytes };
        batch = [];
      }
    }
    yield { rows: batch, bytesRead: totalBytes, totalBytes };
    return; // only the first worksheet
  }
}
