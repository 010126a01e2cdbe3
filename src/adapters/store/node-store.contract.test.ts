/** One contract suite for a node's own tables, on SQLite always and on PostgreSQL when configured. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Agreement, openApplication, revoke } from '../../core/agreements/agreement';
import type { AuditEvent } from '../../core/ports/node-store';
import { type TestDatabase, testDialects } from '../db/test-databases';
import { KyselyNodeStore } from './kysely-node-store';
import type { NodeDatabase } from './node-schema';

const now = new Date('2026-11-27T02:00:00Z');

function agreement(id: string): Agreement {
  return openApplication({
    id,
    resource: {
      code: 'gongan.household',
      providerCode: 'gongan',
      name: '户籍',
      category: '',
      summary: '',
      format: '数据库',
      items: [
        {
          name: 'id_number',
          title: '身份号码',
          type: 'string',
          description: '',
          sensitivity: 4,
          subjectKey: 'citizen',
        },
      ],
      sharingType: 'unconditional',
      sharingConditions: null,
      legalBasis: null,
      accessModes: ['verify'],
      requiresSuperiorApproval: false,
      updateCycle: '实时',
      publishedAt: '2026-01-01',
      relatedResources: [],
    },
    consumer: { memberCode: 'zhengwu', memberRole: 'consumer', roles: ['data_officer'], username: 'z' },
    request: {
      purpose: 'p',
      legalBasis: 'l',
      items: ['id_number'],
      modes: ['verify'],
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

for (const dialect of testDialects()) {
  describe(`node store on ${dialect.name}`, () => {
    let database: TestDatabase<NodeDatabase>;
    let store: KyselyNodeStore;

    beforeEach(async () => {
      database = await dialect.open<NodeDatabase>();
      store = new KyselyNodeStore(database.db);
      await store.migrate();
    });
    afterEach(async () => {
      await database.dispose();
    });

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
      const first = await store.appendAudit([event('e1'), event('e2', 'denied')]);
      expect(first.map((e) => e.seq)).toEqual([1, 2]);
      const reopened = new KyselyNodeStore(database.db);
      expect((await reopened.appendAudit([event('e3')]))[0]?.seq).toBe(3);
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
      await store.appendAudit([event('e1')]);
      await expect(store.appendAudit([event('e2'), event('e1')])).rejects.toThrow();
      expect((await store.appendAudit([event('e4')]))[0]?.seq).toBe(2);
    });

    it('gives back the nonces of recent events, to rebuild the replay guard', async () => {
      await store.appendAudit([
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
  });
}
