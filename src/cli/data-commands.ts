/**
 * CLI commands for the synthetic city and real-data files (`data generate|export|load|import`, handled in
 * data-handlers.ts, loaded only when one runs) and the identifier checks (`check id|uscc`). Handlers return
 * an exit code and write through `Output`, so tests drive them without spawning a process; only the
 * commander actions touch process and the clock.
 */
import type { Command } from 'commander';
import type { ImportCliOptions } from './data-handlers';
import { validateIdNumber } from '../core/ids/id-number';
import { validateUscc } from '../core/ids/uscc';
import { consoleOutput, DEFAULT_DATA_DIR, type Output } from './output';

export function runCheckId(value: string, io: Output, asOf?: string): number {
  const r = validateIdNumber(value.trim(), asOf);
  if (r.ok) {
    io.out(`valid: ${value} (area ${r.areaCode}, born ${r.birthDate}, ${r.gender})`);
    return 0;
  }
  io.err(`invalid: ${r.code} ${r.reason}`);
  // An 18-character code with letters where an ID number has digits is most likely a credit code.
  if (validateUscc(value.trim()).ok)
    io.err(`这是统一社会信用代码：请用 hutong check uscc ${value.trim()} / a credit code: use check uscc`);
  return 1;
}

export function runCheckUscc(value: string, io: Output): number {
  const r = validateUscc(value.trim());
  if (r.ok) {
    io.out(
      `valid: ${value} (authority ${r.authority}, type ${r.entityType}, area ${r.areaCode}, organisation code ${r.orgCode}${
        r.orgCodeValid ? '' : ' — its GB 11714 check does not match'
      })`,
    );
    return 0;
  }
  io.err(`invalid: ${r.code} ${r.reason}`);
  if (validateIdNumber(value.trim()).ok)
    io.err(`这是居民身份证号码：请用 hutong check id ${value.trim()} / an ID number: use check id`);
  return 1;
}

const handlers = () => import('./data-handlers');

export function registerDataCommands(program: Command): void {
  const data = program
    .command('data')
    .description('合成数据与部门数据导入导出 / synthetic 清河市 data, real-data import and export');
  const todayIso = () => new Date().toISOString().slice(0, 10);
  const exit = (code: number) => {
    process.exitCode = code;
  };

  data
    .command('generate')
    .description('生成合成城市数据，每个资源一个 CSV（同一种子与规模结果相同）/ generate the synthetic city')
    .option('--scale <scale>', '规模 / small | medium | large', 'small')
    .option('--seed <n>', '随机种子 / random seed', '1')
    .requiredOption('--out <dir>', '输出目录 / output directory')
    .action(async (o: { scale: string; seed: string; out: string }) =>
      exit((await handlers()).runGenerate(o, consoleOutput)),
    );

  data
    .command('export')
    .description('导出各前置机所存数据，每个资源一个 CSV / export what the node stores hold')
    .requiredOption('--out <dir>', '输出目录 / output directory')
    .option('--data <dir>', '数据目录 / data directory', DEFAULT_DATA_DIR)
    .action(async (o: { out: string; data: string }) => exit(await (await handlers()).runExport(o, consoleOutput)));

  data
    .command('load')
    .description('把生成的 CSV 装入各部门前置机（替换原表）/ load generated CSVs into the node stores')
    .requiredOption('--from <dir>', '含 <资源代码>.csv 的目录 / directory with <resource code>.csv files')
    .option('--data <dir>', '数据目录 / data directory', DEFAULT_DATA_DIR)
    .action(async (o: { from: string; data: string }) => exit(await (await handlers()).runLoad(o, consoleOutput)));

  data
    .command('import')
    .description('把部门的真实数据文件（CSV 或 XLSX）导入其前置机 / import a department file')
    .requiredOption('--resource <code>', '资源代码，如 shuiwu.tax_annual / resource code')
    .requiredOption('--file <file>', 'CSV（UTF-8）或 XLSX 文件 / .csv or .xlsx file')
    .option('--data <dir>', '数据目录 / data directory', DEFAULT_DATA_DIR)
    .option('--config <file>', '前置机配置文件：导入其配置的数据库 / a node’s configuration: import into its database')
    .option('--partial', '部分行被拒时仍写入合格行 / write the good rows even when some are rejected')
    .option('--rejects <file>', '被拒行写到此文件（默认 <文件>.rejects.csv）/ where to write rejected rows')
    .action(async (o: Omit<ImportCliOptions, 'asOf' | 'progress'>) => {
      const r = await (await handlers()).runImport(
        { ...o, asOf: todayIso(), progress: Boolean(process.stdout.isTTY) },
        consoleOutput,
      );
      exit(r.exitCode);
    });

  const check = program.command('check').description('校验证件号码与统一社会信用代码 / validate identifiers');
  check
    .command('id <number>')
    .description('校验居民身份证号码（GB 11643）/ check an ID number')
    .action((n: string) => exit(runCheckId(n, consoleOutput, todayIso())));
  check
    .command('uscc <code>')
    .description('校验统一社会信用代码（GB 32100）/ check a credit code')
    .action((c: string) => exit(runCheckUscc(c, consoleOutput)));
}
