/**
 * CLI commands for auditing the hub's append-only log (`ledger verify|prove|check-proof`), the way an
 * outside auditor would: trust only a vkey, fetch the signed checkpoint, every tile and entry bundle over
 * C2SP tlog-tiles, and recompute everything. Handlers return an exit code (0 verified, 1 a discrepancy,
 * 2 bad arguments or an unreachable hub) and write through `Output`, so tests drive them in-process with
 * their own `fetch`. The handlers are loaded only when their command runs.
 */
import type { Command } from 'commander';
import { HUTONG_LOG_ORIGIN } from '../../ledger/service/log-service';
import { defaultUrl as DEFAULT_URL } from '../common';
import { consoleOutput } from '../output';
import type { CheckProofOptions } from './check-proof';
import type { ProveOptions } from './prove';
import type { VerifyOptions } from './verify';

export function registerLedgerCommands(program: Command): void {
  const ledger = program.command('ledger').description('审计日志 / audit the hub’s append-only log (C2SP tlog-tiles)');
  const exit = (code: number) => {
    process.exitCode = code;
  };

  ledger
    .command('verify')
    .description('fetch the signed checkpoint, every tile and entry bundle, and recompute the tree')
    .option('--url <url>', 'hub URL', DEFAULT_URL)
    .option('--vkey <vkey>', 'the log vkey, or a file holding it (default: fetched from the hub)')
    .option('--policy <file>', 'a tlog-policy to check cosignatures against (default: the hub’s /ledger/policy)')
    .option('--since <file>', 'a checkpoint saved earlier with --save: check the log grew from it')
    .option(
      '--save <file>',
      'write the verified checkpoint here (and its witness policy to <file>.policy), for a later --since',
    )
    .option('--accept-policy', 'accept a witness policy that differs from the one saved with --since')
    .option('--no-nodes', 'do not ask the nodes for their signed chain heads')
    .option('--max-lag <minutes>', 'how long a node’s newest record may wait for the log', '10')
    .option('--origin <origin>', 'log origin', HUTONG_LOG_ORIGIN)
    .option('--json', 'print JSON')
    .action(async (o: VerifyOptions) => exit(await (await import('./verify')).runLedgerVerify(o, consoleOutput)));

  ledger
    .command('prove')
    .description('write a c2sp.org/tlog-proof@v1 for one entry against the latest checkpoint')
    .requiredOption('--index <n>', 'entry index')
    .option('--url <url>', 'hub URL', DEFAULT_URL)
    .option('--vkey <vkey>', 'the log vkey, or a file holding it (default: fetched from the hub)')
    .option('--out <file>', 'write the proof here (default: stdout)')
    .option('--entry-out <file>', 'also write the entry bytes here (for check-proof --entry)')
    .option('--policy <file>', 'the witness policy the checkpoint must meet (default: the hub’s /ledger/policy)')
    .option('--origin <origin>', 'log origin', HUTONG_LOG_ORIGIN)
    .option('--json', 'print JSON (with --out)')
    .action(async (o: ProveOptions) => exit(await (await import('./prove')).runLedgerProve(o, consoleOutput)));

  ledger
    .command('check-proof <file>')
    .description('check a tlog-proof file offline: checkpoint signature and the entry’s inclusion')
    .option('--entry <file>', 'the entry bytes')
    .option('--entry-text <text>', 'the entry as text (UTF-8)')
    .option('--vkey <vkey>', 'the log vkey, or a file holding it')
    .option('--policy <file>', 'a tlog-policy: check the witnesses’ cosignatures against its quorum, offline')
    .option('--url <url>', 'fetch the vkey from this hub’s /ledger/vkey (when no --vkey and no --policy)')
    .option('--origin <origin>', 'log origin', HUTONG_LOG_ORIGIN)
    .option('--json', 'print JSON')
    .action(async (file: string, o: Omit<CheckProofOptions, 'file'>) =>
      exit(await (await import('./check-proof')).runLedgerCheckProof({ ...o, file }, consoleOutput)),
    );
}
