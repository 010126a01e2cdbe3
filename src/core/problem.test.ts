import { describe, expect, it } from 'vitest';
import { problemDocument } from './problem';

describe('problem documents (RFC 9457)', () => {
  it('names each code by a type URI, keeps the catalogue’s title and status, and the detail when given', () => {
    expect(problemDocument('RATE_LIMITED', { title: '超出调用频率', status: 429 })).toEqual({
      type: 'https://hutong.qinghe.gov.cn/problems/rate-limited',
      title: '超出调用频率',
      status: 429,
      detail: '超出调用频率',
      code: 'RATE_LIMITED',
    });
    const withAll = problemDocument(
      'NOT_FOUND',
      { title: 'not found', status: 404 },
      { detail: 'no entry 7', instance: 'req-1', errors: [{ path: 'id', message: 'unknown' }], namespace: 'ledger-' },
    );
    expect(withAll.type).toBe('https://hutong.qinghe.gov.cn/problems/ledger-not-found');
    expect(withAll).toMatchObject({
      detail: 'no entry 7',
      instance: 'req-1',
      errors: [{ path: 'id', message: 'unknown' }],
    });
    expect('errors' in problemDocument('X_Y', { title: 't', status: 400 }, { errors: [] })).toBe(false);
  });
});
