/**
 * Benchmark (not a test): the 免申即享 sweep of the longevity allowance at the large scale (1,000,000
 * registered residents + 120,000 residence-permit holders), through the exchange as in production — the
 * 一网通办 app asks 政务服务办's node, which signs and forwards one roster computation to 公安's node (the
 * whole household register) and batched pension computations to 人社's node — then compared with the
 * independent implementation of RULES.md §7 over the generated CSVs.
 *
 *   node bin/run-ts.js bench/services-sweep.ts [--scale large|medium|small] [--month 2026-06] [--data DIR]
 *
 * --data keeps the generated files and loaded node stores for the next run (generation and loading are
 * timed separately and are not part of the sweep).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../src/platform/log/logger';
import { startDemo } from '../src/composition/demo';
import { writeCityFiles } from '../src/datasets/files';
import { isScaleName, SCALES, type ScaleName } from '../src/datasets/generator';
import { loadResourceFile, withNodeStores } from '../src/datasets/node-stores';
import { getResource } from '../src/datasets/schema';
import { expectedSweep, loadCityRows } from '../src/testing/services-reference';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'large' },
    month: { type: 'string', default: '2026-06' },
    data: { type: 'string' },
  },
});
const scaleArg = values.scale ?? 'large';
if (!isScaleName(scaleArg)) throw new Error('--scale must be small, medium or large');
const scale: ScaleName = scaleArg;
const month = values.month ?? '2026-06';
const dataDir = values.data ? resolve(values.data) : mkdtempSync(join(tmpdir(), 'hutong-sweep-bench-'));
const csvDir = join(dataDir, `bench-csv-${scale}`);
const loadedMarker = join(dataDir, `bench-loaded-${scale}`);
// The sweep reads these four registers only; the enterprise registers are not loaded.
const needed = ['gongan.household', 'gongan.residence_permit', 'minzheng.elderly_card', 'renshe.pension'] as const;

const seconds = (ms: number) => (ms / 1000).toFixed(1);

async function main() {
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GB, Node.js ${process.version}`,
  );
  if (!existsSync(join(csvDir, 'gongan.household.csv'))) {
    const started = performance.now();
    writeCityFiles(csvDir, { seed: 1, scale: SCALES[scale] });
    console.log(`generate ${scale} (seed 1): ${seconds(performance.now() - started)} s`);
  }
  if (!existsSync(loadedMarker)) {
    const started = performance.now();
    await withNodeStores(dataDir, async (storeOf) => {
      for (const code of needed) {
        const resource = getResource(code);
        const rows = await loadResourceFile(storeOf(resource.provider), resource, join(csvDir, `${code}.csv`));
        console.log(`  loaded ${code}: ${rows.toLocaleString('en')} rows`);
      }
    });
    writeFileSync(loadedMarker, new Date().toISOString());
    console.log(`load into the node stores: ${seconds(performance.now() - started)} s`);
  }

  const demo = await startDemo({
    dataDir,
    port: 0,
    host: '127.0.0.1',
    cityData: false,
    passwordCost: 1024,
    // Warnings only: a node whose audit shipping fails says so ('audit shipping failed').
    logger: createLogger({ level: 'warn' }),
  });
  try {
    const token = demo.credentials.tokens.zhengwu;
    const started = performance.now();
    const response = await fetch(`${demo.url}/apps/services/v1/sweeps`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'longevity-allowance', month }),
    });
    const result = (await response.json()) as {
      eligible: { idNumber: string; tier: string; amount: number }[];
      newlyEligible: string[];
      eligibleCount: number;
      totalAmount: number;
      requestIds: string[];
      durationMs: number;
      byTier: { tier: string; count: number; amount: number }[];
      code?: string;
      detail?: string;
    };
    const wallMs = performance.now() - started;
    if (!response.ok) throw new Error(`sweep failed: ${result.code} ${result.detail}`);
    console.log(
      `sweep ${month}: ${result.eligibleCount.toLocaleString('en')} eligible, ${result.newlyEligible.length} newly, ` +
        `${result.totalAmount.toLocaleString('en')} 元/month, ${result.requestIds.length} exchange calls; ` +
        `wall ${seconds(wallMs)} s (server ${seconds(result.durationMs)} s)`,
    );
    console.log(`  by tier: ${result.byTier.map((t) => `${t.tier} ${t.count} (${t.amount} 元)`).join(', ')}`);

    const checkStarted = performance.now();
    const expected = expectedSweep(loadCityRows(csvDir), month);
    const got = result.eligible.map(({ idNumber, tier, amount }) => ({ idNumber, tier, amount }));
    const sameList = JSON.stringify(got) === JSON.stringify(expected.eligible);
    const sameNewly = JSON.stringify(result.newlyEligible) === JSON.stringify(expected.newly);
    console.log(
      `independent computation (${seconds(performance.now() - checkStarted)} s): eligible list and amounts ${
        sameList ? 'EQUAL' : 'DIFFERENT'
      }, newly eligible ${sameNewly ? 'EQUAL' : 'DIFFERENT'} (${expected.eligible.length} / ${expected.newly.length})`,
    );
    console.log(`target ≤ 60 s: ${wallMs <= 60_000 ? 'met' : 'MISSED'}`);
    if (!sameList || !sameNewly) process.exitCode = 1;
  } finally {
    await demo.close();
    if (!values.data) rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
