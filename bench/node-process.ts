/** Starts a department node (`hutong node`) in a process of its own, as on a department's machine. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../src/composition/hub';

export function startNodeProcess(
  member: string,
  hubUrl: string,
  dataDir: string,
): Promise<{ child: ChildProcess; url: string }> {
  // BENCH_PROFILE_DIR=/tmp/prof writes a V8 CPU profile of each node process, to see where time goes.
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  const child = spawn(
    process.execPath,
    [
      ...profile,
      join(projectRoot, 'bin/hutong.js'),
      'node',
      '--member',
      member,
      '--hub',
      hubUrl,
      '--data',
      dataDir,
      '--log-level',
      'warn',
      '--staleness',
      '3600',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      const match = new RegExp(`NODE ${member} (\\S+)`).exec(String(chunk));
      if (match) resolve({ child, url: match[1]! });
      // Audit shipping that fails (a hub too busy to answer in time) is what the ledger benches watch for.
      for (const line of String(chunk).split('\n')) {
        if (line.includes('audit shipping failed')) process.stderr.write(`[${member}] ${line}\n`);
      }
    });
    child.once('exit', (code) => reject(new Error(`node ${member} exited ${code}`)));
  });
}
