/**
 * Checks one file row against a resource schema and converts its cells to database values. Pure: shared by
 * import (which reports every issue) and load (which trusts generated files but still converts types).
 */
import { isRealDate, validateIdNumber } from '../core/ids/id-number';
import { validateUscc } from '../core/ids/uscc';
import type { ColumnDef, ResourceDef } from './schema';

export type DbValue = string | number | null;

export interface RowIssue {
  /** Row number as a user sees it: the header is row 1. */
  row: number;
  column: string;
  code: string;
  reason: string;
}

export type CellResult =
  | { ok: true; value: DbValue; warning?: { code: string; reason: string } }
  | { ok: false; code: string; reason: string };

const INTEGER = /^-?\d{1,15}$/;
const DECIMAL = /^-?\d{1,15}(\.\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

/** Converts a trimmed cell; '' means missing. `asOf` bounds birth dates inside ID numbers. */
export function convertCell(column: ColumnDef, text: string, asOf?: string): CellResult {
  if (text === '') {
    return column.nullable
      ? { ok: true, value: null }
      : { ok: false, code: 'MISSING_VALUE', reason: `${column.name} is required` };
  }
  switch (column.type) {
    case 'string': {
      if (column.checksum === 'id_number') {
        const r = validateIdNumber(text, asOf);
        return r.ok ? { ok: true, value: text } : { ok: false, code: r.code, reason: `ID number: ${r.reason}` };
      }
      if (column.checksum === 'uscc') {
        const r = validateUscc(text);
        if (r.ok) return { ok: true, value: text };
        // GB 32100 pilot codes with a failing check character exist in real registries: warn, keep the row.
        if (r.code === 'BAD_CHECKSUM')
          return { ok: true, value: text, warning: { code: r.code, reason: `credit code: ${r.reason}` } };
        return { ok: false, code: r.code, reason: `credit code: ${r.reason}` };
      }
      return { ok: true, value: text };
    }
    case 'enum':
      return column.values?.includes(text)
        ? { ok: true, value: text }
        : { ok: false, code: 'UNKNOWN_ENUM', reason: `${text} is not one of ${column.values?.join('/')}` };
    case 'integer':
      return INTEGER.test(text)
        ? { ok: true, value: Number(text) }
        : { ok: false, code: 'BAD_INTEGER', reason: `${text} is not an integer` };
    case 'year': {
      const y = Number(text);
      return /^\d{4}$/.test(text) && y >= 1900 && y <= 2100
        ? { ok: true, value: y }
        : { ok: false, code: 'BAD_YEAR', reason: `${text} is not a year` };
    }
    case 'decimal': {
      if (!DECIMAL.test(text)) return { ok: false, code: 'BAD_DECIMAL', reason: `${text} is not a decimal number` };
      const frac = text.split('.')[1] ?? '';
      if (frac.length > (column.scale ?? 2)) {
        return { ok: false, code: 'BAD_DECIMAL', reason: `${text} has more than ${column.scale ?? 2} decimals` };
      }
      return { ok: true, value: Number(text) };
    }
    case 'boolean':
      if (text === '1' || text === '是' || text === 'true') return { ok: true, value: 1 };
      if (text === '0' || text === '否' || text === 'false') return { ok: true, value: 0 };
      return { ok: false, code: 'BAD_BOOLEAN', reason: `${text} is not 1/0` };
    case 'date': {
      const m = DATE.exec(text);
      return m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))
        ? { ok: true, value: text }
        : { ok: false, code: 'BAD_DATE', reason: `${text} is not a YYYY-MM-DD date` };
    }
    case 'month': {
      const m = MONTH.exec(text);
      return m && Number(m[2]) >= 1 && Number(m[2]) <= 12
        ? { ok: true, value: text }
        : { ok: false, code: 'BAD_MONTH', reason: `${text} is not a YYYY-MM month` };
    }
  }
}

export interface HeaderMap {
  /** For each schema column, its index in the file row. */
  indexes: number[];
  issues: RowIssue[];
  /** File columns the schema does not know (ignored). */
  unknown: string[];
}

export function mapHeader(resource: ResourceDef, header: readonly string[]): HeaderMap {
  const names = header.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
  const issues: RowIssue[] = [];
  const indexes = resource.columns.map((c) => {
    // Department files often carry Chinese titles instead of field names: accept either.
    const i = names.findIndex((n) => n === c.name || n === c.title);
    if (i < 0)
      issues.push({
        row: 1,
        column: c.name,
        code: 'MISSING_COLUMN',
        reason: `column ${c.name} (${c.title}) is missing`,
      });
    return i;
  });
  const known = new Set(indexes);
  return { indexes, issues, unknown: names.filter((_, i) => !known.has(i)) };
}

export type RowResult =
  | { ok: true; values: Record<string, DbValue>; warnings: RowIssue[] }
  | { ok: false; issues: RowIssue[] };

export function validateRow(
  resource: ResourceDef,
  header: HeaderMap,
  cells: readonly string[],
  row: number,
  headerWidth: number,
  asOf?: string,
): RowResult {
  if (cells.length < headerWidth) {
    return {
      ok: false,
      issues: [{ row, column: '', code: 'TRUNCATED_ROW', reason: `${cells.length} of ${headerWidth} cells` }],
    };
  }
  if (cells.length > headerWidth) {
    return {
      ok: false,
      issues: [{ row, column: '', code: 'EXTRA_CELLS', reason: `${cells.length} cells, header has ${headerWidth}` }],
    };
  }
  const values: Record<string, DbValue> = {};
  const issues: RowIssue[] = [];
  const warnings: RowIssue[] = [];
  resource.columns.forEach((c, k) => {
    const r = convertCell(c, (cells[header.indexes[k] as number] ?? '').trim(), asOf);
    if (!r.ok) issues.push({ row, column: c.name, code: r.code, reason: r.reason });
    else {
      values[c.name] = r.value;
      if (r.warning) warnings.push({ row, column: c.name, ...r.warning });
    }
  });
  return issues.length ? { ok: false, issues } : { ok: true, values, warnings };
}

/** Database value back to the file's text form (the inverse of convertCell for valid input). */
export function formatCell(column: ColumnDef, value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (column.type) {
    case 'decimal':
      return Number(value).toFixed(column.scale ?? 2);
    case 'boolean':
      return value === true || Number(value) === 1 ? '1' : '0';
    case 'integer':
    case 'year':
      return String(Number(value));
    default:
      return String(value);
  }
}

export function keyOf(resource: ResourceDef, values: Record<string, DbValue>): string {
  return resource.keyColumns.map((k) => String(values[k])).join('\u0001');
}
