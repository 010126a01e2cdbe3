/**
 * After a run, the evaluation finds each exchange's ledger entry at the hub. A hub that is still busy indexing
 * (503, a timeout) is asked again later; only a hub without the lookup (404) or none at all ends the search.
 */
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '../../../platform/db/test-databases';
import { type ExchangeClient, ExchangeError } from '../../../client/exchange-client';
import { EvaluationService } from './service';
import { type ExchangeRow, EvaluationStore } from '../store/store';
import type { EvaluationDatabase } from '../store/store-schema';
import { fixedClock } from '../../../core/ports/clock';
import { startedEvaluation } from '../store/store.test-helper';

const [sqlite] = testDialects();
let dispose: (() => Promise<void>) | undefined;
afterEach(async () => {
  await dispose?.();
  dispose = undefined;
});

function exchange(seq: number): ExchangeRow {
  return {
    seq,
    source: 'tax',
    provider: 'shuiwu',
    resource: 'shuiwu.tax_annual',
    computation: 'shuiwu.tax_paid_by_year',
    agreementId: 'GX-1',
    year: 2025,
    requestId: `request-${seq}`,
    subjects: 10,
    ledgerIndex: null,
  };
}

async function evaluationWith(answers: (requestId: string, call: number) => Promise<{ index: number }[]>) {
  const database = await sqlite!.open<EvaluationDatabase>();
  dispose = () => database.dispose();
  const store = new EvaluationStore(database.db as Kysely<EvaluationDatabase>);
  await store.migrate();
  await store.createEvaluation(startedEvaluation('PJ-1', '2026-12-05T02:00:00.000Z', { id: 'default' }));
  await store.completeEvaluation('PJ-1', {
    summary: {},
    enterprises: [],
    exchanges: [exchange(1), exchange(2), exchange(3)],
    finishedAt: '2026-12-05T02:01:00.000Z',
    durationMs: 60_000,
  });
  let calls = 0;
  const client = {
    ledgerEntries: (requestId: string) => answers(requestId, ++calls),
  } as unknown as ExchangeClient;
  const service = new EvaluationService({
    store,
    client,
    owner: 'jingxin',
    clock: fixedClock('2026-12-05T02:02:00.000Z'),
    newId: () => 'PJ-2',
    ledgerAttempts: 4,
    ledgerDelayMs: 1,
  });
  await service.resolveLedger('PJ-1');
  return { found: (await store.exchanges('PJ-1')).map((e) => e.ledgerIndex), calls };
}

describe('finding the exchanges in the ledger', () => {
  it('asks a busy hub again instead of giving up', async () => {
    const { found } = await evaluationWith(async (requestId, call) => {
      if (call <= 2) throw new ExchangeError(503, 'HTTP_503', 'indexing');
      return [{ index: 100 + Number(requestId.split('-')[1]) }];
    });
    expect(found).toEqual([101, 102, 103]);
  });

  it('stops at once when the hub has no such lookup', async () => {
    const { found, calls } = await evaluationWith(async () => {
      throw new ExchangeError(404, 'NOT_FOUND', 'no ledger search');
    });
    expect(found).toEqual([null, null, null]);
    expect(calls).toBeLessThanOrEqual(3);
  });
});
