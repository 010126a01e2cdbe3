/**
 * Black-box tests of department nodes in the running demo city (real HTTP between real nodes). The test
 * plays a consumer system and signs with an independent RFC 9421 implementation (`http-message-signatures`);
 * every failure has its own code, and the provider's data store is never read for a refused request.
 */
import { runQuery } from '../../cli/query-command';
import { SESSION_CACHE_MS } from '../http/node-app';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExchangeClient, ExchangeError } from '../../client/exchange-client';
import {
  type PreparedRequest,
  SignedConsumer,
  type SignedRequestInput,
  sendPrepared,
} from '../../testing/signed-consumer';
import { startTestCity, type TestCity } from '../../testing/test-city';

let city: TestCity;
let household: Record<string, string>[];
let householdAgreement: { id: string; purpose: string };

function parseCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, index) => [columns[index]!, value])));
}

const consumer = new SignedConsumer('zhengwu');

interface SignedCall extends Omit<SignedRequestInput, 'nodeUrl'> {
  tamper?: (request: PreparedRequest) => void;
}

async function signedRequest(input: SignedCall): Promise<PreparedRequest> {
  const request = await consumer.prepare({ ...input, nodeUrl: city.node('gongan').url });
  input.tamper?.(request);
  return request;
}

async function call(input: SignedCall) {
  return sendPrepared(await signedRequest(input));
}

async function stats() {
  const node = city.node('gongan');
  const response = await fetch(`${node.url}/local/v1/stats`, {
    headers: { authorization: `Bearer ${node.localToken}` },
  });
  return (await response.json()) as { dataReads: number; audited: number };
}

async function applyAsZhengwu(items: string[], modes: string[], rateLimitPerMinute = 600) {
  const { json } = await city.hub<{ id: string; purpose: string; status: string }>('zhengwu', 'POST', '/agreements', {
    resourceCode: 'gongan.household',
    purpose: `测试：${modes.join('+')} ${rateLimitPerMinute}`,
    legalBasis: '国发〔2016〕51号',
    items,
    modes,
    ...(modes.includes('verify') ? { predicates: [ageAtLeast60] } : {}),
    validFrom: new Date().toISOString().slice(0, 10),
    validTo: '2030-12-31',
    rateLimitPerMinute,
  });
  expect(json.status).toBe('active');
  return json;
}

const sixtyPlus = { op: 'gte', item: { ageAt: '2026-11-27', of: 'birth_date' }, value: 60 };
const ageAtLeast60 = { op: 'gte', item: { ageAt: '$asOf', of: 'birth_date' }, value: 60 };

function fullYears(birth: string, at: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [ay, am, ad] = at.split('-').map(Number) as [number, number, number];
  return ay - by - (am < bm || (am === bm && ad < bd) ? 1 : 0);
}

beforeAll(async () => {
  city = await startTestCity({ node: { stalenessLimitMs: 60_000 } });
  await consumer.signAsNode(city.dataDir, city.url, city.credentials.tokens.zhengwu!);
  const out = join(city.dataDir, 'export');
  await city.exportData(out);
  household = parseCsv(join(out, 'gongan.household.csv'));
  const agreements = await city.hub<{ items: { id: string; purpose: string; resourceCode: string; status: string }[] }>(
    'zhengwu',
    'GET',
    '/agreements?side=consumer&status=active',
  );
  householdAgreement = agreements.json.items.find((a) => a.resourceCode === 'gongan.household')!;
}, 120_000);

afterAll(async () => {
  await city?.close();
});

describe('a signed verify through the provider node', () => {
  it('answers only true or false, matching the household register', async () => {
    const sample = household.filter((row) => row.status === '正常').slice(0, 6);
    for (const row of sample) {
      const answer = await call({
        agreement: householdAgreement,
        mode: 'verify',
        body: { subject: row.id_number, predicate: sixtyPlus },
      });
      expect(answer.status).toBe(200);
      expect(answer.json.result).toEqual({
        subject: row.id_number,
        answer: fullYears(row.birth_date!, '2026-11-27') >= 60,
      });
    }
    const nobody = await call({
      agreement: householdAgreement,
      mode: 'verify',
      body: { subject: '11010519491231002X', predicate: sixtyPlus },
    });
    expect(nobody.json.result).toEqual({ subject: '11010519491231002X', answer: 'not_found' });
  });
});

describe('verify answers only what the agreement allows (issue 16)', () => {
  async function applyWithQuestions(predicates: unknown[], items = ['id_number', 'name', 'birth_date']) {
    return city.hub<{ id: string; purpose: string; status: string; code?: string }>('zhengwu', 'POST', '/agreements', {
      resourceCode: 'gongan.household',
      purpose: `测试：约定核验问题 ${predicates.length}`,
      legalBasis: '国发〔2016〕51号',
      items,
      modes: ['verify'],
      predicates,
      validFrom: new Date().toISOString().slice(0, 10),
      validTo: '2030-12-31',
      rateLimitPerMinute: 600,
    });
  }
  const nameIs = { op: 'eq', item: 'name', value: '$name' };

  it('refuses questions over items the application does not ask for', async () => {
    const refused = await applyWithQuestions([nameIs], ['id_number', 'birth_date']);
    expect(refused.status).toBe(400);
    expect(refused.json.code).toBe('VALIDATION_FAILED');
  });

  it('answers the agreed questions and refuses any other, coded and audited, without reading data', async () => {
    const applied = await applyWithQuestions([ageAtLeast60, nameIs]);
    expect(applied.json.status).toBe('active');
    const agreement = applied.json;
    const subject = household.find((row) => row.status === '正常')!;
    const allowed = await call({
      agreement,
      mode: 'verify',
      body: { subject: subject.id_number, predicate: sixtyPlus },
    });
    expect(allowed.status).toBe(200);
    const before = await stats();
    // Another threshold, another operator: each a binary search step towards the birth date; and 200
    // candidate names in one question where the agreement allows one name.
    for (const predicate of [
      { op: 'gte', item: { ageAt: '2026-11-27', of: 'birth_date' }, value: 59 },
      { op: 'lt', item: 'birth_date', value: '1966-01-01' },
      { op: 'in', item: 'name', values: Array.from({ length: 200 }, (_, i) => `候选${i}`) },
    ]) {
      const refused = await call({ agreement, mode: 'verify', body: { subject: subject.id_number, predicate } });
      expect(refused.status).toBe(403);
      expect(refused.json.code).toBe('PREDICATE_NOT_AGREED');
    }
    const after = await stats();
    expect(after.dataReads).toBe(before.dataReads);
    expect(after.audited).toBe(before.audited + 3);
  });

  it('bounds the distinct questions about one person a day; asking the same one again is free', async () => {
    const agreement = (await applyWithQuestions([nameIs])).json;
    const subject = household.find((row) => row.status === '正常')!.id_number;
    const ask = (name: string) =>
      call({ agreement, mode: 'verify', body: { subject, predicate: { op: 'eq', item: 'name', value: name } } });
    // 20 distinct names (the node's default budget), concurrently: all answered.
    const guesses = await Promise.all(Array.from({ length: 20 }, (_, i) => ask(`猜测${i}`)));
    expect(guesses.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect((await ask('猜测3')).status).toBe(200);
    const exhausted = await ask('王建国');
    expect(exhausted.status).toBe(429);
    expect(exhausted.json.code).toBe('VERIFY_BUDGET_EXHAUSTED');
    expect(Number(exhausted.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another person's budget is their own.
    const other = household.filter((row) => row.status === '正常')[1]!.id_number;
    const fresh = await call({
      agreement,
      mode: 'verify',
      body: { subject: other, predicate: { op: 'eq', item: 'name', value: '王建国' } },
    });
    expect(fresh.status).toBe(200);
    // Kept in the node's store: a restarted node starts from the same count (rebuilt by restoreVerifyQuestions).
    const restored = await city.node('gongan').service.restoreVerifyQuestions();
    expect(restored).toBeGreaterThanOrEqual(21);
    expect((await ask('李四')).json.code).toBe('VERIFY_BUDGET_EXHAUSTED');
  });
});

describe('`hutong query`: the CLI asks through the exchange client', () => {
  it('prints the node’s answer, and a refusal with its code', async () => {
    const out: string[] = [];
    const io = { out: (line: string) => out.push(line), err: (line: string) => out.push(line) };
    const base = { data: city.dataDir, as: 'zhengwu', agreement: householdAgreement.id, officer: 'cli', case: '' };
    const subject = household.find((row) => row.status === '正常')!.id_number;
    const asked = { ...base, mode: 'verify', subject, predicate: JSON.stringify(sixtyPlus) };
    expect(await runQuery(asked, io)).toBe(0);
    expect(JSON.parse(out.pop()!).result).toEqual({
      subject,
      answer: fullYears(household.find((row) => row.id_number === subject)!.birth_date!, '2026-11-27') >= 60,
    });
    const unagreed = { op: 'lt', item: 'birth_date', value: '1966-01-01' };
    expect(await runQuery({ ...asked, predicate: JSON.stringify(unagreed) }, io)).toBe(1);
    expect(JSON.parse(out.pop()!)).toMatchObject({ status: 403, code: 'PREDICATE_NOT_AGREED' });
    expect(await runQuery({ ...asked, predicate: '{not json' }, io)).toBe(2);
    expect(await runQuery({ ...asked, as: 'nobody' }, io)).toBe(2);
  });
});

describe('a question with a date or threshold parameter cannot search out the hidden value (issue 16)', () => {
  it('answers at most 3 dates a day for one person, while guesses of one value keep the daily budget', async () => {
    const applied = await city.hub<{ id: string; purpose: string; status: string }>('zhengwu', 'POST', '/agreements', {
      resourceCode: 'gongan.household',
      purpose: '测试：年龄门槛问题的日期',
      legalBasis: '国发〔2016〕51号',
      items: ['id_number', 'name', 'birth_date'],
      modes: ['verify'],
      predicates: [ageAtLeast60, { op: 'eq', item: 'name', value: '$name' }],
      validFrom: new Date().toISOString().slice(0, 10),
      validTo: '2030-12-31',
      rateLimitPerMinute: 600,
    });
    const agreement = applied.json;
    const subject = household.filter((row) => row.status === '正常')[2]!.id_number;
    const ageOn = (asOf: string) =>
      call({
        agreement,
        mode: 'verify',
        body: { subject, predicate: { op: 'gte', item: { ageAt: asOf, of: 'birth_date' }, value: 60 } },
      });
    // Halving towards the day of the 60th birthday: three steps are answered, asked at once.
    const steps = await Promise.all(['1990-01-01', '2010-01-01', '2030-01-01'].map(ageOn));
    expect(steps.map((step) => step.status)).toEqual([200, 200, 200]);
    const fourth = await ageOn('2020-01-01');
    expect(fourth.status).toBe(429);
    expect(fourth.json.code).toBe('VERIFY_BUDGET_EXHAUSTED');
    expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(0);
    // The same date again is the same question: answered.
    expect((await ageOn('2010-01-01')).status).toBe(200);
    // A question that only tests one guessed value is bounded by the daily budget alone.
    for (const name of ['甲', '乙', '丙', '丁']) {
      const guess = await call({
        agreement,
        mode: 'verify',
        body: { subject, predicate: { op: 'eq', item: 'name', value: name } },
      });
      expect(guess.status).toBe(200);
    }
  });
});

describe('refusals (acceptance 1): each its own code, none reads the provider’s data', () => {
  const cases: [string, () => Promise<{ status: number; json: { code?: string } }>, number, string][] = [
    [
      'unknown key',
      () =>
        call({
          agreement: householdAgreement,
          mode: 'verify',
          body: { subject: '11010519491231002X', predicate: sixtyPlus },
          keyId: 'zhengwu:no-such-key',
        }),
      401,
      'SIGNATURE_KEY_UNKNOWN',
    ],
    [
      'wrong key',
      () =>
        call({
          agreement: householdAgreement,
          mode: 'verify',
          body: { subject: '11010519491231002X', predicate: sixtyPlus },
          key: consumer.strangerKey(),
        }),
      401,
      'SIGNATURE_INVALID',
    ],
    [
      'bad signature (covered header changed after signing)',
      () =>
        call({
          agreement: householdAgreement,
          mode: 'verify',
          body: { subject: '11010519491231002X', predicate: sixtyPlus },
          tamper: (request) => {
            request.headers['hutong-officer'] = 'someone-else';
          },
        }),
      401,
      'SIGNATURE_INVALID',
    ],
    [
      'body changed after signing',
      () =>
        call({
          agreement: householdAgreement,
          mode: 'verify',
          body: { subject: '11010519491231002X', predicate: sixtyPlus },
          tamper: (request) => {
            request.body = request.body.replace('11010519491231002X', '440524188001010014');
          },
        }),
      400,
      'DIGEST_MISMATCH',
    ],
    [
      'stale time',
      () =>
        call({
          agreement: householdAgreement,
          mode: 'verify',
          body: { subject: '11010519491231002X', predicate: sixtyPlus },
          created: new Date(Date.now() - 10 * 60_000),
        }),
      401,
      'SIGNATURE_STALE',
    ],
    [
      'unknown agreement',
      () =>
        call({
          agreement: { id: 'GX-20990101-NOPE00', purpose: 'x' },
          mode: 'verify',
          body: { subject: '11010519491231002X', predicate: sixtyPlus },
        }),
      403,
      'AGREEMENT_UNKNOWN',
    ],
    [
      'mode outside the agreement',
      () =>
        call({
          agreement: householdAgreement,
          mode: 'aggregate',
          body: { groupBy: ['gender'], measures: [{ fn: 'count' }] },
        }),
      403,
      'MODE_NOT_GRANTED',
    ],
    [
      'item outside the agreement',
      () =>
        call({
          agreement: householdAgreement,
          mode: 'verify',
          body: { subject: '11010519491231002X', predicate: { op: 'eq', item: 'address', value: 'x' } },
        }),
      403,
      'ITEM_NOT_ALLOWED',
    ],
    [
      'purpose other than the agreement’s',
      () =>
        call({
          agreement: { ...householdAgreement, purpose: '别的用途' },
          mode: 'verify',
          body: { subject: '11010519491231002X', predicate: sixtyPlus },
        }),
      403,
      'PURPOSE_MISMATCH',
    ],
  ];

  // A request whose signature does not verify is nobody's: it is refused, and not audited as the access of
  // the member it claims to be. A verified request's refusal is that member's, and audited.
  const unverifiedCodes = new Set(['SIGNATURE_KEY_UNKNOWN', 'SIGNATURE_INVALID', 'DIGEST_MISMATCH', 'SIGNATURE_STALE']);
  for (const [name, run, status, code] of cases) {
    it(`${name} → ${code}`, async () => {
      const before = await stats();
      const answer = await run();
      expect(answer.status).toBe(status);
      expect(answer.json.code).toBe(code);
      const after = await stats();
      expect(after.dataReads).toBe(before.dataReads);
      expect(after.audited).toBe(before.audited + (unverifiedCodes.has(code) ? 0 : 1));
    });
  }

  it('answers unsigned and malformed requests with coded problems, never a 500, and logs none as an access', async () => {
    const provider = city.node('gongan');
    const before = await stats();
    const send = (body: string | Blob, headers: Record<string, string> = {}) =>
      fetch(`${provider.url}/peer/v1/verify`, { method: 'POST', headers, body }).then(async (r) => ({
        status: r.status,
        type: r.headers.get('content-type'),
        json: (await r.json()) as { code?: string; stack?: unknown },
      }));
    const unsigned = await send(JSON.stringify({ subject: '11010519491231002X' }), {
      'content-type': 'application/json',
      'signature-input': 'hutong=("@method");keyid="zhengwu:made-up"',
    });
    expect(unsigned).toMatchObject({ status: 401, json: { code: 'SIGNATURE_MISSING' } });
    expect(unsigned.type).toContain('application/problem+json');
    expect((await send('{}')).json.code).toBe('SIGNATURE_MISSING');
    // Larger than the node takes: its own code, not Fastify's.
    const huge = await send(new Blob(['a'.repeat(17 * 1_048_576)]), { 'content-type': 'application/json' });
    expect(huge).toMatchObject({ status: 413, json: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(JSON.stringify(huge.json)).not.toContain('FST_');
    const after = await stats();
    expect(after.audited).toBe(before.audited);
    expect(after.dataReads).toBe(before.dataReads);
  });

  it('replay → SIGNATURE_REPLAYED, without a second read', async () => {
    const request = await signedRequest({
      agreement: householdAgreement,
      mode: 'verify',
      body: { subject: household[0]!.id_number, predicate: sixtyPlus },
    });
    expect((await sendPrepared(request)).status).toBe(200);
    const before = await stats();
    const replay = await sendPrepared(request);
    expect(replay.status).toBe(409);
    expect(replay.json.code).toBe('SIGNATURE_REPLAYED');
    expect((await stats()).dataReads).toBe(before.dataReads);
  });

  it('rate over the agreement’s limit → RATE_LIMITED', async () => {
    const limited = await applyAsZhengwu(['id_number', 'birth_date'], ['verify'], 2);
    const body = { subject: household[0]!.id_number, predicate: sixtyPlus };
    expect((await call({ agreement: limited, mode: 'verify', body })).status).toBe(200);
    expect((await call({ agreement: limited, mode: 'verify', body })).status).toBe(200);
    const before = await stats();
    const third = await call({ agreement: limited, mode: 'verify', body });
    expect(third.status).toBe(429);
    expect(third.json.code).toBe('RATE_LIMITED');
    expect((await stats()).dataReads).toBe(before.dataReads);
  });
});

describe('what leaves the node (acceptance 2)', () => {
  it('record answers carry only granted items, masked', async () => {
    const row = household.find((candidate) => candidate.status === '正常' && Array.from(candidate.name!).length === 3)!;
    const answer = await call({
      agreement: householdAgreement,
      mode: 'record',
      body: { subjects: [row.id_number], items: ['id_number', 'name', 'birth_date'] },
    });
    expect(answer.status).toBe(200);
    const [first] = answer.json.result as { found: boolean; rows: Record<string, string>[] }[];
    const chars = Array.from(row.name!);
    expect(first!.rows).toEqual([
      {
        id_number: `${row.id_number!.slice(0, 6)}********${row.id_number!.slice(-4)}`,
        name: `${chars[0]}*${chars[2]}`,
        birth_date: row.birth_date!.slice(0, 4),
      },
    ]);
    const all = await call({ agreement: householdAgreement, mode: 'record', body: { subjects: [row.id_number] } });
    const released = (all.json.result as { rows: Record<string, string>[] }[])[0]!.rows[0]!;
    expect(Object.keys(released).sort()).toEqual([
      'birth_date',
      'deregistration_reason',
      'district_code',
      'id_number',
      'name',
      'status',
    ]);
    expect(JSON.stringify(all.json)).not.toContain(row.address!);
    const refused = await call({
      agreement: householdAgreement,
      mode: 'record',
      body: { subjects: [row.id_number], items: ['address'] },
    });
    expect(refused.json.code).toBe('ITEM_NOT_ALLOWED');
  });

  it('aggregate cells under k never appear, and a differencing pair isolates nobody', async () => {
    const agreement = await applyAsZhengwu(['id_number', 'gender', 'district_code', 'status'], ['aggregate']);
    const byDistrict = await call({
      agreement,
      mode: 'aggregate',
      body: { groupBy: ['district_code', 'status'], measures: [{ fn: 'count' }] },
    });
    expect(byDistrict.status).toBe(200);
    const cells = (
      byDistrict.json.result as { cells: { subjects?: number; values: Record<string, number | string> }[] }
    ).cells;
    expect(cells.length).toBeGreaterThan(0);
    for (const cell of cells) expect(Number(cell.values.count ?? cell.subjects)).toBeGreaterThanOrEqual(5);
    // Counting a district, then the same district minus one status, must not leave fewer than k people.
    const district = household.find((row) => row.status === '注销')!.district_code;
    const narrow = await call({
      agreement,
      mode: 'aggregate',
      body: {
        groupBy: [],
        measures: [{ fn: 'count' }],
        filter: {
          op: 'and',
          args: [
            { op: 'eq', item: 'district_code', value: district },
            { op: 'eq', item: 'status', value: '注销' },
          ],
        },
      },
    });
    if (narrow.status === 200) {
      const narrowCells = (narrow.json.result as { cells: { values: Record<string, number> }[] }).cells;
      for (const cell of narrowCells) expect(Number(cell.values.count)).toBeGreaterThanOrEqual(5);
    } else {
      expect(narrow.json.code).toBe('QUERY_TOO_NARROW');
    }
    const byBirthDate = await call({
      agreement,
      mode: 'aggregate',
      body: { groupBy: ['birth_date'], measures: [{ fn: 'count' }] },
    });
    expect(['ITEM_NOT_ALLOWED', 'NOT_A_DIMENSION']).toContain(byBirthDate.json.code);
  });
});

describe('the hub’s word reaches the node', () => {
  it('revoking an agreement at the hub stops the next request at the provider node (acceptance 3)', async () => {
    const agreement = await applyAsZhengwu(['id_number', 'birth_date'], ['verify']);
    const body = { subject: household[0]!.id_number, predicate: sixtyPlus };
    expect((await call({ agreement, mode: 'verify', body })).status).toBe(200);
    const revoked = await city.hub('gongan', 'POST', `/agreements/${agreement.id}/revoke`, { reason: '测试撤销' });
    expect(revoked.status).toBe(200);
    const next = await call({ agreement, mode: 'verify', body });
    expect(next.status).toBe(403);
    expect(next.json).toMatchObject({ code: 'AGREEMENT_NOT_ACTIVE' });
  });

  it('fails closed when the agreement state has not been confirmed within the staleness limit', async () => {
    const body = { subject: household[0]!.id_number, predicate: sixtyPlus };
    city.clock.shiftMs(120_000);
    try {
      const stale = await call({ agreement: householdAgreement, mode: 'verify', body, created: city.clock.now() });
      expect(stale.status).toBe(503);
      expect(stale.json.code).toBe('AGREEMENT_STALE');
      await fetch(`${city.node('gongan').url}/local/v1/sync`, {
        method: 'POST',
        headers: { authorization: `Bearer ${city.node('gongan').localToken}` },
      });
      expect(
        (await call({ agreement: householdAgreement, mode: 'verify', body, created: city.clock.now() })).status,
      ).toBe(200);
    } finally {
      city.clock.reset();
      await fetch(`${city.node('gongan').url}/local/v1/sync`, {
        method: 'POST',
        headers: { authorization: `Bearer ${city.node('gongan').localToken}` },
      });
    }
  });
});

describe('the consumer’s own node', () => {
  it('forwards a local query, signed, and returns the provider’s verified answer', async () => {
    const node = city.node('zhengwu');
    const row = household[0]!;
    const response = await fetch(`${node.url}/local/v1/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${node.localToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        agreementId: householdAgreement.id,
        mode: 'verify',
        officer: 'clerk-1',
        caseId: 'C-9',
        subject: row.id_number,
        predicate: sixtyPlus,
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('hutong-signed-by')).toMatch(/^gongan:/);
    expect(((await response.json()) as { result: { answer: boolean } }).result.answer).toBe(
      fullYears(row.birth_date!, '2026-11-27') >= 60,
    );
    const unauthorised = await fetch(`${node.url}/local/v1/query`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(unauthorised.status).toBe(401);
  });
});

describe('the demo’s agreements serve both applications and the 财政局', () => {
  const localQuery = (member: string, body: Record<string, unknown>) =>
    city.localQuery<{ result?: unknown; code?: string }>(member, body);

  it('财政局 gets tax totals by year, never per enterprise', async () => {
    const agreement = await activeAgreement('caizheng', 'shuiwu.tax_annual', 'aggregate');
    const answer = await localQuery('caizheng', {
      agreementId: agreement.id,
      mode: 'aggregate',
      groupBy: ['year'],
      measures: [{ fn: 'count' }, { fn: 'sum', item: 'tax_paid' }],
    });
    expect(answer.status).toBe(200);
    const cells = (answer.json.result as { cells: { group: unknown[]; values: Record<string, unknown> }[] }).cells;
    expect(cells.map((cell) => String(cell.group[0])).sort()).toEqual(['2023', '2024', '2025']);
    expect(cells.length).toBeGreaterThanOrEqual(3);
    for (const cell of cells) expect(Number(cell.values.count)).toBeGreaterThanOrEqual(5);
    const perEnterprise = await localQuery('caizheng', {
      agreementId: agreement.id,
      mode: 'record',
      subjects: ['91350100M000100Y43'],
    });
    expect(perEnterprise.json.code).toBe('MODE_NOT_GRANTED');
  });

  it('经信局 computes tax per enterprise at the source, in one batch', async () => {
    const agreement = await activeAgreement('jingxin', 'shuiwu.tax_annual', 'compute');
    const out = join(city.dataDir, 'export-tax');
    await city.exportData(out);
    const rows = parseCsv(join(out, 'shuiwu.tax_annual.csv')).filter((row) => row.year === '2025');
    const sample = rows.slice(0, 200);
    const answer = await localQuery('jingxin', {
      agreementId: agreement.id,
      mode: 'compute',
      computation: 'shuiwu.tax_paid_annual',
      params: { year: 2025 },
      subjects: [...sample.map((row) => row.uscc), '91350100M000100Y43'],
    });
    expect(answer.status).toBe(200);
    const result = answer.json.result as {
      results: { subject: string; values: { tax_paid: string } }[];
      missing: string[];
    };
    expect(new Map(result.results.map((r) => [r.subject, r.values.tax_paid]))).toEqual(
      new Map(sample.map((row) => [row.uscc, row.tax_paid])),
    );
    expect(result.missing).toEqual(['91350100M000100Y43']);
  });
});

async function activeAgreement(member: string, resourceCode: string, mode: string) {
  const { json } = await city.hub<{ items: { id: string; resourceCode: string; granted: { modes: string[] } }[] }>(
    member,
    'GET',
    '/agreements?side=consumer&status=active',
  );
  return json.items.find((a) => a.resourceCode === resourceCode && a.granted.modes.includes(mode))!;
}

describe('the exchange client API (what applications use)', () => {
  it('lists the whole registry through a roster computation, and batches many subjects into few calls', async () => {
    const agreement = await activeAgreement('jingxin', 'shichang.enterprise', 'compute');
    const client = new ExchangeClient({ node: city.node('jingxin'), batchSize: 50 });
    const context = { agreementId: agreement.id, officer: 'test', caseId: 'EVAL-TEST' };
    const out = join(city.dataDir, 'export-registry');
    await city.exportData(out);
    const registry = parseCsv(join(out, 'shichang.enterprise.csv'));
    const roster = await client.compute(context, 'shichang.registry_facts', {});
    expect(roster.requestId).not.toBe('');
    expect(new Map(roster.result.results.map((r) => [r.subject, r.values.status]))).toEqual(
      new Map(registry.map((row) => [row.uscc, row.status])),
    );
    const subjects = [...registry.slice(0, 120).map((row) => row.uscc!), '91350100M000100Y43'];
    const batched = await client.computeMany(context, 'shichang.registry_facts', {}, subjects);
    expect(batched.requestIds).toHaveLength(3);
    expect(batched.results.map((r) => r.subject)).toEqual(subjects.slice(0, 120));
    expect(batched.missing).toEqual(['91350100M000100Y43']);
    expect(batched.requestIdOf.get('91350100M000100Y43')).toBe(batched.requestIds[2]);
    // A computation that is not a roster still needs its subjects.
    const tax = await activeAgreement('jingxin', 'shuiwu.tax_annual', 'compute');
    const refused = await client
      .compute({ ...context, agreementId: tax.id }, 'shuiwu.tax_paid_annual', { year: 2025 })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ExchangeError);
    expect((refused as ExchangeError).code).toBe('BAD_REQUEST');
    expect((refused as ExchangeError).transient).toBe(false);
  });

  it('finds its agreements, and says plainly when a check is not set up', async () => {
    const client = new ExchangeClient({ node: city.node('jingxin') });
    const held = await client.agreementFor('jingxin', 'shuiwu.tax_annual', 'compute');
    expect(held.providerCode).toBe('shuiwu');
    const missing = await client.agreementFor('jingxin', 'gongan.household', 'verify').catch((error) => error);
    expect((missing as ExchangeError).code).toBe('NO_AGREEMENT');
  });

  it('reports an unreachable node as a transient failure', async () => {
    const client = new ExchangeClient({ node: { url: 'http://127.0.0.1:9', localToken: 'x' }, timeoutMs: 2000 });
    const error = (await client.agreements().catch((e) => e)) as ExchangeError;
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.transient).toBe(true);
  });
});

describe('the node’s console API', () => {
  async function session(username: string): Promise<string> {
    const response = await fetch(`${city.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'qinghe-demo-2026' }),
    });
    return ((await response.json()) as { token: string }).token;
  }

  it('accepts a console session of its own member only, and acts as that officer', async () => {
    const token = await session('zhengwu');
    const own = await fetch(`${city.node('zhengwu').url}/local/v1/overview`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(own.status).toBe(200);
    const overview = (await own.json()) as { member: string; agreements: { agreement: { resourceCode: string } }[] };
    expect(overview.member).toBe('zhengwu');
    expect(overview.agreements.map((cached) => cached.agreement.resourceCode)).toContain('gongan.household');
    const other = await fetch(`${city.node('gongan').url}/local/v1/overview`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(other.status).toBe(401);

    const query = await fetch(`${city.node('zhengwu').url}/local/v1/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        agreementId: householdAgreement.id,
        mode: 'verify',
        officer: 'spoofed',
        subject: household[1]!.id_number,
        predicate: sixtyPlus,
      }),
    });
    expect(query.status).toBe(200);
    const requestId = query.headers.get('hutong-request-id');
    const gongan = city.node('gongan');
    const recent = await fetch(`${gongan.url}/local/v1/requests?limit=20`, {
      headers: { authorization: `Bearer ${gongan.localToken}` },
    });
    const event = (
      (await recent.json()) as { items: { requestId: string; officer: string; subjectHashes: string[] }[] }
    ).items.find((item) => item.requestId === requestId);
    expect(event?.officer).toBe('zhengwu');
    expect(JSON.stringify(event)).not.toContain(household[1]!.id_number);
  });

  it('stops a session at the node within a second of its logout at the hub', async () => {
    const token = await session('zhengwu');
    const overview = () =>
      fetch(`${city.node('zhengwu').url}/local/v1/overview`, { headers: { authorization: `Bearer ${token}` } });
    expect((await overview()).status).toBe(200);
    const logout = await fetch(`${city.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(logout.status).toBe(204);
    // The node trusts the hub's word about a session for under a second (SESSION_CACHE_MS).
    await new Promise((resolve) => setTimeout(resolve, SESSION_CACHE_MS + 50));
    expect((await overview()).status).toBe(401);
  });

  it('shows a provider what it serves, with masking rules and computations', async () => {
    const token = await session('shuiwu');
    const response = await fetch(`${city.node('shuiwu').url}/local/v1/overview`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const overview = (await response.json()) as {
      resources: { code: string; aggregateDimensions: string[] }[];
      computations: { id: string }[];
    };
    expect(overview.resources.map((resource) => resource.code).sort()).toEqual([
      'shuiwu.declaration_detail',
      'shuiwu.tax_annual',
    ]);
    expect(overview.resources.find((resource) => resource.code === 'shuiwu.tax_annual')?.aggregateDimensions).toEqual([
      'year',
    ]);
    expect(overview.computations.map((computation) => computation.id)).toEqual(['shuiwu.tax_paid_annual']);
  });

  it('keeps its databases and keys to their owner: files 0600, folders 0700', async () => {
    const { readdirSync, statSync } = await import('node:fs');
    const nodes = join(city.dataDir, 'nodes');
    expect(statSync(nodes).mode & 0o777).toBe(0o700);
    const files = readdirSync(nodes);
    expect(files.filter((f) => f.endsWith('.identity.json')).length).toBeGreaterThanOrEqual(13);
    // On PostgreSQL the stores are schemas, not files.
    const databaseFiles = files.filter((f) => f.endsWith('.sqlite')).length;
    if (city.onPostgres) expect(databaseFiles).toBe(0);
    else expect(databaseFiles).toBeGreaterThanOrEqual(13);
    for (const file of files)
      expect({ file, mode: statSync(join(nodes, file)).mode & 0o777 }).toEqual({ file, mode: 0o600 });
    for (const file of ['ledger-key', 'city-secret', 'credentials.json', ...(city.onPostgres ? [] : ['hub.sqlite'])]) {
      expect({ file, mode: statSync(join(city.dataDir, file)).mode & 0o777 }).toEqual({ file, mode: 0o600 });
    }
  });

  it('sends security headers: nothing is framed, sniffed or sent a referrer', async () => {
    const node = await fetch(`${city.node('gongan').url}/healthz`);
    expect(node.headers.get('x-content-type-options')).toBe('nosniff');
    expect(node.headers.get('referrer-policy')).toBe('no-referrer');
    expect(node.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    let hub = await fetch(`${city.url}/healthz`);
    // The nodes' origins are read from the registry every 2 s.
    for (let i = 0; i < 50 && !hub.headers.get('content-security-policy')?.includes('127.0.0.1:'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      hub = await fetch(`${city.url}/healthz`);
    }
    const csp = hub.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    // The console may call the nodes' local APIs: their origins are allowed to be fetched from.
    expect(csp).toContain(new URL(city.node('gongan').url).origin);
    expect(hub.headers.get('x-content-type-options')).toBe('nosniff');
    expect(hub.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('allows the console’s origin and no other', async () => {
    const preflight = (origin: string) =>
      fetch(`${city.node('zhengwu').url}/local/v1/overview`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    expect((await preflight(new URL(city.url).origin)).headers.get('access-control-allow-origin')).toBe(
      new URL(city.url).origin,
    );
    expect((await preflight('http://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });
});
