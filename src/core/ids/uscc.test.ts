import { describe, expect, it } from 'vitest';
import { makeUscc, validateUscc } from './uscc';

// Valid examples and the known-bad pilot code from RULES.md §5 (GB 32100).
const VALID = ['91350100M000100Y43', '91110108551385082Q', '91440300708461136T'];
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const code = (v: string) => {
  const r = validateUscc(v);
  return r.ok ? 'OK' : r.code;
};

describe('validateUscc', () => {
  it('accepts the reference examples and decodes their parts', () => {
    for (const v of VALID) expect(code(v)).toBe('OK');
    const r = validateUscc('91110108551385082Q');
    expect(r.ok && [r.authority, r.entityType, r.areaCode, r.orgCode]).toEqual(['9', '1', '110108', '551385082']);
    expect(r.ok && r.orgCodeValid).toBe(true);
  });

  it('rejects the early pilot code whose checksum fails', () => {
    expect(code('91350100M0001TGQXM')).toBe('BAD_CHECKSUM');
  });

  it('rejects every other check character', () => {
    for (const v of VALID) {
      for (const c of ALPHABET) if (c !== v[17]) expect(code(v.slice(0, 17) + c)).toBe('BAD_CHECKSUM');
    }
  });

  it('rejects letters outside the alphabet and wrong lengths', () => {
    expect(code('91350100M000100I43')).toBe('BAD_FORMAT');
    expect(code('91350100m000100Y43')).toBe('BAD_FORMAT');
    expect(code('91350100M000100Y4')).toBe('BAD_LENGTH');
  });

  it('makeUscc builds codes whose organisation code is valid too', () => {
    for (const body of ['00000000', '55138508', '99999999', '12345678']) {
      const r = validateUscc(makeUscc('339102', body));
      expect(r.ok && r.orgCodeValid).toBe(true);
    }
  });
});
