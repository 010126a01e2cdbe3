/**
 * CLI commands for auditing the hub's append-only log (`ledger verify|prove|check-proof`), the way an
 * outside auditor would: trust only a vkey, fetch the signed checkpoint, every tile and entry bundle over
 * C2SP tlog-tiles, and recompute everything. Handlers return an exit code (0 verified, 1 a discrepancy,
 * 2 bad arguments or an unreachable hub) and write through `Output`, so tests drive them in-process with
 * their own `fetch`. The handlers are loaded only when their command runs.
 */
import { type Command, Option } from 'commander';
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
    .description(
      '下载签名检查点、全部瓦片与条目包，重算默克尔树 / fetch the signed checkpoint, every tile and entry bundle, and recompute the tree',
    )
    .option('--url <url>', '交换中心地址 / hub URL', DEFAULT_URL)
    .option(
      '--vkey <vkey>',
      '日志公钥或其文件（默认从交换中心获取） / the log vkey, or a file holding it (default: fetched from the hub)',
    )
    .option(
      '--policy <file>',
      '据以核验联署的见证策略（默认取交换中心的策略） / a tlog-policy to check cosignatures against (default: the hub’s /ledger/policy)',
    )
    .option(
      '--since <file>',
      '先前以 --save 保存的检查点：核验日志由此追加增长 / a checkpoint saved earlier with --save: check the log grew from it',
    )
    .option(
      '--save <file>',
      '核验通过的检查点写入此文件（见证策略写入 <file>.policy），供日后 --since 使用 / write the verified checkpoint here (and its witness policy to <file>.policy), for a later --since',
    )
    .option(
      '--accept-policy',
      '接受与 --since 时保存的不同的见证策略 / accept a witness policy that differs from the one saved with --since',
    )
    .option('--no-nodes', '不向各前置机索取签名链头 / do not ask the nodes for their signed chain heads')
    .option(
      '--max-lag <minutes>',
      '前置机最新记录入账的最长等待（分钟） / how long a node’s newest record may wait for the log',
      '10',
    )
    .option('--origin <origin>', '日志来源标识 / log origin', HUTONG_LOG_ORIGIN)
    .addOption(
      new Option(
        '--suite <suite>',
        'gm：另核验检查点的国密 SM2 签名与副署及其见证策略 / gm: also check the checkpoint’s SM2 signature and cosignatures against the SM2 policy',
      ).choices(['intl', 'gm']),
    )
    .option('--json', '输出 JSON / print JSON')
    .action(async (o: VerifyOptions) => exit(await (await import('./verify')).runLedgerVerify(o, consoleOutput)));

  ledger
    .command('prove')
    .description(
      '为一条目生成对最新检查点的包含证明 / write a c2sp.org/tlog-proof@v1 for one entry against the latest checkpoint',
    )
    .requiredOption('--index <n>', '条目序号 / entry index')
    .option('--url <url>', '交换中心地址 / hub URL', DEFAULT_URL)
    .option(
      '--vkey <vkey>',
      '日志公钥或其文件（默认从交换中心获取） / the log vkey, or a file holding it (default: fetched from the hub)',
    )
    .option('--out <file>', '证明写入此文件（默认标准输出） / write the proof here (default: stdout)')
    .option(
      '--entry-out <file>',
      '同时写出条目字节（供 check-proof --entry 使用） / also write the entry bytes here (for check-proof --entry)',
    )
    .option(
      '--policy <file>',
      '检查点须满足的见证策略（默认取交换中心的策略） / the witness policy the checkpoint must meet (default: the hub’s /ledger/policy)',
    )
    .option('--origin <origin>', '日志来源标识 / log origin', HUTONG_LOG_ORIGIN)
    .option('--json', '输出 JSON（与 --out 同用） / print JSON (with --out)')
    .action(async (o: ProveOptions) => exit(await (await import('./prove')).runLedgerProve(o, consoleOutput)));

  ledger
    .command('check-proof <file>')
    .description(
      '离线核验证明文件：检查点签名与条目包含证明 / check a tlog-proof file offline: checkpoint signature and the entry’s inclusion',
    )
    .option('--entry <file>', '条目原始字节文件 / the entry bytes')
    .option('--entry-text <text>', '条目文本（UTF-8） / the entry as text (UTF-8)')
    .option('--vkey <vkey>', '日志公钥或其文件 / the log vkey, or a file holding it')
    .option(
      '--policy <file>',
      '见证策略：离线核验联署是否达到法定数 / a tlog-policy: check the witnesses’ cosignatures against its quorum, offline',
    )
    .option(
      '--url <url>',
      '从该交换中心获取日志公钥（未给 --vkey 与 --policy 时） / fetch the vkey from this hub’s /ledger/vkey (when no --vkey and no --policy)',
    )
    .option('--origin <origin>', '日志来源标识 / log origin', HUTONG_LOG_ORIGIN)
    .option('--json', '输出 JSON / print JSON')
    .action(async (file: string, o: Omit<CheckProofOptions, 'file'>) =>
      exit(await (await import('./check-proof')).runLedgerCheckProof({ ...o, file }, consoleOutput)),
    );
}
