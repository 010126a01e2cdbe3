import { describe, expect, it } from 'vitest';
import { executeComputation } from '../../core/access/compute';
import { residentPensionReceiving, residentsByAge } from './services';
import type { Row } from '../../core/access/values';

const household = (id: string, birth: string, status = '正常'): Row => ({ id_number: id, birth_date: birth, status });

describe('gongan.residents_by_age', () => {
  const rows = new Map<string, Row[]>([
    ['A', [household('A', '1946-06-30')]], // 80 on the day
    ['B', [household('B', '1946-07-01')]], // one day short
    ['C', [household('C', '1930-01-01', '注销')]], // deregistered
    ['D', [household('D', '1920-02-29')]], // born on 29 February
  ]);

  it('lists, over the whole register, those with status 正常 aged at least minAge', () => {
    const answer = executeComputation(residentsByAge, rows, { asOf: '2026-06-30', minAge: 80 }, { wholeRoster: true });
    expect(answer.results).toEqual([
      { subject: 'A', values: { birth_date: '1946-06-30', age: 80 } },
      { subject: 'D', values: { birth_date: '1920-02-29', age: 106 } },
    ]);
    expect(answer.missing).toEqual([]);
  });

  it('reports named subjects outside the roster as missing', () => {
    const answer = executeComputation(residentsByAge, rows, { asOf: '2026-06-30', minAge: 80 });
    expect(answer.missing).toEqual(['B', 'C']);
  });

  it('turns someone born on 29 February a year older on 1 March of a common year', () => {
    const feb = new Map([['D', [household('D', '1944-02-29')]]]);
    const at = (asOf: string) =>
      executeComputation(residentsByAge, feb, { asOf, minAge: 82 }, { wholeRoster: true }).results.length;
    expect(at('2026-02-28')).toBe(0);
    expect(at('2026-03-01')).toBe(1);
  });

  it('refuses bad parameters', () => {
    expect(() => executeComputation(residentsByAge, rows, { asOf: '2026-02-30', minAge: 80 })).toThrow(
      expect.objectContaining({ code: 'BAD_PARAMETERS' }),
    );
    expect(() => executeComputation(residentsByAge, rows, { asOf: '2026-06-30', minAge: -1 })).toThrow(
      expect.objectContaining({ code: 'BAD_PARAMETERS' }),
    );
  });
});

describe('renshe.resident_pension_receiving', () => {
  it('is true only for a 城乡居民 pension being paid, and false without any row', () => {
    const rows = new Map<string, Row[]>([
      ['A', [{ id_number: 'A', pension_type: '城乡居民', status: '领取中' }]],
      ['B', [{ id_number: 'B', pension_type: '城乡居民', status: '暂停' }]],
      ['C', [{ id_number: 'C', pension_type: '城镇职工', status: '领取中' }]],
      ['D', []],
    ]);
    const answer = executeComputation(residentPensionReceiving, rows, {});
    expect(answer.results.map((r) => [r.subject, r.values.receiving])).toEqual([
      ['A', true],
      ['B', false],
      ['C', false],
      ['D', false],
    ]);
    expect(answer.missing).toEqual([]);
  });
});
