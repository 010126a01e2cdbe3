/** The 一网通办 store's contract, on SQLite always and on PostgreSQL when HUTONG_TEST_PG is set. */
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDialects, withFreshStore } from '../../../platform/db/test-databases';
import { type NewApplication, type ServicesDatabase, ServicesStore } from './store';

const application = (id: string, subject = 'h1', extra: Partial<NewApplication> = {}): NewApplication => ({
  id,
  itemId: 'elderly-card',
  subjectHash: subject,
  idMasked: '330102********1234',
  nameMasked: '王**',
  idNumber: '33010219500101123X',
  name: '王秀英',
  asOf: '2026-06-30',
  channel: 'self_service',
  officer: null,
  submittedAt: `2026-06-30T01:00:0${id.slice(-1)}.000Z`,
  firstRetryAt: `2026-06-30T01:00:3${id.slice(-1)}.000Z`,
  idempotencyKey: null,
  receiptHash: 'r',
  ...extra,
});

const decision = (status: 'approved' | 'rejected') => ({
  status,
  decidedAt: '2026-06-30T01:00:10.000Z',
  instant: true,
  reasonsJson: status === 'approved' ? '[]' : '[{"code":"AGE_UNDER_60"}]',
  benefitJson: null,
  askedJson: '[]',
  documentsSaved: 2,
  tripsSaved: 2,
});

const draft = (subjectHash: string) => ({
  itemId: 'elderly-card',
  subjectHash,
  numberPrefix: 'QHYDE',
  issuedOn: '2026-11-27',
  validUntil: null,
  sign: (number: string) => `signed:${number}`,
});

for (const dialect of testDialects()) {
  describe(`services store on ${dialect.name}`, () => {
    let store: ServicesStore;

    withFreshStore(
      dialect,
      (db: Kysely<ServicesDatabase>) => new ServicesStore(db),
      (opened) => {
        store = opened;
      },
      { per: 'suite', migrations: 2 },
    );

    it('keeps the raw ID number and name only while pending, and erases them on decision', async () => {
      await store.insertApplication(application('A1'));
      expect(await store.findPending('elderly-card', 'h1')).toMatchObject({
        id: 'A1',
        id_number: '33010219500101123X',
      });
      const outcome = await store.decide('A1', decision('rejected'));
      expect(outcome).toEqual({ outcome: 'decided', issued: null });
      const row = await store.getApplication('A1');
      expect(row).toMatchObject({ status: 'rejected', id_number: null, name: null, attempts: 1 });
      expect(Number(row?.decided_instantly)).toBe(1);
      expect(await store.findPending('elderly-card', 'h1')).toBeUndefined();
      // Deciding again does nothing.
      expect(await store.decide('A1', decision('approved'))).toEqual({ outcome: 'not_pending' });
    });

    it('issues one certificate per person and item, numbering them in sequence', async () => {
      await store.insertApplication(application('B1', 'h2'));
      await store.insertApplication(application('B2', 'h2'));
      await store.insertApplication(application('B3', 'h3'));
      const first = await store.decide('B1', decision('approved'), draft('h2'));
      expect(first).toMatchObject({
        outcome: 'decided',
        issued: { number: 'QHYDE2026000001', payload: 'signed:QHYDE2026000001' },
      });
      expect(await store.decide('B2', decision('approved'), draft('h2'))).toEqual({ outcome: 'held' });
      expect((await store.getApplication('B2'))?.status).toBe('pending_verification');
      const third = await store.decide('B3', decision('approved'), draft('h3'));
      expect(third).toMatchObject({ issued: { number: 'QHYDE2026000002' } });
      expect(await store.hasValidHolding('elderly-card', 'h2')).toBe(true);
      expect(await store.hasValidHolding('elderly-card', 'h2', '2099-01-01')).toBe(true);
      expect(await store.hasValidHolding('senior-bus-pass', 'h2')).toBe(false);
      expect((await store.getCertificate('QHYDE2026000001'))?.application_id).toBe('B1');
      // A certificate for an application that is no longer pending is rolled back with it.
      await store.insertApplication(application('B4', 'h4'));
      await store.decide('B4', decision('rejected'));
      expect(await store.decide('B4', decision('approved'), draft('h4'))).toEqual({ outcome: 'not_pending' });
      expect(await store.hasValidHolding('elderly-card', 'h4')).toBe(false);
    });

    it('lets a certificate that has run out be renewed, not a valid one', async () => {
      await store.insertApplication(application('E1', 'h7'));
      await store.insertApplication(application('E2', 'h7'));
      await store.insertApplication(application('E3', 'h7'));
      const pass = (issuedOn: string, validUntil: string) => ({
        ...draft('h7'),
        itemId: 'senior-bus-pass',
        numberPrefix: 'QHGJ',
        issuedOn,
        validUntil,
      });
      expect(await store.decide('E1', decision('approved'), pass('2020-01-01', '2025-01-01'))).toMatchObject({
        outcome: 'decided',
      });
      expect(await store.hasValidHolding('senior-bus-pass', 'h7', '2024-12-31')).toBe(true);
      expect(await store.hasValidHolding('senior-bus-pass', 'h7', '2026-06-30')).toBe(false);
      expect(await store.decide('E2', decision('approved'), pass('2026-06-30', '2031-06-30'))).toMatchObject({
        outcome: 'decided',
        issued: { number: 'QHGJ2026000001' },
      });
      expect(await store.decide('E3', decision('approved'), pass('2026-07-01', '2031-07-01'))).toEqual({
        outcome: 'held',
      });
      await store.decide('E3', decision('rejected'));
    });

    it('schedules retries and finds the due ones', async () => {
      await store.insertApplication(application('C1', 'h5'));
      // Not before its first retry time: the instant attempt has it until then.
      expect((await store.duePending('2026-06-30T01:00:30.000Z', 10)).map((r) => r.id)).not.toContain('C1');
      expect((await store.duePending('2026-06-30T01:00:31.000Z', 10)).map((r) => r.id)).toContain('C1');
      await store.recordFailedAttempt('C1', 'PROVIDER_UNREACHABLE', '2026-06-30T01:00:20.000Z');
      expect((await store.duePending('2026-06-30T01:00:19.000Z', 10)).map((r) => r.id)).not.toContain('C1');
      expect((await store.duePending('2026-06-30T01:00:20.000Z', 10)).map((r) => r.id)).toContain('C1');
      expect(await store.getApplication('C1')).toMatchObject({ attempts: 1, last_error: 'PROVIDER_UNREACHABLE' });
    });

    it('finds applications by idempotency key, filter and page, and counts the counter', async () => {
      await store.insertApplication(application('D1', 'h6', { idempotencyKey: 'elderly-card:k1' }));
      await expect(
        store.insertApplication(application('D2', 'h6', { idempotencyKey: 'elderly-card:k1' })),
      ).rejects.toThrow();
      expect((await store.findByIdempotencyKey('elderly-card:k1'))?.id).toBe('D1');
      const page = await store.listApplications({ status: 'pending_verification' }, { page: 1, pageSize: 2 });
      expect(page.total).toBe(3);
      expect(page.items).toHaveLength(2);
      expect((await store.listApplications({ subjectHash: 'h2' }, { page: 1, pageSize: 10 })).total).toBe(2);
      const metrics = await store.metrics();
      expect(metrics).toMatchObject({
        applications: 10,
        approved: 4,
        rejected: 3,
        pending: 3,
        instantDecisions: 7,
        documentsSaved: 14,
        tripsSaved: 14,
        certificatesIssued: 4,
      });
    });

    it('keeps sweeps', async () => {
      await store.insertSweep({
        id: 'SW-1',
        item_id: 'longevity-allowance',
        month: '2026-06',
        as_of: '2026-06-30',
        run_at: '2026-07-01T00:00:00.000Z',
        officer: 'zhengwu',
        eligible_count: 247,
        newly_count: 4,
        total_cents: 3_492_000,
        by_tier_json: '[]',
        duration_ms: 500,
      });
      const [sweep] = await store.listSweeps('longevity-allowance', 1);
      expect({ ...sweep, total_cents: Number(sweep?.total_cents) }).toMatchObject({
        id: 'SW-1',
        total_cents: 3_492_000,
      });
    });
  });
}
