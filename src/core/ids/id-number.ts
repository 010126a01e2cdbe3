/**
 * 居民身份证号码 (GB 11643-1999): validation and check-character computation. Pure.
 * Layout: 6-digit area code, 8-digit birth date, 3-digit sequence (odd = male), check character.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

export type IdNumberErrorCode = 'BAD_LENGTH' | 'BAD_FORMAT' | 'BAD_DATE' | 'FUTURE_DATE' | 'BAD_CHECKSUM';

export type IdNumberResult =
  | { ok: true; areaCode: string; birthDate: string; sequence: number; gender: '男' | '女' }
  | { ok: false; code: IdNumberErrorCode; reason: string };

/** Check character for the first 17 digits (caller guarantees 17 ASCII digits). */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] as number);
  return CHECK_CHARS[sum % 11] as string;
}

export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
  return day <= days;
}

/**
 * Validates an 18-character ID number. `asOf` (YYYY-MM-DD) optionally rejects birth dates after it;
 * core code has no clock, so the caller decides what "today" is.
 */
export function validateIdNumber(value: string, asOf?: string): IdNumberResult {
  if (value.length !== 18)
    return { ok: false, code: 'BAD_LENGTH', reason: `expected 18 characters, got ${value.length}` };
  if (!/^\d{17}[\dX]$/.test(value)) {
    return { ok: false, code: 'BAD_FORMAT', reason: '17 digits then a digit or X expected' };
  }
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  // Years before 1900 are legal in the standard's own examples (born 1880), so only the calendar is checked.
  if (!isRealDate(y, m, d)) return { ok: false, code: 'BAD_DATE', reason: `no such birth date ${value.slice(6, 14)}` };
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (asOf !== undefined && birthDate > asOf) {
    return { ok: false, code: 'FUTURE_DATE', reason: `birth date ${birthDate} is after ${asOf}` };
  }
  const expected = idNumberCheckChar(value.slice(0, 17));
  if (value[17] !== expected) {
    return { ok: false, code: 'BAD_CHECKSUM', reason: `check character should be ${expected}` };
  }
  const sequence = Number(value.slice(14, 17));
  return { ok: true, areaCode: value.slice(0, 6), birthDate, sequence, gender: sequence % 2 === 1 ? '男' : '女' };
}

/** Builds a valid ID number from its parts (birthDate YYYY-MM-DD, sequence 0–999). */
export function makeIdNumber(areaCode: string, birthDate: string, sequence: number): string {
  const first17 = `${areaCode}${birthDate.slice(0, 4)}${birthDate.slice(5, 7)}${birthDate.slice(8, 10)}${String(sequence).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}
