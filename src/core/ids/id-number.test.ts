import { describe, expect, it } from 'vitest';
import { makeIdNumber, validateIdNumber } from './id-number';

// Valid examples from RULES.md §5 (GB 11643).
const VALID = ['11010519491231002X', '440524188001010014'];

describe('validateIdNumber', () => {
  it('accepts the reference examples, including a birth year before 1900', () => {
    for (const v of VALID) expect(validateIdNumber(v).ok).toBe(true);
    const r = validateIdNumber('440524188001010014');
    expect(r.ok && r.birthDate).toBe('1880-01-01');
  });

  it('derives gender from the parity of the sequence', () => {
    const female = validateIdNumber('11010519491231002X'); // sequence 002
    const male = validateIdNumber('440524188001010014'); // sequence 001
    expect(female.ok && female.gender).toBe('女');
    expect(male.ok && male.gender).toBe('男');
  });

  it('rejects every single-character change of the check character', () => {
    for (const v of VALID) {
      for (const c of '0123456789X') {
        if (c === v[17]) continue;
        const r = validateIdNumber(v.slice(0, 17) + c);
        expect(r.ok ? 'ok' : r.code).toBe('BAD_CHECKSUM');
      }
    }
  });

  it('gives stable codes for length, format, date and future-date failures', () => {
    const code = (v: string, asOf?: string) => {
      const r = validateIdNumber(v, asOf);
      return r.ok ? 'OK' : r.code;
    };
    expect(code('11010519491231002')).toBe('BAD_LENGTH');
    expect(code('110105194912310')).toBe('BAD_LENGTH');
    expect(code('11010519491231002x')).toBe('BAD_FORMAT');
    expect(code('1101051949123100AX')).toBe('BAD_FORMAT');
    expect(code('110105194902300020')).toBe('BAD_DATE'); // 30 February
    expect(code('110105190002290020')).toBe('BAD_DATE'); // 1900 is not a leap year
    expect(code('11010519491231002X', '1949-12-30')).toBe('FUTURE_DATE');
    expect(code('11010519491231002X', '2026-06-30')).toBe('OK');
  });

  it('makeIdNumber round-trips through the validator and agrees with a reference example', () => {
    expect(makeIdNumber('110105', '1949-12-31', 2)).toBe('11010519491231002X');
    expect(makeIdNumber('440524', '1880-01-01', 1)).toBe('440524188001010014');
    for (let s = 0; s < 1000; s += 37) expect(validateIdNumber(makeIdNumber('339102', '2000-02-29', s)).ok).toBe(true);
  });
});
