/**
 * One contract suite for the hub store, run on every dialect: SQLite always, PostgreSQL when
 * HUTONG_TEST_PG names a server. The same store code and the same assertions for both.
 */
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type Agreement, approve, openApplication, reject } from '../../core/agreements/agreement';
import type { Principal } from '../../core/auth/principal';
import type { Resource } from '../../core/catalog/resource';
import { dataItem, enterpriseResource } from '../../core/catalog/resource.test-helper';
import { HutongError } from '../../core/errors';
import { testDialects, withFreshStore } from '../../platform/db/test-databases';
import type { HubDatabase } from './hub-schema';
import { KyselyHubStore } from './kysely-hub-store';

const resource: Resource = enterpriseResource({
  code: 'tongji.enterprise_annual',
  name: '企业年度统计信息',
  category: '统计',
  summary: '规上标识、增加值、营收',
  items: [
    dataItem('uscc', '统一社会信用代码', 'string', 1, 'enterprise'),
    dataItem('value_added', '工业增加值', 'decimal', 3),
  ],
  requiresSuperiorApproval: true,
  relatedResources: ['shuiwu.tax_annual'],
});

const consumer: Principal = { memberCode: 'jingxin', memberRole: 'consumer', roles: ['data_officer'], username: 'u1' };
const provider: Principal = { memberCode: 'tongji', memberRole: 'provider', roles: ['reviewer'], username: 'u2' };
const now = new Date('2026-11-27T02:00:00Z');

function application(id: string, at = now): Agreement {
  return openApplication({
    id,
    resource,
    consumer,
    now: at,
    dueAt: new Date(at.getTime() + 14 * 86_400_000),
    request: {
      purpose: '亩均评价',
      legalBasis: '浙政发〔2018〕5号',
      items: ['uscc', 'value_added'],
      modes: ['compute'],
      validFrom: '2026-11-27',
      validTo: '2026-12-31',
      rateLimitPerMinute: 100,
    },
  });
}

for (const dialect of testDialects()) {
  describe(`hub store on ${dialect.name}`, () => {
    let store: KyselyHubStore;

    withFreshStore(
      dialect,
      (db: Kysely<HubDatabase>) => new KyselyHubStore(db),
      async (opened) => {
        store = opened;
        for (const [code, role] of [
          ['tongji', 'provider'],
          ['jingxin', 'consumer'],
          ['shuiwu', 'provider'],
        ] as const) {
          await store.insertMember({
            code,
            name: `${code} 名称`,
            nameEn: code === 'tongji' ? 'Statistics Bureau' : null,
            role,
            contact: { person: '张三', phone: '1', email: 'a@b.c' },
            createdAt: now.toISOString(),
          });
        }
        await store.insertResource(resource, now.toISOString());
      },
    );

    it('migrates twice without harm', async () => {
      await store.migrate();
      expect((await store.listMembers()).map((member) => member.code)).toEqual(['jingxin', 'shuiwu', 'tongji']);
    });

    it('round-trips members with keys and refuses a duplicate code', async () => {
      await store.addMemberKey('tongji', {
        id: 'k1',
        algorithm: 'ed25519',
        publicKey: 'AAAA',
        addedAt: now.toISOString(),
      });
      await store.updateMember('tongji', { contact: { person: '李四', phone: '2', email: 'x@y.z' } });
      const member = await store.getMember('tongji');
      expect(member?.contact.person).toBe('李四');
      expect(member?.nameEn).toBe('Statistics Bureau');
      await store.updateMember('tongji', { nameEn: null });
      expect((await store.getMember('tongji'))?.nameEn).toBeNull();
      expect(member?.publicKeys).toEqual([
        { id: 'k1', algorithm: 'ed25519', publicKey: 'AAAA', addedAt: now.toISOString() },
      ]);
      await expect(
        store.insertMember({
          code: 'tongji',
          name: 'x',
          nameEn: null,
          role: 'provider',
          contact: member!.contact,
          createdAt: '',
        }),
      ).rejects.toMatchObject({ code: 'MEMBER_EXISTS' });
      expect(await store.getMember('nobody')).toBeUndefined();
    });

    it('round-trips a resource exactly, booleans and JSON included', async () => {
      expect(await store.getResource(resource.code)).toEqual(resource);
      await expect(store.insertResource(resource, now.toISOString())).rejects.toMatchObject({
        code: 'RESOURCE_EXISTS',
      });
    });

    it('searches the catalog by provider, type, mode and keyword, with paging and numeric totals', async () => {
      await store.insertResource(
        {
          ...resource,
          code: 'shuiwu.tax_annual',
          providerCode: 'shuiwu',
          name: '企业年度纳税信息',
          sharingType: 'unconditional',
          accessModes: ['compute'],
          summary: '税收',
        },
        now.toISOString(),
      );
      const all = await store.searchResources({}, { page: 1, pageSize: 10 });
      expect(all.total).toBe(2);
      expect(typeof all.total).toBe('number');
      expect(
        (await store.searchResources({ provider: 'shuiwu' }, { page: 1, pageSize: 10 })).items.map((r) => r.code),
      ).toEqual(['shuiwu.tax_annual']);
      expect((await store.searchResources({ sharingType: 'conditional' }, { page: 1, pageSize: 10 })).total).toBe(1);
      expect(
        (await store.searchResources({ mode: 'aggregate' }, { page: 1, pageSize: 10 })).items.map((r) => r.code),
      ).toEqual(['tongji.enterprise_annual']);
      expect((await store.searchResources({ q: '纳税' }, { page: 1, pageSize: 10 })).items.map((r) => r.code)).toEqual([
        'shuiwu.tax_annual',
      ]);
      expect((await store.searchResources({ q: 'VALUE_ADDED' }, { page: 1, pageSize: 10 })).total).toBe(2);
      expect((await store.searchResources({ q: '100%' }, { page: 1, pageSize: 10 })).total).toBe(0);
      const second = await store.searchResources({}, { page: 2, pageSize: 1 });
      expect(second.items.map((r) => r.code)).toEqual(['tongji.enterprise_annual']);
    });

    it('stores agreements with their full history and refuses a stale write', async () => {
      const applied = application('GX-1');
      await store.insertAgreement(applied);
      const approved = approve(applied, resource, provider, { items: ['uscc'] }, now);
      await store.saveAgreement(approved);
      expect(await store.getAgreement('GX-1')).toEqual(approved);
      // A second writer that read the old version must not overwrite the approval.
      const stale = reject(applied, provider, '迟到的驳回', now);
      await expect(store.saveAgreement(stale)).rejects.toBeInstanceOf(HutongError);
      await expect(store.saveAgreement(stale)).rejects.toMatchObject({ code: 'CONCURRENT_UPDATE' });
      expect((await store.getAgreement('GX-1'))?.status).toBe('pending_superior');
    });

    it('lists agreements by side and status, newest first, and finds those due to expire', async () => {
      await store.insertAgreement(application('GX-1', new Date('2026-11-20T02:00:00Z')));
      const second = application('GX-2');
      await store.insertAgreement(second);
      const active = { ...approve(second, { ...resource, requiresSuperiorApproval: false }, provider, {}, now) };
      await store.saveAgreement(active);
      const mine = await store.listAgreements({ memberCode: 'jingxin', side: 'consumer' }, { page: 1, pageSize: 10 });
      expect(mine.items.map((a) => a.id)).toEqual(['GX-2', 'GX-1']);
      expect(
        (await store.listAgreements({ memberCode: 'jingxin', side: 'provider' }, { page: 1, pageSize: 10 })).total,
      ).toBe(0);
      expect(
        (await store.listAgreements({ memberCode: 'tongji', status: 'pending' }, { page: 1, pageSize: 10 })).items.map(
          (a) => a.id,
        ),
      ).toEqual(['GX-1']);
      expect((await store.agreementsDueToExpire('2026-12-31')).map((a) => a.id)).toEqual([]);
      expect((await store.agreementsDueToExpire('2027-01-01')).map((a) => a.id)).toEqual(['GX-2']);
      expect((await store.allAgreements()).length).toBe(2);
    });

    it('keeps users and token digests', async () => {
      await store.insertUser({
        username: 'tongji',
        memberCode: 'tongji',
        displayName: '杨帆',
        passwordHash: 'h',
        roles: ['reviewer', 'admin'],
        createdAt: now.toISOString(),
      });
      await expect(
        store.insertUser({
          username: 'tongji',
          memberCode: 'tongji',
          displayName: '',
          passwordHash: '',
          roles: [],
          createdAt: '',
        }),
      ).rejects.toMatchObject({ code: 'USER_EXISTS' });
      expect((await store.listUsers('tongji')).map((user) => user.roles)).toEqual([['reviewer', 'admin']]);
      await store.insertToken({
        tokenDigest: 'd1',
        memberCode: 'tongji',
        username: null,
        roles: ['admin'],
        label: 'sys',
        createdAt: now.toISOString(),
        expiresAt: null,
      });
      expect(await store.findToken('d1')).toMatchObject({ memberCode: 'tongji', username: null, expiresAt: null });
      await store.deleteToken('d1');
      expect(await store.findToken('d1')).toBeUndefined();
    });

    it('keeps access details until their retention has passed, then deletes them', async () => {
      await store.insertAccessDetails(
        'gongan',
        [
          { seq: 1, officer: 'clerk-1', caseId: 'C-1' },
          { seq: 2, officer: null, caseId: null },
        ],
        '2023-01-01T00:00:00.000Z',
      );
      await store.insertAccessDetails('gongan', [{ seq: 3, officer: 'clerk-2', caseId: null }], now.toISOString());
      // Nothing to keep is not stored at all.
      expect(await store.accessDetail('gongan', 2)).toBeUndefined();
      expect(await store.pruneAccessDetails('2023-11-27T00:00:00.000Z')).toBe(1);
      expect(await store.accessDetail('gongan', 1)).toBeUndefined();
      expect(await store.accessDetail('gongan', 3)).toEqual({ seq: 3, officer: 'clerk-2', caseId: null });
      expect(await store.pruneAccessDetails('2023-11-27T00:00:00.000Z')).toBe(0);
    });
  });
}
