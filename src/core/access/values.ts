/**
 * The shape of source rows as the node's store hands them to the access core, and the exact arithmetic
 * on them. Stores return decimals as JS numbers (SQLite) or strings (PostgreSQL `numeric`), booleans as
 * 0/1; money must not drift through binary floating point, so decimals become scaled BigInt units here
 * and leave as decimal strings.
 */

export type CellValue = string | number | boolean | null;
export type Row = Readonly<Record<string, CellValue>>;

const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * A decimal as an integer count of 10^-scale units, or null when the value is not a decimal. Digits beyond
 * `scale` are rounded half away from zero: source columns carry at most their declared scale, so rounding
 * only ever applies to computed values.
 */
export function toUnits(value: CellValue, scale: number): bigint | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    // String() gives the shortest text that round-trips, so 12.34 stays "12.34"; tiny magnitudes come out
    // in exponent form, which toFixed avoids (huge ones are out of range for government money anyway).
    text = String(value);
    if (text.includes('e')) {
      if (Math.abs(value) >= 1e21) return null;
      text = value.toFixed(Math.min(100, scale + 1));
    }
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return null;
  }
  const m = DECIMAL_TEXT.exec(text);
  if (!m) return null;
  const negative = m[1] === '-';
  const whole = m[2] as string;
  const frac = m[3] ?? '';
  const kept = frac.slice(0, scale).padEnd(scale, '0');
  let units = BigInt(whole + kept);
  const next = frac.charCodeAt(scale);
  if (!Number.isNaN(next) && next >= 53 /* '5' */) units += 1n;
  return negative ? -units : units;
}

/** Formats scaled units as a decimal string with exactly `scale` fraction digits. */
export function formatUnits(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${frac}` : ''}`;
}

/** Number of fraction digits written in a decimal value (0 for integers). */
export function decimalScale(value: CellValue): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (text.includes('e')) return 20;
  const m = DECIMAL_TEXT.exec(text);
  return m?.[3]?.length ?? 0;
}

/** Exact comparison of two decimal values; null when either is not a decimal. */
export function compareDecimal(a: CellValue, b: CellValue): number | null {
  const scale = Math.max(decimalScale(a), decimalScale(b));
  const x = toUnits(a, scale);
  const y = toUnits(b, scale);
  if (x === null || y === null) return null;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Rounds `numerator / denominator` (both scaled integers) half away from zero to an integer. */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n * 2n + d) / (d * 2n);
  return negative ? -q : q;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Whether text is a real calendar date YYYY-MM-DD. */
export function isIsoDate(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const m = DATE.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const days = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
  return day <= days;
}

export function isIsoMonth(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const m = MONTH.exec(text);
  return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

/** Whether a year value (number or 4-digit text) is a plausible calendar year. */
export function toYear(value: CellValue): number | null {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^\d{4}$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 1000 && n <= 9999 ? n : null;
}

/**
 * Age in full years (周岁) at `at` for someone born on `birth`, both YYYY-MM-DD; null when born after `at`.
 * The birthday rule: the age goes up on the birthday itself. Someone born on 29 February compares month-day
 * "02-29" against the date, so in a non-leap year "02-28" is still before the birthday and "03-01" is
 * after it: they turn a year older on 1 March.
 */
export function ageInFullYears(birth: string, at: string): number | null {
  if (birth > at) return null;
  const years = Number(at.slice(0, 4)) - Number(birth.slice(0, 4));
  return at.slice(5) >= birth.slice(5) ? years : years - 1;
}

/** Booleans arrive as true/false, 0/1 or their text; null when the value is none of those. */
export function toBoolean(value: CellValue): boolean | null {
  if (value === true || value === 1 || value === '1' || value === 'true') return true;
  if (value === false || value === 0 || value === '0' || value === 'false') return false;
  return null;
}
