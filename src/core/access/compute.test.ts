import { describe, expect, it } from 'vitest';
import { thrownCode } from '../thrown-code.test-helper';
import {
  annualDecimal,
  type ComputationDef,
  computationItems,
  createComputationRegistry,
  executeComputation,
} from './compute';
import { AccessError } from './errors';
import type { Row } from './values';

const codeOf = (run: () => unknown) => thrownCode(AccessError, run, undefined);

const A = '91350100M000100Y43';
const B = '91110108551385082Q';
const C = '91440300708461136T';

function bySubject(entries: [string, Row[]][]): Map<string, Row[]> {
  return new Map(entries);
}

// Two computations of the shape providers publish (the demo city's own are in src/demo/computations).
const taxPaidAnnual = annualDecimal({
  id: 'shuiwu.tax_paid_annual',
  title: '企业年度实缴税收',
  description: 'Tax paid by the enterprise in year Y.',
  resource: 'shuiwu.tax_annual',
  item: 'tax_paid',
  outputTitle: '实缴税收（万元）',
});
const registryFacts: ComputationDef = {
  id: 'shichang.registry_facts',
  title: '企业登记信息',
  description: 'Name and status from the market registry.',
  subjectKind: 'enterprise',
  params: [],
  resource: 'shichang.enterprise',
  subjectItem: 'uscc',
  items: ['uscc', 'name', 'status'],
  outputs: [
    { name: 'name', title: '企业名称', type: 'string', nullable: false },
    { name: 'status', title: '登记状态', type: 'string', nullable: false },
  ],
  noRowsMeans: 'missing',
  roster: true,
  run: (rows) => (rows[0] ? { name: String(rows[0].name), status: String(rows[0].status) } : null),
};
const published = [taxPaidAnnual, registryFacts];

describe('the registry', () => {
  const registry = createComputationRegistry(published);

  it('finds published computations and refuses unknown ones', () => {
    expect(registry.get('shuiwu.tax_paid_annual')).toBe(taxPaidAnnual);
    expect(codeOf(() => registry.get('shuiwu.declaration_detail'))).toBe('UNKNOWN_COMPUTATION');
  });

  it('lists what consumers may see, without the code', () => {
    const listed = registry.list();
    expect(listed.map((d) => d.id)).toEqual(['shuiwu.tax_paid_annual', 'shichang.registry_facts']);
    expect(listed.every((d) => !('run' in d))).toBe(true);
  });

  it('refuses two computations with one id', () => {
    expect(() => createComputationRegistry([taxPaidAnnual, taxPaidAnnual])).toThrow();
  });

  it('names the items an agreement must grant', () => {
    expect(computationItems(taxPaidAnnual).sort()).toEqual(['tax_paid', 'uscc', 'year']);
  });
});

describe('executeComputation', () => {
  it('returns tax paid in the year, a real zero as zero, and no row as missing', () => {
    const answer = executeComputation(
      taxPaidAnnual,
      bySubject([
        [
          A,
          [
            { uscc: A, year: 2024, tax_paid: '120.50' },
            { uscc: A, year: 2025, tax_paid: 0.1 },
          ],
        ],
        [B, [{ uscc: B, year: '2025', tax_paid: 0 }]],
        [C, [{ uscc: C, year: 2024, tax_paid: '99.99' }]],
      ]),
      { year: 2025 },
    );
    expect(answer).toEqual({
      computation: 'shuiwu.tax_paid_annual',
      params: { year: 2025 },
      results: [
        { subject: A, values: { tax_paid: '0.10' } },
        { subject: B, values: { tax_paid: '0.00' } },
      ],
      missing: [C],
    });
  });

  it('ignores rows the store returned for another subject', () => {
    const answer = executeComputation(taxPaidAnnual, bySubject([[A, [{ uscc: B, year: 2025, tax_paid: '1.00' }]]]), {
      year: 2025,
    });
    expect(answer.results).toEqual([]);
    expect(answer.missing).toEqual([A]);
  });

  it('releases only declared output fields', () => {
    const leaky: ComputationDef = {
      ...taxPaidAnnual,
      id: 'test.leaky',
      run: () => ({ tax_paid: '1.00', declarations: 'secret' }),
    };
    const answer = executeComputation(leaky, bySubject([[A, [{ uscc: A }]]]), { year: 2025 });
    expect(answer.results).toEqual([{ subject: A, values: { tax_paid: '1.00' } }]);
  });

  it('refuses output that does not match its declared type', () => {
    const wrong: ComputationDef = { ...taxPaidAnnual, id: 'test.wrong', run: () => ({ tax_paid: 1.5 }) };
    expect(codeOf(() => executeComputation(wrong, bySubject([[A, [{ uscc: A }]]]), { year: 2025 }))).toBe(
      'BAD_SOURCE_DATA',
    );
  });

  it('refuses unreadable source values instead of treating them as zero', () => {
    const rows = bySubject([[A, [{ uscc: A, year: 2025, tax_paid: 'n/a' }]]]);
    expect(codeOf(() => executeComputation(taxPaidAnnual, rows, { year: 2025 }))).toBe('BAD_SOURCE_DATA');
  });

  it('checks parameters', () => {
    const rows = bySubject([[A, []]]);
    expect(codeOf(() => executeComputation(taxPaidAnnual, rows, {}))).toBe('BAD_PARAMETERS');
    expect(codeOf(() => executeComputation(taxPaidAnnual, rows, { year: 'last' }))).toBe('BAD_PARAMETERS');
    expect(codeOf(() => executeComputation(taxPaidAnnual, rows, { year: 2025, month: 1 }))).toBe('BAD_PARAMETERS');
    expect(codeOf(() => executeComputation(taxPaidAnnual, rows, [2025]))).toBe('BAD_PARAMETERS');
    expect(executeComputation(taxPaidAnnual, rows, { year: '2025' }).params).toEqual({ year: 2025 });
  });

  it('checks date, month and integer parameters', () => {
    const def: ComputationDef = {
      ...registryFacts,
      id: 'test.typed_params',
      params: [
        { name: 'asOf', title: '', type: 'date' },
        { name: 'month', title: '', type: 'month' },
        { name: 'minAge', title: '', type: 'integer' },
      ],
    };
    const rows = bySubject([[A, []]]);
    const good = { asOf: '2026-02-28', month: '2026-02', minAge: 80 };
    expect(executeComputation(def, rows, good).params).toEqual(good);
    for (const bad of [
      { ...good, asOf: '2026-02-30' },
      { ...good, month: '2026-13' },
      { ...good, minAge: -1 },
      { ...good, minAge: 1.5 },
      { ...good, minAge: '80' },
    ]) {
      expect(codeOf(() => executeComputation(def, rows, bad))).toBe('BAD_PARAMETERS');
    }
  });

  it('runs a roster over the whole register: subjects outside it are left out, not missing', () => {
    const row = (uscc: string, status: string) => ({
      uscc,
      name: '清河精密机械有限公司',
      industry_code: '3484',
      district_code: '339102',
      registered_date: '2012-05-18',
      status,
    });
    const onlyActive: ComputationDef = {
      ...registryFacts,
      id: 'test.active_roster',
      run: (rows, params) => (rows[0]?.status === '存续' ? registryFacts.run(rows, params) : null),
    };
    const register = bySubject([
      [A, [row(A, '存续')]],
      [B, [row(B, '注销')]],
      [C, [row(C, '存续')]],
    ]);
    const answer = executeComputation(onlyActive, register, {}, { wholeRoster: true, maxBatch: 1 });
    expect(answer.results.map((result) => result.subject)).toEqual([A, C]);
    expect(answer.missing).toEqual([]);
    // Named subjects keep the usual contract: the one outside the roster is reported missing.
    expect(executeComputation(onlyActive, register, {}).missing).toEqual([B]);
    expect(codeOf(() => executeComputation(taxPaidAnnual, register, { year: 2025 }, { wholeRoster: true }))).toBe(
      'BAD_QUERY',
    );
  });

  it('limits the batch size', () => {
    const rows = bySubject([
      [A, []],
      [B, []],
      [C, []],
    ]);
    expect(codeOf(() => executeComputation(taxPaidAnnual, rows, { year: 2025 }, { maxBatch: 2 }))).toBe(
      'BATCH_TOO_LARGE',
    );
  });
});
