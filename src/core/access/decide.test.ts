import { describe, expect, it } from 'vitest';
import { type DecisionInput, type NodeAgreement, type RateState, assertAllowed, checkRate, decide } from './decide';
import { AccessError, accessHttpStatus } from './errors';

const agreement: NodeAgreement = {
  id: 'AG-1',
  resourceCode: 'shuiwu.tax_annual',
  consumerCode: 'jingxin',
  providerCode: 'shuiwu',
  status: 'active',
  granted: {
    items: ['uscc', 'year', 'tax_paid'],
    modes: ['compute', 'aggregate'],
    validFrom: '2026-01-01',
    validTo: '2026-12-31',
    rateLimitPerMinute: 3,
  },
};

// 10:00 in China on 2026-11-27.
const now = new Date('2026-11-27T02:00:00Z');
const minute = 60_000;

function input(overrides: Partial<DecisionInput> = {}): DecisionInput {
  return {
    agreement,
    confirmedAt: new Date(now.getTime() - minute),
    stalenessLimitMs: 10 * minute,
    now,
    nodeMember: 'shuiwu',
    caller: 'jingxin',
    resourceCode: 'shuiwu.tax_annual',
    mode: 'compute',
    items: ['uscc', 'year', 'tax_paid'],
    rate: undefined,
    ...overrides,
  };
}

const codeOf = (overrides: Partial<DecisionInput>) => {
  const d = decide(input(overrides));
  return d.allow ? 'allow' : d.code;
};

describe('decide', () => {
  it('allows a request within the agreement and counts it', () => {
    const d = decide(input());
    expect(d).toMatchObject({ allow: true, agreementId: 'AG-1', rate: { current: 1, previous: 0 } });
  });

  it('refuses who-and-what mismatches with distinct codes', () => {
    expect(codeOf({ agreement: null })).toBe('AGREEMENT_UNKNOWN');
    expect(codeOf({ agreement: undefined })).toBe('AGREEMENT_UNKNOWN');
    expect(codeOf({ nodeMember: 'tongji' })).toBe('PROVIDER_MISMATCH');
    expect(codeOf({ caller: 'caizheng' })).toBe('CONSUMER_MISMATCH');
    expect(codeOf({ resourceCode: 'shuiwu.declaration_detail' })).toBe('RESOURCE_MISMATCH');
  });

  it('refuses an agreement that is not active, saying which status it is in', () => {
    for (const status of ['suspended', 'revoked', 'expired', 'pending', 'pending_superior', 'rejected'] as const) {
      const d = decide(input({ agreement: { ...agreement, status } }));
      expect(d).toMatchObject({ allow: false, code: 'AGREEMENT_NOT_ACTIVE', status });
    }
    expect(codeOf({ agreement: { ...agreement, granted: null } })).toBe('AGREEMENT_NOT_ACTIVE');
  });

  it('fails closed when the agreement state has not been confirmed within the limit', () => {
    expect(codeOf({ confirmedAt: new Date(now.getTime() - 10 * minute) })).toBe('allow');
    expect(codeOf({ confirmedAt: new Date(now.getTime() - 10 * minute - 1) })).toBe('AGREEMENT_STALE');
    // A refusal the node already knows of stands, stale or not.
    expect(
      codeOf({ confirmedAt: new Date(now.getTime() - 60 * minute), agreement: { ...agreement, status: 'revoked' } }),
    ).toBe('AGREEMENT_NOT_ACTIVE');
    const staleAt = new Date(now.getTime() - 60 * minute);
    expect(codeOf({ confirmedAt: staleAt, mode: 'record' })).toBe('MODE_NOT_GRANTED');
    expect(codeOf({ confirmedAt: staleAt, items: ['declaration'] })).toBe('ITEM_NOT_ALLOWED');
    expect(codeOf({ confirmedAt: staleAt, now: new Date('2027-03-01T02:00:00Z') })).toBe('AGREEMENT_NOT_ACTIVE');
  });

  it('uses China calendar dates for the validity period', () => {
    const at = (iso: string) => ({ now: new Date(iso), confirmedAt: new Date(iso) });
    // 2025-12-31T23:59:59 in China is still before validFrom; one second later it is 2026-01-01.
    expect(codeOf(at('2025-12-31T15:59:59Z'))).toBe('AGREEMENT_NOT_YET_VALID');
    expect(codeOf(at('2025-12-31T16:00:00Z'))).toBe('allow');
    expect(codeOf(at('2026-12-31T15:59:59Z'))).toBe('allow');
    const after = decide(input(at('2026-12-31T16:00:00Z')));
    expect(after).toMatchObject({ allow: false, code: 'AGREEMENT_NOT_ACTIVE', status: 'expired' });
  });

  it('refuses modes and items the agreement does not grant, naming the items', () => {
    expect(codeOf({ mode: 'record' })).toBe('MODE_NOT_GRANTED');
    expect(decide(input({ items: ['uscc', 'tax_paid', 'declaration', 'declaration'] }))).toMatchObject({
      allow: false,
      code: 'ITEM_NOT_ALLOWED',
      items: ['declaration'],
    });
  });

  it('refuses over the rate and says when to retry', () => {
    let rate: RateState | undefined;
    for (const seconds of [0, 10, 20]) {
      const d = decide(input({ now: new Date(now.getTime() + seconds * 1000), rate }));
      expect(d.allow).toBe(true);
      if (d.allow) rate = d.rate;
    }
    const fourth = decide(input({ now: new Date(now.getTime() + 30_000), rate }));
    // Three admitted in this window and none before: the next chance is the next window, 30 s away.
    expect(fourth).toMatchObject({ allow: false, code: 'RATE_LIMITED', retryAfterMs: 30_000 });
  });

  it('throws AccessError in the asserting form', () => {
    try {
      assertAllowed(input({ caller: 'caizheng' }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AccessError);
      expect((error as AccessError).code).toBe('CONSUMER_MISMATCH');
      expect((error as AccessError).httpStatus).toBe(403);
    }
    expect(assertAllowed(input()).agreementId).toBe('AG-1');
  });

  it('maps codes to the statuses the edge will use', () => {
    expect(accessHttpStatus('RATE_LIMITED')).toBe(429);
    expect(accessHttpStatus('AGREEMENT_STALE')).toBe(503);
    expect(accessHttpStatus('BAD_SUBJECT_KEY')).toBe(400);
    expect(accessHttpStatus('QUERY_TOO_NARROW')).toBe(422);
    expect(accessHttpStatus('BATCH_TOO_LARGE')).toBe(413);
    expect(accessHttpStatus('UNKNOWN_COMPUTATION')).toBe(404);
  });
});

describe('checkRate (sliding window counter)', () => {
  const t0 = Date.parse('2026-11-27T02:00:00Z');

  it('blends the previous window by how much of it still overlaps the last minute', () => {
    let state: RateState | undefined;
    for (const s of [0, 10, 20]) {
      const r = checkRate(state, t0 + s * 1000, 3);
      expect(r.allowed).toBe(true);
      state = r.state;
    }
    // At the start of the next window all 3 previous requests still weigh fully: 3 + 1 > 3.
    // They weigh 3 × (60 − t)/60; room for one more once that is ≤ 2, i.e. t ≥ 20 s.
    const early = checkRate(state, t0 + 60_000, 3);
    expect(early).toMatchObject({ allowed: false, retryAfterMs: 20_000 });
    expect(checkRate(early.state, t0 + 79_999, 3).allowed).toBe(false);
    const later = checkRate(early.state, t0 + 80_000, 3);
    expect(later).toMatchObject({ allowed: true, state: { windowStartMs: t0 + 60_000, current: 1, previous: 3 } });
  });

  it('does not count refused requests', () => {
    const full: RateState = { windowStartMs: t0, current: 3, previous: 0 };
    const refused = checkRate(full, t0 + 30_000, 3);
    expect(refused.allowed).toBe(false);
    expect(refused.state).toEqual(full);
  });

  it('forgets everything after two idle windows', () => {
    const busy: RateState = { windowStartMs: t0, current: 3, previous: 3 };
    expect(checkRate(busy, t0 + 2 * 60_000, 3)).toMatchObject({
      allowed: true,
      state: { windowStartMs: t0 + 2 * 60_000, current: 1, previous: 0 },
    });
  });

  it('weighs a batch by its cost', () => {
    expect(checkRate(undefined, t0, 10, 11).allowed).toBe(false);
    expect(checkRate(undefined, t0, 10, 10)).toMatchObject({ allowed: true, state: { current: 10 } });
  });
});
