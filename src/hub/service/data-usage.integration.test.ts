/**
 * "Who used my data" through the whole demo city (real HTTP, real nodes, real signatures): a resident logs
 * in with ID number and name, checked by 公安's register through 政务服务办's node; sees the accesses to
 * their own records and no one else's; 公安's covert request is refused to anyone not allow-listed, withheld
 * from the person until its disclosure date (shiftable clock) and counted for the auditor meanwhile.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../core/calendar/working-days';
import { demoMembers } from '../../demo/members';
import { SignedConsumer, sendPrepared } from '../../testing/signed-consumer';
import { startTestCity, type TestCity } from '../../testing/test-city';

let city: TestCity;
let residents: { idNumber: string; name: string }[];
let firms: Record<string, string>[];
const agreements = new Map<string, { id: string; purpose: string }>();

type Json = Record<string, unknown> & { code?: string };

function parseCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, index) => [columns[index]!, value])));
}

async function hubCall(token: string | null, method: string, path: string, body?: unknown) {
  const response = await fetch(new URL(`/api/v1${path}`, city.url), {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : {}) as Json };
}

const localQuery = (member: string, body: Record<string, unknown>) => city.localQuery<Json>(member, body);

/** Every provider node ships what it decided to the hub's log now (instead of at its next tick). */
async function shipAll() {
  for (const code of ['gongan', 'renshe', 'shichang']) await city.node(code).service.shipAudit();
}

async function login(who: { idNumber: string; name: string }): Promise<string> {
  const result = await hubCall(null, 'POST', '/auth/resident', who);
  expect(result.status, JSON.stringify(result.json)).toBe(200);
  return result.json.token as string;
}

async function usage(token: string) {
  const result = await hubCall(token, 'GET', '/me/data-usage?pageSize=100');
  expect(result.status, JSON.stringify(result.json)).toBe(200);
  return result.json.items as Json[];
}

function today(offsetDays = 0): string {
  return chinaDate(new Date(city.clock.now().getTime() + offsetDays * 86_400_000));
}

beforeAll(async () => {
  city = await startTestCity({ node: { stalenessLimitMs: 60_000 } });
  const out = join(city.dataDir, 'export');
  await city.exportData(out);
  const people = new Set(demoMembers.map((m) => m.person));
  residents = parseCsv(join(out, 'gongan.household.csv'))
    .filter((row) => row.status === '正常' && !people.has(row.name!))
    .slice(0, 2)
    .map((row) => ({ idNumber: row.id_number!, name: row.name! }));
  firms = parseCsv(join(out, 'shichang.enterprise.csv')).slice(0, 2);
  for (const member of ['zhengwu', 'gongan']) {
    const list = await city.hub<{ items: (Json & { id: string; purpose: string; resourceCode: string })[] }>(
      member,
      'GET',
      '/agreements?side=consumer&status=active&pageSize=100',
    );
    for (const a of list.json.items) {
      if (!agreements.has(`${member}:${a.resourceCode}`) && !a.purpose.startsWith('统一身份认证')) {
        agreements.set(`${member}:${a.resourceCode}`, { id: a.id, purpose: a.purpose });
      }
    }
  }
}, 180_000);

afterAll(async () => {
  await city?.close();
});

describe('resident login through the exchange', () => {
  it('checks the name with 公安’s register via 政务服务办’s node, with coded refusals', async () => {
    const [alice] = residents;
    expect(alice).toBeDefined();
    const wrong = await hubCall(null, 'POST', '/auth/resident', { ...alice, name: `${alice!.name}某` });
    expect(wrong.status).toBe(401);
    expect(wrong.json.code).toBe('IDENTITY_NOT_VERIFIED');
    const bad = await hubCall(null, 'POST', '/auth/resident', { idNumber: '110105194912310021', name: alice!.name });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('INVALID_ID_NUMBER');
    const token = await login(alice!);
    const me = await hubCall(token, 'GET', '/me');
    expect(me.json).toMatchObject({ kind: 'citizen' });
    expect(me.json.displayName).not.toBe(alice!.name);
    // The session opens no department route.
    expect((await hubCall(token, 'GET', '/agreements')).status).toBe(401);
  });
});

describe('enterprise login through the exchange', () => {
  it('needs the legal representative’s name and ID number as 市场监管’s register holds them', async () => {
    const [firm, other] = firms as [Record<string, string>, Record<string, string>];
    expect(firm.legal_rep_id_number).toMatch(/^\d{17}[\dX]$/);
    const login = (overrides: Record<string, string>) =>
      hubCall(null, 'POST', '/auth/enterprise', {
        uscc: firm.uscc,
        name: firm.name,
        legalRepName: firm.legal_rep_name,
        legalRepIdNumber: firm.legal_rep_id_number,
        ...overrides,
      });
    // The public pair alone is not enough.
    const publicOnly = await hubCall(null, 'POST', '/auth/enterprise', { uscc: firm.uscc, name: firm.name });
    expect(publicOnly.json.code).toBe('VALIDATION_FAILED');
    // Another firm's representative (a real person, a valid ID): the register says no.
    const wrong = await login({ legalRepName: other.legal_rep_name!, legalRepIdNumber: other.legal_rep_id_number! });
    expect(wrong.status).toBe(401);
    expect(wrong.json.code).toBe('IDENTITY_NOT_VERIFIED');
    const ok = await login({});
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect(ok.json.subject).toEqual({ kind: 'enterprise', displayName: firm.name });
  });
});

describe('who used my data', () => {
  it('shows a resident the accesses to their own records, and never another’s', async () => {
    const [alice, bob] = residents as [{ idNumber: string; name: string }, { idNumber: string; name: string }];
    const household = agreements.get('zhengwu:gongan.household')!;
    const ageCheck = { op: 'gte', item: { ageAt: today(), of: 'birth_date' }, value: 60 };
    const forAlice = await localQuery('zhengwu', {
      agreementId: household.id,
      mode: 'verify',
      caseId: 'ELDER-1',
      subject: alice.idNumber,
      predicate: ageCheck,
    });
    expect(forAlice.status, JSON.stringify(forAlice.json)).toBe(200);
    const forBob = await localQuery('zhengwu', {
      agreementId: household.id,
      mode: 'verify',
      caseId: 'ELDER-2',
      subject: bob.idNumber,
      predicate: ageCheck,
    });
    expect(forBob.status).toBe(200);
    await shipAll();

    const records = await usage(await login(alice));
    // Newest first: the check of this login, then 政务服务办's age check, then the earlier login's check.
    expect(records[0]).toMatchObject({ receiverCode: 'zhengwu', providerCode: 'gongan' });
    const elder = records.find((r) => r.action === household.purpose);
    expect(elder).toMatchObject({
      ownIdentityCheck: false,
      receiverCode: 'zhengwu',
      receiverName: '清河市政务服务管理办公室',
      providerCode: 'gongan',
      resourceCode: 'gongan.household',
      mode: 'verify',
    });
    const loginChecks = records.filter((r) => String(r.action).startsWith('统一身份认证'));
    expect(loginChecks.length).toBeGreaterThanOrEqual(1);
    // Her own login checks are marked as such; nothing else is.
    expect(records.filter((r) => r.ownIdentityCheck)).toEqual(loginChecks);
    const times = records.map((r) => String(r.logtime));
    expect([...times].sort().reverse()).toEqual(times);

    // Bob's age check is not among Alice's records: its request id is only in Bob's entry.
    const bobsEntry = await hubCall(
      city.credentials.tokens.shenji!,
      'GET',
      `/ledger/entries?requestId=${forBob.requestId}`,
    );
    const bobsIndex = (bobsEntry.json.items as Json[])[0]!.index;
    expect(records.map((r) => r.index)).not.toContain(bobsIndex);
    const alicesEntry = await hubCall(
      city.credentials.tokens.shenji!,
      'GET',
      `/ledger/entries?requestId=${forAlice.requestId}`,
    );
    expect(records.map((r) => r.index)).toContain((alicesEntry.json.items as Json[])[0]!.index);

    // The entry search is scoped: 政务服务办 finds its own request, 经信局 does not.
    const own = await city.hub<Json>('zhengwu', 'GET', `/ledger/entries?requestId=${forAlice.requestId}`);
    expect(own.json.total).toBe(1);
    const other = await city.hub<Json>('jingxin', 'GET', `/ledger/entries?requestId=${forAlice.requestId}`);
    expect(other.json.total).toBe(0);
  });
});

describe('covert requests', () => {
  it('are refused to a consumer that is not allow-listed, with the flag in the audit event', async () => {
    const [alice] = residents;
    const household = agreements.get('zhengwu:gongan.household')!;
    const flagged = await localQuery('zhengwu', {
      agreementId: household.id,
      mode: 'verify',
      caseId: 'ELDER-3',
      subject: alice!.idNumber,
      predicate: { op: 'eq', item: 'status', value: '正常' },
      covertUntil: today(30),
    });
    expect(flagged.status).toBe(403);
    expect(flagged.json.code).toBe('COVERT_NOT_ALLOWED');
    const gongan = city.node('gongan');
    const denied = await fetch(`${gongan.url}/local/v1/requests?decision=denied&limit=5`, {
      headers: { authorization: `Bearer ${gongan.localToken}` },
    }).then((r) => r.json() as Promise<{ items: Json[] }>);
    expect(denied.items[0]).toMatchObject({
      code: 'COVERT_NOT_ALLOWED',
      covertUntil: today(30),
      consumerCode: 'zhengwu',
    });
  });

  it('must be covered by the request signature and name a future date', async () => {
    const pension = agreements.get('gongan:renshe.pension')!;
    const consumer = new SignedConsumer('gongan');
    await consumer.signAsNode(city.dataDir, city.url, city.credentials.tokens.gongan!);
    const send = async (covertUntil: string, coverCovert = true) =>
      sendPrepared(
        await consumer.prepare({
          nodeUrl: city.node('renshe').url,
          agreement: pension,
          mode: 'record',
          body: { subjects: [residents[0]!.idNumber] },
          covertUntil,
          coverCovert,
        }),
      );
    const uncovered = await send(today(30), false);
    expect(uncovered.status).toBe(401);
    expect(uncovered.json.code).toBe('SIGNATURE_COMPONENTS_MISSING');
    const past = await send(today(-1));
    expect(past.status).toBe(400);
    expect(past.json.code).toBe('BAD_COVERT_FLAG');
    const farAway = await send(today(5000));
    expect(farAway.json.code).toBe('BAD_COVERT_FLAG');
  });

  it('are withheld from the person until the disclosure date, while the auditor sees the withholding', async () => {
    const [alice] = residents;
    const pension = agreements.get('gongan:renshe.pension')!;
    const until = today(2);
    const covert = await localQuery('gongan', {
      agreementId: pension.id,
      mode: 'record',
      caseId: 'INV-2026-001',
      subjects: [alice!.idNumber],
      covertUntil: until,
    });
    expect(covert.status, JSON.stringify(covert.json)).toBe(200);
    await shipAll();

    const before = await usage(await login(alice!));
    expect(before.some((r) => r.receiverCode === 'gongan')).toBe(false);
    const withheld = await hubCall(city.credentials.tokens.shenji!, 'GET', '/ledger/withheld');
    expect(withheld.status).toBe(200);
    expect(withheld.json.total as number).toBeGreaterThanOrEqual(1);
    expect(withheld.json.byConsumer).toEqual([
      expect.objectContaining({ consumer: 'gongan', consumerName: '清河市公安局', until }),
    ]);
    const item = (withheld.json.items as Json[]).find((e) => e.requestId === covert.requestId);
    expect(item).toMatchObject({ consumer: 'gongan', provider: 'renshe', covertUntil: until, subjects: 1 });
    // Nor can the person find it in the public log: her own entries carry a hash the covert one does not.
    await city.log.publishCheckpoint(new Date());
    const subjectsOf = async (index: unknown) => {
      const response = await fetch(new URL(`/ledger/entries/${index}`, city.url));
      const entry = JSON.parse(((await response.json()) as { data: string }).data) as {
        record: { subjects: string[] };
      };
      return entry.record.subjects;
    };
    const [ownHash] = await subjectsOf(before[0]!.index);
    const covertSubjects = await subjectsOf(item!.index);
    expect(covertSubjects).toHaveLength(1);
    expect(covertSubjects).not.toContain(ownHash);
    // Departments cannot list what is withheld.
    expect((await city.hub<Json>('renshe', 'GET', '/ledger/withheld')).json.code).toBe('FORBIDDEN_ROLE');

    // On the disclosure date the access appears in the person's record.
    city.clock.shiftMs(2 * 86_400_000);
    try {
      // The nodes confirm their agreements again at the new time (they refuse stale copies).
      for (const code of ['zhengwu', 'gongan']) await city.node(code).service.sync();
      // …and have shipped what they decided before (else they would fail closed: AUDIT_UNAVAILABLE).
      await shipAll();
      const after = await usage(await login(alice!));
      const shown = after.find((r) => r.receiverCode === 'gongan');
      expect(shown).toMatchObject({
        receiverName: '清河市公安局',
        providerCode: 'renshe',
        resourceCode: 'renshe.pension',
        action: pension.purpose,
      });
      const stillWithheld = await hubCall(city.credentials.tokens.shenji!, 'GET', '/ledger/withheld');
      expect((stillWithheld.json.items as Json[]).some((e) => e.requestId === covert.requestId)).toBe(false);
    } finally {
      city.clock.reset();
    }
  });
});
