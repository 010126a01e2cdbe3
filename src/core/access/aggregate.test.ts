import { describe, expect, it } from 'vitest';
import { thrownCode } from '../thrown-code.test-helper';
import type { DataItem } from '../catalog/resource';
import {
  type AggregateContext,
  type AggregateQuery,
  aggregate,
  aggregateQueryItems,
  checkAggregateQuery,
} from './aggregate';
import { AccessError } from './errors';
import type { Row } from './values';

const codeOf = (run: () => unknown) => thrownCode(AccessError, run, undefined);

function item(name: string, type: DataItem['type']): DataItem {
  return { name, title: name, type, description: '', sensitivity: 2, subjectKey: null };
}

const items: DataItem[] = [
  { ...item('uscc', 'string'), subjectKey: 'enterprise' },
  item('district', 'string'),
  item('industry', 'string'),
  item('year', 'year'),
  item('tax_paid', 'decimal'),
  item('registered_date', 'date'),
  item('name', 'string'),
];

const context: AggregateContext = {
  items,
  granted: ['uscc', 'district', 'industry', 'year', 'tax_paid', 'registered_date'],
  spec: { subjectItem: 'uscc', dimensions: ['district', 'industry', 'year'] },
};

const firm = (uscc: string, district: string, industry: string, tax: string | number): Row => ({
  uscc,
  district,
  industry,
  year: 2025,
  tax_paid: tax,
  registered_date: '2010-01-01',
  name: `企业${uscc}`,
});

// District A: six C13 firms paying 100.10 each, and one C39 firm — the victim, alone in its atom.
// District B: five C13 firms paying 10, 20, 30, 40, 50; five C26 firms where one pays 900 of 940.
const rows: Row[] = [
  ...['E1', 'E2', 'E3', 'E4', 'E5', 'E6'].map((u) => firm(u, 'A', 'C13', '100.10')),
  firm('V', 'A', 'C39', '5000.00'),
  firm('F1', 'B', 'C13', 10),
  firm('F2', 'B', 'C13', '20.00'),
  firm('F3', 'B', 'C13', 30),
  firm('F4', 'B', 'C13', '40'),
  firm('F5', 'B', 'C13', 50),
  firm('G1', 'B', 'C26', '900.00'),
  ...['G2', 'G3', 'G4', 'G5'].map((u) => firm(u, 'B', 'C26', '10.00')),
];

const run = (query: AggregateQuery) => aggregate(query, rows, context);
const sumTax = { fn: 'sum', item: 'tax_paid' } as const;
const count = { fn: 'count' } as const;

describe('aggregate answers', () => {
  it('counts distinct subjects and sums exactly per cell', () => {
    const result = run({ groupBy: ['district'], measures: [count, sumTax] });
    expect(result.k).toBe(5);
    expect(result.measures).toEqual(['count', 'sum(tax_paid)']);
    // A: 6 × 100.10 = 600.60 (the victim's atom is too thin to count). B: 10+20+30+40+50 = 150.00, and the
    // dominated C26 atom is left out of the sum but its five firms still count.
    expect(result.cells).toEqual([
      { group: ['A'], values: { count: 6, 'sum(tax_paid)': '600.60' }, partial: [] },
      { group: ['B'], values: { count: 10, 'sum(tax_paid)': '150.00' }, partial: ['sum(tax_paid)'] },
    ]);
    expect(result.suppressedCells).toBe(0);
  });

  it('suppresses a cell built only from thin data and reports just how many', () => {
    const result = run({ groupBy: ['industry'], measures: [count] });
    expect(result.cells).toEqual([
      { group: ['C13'], values: { count: 11 }, partial: [] },
      { group: ['C26'], values: { count: 5 }, partial: [] },
    ]);
    expect(result.suppressedCells).toBe(1);
    expect(JSON.stringify(result)).not.toContain('C39');
  });

  it('counts a subject once per cell even with several rows in it', () => {
    const twoYears = [...rows, ...rows.map((r) => ({ ...r, year: '2024' }))];
    const result = aggregate({ groupBy: ['district'], measures: [count] }, twoYears, context);
    expect(result.cells.map((c) => c.values.count)).toEqual([6, 10]);
    const byYear = aggregate({ groupBy: ['year'], measures: [count] }, twoYears, context);
    // 2024 written as text and 2025 as a number still fall in one atom and one cell each.
    expect(byYear.cells).toEqual([
      { group: [2024], values: { count: 16 }, partial: [] },
      { group: [2025], values: { count: 16 }, partial: [] },
    ]);
  });

  it('withholds a sum when every atom in the cell is dominated by one subject', () => {
    const result = run({
      groupBy: ['industry'],
      measures: [sumTax],
      filter: { op: 'eq', item: 'district', value: 'B' },
    });
    expect(result.cells).toEqual([
      { group: ['C13'], values: { 'sum(tax_paid)': '150.00' }, partial: [] },
      { group: ['C26'], values: { 'sum(tax_paid)': null }, partial: ['sum(tax_paid)'] },
    ]);
  });
});

describe('differencing attacks', () => {
  it('two overlapping queries that both pass the size rules do not isolate the lone firm', () => {
    // The attacker knows the victim is the only C39 firm in district A and asks for A with and without it.
    const withVictim = run({
      groupBy: [],
      measures: [count, sumTax],
      filter: { op: 'eq', item: 'district', value: 'A' },
    });
    const withoutVictim = run({
      groupBy: [],
      measures: [count, sumTax],
      filter: {
        op: 'and',
        args: [
          { op: 'eq', item: 'district', value: 'A' },
          { op: 'ne', item: 'industry', value: 'C39' },
        ],
      },
    });
    // Both queries select six firms with ten outside them: a pure query-size rule would answer both, and on
    // raw data the difference would be the victim's 5000.00 and a count of 1.
    expect(withVictim.cells).toEqual([{ group: [], values: { count: 6, 'sum(tax_paid)': '600.60' }, partial: [] }]);
    expect(withoutVictim.cells).toEqual(withVictim.cells);
  });

  it('the total minus the published cells leaves nothing of a suppressed cell', () => {
    const total = run({ groupBy: [], measures: [count] });
    const byIndustry = run({ groupBy: ['industry'], measures: [count] });
    const published = byIndustry.cells.reduce((n, c) => n + (c.values.count as number), 0);
    expect(total.cells[0]?.values.count).toBe(16);
    expect(published).toBe(16);
  });

  it('the complement trick (everyone but the victim) gains nothing either', () => {
    const everyone = run({ groupBy: [], measures: [sumTax] });
    const allButVictim = run({
      groupBy: [],
      measures: [sumTax],
      filter: { op: 'not', arg: { op: 'eq', item: 'industry', value: 'C39' } },
    });
    expect(everyone.cells[0]?.values).toEqual({ 'sum(tax_paid)': '750.60' });
    expect(allButVictim.cells[0]?.values).toEqual(everyone.cells[0]?.values);
  });

  it('a dominated firm cannot be recovered as total minus the other cells', () => {
    const total = run({ groupBy: [], measures: [sumTax] });
    const c13 = run({ groupBy: [], measures: [sumTax], filter: { op: 'eq', item: 'industry', value: 'C13' } });
    // 600.60 + 150.00 in both: G1's 900.00 (and its atom's 940.00) appear in no released sum.
    expect(total.cells[0]?.values['sum(tax_paid)']).toBe('750.60');
    expect(c13.cells[0]?.values['sum(tax_paid)']).toBe('750.60');
    expect(total.cells[0]?.partial).toEqual(['sum(tax_paid)']);
  });

  it('filters on fine items, which could single out a firm, are refused', () => {
    expect(
      codeOf(() =>
        run({ groupBy: [], measures: [sumTax], filter: { op: 'eq', item: 'registered_date', value: '2010-01-01' } }),
      ),
    ).toBe('NOT_A_DIMENSION');
    expect(
      codeOf(() => run({ groupBy: [], measures: [count], filter: { op: 'gt', item: 'tax_paid', value: 4999 } })),
    ).toBe('NOT_A_DIMENSION');
    expect(codeOf(() => run({ groupBy: ['registered_date'], measures: [count] }))).toBe('NOT_A_DIMENSION');
  });
});

describe('query size', () => {
  it('refuses a filter selecting fewer than k subjects, thin or empty alike', () => {
    const victimOnly = {
      op: 'and',
      args: [
        { op: 'eq', item: 'district', value: 'A' },
        { op: 'eq', item: 'industry', value: 'C39' },
      ],
    };
    expect(codeOf(() => run({ groupBy: [], measures: [count], filter: victimOnly }))).toBe('QUERY_TOO_NARROW');
    expect(
      codeOf(() => run({ groupBy: [], measures: [count], filter: { op: 'eq', item: 'district', value: 'Z' } })),
    ).toBe('QUERY_TOO_NARROW');
  });

  it('refuses a filter leaving fewer than k subjects outside it, but not one leaving none', () => {
    // Atoms by year: 2024 holds H1–H10, 2025 only H1–H8; H9 and H10 have no 2025 row.
    const ids = ['H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'H7', 'H8', 'H9', 'H10'];
    const yearly: Row[] = [
      ...ids.map((u) => ({ ...firm(u, 'A', 'C13', 1), year: 2024 })),
      ...ids.slice(0, 8).map((u) => ({ ...firm(u, 'A', 'C13', 1), year: 2025 })),
    ];
    const q = (year: number) => () =>
      aggregate({ groupBy: [], measures: [count], filter: { op: 'eq', item: 'year', value: year } }, yearly, context);
    expect(codeOf(q(2025))).toBe('QUERY_TOO_NARROW');
    expect(q(2024)().cells[0]?.values.count).toBe(10);
  });

  it('honours a provider-declared k', () => {
    const strict = { ...context, spec: { ...context.spec, k: 7 } };
    // With k = 7 every atom (6, 1, 5, 5 firms) is thin, so nothing at all may be said.
    expect(codeOf(() => aggregate({ groupBy: ['district'], measures: [count] }, rows, strict))).toBe(
      'QUERY_TOO_NARROW',
    );
  });
});

describe('query validation', () => {
  it('checks items against the agreement and the resource', () => {
    expect(codeOf(() => run({ groupBy: ['name'], measures: [count] }))).toBe('ITEM_NOT_ALLOWED');
    expect(codeOf(() => run({ groupBy: ['nope'], measures: [count] }))).toBe('BAD_QUERY');
    expect(codeOf(() => run({ groupBy: [], measures: [{ fn: 'sum', item: 'name' }] }))).toBe('ITEM_NOT_ALLOWED');
    expect(codeOf(() => run({ groupBy: [], measures: [{ fn: 'sum', item: 'district' }] }))).toBe('BAD_QUERY');
    expect(codeOf(() => run({ groupBy: [], measures: [] }))).toBe('BAD_QUERY');
    expect(codeOf(() => run({ groupBy: [], measures: [count, count] }))).toBe('BAD_QUERY');
    expect(codeOf(() => run({ groupBy: ['district', 'district'], measures: [count] }))).toBe('BAD_QUERY');
    expect(codeOf(() => aggregate({ groupBy: [], measures: [count], having: 1 }, rows, context))).toBe('BAD_QUERY');
  });

  it('refuses a declaration that makes the subject a dimension', () => {
    const broken = { ...context, spec: { subjectItem: 'uscc', dimensions: ['uscc', 'district'] } };
    expect(codeOf(() => aggregate({ groupBy: [], measures: [count] }, rows, broken))).toBe('BAD_QUERY');
  });

  it('names the items a query reads, for the decision', () => {
    const q = checkAggregateQuery(
      { groupBy: ['year'], measures: [count, sumTax], filter: { op: 'eq', item: 'district', value: 'A' } },
      context,
    );
    expect(aggregateQueryItems(q)).toEqual(['district', 'tax_paid', 'year']);
  });
});

describe('atoms', () => {
  it('never merges decimal dimension values a filter can tell apart', () => {
    const decimalItems: DataItem[] = [
      { ...item('uscc', 'string'), subjectKey: 'enterprise' },
      item('grade', 'decimal'),
    ];
    const ctx: AggregateContext = {
      items: decimalItems,
      granted: ['uscc', 'grade'],
      spec: { subjectItem: 'uscc', dimensions: ['grade'] },
    };
    // Five firms at 1.0000001 and one at 1.0000002: rounding keys to six places would put all six in one
    // atom, and "grade < 1.00000015" would then split it and count five, isolating the sixth by difference.
    const data: Row[] = [
      ...['a', 'b', 'c', 'd', 'e'].map((u) => ({ uscc: u, grade: '1.0000001' })),
      { uscc: 'f', grade: '1.0000002' },
      ...['g', 'h', 'i', 'j', 'k'].map((u) => ({ uscc: u, grade: '2.0' })),
      { uscc: 'l', grade: 2 },
    ];
    expect(aggregate({ groupBy: [], measures: [count] }, data, ctx).cells[0]?.values.count).toBe(11);
    expect(
      aggregate({ groupBy: [], measures: [count], filter: { op: 'lt', item: 'grade', value: '1.00000015' } }, data, ctx)
        .cells[0]?.values.count,
    ).toBe(5);
    // 2.0 and 2 are one value, so one atom of six.
    expect(aggregate({ groupBy: ['grade'], measures: [count] }, data, ctx).cells).toEqual([
      { group: ['1.0000001'], values: { count: 5 }, partial: [] },
      { group: ['2'], values: { count: 6 }, partial: [] },
    ]);
  });
});
