#!/usr/bin/env node
// Runs the suites built on the test city (src/testing/test-city.ts) and the console's browser tests once
// more, with the city under the 国密 suite (HUTONG_TEST_CITY_CRYPTO=gm: SM2 node keys and exchange
// signatures, HMAC-SM3 hashes, people's data sealed with SM4) — the same tests, not copies. When
// HUTONG_TEST_PG names a server, this pass also puts every store — hub, applications, departments' nodes
// and their data — in PostgreSQL schemas. Files marked `test-city: data folder only` drive the demo's own
// CLI on its SQLite data folder: they run under gm on SQLite.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const url = process.env.HUTONG_TEST_PG;

function testFiles(dir, suffix) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path, suffix);
    return entry.name.endsWith(suffix) ? [path] : [];
  });
}

// The test-city suites, and installation tests that take their suite from testSuite() (init configurations).
const cityFiles = testFiles(join(root, 'src'), '.test.ts').filter((file) => {
  const text = readFileSync(file, 'utf8');
  return text.includes('startTestCity(') || text.includes('testSuite()');
});
const folderOnly = (file) => readFileSync(file, 'utf8').includes('test-city: data folder only');
const passes = [
  {
    name: url ? 'test cities under gm, on PostgreSQL' : 'test cities under gm',
    files: cityFiles.filter((file) => !url || !folderOnly(file)),
    // One city at a time on PostgreSQL: each makes and drops some fifteen schemas, and PostgreSQL's catalog
    // reads race with schemas dropped beside them (retried, but needlessly).
    args: ['--maxWorkers', url ? '1' : '2'],
    env: { HUTONG_TEST_CITY_CRYPTO: 'gm', ...(url ? { HUTONG_TEST_CITY_PG: url } : {}) },
  },
  ...(url
    ? [
        {
          name: 'test cities under gm, data folder only',
          files: cityFiles.filter(folderOnly),
          args: ['--maxWorkers', '2'],
          env: { HUTONG_TEST_CITY_CRYPTO: 'gm' },
        },
      ]
    : []),
  {
    name: 'browser tests under gm',
    files: testFiles(join(root, 'web', 'src'), '.browser.test.ts'),
    args: ['--maxWorkers', '1', '--retry', '1'],
    env: { HUTONG_TEST_CITY_CRYPTO: 'gm' },
  },
];

for (const pass of passes) {
  const files = pass.files.map((file) => relative(root, file));
  console.log(`${pass.name}: ${files.length} files`);
  const run = spawnSync('npx', ['vitest', 'run', ...pass.args, ...files], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...pass.env },
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
