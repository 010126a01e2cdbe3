/**
 * The built command (scripts/build-cli.mjs, what `npm install` makes for bin/hutong.js) answers as the
 * TypeScript sources do, and loads a command's handlers only when that command runs: a short command's
 * build stays free of the servers.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
// Inside the repository, so that the build's packages resolve from its node_modules.
mkdirSync(join(root, 'dist'), { recursive: true });
const outdir = mkdtempSync(join(root, 'dist', 'cli-test-'));
/** Runs the CLI's `main` from `entry` (the build, or the sources through tsx) with `args`. */
const run = (entry: string, args: string[], nodeFlags: string[] = []) =>
  execFileSync(
    process.execPath,
    [
      ...nodeFlags,
      '--input-type=module',
      '-e',
      `const { main } = await import(${JSON.stringify(entry)}); await main(['node', 'hutong', ...process.argv.slice(1)]);`,
      '--',
      ...args,
    ],
    { cwd: root, encoding: 'utf8' },
  );

describe('the built CLI', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, 'scripts/build-cli.mjs'), '--outdir', outdir], { cwd: root });
  }, 60_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('answers like the sources', () => {
    const built = join(outdir, 'main.js');
    const source = join(root, 'src/cli/main.ts');
    for (const args of [['--version'], ['check', 'id', '11010519491231002X'], ['ledger', '--help']]) {
      const fromBuild = run(built, args);
      expect(fromBuild.length).toBeGreaterThan(0);
      expect(fromBuild).toBe(run(source, args, ['--import', 'tsx']));
    }
  }, 60_000);

  it('keeps the servers and the data tools out of the entry module', () => {
    const entry = readFileSync(join(outdir, 'main.js'), 'utf8');
    const staticImports = [...entry.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(staticImports.filter((name) => !name?.startsWith('./'))).toEqual(expect.arrayContaining(['commander']));
    for (const heavy of ['fastify', 'kysely', 'better-sqlite3', 'exceljs', 'pino', 'pg', 'qrcode', 'cli-progress']) {
      expect(staticImports, heavy).not.toContain(heavy);
    }
    // Each lazily loaded command group is a chunk of its own.
    expect(readdirSync(outdir).filter((f) => f.endsWith('.js')).length).toBeGreaterThan(3);
  });
});
