/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) for audit-log entries: the same event always yields the
 * same bytes, so its leaf hash can be recomputed by anyone holding the event.
 *
 * - No whitespace; object members sorted by key, comparing UTF-16 code units (RFC 8785 §3.2.3), which is
 *   what Array.prototype.sort does with no comparator.
 * - Numbers as ECMAScript Number::toString (§3.2.2.3; JSON.stringify does exactly that, and -0 → "0");
 *   NaN and ±Infinity are refused.
 * - Strings as JSON.stringify writes them (§3.2.2.2: \b \t \n \f \r \" \\ escaped, other controls as
 *   lowercase \u00xx, everything else literal); lone surrogates are refused (I-JSON, RFC 7493).
 * - Only JSON data: null, booleans, finite numbers, strings, arrays, plain objects. Object members whose
 *   value is `undefined` are left out (as JSON.stringify does, so optional fields may be omitted);
 *   anything else (undefined elsewhere, bigint, functions, Dates, Maps, cycles) is a CanonicalJsonError.
 */

export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';
  readonly code = 'NOT_CANONICALIZABLE';
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function serializeString(s: string, path: string): string {
  if (LONE_SURROGATE.test(s)) throw new CanonicalJsonError(`${path}: string has a lone surrogate`);
  return JSON.stringify(s);
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function serialize(value: unknown, path: string, seen: Set<object>, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${path}: ${value} is not a JSON number`);
      out.push(JSON.stringify(value));
      return;
    case 'string':
      out.push(serializeString(value, path));
      return;
    case 'object':
      break;
    default:
      throw new CanonicalJsonError(`${path}: ${typeof value} is not JSON data`);
  }
  const obj = value as object;
  if (seen.has(obj)) throw new CanonicalJsonError(`${path}: cyclic structure`);
  seen.add(obj);
  if (Array.isArray(obj)) {
    out.push('[');
    obj.forEach((item, i) => {
      if (i > 0) out.push(',');
      serialize(item, `${path}[${i}]`, seen, out);
    });
    out.push(']');
  } else {
    if (!isPlainObject(obj)) throw new CanonicalJsonError(`${path}: only plain objects are JSON data`);
    const record = obj as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    out.push('{');
    keys.forEach((k, i) => {
      if (i > 0) out.push(',');
      out.push(serializeString(k, `${path} key`), ':');
      serialize(record[k], `${path}.${k}`, seen, out);
    });
    out.push('}');
  }
  seen.delete(obj);
}

/** RFC 8785 canonical JSON text of `value`. */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  serialize(value, '$', new Set(), out);
  return out.join('');
}

/** RFC 8785 canonical JSON as UTF-8 bytes: what the log stores as an entry. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}
