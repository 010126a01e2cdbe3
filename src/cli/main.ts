/**
 * The `hutong` command line, registered per command group. Commands that talk to a running demo take --url
 * (default http://127.0.0.1:8080) and find the demo's credentials in the data folder by themselves; --json
 * prints machine-readable output.
 */
import { Command } from 'commander';
import { packageVersion } from '../composition/project-root';
import { registerDataCommands } from './data-commands';
import { registerEvaluateCommands } from './evaluate-commands';
import { CliProblem } from './problem';
import { registerHubCommands } from './hub-commands';
import { registerLedgerCommands } from './ledger/commands';
import { registerQueryCommand } from './query-command';
import { registerServeCommands } from './serve-commands';
import { registerProductionCommands } from './production-commands';
import { registerServicesCommands } from './services-commands';

export function buildProgram(): Command {
  const program = new Command('hutong')
    .description('互通 — 清河市数据共享交换平台')
    .version(packageVersion(), '-V, --version', '显示版本 / print the version')
    .helpOption('-h, --help', '显示帮助 / show help')
    .helpCommand('help [command]', '显示命令的帮助 / show help for a command')
    .showHelpAfterError();
  registerServeCommands(program);
  registerProductionCommands(program);
  registerHubCommands(program);
  registerQueryCommand(program);
  registerDataCommands(program);
  registerLedgerCommands(program);
  registerEvaluateCommands(program);
  registerServicesCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CliProblem) {
      console.error(`错误 ${error.code}: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    // A city's installation: a configuration mistake (each key named), plain HTTP beyond loopback, an
    // existing configuration init will not overwrite.
    const installationMessages: Record<string, string> = {
      CONFIG_INVALID: '配置文件有误 / the configuration is not valid',
      TLS_REQUIRED: '未配置 TLS，拒绝在非本机地址上监听 / no TLS: refusing to listen beyond loopback',
      CONFIG_EXISTS: '目录中已有配置，不会覆盖 / a configuration exists already and is never overwritten',
      SECRET_MISSING: '配置中指定的文件无法读取 / a file the configuration names cannot be read',
      BACKUP_REFUSED: '备份或恢复被拒绝 / backup or restore refused',
      KEY_NOT_CURRENT: '本前置机密钥不是平台登记的现用密钥 / this node’s key is not its member’s current key',
      DATA_KEY_PENDING: '上次更换数据密钥未完成 / an earlier data-key rotation did not finish',
      CRYPTO_SUITE_MISMATCH: '前置机的密码算法套件与平台不一致 / the node’s cryptographic suite is not the city’s',
      DATA_SUITE_MISMATCH:
        '数据目录由另一密码算法套件创建 / the data folder was made under the other cryptographic suite',
    };
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && installationMessages[code]) {
      console.error(`错误 ${code}: ${installationMessages[code]}\n  ${(error as Error).message}`);
      process.exitCode = 2;
      return;
    }
    if ((error as { code?: unknown }).code === 'DATA_FORMAT_OUTDATED') {
      console.error(
        `数据目录 ${(error as { dataDir?: string }).dataDir} 中的审计账本是旧版格式，无法续写：请换一个新的数据目录（--data）/ ${(error as Error).message}`,
      );
      process.exitCode = 2;
      return;
    }
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      const { port } = error as NodeJS.ErrnoException & { port?: number };
      console.error(
        `端口 ${port ?? ''} 已被占用：请用 --port 换一个端口（节点使用其后的 13 个端口）/ port in use: choose another --port`,
      );
      process.exitCode = 2;
      return;
    }
    if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED' || (error as Error).cause) {
      console.error(`无法连接到互通平台：${(error as Error).message}（是否已运行 npm start？）`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
}
