import { describe, expect, it } from 'vitest';
import { thrownCode } from '../thrown-code.test-helper';
import type { DataItem } from '../catalog/resource';
import { AccessError } from './errors';
import { buildMaskingPolicy, maskRecord, maskValue, parseMaskRule, recordAnswer } from './masking';

const codeOf = (run: () => unknown) => thrownCode(AccessError, run, undefined);

function item(name: string, type: DataItem['type']): DataItem {
  return { name, title: name, type, description: '', sensitivity: 3, subjectKey: null };
}

const household: DataItem[] = [
  { ...item('id_number', 'string'), subjectKey: 'citizen' },
  item('name', 'string'),
  item('birth_date', 'date'),
  item('address', 'string'),
  item('phone', 'string'),
  item('income', 'decimal'),
  item('status', 'enum'),
];

const mask = (spec: string, value: string | number | null) => maskValue(parseMaskRule(spec), value);

describe('masking rules', () => {
  it('keeps the area code and last four of an ID number', () => {
    expect(mask('id_number', '11010519491231002X')).toBe('110105********002X');
    expect(mask('id_number', '110105491231002')).toBe('110105*****1002');
    expect(mask('id_number', '12345')).toBe('*****');
  });

  it('masks names keeping surname and last character, one star whatever the length', () => {
    expect(mask('name', '张三丰')).toBe('张*丰');
    expect(mask('name', '张三')).toBe('张*');
    expect(mask('name', '欧阳娜娜')).toBe('欧*娜');
    expect(mask('name', '王')).toBe('*');
    // A character outside the Basic Multilingual Plane is one character, not two halves.
    expect(mask('name', '𠀀小明')).toBe('𠀀*明');
    expect(mask('name', '买买提·艾力')).toBe('买*力');
  });

  it('masks phone numbers', () => {
    expect(mask('phone', '13812345678')).toBe('138****5678');
    expect(mask('phone', '0571-87654321')).toBe('****-****4321');
  });

  it('coarsens dates', () => {
    expect(mask('date_to_year', '1949-12-31')).toBe('1949');
    expect(mask('date_to_month', '1949-12-31')).toBe('1949-12');
    expect(mask('date_to_year', '2024-03')).toBe('2024');
    expect(mask('date_to_month', 'not a date')).toBeNull();
  });

  it('truncates decimals towards zero, exactly', () => {
    expect(mask('truncate_decimal:2', 2.999)).toBe('2.99');
    expect(mask('truncate_decimal:0', '1234.99')).toBe('1234');
    expect(mask('truncate_decimal:1', '-3.17')).toBe('-3.1');
    expect(mask('truncate_decimal:2', 5)).toBe('5.00');
    expect(mask('truncate_decimal:2', 'abc')).toBeNull();
  });

  it('buckets numbers into ranges with half-open intervals', () => {
    const spec = 'range:[0,18,60,80]';
    expect(mask(spec, -1)).toBe('<0');
    expect(mask(spec, 0)).toBe('[0,18)');
    expect(mask(spec, 17)).toBe('[0,18)');
    expect(mask(spec, 18)).toBe('[18,60)');
    expect(mask(spec, '59.99')).toBe('[18,60)');
    expect(mask(spec, 80)).toBe('>=80');
  });

  it('keeps a prefix of text and hides how long the rest is', () => {
    expect(mask('keep_prefix:6', '清河市河东区幸福路12号3幢')).toBe('清河市河东区*');
    expect(mask('keep_prefix:6', '清河市')).toBe('清河市');
  });

  it('hides, passes through, and never invents a value for an empty one', () => {
    expect(mask('hide', '张三')).toBeNull();
    expect(mask('none', '正常')).toBe('正常');
    expect(mask('name', null)).toBeNull();
    expect(mask('id_number', '')).toBeNull();
  });

  it('refuses unknown or malformed rule text', () => {
    expect(codeOf(() => parseMaskRule('blur'))).toBe('BAD_MASKING_RULE');
    expect(codeOf(() => parseMaskRule('truncate_decimal'))).toBe('BAD_MASKING_RULE');
    expect(codeOf(() => parseMaskRule('truncate_decimal:x'))).toBe('BAD_MASKING_RULE');
    expect(codeOf(() => parseMaskRule('range:[60,18]'))).toBe('BAD_MASKING_RULE');
    expect(codeOf(() => parseMaskRule('range:oops'))).toBe('BAD_MASKING_RULE');
    expect(codeOf(() => parseMaskRule('name:2'))).toBe('BAD_MASKING_RULE');
  });
});

describe('policies', () => {
  it('refuses a rule that cannot apply to its item, or an item the resource lacks', () => {
    expect(codeOf(() => buildMaskingPolicy(household, { name: 'date_to_year' }))).toBe('BAD_MASKING_RULE');
    expect(codeOf(() => buildMaskingPolicy(household, { birth_date: 'truncate_decimal:1' }))).toBe('BAD_MASKING_RULE');
    expect(codeOf(() => buildMaskingPolicy(household, { salary: 'none' }))).toBe('BAD_MASKING_RULE');
  });

  const policy = buildMaskingPolicy(household, {
    id_number: 'id_number',
    name: 'name',
    birth_date: 'date_to_year',
    status: 'none',
    income: 'range:[0,5000,10000]',
  });
  const row = {
    id_number: '11010519491231002X',
    name: '张三丰',
    birth_date: '1949-12-31',
    address: '清河市河东区幸福路12号',
    phone: '13812345678',
    income: '7200.50',
    status: '正常',
  };

  it('releases only granted items, each masked', () => {
    expect(maskRecord(row, { granted: ['id_number', 'name', 'birth_date', 'status', 'income'], policy })).toEqual({
      id_number: '110105********002X',
      name: '张*丰',
      birth_date: '1949',
      status: '正常',
      income: '[5000,10000)',
    });
  });

  it('hides a granted item that the policy forgot, rather than releasing it raw', () => {
    expect(maskRecord(row, { granted: ['status', 'address'], policy })).toEqual({ status: '正常', address: null });
  });

  it('refuses a request for an item outside the agreement', () => {
    expect(codeOf(() => maskRecord(row, { granted: ['status'], requested: ['status', 'phone'], policy }))).toBe(
      'ITEM_NOT_ALLOWED',
    );
  });

  it('answers a batch in request order, with every row of a subject and not-found for none', () => {
    const rows = new Map([
      ['11010519491231002X', [row, { ...row, status: '注销' }]],
      ['440524188001010014', []],
    ]);
    const answer = recordAnswer(['440524188001010014', '11010519491231002X', '91350100M000100Y43'], rows, {
      granted: ['name', 'status'],
      requested: ['status'],
      policy,
    });
    expect(answer).toEqual([
      { subject: '440524188001010014', found: false },
      { subject: '11010519491231002X', found: true, rows: [{ status: '正常' }, { status: '注销' }] },
      { subject: '91350100M000100Y43', found: false },
    ]);
  });
});
