import { describe, expect, it } from 'vitest';
import { localQueryBody, readLocalQuery } from './local-query';

describe('a local query body', () => {
  it('reads back what it was built from', () => {
    const query = {
      agreementId: 'GX-1',
      mode: 'verify' as const,
      officer: '王芳',
      caseId: 'C-7',
      covertUntil: undefined,
      payload: { subject: '11010519491231002X', predicate: { op: 'eq', item: 'name', value: '张三' } },
    };
    const body = localQueryBody(query);
    expect(body).toEqual({
      subject: '11010519491231002X',
      predicate: { op: 'eq', item: 'name', value: '张三' },
      agreementId: 'GX-1',
      mode: 'verify',
      officer: '王芳',
      caseId: 'C-7',
    });
    expect(readLocalQuery(JSON.parse(JSON.stringify(body)))).toEqual(query);
  });

  it('lets no payload field pass itself off as a named one', () => {
    const body = localQueryBody({
      agreementId: 'GX-1',
      mode: 'record',
      payload: { agreementId: 'GX-2', subjects: [] },
    });
    expect(body['agreementId']).toBe('GX-1');
  });

  it('needs an agreement and one of the exchange’s modes', () => {
    for (const input of [
      null,
      [],
      'x',
      {},
      { agreementId: 'GX-1' },
      { agreementId: 'GX-1', mode: 'delete' },
      { mode: 'verify' },
    ]) {
      expect(readLocalQuery(input)).toBeUndefined();
    }
    expect(readLocalQuery({ agreementId: 'GX-1', mode: 'compute', officer: 7 })).toMatchObject({ officer: undefined });
  });
});
