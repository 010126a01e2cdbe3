#!/usr/bin/env node
// Builds the `hutong` command into dist/cli: one ES module for the command line and a chunk per command that
// loads later (esbuild splitting follows the CLI's dynamic imports), so a short command does not load the
// servers. dist/cli/inputs.json lists the sources it was built from: bin/hutong.js runs the build only
// while none of them changed since, and the TypeScript sources otherwise (development needs no rebuild).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const outArgument = process.argv.indexOf('--outdir');
const outdir = outArgument > 0 ? process.argv[outArgument + 1] : join(root, 'dist/cli');
const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.startsWith('node_modules/'));
writeFileSync(join(outdir, 'inputs.json'), `${JSON.stringify({ builtAt: Date.now(), inputs }, null, 2)}\n`);
