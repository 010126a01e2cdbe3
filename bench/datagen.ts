/**
 * Synthetic-city benchmark: wall time and peak RSS of `data generate` for small/medium/large (and of
 * load + export for small/medium), each measured in a fresh child process so peak RSS is its own.
 * Run: node bin/run-ts.js bench/datagen.ts [--scales small,medium,large] [--load small,medium]
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { writeCityFiles } from '../src/datasets/files';
import { SCALES, type ScaleName, isScaleName } from '../src/datasets/generator';
import { exportCity, loadCity } from '../src/datasets/node-stores';

const root = resolve(import.meta.dirname, '..');
const work = join(root, '.bench');

interface Measure {
  task: string;
  scale: string;
  seconds: number;
  peakRssMb: number;
  rows: number;
  bytes: number;
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((s, f) => s + statSync(join(dir, f)).size, 0);
}

async function child(task: string, scale: ScaleName): Promise<void> {
  const gen = join(work, `datagen-${scale}`);
  const started = performance.now();
  let rows = 0;
  if (task === 'generate') {
    const counts = writeCityFiles(gen, { seed: 1, scale: SCALES[scale] });
    rows = Object.values(counts.rows).reduce((a, b) => a + b, 0);
  } else {
    const data = join(work, `data-${scale}`);
    rmSync(data, { recursive: true, force: true });
    const counts = await loadCity(gen, data);
    rows = Object.values(counts).reduce((a, b) => a + b, 0);
    await exportCity(data, join(work, `export-${scale}`));
  }
  const seconds = (performance.now() - started) / 1000;
  const m: Measure = {
    task: task === 'generate' ? 'generate' : 'load + export',
    scale,
    seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    rows,
    bytes: dirBytes(gen),
  };
  process.stdout.write(`${JSON.stringify(m)}\n`);
}

function run(task: string, scale: ScaleName): Measure {
  const r = spawnSync(
    process.execPath,
    [join(root, 'bin/run-ts.js'), join(root, 'bench/datagen.ts'), '--child', task, scale],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  if (r.status !== 0) throw new Error(`${task} ${scale} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Measure;
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1] as string, args[2] as ScaleName);
  const list = (flag: string, dflt: string) => {
    const i = args.indexOf(flag);
    return (i >= 0 ? (args[i + 1] ?? '') : dflt).split(',').filter(isScaleName);
  };
  const scales = list('--scales', 'small,medium,large');
  const loads = list('--load', 'small,medium');
  const results: Measure[] = [];
  for (const s of scales) {
    results.push(run('generate', s));
    if (loads.includes(s)) results.push(run('load', s));
  }
  const cpu = cpus()[0]?.model ?? 'unknown';
  console.log(`machine: ${cpus().length} cores, ${cpu}; node ${process.version}`);
  console.log('| task | scale | rows | CSV size | wall time | peak RSS |');
  console.log('|---|---|---:|---:|---:|---:|');
  for (const m of results) {
    console.log(
      `| ${m.task} | ${m.scale} | ${m.rows.toLocaleString('en')} | ${(m.bytes / 1e6).toFixed(1)} MB | ${m.seconds.toFixed(1)} s | ${m.peakRssMb.toFixed(0)} MB |`,
    );
  }
  for (const s of scales) {
    for (const d of [`datagen-${s}`, `data-${s}`, `export-${s}`])
      rmSync(join(work, d), { recursive: true, force: true });
  }
}

await main();
