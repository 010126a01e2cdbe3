/**
 * Resilience: with 公安's node down, applications are kept "pending verification" (待核验) — nothing is lost
 * and nothing decided on partial data — and the applicant is told plainly; once the node is back, the
 * background retry decides them exactly as it would have.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningNode, startNode } from '../../composition/node';
import { type CityRows, expectedElderlyCard, loadCityRows } from '../../testing/services-reference';
import { startTestCity, type TestCity } from '../../testing/test-city';

const T = '2026-06-30';
let city: TestCity;
let rows: CityRows;
let restarted: RunningNode | undefined;

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${city.url}/apps/services/v1${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const staff = () => ({ authorization: `Bearer ${city.credentials.tokens.zhengwu}` });

/** Polls until the application is decided (the retry worker runs on its own schedule); no time is asserted. */
async function decided(id: string, receipt: string): Promise<Record<string, unknown>> {
  for (;;) {
    const { json } = await api('GET', `/applications/${id}`, undefined, { 'x-receipt': receipt });
    if (json.status !== 'pending_verification') return json;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  city = await startTestCity();
  const out = mkdtempSync(join(tmpdir(), 'hutong-services-resilience-'));
  try {
    await city.exportData(out);
    rows = loadCityRows(out);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 120_000);

afterAll(async () => {
  await restarted?.close();
  await city?.close();
});

describe('a provider node down during applications', () => {
  it('keeps applications pending, then decides them once the node is back', { timeout: 120_000 }, async () => {
    const people = [...rows.household.values()].filter((h) => h.status === '正常');
    const approvedPerson = people.find((h) => expectedElderlyCard(rows, h.id_number!, h.name!, T).length === 0)!;
    const youngPerson = people.find((h) => h.birth_date! > '1990-01-01')!;
    const gongan = city.node('gongan');
    const port = Number(new URL(gongan.url).port);
    await gongan.close();

    const submitted: { id: string; receipt: string; expected: string[] }[] = [];
    for (const person of [approvedPerson, youngPerson]) {
      const answer = await api(
        'POST',
        '/applications',
        { item: 'elderly-card', idNumber: person.id_number, name: person.name, consent: true, asOf: T },
        staff(),
      );
      expect(answer.status).toBe(202);
      expect(answer.json).toMatchObject({
        status: 'pending_verification',
        decision: null,
        reasons: [],
        certificate: null,
      });
      expect(answer.json.message).toContain('无需重新提交');
      submitted.push({
        id: answer.json.id as string,
        receipt: answer.json.receipt as string,
        expected: expectedElderlyCard(rows, person.id_number!, person.name!, T),
      });
    }
    // Counter staff see why it waits and may retry at once; still down, it stays pending.
    const retried = await api('POST', `/applications/${submitted[0]!.id}/retry`, {}, staff());
    expect(retried.json).toMatchObject({ status: 'pending_verification' });
    expect(String(retried.json.lastError)).toMatch(/UNREACHABLE|NETWORK|TIMEOUT|UNAVAILABLE/);
    const waiting = await api('GET', '/applications?status=pending_verification', undefined, staff());
    expect((waiting.json.items as { id: string }[]).map((a) => a.id)).toEqual(
      expect.arrayContaining(submitted.map((s) => s.id)),
    );

    restarted = await startNode({ ...city.nodeOptions('gongan'), port });

    for (const { id, receipt, expected } of submitted) {
      const result = await decided(id, receipt);
      expect(result.status).toBe(expected.length === 0 ? 'approved' : 'rejected');
      expect((result.reasons as { code: string }[]).map((r) => r.code)).toEqual(expected);
      expect(result.decidedInstantly).toBe(false);
    }
    const first = await api('GET', `/applications/${submitted[0]!.id}`, undefined, staff());
    expect(first.json.certificate).toMatchObject({ holderName: approvedPerson.name });
    expect((await api('POST', `/applications/${submitted[0]!.id}/retry`, {}, staff())).json.code).toBe(
      'ALREADY_DECIDED',
    );
    const metrics = await api('GET', '/metrics', undefined, staff());
    expect(metrics.json).toMatchObject({ applications: 2, instantDecisions: 0, pending: 0 });
  });
});
