import { describe, expect, it } from 'vitest';
import { checkCovertFlag, covertSubjectInput } from './covert';

describe('covert flags', () => {
  const flag = { caller: 'gongan', today: '2026-12-05', allowed: ['gongan'], maxDays: 30 };

  it('accept a real future date within the period from an allow-listed consumer', () => {
    expect(checkCovertFlag({ ...flag, until: '2026-12-06' })).toBeUndefined();
    expect(checkCovertFlag({ ...flag, until: '2027-01-04' })).toBeUndefined();
  });

  it('refuse today, the past, impossible dates, dates past the period and other consumers', () => {
    for (const until of ['2026-12-05', '2026-01-01', '2026-02-30', 'soon', '2027-01-05']) {
      expect(checkCovertFlag({ ...flag, until })?.code).toBe('BAD_COVERT_FLAG');
    }
    expect(checkCovertFlag({ ...flag, caller: 'zhengwu', until: '2026-12-06' })?.code).toBe('COVERT_NOT_ALLOWED');
  });

  it('hash subjects per disclosure date', () => {
    expect(covertSubjectInput('K', '2027-01-01')).not.toBe(covertSubjectInput('K', '2027-01-02'));
  });
});
