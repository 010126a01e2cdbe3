/**
 * Acceptance of 一网通办 against the whole demo city (hub + every department node, small seed-1 data):
 * (1) for residents chosen across every rule branch, the API's decisions and reason codes equal an
 * independent implementation of RULES.md §7 over the exported CSVs, for a fixed as-of date;
 * (2) the 免申即享 sweep's eligible list, tiers and amounts equal the independent computation.
 * Also: certificates verify with the published key, applying twice never issues two cards, bad input is a
 * 4xx with a stable code.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCertVerify, runServicesApply, runServicesSweep } from '../../cli/services-commands';
import { projectRoot } from '../../composition/hub';
import { loadItemCatalog } from './service/loader';
import { dataUsageOf, provenEntry } from '../../testing/data-usage-client';
import { makeIdNumber } from '../../core/ids/id-number';
import {
  allowanceOf,
  type CityRows,
  expectedAllowanceApplication,
  expectedElderlyCard,
  expectedSweep,
  loadCityRows,
} from '../../testing/services-reference';
import { startTestCity, type TestCity } from '../../testing/test-city';
import { verifyCertificate } from './service/certificates';
import { certificateSchemes } from '../../composition/crypto-suite';

const T = '2026-06-30';
let city: TestCity;
let rows: CityRows;
let exportDir: string;
const issuedHere = new Set<string>();

interface Answer {
  status: number;
  json: Record<string, unknown> & {
    code?: string;
    status?: string;
    reasons?: { code: string; explanation: string }[];
    certificate?: { payload: string; holderName: string; birthDate: string; number: string } | null;
    benefit?: { tier: { id: string }; monthlyAmount: number | null } | null;
  };
}

async function api(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${city.url}/apps/services/v1${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : {} };
}

const staff = () => ({ authorization: `Bearer ${city.credentials.tokens.zhengwu}` });

/** Applications that came back 待核验 (a department answered later than the item waits): counted below. */
const keptPending = new Set<string>();

/**
 * Applies and returns the decision. The product's promise is "decided at once, or kept pending with its
 * reason and decided later": an application kept pending (a slow machine, not a wrong rule) is retried by
 * counter staff until it is decided, so the decision is still checked exactly — with no race on timing.
 */
async function apply(item: string, idNumber: string, name: string, extra: Record<string, unknown> = {}, headers = {}) {
  const answer = await api(
    'POST',
    '/applications',
    { item, idNumber, name, consent: true, asOf: T, ...extra },
    // At the counter (政务服务办's staff); a resident applies only for themselves (tests below).
    { ...staff(), ...headers },
  );
  if (answer.json.status !== 'pending_verification') return answer;
  expect(answer.json.message).toEqual(expect.any(String));
  const id = answer.json.id as string;
  // 202: this request created it and its attempt could not finish; 200: another request's attempt is running.
  if (answer.status === 202) keptPending.add(id);
  for (;;) {
    const current = await api('GET', `/applications/${id}`, undefined, staff());
    if (current.json.status !== 'pending_verification') {
      return { status: answer.status, json: { ...current.json, receipt: answer.json.receipt } } as Answer;
    }
    if (current.json.lastError) await api('POST', `/applications/${id}/retry`, {}, staff());
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const codes = (answer: Answer) => (answer.json.reasons ?? []).map((reason) => reason.code);

/** A resident's own login at the hub (ID number and name, checked against the register): its token. */
async function loginAs(person: { id: string; name: string }): Promise<string> {
  const response = await fetch(`${city.url}/api/v1/auth/resident`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idNumber: person.id, name: person.name }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}
const nameOf = (id: string) => rows.household.get(id)?.name ?? rows.permits.get(id)?.[0]?.name ?? '';

/** Up to `per` people for every distinct expected outcome, plus the boundary cases the generator forces. */
function chooseElderlyCases(per: number): { id: string; name: string }[] {
  const people = [...new Set([...rows.household.keys(), ...rows.permits.keys()])].sort();
  const bySignature = new Map<string, string[]>();
  for (const id of people) {
    const signature = expectedElderlyCard(rows, id, nameOf(id), T).join('+') || 'APPROVED';
    const list = bySignature.get(signature) ?? [];
    if (list.length < per) list.push(id);
    bySignature.set(signature, list);
  }
  const chosen = new Set([...bySignature.values()].flat());
  const pick = (predicate: (id: string) => boolean, n = 2) => {
    for (const id of people.filter(predicate).slice(0, n)) chosen.add(id);
  };
  const h = (id: string) => rows.household.get(id);
  const ps = (id: string) => rows.permits.get(id) ?? [];
  pick((id) => h(id)?.status === '正常' && h(id)?.birth_date === '1966-06-30'); // 60 on the day
  pick((id) => h(id)?.status === '正常' && h(id)?.birth_date === '1966-07-01'); // one day short
  pick((id) => !h(id) && ps(id).some((p) => p.issue_date === '2025-12-30')); // permit exactly six months old
  pick((id) => !h(id) && ps(id).some((p) => p.issue_date === '2025-12-31')); // one day short of six months
  pick((id) => h(id)?.deregistration_reason === '死亡' && ps(id).length > 0); // stale permit of a dead person
  pick((id) => h(id)?.deregistration_reason === '迁出');
  pick((id) => h(id)?.deregistration_reason === '其他');
  pick((id) => !h(id) && rows.validCards.has(id)); // a migrant holding a card
  pick((id) => !h(id) && ps(id).length > 1); // renewed permits
  const cases = [...chosen].map((id) => ({ id, name: nameOf(id) }));
  // Names that do not match: another person's name, and one character changed.
  const someone = cases.find((c) => h(c.id)?.status === '正常')!;
  cases.push({ id: someone.id, name: cases.find((c) => c.name !== someone.name)!.name });
  const migrant = cases.find((c) => !h(c.id))!;
  cases.push({ id: migrant.id, name: `${migrant.name}明` });
  // Valid ID numbers that no register knows.
  for (const [area, birth] of [
    ['110105', '1949-12-31'],
    ['440524', '1950-03-03'],
  ] as const) {
    for (let seq = 1; seq < 999; seq += 2) {
      const id = makeIdNumber(area, birth, seq);
      if (!h(id) && ps(id).length === 0) {
        cases.push({ id, name: '王建国' });
        break;
      }
    }
  }
  return cases;
}

beforeAll(async () => {
  city = await startTestCity();
  exportDir = mkdtempSync(join(tmpdir(), 'hutong-services-export-'));
  await city.exportData(exportDir);
  rows = loadCityRows(exportDir);
}, 120_000);

afterAll(async () => {
  await city?.close();
  if (exportDir) rmSync(exportDir, { recursive: true, force: true });
});

describe('acceptance 1: elderly-card decisions equal an independent implementation of §7', () => {
  it('decides residents across every rule branch exactly as the reference says', { timeout: 240_000 }, async () => {
    const cases = chooseElderlyCases(6);
    const signatures = new Set<string>();
    const mismatches: unknown[] = [];
    for (const { id, name } of cases) {
      const expected = expectedElderlyCard(rows, id, name, T, issuedHere);
      signatures.add(expected.join('+') || 'APPROVED');
      const answer = await apply('elderly-card', id, name);
      expect([201, 202], JSON.stringify(answer.json)).toContain(answer.status);
      const got = codes(answer);
      if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push({ id, expected, got });
      expect(answer.json.status).toBe(expected.length === 0 ? 'approved' : 'rejected');
      if (expected.length === 0) {
        issuedHere.add(id);
        expect(answer.json.certificate).toMatchObject({
          holderName: name,
          birthDate: rows.household.get(id)?.birth_date ?? expect.any(String),
        });
      } else {
        expect(answer.json.certificate).toBeNull();
      }
    }
    expect(mismatches).toEqual([]);
    // Every outcome of the rule is reached, alone and combined.
    for (const signature of [
      'APPROVED',
      'NOT_FOUND',
      'IDENTITY_MISMATCH',
      'NOT_RESIDENT',
      'DECEASED',
      'NOT_RESIDENT+DECEASED',
      'AGE_UNDER_60',
      'NOT_RESIDENT+AGE_UNDER_60',
      'ALREADY_HOLDS_CARD',
    ]) {
      expect(signatures, signature).toContain(signature);
    }
  });

  it('explains every reason in plain Chinese and reveals nothing else', async () => {
    const dead = [...rows.household.values()].find(
      (h) => h.deregistration_reason === '死亡' && !rows.permits.has(h.id_number!),
    )!;
    const answer = await apply('elderly-card', dead.id_number!, dead.name!);
    expect(codes(answer)).toEqual(expectedElderlyCard(rows, dead.id_number!, dead.name!, T));
    for (const reason of answer.json.reasons ?? []) expect(reason.explanation).toMatch(/[\u4e00-\u9fff]/);
    const text = JSON.stringify(answer.json);
    for (const secret of [dead.birth_date!, dead.address!, dead.deregistration_date!])
      expect(text).not.toContain(secret);
    expect(text).not.toContain(dead.id_number!);
  });

  it('decides the longevity allowance and the bus pass (an item written only as data) by the same rules', async () => {
    const h = [...rows.household.values()];
    const picks = [
      h.find(
        (r) =>
          r.status === '正常' &&
          r.birth_date! <= '1946-06-30' &&
          r.birth_date! > '1936-06-30' &&
          rows.ruralPension.has(r.id_number!),
      ),
      h.find(
        (r) =>
          r.status === '正常' &&
          r.birth_date! <= '1946-06-30' &&
          r.birth_date! > '1936-06-30' &&
          !rows.ruralPension.has(r.id_number!),
      ),
      h.find((r) => r.status === '正常' && r.birth_date! <= '1936-06-30' && r.birth_date! > '1926-06-30'),
      h.find((r) => r.status === '正常' && r.birth_date! <= '1926-06-30'),
      h.find((r) => r.status === '正常' && r.birth_date === '1946-07-01'),
      h.find((r) => r.status === '正常' && r.birth_date === '1946-06-30'),
      h.find((r) => r.deregistration_reason === '死亡' && r.birth_date! < '1940-01-01'),
      h.find((r) => r.deregistration_reason === '迁出' && r.birth_date! < '1946-01-01'),
    ].filter((row) => row !== undefined);
    const migrant = [...rows.permits.keys()].find((id) => !rows.household.has(id) && id.slice(6, 10) < '1946')!;
    const cases = [...picks.map((r) => ({ id: r.id_number!, name: r.name! })), { id: migrant, name: nameOf(migrant) }];
    for (const { id, name } of cases) {
      const answer = await apply('longevity-allowance', id, name);
      const expected = expectedAllowanceApplication(rows, id, name, T);
      expect({ id, codes: codes(answer) }).toEqual({ id, codes: expected });
      const entry = allowanceOf(rows, id, T);
      if (expected.length === 0) {
        expect(answer.json.benefit).toMatchObject({ tier: { id: entry!.tier }, monthlyAmount: entry!.amount });
      }
    }
    const local = h.find((r) => r.status === '正常' && r.birth_date! > '1956-07-01' && r.birth_date! < '1966-06-30')!;
    const pass = await apply('senior-bus-pass', local.id_number!, local.name!);
    expect(pass.json).toMatchObject({ status: 'approved', benefit: { tier: { id: 'half-fare' } } });
    expect(pass.json.certificate).toMatchObject({ holderName: local.name });
  });
});

describe('acceptance 2: the 免申即享 sweep equals the independent computation (small scale)', () => {
  for (const month of ['2026-06', '2026-07']) {
    it(`finds every eligible resident of ${month} with tier and amount, and the newly eligible`, async () => {
      const answer = await api('POST', '/sweeps', { item: 'longevity-allowance', month }, staff());
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      const result = answer.json as unknown as {
        eligible: { idNumber: string; tier: string; amount: number }[];
        newlyEligible: string[];
        requestIds: string[];
        totalAmount: number;
      };
      const expected = expectedSweep(rows, month);
      expect(result.eligible.map(({ idNumber, tier, amount }) => ({ idNumber, tier, amount }))).toEqual(
        expected.eligible,
      );
      expect(result.newlyEligible).toEqual(expected.newly);
      expect(result.totalAmount).toBe(expected.eligible.reduce((sum, entry) => sum + entry.amount, 0));
      // Batched: one roster call and one pension computation for everyone, not a call per resident.
      expect(result.requestIds.length).toBeLessThanOrEqual(3);
      expect(expected.eligible.length).toBeGreaterThan(100);
    });
  }

  it('names every resident the 公安 roster returned in the ledger: each sees the use, with its inclusion proof', async () => {
    const answer = await api('POST', '/sweeps', { item: 'longevity-allowance', month: '2026-06' }, staff());
    const result = answer.json as unknown as { eligible: { idNumber: string }[]; requestIds: string[] };
    // The roster's decision reaches the log once 公安's node has shipped it (every second).
    type Found = { items: { index: number; provider: string }[] };
    const search = (requestId: string) =>
      fetch(`${city.url}/api/v1/ledger/entries?requestId=${requestId}&pageSize=200`, { headers: staff() }).then(
        (r) => r.json() as Promise<Found>,
      );
    let roster: Found['items'] = [];
    for (let attempt = 0; attempt < 100 && roster.length === 0; attempt++) {
      for (const requestId of result.requestIds) {
        const found = (await search(requestId)).items.filter((item) => item.provider === 'gongan');
        if (found.length > 0) roster = found;
      }
      if (roster.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(roster.length).toBeGreaterThan(0);
    const named = new Set<string>();
    for (const { index } of roster) {
      const entry = (await provenEntry(city.url, index)) as { record: { subjects: string[] } };
      for (const subject of entry.record.subjects) named.add(subject);
    }
    const hash = city.subjectHash;
    const unnamed = result.eligible.filter((e) => !named.has(hash(e.idNumber)));
    expect(unnamed).toEqual([]);
    // As the residents see it: their records list the roster access, and its entry is proven in the log.
    const rosterIndexes = new Set(roster.map((item) => item.index));
    for (const { idNumber } of result.eligible.slice(0, 3)) {
      const usage = await dataUsageOf(city.url, { kind: 'citizen', idNumber, name: nameOf(idNumber) });
      const use = usage.find((record) => rosterIndexes.has(record.index));
      expect(use, idNumber).toMatchObject({ receiverCode: 'zhengwu', providerCode: 'gongan', mode: 'compute' });
      await provenEntry(city.url, use!.index);
    }
  });

  it('covers every tier, with and without the pension supplement', async () => {
    const { eligible } = expectedSweep(rows, '2026-06');
    const kinds = new Set(eligible.map((entry) => `${entry.tier}:${entry.amount}`));
    for (const kind of ['80-89:60', '80-89:110', '90-99:100', '90-99:150', '100+:800']) expect(kinds).toContain(kind);
  });
});

describe('certificates and idempotency', () => {
  const eligible = () =>
    [...rows.household.values()]
      .filter(
        (r) =>
          !issuedHere.has(r.id_number!) && expectedElderlyCard(rows, r.id_number!, r.name!, T, issuedHere).length === 0,
      )
      .map((r) => ({ id: r.id_number!, name: r.name!, birth: r.birth_date! }));

  it('issues a certificate signed by the issuing office that verifies with the published key', async () => {
    const [person] = eligible();
    const answer = await apply('elderly-card', person!.id, person!.name);
    expect(answer.json.status).toBe('approved');
    issuedHere.add(person!.id);
    const certificate = answer.json.certificate as unknown as {
      payload: string;
      number: string;
      qr: { svg: string; png: string };
      issuer: string;
    };
    expect(certificate.number).toMatch(/^QHYDE\d{4}\d{6}$/);
    expect(certificate.issuer).toBe('清河市民政局');
    expect(certificate.qr.svg).toContain('<svg');
    expect(certificate.qr.png).toMatch(/^data:image\/png;base64,/);
    const keys = (await api('GET', '/issuer-keys')).json.keys as Parameters<typeof verifyCertificate>[1];
    expect(keys.every((key) => key.algorithm === (city.crypto === 'gm' ? 'SM2' : 'Ed25519'))).toBe(true);
    expect(verifyCertificate(certificate.payload, keys, certificateSchemes)).toMatchObject({
      valid: true,
      certificate: { holderName: person!.name, birthDate: person!.birth, number: certificate.number },
    });
    const online = await api('POST', '/certificates/verify', { payload: certificate.payload });
    expect(online.json.valid).toBe(true);
    // The applicant looks the application up with the receipt; without it, nothing.
    const receipt = answer.json.receipt as string;
    const id = answer.json.id as string;
    expect((await api('GET', `/applications/${id}`, undefined, { 'x-receipt': receipt })).json.status).toBe('approved');
    expect((await api('GET', `/applications/${id}`)).json.code).toBe('RECEIPT_REQUIRED');
    const png = await fetch(`${city.url}/apps/services/v1/applications/${id}/certificate.png`, {
      headers: { 'x-receipt': receipt },
    });
    expect(png.headers.get('content-type')).toBe('image/png');
  });

  it('never issues two cards: the same key answers the same application, a later one ALREADY_HOLDS_CARD', async () => {
    const [, person] = eligible();
    const key = { 'idempotency-key': `k-${person!.id.slice(-6)}` };
    const first = await apply('elderly-card', person!.id, person!.name, {}, key);
    const again = await apply('elderly-card', person!.id, person!.name, {}, key);
    expect([201, 202]).toContain(first.status);
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(first.json.id);
    expect(again.json.receipt).toBeUndefined();
    const later = await apply('elderly-card', person!.id, person!.name);
    expect([201, 202]).toContain(later.status);
    expect(codes(later)).toEqual(['ALREADY_HOLDS_CARD']);
    issuedHere.add(person!.id);
  });

  it('binds an Idempotency-Key to its caller and its request: another one gets 409, never the result', async () => {
    const [, , , , person, other] = eligible();
    const key = { 'idempotency-key': `web-${person!.id.slice(-6)}` };
    const first = await apply('elderly-card', person!.id, person!.name, {}, key);
    issuedHere.add(person!.id);
    // Another request under the same key (another person): refused, and nothing of the first is shown.
    const stranger = await api(
      'POST',
      '/applications',
      { item: 'elderly-card', idNumber: other!.id, name: other!.name, consent: true, asOf: T },
      { ...staff(), ...key },
    );
    expect({ status: stranger.status, code: stranger.json.code }).toEqual({
      status: 409,
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    expect(JSON.stringify(stranger.json)).not.toContain(String(first.json.id));
    // The same key from another caller with the same body: refused too.
    const resident = await loginAs(person!);
    const fromResident = await api(
      'POST',
      '/applications',
      { item: 'elderly-card', idNumber: person!.id, name: person!.name, consent: true, asOf: T },
      { authorization: `Bearer ${resident}`, ...key },
    );
    expect(fromResident.json.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('answers no one but the resident, for their own ID number, or the counter', async () => {
    const [person, other] = eligible().slice(6);
    const body = { item: 'elderly-card', idNumber: person!.id, name: person!.name, consent: true, asOf: T };
    // Anonymous: nothing about the person, whoever it is (existing, dead or unknown alike).
    const anonymous = await api('POST', '/applications', body);
    expect({ status: anonymous.status, code: anonymous.json.code }).toEqual({
      status: 401,
      code: 'RESIDENT_LOGIN_REQUIRED',
    });
    const dead = [...rows.household.values()].find((h) => h.deregistration_reason === '死亡')!;
    const unknown = await api('POST', '/applications', { ...body, idNumber: dead.id_number, name: dead.name });
    const { instance: _a, ...first } = anonymous.json;
    const { instance: _b, ...second } = unknown.json;
    expect(second).toEqual(first);
    // Logged in as someone else: not for this person.
    const otherToken = await loginAs(other!);
    const notOwn = await api('POST', '/applications', body, { authorization: `Bearer ${otherToken}` });
    expect({ status: notOwn.status, code: notOwn.json.code }).toEqual({ status: 403, code: 'NOT_OWN_ID_NUMBER' });
    // Logged in as themselves: the decision, its reasons and the certificate.
    const own = await api('POST', '/applications', body, { authorization: `Bearer ${await loginAs(person!)}` });
    expect([201, 202]).toContain(own.status);
    expect(own.json.status === 'pending_verification' || own.json.status === 'approved').toBe(true);
    issuedHere.add(person!.id);
  });

  it('issues one card when the same person applies several times at once', async () => {
    const [, , person] = eligible();
    const answers = await Promise.all(Array.from({ length: 4 }, () => apply('elderly-card', person!.id, person!.name)));
    // Each answer is the one application that won (answered again while in progress or done), or a later
    // one refused because the person now holds the card.
    const approvedIds = new Set(answers.filter((a) => a.json.status === 'approved').map((a) => a.json.id));
    expect(approvedIds.size).toBe(1);
    for (const answer of answers) {
      if (approvedIds.has(answer.json.id)) continue;
      if (answer.json.status === 'pending_verification') {
        const again = await api('GET', `/applications/${answer.json.id}`, undefined, staff());
        expect(approvedIds.has(again.json.id) || codes(again).join() === 'ALREADY_HOLDS_CARD').toBe(true);
      } else {
        expect(codes(answer)).toEqual(['ALREADY_HOLDS_CARD']);
      }
    }
    const list = await api('POST', '/applications/search', { idNumber: person!.id, item: 'elderly-card' }, staff());
    const certificates = (list.json.items as { certificate: { number: string } | null }[]).filter((a) => a.certificate);
    expect(certificates).toHaveLength(1);
    issuedHere.add(person!.id);
  });
});

describe('bad input is a 4xx with a stable code, never a decision or a 500', () => {
  const person = () => [...rows.household.values()].find((r) => r.status === '正常')!;

  it.each([
    ['a wrong check character', { idNumber: '110105194912310021' }, 400, 'INVALID_ID_NUMBER'],
    ['an impossible birth date', { idNumber: '110105194902300021' }, 400, 'INVALID_ID_NUMBER'],
    ['too short', { idNumber: '11010519491231' }, 400, 'INVALID_ID_NUMBER'],
    ['no consent', { consent: false }, 400, 'CONSENT_REQUIRED'],
    ['a name of digits', { name: '12345' }, 400, 'INVALID_NAME'],
    ['an unknown item', { item: 'no-such-item' }, 404, 'ITEM_NOT_FOUND'],
    ['a bad as-of date', { asOf: '2026-02-30' }, 400, 'VALIDATION_FAILED'],
    ['an unknown field', { extra: 1 }, 400, 'VALIDATION_FAILED'],
  ] as const)('%s', async (_label, change, status, code) => {
    const answer = await api(
      'POST',
      '/applications',
      { item: 'elderly-card', idNumber: person().id_number, name: person().name, consent: true, ...change },
      staff(),
    );
    expect({ status: answer.status, code: answer.json.code }).toEqual({ status, code });
  });

  it('keeps staff routes to 政务服务办 and checks sweep input', async () => {
    expect((await api('GET', '/applications')).json.code).toBe('UNAUTHENTICATED');
    const other = { authorization: `Bearer ${city.credentials.tokens.caizheng}` };
    expect((await api('GET', '/applications', undefined, other)).json.code).toBe('FORBIDDEN_ROLE');
    expect((await api('POST', '/sweeps', { item: 'longevity-allowance', month: '2026-13' }, staff())).json.code).toBe(
      'INVALID_MONTH',
    );
    expect((await api('POST', '/sweeps', { item: 'elderly-card', month: '2026-06' }, staff())).json.code).toBe(
      'NO_SWEEP',
    );
    expect((await api('POST', '/sweeps', { item: 'longevity-allowance', month: '2026-06' }, other)).status).toBe(403);
    expect((await api('GET', '/applications', undefined, { authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('counts the counter: applications, instant decisions, documents not brought, trips saved', async () => {
    const metrics = (await api('GET', '/metrics', undefined, staff())).json as unknown as Record<
      'applications' | 'instantDecisions' | 'pending' | 'approved' | 'rejected' | 'documentsSaved' | 'tripsSaved',
      number
    >;
    // The figures add up to the applications themselves, read one by one.
    const listed = (await api('GET', '/applications?pageSize=200', undefined, staff())).json.items as unknown as {
      id: string;
      status: string;
      decidedInstantly: boolean;
      item: { id: string };
    }[];
    expect(listed).toHaveLength(metrics.applications);
    const items = loadItemCatalog(join(projectRoot, 'services', 'items'));
    const decided = listed.filter((a) => a.status !== 'pending_verification');
    expect(metrics.applications).toBeGreaterThan(50);
    expect(metrics.pending).toBe(listed.length - decided.length);
    expect(metrics.approved).toBe(listed.filter((a) => a.status === 'approved').length);
    expect(metrics.rejected).toBe(listed.filter((a) => a.status === 'rejected').length);
    expect(metrics.instantDecisions).toBe(listed.filter((a) => a.decidedInstantly).length);
    const saved = (pick: (def: ReturnType<typeof items.get>) => number) =>
      decided.reduce((sum, a) => sum + pick(items.get(a.item.id)), 0);
    expect(metrics.documentsSaved).toBe(saved((def) => def.before.documents.length));
    expect(metrics.tripsSaved).toBe(saved((def) => def.before.trips));
    // Every application this suite did not see kept pending was decided at once, none is left pending.
    expect(metrics.instantDecisions).toBe(metrics.applications - keptPending.size);
    expect(metrics.pending).toBe(0);
  });
});

describe('CLI against the running city', () => {
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
  };
  const server = () => ({ url: city.url, data: city.dataDir, json: true });

  it('`services apply --json` prints the decision, reason codes and certificate; `cert verify` checks it offline', async () => {
    const person = [...rows.household.values()].find(
      (r) =>
        !issuedHere.has(r.id_number!) && expectedElderlyCard(rows, r.id_number!, r.name!, T, issuedHere).length === 0,
    )!;
    const dir = mkdtempSync(join(tmpdir(), 'hutong-cli-'));
    try {
      const run = capture();
      const certOut = join(dir, 'card.txt');
      const code = await runServicesApply(
        {
          ...server(),
          item: 'elderly-card',
          id: person.id_number!,
          name: person.name!,
          asOf: T,
          certOut,
          qrPng: join(dir, 'card.png'),
        },
        run.io,
      );
      expect(code).toBe(0);
      const printed = JSON.parse(run.out[0]!);
      expect(printed).toMatchObject({ decision: 'approved', reasons: [], certificate: { holderName: person.name } });
      issuedHere.add(person.id_number!);
      // Offline: the key file the demo wrote into its data folder, no server.
      const verify = capture();
      expect(await runCertVerify(certOut, { data: city.dataDir, json: true }, verify.io)).toBe(0);
      expect(JSON.parse(verify.out[0]!)).toMatchObject({
        valid: true,
        certificate: { number: printed.certificate.number },
      });
      const signed = readFileSync(certOut, 'utf8').trim();
      const tampered = `${signed.slice(0, -4)}${signed.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
      writeFileSync(join(dir, 'bad.txt'), tampered);
      expect(await runCertVerify(join(dir, 'bad.txt'), { data: city.dataDir }, capture().io)).toBe(1);
      expect(readFileSync(join(dir, 'card.png')).subarray(1, 4).toString('latin1')).toBe('PNG');

      const again = capture();
      await runServicesApply(
        { ...server(), item: 'elderly-card', id: person.id_number!, name: person.name!, asOf: T },
        again.io,
      );
      expect(JSON.parse(again.out[0]!)).toEqual({
        decision: 'rejected',
        reasons: ['ALREADY_HOLDS_CARD'],
        certificate: null,
      });

      const bad = capture();
      expect(
        await runServicesApply({ ...server(), item: 'elderly-card', id: '110105194912310021', name: '张三' }, bad.io),
      ).toBe(2);
      expect(JSON.parse(bad.out[0]!).error).toMatchObject({ status: 400, code: 'INVALID_ID_NUMBER' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`services sweep --json` lists the eligible with amounts', async () => {
    const run = capture();
    expect(await runServicesSweep({ ...server(), item: 'longevity-allowance', month: '2026-06' }, run.io)).toBe(0);
    const result = JSON.parse(run.out[0]!) as { eligible: { idNumber: string; tier: string; amount: number }[] };
    expect(result.eligible.map(({ idNumber, tier, amount }) => ({ idNumber, tier, amount }))).toEqual(
      expectedSweep(rows, '2026-06').eligible,
    );
  });

  it('runs as `npx hutong services apply … --json`', { timeout: 60_000 }, async () => {
    const person = [...rows.household.values()].find((r) => r.status === '正常' && r.birth_date! > '1990-01-01')!;
    // A child process (not spawnSync: the city runs in this process's event loop).
    const child = spawn(
      process.execPath,
      [
        join(projectRoot, 'bin/hutong.js'),
        'services',
        'apply',
        '--item',
        'elderly-card',
        '--id',
        person.id_number!,
        '--name',
        person.name!,
        '--as-of',
        T,
        '--json',
        '--url',
        city.url,
        '--data',
        city.dataDir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(status, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ decision: 'rejected', reasons: ['AGE_UNDER_60'], certificate: null });
  });
});
