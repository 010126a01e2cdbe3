/**
 * `hutong query`: one request through the member's own node, made by the exchange client (src/client) as the
 * apps make theirs, and printed as the node answered it (or as its coded refusal).
 */
import { resolve } from 'node:path';
import { readDemoCredentials } from '../composition/demo-credentials';
import type { AccessMode } from '../core/catalog/resource';
import type { Command } from 'commander';
import { type CommonOptions, withCommon } from './common';
import type { Output } from './output';

export interface QueryOptions {
  data: string;
  as: string;
  agreement: string;
  mode: string;
  officer: string;
  case: string;
  subject?: string | undefined;
  predicate?: string | undefined;
  subjects?: string | undefined;
  items?: string | undefined;
  groupBy?: string | undefined;
  measures?: string | undefined;
  filter?: string | undefined;
  computation?: string | undefined;
  params?: string | undefined;
}

const modes = new Set<string>(['verify', 'record', 'aggregate', 'compute']);

function list(text: string | undefined): string[] | undefined {
  return text
    ?.split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** The mode's part of the request from the command's flags (JSON flags parsed, lists split). */
function payloadOf(options: QueryOptions): Record<string, unknown> {
  const json = (text: string | undefined): unknown => (text === undefined ? undefined : JSON.parse(text));
  switch (options.mode) {
    case 'verify':
      return { subject: options.subject, predicate: json(options.predicate) };
    case 'record':
      return { subjects: list(options.subjects ?? options.subject), items: list(options.items) };
    case 'aggregate':
      return { groupBy: list(options.groupBy) ?? [], measures: json(options.measures), filter: json(options.filter) };
    default:
      return {
        computation: options.computation,
        params: json(options.params),
        subjects: list(options.subjects ?? options.subject),
      };
  }
}

/** Runs the query; 0 when answered, 1 when refused, 2 when it could not be asked. */
export async function runQuery(options: QueryOptions, io: Output): Promise<number> {
  const node = readDemoCredentials(resolve(options.data))?.nodes?.[options.as];
  if (!node) {
    io.err(`找不到 ${options.as} 的前置机：请先运行 npm start / no node for ${options.as}`);
    return 2;
  }
  if (!modes.has(options.mode)) {
    io.err(`--mode 须为 verify、record、aggregate 或 compute / unknown mode ${options.mode}`);
    return 2;
  }
  let payload: Record<string, unknown>;
  try {
    payload = payloadOf(options);
  } catch (error) {
    io.err(`JSON 参数无法解析 / a JSON option does not parse: ${(error as Error).message}`);
    return 2;
  }
  const { ExchangeClient, ExchangeError } = await import('../client/exchange-client');
  const client = new ExchangeClient({ node });
  try {
    const answer = await client.query(
      { agreementId: options.agreement, officer: options.officer, caseId: options.case },
      options.mode as AccessMode,
      payload,
    );
    io.out(JSON.stringify(answer.body, null, 2));
    return 0;
  } catch (error) {
    if (!(error instanceof ExchangeError)) throw error;
    io.out(JSON.stringify({ status: error.status, code: error.code, detail: error.message }, null, 2));
    return 1;
  }
}

export function registerQueryCommand(program: Command): void {
  withCommon(program.command('query').description('通过本单位前置机查询 / query through your own node'))
    .requiredOption('--as <member>', '申请部门代码（经其前置机查询） / consumer member code (its node is used)')
    .requiredOption('--agreement <id>', '协议编号 / agreement id')
    .requiredOption('--mode <mode>', '共享方式 / verify | record | aggregate | compute')
    .option('--subject <key>', '核验对象（身份证号或信用代码；record/compute 时等同 --subjects）/ the subject')
    .option(
      '--predicate <json>',
      '核验方式：核验条件 / verify: predicate, e.g. {"op":"gte","item":{"ageAt":"2026-11-27","of":"birth_date"},"value":60}',
    )
    .option('--subjects <list>', '多个对象，逗号分隔（record/compute）/ comma-separated subject keys')
    .option('--items <list>', '调取方式：信息项（逗号分隔） / record: comma-separated items')
    .option('--group-by <list>', '统计方式：分组维度（逗号分隔） / aggregate: comma-separated dimensions')
    .option('--measures <json>', '统计方式：统计量 / aggregate: e.g. [{"fn":"count"}]', '[{"fn":"count"}]')
    .option('--filter <json>', '统计方式：维度筛选条件 / aggregate: predicate over dimensions')
    .option('--computation <id>', '计算方式：已发布的计算编号 / compute: published computation id')
    .option('--params <json>', '计算方式：参数 / compute: parameters, e.g. {"year":2025}')
    .option('--officer <id>', '经办人 / acting officer', 'cli')
    .option('--case <id>', 'case (事项) id', '')
    .action(async (options: CommonOptions & QueryOptions) => {
      process.exitCode = await runQuery(options, { out: console.log, err: console.error });
    });
}
