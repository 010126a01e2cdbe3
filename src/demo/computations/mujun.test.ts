import { describe, expect, it } from 'vitest';
import { executeComputation } from '../../core/access/compute';
import type { Row } from '../../core/access/values';
import { servicesComputations } from './services';
import {
  electricityAnnual,
  emissionAnnual,
  enterpriseStatisticsAnnual,
  industrialLand,
  insuredMeanAnnual,
  majorAccidentsAnnual,
  muJunComputations,
  registryFacts,
  severePenaltiesAnnual,
} from './mujun';

const A = '91350100M000100Y43';
const B = '91110108551385082Q';

function bySubject(entries: [string, Row[]][]): Map<string, Row[]> {
  return new Map(entries);
}

describe('the 亩均论英雄 computations', () => {
  it('statistics: one row per year; an empty cell is null, no row is missing', () => {
    const answer = executeComputation(
      enterpriseStatisticsAnnual,
      bySubject([
        [
          A,
          [
            {
              uscc: A,
              year: 2025,
              above_scale: 1,
              value_added: '1234.50',
              main_revenue: 5000,
              rd_expense: null,
              energy_tce: '88.8',
            },
          ],
        ],
        [B, [{ uscc: B, year: 2024, above_scale: 0, value_added: 1, main_revenue: 1, rd_expense: 1, energy_tce: 1 }]],
      ]),
      { year: 2025 },
    );
    expect(answer.results).toEqual([
      {
        subject: A,
        values: {
          above_scale: true,
          value_added: '1234.50',
          main_revenue: '5000.00',
          rd_expense: null,
          energy_tce: '88.80',
        },
      },
    ]);
    expect(answer.missing).toEqual([B]);
  });

  it('insured employees: the mean over the months of Y that have a row, and how many', () => {
    const months = [
      { uscc: A, month: '2024-12', insured_count: 500 },
      { uscc: A, month: '2025-01', insured_count: 10 },
      { uscc: A, month: '2025-02', insured_count: 11 },
      { uscc: A, month: '2025-03', insured_count: 11 },
    ];
    const answer = executeComputation(
      insuredMeanAnnual,
      bySubject([
        [A, months],
        [B, [{ uscc: B, month: '2024-06', insured_count: 3 }]],
      ]),
      { year: 2025 },
    );
    // (10 + 11 + 11) / 3 = 10.666…, rounded half up to 10.67; December 2024 does not count.
    expect(answer.results).toEqual([{ subject: A, values: { insured_mean: '10.67', months_with_rows: 3 } }]);
    expect(answer.missing).toEqual([B]);
  });

  it('land: industrial parcels acquired on or before 31 December of Y, and the earliest date', () => {
    const parcels = [
      { parcel_id: 'P1', uscc: A, area_mu: '10.25', use_type: '工业', acquired_date: '2020-03-01' },
      { parcel_id: 'P2', uscc: A, area_mu: 5.5, use_type: '工业', acquired_date: '2025-12-31' },
      { parcel_id: 'P3', uscc: A, area_mu: '3.00', use_type: '工业', acquired_date: '2026-01-01' },
      { parcel_id: 'P4', uscc: A, area_mu: '100.00', use_type: '仓储', acquired_date: '2019-01-01' },
    ];
    const rows = bySubject([
      [A, parcels],
      [B, [{ parcel_id: 'P9', uscc: B, area_mu: '8.00', use_type: '仓储', acquired_date: '2010-01-01' }]],
    ]);
    expect(executeComputation(industrialLand, rows, { year: 2025 })).toMatchObject({
      results: [{ subject: A, values: { land_mu: '15.75', parcel_count: 2, earliest_acquired: '2020-03-01' } }],
      missing: [B],
    });
    expect(executeComputation(industrialLand, rows, { year: 2019 }).missing).toEqual([A, B]);
  });

  it('electricity and emissions per year', () => {
    const elec = executeComputation(electricityAnnual, bySubject([[A, [{ uscc: A, year: 2025, kwh: 1_250_000 }]]]), {
      year: 2025,
    });
    expect(elec.results).toEqual([{ subject: A, values: { kwh: 1_250_000 } }]);
    const emis = executeComputation(
      emissionAnnual,
      bySubject([
        [A, [{ uscc: A, year: 2025, pollutant_t: '12.3' }]],
        [B, []],
      ]),
      { year: 2025 },
    );
    expect(emis.results).toEqual([{ subject: A, values: { pollutant_t: '12.30' } }]);
    expect(emis.missing).toEqual([B]);
  });

  it('severe penalties and major accidents dated in Y; an empty register entry counts zero', () => {
    const penalties = [
      { uscc: A, decision_date: '2025-01-05', severity: '严重' },
      { uscc: A, decision_date: '2025-12-31', severity: '严重' },
      { uscc: A, decision_date: '2025-06-01', severity: '一般' },
      { uscc: A, decision_date: '2024-12-31', severity: '严重' },
    ];
    expect(
      executeComputation(
        severePenaltiesAnnual,
        bySubject([
          [A, penalties],
          [B, []],
        ]),
        { year: 2025 },
      ).results,
    ).toEqual([
      { subject: A, values: { severe_penalty_count: 2 } },
      { subject: B, values: { severe_penalty_count: 0 } },
    ]);
    const accidents = [
      { uscc: A, accident_date: '2025-03-01', level: '较大' },
      { uscc: A, accident_date: '2025-04-01', level: '重大' },
      { uscc: A, accident_date: '2025-05-01', level: '一般' },
      { uscc: A, accident_date: '2024-05-01', level: '特别重大' },
    ];
    expect(executeComputation(majorAccidentsAnnual, bySubject([[A, accidents]]), { year: 2025 }).results).toEqual([
      { subject: A, values: { major_accident_count: 2 } },
    ]);
  });

  it('registry facts: the declared fields only', () => {
    const row = {
      uscc: A,
      name: '清河精密机械有限公司',
      industry_code: 'C3484',
      district_code: '330102',
      registered_date: '2012-05-18',
      status: '存续',
      legal_person_id: '11010519491231002X',
    };
    expect(
      executeComputation(
        registryFacts,
        bySubject([
          [A, [row]],
          [B, []],
        ]),
        {},
      ),
    ).toEqual({
      computation: 'shichang.registry_facts',
      params: {},
      results: [
        {
          subject: A,
          values: {
            name: '清河精密机械有限公司',
            industry_code: 'C3484',
            district_code: '330102',
            registered_date: '2012-05-18',
            status: '存续',
          },
        },
      ],
      missing: [B],
    });
  });

  it('sums money without floating-point drift', () => {
    // Ten parcels of 0.1 mu: in binary floating point 0.1 added ten times is 0.9999999999999999.
    const parcels = Array.from({ length: 10 }, (_, i) => ({
      parcel_id: `P${i}`,
      uscc: A,
      area_mu: 0.1,
      use_type: '工业',
      acquired_date: '2020-01-01',
    }));
    expect(
      executeComputation(industrialLand, bySubject([[A, parcels]]), { year: 2025 }).results[0]?.values.land_mu,
    ).toBe('1.00');
  });
});

describe('the published computations describe themselves', () => {
  it('in Chinese and in English, the English with no Chinese left in it', () => {
    for (const computation of [...muJunComputations, ...servicesComputations]) {
      expect(computation.description, computation.id).toMatch(/\p{Script=Han}/u);
      expect(computation.descriptionEn, computation.id).toBeTruthy();
      expect(computation.descriptionEn, computation.id).not.toMatch(/\p{Script=Han}|[（），：；]/u);
    }
  });
});
