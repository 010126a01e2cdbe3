/** What `data generate|export|load|import` do: the synthetic city and departments' files, into node stores. */
import type { PersonalDataSealer } from '../core/ports/personal-data';
import type { AnyDb } from '../datasets/store';
import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { writeCityFiles } from '../datasets/files';
import { SCALES, isScaleName } from '../datasets/generator';
import { type ImportSummary, importFile, writeRejects } from '../datasets/import';
import { exportCity, loadCity, openNodeStore } from '../datasets/node-stores';
import { findResource, RESOURCE_CODES } from '../datasets/schema';
import type { Output } from './output';

/** A demo data folder's sealers: under the 国密 suite its nodes keep people's data sealed (composition/demo.ts). */
async function demoFolderSealers(dataDir: string) {
  const { demoCryptoSuite, demoNodeSealers } = await import('../composition/demo');
  return demoNodeSealers(dataDir, demoCryptoSuite(dataDir));
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
    const dataDir = resolve(opts.data);
    await loadCity(
      resolve(opts.from),
      dataDir,
      (code, n) => io.out(`${code.padEnd(28)} ${String(n).padStart(9)}`),
      await demoFolderSealers(dataDir),
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
  const dataDir = resolve(opts.data);
  const counts = await exportCity(dataDir, resolve(opts.out), await demoFolderSealers(dataDir));
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
  /** A node's configuration: import into the database it names (its member must provide the resource). */
  config?: string;
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
  let db: AnyDb;
  let sealer: PersonalDataSealer | undefined;
  if (opts.config) {
    const [{ loadNodeConfig }, { databaseOptions }, { openDatabase }, { personalDataSealerOf }] = await Promise.all([
      import('../composition/config'),
      import('../composition/production-hub'),
      import('../platform/db/open'),
      import('../composition/production-node'),
    ]);
    const config = loadNodeConfig(opts.config, process.env);
    if (config.member !== resource.provider) {
      io.err(`NOT_THIS_NODE: ${resource.code} is provided by ${resource.provider}, this node is ${config.member}`);
      return { exitCode: 2 };
    }
    // Under the 国密 suite the node's people's data is written sealed, as the node reads it.
    sealer = personalDataSealerOf(config);
    db = openDatabase(databaseOptions(config.database));
  } else {
    db = openNodeStore(resolve(opts.data), resource.provider);
    sealer = (await demoFolderSealers(resolve(opts.data)))?.(resource.provider);
  }
  let summary: ImportSummary;
  try {
    summary = await importFile(db, resource, resolve(opts.file), {
      partial: opts.partial ?? false,
      ...(opts.asOf ? { asOf: opts.asOf } : {}),
      sealer,
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
