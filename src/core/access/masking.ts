/**
 * Masking (脱敏) for the record mode. The provider declares a rule per item; the node applies it to every
 * value it releases. Items the agreement does not grant never appear in an answer, and a granted item the
 * policy forgot to mention is hidden: a missing rule fails closed rather than releasing the raw value.
 *
 * Rules are written as short strings in a provider's configuration (`truncate_decimal:2`,
 * `range:[0,18,60,80]`) and parsed once into `MaskRule` values.
 */
import type { DataItem, ItemType } from '../catalog/resource';
import { AccessError } from './errors';
import { type CellValue, type Row, compareDecimal, formatUnits, toUnits } from './values';

export type MaskRule =
  | { kind: 'none' }
  | { kind: 'hide' }
  | { kind: 'id_number' }
  | { kind: 'name' }
  | { kind: 'phone' }
  | { kind: 'date_to_year' }
  | { kind: 'date_to_month' }
  | { kind: 'keep_prefix'; chars: number }
  | { kind: 'truncate_decimal'; digits: number }
  | { kind: 'range'; bounds: number[] };

export type MaskKind = MaskRule['kind'];

/** Which item types each rule can be declared on; anything else is a configuration error. */
const applicableTypes: Record<MaskKind, readonly ItemType[] | 'any'> = {
  none: 'any',
  hide: 'any',
  id_number: ['string'],
  name: ['string'],
  phone: ['string'],
  keep_prefix: ['string'],
  date_to_year: ['date', 'month'],
  date_to_month: ['date'],
  truncate_decimal: ['decimal'],
  range: ['integer', 'decimal', 'year'],
};

function badRule(spec: string, message: string): AccessError {
  return new AccessError('BAD_MASKING_RULE', `${spec}: ${message}`, [{ path: spec, message }]);
}

/** Parses a rule written as text: `none`, `hide`, `id_number`, `name`, `phone`, `date_to_year`,
 * `date_to_month`, `keep_prefix:N`, `truncate_decimal:N`, `range:[b1,b2,…]`. */
export function parseMaskRule(spec: string): MaskRule {
  const text = spec.trim();
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const arg = colon < 0 ? null : text.slice(colon + 1).trim();
  const simple = ['none', 'hide', 'id_number', 'name', 'phone', 'date_to_year', 'date_to_month'] as const;
  for (const k of simple) {
    if (kind === k) {
      if (arg !== null) throw badRule(spec, `${k} takes no argument`);
      return { kind: k };
    }
  }
  if (kind === 'keep_prefix' || kind === 'truncate_decimal') {
    const n = arg !== null && /^\d{1,2}$/.test(arg) ? Number(arg) : NaN;
    const max = kind === 'keep_prefix' ? 64 : 8;
    if (!Number.isInteger(n) || n > max) throw badRule(spec, `${kind} needs a whole number 0–${max}`);
    return kind === 'keep_prefix' ? { kind, chars: n } : { kind, digits: n };
  }
  if (kind === 'range') {
    let bounds: unknown;
    try {
      bounds = JSON.parse(arg ?? '');
    } catch {
      throw badRule(spec, 'range needs a JSON list of bounds, e.g. range:[0,18,60]');
    }
    if (
      !Array.isArray(bounds) ||
      bounds.length === 0 ||
      bounds.length > 50 ||
      !bounds.every((b, i) => typeof b === 'number' && Number.isFinite(b) && (i === 0 || b > bounds[i - 1]))
    ) {
      throw badRule(spec, 'range bounds must be 1–50 finite numbers in strictly increasing order');
    }
    return { kind: 'range', bounds: bounds as number[] };
  }
  throw badRule(spec, `unknown masking rule ${kind}`);
}

export type MaskingPolicy = ReadonlyMap<string, MaskRule>;

/**
 * Builds a policy for a resource from item → rule text (or parsed rule), checking each rule fits its item's
 * type. Throws BAD_MASKING_RULE for an unknown item or a rule that cannot apply (date_to_year on a name).
 */
export function buildMaskingPolicy(
  items: readonly DataItem[],
  rules: Readonly<Record<string, string | MaskRule>>,
): MaskingPolicy {
  const byName = new Map(items.map((item) => [item.name, item]));
  const policy = new Map<string, MaskRule>();
  for (const [name, spec] of Object.entries(rules)) {
    const item = byName.get(name);
    const label = typeof spec === 'string' ? spec : spec.kind;
    if (!item) throw badRule(label, `no item ${name} in this resource`);
    const rule = typeof spec === 'string' ? parseMaskRule(spec) : spec;
    const types = applicableTypes[rule.kind];
    if (types !== 'any' && !types.includes(item.type)) {
      throw badRule(label, `${rule.kind} cannot mask ${name} (${item.type})`);
    }
    policy.set(name, rule);
  }
  return policy;
}

function stars(n: number): string {
  return '*'.repeat(Math.max(0, n));
}

function maskName(name: string): string {
  // Code points, not UTF-16 units: rare characters in names lie outside the BMP.
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  // One star whatever the length: 欧阳娜娜 → 欧*娜, so the mask does not reveal how long the name is.
  // Compound surnames (欧阳, 司马) thus keep only their first character, which reveals less.
  return `${chars[0]}*${chars[chars.length - 1]}`;
}

function maskIdNumber(id: string): string {
  const chars = Array.from(id.trim());
  // 18 (and legacy 15) character numbers keep the area code and the last four: 110105********002X.
  if (chars.length > 10) return chars.slice(0, 6).join('') + stars(chars.length - 10) + chars.slice(-4).join('');
  return stars(chars.length);
}

function maskPhone(phone: string): string {
  const text = phone.trim();
  if (/^1\d{10}$/.test(text)) return `${text.slice(0, 3)}****${text.slice(7)}`;
  // Landlines and other formats: only the last four digits survive; separators stay to keep the shape.
  const digitCount = (text.match(/\d/g) ?? []).length;
  let seen = 0;
  let out = '';
  for (const ch of text) {
    if (/\d/.test(ch)) {
      seen += 1;
      out += seen > digitCount - 4 ? ch : '*';
    } else {
      out += ch;
    }
  }
  return out;
}

function rangeLabel(value: CellValue, bounds: readonly number[]): string | null {
  const first = bounds[0] as number;
  const below = compareDecimal(value, first);
  if (below === null) return null;
  if (below < 0) return `<${first}`;
  for (let i = 1; i < bounds.length; i++) {
    const bound = bounds[i] as number;
    if ((compareDecimal(value, bound) as number) < 0) return `[${bounds[i - 1]},${bound})`;
  }
  return `>=${bounds[bounds.length - 1]}`;
}

/**
 * Masks one value. Empty stays empty (null); a value a rule cannot read (a malformed date) becomes null,
 * since a rule that cannot be applied must not let the raw value through.
 */
export function maskValue(rule: MaskRule, value: CellValue): CellValue {
  if (value === null || value === '') return null;
  switch (rule.kind) {
    case 'none':
      return value;
    case 'hide':
      return null;
    case 'id_number':
      return maskIdNumber(String(value));
    case 'name':
      return maskName(String(value));
    case 'phone':
      return maskPhone(String(value));
    case 'keep_prefix': {
      const chars = Array.from(String(value));
      return chars.length <= rule.chars ? chars.join('') : `${chars.slice(0, rule.chars).join('')}*`;
    }
    case 'date_to_year':
      return typeof value === 'string' && /^\d{4}-\d{2}/.test(value) ? value.slice(0, 4) : null;
    case 'date_to_month':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value.slice(0, 7) : null;
    case 'truncate_decimal': {
      // Towards zero, exactly: 2.999 → "2.99", never "3.00".
      const fine = toUnits(value, 20);
      if (fine === null) return null;
      return formatUnits(fine / 10n ** BigInt(20 - rule.digits), rule.digits);
    }
    case 'range':
      return rangeLabel(value, rule.bounds);
  }
}

export interface MaskRecordOptions {
  /** Items the agreement grants. */
  granted: Iterable<string>;
  /** Items the consumer asked for; all granted items when omitted. Must be a subset of `granted`. */
  requested?: readonly string[] | undefined;
  policy: MaskingPolicy;
}

/** The items a record answer will carry, in request order; ITEM_NOT_ALLOWED for any not granted. */
export function recordItems(options: Omit<MaskRecordOptions, 'policy'>): string[] {
  const granted = [...new Set(options.granted)];
  if (!options.requested) return granted;
  const grantedSet = new Set(granted);
  const refused = options.requested.filter((item) => !grantedSet.has(item));
  if (refused.length > 0) {
    throw new AccessError(
      'ITEM_NOT_ALLOWED',
      `not granted: ${refused.join(', ')}`,
      [{ path: 'items', message: refused.join(', ') }],
      { items: refused },
    );
  }
  return [...new Set(options.requested)];
}

/** One row as released: only the selected items, each masked by its rule (hidden when it has none). */
export function maskRecord(row: Row, options: MaskRecordOptions): Record<string, CellValue> {
  const out: Record<string, CellValue> = {};
  for (const item of recordItems(options)) {
    const raw = Object.hasOwn(row, item) ? (row[item] ?? null) : null;
    out[item] = maskValue(options.policy.get(item) ?? { kind: 'hide' }, raw);
  }
  return out;
}

export type RecordAnswer =
  | { subject: string; found: true; rows: Record<string, CellValue>[] }
  | { subject: string; found: false };

/**
 * The record-mode answer for a batch: per subject key (in request order), its rows masked, or found: false.
 * `rowsBySubject` must hold every requested key (an absent key counts as no rows).
 */
export function recordAnswer(
  subjects: readonly string[],
  rowsBySubject: ReadonlyMap<string, readonly Row[]>,
  options: MaskRecordOptions,
): RecordAnswer[] {
  const items = recordItems(options);
  const fixed = { ...options, requested: items };
  return subjects.map((subject) => {
    const rows = rowsBySubject.get(subject) ?? [];
    if (rows.length === 0) return { subject, found: false };
    return { subject, found: true, rows: rows.map((row) => maskRecord(row, fixed)) };
  });
}
