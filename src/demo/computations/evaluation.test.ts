import { describe, expect, it } from 'vitest';
import { computationItems, executeComputation } from '../../core/access/compute';
import { insuredPersonMonthsAnnual } from './evaluation';
import { AccessError } from '../../core/access/errors';
import type { Row } from '../../core/access/values';

const A = '91350100M000100Y43';
const B = '91110108551385082Q';

describe('renshe.insured_person_months', () => {
  it('sums the headcounts of the months of Y that have a row, and counts them (the exact mean is their ratio)', () => {
    const rows: Row[] = [
      ...Array.from({ length: 11 }, (_, m) => ({
        uscc: A,
        month: `2025-${String(m + 1).padStart(2, '0')}`,
        insured_count: m === 0 ? 31 : 35,
      })),
      { uscc: A, month: '2024-12', insured_count: 1000 },
      { uscc: A, month: '2026-01', insured_count: 1000 },
      { uscc: B, month: '2024-05', insured_count: 7 },
    ];
    const answer = executeComputation(
      insuredPersonMonthsAnnual,
      new Map([
        [A, rows.filter((r) => r.uscc === A)],
        [B, rows.filter((r) => r.uscc === B)],
      ]),
      { year: 2025 },
    );
    expect(answer.results).toEqual([{ subject: A, values: { person_months: 31 + 10 * 35, months_with_rows: 11 } }]);
    // No month of Y: missing, not zero.
    expect(answer.missing).toEqual([B]);
    // The published mean would round 381 / 11 = 34.636… to 34.64; the parts keep it exact.
    expect((31 + 10 * 35) / 11).not.toBe(34.64);
  });

  it('reads only what the jingxin agreement grants, and refuses a duplicated month', () => {
    expect(computationItems(insuredPersonMonthsAnnual).sort()).toEqual(['insured_count', 'month', 'uscc']);
    const twice = [
      { uscc: A, month: '2025-01', insured_count: 3 },
      { uscc: A, month: '2025-01', insured_count: 4 },
    ];
    expect(() => executeComputation(insuredPersonMonthsAnnual, new Map([[A, twice]]), { year: 2025 })).toThrow(
      AccessError,
    );
  });
});
