/**
 * The hub API called in-process (Fastify inject) on the seeded demo city with an injected clock:
 * statuses, problem+json bodies and codes, and the workflow rules of the agreements.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type InProcessTestHub, injectJson } from '../../testing/test-hub';

let t: InProcessTestHub;
const start = '2026-11-27T02:00:00.000Z'; // Friday 10:00 in Qinghe

beforeAll(async () => {
  t = await createTestHub({ now: start });
});
afterAll(async () => {
  await t.close();
});

type Json = Record<string, unknown> & { code?: string };

const call = (
  member: string | null,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) => injectJson(t, member ? t.credentials.tokens[member]! : null, method, url, body, headers);

function expectProblem(result: { status: number; json: Json; type: string }, status: number, code: string) {
  expect(result.status).toBe(status);
  expect(result.type).toContain('application/problem+json');
  expect(result.json.code).toBe(code);
  expect(result.json.status).toBe(status);
  expect(typeof result.json.detail).toBe('string');
}

const application = (resourceCode: string, extra: Record<string, unknown> = {}) => ({
  resourceCode,
  purpose: '测试用途',
  legalBasis: '国发〔2016〕51号',
  items: ['uscc', 'year', 'tax_paid'],
  modes: ['aggregate'],
  validFrom: '2026-11-27',
  validTo: '2027-06-30',
  rateLimitPerMinute: 60,
  ...extra,
});

describe('public endpoints', () => {
  it('answers health, OpenAPI 3.1 and the docs page', async () => {
    expect((await call(null, 'GET', '/healthz')).json).toEqual({ status: 'ok' });
    const spec = await call(null, 'GET', '/openapi.json');
    expect(spec.json.openapi).toBe('3.1.0');
    const paths = Object.keys(spec.json.paths as object);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/agreements',
        '/api/v1/agreements/{id}/reject',
        '/api/v1/catalog/resources',
        '/api/v1/overview',
      ]),
    );
    const docs = await t.hub.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('lets a console page loaded right after a node registered reach that node (its CSP holds all session)', async () => {
    const csp = async () =>
      String(
        (await t.hub.app.inject({ method: 'GET', url: '/healthz', headers: { accept: 'text/html' } })).headers[
          'content-security-policy'
        ],
      );
    await csp();
    const registered = await call('tongji', 'PUT', '/api/v1/members/tongji/node', { url: 'http://127.0.0.1:47999' });
    expect(registered.status).toBe(200);
    expect(await csp()).toMatch(/connect-src[^;]* http:\/\/127\.0\.0\.1:47999/);
  });

  it('refuses calls without a valid token', async () => {
    expectProblem(await call(null, 'GET', '/api/v1/members'), 401, 'UNAUTHENTICATED');
    expectProblem(
      await call(null, 'GET', '/api/v1/members', undefined, { authorization: 'Bearer nope' }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('logs people in with their password only', async () => {
    expectProblem(
      await call(null, 'POST', '/api/v1/auth/login', { username: 'shuiwu', password: 'wrong' }),
      401,
      'INVALID_CREDENTIALS',
    );
    expectProblem(
      await call(null, 'POST', '/api/v1/auth/login', { username: 'ghost', password: 'qinghe-demo-2026' }),
      401,
      'INVALID_CREDENTIALS',
    );
    const login = await call(null, 'POST', '/api/v1/auth/login', { username: 'shuiwu', password: 'qinghe-demo-2026' });
    expect(login.status).toBe(200);
    const me = await t.hub.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${login.json.token}` },
    });
    expect(JSON.parse(me.body)).toMatchObject({ username: 'shuiwu', memberCode: 'shuiwu', memberRole: 'provider' });
    const logout = await t.hub.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { authorization: `Bearer ${login.json.token}` },
    });
    expect(logout.statusCode).toBe(204);
    const after = await t.hub.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${login.json.token}` },
    });
    expect(after.statusCode).toBe(401);
  });
});

describe('the demo city', () => {
  it('has the fifteen members with their roles', async () => {
    const { json } = await call('dashuju', 'GET', '/api/v1/members');
    const roles = Object.fromEntries((json.items as { code: string; role: string }[]).map((m) => [m.code, m.role]));
    expect(roles).toEqual({
      caizheng: 'consumer',
      dashuju: 'operator',
      gongan: 'provider',
      gongdian: 'provider',
      jingxin: 'consumer',
      minzheng: 'provider',
      renshe: 'provider',
      shenji: 'auditor',
      shengtai: 'provider',
      shichang: 'provider',
      shuiwu: 'provider',
      tongji: 'provider',
      yingji: 'provider',
      zhengwu: 'consumer',
      ziranziyuan: 'provider',
    });
  });

  it('searches the catalog by department, type, mode and keyword', async () => {
    const byProvider = await call('jingxin', 'GET', '/api/v1/catalog/resources?provider=shengtai');
    expect((byProvider.json.items as { code: string }[]).map((r) => r.code)).toEqual([
      'shengtai.emission_annual',
      'shengtai.penalty',
    ]);
    const notShared = await call('jingxin', 'GET', '/api/v1/catalog/resources?sharingType=not_shared');
    expect((notShared.json.items as { code: string }[]).map((r) => r.code).sort()).toEqual([
      'gongan.criminal_record',
      'shuiwu.declaration_detail',
    ]);
    const keyword = await call('jingxin', 'GET', `/api/v1/catalog/resources?q=${encodeURIComponent('用电')}`);
    expect((keyword.json.items as { code: string }[]).map((r) => r.code)).toEqual(['gongdian.electricity_annual']);
    const verify = await call('jingxin', 'GET', '/api/v1/catalog/resources?mode=verify&pageSize=100');
    for (const resource of verify.json.items as { accessModes: string[] }[])
      expect(resource.accessModes).toContain('verify');
  });

  it('starts with applications in every state', async () => {
    const { json } = await call('shenji', 'GET', '/api/v1/agreements?pageSize=200');
    const statuses = new Set((json.items as { status: string }[]).map((a) => a.status));
    expect([...statuses].sort()).toEqual([
      'active',
      'expired',
      'pending',
      'pending_superior',
      'rejected',
      'revoked',
      'suspended',
      'withdrawn',
    ]);
  });
});

describe('agreement rules (acceptance 2)', () => {
  it('does not let a consumer apply for a not-shared resource', async () => {
    const result = await call(
      'caizheng',
      'POST',
      '/api/v1/agreements',
      application('shuiwu.declaration_detail', { items: ['uscc'], modes: ['record'] }),
    );
    expectProblem(result, 409, 'RESOURCE_NOT_SHAREABLE');
  });

  it('answers a rejection without a reason with 400 REASON_REQUIRED, and keeps the application pending', async () => {
    const applied = await call('caizheng', 'POST', '/api/v1/agreements', application('shuiwu.tax_annual'));
    expect(applied.status).toBe(201);
    expect(applied.json.status).toBe('pending');
    const id = applied.json.id as string;
    expectProblem(await call('shuiwu', 'POST', `/api/v1/agreements/${id}/reject`, {}), 400, 'REASON_REQUIRED');
    expectProblem(
      await call('shuiwu', 'POST', `/api/v1/agreements/${id}/reject`, { reason: '  ' }),
      400,
      'REASON_REQUIRED',
    );
    expect((await call('caizheng', 'GET', `/api/v1/agreements/${id}`)).json.status).toBe('pending');
    const rejected = await call('shuiwu', 'POST', `/api/v1/agreements/${id}/reject`, { reason: '请改为申请统计结果' });
    expect(rejected.json.status).toBe('rejected');
  });

  it('does not let a provider approve another provider’s resource', async () => {
    const applied = await call('caizheng', 'POST', '/api/v1/agreements', application('shuiwu.tax_annual'));
    const id = applied.json.id as string;
    expectProblem(
      await call('tongji', 'POST', `/api/v1/agreements/${id}/approve`, {}),
      403,
      'NOT_PROVIDER_OF_RESOURCE',
    );
    expectProblem(
      await call('caizheng', 'POST', `/api/v1/agreements/${id}/approve`, {}),
      403,
      'NOT_PROVIDER_OF_RESOURCE',
    );
    // The provider's own approval goes to its leader because 税务 requires a second approval.
    const approved = await call('shuiwu', 'POST', `/api/v1/agreements/${id}/approve`, { rateLimitPerMinute: 30 });
    expect(approved.json.status).toBe('pending_superior');
    expect((approved.json.granted as { rateLimitPerMinute: number }).rateLimitPerMinute).toBe(30);
  });

  it('reports a revoked agreement as revoked', async () => {
    const applied = await call(
      'caizheng',
      'POST',
      '/api/v1/agreements',
      application('tongji.enterprise_annual', { items: ['year', 'value_added'] }),
    );
    const id = applied.json.id as string;
    await call('tongji', 'POST', `/api/v1/agreements/${id}/approve`, {});
    expectProblem(await call('tongji', 'POST', `/api/v1/agreements/${id}/revoke`, {}), 400, 'REASON_REQUIRED');
    const revoked = await call('tongji', 'POST', `/api/v1/agreements/${id}/revoke`, { reason: '用途已完成' });
    expect(revoked.json.status).toBe('revoked');
    expect((await call('caizheng', 'GET', `/api/v1/agreements/${id}`)).json.status).toBe('revoked');
    expectProblem(await call('tongji', 'POST', `/api/v1/agreements/${id}/resume`, {}), 409, 'AGREEMENT_REVOKED');
  });

  it('reports an agreement past its validity as expired, with the expiry in its history', async () => {
    const applied = await call(
      'zhengwu',
      'POST',
      '/api/v1/agreements',
      application('shichang.enterprise', {
        items: ['uscc', 'status'],
        modes: ['verify'],
        predicates: [{ op: 'eq', item: 'status', value: '存续' }],
        validTo: '2026-12-31',
      }),
    );
    expect(applied.json.status).toBe('active');
    const id = applied.json.id as string;
    t.clock.set('2027-01-01T01:00:00.000Z');
    try {
      const read = await call('zhengwu', 'GET', `/api/v1/agreements/${id}`);
      expect(read.json.status).toBe('expired');
      expect((read.json.history as { action: string }[]).map((event) => event.action)).toEqual([
        'apply',
        'auto_approve',
        'expire',
      ]);
      expectProblem(
        await call('shichang', 'POST', `/api/v1/agreements/${id}/suspend`, { reason: 'x' }),
        409,
        'AGREEMENT_EXPIRED',
      );
    } finally {
      t.clock.set(start);
    }
  });

  it('keeps agreements private to their parties and lets no member act for another', async () => {
    const applied = await call(
      'caizheng',
      'POST',
      '/api/v1/agreements',
      application('tongji.enterprise_annual', { items: ['year'] }),
    );
    expectProblem(await call('zhengwu', 'GET', `/api/v1/agreements/${applied.json.id}`), 403, 'NOT_PARTY_TO_AGREEMENT');
    expect((await call('shenji', 'GET', `/api/v1/agreements/${applied.json.id}`)).status).toBe(200);
    expectProblem(await call('zhengwu', 'PATCH', '/api/v1/members/gongan', { name: '冒名' }), 403, 'NOT_OWN_MEMBER');
    expectProblem(
      await call('zhengwu', 'POST', '/api/v1/agreements', {
        ...application('tongji.enterprise_annual'),
        items: ['uscc'],
        modes: ['record'],
      }),
      400,
      'MODE_NOT_ALLOWED',
    );
  });
});

describe('SLA board with an injected clock (acceptance 3)', () => {
  it('flags an application unanswered past 10 working days as overdue, with the days', async () => {
    const applied = await call(
      'jingxin',
      'POST',
      '/api/v1/agreements',
      application('gongdian.electricity_annual', { items: ['uscc', 'kwh'] }),
    );
    const id = applied.json.id as string;
    const overdueIds = async () =>
      (
        (await call('shenji', 'GET', '/api/v1/overview')).json.overdue as {
          agreementId: string;
          workingDaysOverdue: number;
        }[]
      ).filter((row) => row.agreementId === id);
    try {
      // Applied Friday 27 Nov; the 10th working day is Friday 11 Dec.
      t.clock.set('2026-12-11T15:00:00.000Z'); // 23:00 on the last day
      expect(await overdueIds()).toEqual([]);
      t.clock.set('2026-12-14T02:00:00.000Z'); // Monday after
      expect(await overdueIds()).toEqual([expect.objectContaining({ workingDaysOverdue: 1 })]);
      t.clock.set('2026-12-18T02:00:00.000Z');
      expect(await overdueIds()).toEqual([expect.objectContaining({ workingDaysOverdue: 5 })]);
      const board = (await call('shenji', 'GET', '/api/v1/overview')).json;
      const gongdian = (
        board.departments as { code: string; applicationsOverdue: number; maxWorkingDaysOverdue: number }[]
      ).find((row) => row.code === 'gongdian')!;
      expect(gongdian.applicationsOverdue).toBeGreaterThanOrEqual(1);
      expect(gongdian.maxWorkingDaysOverdue).toBeGreaterThanOrEqual(5);
      const view = await call('jingxin', 'GET', `/api/v1/agreements/${id}`);
      expect(view.json.sla).toEqual({ workingDaysAllowed: 10, overdue: true, workingDaysOverdue: 5 });
      // Answering clears it from the board.
      await call('gongdian', 'POST', `/api/v1/agreements/${id}/approve`, {});
      expect(await overdueIds()).toEqual([]);
    } finally {
      t.clock.set(start);
    }
  });

  it('shows the seeded overdue application of 财政局 to 供电公司', async () => {
    const board = (await call('dashuju', 'GET', '/api/v1/overview')).json;
    expect(
      (board.overdue as { consumerCode: string; providerCode: string }[]).some(
        (row) => row.consumerCode === 'caizheng' && row.providerCode === 'gongdian',
      ),
    ).toBe(true);
  });
});

describe('bad input (acceptance 4)', () => {
  it('rejects unknown fields in bodies and queries', async () => {
    expectProblem(
      await call('caizheng', 'POST', '/api/v1/agreements', application('shuiwu.tax_annual', { sneaky: true })),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await call('caizheng', 'GET', '/api/v1/catalog/resources?provider=shuiwu&evil=1'),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await call('shuiwu', 'POST', '/api/v1/agreements/x/reject', { reason: 'r', extra: 1 }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('names the offending field', async () => {
    const result = await call(
      'caizheng',
      'POST',
      '/api/v1/agreements',
      application('shuiwu.tax_annual', { validTo: '2027-02-30', rateLimitPerMinute: -1 }),
    );
    expectProblem(result, 400, 'VALIDATION_FAILED');
    const paths = (result.json.errors as { path: string }[]).map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['body.validTo', 'body.rateLimitPerMinute']));
  });

  it('maps malformed JSON, wrong media types, big bodies and unknown routes to coded problems', async () => {
    expectProblem(await call('caizheng', 'POST', '/api/v1/agreements', '{"resourceCode":'), 400, 'MALFORMED_JSON');
    expectProblem(
      await call('caizheng', 'POST', '/api/v1/agreements', 'a=b', {
        'content-type': 'application/x-www-form-urlencoded',
      }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expectProblem(
      await call('caizheng', 'POST', '/api/v1/agreements', JSON.stringify({ purpose: 'x'.repeat(2_000_000) })),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expectProblem(await call('caizheng', 'GET', '/api/v1/nothing-here'), 404, 'NOT_FOUND');
    expectProblem(await call('caizheng', 'GET', '/api/v1/agreements/GX-NOPE'), 404, 'AGREEMENT_NOT_FOUND');
    expectProblem(await call('caizheng', 'GET', '/api/v1/catalog/resources/none.such'), 404, 'RESOURCE_NOT_FOUND');
  });

  it('never answers 500 to garbage on any route, and loses no stored data', async () => {
    const before = (await call('shenji', 'GET', '/api/v1/agreements?pageSize=200')).json.total;
    const spec = (await call(null, 'GET', '/openapi.json')).json.paths as Record<string, Record<string, unknown>>;
    const garbage: unknown[] = [
      null,
      42,
      'text',
      [],
      { items: 'all' },
      { reason: 7 },
      { resourceCode: ['x'], items: [{}] },
      { page: -1 },
    ];
    const agreementId = 'GX-20261127-AAAAAA';
    for (const [path, operations] of Object.entries(spec)) {
      for (const method of Object.keys(operations)) {
        const url = path.replace('{id}', agreementId).replace('{code}', '%E2%9C%93');
        for (const body of garbage) {
          for (const member of ['caizheng', 'shuiwu', 'dashuju']) {
            const hasBody = method !== 'get';
            const result = await t.hub.app.inject({
              method: method.toUpperCase() as 'GET',
              url: `${url}?page=abc&q=%00`,
              headers: {
                authorization: `Bearer ${t.credentials.tokens[member]}`,
                ...(hasBody ? { 'content-type': 'application/json' } : {}),
              },
              payload: hasBody ? JSON.stringify(body) : undefined,
            });
            expect(result.statusCode, `${method} ${url} ${JSON.stringify(body)}`).toBeLessThan(500);
          }
        }
      }
    }
    expect((await call('shenji', 'GET', '/api/v1/agreements?pageSize=200')).json.total).toBe(before);
  });
});
