/**
 * The compute mode: named computations a provider publishes and runs at its own node, so that only the
 * declared derived figures leave (e.g. one enterprise's tax paid in a year, not its declarations). A
 * computation reads one resource, names the items it needs (the agreement must grant them all) and
 * declares its output fields; `executeComputation` returns exactly those fields per subject, whatever the
 * computation's code returns besides.
 *
 * Money and other decimals are summed as BigInt counts of hundredths (the catalog's decimal scale), so
 * 0.10 + 0.20 is 0.30 and a year of monthly figures does not drift; they leave as decimal strings.
 */
import type { SubjectKind } from '../catalog/resource';
import { AccessError } from './errors';
import { defaultMaxSubjects } from './subject-key';
import { type CellValue, type Row, formatUnits, isIsoDate, toUnits, toYear } from './values';

/** 'year' 1900–2100 (a number), 'date' YYYY-MM-DD, 'month' YYYY-MM, 'integer' 0–1,000,000. */
export type ParamType = 'year' | 'date' | 'month' | 'integer';
export interface ParamSpec {
  name: string;
  title: string;
  type: ParamType;
}
export type Params = Readonly<Record<string, number | string>>;

export type OutputType = 'decimal' | 'integer' | 'boolean' | 'date' | 'string';
export interface OutputField {
  name: string;
  title: string;
  type: OutputType;
  /** Fraction digits of a decimal output (always written with exactly this many). */
  scale?: number;
  /** Whether the field may be null (an empty source cell), as opposed to the subject being missing. */
  nullable: boolean;
}

export interface ComputationDef {
  id: string;
  title: string;
  /** What it computes, for the people who approve and audit it (Chinese); `descriptionEn` for the English console. */
  description: string;
  descriptionEn?: string;
  subjectKind: SubjectKind;
  params: readonly ParamSpec[];
  /** The resource it reads, by catalog code; the agreement must be for this resource. */
  resource: string;
  /** The item holding the subject key in that resource. */
  subjectItem: string;
  /** Items it reads: the agreement must grant every one of them. */
  items: readonly string[];
  outputs: readonly OutputField[];
  /**
   * What a subject with no rows at all means. 'missing' (the default for measured values: no tax row is
   * not zero tax); 'zero' only for registers of events where absence is the fact (no penalty recorded).
   */
  noRowsMeans: 'missing' | 'zero';
  /**
   * A roster computation may be called without subjects: it then runs over the provider's whole register
   * and returns every subject for which `run` yields a result (e.g. the enterprises in scope of an
   * evaluation). Subjects it leaves out are outside the roster, not missing. Called with subjects, it
   * behaves like any other computation.
   */
  roster?: boolean;
  /** The computation over one subject's rows; null means missing (no relevant row). */
  run(rows: readonly Row[], params: Params): Record<string, CellValue> | null;
}

/** What a consumer sees of a computation: everything but its code. */
export type ComputationSummary = Omit<ComputationDef, 'run'>;

export interface ComputationRegistry {
  get(id: string): ComputationDef;
  has(id: string): boolean;
  list(): ComputationSummary[];
}

export function createComputationRegistry(defs: readonly ComputationDef[]): ComputationRegistry {
  const byId = new Map<string, ComputationDef>();
  for (const def of defs) {
    if (byId.has(def.id)) throw new Error(`computation ${def.id} registered twice`);
    byId.set(def.id, def);
  }
  return {
    get(id) {
      const def = byId.get(id);
      if (!def)
        throw new AccessError('UNKNOWN_COMPUTATION', `no computation ${id}`, [{ path: 'computation', message: id }]);
      return def;
    },
    has: (id) => byId.has(id),
    list: () => [...byId.values()].map(({ run: _run, ...summary }) => summary),
  };
}

/** The items an agreement must grant for the computation to run (pass as `items` to `decide`). */
export function computationItems(def: ComputationDef): string[] {
  return [...new Set([def.subjectItem, ...def.items])];
}

/** Checks the caller's parameters against the definition; throws BAD_PARAMETERS. */
export function checkParams(def: ComputationDef, input: unknown): Params {
  const raw = input ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new AccessError('BAD_PARAMETERS', 'parameters must be an object', [{ path: 'params', message: 'object' }]);
  }
  const record = raw as Record<string, unknown>;
  const issues = Object.keys(record)
    .filter((key) => !def.params.some((p) => p.name === key))
    .map((key) => ({ path: `params.${key}`, message: 'unknown parameter' }));
  const params: Record<string, number | string> = {};
  for (const spec of def.params) {
    const value = checkParam(spec.type, record[spec.name]);
    if (value === null) issues.push({ path: `params.${spec.name}`, message: paramExpectation[spec.type] });
    else params[spec.name] = value;
  }
  if (issues.length) throw new AccessError('BAD_PARAMETERS', `invalid parameters for ${def.id}`, issues);
  return params;
}

const paramExpectation: Record<ParamType, string> = {
  year: 'a year 1900–2100 is required',
  date: 'a date YYYY-MM-DD is required',
  month: 'a month YYYY-MM is required',
  integer: 'an integer 0–1,000,000 is required',
};

function checkParam(type: ParamType, value: unknown): number | string | null {
  switch (type) {
    case 'year': {
      const year = typeof value === 'number' || typeof value === 'string' ? toYear(value) : null;
      return year !== null && year >= 1900 && year <= 2100 ? year : null;
    }
    case 'date':
      return isIsoDate(value) ? (value as string) : null;
    case 'month':
      return typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value) ? value : null;
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= 1_000_000
        ? value
        : null;
  }
}

export interface ComputationAnswer {
  computation: string;
  params: Params;
  /** Subjects with a result, in request order, each with exactly the declared output fields. */
  results: { subject: string; values: Record<string, CellValue> }[];
  /** Subjects for which the source holds no relevant row: missing, never reported as zero. */
  missing: string[];
}

function outputFits(field: OutputField, value: CellValue): boolean {
  if (value === null) return field.nullable;
  switch (field.type) {
    case 'decimal':
      return typeof value === 'string' && new RegExp(`^-?\\d+\\.\\d{${field.scale ?? 2}}$`).test(value);
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return isIsoDate(value);
    case 'string':
      return typeof value === 'string';
  }
}

/**
 * Runs a computation for a batch of subjects. `rowsBySubject` holds, for every requested (normalised) key,
 * the rows the node's store returned for it, in request order; a key with no rows may map to [].
 * Rows naming another subject are ignored: a store mistake must not leak a neighbour's data.
 */
export function executeComputation(
  def: ComputationDef,
  rowsBySubject: ReadonlyMap<string, readonly Row[]>,
  params: unknown,
  options: { maxBatch?: number; wholeRoster?: boolean } = {},
): ComputationAnswer {
  const maxBatch = options.maxBatch ?? defaultMaxSubjects;
  const wholeRoster = options.wholeRoster === true;
  if (wholeRoster && !def.roster) {
    throw new AccessError('BAD_QUERY', `${def.id} is not a roster: name the subjects`, [
      { path: 'subjects', message: 'required' },
    ]);
  }
  if (!wholeRoster && rowsBySubject.size > maxBatch) {
    throw new AccessError('BATCH_TOO_LARGE', `at most ${maxBatch} subjects per call`, [
      { path: 'subjects', message: `${rowsBySubject.size} > ${maxBatch}` },
    ]);
  }
  const checked = checkParams(def, params);
  const answer: ComputationAnswer = { computation: def.id, params: checked, results: [], missing: [] };
  for (const [subject, allRows] of rowsBySubject) {
    const rows = allRows.filter((row) => String(row[def.subjectItem] ?? '') === subject);
    if (rows.length === 0 && def.noRowsMeans === 'missing') {
      answer.missing.push(subject);
      continue;
    }
    const produced = def.run(rows, checked);
    if (produced === null) {
      if (!wholeRoster) answer.missing.push(subject);
      continue;
    }
    const values: Record<string, CellValue> = {};
    for (const field of def.outputs) {
      const value = Object.hasOwn(produced, field.name) ? (produced[field.name] ?? null) : null;
      if (!outputFits(field, value)) {
        throw new AccessError('BAD_SOURCE_DATA', `${def.id}: output ${field.name} does not fit ${field.type}`, [
          { path: field.name, message: `expected ${field.type}` },
        ]);
      }
      values[field.name] = value;
    }
    answer.results.push({ subject, values });
  }
  return answer;
}

// --- helpers for writing computations (a provider's own, e.g. src/demo/computations) ------------------

export function sourceError(def: string, item: string, value: CellValue): AccessError {
  return new AccessError('BAD_SOURCE_DATA', `${def}: ${item} = ${JSON.stringify(value)} is not readable`, [
    { path: item, message: 'unreadable source value' },
  ]);
}

/** Exact units of a required decimal cell; a present but unreadable value is a source fault, not a zero. */
export function units(def: string, row: Row, item: string, scale: number): bigint {
  const value = row[item] ?? null;
  const u = toUnits(value, scale);
  if (u === null) throw sourceError(def, item, value);
  return u;
}

export function optionalDecimal(def: string, row: Row, item: string, scale = 2): string | null {
  const value = row[item] ?? null;
  if (value === null || value === '') return null;
  return formatUnits(units(def, row, item, scale), scale);
}

export function inYear(row: Row, item: string, year: number): boolean {
  const v = row[item];
  return typeof v === 'string' && v.startsWith(`${year}-`);
}

export function yearRows(rows: readonly Row[], year: number): Row[] {
  return rows.filter((row) => toYear(row.year ?? null) === year);
}

/** The single row of a (subject, year) keyed resource, or null; two rows mean the source broke its key. */
export function oneYearRow(def: string, rows: readonly Row[], year: number): Row | null {
  const found = yearRows(rows, year);
  if (found.length > 1) {
    throw new AccessError('BAD_SOURCE_DATA', `${def}: ${found.length} rows for one subject and year ${year}`);
  }
  return found[0] ?? null;
}

export const yearParam: ParamSpec = { name: 'year', title: '年度', type: 'year' };

export function yearOf(params: Params): number {
  return Number(params.year);
}

/** A published figure that is one decimal per enterprise and year (tax paid, emissions). */
export function annualDecimal(spec: {
  id: string;
  title: string;
  description: string;
  descriptionEn?: string;
  resource: string;
  item: string;
  outputTitle: string;
}): ComputationDef {
  const { item } = spec;
  return {
    id: spec.id,
    title: spec.title,
    description: spec.description,
    ...(spec.descriptionEn ? { descriptionEn: spec.descriptionEn } : {}),
    subjectKind: 'enterprise',
    params: [yearParam],
    resource: spec.resource,
    subjectItem: 'uscc',
    items: ['uscc', 'year', item],
    outputs: [{ name: item, title: spec.outputTitle, type: 'decimal', scale: 2, nullable: false }],
    noRowsMeans: 'missing',
    run(rows, params) {
      const row = oneYearRow(this.id, rows, yearOf(params));
      if (!row || row[item] === null || row[item] === '') return null;
      return { [item]: formatUnits(units(this.id, row, item, 2), 2) };
    },
  };
}
