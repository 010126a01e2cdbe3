/**
 * "Who used my data" and the ledger's entry search through the hub's HTTP API, in-process (Fastify inject)
 * on the seeded demo hub with an injected clock. Access events reach the log the way nodes ship them; the
 * identity check is a stand-in for the register (the real one, through the nodes, is in
 * src/hub/service/data-usage.integration.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { covertSubjectInput } from '../../core/access/covert';
import { hmacSubjectHasher } from '../../platform/crypto/subject-hasher';
import type { IdentityCheck, IdentityVerifier } from '../../core/ports/subject-login';
import { SimulatedNode } from '../../testing/simulated-node';
import { createTestHub, type InProcessTestHub, injectJson } from '../../testing/test-hub';

let t: InProcessTestHub;
let hash: (key: string) => string;
const start = '2026-11-27T02:00:00.000Z'; // Friday 10:00 in Qinghe

// Two residents and an enterprise the stand-in register knows.
const alice = { idNumber: '11010519491231002X', name: '欧阳明月' };
const bob = { idNumber: '440524188001010014', name: '司马青山' };
// Its legal representative is Alice: a firm's name and code are public, her ID number is not.
const firm = {
  uscc: '91350100M000100Y43',
  name: '清河明月机械有限公司',
  legalRepName: alice.name,
  legalRepIdNumber: alice.idNumber,
};
const representatives = new Map([
  [
    firm.uscc,
    { legal_rep_name: firm.legalRepName, legal_rep_id_number: firm.legalRepIdNumber } as Record<string, string>,
  ],
]);
const register = new Map([
  [alice.idNumber, alice.name],
  [bob.idNumber, bob.name],
  [firm.uscc, firm.name],
]);
const checks: IdentityCheck[] = [];
const standInRegister: IdentityVerifier = {
  async verify(check) {
    checks.push(check);
    const known = register.get(check.key);
    if (known === undefined) return 'not_found';
    const row = representatives.get(check.key) ?? {};
    const alsoEqual = (check.also ?? []).every((pair) => row[pair.item] === pair.value);
    return known === check.name && alsoEqual ? 'match' : 'mismatch';
  },
};

type Json = Record<string, unknown> & { code?: string };

const call = (token: string | null, method: string, url: string, body?: unknown) =>
  injectJson(t, token, method, url, body);

const member = (code: string) => t.credentials.tokens[code]!;

function expectProblem(result: { status: number; json: Json }, status: number, code: string) {
  expect(result.status, JSON.stringify(result.json)).toBe(status);
  expect(result.json.code).toBe(code);
}

const nodes = new Map<string, SimulatedNode>();
/** Readable names for the request IDs (UUIDs, as nodes choose them) the tests look entries up by. */
const requestIds = new Map<string, string>();
const rid = (name: string) => {
  if (!requestIds.has(name)) requestIds.set(name, crypto.randomUUID());
  return requestIds.get(name)!;
};

/** The demo agreement under which `consumer` uses `resource` (its purpose is what a person reads). */
async function agreementOf(
  consumer: string,
  resource: string,
  purposePrefix = '',
): Promise<{ id: string; purpose: string }> {
  const found = (await t.hub.store.allAgreements()).find(
    (a) => a.consumerCode === consumer && a.resourceCode === resource && a.purpose.startsWith(purposePrefix),
  );
  if (!found) throw new Error(`no demo agreement ${consumer} → ${resource}`);
  return { id: found.id, purpose: found.purpose };
}

/** Ships access decisions as the provider's node would: chained, sealed, signed with its own key. */
async function ship(
  provider: string,
  events: {
    consumer: string;
    resource: string;
    subjects: string[];
    at: string;
    agreementId?: string | null;
    requestId?: string;
    covertUntil?: string;
    /** Hash the subjects as a node does for a covert request it accepted (core/access/covert.ts). */
    blind?: boolean;
    decision?: 'served' | 'denied';
  }[],
) {
  let node = nodes.get(provider);
  if (!node) {
    node = new SimulatedNode('http://hub.invalid', provider, member(provider), () => t.clock.now());
    await node.register(async (url, headers, body) => {
      const response = await t.hub.app.inject({ method: 'POST', url, headers, payload: body });
      return { status: response.statusCode, body: response.body };
    });
    nodes.set(provider, node);
  }
  const records = events.flatMap((e) =>
    node.nextRecords(1, {
      at: e.at,
      decision: e.decision ?? 'served',
      code: e.decision === 'denied' ? 'PURPOSE_MISMATCH' : null,
      consumerCode: e.consumer,
      resourceCode: e.resource,
      agreementId: e.agreementId ?? null,
      items: ['id_number', 'name'],
      requestId: rid(e.requestId ?? crypto.randomUUID()),
      subjects: e.subjects.map((key) =>
        e.blind && e.covertUntil ? hash(covertSubjectInput(key, e.covertUntil)) : hash(key),
      ),
      ...(e.covertUntil ? { covertUntil: e.covertUntil } : {}),
    }),
  );
  const request = node.signedRequest(node.shipment(records), t.clock.now());
  const response = await t.hub.app.inject({ method: 'POST', ...request });
  expect(response.statusCode, response.body).toBe(200);
}

async function loginResident(who: { idNumber: string; name: string }): Promise<string> {
  const result = await call(null, 'POST', '/api/v1/auth/resident', who);
  expect(result.status, JSON.stringify(result.json)).toBe(200);
  return result.json.token as string;
}

let card: { id: string; purpose: string };
let investigation: { id: string; purpose: string };

beforeAll(async () => {
  t = await createTestHub({ now: start });
  hash = hmacSubjectHasher(readFileSync(join(t.dataDir, 'city-secret'), 'utf8').trim()).hash;
  card = await agreementOf('zhengwu', 'gongan.household', '一网通办');
  investigation = await agreementOf('gongan', 'renshe.pension');
  const firmAgreement = await agreementOf('jingxin', 'shichang.enterprise');
  await ship('gongan', [
    {
      consumer: 'zhengwu',
      resource: 'gongan.household',
      agreementId: card.id,
      subjects: [alice.idNumber],
      at: '2026-11-20T02:00:00.000Z',
    },
    {
      consumer: 'zhengwu',
      resource: 'gongan.household',
      agreementId: card.id,
      subjects: [bob.idNumber],
      at: '2026-11-21T02:00:00.000Z',
    },
    {
      consumer: 'zhengwu',
      resource: 'gongan.household',
      agreementId: card.id,
      subjects: [alice.idNumber, bob.idNumber],
      at: '2026-11-22T02:00:00.000Z',
      requestId: 'req-both',
    },
    {
      consumer: 'zhengwu',
      resource: 'gongan.household',
      subjects: [],
      at: '2026-11-22T03:00:00.000Z',
      decision: 'denied',
    },
  ]);
  await ship('renshe', [
    {
      consumer: 'gongan',
      resource: 'renshe.pension',
      agreementId: investigation.id,
      subjects: [alice.idNumber],
      at: '2026-11-23T02:00:00.000Z',
      covertUntil: '2027-03-01',
      blind: true,
      requestId: 'req-covert',
    },
    // A covert flag from a consumer that is not allow-listed is not honoured.
    {
      consumer: 'jingxin',
      resource: 'renshe.pension',
      subjects: [alice.idNumber],
      at: '2026-11-24T02:00:00.000Z',
      covertUntil: '2027-03-01',
      requestId: 'req-not-allowed',
    },
  ]);
  await ship('shichang', [
    {
      consumer: 'jingxin',
      resource: 'shichang.enterprise',
      agreementId: firmAgreement.id,
      subjects: [firm.uscc],
      at: '2026-11-25T02:00:00.000Z',
      requestId: 'req-firm',
    },
  ]);
});

afterAll(async () => {
  await t.close();
});

describe('resident and enterprise login', () => {
  it('needs the identity check to be wired', async () => {
    expectProblem(await call(null, 'POST', '/api/v1/auth/resident', alice), 503, 'IDENTITY_SERVICE_UNAVAILABLE');
    t.hub.dataUsage.setIdentityVerifier(standInRegister);
  });

  it('refuses a malformed ID number or credit code before asking anyone', async () => {
    const asked = checks.length;
    const bad = await call(null, 'POST', '/api/v1/auth/resident', { idNumber: '110105194912310021', name: 'x' });
    expectProblem(bad, 400, 'INVALID_ID_NUMBER');
    expect(bad.json.errors).toEqual([{ path: 'idNumber', message: 'BAD_CHECKSUM' }]);
    expectProblem(
      await call(null, 'POST', '/api/v1/auth/enterprise', { uscc: 'ABC', name: 'x' }),
      400,
      'INVALID_CREDIT_CODE',
    );
    expectProblem(
      await call(null, 'POST', '/api/v1/auth/resident', { idNumber: alice.idNumber }),
      400,
      'VALIDATION_FAILED',
    );
    expect(checks.length).toBe(asked);
  });

  it('answers a wrong name and an unknown person alike', async () => {
    expectProblem(
      await call(null, 'POST', '/api/v1/auth/resident', { ...alice, name: '欧阳明' }),
      401,
      'IDENTITY_NOT_VERIFIED',
    );
    const unknown = { idNumber: '110105194912310046', name: '无此人' };
    expectProblem(await call(null, 'POST', '/api/v1/auth/resident', unknown), 401, 'IDENTITY_NOT_VERIFIED');
  });

  it('asks the register with the normalised key under the identity agreement, and masks the name', async () => {
    const result = await call(null, 'POST', '/api/v1/auth/resident', {
      idNumber: ` ${alice.idNumber.toLowerCase()} `,
      name: alice.name,
    });
    expect(result.status).toBe(200);
    expect(result.json.subject).toEqual({ kind: 'citizen', displayName: '欧***' });
    const check = checks.at(-1)!;
    expect(check).toMatchObject({ kind: 'citizen', key: alice.idNumber, name: alice.name, nameItem: 'name' });
    const agreement = await call(member('zhengwu'), 'GET', `/api/v1/agreements/${check.agreementId}`);
    expect(agreement.json).toMatchObject({ resourceCode: 'gongan.household', status: 'active' });
    expect(agreement.json.purpose).toContain('统一身份认证');
    const me = await call(result.json.token as string, 'GET', '/api/v1/me');
    expect(me.json).toMatchObject({ kind: 'citizen', displayName: '欧***' });
  });

  it('logs an enterprise in only with its legal representative’s name and ID number, checked in the register', async () => {
    const asked = checks.length;
    // Name and credit code are public (企业信用信息公示): they alone open nothing, and nobody is asked.
    const publicOnly = await call(null, 'POST', '/api/v1/auth/enterprise', { uscc: firm.uscc, name: firm.name });
    expectProblem(publicOnly, 400, 'VALIDATION_FAILED');
    expectProblem(
      await call(null, 'POST', '/api/v1/auth/enterprise', { ...firm, legalRepIdNumber: '110105194912310021' }),
      400,
      'INVALID_ID_NUMBER',
    );
    expect(checks.length).toBe(asked);
    // Another person's valid ID as the representative's: the register says no, like any wrong name.
    expectProblem(
      await call(null, 'POST', '/api/v1/auth/enterprise', { ...firm, legalRepIdNumber: bob.idNumber }),
      401,
      'IDENTITY_NOT_VERIFIED',
    );
    expect(checks.at(-1)?.also).toEqual([
      { item: 'legal_rep_name', value: alice.name },
      { item: 'legal_rep_id_number', value: bob.idNumber },
    ]);
    const result = await call(null, 'POST', '/api/v1/auth/enterprise', firm);
    expect(result.status).toBe(200);
    expect(result.json.subject).toEqual({ kind: 'enterprise', displayName: firm.name });
    expect(checks.at(-1)).toMatchObject({ kind: 'enterprise', key: firm.uscc });
    const agreement = await call(member('zhengwu'), 'GET', `/api/v1/agreements/${checks.at(-1)!.agreementId}`);
    expect(agreement.json.granted).toMatchObject({ items: expect.arrayContaining(['legal_rep_id_number']) });
    const usage = await call(result.json.token as string, 'GET', '/api/v1/me/data-usage');
    expect((usage.json.items as Json[]).map((r) => r.receiverCode)).toEqual(['jingxin']);
  });

  it('throttles repeated failures for one person', async () => {
    const target = { idNumber: '110105194912310046', name: '甲' };
    for (let i = 0; i < 4; i++) {
      expectProblem(await call(null, 'POST', '/api/v1/auth/resident', target), 401, 'IDENTITY_NOT_VERIFIED');
    }
    // The unknown-person test above counted once already: the sixth attempt is refused without asking.
    const asked = checks.length;
    expectProblem(await call(null, 'POST', '/api/v1/auth/resident', target), 429, 'LOGIN_THROTTLED');
    expect(checks.length).toBe(asked);
  });

  it('passes the register node’s daily question budget on as a login throttle', async () => {
    t.hub.dataUsage.setIdentityVerifier({
      async verify() {
        throw Object.assign(new Error('at most 20 distinct questions a day'), { code: 'VERIFY_BUDGET_EXHAUSTED' });
      },
    });
    try {
      const response = await t.hub.app.inject({
        method: 'POST',
        url: '/api/v1/auth/resident',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(bob),
      });
      expect(response.statusCode).toBe(429);
      expect(response.json().code).toBe('LOGIN_THROTTLED');
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(response.body).not.toContain('distinct questions');
    } finally {
      t.hub.dataUsage.setIdentityVerifier(standInRegister);
    }
  });
});

describe('my data usage', () => {
  it('shows a resident the accesses to their own records only, newest first, with the Data Tracker fields', async () => {
    const token = await loginResident(alice);
    const usage = await call(token, 'GET', '/api/v1/me/data-usage');
    expect(usage.status).toBe(200);
    const items = usage.json.items as Json[];
    // The covert one (公安, until 2027-03-01) is withheld; jingxin's flag is not honoured.
    expect(items.map((r) => r.logtime)).toEqual([
      '2026-11-24T02:00:00.000Z',
      '2026-11-22T02:00:00.000Z',
      '2026-11-20T02:00:00.000Z',
    ]);
    expect(usage.json.total).toBe(3);
    expect(items[1]).toMatchObject({
      action: card.purpose,
      receiverCode: 'zhengwu',
      receiverName: '清河市政务服务管理办公室',
      providerCode: 'gongan',
      providerName: '清河市公安局',
      resourceCode: 'gongan.household',
      resourceName: expect.any(String),
      mode: 'verify',
      items: [
        { name: 'id_number', title: expect.any(String) },
        { name: 'name', title: expect.any(String) },
      ],
    });
    // Each record names its log entry, whose inclusion proof is public.
    const entry = await t.hub.app.inject({ method: 'GET', url: `/ledger/entries/${items[1]!.index}` });
    if (entry.statusCode === 200) expect(JSON.parse(entry.body).data).toContain(rid('req-both'));
    await t.hub.log.publishCheckpoint(t.clock.now());
    const proven = await t.hub.app.inject({ method: 'GET', url: `/ledger/entries/${items[1]!.index}` });
    expect(proven.statusCode).toBe(200);
    expect(JSON.parse(proven.body).data).toContain(rid('req-both'));

    const bobs = await call(await loginResident(bob), 'GET', '/api/v1/me/data-usage');
    expect((bobs.json.items as Json[]).map((r) => r.logtime)).toEqual([
      '2026-11-22T02:00:00.000Z',
      '2026-11-21T02:00:00.000Z',
    ]);
  });

  it('filters by period (China days, both ends inclusive) and pages', async () => {
    const token = await loginResident(alice);
    const period = await call(token, 'GET', '/api/v1/me/data-usage?from=2026-11-21&to=2026-11-22');
    expect((period.json.items as Json[]).map((r) => r.logtime)).toEqual(['2026-11-22T02:00:00.000Z']);
    const second = await call(token, 'GET', '/api/v1/me/data-usage?page=2&pageSize=2');
    expect(second.json).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect((second.json.items as Json[]).map((r) => r.logtime)).toEqual(['2026-11-20T02:00:00.000Z']);
    expectProblem(
      await call(token, 'GET', '/api/v1/me/data-usage?from=2026-11-30&to=2026-11-01'),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await call(token, 'GET', '/api/v1/me/data-usage?from=yesterday'), 400, 'VALIDATION_FAILED');
    expectProblem(await call(token, 'GET', '/api/v1/me/data-usage?subject=x'), 400, 'VALIDATION_FAILED');
  });

  it('keeps residents and departments apart', async () => {
    const token = await loginResident(alice);
    for (const [method, url] of [
      ['GET', '/api/v1/ledger/entries'],
      ['GET', '/api/v1/ledger/withheld'],
      ['GET', '/api/v1/agreements'],
      ['GET', '/api/v1/overview'],
      ['GET', '/api/v1/members'],
      ['GET', '/api/v1/auth/me'],
      ['GET', '/api/v1/ledger/access-events/cursor'],
    ] as const) {
      expectProblem(await call(token, method, url), 401, 'UNAUTHENTICATED');
    }
    expectProblem(await call(member('zhengwu'), 'GET', '/api/v1/me/data-usage'), 403, 'SUBJECT_ONLY');
    expectProblem(await call(null, 'GET', '/api/v1/me/data-usage'), 401, 'UNAUTHENTICATED');
    expectProblem(await call('not-a-token', 'GET', '/api/v1/me/data-usage'), 401, 'UNAUTHENTICATED');
  });

  it('ends a session at logout and at expiry', async () => {
    const token = await loginResident(alice);
    expect((await call(token, 'POST', '/api/v1/me/logout')).status).toBe(204);
    expectProblem(await call(token, 'GET', '/api/v1/me/data-usage'), 401, 'UNAUTHENTICATED');
    const later = await loginResident(alice);
    t.clock.advanceMs(61 * 60_000);
    try {
      expectProblem(await call(later, 'GET', '/api/v1/me'), 401, 'UNAUTHENTICATED');
    } finally {
      t.clock.advanceMs(-61 * 60_000);
    }
  });
});

describe('covert accesses', () => {
  it('are withheld from the subject until the disclosure date, then shown', async () => {
    const token = await loginResident(alice);
    const before = await call(token, 'GET', '/api/v1/me/data-usage');
    expect((before.json.items as Json[]).some((r) => r.receiverCode === 'gongan')).toBe(false);
    t.clock.set('2027-02-28T15:59:00.000Z'); // 23:59 on the last day before disclosure, China time
    try {
      const fresh = await loginResident(alice);
      const still = await call(fresh, 'GET', '/api/v1/me/data-usage');
      expect((still.json.items as Json[]).some((r) => r.receiverCode === 'gongan')).toBe(false);
      t.clock.set('2027-02-28T16:00:00.000Z'); // 2027-03-01 00:00 in Qinghe
      // Shown from the first login on the disclosure date (only then can the hub hash the key for it).
      const disclosed = await call(await loginResident(alice), 'GET', '/api/v1/me/data-usage');
      const items = disclosed.json.items as Json[];
      expect(items.map((r) => r.receiverCode)).toEqual(['jingxin', 'gongan', 'zhengwu', 'zhengwu']);
      expect(items[1]).toMatchObject({ action: investigation.purpose, providerCode: 'renshe' });
    } finally {
      t.clock.set(start);
    }
  });

  it('are counted, with their disclosure dates, for the auditor — and for no one else', async () => {
    const withheld = await call(member('shenji'), 'GET', '/api/v1/ledger/withheld');
    expect(withheld.status).toBe(200);
    expect(withheld.json).toMatchObject({
      asOf: '2026-11-27',
      allowListed: ['gongan'],
      total: 1,
      byConsumer: [{ consumer: 'gongan', consumerName: '清河市公安局', count: 1, until: '2027-03-01' }],
    });
    expect((withheld.json.items as Json[])[0]).toMatchObject({
      consumer: 'gongan',
      provider: 'renshe',
      requestId: rid('req-covert'),
      covertUntil: '2027-03-01',
      subjects: 1,
    });
    expectProblem(await call(member('gongan'), 'GET', '/api/v1/ledger/withheld'), 403, 'FORBIDDEN_ROLE');
    // The public log does not link the covert access to the person: it carries another hash.
    await t.hub.log.publishCheckpoint(t.clock.now());
    const index = (withheld.json.items as Json[])[0]!.index as number;
    const entry = await t.hub.app.inject({ method: 'GET', url: `/ledger/entries/${index}` });
    expect(entry.statusCode).toBe(200);
    expect(entry.body).not.toContain(hash(alice.idNumber));
    expect(entry.body).toContain(hash(covertSubjectInput(alice.idNumber, '2027-03-01')));
    t.clock.set('2027-03-01T02:00:00.000Z');
    try {
      expect((await call(member('shenji'), 'GET', '/api/v1/ledger/withheld')).json.total).toBe(0);
    } finally {
      t.clock.set(start);
    }
  });
});

describe('the ledger’s entry search', () => {
  it('finds an exchange by its request id (the contract other applications rely on)', async () => {
    const result = await call(member('jingxin'), 'GET', `/api/v1/ledger/entries?requestId=${rid('req-firm')}`);
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ total: 1, page: 1, pageSize: 20 });
    const [item] = result.json.items as Json[];
    expect(item).toMatchObject({
      kind: 'access',
      consumer: 'jingxin',
      provider: 'shichang',
      resource: 'shichang.enterprise',
      requestId: rid('req-firm'),
      // The node's time of decision; the entry's log time is the log's own, when it was sequenced.
      eventTime: '2026-11-25T02:00:00.000Z',
      decision: 'served',
      subjects: 1,
    });
    expect(String(item!.logtime) >= start).toBe(true);
    expect(typeof item!.index).toBe('number');
    expect(typeof item!.purpose).toBe('string');
  });

  it('shows a department only the entries it is party to; the auditor sees all', async () => {
    const byRequest = (token: string) => call(token, 'GET', `/api/v1/ledger/entries?requestId=${rid('req-both')}`);
    expect((await byRequest(member('zhengwu'))).json.total).toBe(1);
    expect((await byRequest(member('gongan'))).json.total).toBe(1);
    expect((await byRequest(member('jingxin'))).json.total).toBe(0);
    expect((await byRequest(member('shenji'))).json.total).toBe(1);
    const mine = await call(member('shichang'), 'GET', '/api/v1/ledger/entries?pageSize=200');
    for (const item of mine.json.items as Json[]) {
      expect([item.consumer, item.provider]).toContain('shichang');
    }
    // Other departments' filters do not widen the scope; `member` narrows it to entries both are party to.
    expect((await call(member('jingxin'), 'GET', '/api/v1/ledger/entries?provider=gongan')).json.total).toBe(0);
    expect((await call(member('jingxin'), 'GET', '/api/v1/ledger/entries?member=gongan')).json.total).toBe(0);
    const shared = await call(member('jingxin'), 'GET', '/api/v1/ledger/entries?member=shichang&kind=access');
    expect((shared.json.items as Json[]).map((e) => e.requestId)).toEqual([rid('req-firm')]);
    // The explorer's view: newest index first, within a checkpoint's size.
    const byIndex = await call(member('shenji'), 'GET', '/api/v1/ledger/entries?order=index&before=10&pageSize=3');
    expect((byIndex.json.items as Json[]).map((e) => e.index)).toEqual([9, 8, 7]);
    expect(byIndex.json.total).toBe(10);
  });

  it('filters by kind, decision, parties and period', async () => {
    const auditor = member('shenji');
    const q = async (query: string) => (await call(auditor, 'GET', `/api/v1/ledger/entries?${query}`)).json;
    expect((await q('kind=access&decision=denied')).total).toBe(1);
    expect((await q('kind=access&provider=renshe')).total).toBe(2);
    // The period is the log's own time: every access above was logged on 2026-11-27 (Qinghe), whenever the
    // node decided it.
    expect((await q('kind=access&from=2026-11-27&to=2026-11-27')).total).toBe(7);
    expect((await q('kind=access&from=2026-11-22&to=2026-11-22')).total).toBe(0);
    const agreements = await q('kind=agreement&consumer=zhengwu&pageSize=5');
    expect((agreements.items as Json[]).every((e) => e.kind === 'agreement' && e.consumer === 'zhengwu')).toBe(true);
    expect(agreements.total as number).toBeGreaterThan(0);
    const resources = await q('kind=resource&provider=shuiwu');
    expect((resources.items as Json[]).map((e) => e.action)).toContain('publish');
    expectProblem(await call(auditor, 'GET', '/api/v1/ledger/entries?kind=nonsense'), 400, 'VALIDATION_FAILED');
    expectProblem(await call(auditor, 'GET', '/api/v1/ledger/entries?pageSize=1000'), 400, 'VALIDATION_FAILED');
    expectProblem(await call(auditor, 'GET', '/api/v1/ledger/entries?to=2026-13-45'), 400, 'VALIDATION_FAILED');
    expectProblem(await call(null, 'GET', '/api/v1/ledger/entries'), 401, 'UNAUTHENTICATED');
  });
});

describe('no raw personal data at the hub', () => {
  it('keeps neither ID numbers, credit codes nor full names in any table', async () => {
    const db = join(t.dataDir, 'hub.sqlite');
    // Everything in the database files, the write-ahead log included.
    const files = readdirSync(t.dataDir).filter((f) => f.startsWith('hub.sqlite'));
    expect(files).toContain('hub.sqlite');
    const bytes = Buffer.concat(files.map((f) => readFileSync(join(t.dataDir, f))));
    for (const secret of [alice.idNumber, bob.idNumber, firm.uscc, alice.name, bob.name]) {
      expect(bytes.includes(Buffer.from(secret)), `${secret} in ${db}`).toBe(false);
    }
    // The index knows the subjects only by their keyed hashes.
    expect(bytes.includes(Buffer.from(hash(alice.idNumber)))).toBe(true);
  });
});
