/**
 * CLI commands for the synthetic city and real-data files (`data generate|export|load|import`) and the
 * identifier checks (`check id|uscc`). Handlers return an exit code and write through `Output`, so tests
 * drive them without spawning a process; only the commander actions touch process and the clock.
 */
import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { validateIdNumber } from '../core/ids/id-number';
import { validateUscc } from '../core/ids/uscc';
import { writeCityFiles } from '../datasets/files';
import { SCALES, isScaleName } from '../datasets/generator';
import { type ImportSummary, importFile, writeRejects } from '../datasets/import';
import { exportCity, loadCity, openNodeStore } from '../datasets/node-stores';
import { findResource, RESOURCE_CODES } from '../datasets/schema';

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const consoleOutput: Output = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

export const DEFAULT_DATA_DIR = '.hutong';

export function runCheckId(value: string, io: Output, asOf?: string): number {
  const r = validateIdNumber(value.trim(), asOf);
  if (r.ok) {
    io.out(`valid: ${value} (area ${r.areaCode}, born ${r.birthDate}, ${r.gender})`);
    return 0;
  }
  io.err(`invalid: ${r.code} ${r.reason}`);
  return 1;
}

export function runCheckUscc(value: string, io: Output): number {
  const r = validateUscc(value.trim());
  if (r.ok) {
    io.out(
      `valid: ${value} (authority ${r.authority}, type ${r.entityType}, area ${r.areaCode}, organisation code ${r.orgCode}${
        r.orgCodeValid ? '' : ' — its GB 11714 check does not match'
      })`,
    );
    return 0;
  }
  io.err(`invalid: ${r.code} ${r.reason}`);
  return 1;
}

export function runGenerate(opts: { scale: string; seed: string; out: string }, io: Output): number {
  const seed = Number(opts.seed);
  if (!isScaleName(opts.scale) || !Number.isSafeInteger(seed)) {
    io.err('BAD_ARGUMENT: --scale must be small|medium|large and --seed an integer');
    return 2;
  }
  const started = performance.now();
  const counts = writeCityFiles(resolve(opts.out), { seed, scale: SCALES[opts.scale] });
  for (const code of RESOURCE_CODES) io.out(`${code.padEnd(28)} ${String(counts.rows[code] ?? 0).padStart(9)}`);
  io.out(
    `generated ${opts.scale} city (seed ${seed}) in ${opts.out} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return 0;
}

export async function runLoad(opts: { from: string; data: string }, io: Output): Promise<number> {
  try {
    await loadCity(resolve(opts.from), resolve(opts.data), (code, n) =>
      io.out(`${code.padEnd(28)} ${String(n).padStart(9)}`),
    );
    io.out(`loaded ${opts.from} into ${opts.data}/nodes`);
    return 0;
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'LOAD_FAILED';
    io.err(`${code}: ${(e as Error).message}`);
    return 1;
  }
}

export async function runExport(opts: { out: string; data: string }, io: Output): Promise<number> {
  const counts = await exportCity(resolve(opts.data), resolve(opts.out));
  const codes = Object.keys(counts);
  if (codes.length === 0) {
    io.err(`NO_DATA: no node stores with datasets under ${opts.data}/nodes`);
    return 1;
  }
  for (const code of codes) io.out(`${code.padEnd(28)} ${String(counts[code]).padStart(9)}`);
  io.out(`exported ${codes.length} datasets to ${opts.out}`);
  return 0;
}

export interface ImportCliOptions {
  resource: string;
  file: string;
  data: string;
  partial?: boolean;
  rejects?: string;
  asOf?: string;
  progress?: boolean;
}

export async function runImport(
  opts: ImportCliOptions,
  io: Output,
): Promise<{ exitCode: number; summary?: ImportSummary }> {
  const resource = findResource(opts.resource);
  if (!resource) {
    io.err(`UNKNOWN_RESOURCE: ${opts.resource} (one of ${RESOURCE_CODES.join(', ')})`);
    return { exitCode: 2 };
  }
  const bar = opts.progress
    ? new cliProgress.SingleBar(
        { format: '导入 [{bar}] {percentage}% | {value}/{total} bytes' },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let started = false;
  const db = openNodeStore(resolve(opts.data), resource.provider);
  let summary: ImportSummary;
  try {
    summary = await importFile(db, resource, resolve(opts.file), {
      partial: opts.partial ?? false,
      ...(opts.asOf ? { asOf: opts.asOf } : {}),
      onProgress: (done, total) => {
        if (!bar) return;
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.update(done);
      },
    });
  } finally {
    if (started) bar?.stop();
    await db.destroy();
  }
  const rejectsFile = opts.rejects ?? (summary.rejects.length ? `${opts.file}.rejects.csv` : undefined);
  if (rejectsFile) writeRejects(resolve(rejectsFile), summary.rejects);

  if (summary.fileError) {
    io.err(`${summary.fileError.code}: ${summary.fileError.reason}`);
  }
  io.out(
    `${resource.code} ← ${opts.file}: ${summary.rowsRead} rows read, ${summary.accepted} accepted, ${summary.rejected} rejected, ${summary.warnings.length} warnings; ${
      summary.committed ? `${summary.accepted} rows upserted` : 'nothing written'
    }`,
  );
  const tally = (issues: readonly { code: string }[], label: string) => {
    const byCode = new Map<string, number>();
    for (const i of issues) byCode.set(i.code, (byCode.get(i.code) ?? 0) + 1);
    for (const [code, n] of byCode) io.out(`  ${label} ${code}: ${n}`);
  };
  tally(summary.rejects, 'rejected');
  tally(summary.warnings, 'warning');
  if (rejectsFile) io.out(`rejects written to ${rejectsFile}`);
  if (!summary.committed && !summary.fileError && summary.rejected > 0) {
    io.err('REJECTED_ROWS: the file was not imported (all-or-nothing); fix the rows or use --partial');
  }
  return { exitCode: summary.committed && (summary.rejected === 0 || opts.partial) ? 0 : 1, summary };
}

export function registerDataCommands(program: Command): void {
  const data = program.command('data').description('synthetic 清河市 data and real-data import/export');
  const todayIso = () => new Date().toISOString().slice(0, 10);
  const exit = (code: number) => {
    process.exitCode = code;
  };

  data
    .command('generate')
    .description('generate the synthetic city as one CSV per resource (same seed and scale → same bytes)')
    .option('--scale <scale>', 'small | medium | large', 'small')
    .option('--seed <n>', 'random seed', '1')
    .requiredOption('--out <dir>', 'output directory')
    .action((o: { scale: string; seed: string; out: string }) => exit(runGenerate(o, consoleOutput)));

  data
    .command('export')
    .description('write the datasets the node stores hold, one CSV per resource')
    .requiredOption('--out <dir>', 'output directory')
    .option('--data <dir>', 'data directory', DEFAULT_DATA_DIR)
    .action(async (o: { out: string; data: string }) => exit(await runExport(o, consoleOutput)));

  data
    .command('load')
    .description("load generated CSVs into each department's node store (replacing their tables)")
    .requiredOption('--from <dir>', 'directory with <resource code>.csv files')
    .option('--data <dir>', 'data directory', DEFAULT_DATA_DIR)
    .action(async (o: { from: string; data: string }) => exit(await runLoad(o, consoleOutput)));

  data
    .command('import')
    .description("import a department's real file (CSV or XLSX) into its node store")
    .requiredOption('--resource <code>', 'resource code, e.g. shuiwu.tax_annual')
    .requiredOption('--file <file>', '.csv (UTF-8) or .xlsx file')
    .option('--data <dir>', 'data directory', DEFAULT_DATA_DIR)
    .option('--partial', 'write the good rows even when some rows are rejected')
    .option('--rejects <file>', 'where to write rejected rows (default <file>.rejects.csv)')
    .action(async (o: { resource: string; file: string; data: string; partial?: boolean; rejects?: string }) => {
      const r = await runImport({ ...o, asOf: todayIso(), progress: Boolean(process.stdout.isTTY) }, consoleOutput);
      exit(r.exitCode);
    });

  const check = program.command('check').description('validate identifiers');
  check
    .command('id <number>')
    .description('check a 居民身份证号码 (GB 11643)')
    .action((n: string) => exit(runCheckId(n, consoleOutput, todayIso())));
  check
    .command('uscc <code>')
    .description('check a 统一社会信用代码 (GB 32100)')
    .action((c: string) => exit(runCheckUscc(c, consoleOutput)));
}
