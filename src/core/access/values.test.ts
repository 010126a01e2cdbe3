import { describe, expect, it } from 'vitest';
import { ageInFullYears, compareDecimal, divideRounded, formatUnits, isIsoDate, toUnits } from './values';

describe('exact decimals', () => {
  it('reads numbers and strings into scaled units', () => {
    expect(toUnits('1234.5', 2)).toBe(123450n);
    expect(toUnits(0.1, 2)).toBe(10n);
    expect(toUnits(-0.05, 2)).toBe(-5n);
    expect(toUnits(' 7 ', 0)).toBe(7n);
    expect(toUnits(1e-7, 2)).toBe(0n);
    expect(toUnits('1e3', 2)).toBeNull();
    expect(toUnits('', 2)).toBeNull();
    expect(toUnits(Number.NaN, 2)).toBeNull();
    expect(toUnits(true, 2)).toBeNull();
  });

  it('rounds digits beyond the scale half away from zero', () => {
    expect(toUnits('2.345', 2)).toBe(235n);
    expect(toUnits('2.344', 2)).toBe(234n);
    expect(toUnits('-2.345', 2)).toBe(-235n);
  });

  it('formats units with exactly the scale', () => {
    expect(formatUnits(5n, 2)).toBe('0.05');
    expect(formatUnits(-5n, 2)).toBe('-0.05');
    expect(formatUnits(123450n, 2)).toBe('1234.50');
    expect(formatUnits(42n, 0)).toBe('42');
  });

  it('compares exactly across representations', () => {
    expect(compareDecimal('100.10', 100.1)).toBe(0);
    expect(compareDecimal('0.3', 0.1 + 0.2)).toBe(-1);
    expect(compareDecimal('-1', '0')).toBe(-1);
    expect(compareDecimal('x', '0')).toBeNull();
  });

  it('divides rounding half away from zero', () => {
    expect(divideRounded(32n, 3n)).toBe(11n);
    expect(divideRounded(5n, 2n)).toBe(3n);
    expect(divideRounded(-5n, 2n)).toBe(-3n);
    expect(divideRounded(7n, 2n)).toBe(4n);
    expect(divideRounded(10n, 4n)).toBe(3n);
  });
});

describe('dates', () => {
  it('knows real calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('1900-02-29')).toBe(false);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('2024-2-9')).toBe(false);
  });

  it('counts full years by the birthday rule', () => {
    expect(ageInFullYears('1966-11-27', '2026-11-27')).toBe(60);
    expect(ageInFullYears('1966-11-28', '2026-11-27')).toBe(59);
    expect(ageInFullYears('2000-02-29', '2001-02-28')).toBe(0);
    expect(ageInFullYears('2000-02-29', '2001-03-01')).toBe(1);
    expect(ageInFullYears('2026-11-28', '2026-11-27')).toBeNull();
  });
});
