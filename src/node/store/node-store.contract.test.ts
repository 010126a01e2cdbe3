/** One contract suite for a node's own tables, on SQLite always and on PostgreSQL when configured. */
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type Agreement, openApplication, revoke } from '../../core/agreements/agreement';
import type { AccessRecordDraft } from '../../core/audit/access-record';
import { linkRecord, recordHash } from '../../core/audit/chain';
import type { AuditAppend, AuditEvent, ChainLinker } from '../../core/ports/node-store';
import { nodeLedgerCrypto } from '../../platform/crypto/ledger-crypto';
import { type TestDatabase, testDialects, withFreshStore } from '../../platform/db/test-databases';
import { KyselyNodeStore } from './kysely-node-store';
import type { NodeDatabase } from './node-schema';
import { dataItem, testResource } from '../../core/catalog/resource.test-helper';

const now = new Date('2026-11-27T02:00:00Z');

function agreement(id: string): Agreement {
  return openApplication({
    id,
    resource: testResource({
      code: 'gongan.household',
      name: '户籍',
      items: [dataItem('id_number', '身份号码', 'string', 4, 'citizen')],
      accessModes: ['verify'],
      publishedAt: '2026-01-01',
    }),
    consumer: { memberCode: 'zhengwu', memberRole: 'consumer', roles: ['data_officer'], username: 'z' },
    request: {
      purpose: 'p',
      legalBasis: 'l',
      items: ['id_number'],
      modes: ['verify'],
      predicates: [{ op: 'isNull', item: 'id_number' }],
      validFrom: '2026-11-27',
      validTo: '2027-11-27',
      rateLimitPerMinute: 10,
    },
    now,
    dueAt: now,
  });
}

const event = (id: string, decision: AuditEvent['decision'] = 'served'): AuditEvent => ({
  eventId: id,
  at: now.toISOString(),
  decision,
  code: decision === 'denied' ? 'RATE_LIMITED' : null,
  consumerCode: 'zhengwu',
  providerCode: 'gongan',
  resourceCode: 'gongan.household',
  agreementId: 'GX-1',
  mode: 'verify',
  items: ['id_number', 'birth_date'],
  purpose: '优待证',
  officer: 'clerk',
  caseId: 'C1',
  requestId: `r-${id}`,
  requestDigest: 'sha-256=:abc:',
  responseDigest: null,
  subjectHashes: ['h1'],
  signerKey: 'zhengwu:k1',
  nonce: `nonce-${id}`,
});

const link: ChainLinker = (draft, seq, prev) => linkRecord(nodeLedgerCrypto, draft, seq, prev);

/** The public record a node would chain for the event (the contract needs any well-formed one). */
function withDraft(event: AuditEvent): AuditAppend {
  const draft: AccessRecordDraft = {
    v: 2,
    node: event.providerCode,
    eventId: event.eventId,
    at: event.at,
    decision: event.decision,
    code: event.code,
    consumerCode: event.consumerCode,
    resourceCode: event.resourceCode,
    agreementId: null,
    mode: event.mode,
    items: event.items,
    requestId: null,
    requestDigest: null,
    responseDigest: null,
    officer: null,
    caseId: null,
    subjects: [],
  };
  return { event, draft };
}

for (const dialect of testDialects()) {
  describe(`node store on ${dialect.name}`, () => {
    let database: TestDatabase<NodeDatabase>;
    let store: KyselyNodeStore;

    const append = (target: KyselyNodeStore, events: AuditEvent[]) => target.appendAudit(events.map(withDraft), link);

    withFreshStore(
      dialect,
      (db: Kysely<NodeDatabase>) => new KyselyNodeStore(db),
      (opened, fresh) => {
        store = opened;
        database = fresh;
      },
    );

    it('keeps the agreements the hub confirmed, and when', async () => {
      expect(await store.lastSync()).toBeUndefined();
      await store.replaceAgreements([agreement('GX-1'), agreement('GX-2')], now.toISOString());
      expect(await store.lastSync()).toBe(now.toISOString());
      const revoked = revoke(
        agreement('GX-1'),
        { memberCode: 'gongan', memberRole: 'provider', roles: ['reviewer'], username: 'g' },
        '撤销',
        now,
      );
      await store.upsertAgreement(revoked, '2026-11-27T03:00:00.000Z');
      expect(await store.getAgreement('GX-1')).toEqual({ agreement: revoked, confirmedAt: '2026-11-27T03:00:00.000Z' });
      await store.replaceAgreements([agreement('GX-3')], '2026-11-27T04:00:00.000Z');
      expect((await store.listAgreements()).map((c) => c.agreement.id)).toEqual(['GX-3']);
    });

    it('appends audit events with increasing sequence numbers and refuses to change them', async () => {
      const first = await append(store, [event('e1'), event('e2', 'denied')]);
      expect(first.map((e) => e.seq)).toEqual([1, 2]);
      const reopened = new KyselyNodeStore(database.db);
      expect((await append(reopened, [event('e3')]))[0]?.seq).toBe(3);
      expect(await store.countAudit()).toBe(3);
      expect((await store.recentAudit(2)).map((e) => e.eventId)).toEqual(['e3', 'e2']);
      expect((await store.recentAudit(10, { decision: 'denied' })).map((e) => e.code)).toEqual(['RATE_LIMITED']);
      expect((await store.recentAudit(1))[0]).toMatchObject({
        items: ['id_number', 'birth_date'],
        subjectHashes: ['h1'],
      });
      await expect(
        database.db.updateTable('node_audit').set({ decision: 'served' }).where('seq', '=', 2).execute(),
      ).rejects.toThrow();
      await expect(database.db.deleteFrom('node_audit').where('seq', '=', 1).execute()).rejects.toThrow();
      expect(await store.countAudit()).toBe(3);
    });

    it('refuses a duplicate event id without losing the others', async () => {
      await append(store, [event('e1')]);
      await expect(append(store, [event('e2'), event('e1')])).rejects.toThrow();
      const [next] = await append(store, [event('e4')]);
      expect(next?.seq).toBe(2);
      // The failed batch left no trace in the chain either: record 2 follows record 1.
      expect(next?.record.prev).toBe((await store.auditAt(1))?.recordHash);
    });

    it('links every record to the one before it, across batches and store instances', async () => {
      expect(await store.auditHead()).toBeUndefined();
      const [one, two] = await append(store, [event('e1'), event('e2')]);
      expect(one?.record).toMatchObject({ seq: 1, prev: null, eventId: 'e1' });
      expect(one?.recordHash).toBe(recordHash(nodeLedgerCrypto, one!.record));
      expect(two?.record.prev).toBe(one?.recordHash);
      const [three] = await append(new KyselyNodeStore(database.db), [event('e3')]);
      expect(three?.record).toMatchObject({ seq: 3, prev: two?.recordHash });
      expect(await store.auditHead()).toEqual({ seq: 3, hash: three?.recordHash, at: now.toISOString() });
      const stored = await store.auditAt(2);
      expect(stored?.record).toEqual(two?.record);
      expect((await store.auditAfter(1, 10)).map((e) => e.recordHash)).toEqual([two?.recordHash, three?.recordHash]);
      // Concurrent batches of one store still form one chain.
      await Promise.all([append(store, [event('e4')]), append(store, [event('e5'), event('e6')])]);
      const all = await store.auditAfter(0, 10);
      for (let i = 1; i < all.length; i++) expect(all[i]!.record.prev).toBe(all[i - 1]!.recordHash);
      expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('gives back the nonces of recent events, to rebuild the replay guard', async () => {
      await append(store, [
        event('e1'),
        { ...event('e2'), at: '2026-11-27T03:00:00.000Z' },
        { ...event('e3'), nonce: null, signerKey: null },
      ]);
      expect(await store.noncesSince('2026-11-27T02:30:00.000Z')).toEqual([
        { signerKey: 'zhengwu:k1', nonce: 'nonce-e2', at: '2026-11-27T03:00:00.000Z' },
      ]);
      expect((await store.noncesSince('2026-11-27T00:00:00.000Z')).map((entry) => entry.nonce).sort()).toEqual([
        'nonce-e1',
        'nonce-e2',
      ]);
    });

    it('keeps the verify questions asked per day, each once', async () => {
      const use = { day: '2026-11-27', agreementId: 'GX-1', subjectHash: 'h-subject', questionHash: 'h-q1' };
      await store.recordVerifyQuestion(use);
      await store.recordVerifyQuestion(use);
      await store.recordVerifyQuestion({ ...use, questionHash: 'h-q2' });
      await store.recordVerifyQuestion({ ...use, day: '2026-11-28' });
      expect((await store.verifyQuestionsOn('2026-11-27')).map((q) => q.questionHash).sort()).toEqual(['h-q1', 'h-q2']);
      expect(await store.verifyQuestionsOn('2026-11-28')).toEqual([{ ...use, day: '2026-11-28' }]);
    });
  });
}
