/**
 * The hub records its own audit events in the Merkle log it serves under /ledger: every agreement
 * transition and catalog change becomes one canonical-JSON entry, provable against a signed checkpoint,
 * and none of them carries free text or usernames.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeLedgerCrypto as c } from '../platform/crypto/ledger-crypto';
import { base64Decode } from '../core/ledger/bytes';
import { openCheckpoint } from '../core/ledger/checkpoint';
import { leafHash, verifyInclusion } from '../core/ledger/merkle';
import { ed25519NoteVerifier } from '../core/ledger/note';
import { createTestHub, type InProcessTestHub } from '../testing/test-hub';

let t: InProcessTestHub;

beforeAll(async () => {
  t = await createTestHub({ now: '2026-11-27T02:00:00.000Z' });
});
afterAll(async () => {
  await t.close();
});

async function get(url: string) {
  const response = await t.hub.app.inject({ method: 'GET', url });
  return { status: response.statusCode, body: response.body, type: String(response.headers['content-type']) };
}

describe('the hub’s audit log', () => {
  it('logs an approval as one entry, provable against the signed checkpoint', async () => {
    const before = await t.hub.log.size();
    const apply = await t.hub.app.inject({
      method: 'POST',
      url: '/api/v1/agreements',
      headers: { authorization: `Bearer ${t.credentials.tokens.caizheng}` },
      payload: {
        resourceCode: 'tongji.enterprise_annual',
        purpose: '张三要求的专项统计（自由文本不得入账）',
        legalBasis: 'x',
        items: ['year', 'value_added'],
        modes: ['aggregate'],
        validFrom: '2026-11-27',
        validTo: '2027-06-30',
        rateLimitPerMinute: 10,
      },
    });
    const id = JSON.parse(apply.body).id as string;
    await t.hub.app.inject({
      method: 'POST',
      url: `/api/v1/agreements/${id}/reject`,
      headers: { authorization: `Bearer ${t.credentials.tokens.tongji}` },
      payload: { reason: '李四说不行' },
    });
    expect(await t.hub.log.size()).toBe(before + 2);
    await t.hub.log.publishCheckpoint(t.clock.now());

    const vkey = (await get('/ledger/vkey')).body.trim();
    const note = (await get('/ledger/checkpoint')).body;
    const { checkpoint } = openCheckpoint(note, 'qinghe.gov.cn/hutong/log', [ed25519NoteVerifier(c, vkey)]);
    expect(checkpoint.size).toBe(before + 2);

    const last = JSON.parse((await get(`/ledger/entries/${before + 1}`)).body) as {
      data: string;
      inclusionProof: string[];
    };
    const entry = JSON.parse(last.data) as Record<string, unknown>;
    expect(entry).toMatchObject({
      v: 2,
      type: 'agreement',
      action: 'reject',
      agreementId: id,
      actor: 'tongji',
      toStatus: 'rejected',
    });
    verifyInclusion(
      c,
      before + 1,
      checkpoint.size,
      leafHash(c, new TextEncoder().encode(last.data)),
      last.inclusionProof.map(base64Decode),
      checkpoint.root,
    );
    for (const text of ['张三', '李四', '自由文本', 'tongji.enterprise_annual'.toUpperCase()])
      expect(last.data).not.toContain(text);
  });

  it('starts with the seeded city in the log: members, catalog and every agreement transition', async () => {
    const seeded = await Promise.all(
      [0, 1, 20].map(async (index) => JSON.parse(JSON.parse((await get(`/ledger/entries/${index}`)).body).data)),
    );
    expect(seeded[0]).toMatchObject({ type: 'member', action: 'register', memberCode: 'gongan' });
    expect(seeded.every((entry) => typeof entry.at === 'string')).toBe(true);
  });

  it('stamps every entry with the log’s own time, which never goes back; the event keeps its own', async () => {
    await t.hub.log.publishCheckpoint(t.clock.now());
    const size = await t.hub.log.size();
    const entries = await Promise.all(
      Array.from({ length: size }, async (_, index) =>
        JSON.parse(new TextDecoder().decode(await t.hub.log.entry(index))),
      ),
    );
    const logged = entries.map((entry) => entry.loggedAt as string);
    expect(logged.every((time) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(time))).toBe(true);
    expect(logged).toEqual([...logged].sort());
    // The seeded history is back-dated: its events' own times are older than when the log took them.
    expect(entries.some((entry) => entry.type === 'agreement' && entry.at < entry.loggedAt)).toBe(true);
  });
});
