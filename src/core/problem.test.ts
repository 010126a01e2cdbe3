import { describe, expect, it } from 'vitest';
import { catalogueSections, isLedgerRouteCode } from './error-catalogue';
import { CodedError, errorCatalogue, HutongError } from './errors';
import { decodeProblem, problemDocument, problemOf } from './problem';

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

describe('decoding a refusal', () => {
  it('reads the code, detail and field errors of a problem, and stands in for anything else', () => {
    const body = JSON.stringify({
      code: 'VALIDATION_FAILED',
      title: 't',
      detail: 'bad',
      errors: [{ path: 'a', message: 'm' }, { path: 1 }, 'x'],
    });
    expect(decodeProblem(400, body)).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'bad',
      errors: [{ path: 'a', message: 'm' }],
    });
    expect(decodeProblem(404, '{"title":"没有"}')).toMatchObject({ code: 'HTTP_404', detail: '没有' });
    expect(decodeProblem(502, '<html>bad gateway</html>', 'Bad Gateway')).toEqual({
      status: 502,
      code: 'HTTP_502',
      detail: 'Bad Gateway',
      errors: [],
    });
    expect(decodeProblem(500, { code: 42, detail: ['x'] })).toMatchObject({ code: 'HTTP_500', detail: '' });
    expect(decodeProblem(429, null).code).toBe('HTTP_429');
  });
});

describe('a coded error as a problem', () => {
  it('takes its title and status from the catalogue, its detail and the fields at fault', () => {
    const error = new CodedError('APPLICATION_NOT_FOUND', 'no case 7', [{ path: 'id', message: 'unknown' }]);
    expect(error.httpStatus).toBe(404);
    expect(problemOf(error, 'req-9')).toEqual({
      type: 'https://hutong.qinghe.gov.cn/problems/application-not-found',
      title: '办件不存在 / Application not found',
      status: 404,
      detail: 'no case 7',
      code: 'APPLICATION_NOT_FOUND',
      instance: 'req-9',
      errors: [{ path: 'id', message: 'unknown' }],
    });
    expect(new HutongError('NOT_FOUND').message).toBe(errorCatalogue.NOT_FOUND.title);
  });
});

describe('the one catalogue', () => {
  it('defines every code once, whatever area answers with it', () => {
    const codes = Object.values(catalogueSections).flatMap((section) => Object.keys(section));
    expect(codes.filter((code, i) => codes.indexOf(code) !== i)).toEqual([]);
    expect(Object.keys(errorCatalogue)).toHaveLength(codes.length);
  });

  it('tells the log’s route codes apart from any other name, inherited ones included', () => {
    expect(isLedgerRouteCode('BAD_TILE_PATH')).toBe(true);
    expect(isLedgerRouteCode('NOT_FOUND')).toBe(true);
    expect(isLedgerRouteCode('RATE_LIMITED')).toBe(false);
    expect(isLedgerRouteCode('constructor')).toBe(false);
    expect(isLedgerRouteCode('toString')).toBe(false);
  });
});
