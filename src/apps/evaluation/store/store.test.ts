/** The evaluation store on every test database (SQLite always, PostgreSQL when HUTONG_TEST_PG is set). */
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestDatabase, testDialects } from '../../../platform/db/test-databases';
import { type EnterpriseRow, EvaluationStore, type Objection } from './store';
import type { EvaluationDatabase } from './store-schema';
import { startedEvaluation } from './store.test-helper';

function row(i: number, extra: Partial<EnterpriseRow> = {}): EnterpriseRow {
  const graded = i % 5 !== 0;
  return {
    uscc: `91339105STORE${String(i).padStart(4, '0')}X`,
    name: `清河测试${i}有限公司`,
    group: i % 2 === 0 ? '规上' : '规下',
    graded,
    reason: graded ? null : 'INCOMPLETE_DATA',
    total: graded ? 100 + i / 3 : null,
    rank: graded ? i : null,
    class: graded ? (['A', 'B', 'C', 'D'][i % 4] as string) : null,
    rankClass: graded ? 'A' : null,
    veto: i === 7,
    districtCode: i % 3 === 0 ? '339102' : '339105',
    industryCode: i % 2 === 0 ? '3670' : '1711',
    previousClass: graded ? 'B' : null,
    classHistory: graded ? `${['A', 'B', 'C', 'D'][i % 4]}B-` : '---',
    surcharge: i % 4 === 3 ? '1234.50' : null,
    detail: { reasonLabel: graded ? null : '数据不全', inputs: { tax: i + 0.25 }, refs: { tax: i % 3 } },
    ...extra,
  };
}

for (const dialect of testDialects()) {
  describe(`evaluation store on ${dialect.name}`, () => {
    let database: TestDatabase<EvaluationDatabase> | undefined;
    afterEach(async () => {
      await database?.dispose();
      database = undefined;
    });

    async function open(): Promise<EvaluationStore> {
      database = await dialect.open<EvaluationDatabase>();
      const store = new EvaluationStore(database.db as Kysely<EvaluationDatabase>);
      await store.migrate();
      await store.migrate(); // idempotent
      return store;
    }

    it('stores an evaluation with its rows and exchanges, and reads them back exactly', async () => {
      const store = await open();
      await store.createEvaluation(startedEvaluation('PJ-1', '2026-11-27T02:00:00.000Z', { id: 'default' }));
      expect((await store.getEvaluation('PJ-1'))?.status).toBe('running');
      expect(await store.runningEvaluations()).toEqual(['PJ-1']);
      await store.setProgress('PJ-1', '2025: land');
      expect((await store.getEvaluation('PJ-1'))?.progress).toBe('2025: land');
      const rows = Array.from({ length: 1001 }, (_, i) => row(i + 1));
      await store.completeEvaluation('PJ-1', {
        summary: { counts: { graded: 800 } },
        enterprises: rows,
        exchanges: [
          {
            seq: 0,
            source: 'registry',
            provider: 'shichang',
            resource: 'shichang.enterprise',
            computation: 'shichang.registry_facts',
            agreementId: 'GX-1',
            year: null,
            requestId: 'r-0',
            subjects: 1001,
            ledgerIndex: null,
          },
          {
            seq: 1,
            source: 'tax',
            provider: 'shuiwu',
            resource: 'shuiwu.tax_annual',
            computation: 'shuiwu.tax_paid_annual',
            agreementId: 'GX-2',
            year: 2025,
            requestId: 'r-1',
            subjects: 800,
            ledgerIndex: null,
          },
        ],
        finishedAt: '2026-11-27T02:00:09.000Z',
        durationMs: 9000,
      });
      const done = await store.getEvaluation('PJ-1');
      expect(done).toMatchObject({
        status: 'done',
        year: 2025,
        progress: null,
        enterpriseCount: 1001,
        durationMs: 9000,
        summary: { counts: { graded: 800 } },
        config: { id: 'default' },
      });
      const back = await store.getEnterprise('PJ-1', rows[2]!.uscc);
      expect(back).toEqual(rows[2]);
      // Totals survive to the last bit (acceptance compares them to 1e-6).
      expect(back?.total).toBe(100 + 3 / 3);
      expect((await store.getEnterprise('PJ-1', rows[6]!.uscc))?.veto).toBe(true);

      await store.setLedgerIndex('PJ-1', 1, 4_294_967_299);
      expect((await store.exchanges('PJ-1')).map((e) => e.ledgerIndex)).toEqual([null, 4_294_967_299]);

      let seen = 0;
      for await (const page of store.allEnterprises('PJ-1', 300)) seen += page.length;
      expect(seen).toBe(1001);
      expect((await store.classes('PJ-1')).get(rows[1]!.uscc)).toEqual({
        class: 'C',
        name: rows[1]!.name,
        group: '规上',
      });
      expect((await store.classHistories('PJ-1')).get(rows[1]!.uscc)).toBe('CB-');
      expect((await store.latestDone(2025, 'default', '1.0.0'))?.id).toBe('PJ-1');
      expect(await store.latestDone(2025, 'default', '2.0.0')).toBeUndefined();
      expect(await store.latestDone(2024, 'default', '1.0.0')).toBeUndefined();
    });

    it('filters, sorts and pages the ranking table', async () => {
      const store = await open();
      await store.createEvaluation(startedEvaluation('PJ-2', '2026-11-27T03:00:00.000Z'));
      const rows = Array.from({ length: 40 }, (_, i) => row(i + 1));
      await store.completeEvaluation('PJ-2', {
        summary: {},
        enterprises: rows,
        exchanges: [],
        finishedAt: 'x',
        durationMs: 1,
      });
      const base = { page: 1, pageSize: 100 };
      const above = await store.queryEnterprises('PJ-2', { ...base, group: '规上', graded: true, sort: 'rank' });
      expect(above.items.map((r) => r.rank)).toEqual(
        rows.filter((r) => r.group === '规上' && r.graded).map((r) => r.rank),
      );
      expect(above.total).toBe(rows.filter((r) => r.group === '规上' && r.graded).length);
      const byTotal = await store.queryEnterprises('PJ-2', { ...base, graded: true, sort: 'total', order: 'desc' });
      const totals = byTotal.items.map((r) => r.total as number);
      expect(totals).toEqual([...totals].sort((a, b) => b - a));
      expect((await store.queryEnterprises('PJ-2', { ...base, class: 'D' })).total).toBe(
        rows.filter((r) => r.class === 'D').length,
      );
      expect((await store.queryEnterprises('PJ-2', { ...base, district: '339102' })).total).toBe(
        rows.filter((r) => r.districtCode === '339102').length,
      );
      expect((await store.queryEnterprises('PJ-2', { ...base, industry: '36' })).total).toBe(20);
      expect((await store.queryEnterprises('PJ-2', { ...base, reason: 'INCOMPLETE_DATA' })).total).toBe(8);
      const named = await store.queryEnterprises('PJ-2', { ...base, q: '测试12' });
      expect(named.items.map((r) => r.name)).toEqual(['清河测试12有限公司']);
      // LIKE wildcards typed by a user are not wildcards.
      expect((await store.queryEnterprises('PJ-2', { ...base, q: '%' })).total).toBe(40);
      const paged = await store.queryEnterprises('PJ-2', { page: 2, pageSize: 7, sort: 'uscc' });
      expect(paged.items.map((r) => r.uscc)).toEqual(rows.slice(7, 14).map((r) => r.uscc));
      expect(paged.total).toBe(40);
    });

    it('keeps objections and resolves an open one only once', async () => {
      const store = await open();
      const objection: Objection = {
        id: 'YY-1',
        evaluationId: 'PJ-3',
        year: 2025,
        uscc: '91339105STORE0001X',
        enterpriseName: '清河测试1有限公司',
        figure: 'tax',
        provider: 'shuiwu',
        reason: '补缴税款未计入',
        status: 'open',
        filedByMember: 'shuiwu',
        filedByUser: 'shuiwu',
        filedAt: '2026-11-27T04:00:00.000Z',
        resolvedAt: null,
        resolvedBy: null,
        resolutionNote: null,
      };
      await store.addObjection(objection);
      await store.addObjection({
        ...objection,
        id: 'YY-2',
        figure: 'kwh',
        provider: 'gongdian',
        filedAt: '2026-11-27T05:00:00.000Z',
      });
      expect(await store.getObjection('YY-1')).toEqual(objection);
      expect((await store.listObjections({ year: 2025 })).map((o) => o.id)).toEqual(['YY-2', 'YY-1']);
      expect((await store.listObjections({ provider: 'shuiwu' })).map((o) => o.id)).toEqual(['YY-1']);
      expect(await store.resolveObjection('YY-1', { status: 'corrected', at: 't', by: 'shuiwu', note: '已更正' })).toBe(
        true,
      );
      expect(await store.resolveObjection('YY-1', { status: 'rejected', at: 't2', by: 'x', note: null })).toBe(false);
      expect(await store.getObjection('YY-1')).toMatchObject({ status: 'corrected', resolvedBy: 'shuiwu' });
      expect((await store.listObjections({ status: 'open' })).map((o) => o.id)).toEqual(['YY-2']);
    });

    it('records a failure', async () => {
      const store = await open();
      await store.createEvaluation(startedEvaluation('PJ-4', 'a'));
      await store.failEvaluation('PJ-4', 'NO_AGREEMENT', '没有协议', 'b');
      expect(await store.getEvaluation('PJ-4')).toMatchObject({
        status: 'failed',
        error: { code: 'NO_AGREEMENT', detail: '没有协议' },
        finishedAt: 'b',
      });
      expect((await store.listEvaluations({ year: 2025 })).map((e) => e.id)).toEqual(['PJ-4']);
      expect(await store.listEvaluations({ year: 2024 })).toEqual([]);
    });
  });
}
