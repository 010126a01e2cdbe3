/**
 * Benchmark (not a test) of 亩均论英雄 at scale: the whole evaluation through the exchange, and the scoring
 * alone. Results go into BENCHMARKS.md by hand.
 *
 *   node bin/run-ts.js bench/evaluation.ts [--scale large] [--city DIR] [--mode processes,inprocess] [--batch 10000]
 *
 * `--city DIR`: a data folder with the city already loaded (`hutong data load` or a previous run's
 * `pristine` copy); each mode runs on a fresh copy of it (a node's audit trail is append-only, so a used
 * city is not reused). Without it the city is generated and loaded once into a temp folder.
 *
 * Modes:
 *  - processes: as deployed — the hub (ledger, witnesses) and the evaluation app in this process, 经信局's
 *    node and the eight provider nodes each in a process of its own (`hutong node`);
 *  - inprocess: as `npm start` runs it — everything in one process, the evaluation driven over its HTTP API.
 * Each mode runs (1) the first evaluation of 2024 (2024, 2023, 2022 through the exchange: consecutive-D
 * years recomputed), (2) the annual evaluation of 2025 (2025 through the exchange; the earlier classes
 * from the stored 2024 evaluation) and (3) 2025 with its earlier years recomputed (2025, 2024, 2023).
 */
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/platform/db/open';
import { createLogger } from '../src/platform/log/logger';
import { createEvaluationApp } from '../src/apps/evaluation/app';
import { defaultMethodology } from '../src/apps/evaluation/service/config-files';
import type { EnterpriseFacts } from '../src/apps/evaluation/service/score-types';
import { scoreWithHistory } from '../src/apps/evaluation/service/scoring';
import type { EvaluationSummary } from '../src/apps/evaluation/service/rows';
import type { EvaluationDatabase } from '../src/apps/evaluation/store/store-schema';
import { ExchangeClient } from '../src/client/exchange-client';
import type { Principal } from '../src/core/auth/principal';
import { startDemo } from '../src/composition/demo';
import { ensureDemoCity } from '../src/datasets/demo-city';
import type { ScaleName } from '../src/datasets/generator';
import { startNodeProcess } from './node-process';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'large' },
    city: { type: 'string' },
    mode: { type: 'string', default: 'processes,inprocess' },
    batch: { type: 'string', default: '10000' },
    out: { type: 'string', default: '/tmp/hutong-bench-evaluation.json' },
    'scoring-runs': { type: 'string', default: '5' },
  },
});
const scale = values.scale as ScaleName;
const batchSize = Number(values.batch);
const PROVIDERS = ['shichang', 'ziranziyuan', 'tongji', 'shuiwu', 'renshe', 'gongdian', 'shengtai', 'yingji'];
const principal: Principal = {
  memberCode: 'jingxin',
  memberRole: 'consumer',
  roles: ['admin', 'data_officer'],
  username: 'bench',
};

interface RunFigures {
  mode: string;
  run: string;
  year: number;
  yearsThroughExchange: number;
  seconds: number;
  gatherSeconds: number;
  scoreSeconds: number;
  storeSeconds: number;
  exchanges: number;
  subjectsAsked: number;
  enterprises: number;
  graded: number;
  ledgerResolvedSeconds: number | null;
  ledgerResolved: string;
}

const results: RunFigures[] = [];
/** A year later than the first evaluation (2024), the annual one (2025) reuses its classes; then 2025 from scratch. */
const runs = [
  ['first run (2024, 2023, 2022 through the exchange)', 2024, 'recompute'],
  ['annual run (2025 through the exchange, earlier classes from the stored 2024 run)', 2025, 'auto'],
  ['full run (2025, 2024, 2023 through the exchange)', 2025, 'recompute'],
] as const;
const log = (...args: unknown[]) => console.log(new Date().toISOString().slice(11, 19), ...args);

async function pristineCity(): Promise<string> {
  if (values.city) return values.city;
  const dir = mkdtempSync(join(tmpdir(), `hutong-bench-${scale}-`));
  const started = Date.now();
  await ensureDemoCity(dir, { seed: 1, scale });
  log(`generated and loaded the ${scale} city in ${((Date.now() - started) / 1000).toFixed(1)} s → ${dir}`);
  return dir;
}

/**
 * Waits until the hub's log stopped growing for five seconds: the nodes have shipped the previous run's
 * audit events and the hub has appended and indexed them, so one run's ledger work does not slow the next.
 */
async function settle(hubUrl: string): Promise<number> {
  const started = Date.now();
  let last = -1;
  let stableSince = Date.now();
  while (Date.now() - started < 300_000) {
    const text = await (await fetch(`${hubUrl}/ledger/checkpoint`)).text();
    const size = Number(text.split('\n')[1]);
    if (size !== last) {
      last = size;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= 5_000) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return (Date.now() - started) / 1000;
}

function freshCopy(pristine: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hutong-bench-run-'));
  cpSync(join(pristine, 'nodes'), join(dir, 'nodes'), {
    recursive: true,
    filter: (source) => !/\.(identity\.json|witness-key)$/.test(source),
  });
  return dir;
}

function figures(
  mode: string,
  run: string,
  evaluation: { durationMs: number | null; enterpriseCount: number; summary: unknown },
  exchanges: { subjects: number; ledgerIndex: number | null }[],
  ledgerSeconds: number | null,
): RunFigures {
  const summary = evaluation.summary as EvaluationSummary;
  const seconds = (evaluation.durationMs ?? 0) / 1000;
  const resolved = exchanges.filter((e) => e.ledgerIndex !== null).length;
  return {
    mode,
    run,
    year: 0,
    yearsThroughExchange: summary.years.length,
    seconds,
    gatherSeconds: summary.timings.gatherMs / 1000,
    scoreSeconds: summary.timings.scoreMs / 1000,
    storeSeconds: seconds - (summary.timings.gatherMs + summary.timings.scoreMs) / 1000,
    exchanges: exchanges.length,
    subjectsAsked: exchanges.reduce((s, e) => s + e.subjects, 0),
    enterprises: evaluation.enterpriseCount,
    graded: summary.counts.graded,
    ledgerResolvedSeconds: ledgerSeconds,
    ledgerResolved: `${resolved}/${exchanges.length}`,
  };
}

/** The demo city on the copied data, its nodes not re-syncing agreements during a run. */
function startBenchDemo(dataDir: string) {
  return startDemo({
    dataDir,
    port: 0,
    host: '127.0.0.1',
    logger: createLogger({ level: 'warn' }),
    node: { syncIntervalMs: 3_600_000, stalenessLimitMs: 3_600_000 },
  });
}

async function processesMode(pristine: string): Promise<void> {
  const dataDir = freshCopy(pristine);
  const demo = await startBenchDemo(dataDir);
  const children: ChildProcess[] = [];
  try {
    // 经信局's node and the providers' nodes leave this process for processes of their own.
    for (const member of ['jingxin', ...PROVIDERS]) await demo.nodes.find((n) => n.memberCode === member)!.close();
    const urls: Record<string, string> = {};
    // Providers first: 经信局's node learns their new addresses from the hub when it starts.
    for (const member of [...PROVIDERS, 'jingxin']) {
      const { child, url } = await startNodeProcess(member, demo.url, dataDir);
      children.push(child);
      urls[member] = url;
    }
    const identity = JSON.parse(readFileSync(join(dataDir, 'nodes', 'jingxin.identity.json'), 'utf8')) as {
      localToken: string;
    };
    const client = new ExchangeClient({
      node: { url: urls.jingxin!, localToken: identity.localToken },
      hub: { url: demo.url, token: demo.credentials.tokens.jingxin! },
      timeoutMs: 300_000,
      batchSize,
      concurrency: 2,
    });
    const app = await createEvaluationApp({
      db: openDatabase<EvaluationDatabase>({
        dialect: 'sqlite',
        file: join(dataDir, 'apps', 'evaluation-bench.sqlite'),
      }),
      client,
      ledgerAttempts: 60,
      ledgerDelayMs: 1000,
    });
    for (const [run, year, history] of runs) {
      log(`processes: settled in ${(await settle(demo.url)).toFixed(0)} s; ${year} ${history}…`);
      const started = await app.service.start(principal, { year, config: defaultMethodology(), history });
      await app.service.settled(started.id);
      const done = Date.now();
      const evaluation = (await app.store.getEvaluation(started.id))!;
      if (evaluation.status !== 'done') throw new Error(`${evaluation.error?.code}: ${evaluation.error?.detail}`);
      await app.service.settled(started.id, { ledger: true });
      const ledgerSeconds = (Date.now() - done) / 1000;
      const row = figures('processes', run, evaluation, await app.store.exchanges(started.id), ledgerSeconds);
      row.year = year;
      results.push(row);
      log(row);
    }
    await app.close();
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function inprocessMode(pristine: string): Promise<void> {
  const dataDir = freshCopy(pristine);
  const demo = await startBenchDemo(dataDir);
  try {
    const base = `${demo.url}/apps/evaluation/v1`;
    const headers = { authorization: `Bearer ${demo.credentials.tokens.jingxin}`, 'content-type': 'application/json' };
    for (const [run, year, history] of runs) {
      log(`inprocess: settled in ${(await settle(demo.url)).toFixed(0)} s; ${year} ${history}…`);
      const started = (await (
        await fetch(`${base}/evaluations`, { method: 'POST', headers, body: JSON.stringify({ year, history }) })
      ).json()) as { id: string };
      type Got = {
        status: string;
        durationMs: number | null;
        enterpriseCount: number;
        summary: unknown;
        error: unknown;
        exchanges: { subjects: number; ledgerIndex: number | null }[];
      };
      let got: Got;
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        got = (await (await fetch(`${base}/evaluations/${started.id}`, { headers })).json()) as Got;
        if (got.status !== 'running') break;
      }
      if (got.status !== 'done') throw new Error(JSON.stringify(got.error));
      const done = Date.now();
      let ledgerSeconds: number | null = null;
      for (let i = 0; i < 120; i++) {
        got = (await (await fetch(`${base}/evaluations/${started.id}`, { headers })).json()) as Got;
        if (got.exchanges.every((e) => e.ledgerIndex !== null)) {
          ledgerSeconds = (Date.now() - done) / 1000;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      const row = figures('inprocess', run, got, got.exchanges, ledgerSeconds);
      row.year = year;
      results.push(row);
      log(row);
    }
  } finally {
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The scoring alone: 100,000 synthetic enterprises × 3 years (Y and the two years its D streak needs). */
function scoringAlone(): { n: number; years: number; runsMs: number[] } {
  const config = defaultMethodology();
  const n = 100_000;
  const facts = (year: number): EnterpriseFacts[] => {
    let s = year;
    const r = () => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648;
    };
    return Array.from({ length: n }, (_, i) => ({
      uscc: `913391${String(i).padStart(12, '0')}`,
      name: '清河测试有限公司',
      industryCode: i % 14 === 0 ? '6513' : '3670',
      districtCode: '339105',
      registeredDate: '2010-01-01',
      status: i % 12 === 0 ? '注销' : '存续',
      aboveScale: r() < 0.4,
      earliestLandAcquired: '2015-01-01',
      inputs: {
        tax: r() * 100,
        value_added: r() * 500,
        main_revenue: 1000 + r() * 2000,
        rd_expense: r() < 0.3 ? null : r() * 30,
        energy_tce: r() < 0.01 ? 0 : r() * 300,
        employees: 10 + r() * 100,
        land_mu: 1 + r() * 50,
        kwh: Math.round(r() * 1e6),
        emission: r() < 0.03 ? null : r() * 40,
      },
      events: { major_accidents: r() < 0.01 ? 1 : 0, severe_penalties: r() < 0.01 ? 1 : 0 },
    }));
  };
  const years = [2025, 2024, 2023].map((year) => ({ year, facts: facts(year) }));
  const runsMs: number[] = [];
  for (let i = 0; i < Number(values['scoring-runs']); i++) {
    const started = performance.now();
    scoreWithHistory(config, years[0]!, years.slice(1));
    runsMs.push(Math.round(performance.now() - started));
  }
  return { n, years: 3, runsMs };
}

async function main() {
  const machine = {
    date: new Date().toISOString(),
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    scale,
    batchSize,
  };
  log(machine);
  const scoring = scoringAlone();
  log('scoring alone (100,000 × 3 years, ms):', scoring.runsMs);
  const pristine = await pristineCity();
  for (const mode of values.mode.split(',')) {
    if (mode === 'processes') await processesMode(pristine);
    else if (mode === 'inprocess') await inprocessMode(pristine);
    else throw new Error(`unknown mode ${mode}`);
  }
  console.table(
    results.map((r) => ({
      mode: r.mode,
      year: r.year,
      years: r.yearsThroughExchange,
      's total': r.seconds.toFixed(1),
      's exchange': r.gatherSeconds.toFixed(1),
      's scoring': r.scoreSeconds.toFixed(2),
      's store': r.storeSeconds.toFixed(1),
      calls: r.exchanges,
      'subjects asked': r.subjectsAsked,
      graded: r.graded,
      'ledger +s': r.ledgerResolvedSeconds?.toFixed(0) ?? '—',
      ledger: r.ledgerResolved,
    })),
  );
  writeFileSync(values.out, `${JSON.stringify({ machine, scoring, results }, null, 2)}\n`);
  log(`→ ${values.out}`);
  if (!values.city) rmSync(pristine, { recursive: true, force: true });
}

await main();
