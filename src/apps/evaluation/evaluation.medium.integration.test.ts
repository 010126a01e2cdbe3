/**
 * Acceptance 1 at the medium scale (seed 1: 10,000 enterprises): the demo city with the medium data loaded
 * into the departments' node stores, the evaluation through the exchange, compared enterprise by enterprise
 * with the independent implementation of §8 over the exported CSVs. ≈ 30–60 s on the 2-core machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/log/logger';
import { startDemo } from '../../composition/demo';
import { ensureDemoCity, exportCity } from '../../datasets/demo-city';
import { type ReferenceFirm, referenceEvaluation } from './service/reference-impl.test-helper';
import type { EvaluationService } from './service/service';

let dataDir: string;
let demo: Awaited<ReturnType<typeof startDemo>>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hutong-eval-medium-'));
  await ensureDemoCity(dataDir, { seed: 1, scale: 'medium' });
  demo = await startDemo({
    dataDir,
    port: 0,
    host: '127.0.0.1',
    passwordCost: 1024,
    logger: createLogger({ level: 'silent' }),
    node: { syncIntervalMs: 3_600_000 },
  });
}, 300_000);

// Closing the city waits for its nodes and apps: minutes, not seconds, on a loaded machine.
afterAll(async () => {
  await demo?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 300_000);

describe('acceptance 1 at the medium scale (seed 1)', () => {
  it('matches group, graded, total (1e-6), rank and class of all 10,000 enterprises', async () => {
    const base = `${demo.url}/apps/evaluation/v1`;
    const headers = {
      authorization: `Bearer ${demo.credentials.tokens.jingxin}`,
      'content-type': 'application/json',
    };
    const started = (await (
      await fetch(`${base}/evaluations`, { method: 'POST', headers, body: JSON.stringify({ year: 2025 }) })
    ).json()) as { id: string };
    let status = 'running';
    let evaluation: { status: string; error: unknown; durationMs: number } = { status, error: null, durationMs: 0 };
    while (status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 500));
      evaluation = (await (await fetch(`${base}/evaluations/${started.id}`, { headers })).json()) as typeof evaluation;
      status = evaluation.status;
    }
    expect(evaluation.error).toBeNull();
    const result = (await (await fetch(`${base}/evaluations/${started.id}/result`, { headers })).json()) as Awaited<
      ReturnType<EvaluationService['result']>
    >;
    const csvDir = join(dataDir, 'export');
    await exportCity(dataDir, csvDir);
    const reference = referenceEvaluation(csvDir, 2025);
    expect(result.enterprises).toHaveLength(10_000);
    expect(reference.size).toBe(10_000);
    const mismatches: string[] = [];
    let graded = 0;
    for (const e of result.enterprises) {
      const r = reference.get(e.uscc) as ReferenceFirm;
      const same =
        r !== undefined &&
        e.group === r.group &&
        e.graded === r.graded &&
        e.reason === r.reason &&
        e.rank === r.rank &&
        e.class === r.class &&
        (r.total === null ? e.total === null : Math.abs((e.total as number) - r.total) < 1e-6);
      if (!same) mismatches.push(`${e.uscc}: ${JSON.stringify(e)} vs ${JSON.stringify(r)}`);
      if (r?.surcharge) {
        const surcharge = e.policies.find((p) => p.kind === 'electricitySurcharge');
        if (
          surcharge?.consecutiveYears !== r.surcharge.years ||
          surcharge.rate !== r.surcharge.rate ||
          surcharge.amount !== r.surcharge.amount
        ) {
          mismatches.push(`${e.uscc} surcharge: ${JSON.stringify(surcharge)} vs ${JSON.stringify(r.surcharge)}`);
        }
      }
      if (e.graded) graded += 1;
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(graded).toBeGreaterThan(5_000);
  }, 300_000);
});
