import { describe, expect, it } from 'vitest';
import type { Predicate } from './predicate';
import { checkTemplates, hasOrderedParameter, matchesTemplate } from './predicate-template';

const ageAtLeast60: Predicate = { op: 'gte', item: { ageAt: '$asOf', of: 'birth_date' }, value: 60 };
const nameIs: Predicate = { op: 'eq', item: 'name', value: '$name' };
const deceased: Predicate = {
  op: 'and',
  args: [
    { op: 'eq', item: 'status', value: '注销' },
    { op: 'eq', item: 'deregistration_reason', value: '死亡' },
  ],
};

describe('predicate templates', () => {
  it('allow the agreed question with any value in a parameter’s place', () => {
    expect(
      matchesTemplate({ op: 'gte', item: { ageAt: '2026-06-01', of: 'birth_date' }, value: 60 }, ageAtLeast60),
    ).toBe(true);
    expect(matchesTemplate({ op: 'eq', item: 'name', value: '王建国' }, nameIs)).toBe(true);
    expect(matchesTemplate(structuredClone(deceased), deceased)).toBe(true);
  });

  it('refuse another threshold, operator, item, literal or shape', () => {
    const at = { ageAt: '2026-06-01', of: 'birth_date' };
    expect(matchesTemplate({ op: 'gte', item: at, value: 59 }, ageAtLeast60)).toBe(false);
    expect(matchesTemplate({ op: 'lt', item: at, value: 60 }, ageAtLeast60)).toBe(false);
    expect(matchesTemplate({ op: 'gte', item: 'birth_date', value: 60 }, ageAtLeast60)).toBe(false);
    expect(matchesTemplate({ op: 'eq', item: 'address', value: '王建国' }, nameIs)).toBe(false);
    expect(
      matchesTemplate({ op: 'and', args: [{ op: 'eq', item: 'status', value: '正常' }, deceased.args[1]] }, deceased),
    ).toBe(false);
    // An extra conjunct, an extra key, a nested predicate in a value's place: not the agreed question.
    expect(matchesTemplate({ op: 'and', args: [...deceased.args, nameIs] }, deceased)).toBe(false);
    expect(matchesTemplate({ op: 'eq', item: 'name', value: 'x', extra: 1 }, nameIs)).toBe(false);
    expect(matchesTemplate({ op: 'eq', item: 'name', value: { op: 'eq' } }, nameIs)).toBe(false);
    expect(matchesTemplate(null, nameIs)).toBe(false);
  });

  it('tell a threshold or date parameter (a search by halving) from a guess of one value', () => {
    const ordered: Predicate[] = [
      { op: 'gte', item: { ageAt: '$asOf', of: 'birth_date' }, value: 60 },
      { op: 'lte', item: 'issue_date', value: '$asOf-6M' },
      {
        op: 'and',
        args: [
          { op: 'eq', item: 'status', value: '正常' },
          { op: 'gt', item: 'amount', value: '$min' },
        ],
      },
      { op: 'not', arg: { op: 'eq', item: { ageAt: '$asOf', of: 'birth_date' }, value: 60 } },
    ];
    const guesses: Predicate[] = [
      { op: 'eq', item: 'name', value: '$name' },
      { op: 'ne', item: 'status', value: '$status' },
      { op: 'in', item: 'district_code', values: ['$a', '$b'] },
      { op: 'gte', item: { ageAt: '2026-06-30', of: 'birth_date' }, value: 60 },
      { op: 'lt', item: 'amount', value: 100 },
      { op: 'isNull', item: 'expiry_date' },
    ];
    expect(ordered.map(hasOrderedParameter)).toEqual(ordered.map(() => true));
    expect(guesses.map(hasOrderedParameter)).toEqual(guesses.map(() => false));
  });

  it('are checked against the agreement’s items and shape when applied for', () => {
    expect(
      checkTemplates([ageAtLeast60, nameIs, deceased], ['birth_date', 'name', 'status', 'deregistration_reason']),
    ).toEqual([]);
    expect(checkTemplates([nameIs], ['id_number'])).toEqual([{ path: 'predicates.0', message: 'not in items: name' }]);
    expect(checkTemplates([{ op: 'like', item: 'name', value: '%' }], ['name'])[0]?.path).toBe('predicates.0');
    expect(
      checkTemplates(
        Array.from({ length: 33 }, () => nameIs),
        ['name'],
      )[0]?.message,
    ).toMatch(/at most/);
  });
});
