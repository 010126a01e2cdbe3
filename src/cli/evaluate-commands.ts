/**
 * `hutong evaluate`: runs the 亩均论英雄 evaluation in the running demo as 经信局 (its application under
 * /apps/evaluation/v1), waits for it, and writes the result as JSON and as an Excel workbook.
 *
 *   npx hutong evaluate --year 2025 [--config FILE | --config-id huangyan-2022] [--history auto|recompute]
 *                       --json out.json --xlsx out.xlsx [--url http://127.0.0.1:8080] [--data .hutong]
 *
 * Exit codes: 0 done, 1 the evaluation failed (its code is printed), 2 bad arguments or no demo to talk to.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderTable } from './table';
import type { Command } from 'commander';
import type { EvaluationView as Evaluation } from '../apps/evaluation/service/rows';
import { readDemoCredentials } from '../composition/demo-credentials';
import { decodeProblem } from '../core/problem';
import type { Output } from './output';
import { CliProblem } from './problem';

export interface EvaluateOptions {
  year: string;
  config?: string;
  configId?: string;
  history?: string;
  json?: string;
  xlsx?: string;
  url: string;
  data: string;
  as: string;
  /** Poll interval while the evaluation runs. */
  pollMs?: number;
}

const consoleOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export async function runEvaluate(options: EvaluateOptions, io: Output = consoleOutput): Promise<number> {
  try {
    return await evaluate(options, io);
  } catch (error) {
    if (error instanceof CliProblem) {
      io.err(`错误 ${error.code}: ${error.message}`);
      return error.exitCode;
    }
    if (error instanceof TypeError && (error as Error & { cause?: unknown }).cause) {
      io.err(`无法连接到互通平台 ${options.url}（是否已运行 npm start？）`);
      return 2;
    }
    throw error;
  }
}

async function evaluate(options: EvaluateOptions, io: Output): Promise<number> {
  const year = Number(options.year);
  if (!Number.isInteger(year) || year < 2000 || year > 2100)
    throw new CliProblem('BAD_YEAR', '--year 须为 2000–2100 的年份');
  if (options.config && options.configId) throw new CliProblem('BAD_ARGUMENTS', '--config 与 --config-id 只能二选一');
  if (options.history && !['auto', 'recompute'].includes(options.history)) {
    throw new CliProblem('BAD_ARGUMENTS', '--history 须为 auto 或 recompute');
  }
  let config: unknown;
  if (options.config) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(resolve(options.config), 'utf8'));
    } catch (error) {
      throw new CliProblem('CONFIG_UNREADABLE', `${options.config}: ${(error as Error).message}`);
    }
    const { MethodologyError, parseMethodology } = await import('../apps/evaluation/service/config');
    try {
      config = parseMethodology(json);
    } catch (error) {
      if (error instanceof MethodologyError) {
        for (const issue of error.issues) io.err(`  ${issue.path || '(root)'}: ${issue.message}`);
        throw new CliProblem('CONFIG_INVALID', `${options.config} 不是有效的评价办法`);
      }
      throw error;
    }
  }
  const token = process.env.HUTONG_TOKEN ?? readDemoCredentials(resolve(options.data))?.tokens[options.as];
  if (!token) {
    throw new CliProblem(
      'NO_CREDENTIALS',
      `找不到 ${options.as} 的令牌：请先运行 npm start，或用 --data 指定演示数据目录，或设置 HUTONG_TOKEN`,
    );
  }
  const base = new URL('/apps/evaluation/v1', options.url).toString();
  const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      const problem = decodeProblem(response.status, await response.text(), response.statusText);
      for (const issue of problem.errors) io.err(`  ${issue.path}: ${issue.message}`);
      throw new CliProblem(problem.code, problem.detail);
    }
    return response;
  };

  const started = (await (
    await call('POST', '/evaluations', {
      year,
      ...(config ? { config } : { configId: options.configId ?? 'default' }),
      ...(options.history ? { history: options.history } : {}),
    })
  ).json()) as Evaluation;
  io.err(`评价 ${started.id} 已开始（${year} 年度）…`);
  let current = started;
  let lastProgress = '';
  while (current.status === 'running') {
    await new Promise((done) => setTimeout(done, options.pollMs ?? 500));
    current = (await (await call('GET', `/evaluations/${started.id}`)).json()) as Evaluation;
    if (current.progress && current.progress !== lastProgress) {
      lastProgress = current.progress;
      io.err(`  … ${current.progress}`);
    }
  }
  if (current.status === 'failed') {
    io.err(`评价失败 ${current.error?.code}: ${current.error?.detail}`);
    return 1;
  }
  if (options.json) {
    const result = await (await call('GET', `/evaluations/${started.id}/result`)).text();
    writeFileSync(resolve(options.json), result);
  }
  if (options.xlsx) {
    const workbook = Buffer.from(await (await call('GET', `/evaluations/${started.id}/xlsx`)).arrayBuffer());
    writeFileSync(resolve(options.xlsx), workbook);
  }
  const summary = current.summary;
  if (summary) {
    const table = renderTable(
      ['分组', '参评', 'A 优先发展', 'B 提升发展', 'C 调整转型', 'D 整治淘汰', '否决降档'],
      summary.groups.map(({ label, graded, classCounts: c, vetoApplied }) => [
        label,
        graded,
        c.A,
        c.B,
        c.C,
        c.D,
        vetoApplied,
      ]),
    );
    io.out(
      `评价 ${current.id}：${year} 年度，登记 ${summary.counts.registry} 户，范围内 ${summary.counts.inScope} 户，参评 ${summary.counts.graded} 户（${((current.durationMs ?? 0) / 1000).toFixed(1)} s）`,
    );
    io.out(table);
    for (const policy of summary.policies) {
      io.out(
        `${policy.class} 类 ${policy.label}：${policy.enterprises} 户${policy.amount ? `，预计 ${policy.amount} 元` : ''}`,
      );
    }
  }
  if (options.json) io.out(`JSON → ${options.json}`);
  if (options.xlsx) io.out(`XLSX → ${options.xlsx}`);
  return 0;
}

export function registerEvaluateCommands(program: Command): void {
  program
    .command('evaluate')
    .description('亩均论英雄：运行企业亩均效益评价（经信局）/ run the per-mu evaluation')
    .requiredOption('--year <year>', '评价年度 / evaluation year')
    .option('--config <file>', '评价办法文件（JSON）/ methodology file')
    .option('--config-id <id>', '随系统发布的评价办法（default, huangyan-2022）/ shipped methodology')
    .option('--history <mode>', '往年分类：auto（沿用已存评价）| recompute / earlier classes', 'auto')
    .option('--json <file>', '写出 JSON 结果 / write the JSON result')
    .option('--xlsx <file>', '写出 Excel 工作簿 / write the XLSX workbook')
    .option('--url <url>', '交换中心地址 / hub URL', 'http://127.0.0.1:8080')
    .option('--data <dir>', '演示数据目录（含登录凭据） / demo data folder (holds credentials.json)', '.hutong')
    .option('--as <member>', '以哪个单位运行 / run as', 'jingxin')
    .action(async (options: EvaluateOptions) => {
      process.exitCode = await runEvaluate(options);
    });
}
