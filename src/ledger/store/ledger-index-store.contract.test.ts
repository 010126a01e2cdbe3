/**
 * One contract suite for the log's query index and the subject sessions, on SQLite always and on
 * PostgreSQL when configured: rows derived from real canonical-JSON entries by the indexer.
 */
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { canonicalJsonBytes } from '../../core/ledger/canonical-json';
import { indexEntry, LedgerIndexer } from '../service/ledger-index';
import { testDialects, withFreshStore } from '../../platform/db/test-databases';
import { KyselyLedgerIndexStore } from './kysely-ledger-index-store';
import type { LedgerIndexDatabase } from './ledger-index-schema';

const hashA = 'A'.repeat(43);
const hashB = 'B'.repeat(43);

function access(at: string, extra: Record<string, unknown> = {}) {
  return canonicalJsonBytes({
    v: 1,
    type: 'access',
    action: 'served',
    at,
    actor: 'gongan',
    consumerCode: 'zhengwu',
    providerCode: 'gongan',
    resourceCode: 'gongan.household',
    agreementId: 'GX-1',
    mode: 'verify',
    items: ['id_number', 'name'],
    purpose: '一网通办',
    requestId: `req-${at}`,
    code: null,
    subjects: [hashA],
    ...extra,
  });
}

const page = { page: 1, pageSize: 20 };
const noCovert = { today: '2026-12-01', consumers: [] as string[] };

describe.each(testDialects())('ledger index on $name', (dialect) => {
  let store: KyselyLedgerIndexStore;
  let log: Uint8Array[];
  let indexer: LedgerIndexer;

  withFreshStore(
    dialect,
    (db: Kysely<LedgerIndexDatabase>) => new KyselyLedgerIndexStore(db),
    async (opened) => {
      store = opened;
      log = [];
      indexer = new LedgerIndexer(
        store,
        {
          size: async () => log.length,
          readEntries: async (start, end) => log.slice(start, end).map((data, i) => ({ index: start + i, data })),
        },
        3,
      );
    },
  );

  it('starts empty; migrating again is a no-op', async () => {
    await store.migrate();
    expect(await store.indexedSize()).toBe(0);
    expect(await indexer.catchUp()).toBe(0);
    expect((await store.search({}, page)).total).toBe(0);
  });

  it('indexes entries in batches, resumes where it stopped, and refuses a second writer', async () => {
    log.push(access('2026-11-01T01:00:00Z'), access('2026-11-02T01:00:00.000Z'));
    log.push(
      canonicalJsonBytes({
        v: 1,
        type: 'member',
        action: 'register',
        at: '2026-10-01T00:00:00Z',
        actor: 'system',
        memberCode: 'x',
      }),
    );
    log.push(Uint8Array.of(0xff, 0x00), access('2026-11-03T01:00:00Z', { subjects: [hashA, hashB, hashA, 'raw'] }));
    expect(await indexer.catchUp()).toBe(5);
    expect(await store.indexedSize()).toBe(5);
    const all = await store.search({}, page);
    expect(all.total).toBe(5);
    // Newest first by the event's time; an unreadable entry is kept as 'other' at the epoch.
    expect(all.items.map((e) => e.index)).toEqual([4, 1, 0, 2, 3]);
    expect(all.items[0]).toMatchObject({ kind: 'access', subjectCount: 2, logtime: '2026-11-03T01:00:00.000Z' });
    expect(all.items.at(-1)).toMatchObject({ kind: 'other', index: 3 });
    await expect(store.addEntries(0, 1, [indexEntry(0, log[0]!)])).rejects.toThrow();
    // A fresh indexer (a restart) continues from the stored cursor.
    log.push(access('2026-11-04T01:00:00Z'));
    const restarted = new LedgerIndexer(store, {
      size: async () => log.length,
      readEntries: async (start, end) => log.slice(start, end).map((data, i) => ({ index: start + i, data })),
    });
    expect(await restarted.catchUp()).toBe(6);
    expect((await store.search({}, page)).total).toBe(6);
  });

  it('filters by request, parties, resource, kind, decision and period, and pages', async () => {
    log.push(
      access('2026-11-01T01:00:00Z', { requestId: 'r-1' }),
      access('2026-11-02T01:00:00Z', {
        consumerCode: 'jingxin',
        providerCode: 'shuiwu',
        resourceCode: 'shuiwu.tax_annual',
      }),
      access('2026-11-03T01:00:00Z', { action: 'denied', code: 'PURPOSE_MISMATCH', subjects: [] }),
      canonicalJsonBytes({
        v: 1,
        type: 'resource',
        action: 'publish',
        at: '2026-11-04T00:00:00Z',
        actor: 'shuiwu',
        resourceCode: 'shuiwu.tax_annual',
      }),
    );
    await indexer.catchUp();
    const idx = async (filter: Parameters<KyselyLedgerIndexStore['search']>[0]) =>
      (await store.search(filter, page)).items.map((e) => e.index);
    expect(await idx({ requestId: 'r-1' })).toEqual([0]);
    expect(await idx({ consumer: 'jingxin' })).toEqual([1]);
    expect(await idx({ provider: 'shuiwu' })).toEqual([3, 1]);
    expect(await idx({ parties: ['shuiwu'] })).toEqual([3, 1]);
    expect(await idx({ parties: ['zhengwu'] })).toEqual([2, 0]);
    expect(await idx({ parties: ['zhengwu', 'gongan'] })).toEqual([2, 0]);
    expect(await idx({ parties: ['zhengwu', 'shuiwu'] })).toEqual([]);
    expect(await idx({ before: 2 })).toEqual([1, 0]);
    expect(await idx({ order: 'index' })).toEqual([3, 2, 1, 0]);
    expect(await idx({ resource: 'shuiwu.tax_annual', kind: 'resource' })).toEqual([3]);
    expect(await idx({ decision: 'denied' })).toEqual([2]);
    expect(await idx({ from: '2026-11-02T00:00:00.000Z', to: '2026-11-03T01:00:00.000Z' })).toEqual([1]);
    const second = await store.search({}, { page: 2, pageSize: 3 });
    expect(second).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(second.items.map((e) => e.index)).toEqual([0]);
  });

  it('finds a subject’s served accesses, newest first, and withholds covert ones until disclosure', async () => {
    log.push(
      access('2026-11-01T01:00:00Z'),
      access('2026-11-02T01:00:00Z', { subjects: [hashB] }),
      access('2026-11-03T01:00:00Z', { consumerCode: 'gongan', providerCode: 'renshe', covertUntil: '2027-01-01' }),
      // A flag from a consumer that is not allow-listed is not honoured.
      access('2026-11-04T01:00:00Z', { consumerCode: 'jingxin', covertUntil: '2027-01-01' }),
      access('2026-11-05T01:00:00Z', { covertUntil: 'soon' }),
    );
    await indexer.catchUp();
    const rule = (today: string) => ({ today, consumers: ['gongan'] });
    const usage = async (today: string, extra: { from?: string; to?: string } = {}) =>
      (await store.usage({ subjectHashes: [hashA], covert: rule(today), ...extra }, page)).items.map((e) => e.index);
    expect(await usage('2026-12-01')).toEqual([4, 3, 0]);
    expect((await store.usage({ subjectHashes: [hashA], covert: noCovert }, page)).total).toBe(4);
    expect(await usage('2026-12-31')).toEqual([4, 3, 0]);
    expect(await usage('2027-01-01')).toEqual([4, 3, 2, 0]);
    expect(await usage('2026-12-01', { from: '2026-11-04T00:00:00.000Z' })).toEqual([4, 3]);
    expect(
      (await store.usage({ subjectHashes: [hashB], covert: rule('2026-12-01') }, page)).items.map((e) => e.index),
    ).toEqual([1]);

    const withheld = await store.withheld(rule('2026-12-01'), page);
    expect(withheld.total).toBe(1);
    expect(withheld.items.map((e) => e.index)).toEqual([2]);
    expect(withheld.items[0]!.covertUntil).toBe('2027-01-01');
    expect(withheld.byConsumer).toEqual([{ consumer: 'gongan', count: 1, until: '2027-01-01' }]);
    expect((await store.withheld(rule('2027-01-01'), page)).total).toBe(0);
    expect((await store.withheld(noCovert, page)).total).toBe(0);

    // Disclosure dates already past, for the session's covert hashes; several hashes find their entries once.
    expect(await store.disclosedCovertDates(rule('2026-12-31'))).toEqual([]);
    expect(await store.disclosedCovertDates(rule('2027-01-01'))).toEqual(['2027-01-01']);
    expect(await store.disclosedCovertDates(noCovert)).toEqual([]);
    const both = await store.usage({ subjectHashes: [hashA, hashB, hashA], covert: rule('2026-12-01') }, page);
    expect(both.items.map((e) => e.index)).toEqual([4, 3, 1, 0]);
    expect((await store.usage({ subjectHashes: [], covert: noCovert }, page)).total).toBe(0);
  });

  it('keeps subject sessions by token digest', async () => {
    const session = {
      tokenDigest: 'd'.repeat(64),
      kind: 'citizen' as const,
      subjectHash: hashA,
      covertHashes: [hashB],
      displayName: '张*',
      createdAt: '2026-12-01T00:00:00.000Z',
      expiresAt: '2026-12-01T01:00:00.000Z',
    };
    await store.insertSubjectSession(session);
    expect(await store.findSubjectSession(session.tokenDigest)).toEqual(session);
    await store.deleteSubjectSession(session.tokenDigest);
    expect(await store.findSubjectSession(session.tokenDigest)).toBeUndefined();
  });
});
