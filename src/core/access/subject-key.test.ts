import { describe, expect, it } from 'vitest';
import { thrownCode } from '../thrown-code.test-helper';
import { AccessError } from './errors';
import { checkSubjectKey, normaliseKeyText, normaliseSubjectKey, normaliseSubjectKeys } from './subject-key';

const codeOf = (run: () => unknown) => thrownCode(AccessError, run, undefined);

describe('normaliseKeyText', () => {
  it('turns full-width digits and letters into half-width, drops every kind of space and upper-cases', () => {
    // "１１０１０５ １９４９１２３１ ００２ｘ" typed in a Chinese IME with an ideographic space.
    expect(normaliseKeyText(' １１０１０５\u3000１９４９１２３１ ００２ｘ ')).toBe('11010519491231002X');
    expect(normaliseKeyText('\t91350100m000100y43\n')).toBe('91350100M000100Y43');
  });

  it('does not turn look-alike symbols into digits', () => {
    expect(normaliseKeyText('①')).toBe('①');
  });
});

describe('citizen keys (GB 11643)', () => {
  it('accepts the standard examples, including a lower-case x and a birth year before 1900', () => {
    expect(normaliseSubjectKey('citizen', '11010519491231002x')).toBe('11010519491231002X');
    expect(normaliseSubjectKey('citizen', '440524188001010014')).toBe('440524188001010014');
  });

  it('refuses a wrong check character, a wrong length, letters and impossible dates', () => {
    expect(codeOf(() => normaliseSubjectKey('citizen', '110105194912310021'))).toBe('BAD_SUBJECT_KEY');
    expect(codeOf(() => normaliseSubjectKey('citizen', '11010519491231002'))).toBe('BAD_SUBJECT_KEY');
    expect(codeOf(() => normaliseSubjectKey('citizen', '1101051949123100AX'))).toBe('BAD_SUBJECT_KEY');
    // 1949-02-30 does not exist; whatever the check character, the number names nobody.
    expect(checkSubjectKey('citizen', '110105194902300020')).toMatchObject({ ok: false, code: 'BAD_SUBJECT_KEY' });
  });

  it('refuses a birth date after the as-of date the node passes', () => {
    expect(checkSubjectKey('citizen', '11010519491231002X', '1949-12-30')).toMatchObject({
      ok: false,
      reason: 'FUTURE_DATE',
    });
  });

  it('refuses non-strings with the same code', () => {
    expect(codeOf(() => normaliseSubjectKey('citizen', 11010519491231))).toBe('BAD_SUBJECT_KEY');
    expect(codeOf(() => normaliseSubjectKey('citizen', null))).toBe('BAD_SUBJECT_KEY');
  });
});

describe('enterprise keys (GB 32100)', () => {
  it('accepts valid codes after normalisation', () => {
    expect(normaliseSubjectKey('enterprise', '９１１１０１０８５５１３８５０８２ｑ')).toBe('91110108551385082Q');
    expect(checkSubjectKey('enterprise', '91440300708461136T')).toEqual({
      ok: true,
      key: '91440300708461136T',
      checksumValid: true,
    });
  });

  it('looks up a pilot-era code whose check character fails, flagging it', () => {
    expect(checkSubjectKey('enterprise', '91350100m0001tgqxm')).toEqual({
      ok: true,
      key: '91350100M0001TGQXM',
      checksumValid: false,
    });
  });

  it('refuses letters outside the alphabet and wrong lengths', () => {
    // O, I, S, V and Z are not in the GB 32100 alphabet.
    expect(codeOf(() => normaliseSubjectKey('enterprise', '91350100O000100Y43'))).toBe('BAD_SUBJECT_KEY');
    expect(codeOf(() => normaliseSubjectKey('enterprise', '91350100M000100Y4'))).toBe('BAD_SUBJECT_KEY');
  });
});

describe('batches', () => {
  it('collapses keys that are equal after normalisation and keeps request order', () => {
    expect(
      normaliseSubjectKeys('enterprise', [
        '91440300708461136T',
        '91350100M000100Y43',
        '９１４４０３００７０８４６１１３６ｔ',
      ]),
    ).toEqual(['91440300708461136T', '91350100M000100Y43']);
  });

  it('refuses the whole batch and names the index of the bad key', () => {
    try {
      normaliseSubjectKeys('citizen', ['11010519491231002X', 'nonsense']);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AccessError);
      expect((error as AccessError).code).toBe('BAD_SUBJECT_KEY');
      expect((error as AccessError).issues[0]?.path).toBe('subjects.1');
      expect((error as AccessError).httpStatus).toBe(400);
    }
  });

  it('refuses a batch over the limit before looking at any key', () => {
    try {
      normaliseSubjectKeys('enterprise', ['x', 'y', 'z'], undefined, 2);
      expect.unreachable();
    } catch (error) {
      expect((error as AccessError).code).toBe('BATCH_TOO_LARGE');
    }
  });
});
