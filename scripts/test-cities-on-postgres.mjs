#!/usr/bin/env node
// Runs the integration suites built on the test city (src/testing/test-city.ts) again with every store —
// hub, applications, departments' nodes and their data — in PostgreSQL, when HUTONG_TEST_PG names a server.
// Files marked `test-city: data folder only` drive the demo's own CLI on its SQLite data folder and run once.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const url = process.env.HUTONG_TEST_PG;
if (!url) {
  console.log('test cities on PostgreSQL: skipped (HUTONG_TEST_PG is not set)');
  process.exit(0);
}

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = testFiles(join(root, 'src'))
  .filter((file) => {
    const text = readFileSync(file, 'utf8');
    return text.includes('startTestCity(') && !text.includes('test-city: data folder only');
  })
  .map((file) => relative(root, file));
console.log(`test cities on PostgreSQL: ${files.length} files`);
// One city at a time: each makes and drops some fifteen schemas, and PostgreSQL's catalog reads race with
// schemas dropped beside them (retried, but needlessly).
const run = spawnSync('npx', ['vitest', 'run', '--maxWorkers', '1', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, HUTONG_TEST_CITY_PG: url },
});
process.exit(run.status ?? 1);
