/**
 * The verify (核验) predicate language: JSON a consumer sends to ask a yes/no question about one subject
 * without any raw value leaving the node. A predicate is checked once against the resource's item types
 * and the agreement's granted items (`checkPredicate`), then evaluated over the subject's rows.
 *
 * Null semantics are SQL's three-valued logic: a comparison with a missing value is unknown, `not`
 * keeps unknown, `and`/`or` follow Kleene, and a row matches only when the result is true. Hence
 * `not(eq(x, a))` and `ne(x, a)` agree, and neither matches a row whose x is empty; ask `isNull` for that.
 */
import type { DataItem, ItemType } from '../catalog/resource';
import { AccessError } from './errors';
import {
  type CellValue,
  type Row,
  ageInFullYears,
  compareDecimal,
  isIsoDate,
  isIsoMonth,
  toBoolean,
  toUnits,
  toYear,
} from './values';

export type Scalar = string | number | boolean;
export type ComparisonOp = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte';
/** An item by name, or the age in full years at a date of a person whose birth date is the `of` item. */
export type ItemRef = string | { ageAt: string; of: string };

export type Predicate =
  | { op: ComparisonOp; item: ItemRef; value: Scalar }
  | { op: 'in'; item: ItemRef; values: Scalar[] }
  | { op: 'isNull'; item: string }
  | { op: 'and' | 'or'; args: Predicate[] }
  | { op: 'not'; arg: Predicate };

export interface PredicateLimits {
  /** Nesting levels, the root counting as 1. */
  maxDepth: number;
  /** Nodes in the whole tree, leaves included. */
  maxNodes: number;
  /** Values in one `in` list. */
  maxInValues: number;
}

export const defaultPredicateLimits: PredicateLimits = { maxDepth: 8, maxNodes: 64, maxInValues: 200 };

export interface PredicateContext {
  /** All items of the resource, with their types. */
  items: readonly DataItem[];
  /** The items the agreement grants: a predicate may only look at these. */
  allowed: Iterable<string>;
  limits?: Partial<PredicateLimits> | undefined;
}

/** The type a leaf compares in: an item's own type, or 'age' (a non-negative integer) for `ageAt`. */
type OperandType = ItemType | 'age';

type Operand = { item: string; ageAt: string | null; type: OperandType; enumValues: readonly string[] | null };

type Node =
  | { kind: 'cmp'; op: ComparisonOp; operand: Operand; value: CellValue }
  | { kind: 'in'; operand: Operand; values: CellValue[] }
  | { kind: 'isNull'; item: string }
  | { kind: 'and' | 'or'; args: Node[] }
  | { kind: 'not'; arg: Node };

/** A predicate that passed `checkPredicate`: typed, within limits, over granted items only. */
export interface CheckedPredicate {
  readonly source: Predicate;
  readonly items: readonly string[];
  /** @internal evaluation tree */
  readonly root: Node;
}

const comparisonOps: ReadonlySet<string> = new Set(['eq', 'ne', 'lt', 'lte', 'gt', 'gte']);
const orderingOps: ReadonlySet<string> = new Set(['lt', 'lte', 'gt', 'gte']);
// Ordering on names, free text, enums and flags has no meaning a service needs and only helps a caller
// binary-search a raw value out of yes/no answers.
const orderedTypes: ReadonlySet<OperandType> = new Set(['integer', 'decimal', 'date', 'month', 'year', 'age']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(path: string, message: string): AccessError {
  return new AccessError('BAD_PREDICATE', `${path}: ${message}`, [{ path, message }]);
}

/** Validates a JSON value as a predicate for the given resource and agreement; throws AccessError. */
export function checkPredicate(input: unknown, context: PredicateContext): CheckedPredicate {
  const limits = { ...defaultPredicateLimits, ...context.limits };
  const itemsByName = new Map(context.items.map((item) => [item.name, item]));
  const allowed = new Set(context.allowed);
  const used = new Set<string>();
  let nodes = 0;

  const grantedItem = (name: unknown, path: string): DataItem => {
    if (typeof name !== 'string') throw bad(path, 'item name must be a string');
    const item = itemsByName.get(name);
    if (!item) throw bad(path, `no item ${name} in this resource`);
    if (!allowed.has(name)) {
      throw new AccessError('ITEM_NOT_ALLOWED', `${path}: item ${name} is not granted`, [{ path, message: name }], {
        items: [name],
      });
    }
    used.add(name);
    return item;
  };

  const operand = (ref: unknown, path: string): Operand => {
    if (isRecord(ref)) {
      const keys = Object.keys(ref).sort().join(',');
      if (keys !== 'ageAt,of') throw bad(path, 'an item reference object has exactly ageAt and of');
      if (!isIsoDate(ref.ageAt)) throw bad(`${path}.ageAt`, 'must be a real date YYYY-MM-DD');
      const item = grantedItem(ref.of, `${path}.of`);
      if (item.type !== 'date') throw bad(`${path}.of`, `ageAt needs a date item, ${item.name} is ${item.type}`);
      return { item: item.name, ageAt: ref.ageAt, type: 'age', enumValues: null };
    }
    const item = grantedItem(ref, path);
    return { item: item.name, ageAt: null, type: item.type, enumValues: item.values ?? null };
  };

  const literal = (target: Operand, value: unknown, path: string): CellValue => {
    const fail = (what: string) => bad(path, `${target.item} (${target.type}) needs ${what}`);
    switch (target.type) {
      case 'integer':
        if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw fail('an integer');
        return value;
      case 'age':
        if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw fail('an age in full years');
        return value;
      case 'decimal':
        if ((typeof value !== 'number' && typeof value !== 'string') || toUnits(value, 0) === null) {
          throw fail('a decimal number');
        }
        return value;
      case 'year':
        if (typeof value !== 'number' || toYear(value) === null) throw fail('a four-digit year');
        return value;
      case 'date':
        if (!isIsoDate(value)) throw fail('a real date YYYY-MM-DD');
        return value;
      case 'month':
        if (!isIsoMonth(value)) throw fail('a month YYYY-MM');
        return value;
      case 'boolean':
        if (typeof value !== 'boolean') throw fail('true or false');
        return value;
      case 'enum':
        if (typeof value !== 'string' || !target.enumValues?.includes(value)) {
          throw fail(`one of ${target.enumValues?.join('/') ?? '(none)'}`);
        }
        return value;
      case 'string':
        if (typeof value !== 'string') throw fail('a string');
        return value;
    }
  };

  const walk = (input: unknown, path: string, depth: number): Node => {
    if (depth > limits.maxDepth) {
      throw new AccessError('PREDICATE_TOO_DEEP', `predicate deeper than ${limits.maxDepth} levels`, [
        { path, message: `depth > ${limits.maxDepth}` },
      ]);
    }
    nodes += 1;
    if (nodes > limits.maxNodes) {
      throw new AccessError('PREDICATE_TOO_LARGE', `predicate has more than ${limits.maxNodes} nodes`, [
        { path, message: `nodes > ${limits.maxNodes}` },
      ]);
    }
    if (!isRecord(input)) throw bad(path, 'must be an object with an op');
    const op = input.op;
    const only = (...keys: string[]) => {
      const extra = Object.keys(input).filter((key) => key !== 'op' && !keys.includes(key));
      if (extra.length) throw bad(path, `unexpected ${extra.join(', ')} for ${String(op)}`);
    };
    if (op === 'and' || op === 'or') {
      only('args');
      if (!Array.isArray(input.args) || input.args.length === 0) throw bad(`${path}.args`, 'a non-empty array');
      return { kind: op, args: input.args.map((arg, i) => walk(arg, `${path}.args.${i}`, depth + 1)) };
    }
    if (op === 'not') {
      only('arg');
      return { kind: 'not', arg: walk(input.arg, `${path}.arg`, depth + 1) };
    }
    if (op === 'isNull') {
      only('item');
      return { kind: 'isNull', item: grantedItem(input.item, `${path}.item`).name };
    }
    if (op === 'in') {
      only('item', 'values');
      const target = operand(input.item, `${path}.item`);
      if (target.type === 'boolean') throw bad(path, 'in is not for booleans; use eq');
      if (!Array.isArray(input.values) || input.values.length === 0) throw bad(`${path}.values`, 'a non-empty array');
      if (input.values.length > limits.maxInValues) {
        throw new AccessError('PREDICATE_TOO_LARGE', `more than ${limits.maxInValues} values in one in`, [
          { path: `${path}.values`, message: `> ${limits.maxInValues}` },
        ]);
      }
      const values = input.values.map((value, i) => literal(target, value, `${path}.values.${i}`));
      return { kind: 'in', operand: target, values };
    }
    if (typeof op === 'string' && comparisonOps.has(op)) {
      only('item', 'value');
      const target = operand(input.item, `${path}.item`);
      if (orderingOps.has(op) && !orderedTypes.has(target.type)) {
        throw bad(path, `${op} needs an ordered item; ${target.item} is ${target.type}`);
      }
      return {
        kind: 'cmp',
        op: op as ComparisonOp,
        operand: target,
        value: literal(target, input.value, `${path}.value`),
      };
    }
    throw bad(`${path}.op`, `unknown op ${JSON.stringify(op)}`);
  };

  const root = walk(input, 'predicate', 1);
  return { source: input as Predicate, items: [...used].sort(), root };
}

/** The items a predicate reads (the birth-date item of an ageAt included), sorted and distinct. */
export function itemsReferenced(predicate: Predicate | CheckedPredicate): string[] {
  if ('root' in predicate) return [...predicate.items];
  const found = new Set<string>();
  const visit = (p: Predicate) => {
    switch (p.op) {
      case 'and':
      case 'or':
        for (const arg of p.args) visit(arg);
        return;
      case 'not':
        visit(p.arg);
        return;
      case 'isNull':
        found.add(p.item);
        return;
      default:
        found.add(typeof p.item === 'string' ? p.item : p.item.of);
    }
  };
  visit(predicate);
  return [...found].sort();
}

function cell(row: Row, item: string): CellValue {
  return Object.hasOwn(row, item) ? (row[item] ?? null) : null;
}

/** -1/0/1, or null when the row's value is missing or does not read as the operand's type. */
function compare(operand: Operand, rowValue: CellValue, literalValue: CellValue): number | null {
  if (rowValue === null || rowValue === '') return null;
  const order = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  switch (operand.type) {
    case 'age': {
      if (!isIsoDate(rowValue)) return null;
      const age = ageInFullYears(rowValue, operand.ageAt as string);
      return age === null ? null : order(age, literalValue as number);
    }
    case 'integer': {
      const n = typeof rowValue === 'number' ? rowValue : typeof rowValue === 'string' ? Number(rowValue) : NaN;
      return Number.isFinite(n) ? order(n, literalValue as number) : null;
    }
    case 'decimal':
      return compareDecimal(rowValue, literalValue);
    case 'year': {
      const y = toYear(rowValue);
      return y === null ? null : order(y, literalValue as number);
    }
    case 'boolean': {
      const b = toBoolean(rowValue);
      return b === null ? null : b === literalValue ? 0 : 1;
    }
    case 'date':
    case 'month':
      return typeof rowValue === 'string' ? order(rowValue, literalValue as string) : null;
    case 'enum':
    case 'string':
      return order(String(rowValue), literalValue as string);
  }
}

function evaluate(node: Node, row: Row): boolean | null {
  switch (node.kind) {
    case 'isNull': {
      const v = cell(row, node.item);
      return v === null || v === '';
    }
    case 'cmp': {
      const c = compare(node.operand, cell(row, node.operand.item), node.value);
      if (c === null) return null;
      switch (node.op) {
        case 'eq':
          return c === 0;
        case 'ne':
          return c !== 0;
        case 'lt':
          return c < 0;
        case 'lte':
          return c <= 0;
        case 'gt':
          return c > 0;
        case 'gte':
          return c >= 0;
      }
      return null;
    }
    case 'in': {
      const v = cell(row, node.operand.item);
      let unknown = false;
      for (const candidate of node.values) {
        const c = compare(node.operand, v, candidate);
        if (c === 0) return true;
        if (c === null) unknown = true;
      }
      return unknown ? null : false;
    }
    case 'not': {
      const r = evaluate(node.arg, row);
      return r === null ? null : !r;
    }
    case 'and': {
      let unknown = false;
      for (const arg of node.args) {
        const r = evaluate(arg, row);
        if (r === false) return false;
        if (r === null) unknown = true;
      }
      return unknown ? null : true;
    }
    case 'or': {
      let unknown = false;
      for (const arg of node.args) {
        const r = evaluate(arg, row);
        if (r === true) return true;
        if (r === null) unknown = true;
      }
      return unknown ? null : false;
    }
  }
}

/** Three-valued result over one row: true, false, or null (unknown because of a missing value). */
export function evaluatePredicate(predicate: CheckedPredicate, row: Row): boolean | null {
  return evaluate(predicate.root, row);
}

/** Whether the row satisfies the predicate (unknown does not match). */
export function rowMatches(predicate: CheckedPredicate, row: Row): boolean {
  return evaluate(predicate.root, row) === true;
}

export type VerifyResult = true | false | 'not_found';

/**
 * The verify answer for one subject, given all its rows. A resource may hold several rows per subject
 * (residence permits, parcels): the answer is true when ANY row satisfies the whole predicate, so each row
 * is judged on its own and conditions are never combined across rows (a permit valid today and another
 * issued six months ago do not add up to one permit both valid and old enough). No rows: 'not_found'.
 */
export function verifyRows(predicate: CheckedPredicate, rows: readonly Row[]): VerifyResult {
  if (rows.length === 0) return 'not_found';
  return rows.some((row) => rowMatches(predicate, row));
}
