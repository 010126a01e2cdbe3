/**
 * The README's CLI examples work as printed against the demo city: each `npx hutong …` line of its CLI
 * section runs (through bin/hutong.js, as `npx` would) against a test city and exits 0. Only what a line
 * cannot know is filled in: the city's address and data folder, the id of an agreement, files it names.
 * Lines that start a long-running server or need a person's own file are listed, not silently skipped.
 */
// test-city: data folder only — the README's commands read and write the demo's SQLite data folder.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCity, type TestCity } from '../testing/test-city';

const root = resolve(import.meta.dirname, '../..');
// Asynchronously: the city runs in this process and must go on answering while a command waits for it.
const run = promisify(execFile);

/** Not run here: a server that runs until stopped, and lines that take a person's own file or identity. */
const NOT_RUN = [/ node --member /, / data import /, / services apply /, / cert verify /];

/** The `npx hutong` lines of the README's CLI section, continuation lines joined and comments dropped. */
function readmeExamples(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## CLI'), readme.indexOf('\n## ', readme.indexOf('## CLI') + 1));
  const block = /```bash\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.replace(/\s{2,}#.*$/, '').trim())
    .filter((line) => line.startsWith('npx hutong '));
}

/** Splits a command line as a POSIX shell would for these examples: spaces, '…' and "…". */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? (m[3] as string));
}

const WITH_HUB = new Set(['members', 'catalog', 'agreements', 'overview', 'query', 'services', 'evaluate']);

describe('README CLI examples', { timeout: 240_000 }, () => {
  let city: TestCity;
  let work: string;
  const filled = new Map<string, string>();

  beforeAll(async () => {
    city = await startTestCity();
    work = mkdtempSync(join(tmpdir(), 'hutong-readme-'));
    const agreements = await city.hub<{ items: { id: string; resourceCode: string; grantedItems?: string[] }[] }>(
      'zhengwu',
      'GET',
      '/agreements?side=consumer&status=active&resource=gongan.household&pageSize=50',
    );
    const ageCheck = agreements.json.items.find((a) => JSON.stringify(a).includes('birth_date'));
    filled.set('<id>', ageCheck?.id ?? 'no-agreement');
    filled.set('/tmp/city', join(work, 'city'));
    filled.set('/tmp/out', join(work, 'out'));
    filled.set('$(curl -s localhost:8080/ledger/vkey)', await (await fetch(`${city.url}/ledger/vkey`)).text());
  }, 120_000);

  afterAll(async () => {
    await city?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('runs every example line that needs no server of its own or private file', async () => {
    const lines = readmeExamples();
    expect(lines.length).toBeGreaterThan(15);
    const failures: string[] = [];
    const ran: string[] = [];
    for (const line of lines) {
      if (NOT_RUN.some((pattern) => pattern.test(` ${line} `))) continue;
      let text = line;
      for (const [placeholder, value] of filled) text = text.split(placeholder).join(value);
      const args = words(text).slice(2);
      const [command] = args;
      if (WITH_HUB.has(command as string)) args.push('--url', city.url, '--data', city.dataDir);
      else if (command === 'ledger') args.push('--url', city.url);
      else if (command === 'data' && args[1] === 'export') args.push('--data', city.dataDir);
      try {
        const { stdout: out } = await run(process.execPath, [join(root, 'bin/hutong.js'), ...args], {
          cwd: work,
          encoding: 'utf8',
          timeout: 120_000,
        });
        ran.push(line);
        // The id an application got is what the next example (the provider's answer) acts on.
        const applied = /已提交申请 ([A-Z0-9-]+)/.exec(out)?.[1];
        if (applied) filled.set('GX-20261127-XXXXXX', applied);
      } catch (error) {
        const { code, stderr, stdout } = error as { code: number; stderr: string; stdout: string };
        failures.push(`${line}\n  → exit ${code}: ${(stderr || stdout).trim().slice(0, 400)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(ran.length).toBeGreaterThan(12);
  });
});
