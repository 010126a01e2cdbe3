/**
 * Subject keys: the citizen ID number (GB 11643) and the enterprise credit code (GB 32100) a consumer sends
 * to name whose data it asks about. Forms and spreadsheets hand them over with full-width characters,
 * stray spaces and a lower-case x, so the node normalises before lookup; a key that is still malformed
 * is refused with BAD_SUBJECT_KEY instead of being looked up (a lookup of garbage would only ever answer
 * "not found", which a caller could mistake for a real answer).
 */
import type { SubjectKind } from '../catalog/resource';
import { validateIdNumber } from '../ids/id-number';
import { validateUscc } from '../ids/uscc';
import { AccessError } from './errors';

const FULL_WIDTH_FIRST = 0xff01;
const FULL_WIDTH_LAST = 0xff5e;
const FULL_WIDTH_OFFSET = 0xfee0;

/**
 * Full-width ASCII (Ａ１ｘ) to half-width, every kind of whitespace removed (trim and inner spaces alike:
 * neither key contains a space), upper case. NFKC is deliberately not used: it would also turn circled
 * digits and other look-alikes into digits and accept keys nobody typed.
 */
export function normaliseKeyText(raw: string): string {
  let out = '';
  for (const ch of raw) {
    const code = ch.codePointAt(0) as number;
    if (code >= FULL_WIDTH_FIRST && code <= FULL_WIDTH_LAST) out += String.fromCharCode(code - FULL_WIDTH_OFFSET);
    else if (/\s/u.test(ch) || code === 0x200b || code === 0xfeff) continue;
    else out += ch;
  }
  return out.toUpperCase();
}

export type SubjectKeyResult =
  | {
      ok: true;
      key: string;
      /**
       * False only for a credit code whose check character is wrong: real pilot-era codes fail it
       * (RULES.md §5) and are in the registries, so they are looked up, and the caller may log it.
       */
      checksumValid: boolean;
    }
  | { ok: false; code: 'BAD_SUBJECT_KEY'; reason: string; detail: string };

/**
 * Normalises and checks a key. `asOf` (YYYY-MM-DD) refuses ID numbers whose birth date is after it; core
 * code has no clock, so the node passes today's date.
 */
export function checkSubjectKey(kind: SubjectKind, raw: unknown, asOf?: string): SubjectKeyResult {
  if (typeof raw !== 'string') {
    return { ok: false, code: 'BAD_SUBJECT_KEY', reason: 'NOT_A_STRING', detail: 'subject key must be a string' };
  }
  const key = normaliseKeyText(raw);
  if (kind === 'citizen') {
    // An ID number with a wrong check character names nobody: §7 treats it as an input error.
    const r = validateIdNumber(key, asOf);
    return r.ok
      ? { ok: true, key, checksumValid: true }
      : { ok: false, code: 'BAD_SUBJECT_KEY', reason: r.code, detail: r.reason };
  }
  const r = validateUscc(key);
  if (r.ok) return { ok: true, key, checksumValid: true };
  if (r.code === 'BAD_CHECKSUM') return { ok: true, key, checksumValid: false };
  return { ok: false, code: 'BAD_SUBJECT_KEY', reason: r.code, detail: r.reason };
}

/** As `checkSubjectKey`, throwing AccessError BAD_SUBJECT_KEY; returns the normalised key. */
export function normaliseSubjectKey(kind: SubjectKind, raw: unknown, asOf?: string): string {
  const r = checkSubjectKey(kind, raw, asOf);
  if (!r.ok) throw new AccessError('BAD_SUBJECT_KEY', r.detail, [{ path: 'subject', message: r.reason }]);
  return r.key;
}

/** Subjects per call in the batch modes (record, compute); the node may configure less. */
export const defaultMaxSubjects = 1000;

/**
 * Normalises a batch, refusing the whole batch on the first bad key (with its index) so that a consumer's
 * answer never silently lacks a subject it asked about. Duplicates after normalisation collapse.
 */
export function normaliseSubjectKeys(
  kind: SubjectKind,
  raws: readonly unknown[],
  asOf?: string,
  maxBatch = defaultMaxSubjects,
): string[] {
  if (raws.length > maxBatch) {
    throw new AccessError('BATCH_TOO_LARGE', `at most ${maxBatch} subjects per call`, [
      { path: 'subjects', message: `${raws.length} > ${maxBatch}` },
    ]);
  }
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const [index, raw] of raws.entries()) {
    const r = checkSubjectKey(kind, raw, asOf);
    if (!r.ok) throw new AccessError('BAD_SUBJECT_KEY', r.detail, [{ path: `subjects.${index}`, message: r.reason }]);
    if (!seen.has(r.key)) {
      seen.add(r.key);
      keys.push(r.key);
    }
  }
  return keys;
}
