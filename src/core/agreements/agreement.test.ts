import { describe, expect, it } from 'vitest';
import { thrownCode } from '../thrown-code.test-helper';
import type { Principal } from '../auth/principal';
import type { Resource } from '../catalog/resource';
import { dataItem, enterpriseResource } from '../catalog/resource.test-helper';
import { HutongError } from '../errors';
import {
  type Agreement,
  type ApplicationRequest,
  approve,
  expire,
  isDueToExpire,
  openApplication,
  reject,
  revoke,
  superiorApprove,
  withdraw,
} from './agreement';

const now = new Date('2026-11-27T02:00:00Z');
const due = new Date('2026-12-11T16:00:00Z');

const resource = (overrides: Partial<Resource> = {}): Resource =>
  enterpriseResource({
    code: 'shuiwu.tax_annual',
    name: '企业年度纳税信息',
    items: [
      dataItem('uscc', '统一社会信用代码', 'string', 1, 'enterprise'),
      dataItem('year', '年度', 'year', 1),
      dataItem('tax_paid', '实缴税收', 'decimal', 3),
    ],
    ...overrides,
  });

const consumer: Principal = {
  memberCode: 'jingxin',
  memberRole: 'consumer',
  roles: ['data_officer'],
  username: 'jingxin',
};
const provider: Principal = { memberCode: 'shuiwu', memberRole: 'provider', roles: ['reviewer'], username: 'shuiwu' };
const otherProvider: Principal = {
  memberCode: 'tongji',
  memberRole: 'provider',
  roles: ['reviewer'],
  username: 'tongji',
};
const leader: Principal = {
  memberCode: 'shuiwu',
  memberRole: 'provider',
  roles: ['leader'],
  username: 'shuiwu.leader',
};

const request: ApplicationRequest = {
  purpose: '亩均论英雄',
  legalBasis: '浙政发〔2018〕5号',
  items: ['uscc', 'year', 'tax_paid'],
  modes: ['compute'],
  validFrom: '2026-11-27',
  validTo: '2027-11-26',
  rateLimitPerMinute: 600,
};

const codeOf = (run: () => unknown) => thrownCode(HutongError, run, 'NO_ERROR');

const applied = (r: Resource = resource()): Agreement =>
  openApplication({ id: 'GX-1', resource: r, consumer, request, now, dueAt: due });

describe('applying', () => {
  it('waits for the provider on a conditional resource', () => {
    const agreement = applied();
    expect(agreement.status).toBe('pending');
    expect(agreement.granted).toBeNull();
    expect(agreement.history.map((event) => event.action)).toEqual(['apply']);
  });

  it('grants an unconditional resource at once, recorded as an automatic approval', () => {
    const agreement = applied(resource({ sharingType: 'unconditional', sharingConditions: null }));
    expect(agreement.status).toBe('active');
    expect(agreement.granted).toEqual(agreement.requested);
    expect(agreement.history.map((event) => [event.action, event.actorMember])).toEqual([
      ['apply', 'jingxin'],
      ['auto_approve', 'system'],
    ]);
  });

  it('refuses a not-shared resource', () => {
    expect(codeOf(() => applied(resource({ sharingType: 'not_shared', legalBasis: '税收征管法第八条' })))).toBe(
      'RESOURCE_NOT_SHAREABLE',
    );
  });

  it('refuses items and modes outside the resource, and a period in the past', () => {
    const r = resource();
    const open = (changes: Partial<ApplicationRequest>) =>
      openApplication({ id: 'x', resource: r, consumer, request: { ...request, ...changes }, now, dueAt: due });
    expect(codeOf(() => open({ items: ['uscc', 'secret'] }))).toBe('ITEM_NOT_IN_RESOURCE');
    expect(codeOf(() => open({ modes: ['record'] }))).toBe('MODE_NOT_ALLOWED');
    expect(codeOf(() => open({ validTo: '2026-11-01', validFrom: '2026-10-01' }))).toBe('INVALID_PERIOD');
    expect(codeOf(() => open({ validFrom: '2027-12-01' }))).toBe('INVALID_PERIOD');
  });

  it('needs the questions a verify agreement allows, over its own items only', () => {
    const r = resource({ accessModes: ['verify', 'compute'] });
    const open = (changes: Partial<ApplicationRequest>) =>
      openApplication({ id: 'x', resource: r, consumer, request: { ...request, ...changes }, now, dueAt: due });
    const question = { op: 'gte', item: 'tax_paid', value: '$threshold' } as const;
    expect(codeOf(() => open({ modes: ['verify'] }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => open({ modes: ['verify'], predicates: [] }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => open({ modes: ['compute'], predicates: [question] }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => open({ modes: ['verify'], items: ['uscc'], predicates: [question] }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      open({ modes: ['verify'], items: ['uscc', 'tax_paid'], predicates: [question] }).requested.predicates,
    ).toEqual([question]);
  });

  it('does not let the operator or the auditor apply', () => {
    const auditor: Principal = { memberCode: 'shenji', memberRole: 'auditor', roles: ['admin'], username: 'a' };
    expect(
      codeOf(() => openApplication({ id: 'x', resource: resource(), consumer: auditor, request, now, dueAt: due })),
    ).toBe('NOT_A_CONSUMER');
  });
});

describe('answering', () => {
  it('requires a reason to reject', () => {
    expect(codeOf(() => reject(applied(), provider, '   ', now))).toBe('REASON_REQUIRED');
    expect(codeOf(() => reject(applied(), provider, undefined, now))).toBe('REASON_REQUIRED');
    const rejected = reject(applied(), provider, '统计法第三十九条', now);
    expect(rejected.status).toBe('rejected');
    expect(rejected.history.at(-1)?.reason).toBe('统计法第三十九条');
  });

  it('lets only the provider answer', () => {
    expect(codeOf(() => approve(applied(), resource(), otherProvider, {}, now))).toBe('NOT_PROVIDER_OF_RESOURCE');
    expect(codeOf(() => reject(applied(), otherProvider, '不行', now))).toBe('NOT_PROVIDER_OF_RESOURCE');
  });

  it('approves with narrowing, but never widening', () => {
    const narrowed = approve(
      applied(),
      resource(),
      provider,
      { items: ['uscc', 'tax_paid'], rateLimitPerMinute: 60 },
      now,
    );
    expect(narrowed.status).toBe('active');
    expect(narrowed.granted?.items).toEqual(['uscc', 'tax_paid']);
    expect(narrowed.granted?.rateLimitPerMinute).toBe(60);
    expect(codeOf(() => approve(applied(), resource(), provider, { modes: ['aggregate'] }, now))).toBe(
      'NOT_A_NARROWING',
    );
    expect(codeOf(() => approve(applied(), resource(), provider, { validTo: '2030-01-01' }, now))).toBe(
      'NOT_A_NARROWING',
    );
    expect(codeOf(() => approve(applied(), resource(), provider, { rateLimitPerMinute: 6000 }, now))).toBe(
      'NOT_A_NARROWING',
    );
  });

  it('keeps the questions over the items granted, and will not leave a verify grant without any', () => {
    const r = resource({ accessModes: ['verify', 'compute'] });
    const byTax = { op: 'gte', item: 'tax_paid', value: '$threshold' } as const;
    const byYear = { op: 'eq', item: 'year', value: '$year' } as const;
    const asked = openApplication({
      id: 'GX-9',
      resource: r,
      consumer,
      request: { ...request, modes: ['verify'], predicates: [byTax, byYear] },
      now,
      dueAt: due,
    });
    const narrowed = approve(asked, r, provider, { items: ['uscc', 'year'] }, now);
    expect(narrowed.granted?.predicates).toEqual([byYear]);
    expect(codeOf(() => approve(asked, r, provider, { items: ['uscc'] }, now))).toBe('NOT_A_NARROWING');
  });

  it('needs a second approval by another person when the resource asks for it', () => {
    const r = resource({ requiresSuperiorApproval: true });
    const first = approve(applied(r), r, provider, {}, now);
    expect(first.status).toBe('pending_superior');
    expect(first.answeredAt).toBeNull();
    expect(codeOf(() => superiorApprove(first, provider, undefined, now))).toBe('FORBIDDEN_ROLE');
    const sameperson: Principal = { ...leader, username: 'shuiwu' };
    expect(codeOf(() => superiorApprove(first, sameperson, undefined, now))).toBe('SAME_APPROVER');
    const final = superiorApprove(first, leader, '同意', now);
    expect(final.status).toBe('active');
    expect(final.answeredAt).toBe(now.toISOString());
  });

  it('lets the consumer withdraw only while pending', () => {
    expect(withdraw(applied(), consumer, now).status).toBe('withdrawn');
    const active = approve(applied(), resource(), provider, {}, now);
    expect(codeOf(() => withdraw(active, consumer, now))).toBe('INVALID_TRANSITION');
  });
});

describe('ending', () => {
  it('reports a revoked agreement as revoked', () => {
    const active = approve(applied(), resource(), provider, {}, now);
    const revoked = revoke(active, provider, '用途已完成', now);
    expect(revoked.status).toBe('revoked');
    expect(codeOf(() => revoke(revoked, provider, '再次', now))).toBe('AGREEMENT_REVOKED');
    expect(codeOf(() => approve(revoked, resource(), provider, {}, now))).toBe('AGREEMENT_REVOKED');
  });

  it('expires the day after the last valid day and then refuses actions as expired', () => {
    const active = approve(applied(), resource(), provider, { validTo: '2026-12-31' }, now);
    expect(isDueToExpire(active, new Date('2026-12-31T15:59:00Z'))).toBe(false);
    const later = new Date('2026-12-31T16:00:00Z'); // 2027-01-01 00:00 in China
    expect(isDueToExpire(active, later)).toBe(true);
    const expired = expire(active, later);
    expect(expired.status).toBe('expired');
    expect(expired.history.at(-1)).toMatchObject({ action: 'expire', actorMember: 'system' });
    expect(codeOf(() => revoke(expired, provider, 'x', later))).toBe('AGREEMENT_EXPIRED');
  });
});
