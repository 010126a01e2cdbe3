/**
 * Computations published for the 亩均论英雄 evaluation beyond the nine of the §8 catalogue (compute.ts).
 *
 * `renshe.insured_person_months`: the published `renshe.insured_mean_annual` rounds the mean monthly
 * headcount to 0.01, which moves 全员劳动生产率 (value added / mean employees) by up to ≈ 1e-4 relative and the
 * total score by up to ≈ 1e-3 points — more than the evaluation's 1e-6 tolerance. This one returns the exact
 * parts of the same mean (the sum of the monthly headcounts over the months of Y with a row, and the number
 * of such months); the consumer divides. It reveals nothing the mean and month count do not.
 */
import type { ComputationDef } from '../../core/access/compute';
import { AccessError } from '../../core/access/errors';
import { toUnits, toYear } from '../../core/access/values';

export const insuredPersonMonthsAnnual: ComputationDef = {
  id: 'renshe.insured_person_months',
  title: '企业年度参保人月数',
  description:
    'Y 年度有记录各月参保人数之和（人月）及有记录的月数，二者之比即精确的月均参保人数；Y 年各月均无记录时为缺失。',
  descriptionEn:
    'Sum of the monthly insured headcounts over the months of year Y that have a row (person-months), and the ' +
    'number of such months: their ratio is the exact mean monthly insured employees. Missing when no month of ' +
    'Y has a row.',
  subjectKind: 'enterprise',
  params: [{ name: 'year', title: '年度', type: 'year' }],
  resource: 'renshe.insured_monthly',
  subjectItem: 'uscc',
  items: ['uscc', 'month', 'insured_count'],
  outputs: [
    { name: 'person_months', title: '参保人月数', type: 'integer', nullable: false },
    { name: 'months_with_rows', title: '有记录的月份数', type: 'integer', nullable: false },
  ],
  noRowsMeans: 'missing',
  run(rows, params) {
    const year = toYear(params.year ?? null);
    const byMonth = new Map<string, bigint>();
    for (const row of rows) {
      const month = row.month;
      if (typeof month !== 'string' || !month.startsWith(`${year}-`)) continue;
      if (row.insured_count === null || row.insured_count === '') continue;
      if (byMonth.has(month)) throw new AccessError('BAD_SOURCE_DATA', `${this.id}: two rows for ${month}`);
      const count = toUnits(row.insured_count ?? null, 0);
      if (count === null) {
        throw new AccessError('BAD_SOURCE_DATA', `${this.id}: insured_count is not readable`, [
          { path: 'insured_count', message: 'unreadable source value' },
        ]);
      }
      byMonth.set(month, count);
    }
    if (byMonth.size === 0) return null;
    let total = 0n;
    for (const count of byMonth.values()) total += count;
    if (total > BigInt(Number.MAX_SAFE_INTEGER)) throw new AccessError('BAD_SOURCE_DATA', `${this.id}: overflow`);
    return { person_months: Number(total), months_with_rows: byMonth.size };
  },
};

/** What the evaluation adds to the published catalogue. */
export const evaluationComputations: readonly ComputationDef[] = [insuredPersonMonthsAnnual];
