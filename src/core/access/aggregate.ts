/**
 * The aggregate (统计) mode: counts and sums grouped by coarse dimensions, computed at the source, with
 * small-cell protection that also holds against differencing.
 *
 * Protection (see README.md for the argument):
 * 1. The provider declares, per resource, a fixed set of coarse dimensions. Filters and groupings may only
 *    use those; a filter on a fine item (a birth date, an amount) is refused with NOT_A_DIMENSION.
 * 2. Rows fall into atoms: one atom per combination of values of ALL declared dimensions. An atom with
 *    fewer than k distinct subjects is dropped before any query sees the data. Because a filter over
 *    dimensions selects whole atoms and a grouping splits only along atom borders, every number released
 *    is a sum over safe atoms; the difference of any two answers is again such a sum, so subtracting
 *    overlapping queries can never isolate fewer than k subjects.
 * 3. For each sum measure, an atom in which one subject contributes more than the dominance share of the
 *    total is left out of that measure everywhere (and the cell says so), for the same reason.
 * 4. A filter selecting fewer than k subjects, or leaving fewer than k outside it, is refused
 *    (QUERY_TOO_NARROW); cells under k are suppressed and only their number is reported.
 */
import type { DataItem, ItemType } from '../catalog/resource';
import { AccessError } from './errors';
import { type CheckedPredicate, checkPredicate, rowMatches } from './predicate';
import { type CellValue, type Row, decimalScale, formatUnits, toBoolean, toUnits, toYear } from './values';

export interface AggregateSpec {
  /** The item naming the subject (id_number, uscc); subjects are counted distinct by it. */
  subjectItem: string;
  /**
   * The coarse dimensions, fixed per resource for every agreement: changing them changes the atoms, and
   * answers computed over two different atom tables could be subtracted.
   */
  dimensions: readonly string[];
  /** Minimum distinct subjects in an atom, a cell and a query (default 5). */
  k?: number | undefined;
  /** Largest share of an atom's sum one subject may hold before the atom leaves that measure (default 0.85). */
  dominance?: number | undefined;
  /** Fraction digits sums are kept and released at, per decimal item (default 2; integers 0). */
  scale?: Readonly<Record<string, number>> | undefined;
}

export const defaultK = 5;
export const defaultDominance = 0.85;

export type Measure = { fn: 'count' } | { fn: 'sum'; item: string };

export interface AggregateQuery {
  groupBy: string[];
  measures: Measure[];
  filter?: unknown;
}

export interface AggregateContext {
  items: readonly DataItem[];
  /** Items the agreement grants. */
  granted: Iterable<string>;
  spec: AggregateSpec;
}

export interface CheckedAggregateQuery {
  readonly groupBy: readonly string[];
  readonly measures: readonly Measure[];
  readonly filter: CheckedPredicate | null;
  readonly context: AggregateContext;
}

export interface AggregateCell {
  /** The group's values, in groupBy order. */
  group: CellValue[];
  /**
   * Per measure label (`count`, `sum(tax_paid)`): a count, or a sum as a decimal string; a sum is null when
   * no value in the cell may be released (all empty, or every atom dominated).
   */
  values: Record<string, number | string | null>;
  /** Sum measures that leave out at least one dominated atom in this cell. */
  partial: string[];
}

export interface AggregateResult {
  groupBy: string[];
  measures: string[];
  k: number;
  cells: AggregateCell[];
  /** Groups that exist only in data too thin to release; never their values. */
  suppressedCells: number;
}

const maxGroupBy = 4;
const maxMeasures = 10;

export function measureLabel(measure: Measure): string {
  return measure.fn === 'count' ? 'count' : `sum(${measure.item})`;
}

function badQuery(path: string, message: string): AccessError {
  return new AccessError('BAD_QUERY', `${path}: ${message}`, [{ path, message }]);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a provider's declaration once; a broken spec is a configuration error of the node. */
export function checkAggregateSpec(items: readonly DataItem[], spec: AggregateSpec): void {
  const names = new Set(items.map((item) => item.name));
  const problems: string[] = [];
  if (!names.has(spec.subjectItem)) problems.push(`subject item ${spec.subjectItem} not in resource`);
  for (const d of spec.dimensions) if (!names.has(d)) problems.push(`dimension ${d} not in resource`);
  if (spec.dimensions.includes(spec.subjectItem)) problems.push('the subject item cannot be a dimension');
  const k = spec.k ?? defaultK;
  if (!Number.isInteger(k) || k < 2) problems.push('k must be an integer of at least 2');
  const dominance = spec.dominance ?? defaultDominance;
  if (!(dominance > 0 && dominance <= 1)) problems.push('dominance must be in (0, 1]');
  if (problems.length) {
    throw new AccessError(
      'BAD_QUERY',
      `aggregate declaration: ${problems.join('; ')}`,
      problems.map((message) => ({ path: 'spec', message })),
    );
  }
}

/** Validates a consumer's query against the resource, the agreement and the provider's declaration. */
export function checkAggregateQuery(input: unknown, context: AggregateContext): CheckedAggregateQuery {
  checkAggregateSpec(context.items, context.spec);
  if (!isRecord(input)) throw badQuery('query', 'must be an object');
  const extra = Object.keys(input).filter((key) => !['groupBy', 'measures', 'filter'].includes(key));
  if (extra.length) throw badQuery('query', `unexpected ${extra.join(', ')}`);
  const itemsByName = new Map(context.items.map((item) => [item.name, item]));
  const granted = new Set(context.granted);
  const dimensions = new Set(context.spec.dimensions);

  const grantedItem = (name: unknown, path: string): DataItem => {
    if (typeof name !== 'string') throw badQuery(path, 'item name must be a string');
    const item = itemsByName.get(name);
    if (!item) throw badQuery(path, `no item ${name} in this resource`);
    if (!granted.has(name)) {
      throw new AccessError('ITEM_NOT_ALLOWED', `${path}: item ${name} is not granted`, [{ path, message: name }], {
        items: [name],
      });
    }
    return item;
  };
  const dimension = (name: string, path: string) => {
    if (!dimensions.has(name)) {
      throw new AccessError(
        'NOT_A_DIMENSION',
        `${path}: ${name} is not a declared dimension (${context.spec.dimensions.join(', ')})`,
        [{ path, message: name }],
      );
    }
  };

  const rawGroupBy = input.groupBy ?? [];
  if (!Array.isArray(rawGroupBy)) throw badQuery('groupBy', 'must be an array');
  if (rawGroupBy.length > maxGroupBy) throw badQuery('groupBy', `at most ${maxGroupBy} items`);
  const groupBy: string[] = [];
  for (const [i, name] of rawGroupBy.entries()) {
    const item = grantedItem(name, `groupBy.${i}`);
    dimension(item.name, `groupBy.${i}`);
    if (groupBy.includes(item.name)) throw badQuery(`groupBy.${i}`, `${item.name} twice`);
    groupBy.push(item.name);
  }

  if (!Array.isArray(input.measures) || input.measures.length === 0) {
    throw badQuery('measures', 'a non-empty array');
  }
  if (input.measures.length > maxMeasures) throw badQuery('measures', `at most ${maxMeasures}`);
  const measures: Measure[] = [];
  const labels = new Set<string>();
  for (const [i, m] of input.measures.entries()) {
    const path = `measures.${i}`;
    if (!isRecord(m)) throw badQuery(path, 'must be an object');
    let measure: Measure;
    if (m.fn === 'count' && Object.keys(m).length === 1) {
      measure = { fn: 'count' };
    } else if (m.fn === 'sum' && Object.keys(m).length === 2) {
      const item = grantedItem(m.item, `${path}.item`);
      if (item.type !== 'integer' && item.type !== 'decimal') {
        throw badQuery(`${path}.item`, `sum needs an integer or decimal item; ${item.name} is ${item.type}`);
      }
      measure = { fn: 'sum', item: item.name };
    } else {
      throw badQuery(path, 'expected {fn: "count"} or {fn: "sum", item}');
    }
    const label = measureLabel(measure);
    if (labels.has(label)) throw badQuery(path, `${label} twice`);
    labels.add(label);
    measures.push(measure);
  }

  let filter: CheckedPredicate | null = null;
  if (input.filter !== undefined && input.filter !== null) {
    filter = checkPredicate(input.filter, { items: context.items, allowed: granted });
    for (const name of filter.items) dimension(name, 'filter');
  }
  return { groupBy, measures, filter, context };
}

/** The items a checked query reads (pass as `items` to `decide`): groupBy, filter and summed items. */
export function aggregateQueryItems(query: CheckedAggregateQuery): string[] {
  const items = new Set<string>([...query.groupBy, ...(query.filter?.items ?? [])]);
  for (const m of query.measures) if (m.fn === 'sum') items.add(m.item);
  return [...items].sort();
}

/** Dimension values as one canonical form per type, so 2024 and "2024" fall in the same atom. */
function canonical(type: ItemType | undefined, value: CellValue): CellValue {
  if (value === null || value === '') return null;
  switch (type) {
    case 'year':
      return toYear(value) ?? String(value);
    case 'integer':
      return typeof value === 'number' ? value : Number.isFinite(Number(value)) ? Number(value) : String(value);
    case 'boolean':
      return toBoolean(value) ?? String(value);
    case 'decimal': {
      // At the value's own scale, never rounded: two values a filter can tell apart must not share an atom.
      const scale = decimalScale(value);
      const units = toUnits(value, scale);
      return units === null
        ? String(value)
        : formatUnits(units, scale)
            .replace(/(\.\d*?)0+$/, '$1')
            .replace(/\.$/, '');
    }
    case 'date':
    case 'month':
      // The predicate only reads these as text; a non-text value stays distinct from text that looks alike.
      return value;
    default:
      return String(value);
  }
}

interface Atom {
  subjects: Set<string>;
  /** Per sum item: each subject's contribution, in units of the item's scale. */
  contributions: Map<string, Map<string, bigint>>;
  /** Sum items for which this atom is dominated by one subject. */
  dominated: Set<string>;
}

function cellOf(row: Row, item: string): CellValue {
  return Object.hasOwn(row, item) ? (row[item] ?? null) : null;
}

function scaleOf(context: AggregateContext, item: string): number {
  const type = context.items.find((i) => i.name === item)?.type;
  if (type === 'integer') return 0;
  return context.spec.scale?.[item] ?? 2;
}

function absolute(x: bigint): bigint {
  return x < 0n ? -x : x;
}

/** Runs a checked query over all rows of the resource (the node reads the table; the core decides). */
export function runAggregate(query: CheckedAggregateQuery, rows: readonly Row[]): AggregateResult {
  const { context } = query;
  const { spec } = context;
  const k = spec.k ?? defaultK;
  const dominance = spec.dominance ?? defaultDominance;
  const typeOf = new Map(context.items.map((item) => [item.name, item.type]));
  const sumItems = [...new Set(query.measures.flatMap((m) => (m.fn === 'sum' ? [m.item] : [])))];
  const scales = new Map(sumItems.map((item) => [item, scaleOf(context, item)]));

  // Pass 1: the atom table over ALL declared dimensions, independent of this query.
  const atoms = new Map<string, Atom>();
  const atomKeyOf = (row: Row) => JSON.stringify(spec.dimensions.map((d) => canonical(typeOf.get(d), cellOf(row, d))));
  const subjectOf = (row: Row): string | null => {
    const v = cellOf(row, spec.subjectItem);
    return v === null || v === '' ? null : String(v);
  };
  for (const row of rows) {
    const subject = subjectOf(row);
    if (subject === null) continue;
    const key = atomKeyOf(row);
    let atom = atoms.get(key);
    if (!atom) {
      atom = { subjects: new Set(), contributions: new Map(), dominated: new Set() };
      atoms.set(key, atom);
    }
    atom.subjects.add(subject);
    for (const item of sumItems) {
      const units = toUnits(cellOf(row, item), scales.get(item) as number);
      if (units === null) continue;
      let bySubject = atom.contributions.get(item);
      if (!bySubject) {
        bySubject = new Map();
        atom.contributions.set(item, bySubject);
      }
      bySubject.set(subject, (bySubject.get(subject) ?? 0n) + units);
    }
  }
  // Dominance compared in integers: largest × 10^6 > share × 10^6 × total.
  const shareMillionths = BigInt(Math.round(dominance * 1_000_000));
  for (const atom of atoms.values()) {
    for (const [item, bySubject] of atom.contributions) {
      let total = 0n;
      let largest = 0n;
      for (const units of bySubject.values()) {
        total += absolute(units);
        if (absolute(units) > largest) largest = absolute(units);
      }
      if (total > 0n && largest * 1_000_000n > shareMillionths * total) atom.dominated.add(item);
    }
  }
  const isSafe = (atom: Atom) => atom.subjects.size >= k;

  // Pass 2: the query, over rows of safe atoms only.
  const safeSubjects = new Set<string>();
  const selectedSubjects = new Set<string>();
  const groupKeyOf = (row: Row) => query.groupBy.map((g) => canonical(typeOf.get(g), cellOf(row, g)));
  interface Cell {
    group: CellValue[];
    subjects: Set<string>;
    sums: Map<string, bigint>;
    partial: Set<string>;
  }
  const cells = new Map<string, Cell>();
  const thinGroups = new Set<string>();
  for (const row of rows) {
    const subject = subjectOf(row);
    if (subject === null) continue;
    const atom = atoms.get(atomKeyOf(row)) as Atom;
    const selected = query.filter === null || rowMatches(query.filter, row);
    const group = groupKeyOf(row);
    const groupKey = JSON.stringify(group);
    if (!isSafe(atom)) {
      if (selected) thinGroups.add(groupKey);
      continue;
    }
    safeSubjects.add(subject);
    if (!selected) continue;
    selectedSubjects.add(subject);
    let cell = cells.get(groupKey);
    if (!cell) {
      cell = { group, subjects: new Set(), sums: new Map(), partial: new Set() };
      cells.set(groupKey, cell);
    }
    cell.subjects.add(subject);
    for (const item of sumItems) {
      if (atom.dominated.has(item)) {
        cell.partial.add(item);
        continue;
      }
      const units = toUnits(cellOf(row, item), scales.get(item) as number);
      if (units !== null) cell.sums.set(item, (cell.sums.get(item) ?? 0n) + units);
    }
  }

  const outside = safeSubjects.size - selectedSubjects.size;
  if (selectedSubjects.size < k || (outside > 0 && outside < k)) {
    // One code for both: telling the caller which side was thin would itself say something about it.
    throw new AccessError(
      'QUERY_TOO_NARROW',
      `the filter must select at least ${k} subjects and leave at least ${k} (or none) outside it`,
      [{ path: 'filter', message: `k = ${k}` }],
    );
  }

  const released: AggregateCell[] = [];
  const suppressed = new Set(thinGroups);
  for (const [groupKey, cell] of cells) {
    if (cell.subjects.size < k) {
      // Unreachable while cells are unions of safe atoms; kept so a future change cannot release one.
      suppressed.add(groupKey);
      continue;
    }
    suppressed.delete(groupKey);
    const values: Record<string, number | string | null> = {};
    for (const measure of query.measures) {
      if (measure.fn === 'count') {
        values[measureLabel(measure)] = cell.subjects.size;
      } else {
        // As in SQL, a sum over no values is null, not zero: here when every atom of the cell was left out.
        const sum = cell.sums.get(measure.item);
        values[measureLabel(measure)] = sum === undefined ? null : formatUnits(sum, scales.get(measure.item) as number);
      }
    }
    released.push({
      group: cell.group,
      values,
      partial: query.measures.flatMap((m) => (m.fn === 'sum' && cell.partial.has(m.item) ? [measureLabel(m)] : [])),
    });
  }
  released.sort((a, b) => compareGroups(a.group, b.group));
  return {
    groupBy: [...query.groupBy],
    measures: query.measures.map(measureLabel),
    k,
    cells: released,
    suppressedCells: suppressed.size,
  };
}

function compareGroups(a: CellValue[], b: CellValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    const sx = typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : 1;
    if (sx !== 0) return sx;
  }
  return 0;
}

/** Checks and runs a query in one step. */
export function aggregate(input: unknown, rows: readonly Row[], context: AggregateContext): AggregateResult {
  return runAggregate(checkAggregateQuery(input, context), rows);
}
