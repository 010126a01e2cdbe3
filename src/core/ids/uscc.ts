/**
 * 统一社会信用代码 (GB 32100-2015) and its embedded 组织机构代码 (GB 11714): validation and construction. Pure.
 */

export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

export type UsccErrorCode = 'BAD_LENGTH' | 'BAD_FORMAT' | 'BAD_ORG_CHECKSUM' | 'BAD_CHECKSUM';

export type UsccResult =
  | { ok: true; authority: string; entityType: string; areaCode: string; orgCode: string; orgCodeValid: boolean }
  | { ok: false; code: UsccErrorCode; reason: string };

/** Check character over the first 17 characters (caller guarantees they are in the alphabet). */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i] as string) * (USCC_WEIGHTS[i] as number);
  const c = 31 - (sum % 31);
  return USCC_ALPHABET[c === 31 ? 0 : c] as string;
}

function orgCharValue(ch: string): number {
  const code = ch.charCodeAt(0);
  return code <= 57 ? code - 48 : code - 55; // '0'..'9' → 0..9, 'A'..'Z' → 10..35
}

/** GB 11714 check character over the 8-character organisation code body. */
export function orgCodeCheckChar(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += orgCharValue(body8[i] as string) * (ORG_WEIGHTS[i] as number);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/**
 * Validates a credit code. Only the USCC check character decides validity; the embedded GB 11714 check is
 * reported as `orgCodeValid` because codes of individual businesses (92…) carry no organisation code there.
 */
export function validateUscc(value: string): UsccResult {
  if (value.length !== 18)
    return { ok: false, code: 'BAD_LENGTH', reason: `expected 18 characters, got ${value.length}` };
  for (const ch of value) {
    if (!USCC_ALPHABET.includes(ch)) {
      return { ok: false, code: 'BAD_FORMAT', reason: `character ${ch} is not allowed (no I, O, S, V, Z, lowercase)` };
    }
  }
  const expected = usccCheckChar(value.slice(0, 17));
  if (value[17] !== expected) {
    return { ok: false, code: 'BAD_CHECKSUM', reason: `check character should be ${expected}` };
  }
  return {
    ok: true,
    authority: value.slice(0, 1),
    entityType: value.slice(1, 2),
    areaCode: value.slice(2, 8),
    orgCode: value.slice(8, 17),
    orgCodeValid: isValidOrgCode(value.slice(8, 17)),
  };
}

/** Whether the 9-character organisation code (positions 9–17) carries a correct GB 11714 check. */
export function isValidOrgCode(org9: string): boolean {
  if (!/^[0-9A-Z]{8}[0-9X]$/.test(org9)) return false;
  return orgCodeCheckChar(org9.slice(0, 8)) === org9[8];
}

/** Builds a valid enterprise credit code (authority 9, type 1) from an area code and an 8-digit org body. */
export function makeUscc(areaCode: string, orgBody8: string): string {
  const first17 = `91${areaCode}${orgBody8}${orgCodeCheckChar(orgBody8)}`;
  return first17 + usccCheckChar(first17);
}
