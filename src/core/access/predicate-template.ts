/**
 * Verify questions an agreement allows: predicate templates. A template is a predicate (predicate.ts) in
 * which a compared value, a value of an `in` list or an `ageAt` date may be a parameter — a string that
 * starts with `$` (`$name`, `$asOf`, as the 一网通办 item definitions write them). A consumer's predicate is
 * allowed when it has the template's exact shape (operators, items, literal values) with any scalar in the
 * parameters' places. So "age ≥ 60 on a date" can be asked, "age ≥ 59" or "birth date < x" cannot, and a
 * yes/no answer cannot be turned into a search for the raw value.
 */
import type { Predicate } from './predicate';

export type PredicateTemplate = Predicate;

const MAX_TEMPLATES = 32;
const PARAMETER = /^\$[A-Za-z][A-Za-z0-9_+-]*$/;

function isParameter(value: unknown): boolean {
  return typeof value === 'string' && PARAMETER.test(value);
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameKeys(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key));
}

/** A template's value against the consumer's: a parameter takes any scalar, a literal only itself. */
function valueMatches(template: unknown, value: unknown): boolean {
  if (isParameter(template)) return isScalar(value);
  return template === value;
}

function itemMatches(template: unknown, item: unknown): boolean {
  if (typeof template === 'string') return template === item;
  if (!isRecord(template) || !isRecord(item) || !sameKeys(template, item)) return false;
  return template.of === item.of && valueMatches(template.ageAt, item.ageAt) && typeof item.ageAt === 'string';
}

/** Whether `predicate` (as the consumer sent it, unchecked) is an instance of `template`. */
export function matchesTemplate(predicate: unknown, template: PredicateTemplate, depth = 0): boolean {
  if (depth > 16 || !isRecord(predicate) || !sameKeys(template as Record<string, unknown>, predicate)) return false;
  if (predicate.op !== template.op) return false;
  switch (template.op) {
    case 'and':
    case 'or': {
      const args = predicate.args;
      return (
        Array.isArray(args) &&
        args.length === template.args.length &&
        template.args.every((arg, index) => matchesTemplate(args[index], arg, depth + 1))
      );
    }
    case 'not':
      return matchesTemplate(predicate.arg, template.arg, depth + 1);
    case 'isNull':
      return predicate.item === template.item;
    case 'in': {
      const values = predicate.values;
      return (
        itemMatches(template.item, predicate.item) &&
        Array.isArray(values) &&
        values.length === template.values.length &&
        template.values.every((value, index) => valueMatches(value, values[index]))
      );
    }
    default:
      return itemMatches(template.item, predicate.item) && valueMatches(template.value, predicate.value);
  }
}

/**
 * Whether a template has a parameter whose value moves a threshold — an `ageAt` date or the value of `lt`,
 * `lte`, `gt`, `gte`. Each answer to such a question halves what is left of the hidden value, so a handful of
 * them with different values finds it exactly (a binary search); an `eq` or `in` parameter only tests a guess.
 */
export function hasOrderedParameter(template: PredicateTemplate): boolean {
  switch (template.op) {
    case 'and':
    case 'or':
      return template.args.some(hasOrderedParameter);
    case 'not':
      return hasOrderedParameter(template.arg);
    case 'isNull':
      return false;
    default: {
      const item = template.item;
      if (typeof item !== 'string' && isParameter(item.ageAt)) return true;
      return template.op !== 'in' && template.op !== 'eq' && template.op !== 'ne' && isParameter(template.value);
    }
  }
}

/** The items a template reads (to check them against the agreement's items). */
export function templateItems(template: PredicateTemplate): string[] {
  switch (template.op) {
    case 'and':
    case 'or':
      return template.args.flatMap(templateItems);
    case 'not':
      return templateItems(template.arg);
    case 'isNull':
      return [template.item];
    default:
      return [typeof template.item === 'string' ? template.item : template.item.of];
  }
}

const comparison = new Set(['eq', 'ne', 'lt', 'lte', 'gt', 'gte']);

/** A problem with a template's shape, or undefined when it is well formed. */
export function templateProblem(template: unknown, depth = 0): string | undefined {
  if (depth > 8) return 'nested too deep';
  if (!isRecord(template)) return 'not an object';
  const item = template.item;
  const itemOk =
    typeof item === 'string' ||
    (isRecord(item) &&
      typeof item.of === 'string' &&
      typeof item.ageAt === 'string' &&
      sameKeys(item, { of: 0, ageAt: 0 }));
  switch (template.op) {
    case 'and':
    case 'or':
      if (!Array.isArray(template.args) || template.args.length === 0 || !sameKeys(template, { op: 0, args: 0 }))
        return `${template.op} needs args`;
      for (const arg of template.args) {
        const problem = templateProblem(arg, depth + 1);
        if (problem) return problem;
      }
      return undefined;
    case 'not':
      return sameKeys(template, { op: 0, arg: 0 }) ? templateProblem(template.arg, depth + 1) : 'not needs arg';
    case 'isNull':
      return typeof item === 'string' && sameKeys(template, { op: 0, item: 0 }) ? undefined : 'isNull needs an item';
    case 'in':
      return itemOk &&
        sameKeys(template, { op: 0, item: 0, values: 0 }) &&
        Array.isArray(template.values) &&
        template.values.length > 0 &&
        template.values.every(isScalar)
        ? undefined
        : 'in needs an item and values';
    default:
      if (typeof template.op !== 'string' || !comparison.has(template.op)) return `unknown op ${String(template.op)}`;
      return itemOk && sameKeys(template, { op: 0, item: 0, value: 0 }) && isScalar(template.value)
        ? undefined
        : `${template.op} needs an item and a value`;
  }
}

/** Checks an agreement's templates: well formed, over its items only, not too many. Returns the problems. */
export function checkTemplates(templates: unknown[], items: readonly string[]): { path: string; message: string }[] {
  if (templates.length > MAX_TEMPLATES) return [{ path: 'predicates', message: `at most ${MAX_TEMPLATES}` }];
  const problems: { path: string; message: string }[] = [];
  templates.forEach((template, index) => {
    const problem = templateProblem(template);
    if (problem) {
      problems.push({ path: `predicates.${index}`, message: problem });
      return;
    }
    const outside = templateItems(template as PredicateTemplate).filter((item) => !items.includes(item));
    if (outside.length > 0)
      problems.push({ path: `predicates.${index}`, message: `not in items: ${outside.join(', ')}` });
  });
  return problems;
}
