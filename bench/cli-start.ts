/**
 * CLI start-up: wall time of `hutong --version`, `hutong check id …` and `hutong members` (against a demo
 * city this script starts) from the build (dist/cli, what bin/hutong.js runs after `npm install`) and from
 * the TypeScript sources (HUTONG_CLI_FROM_SOURCE=1, how every run worked before), beside `node -e 0`, all in
 * the same run, interleaved. `--baseline DIR` adds an older checkout's bin/hutong.js (sharing this
 * node_modules) for `check id` and `members`. Run: node bin/run-ts.js bench/cli-start.ts [--runs 15] [--baseline DIR]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '15' }, baseline: { type: 'string' } },
});
const runs = Number(values.runs);
const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin/hutong.js');
const port = 9390;
const data = mkdtempSync(join(tmpdir(), 'hutong-cli-bench-'));

execFileSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], { cwd: root });

async function startDemo(): Promise<ChildProcess> {
  const demo = spawn(process.execPath, [bin, 'demo', '--data', data, '--port', String(port)], { cwd: root });
  await new Promise<void>((ready, failed) => {
    let out = '';
    demo.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('demo running')) ready();
    });
    demo.once('exit', (code) => failed(new Error(`demo exited ${code}`)));
  });
  return demo;
}

const commands: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  'hutong --version': [bin, '--version'],
  'hutong check id': [bin, 'check', 'id', '11010519491231002X'],
  'hutong members': [bin, 'members', '--data', data, '--url', `http://127.0.0.1:${port}`],
};
if (values.baseline) {
  const old = join(resolve(values.baseline), 'bin/hutong.js');
  commands['baseline check id'] = [old, 'check', 'id', '11010519491231002X'];
  commands['baseline members'] = [old, 'members', '--data', data, '--url', `http://127.0.0.1:${port}`];
}

function timeOnce(args: string[], fromSource: boolean): number {
  const env = { ...process.env, ...(fromSource ? { HUTONG_CLI_FROM_SOURCE: '1' } : {}) };
  const started = performance.now();
  execFileSync(process.execPath, args, { cwd: root, env, stdio: 'ignore' });
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const demo = await startDemo();
try {
  const samples = new Map<string, number[]>();
  for (let i = 0; i < runs; i++) {
    for (const [name, args] of Object.entries(commands)) {
      for (const fromSource of name.startsWith('hutong') ? [false, true] : [false]) {
        const key = `${name}${fromSource ? ' (sources)' : ''}`;
        samples.set(key, [...(samples.get(key) ?? []), timeOnce(args, fromSource)]);
      }
    }
  }
  console.log(`${new Date().toISOString()} · ${cpus().length} × ${cpus()[0]?.model} · Node ${process.version}`);
  console.log(`median of ${runs} runs, interleaved\n`);
  for (const [key, xs] of samples) console.log(`${key.padEnd(32)} ${median(xs).toFixed(0).padStart(6)} ms`);
} finally {
  demo.kill('SIGTERM');
  rmSync(data, { recursive: true, force: true });
}
