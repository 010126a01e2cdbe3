import { describe, expect, it } from 'vitest';
import { thrownCode } from '../thrown-code.test-helper';
import type { DataItem } from '../catalog/resource';
import { AccessError } from './errors';
import { type Predicate, checkPredicate, evaluatePredicate, itemsReferenced, verifyRows } from './predicate';

function item(name: string, type: DataItem['type'], values?: string[]): DataItem {
  return { name, title: name, type, description: '', sensitivity: 2, subjectKey: null, ...(values ? { values } : {}) };
}

const household: DataItem[] = [
  { ...item('id_number', 'string'), subjectKey: 'citizen' },
  item('name', 'string'),
  item('birth_date', 'date'),
  item('status', 'enum', ['正常', '注销']),
  item('deregistration_reason', 'enum', ['死亡', '迁出', '其他']),
  item('district_code', 'string'),
];
const householdGranted = ['id_number', 'birth_date', 'status', 'deregistration_reason'];

const permits: DataItem[] = [
  { ...item('id_number', 'string'), subjectKey: 'citizen' },
  item('issue_date', 'date'),
  item('expiry_date', 'date'),
];

const mixed: DataItem[] = [
  item('tax_paid', 'decimal'),
  item('year', 'year'),
  item('above_scale', 'boolean'),
  item('insured_count', 'integer'),
  item('month', 'month'),
];
const mixedNames = mixed.map((i) => i.name);

const codeOf = (run: () => unknown) => thrownCode(AccessError, run, undefined);

const elderly: Predicate = {
  op: 'and',
  args: [
    { op: 'eq', item: 'status', value: '正常' },
    { op: 'gte', item: { ageAt: '2026-11-27', of: 'birth_date' }, value: 60 },
  ],
};

describe('checking a predicate', () => {
  const check = (p: unknown) => () => checkPredicate(p, { items: household, allowed: householdGranted });

  it('accepts the elderly-card question over granted items', () => {
    expect(check(elderly)().items).toEqual(['birth_date', 'status']);
  });

  it('refuses an item outside the agreement with ITEM_NOT_ALLOWED, and one outside the resource as bad', () => {
    expect(codeOf(check({ op: 'eq', item: 'name', value: '张三' }))).toBe('ITEM_NOT_ALLOWED');
    expect(codeOf(check({ op: 'eq', item: 'salary', value: 1 }))).toBe('BAD_PREDICATE');
    expect(codeOf(check({ op: 'gte', item: { ageAt: '2026-11-27', of: 'name' }, value: 60 }))).toBe('ITEM_NOT_ALLOWED');
  });

  it('types values against the item', () => {
    expect(codeOf(check({ op: 'eq', item: 'status', value: '死亡' }))).toBe('BAD_PREDICATE');
    expect(codeOf(check({ op: 'lt', item: 'birth_date', value: '1966-02-30' }))).toBe('BAD_PREDICATE');
    expect(codeOf(check({ op: 'lt', item: 'birth_date', value: 19661127 }))).toBe('BAD_PREDICATE');
    expect(codeOf(check({ op: 'gte', item: { ageAt: '2026-11-27', of: 'birth_date' }, value: '60' }))).toBe(
      'BAD_PREDICATE',
    );
    expect(codeOf(check({ op: 'gte', item: { ageAt: '2026-11-27', of: 'birth_date' }, value: -1 }))).toBe(
      'BAD_PREDICATE',
    );
    expect(codeOf(check({ op: 'gte', item: { ageAt: '2026-11-27', of: 'status' }, value: 60 }))).toBe('BAD_PREDICATE');
    expect(codeOf(check({ op: 'gte', item: { ageAt: 'today', of: 'birth_date' }, value: 60 }))).toBe('BAD_PREDICATE');
  });

  it('refuses ordering on enums and strings, which would only help binary-search a raw value', () => {
    expect(codeOf(check({ op: 'lt', item: 'status', value: '正常' }))).toBe('BAD_PREDICATE');
    expect(codeOf(check({ op: 'gt', item: 'id_number', value: '1' }))).toBe('BAD_PREDICATE');
  });

  it('refuses malformed structure', () => {
    expect(codeOf(check(null))).toBe('BAD_PREDICATE');
    expect(codeOf(check({ op: 'xor', args: [] }))).toBe('BAD_PREDICATE');
    expect(codeOf(check({ op: 'and', args: [] }))).toBe('BAD_PREDICATE');
    expect(codeOf(check({ op: 'in', item: 'status', values: [] }))).toBe('BAD_PREDICATE');
    expect(codeOf(check({ op: 'eq', item: 'status', value: '正常', extra: 1 }))).toBe('BAD_PREDICATE');
    expect(codeOf(check({ op: 'not', args: [elderly] }))).toBe('BAD_PREDICATE');
  });

  it('limits depth, even for a tree far deeper than the stack would survive', () => {
    let nine: unknown = { op: 'isNull', item: 'status' };
    for (let i = 0; i < 8; i++) nine = { op: 'not', arg: nine };
    expect(codeOf(check(nine))).toBe('PREDICATE_TOO_DEEP');
    let eight: unknown = { op: 'isNull', item: 'status' };
    for (let i = 0; i < 7; i++) eight = { op: 'not', arg: eight };
    expect(codeOf(check(eight))).toBeUndefined();
    let huge: unknown = { op: 'isNull', item: 'status' };
    for (let i = 0; i < 100_000; i++) huge = { op: 'not', arg: huge };
    expect(codeOf(check(huge))).toBe('PREDICATE_TOO_DEEP');
  });

  it('limits size: nodes and in-list length', () => {
    const leaf = { op: 'isNull', item: 'status' };
    expect(codeOf(check({ op: 'or', args: Array.from({ length: 63 }, () => leaf) }))).toBeUndefined();
    expect(codeOf(check({ op: 'or', args: Array.from({ length: 64 }, () => leaf) }))).toBe('PREDICATE_TOO_LARGE');
    const dates = Array.from({ length: 201 }, () => '1950-01-01');
    expect(codeOf(check({ op: 'in', item: 'birth_date', values: dates }))).toBe('PREDICATE_TOO_LARGE');
  });
});

describe('itemsReferenced', () => {
  it('lists each item once, sorted, counting the birth date behind an ageAt', () => {
    const p: Predicate = {
      op: 'or',
      args: [
        elderly,
        { op: 'not', arg: { op: 'isNull', item: 'deregistration_reason' } },
        { op: 'eq', item: 'status', value: '注销' },
      ],
    };
    expect(itemsReferenced(p)).toEqual(['birth_date', 'deregistration_reason', 'status']);
  });
});

describe('age in full years', () => {
  const at = (date: string, min: number) =>
    checkPredicate(
      { op: 'gte', item: { ageAt: date, of: 'birth_date' }, value: min },
      {
        items: household,
        allowed: householdGranted,
      },
    );

  it('goes up on the birthday itself', () => {
    expect(verifyRows(at('2026-11-27', 60), [{ birth_date: '1966-11-27' }])).toBe(true);
    expect(verifyRows(at('2026-11-27', 60), [{ birth_date: '1966-11-28' }])).toBe(false);
    expect(verifyRows(at('2026-11-26', 60), [{ birth_date: '1966-11-27' }])).toBe(false);
  });

  it('for someone born on 29 February, goes up on 1 March in common years and on 29 February in leap years', () => {
    // 2023 − 1964 = 59 full years once the birthday has passed.
    expect(verifyRows(at('2023-02-28', 59), [{ birth_date: '1964-02-29' }])).toBe(false);
    expect(verifyRows(at('2023-03-01', 59), [{ birth_date: '1964-02-29' }])).toBe(true);
    expect(verifyRows(at('2024-02-28', 60), [{ birth_date: '1964-02-29' }])).toBe(false);
    expect(verifyRows(at('2024-02-29', 60), [{ birth_date: '1964-02-29' }])).toBe(true);
  });

  it('is unknown for a birth date after the as-of date', () => {
    const young = checkPredicate(
      { op: 'lt', item: { ageAt: '2000-01-01', of: 'birth_date' }, value: 200 },
      {
        items: household,
        allowed: householdGranted,
      },
    );
    expect(evaluatePredicate(young, { birth_date: '2001-01-01' })).toBeNull();
  });
});

describe('evaluation', () => {
  const p = (predicate: unknown) => checkPredicate(predicate, { items: household, allowed: householdGranted });

  it('answers the elderly-card question', () => {
    const check = p(elderly);
    expect(verifyRows(check, [{ id_number: 'a', status: '正常', birth_date: '1960-05-01' }])).toBe(true);
    expect(verifyRows(check, [{ id_number: 'a', status: '注销', birth_date: '1960-05-01' }])).toBe(false);
    expect(verifyRows(check, [{ id_number: 'a', status: '正常', birth_date: '1970-05-01' }])).toBe(false);
    expect(verifyRows(check, [])).toBe('not_found');
  });

  it('treats a missing value as unknown: neither eq, ne nor not(eq) match; isNull does', () => {
    const row = { status: '正常', deregistration_reason: null };
    expect(evaluatePredicate(p({ op: 'eq', item: 'deregistration_reason', value: '死亡' }), row)).toBeNull();
    expect(evaluatePredicate(p({ op: 'ne', item: 'deregistration_reason', value: '死亡' }), row)).toBeNull();
    expect(
      evaluatePredicate(p({ op: 'not', arg: { op: 'eq', item: 'deregistration_reason', value: '死亡' } }), row),
    ).toBeNull();
    expect(evaluatePredicate(p({ op: 'isNull', item: 'deregistration_reason' }), row)).toBe(true);
    expect(evaluatePredicate(p({ op: 'isNull', item: 'deregistration_reason' }), {})).toBe(true);
    // Kleene: unknown OR true is true, unknown AND false is false.
    expect(
      evaluatePredicate(
        p({
          op: 'or',
          args: [
            { op: 'ne', item: 'deregistration_reason', value: '死亡' },
            { op: 'isNull', item: 'deregistration_reason' },
          ],
        }),
        row,
      ),
    ).toBe(true);
    expect(
      evaluatePredicate(
        p({
          op: 'and',
          args: [
            { op: 'ne', item: 'deregistration_reason', value: '死亡' },
            { op: 'eq', item: 'status', value: '注销' },
          ],
        }),
        row,
      ),
    ).toBe(false);
    expect(verifyRows(p({ op: 'ne', item: 'deregistration_reason', value: '死亡' }), [row])).toBe(false);
  });

  it('matches in lists', () => {
    const alive = p({ op: 'in', item: 'status', values: ['正常'] });
    expect(verifyRows(alive, [{ status: '正常' }])).toBe(true);
    expect(verifyRows(alive, [{ status: '注销' }])).toBe(false);
  });

  it('with several rows per subject, is true only when one row satisfies the whole predicate', () => {
    // Residence permit rule as of 2026-11-27: valid today and issued on or before 2026-05-27.
    const permitRule = checkPredicate(
      {
        op: 'and',
        args: [
          { op: 'lte', item: 'issue_date', value: '2026-05-27' },
          { op: 'gte', item: 'expiry_date', value: '2026-11-27' },
        ],
      },
      { items: permits, allowed: ['issue_date', 'expiry_date'] },
    );
    const oldExpired = { issue_date: '2024-01-01', expiry_date: '2026-06-30' };
    const newValid = { issue_date: '2026-09-01', expiry_date: '2029-08-31' };
    const oldValid = { issue_date: '2026-05-27', expiry_date: '2026-11-27' };
    // Each condition holds on some row, but no single permit is both old enough and still valid.
    expect(verifyRows(permitRule, [oldExpired, newValid])).toBe(false);
    expect(verifyRows(permitRule, [oldExpired, newValid, oldValid])).toBe(true);
  });

  it('compares decimals exactly whether the store returns numbers or strings', () => {
    const ctx = { items: mixed, allowed: mixedNames };
    const atLeast = checkPredicate({ op: 'gte', item: 'tax_paid', value: '100.10' }, ctx);
    expect(verifyRows(atLeast, [{ tax_paid: 100.1 }])).toBe(true);
    expect(verifyRows(atLeast, [{ tax_paid: '100.10' }])).toBe(true);
    expect(verifyRows(atLeast, [{ tax_paid: '100.09' }])).toBe(false);
    // 0.1 + 0.2 in binary floating point is 0.30000000000000004; the store's value 0.3 equals 0.30 exactly.
    expect(verifyRows(checkPredicate({ op: 'eq', item: 'tax_paid', value: 0.3 }, ctx), [{ tax_paid: '0.30' }])).toBe(
      true,
    );
    expect(
      verifyRows(checkPredicate({ op: 'eq', item: 'tax_paid', value: 0.1 + 0.2 }, ctx), [{ tax_paid: '0.30' }]),
    ).toBe(false);
  });

  it('reads years, booleans, integers and months as stores return them', () => {
    const ctx = { items: mixed, allowed: mixedNames };
    expect(verifyRows(checkPredicate({ op: 'eq', item: 'year', value: 2024 }, ctx), [{ year: 2024 }])).toBe(true);
    expect(verifyRows(checkPredicate({ op: 'eq', item: 'year', value: 2024 }, ctx), [{ year: '2024' }])).toBe(true);
    expect(verifyRows(checkPredicate({ op: 'eq', item: 'above_scale', value: true }, ctx), [{ above_scale: 1 }])).toBe(
      true,
    );
    expect(verifyRows(checkPredicate({ op: 'eq', item: 'above_scale', value: true }, ctx), [{ above_scale: 0 }])).toBe(
      false,
    );
    expect(
      verifyRows(checkPredicate({ op: 'gt', item: 'insured_count', value: 9 }, ctx), [{ insured_count: 10 }]),
    ).toBe(true);
    expect(verifyRows(checkPredicate({ op: 'lt', item: 'month', value: '2024-10' }, ctx), [{ month: '2024-09' }])).toBe(
      true,
    );
    expect(codeOf(() => checkPredicate({ op: 'eq', item: 'month', value: '2024-13' }, ctx))).toBe('BAD_PREDICATE');
    expect(codeOf(() => checkPredicate({ op: 'eq', item: 'insured_count', value: 1.5 }, ctx))).toBe('BAD_PREDICATE');
    expect(codeOf(() => checkPredicate({ op: 'eq', item: 'above_scale', value: 1 }, ctx))).toBe('BAD_PREDICATE');
  });
});
