/**
 * The `hutong` command line. Commands that talk to a running demo take --url (default http://127.0.0.1:8080)
 * and find the demo's credentials in the data folder by themselves; --json prints machine-readable output.
 */
import { resolve } from 'node:path';
import Table from 'cli-table3';
import { Command, Option } from 'commander';
import { loadOrCreateCitySecret, readDemoCredentials, startDemo } from '../composition/demo';
import { startNode } from '../composition/node';
import { createLogger } from '../platform/log/logger';
import { demoPublications } from '../demo/publications';
import { projectRoot } from '../composition/hub';
import { registerDataCommands } from './data-commands';
import { registerEvaluateCommands } from './evaluate-commands';
import { HubApiError, HubClient } from './hub-client';
import { registerLedgerCommands } from './ledger/commands';
import { type QueryOptions, runQuery } from './query-command';
import { registerServicesCommands } from './services-commands';

const defaultUrl = 'http://127.0.0.1:8080';
const defaultDataDir = '.hutong';

interface CommonOptions {
  url: string;
  data: string;
  json?: boolean;
  as?: string;
}

function clientFor(options: CommonOptions, member?: string): HubClient {
  const credentials = readDemoCredentials(resolve(options.data));
  const who = member ?? options.as ?? 'dashuju';
  const token = process.env.HUTONG_TOKEN ?? credentials?.tokens[who];
  if (!token) {
    throw new HubApiError(
      0,
      'NO_CREDENTIALS',
      `找不到 ${who} 的令牌：请先运行 npm start，或用 --data 指定演示数据目录，或设置 HUTONG_TOKEN`,
    );
  }
  return new HubClient(options.url, token);
}

function print(options: CommonOptions, value: unknown, table?: () => string): void {
  if (options.json || !table) console.log(JSON.stringify(value, null, 2));
  else console.log(table());
}

function withCommon(command: Command): Command {
  return command
    .addOption(new Option('--url <url>', 'hub URL').default(defaultUrl))
    .addOption(new Option('--data <dir>', 'demo data folder (holds credentials.json)').default(defaultDataDir))
    .option('--json', 'print JSON');
}

const statusLabels: Record<string, string> = {
  pending: '待审批',
  pending_superior: '待上级审批',
  active: '已生效',
  rejected: '已驳回',
  suspended: '已暂停',
  revoked: '已撤销',
  expired: '已过期',
  withdrawn: '已撤回',
};

interface AgreementRow {
  id: string;
  resourceCode: string;
  consumerCode: string;
  providerCode: string;
  status: string;
  appliedAt: string;
  sla: { overdue: boolean; workingDaysOverdue: number };
}

export function buildProgram(): Command {
  const program = new Command('hutong').description('互通 — 清河市数据共享交换平台').showHelpAfterError();

  program
    .command('demo')
    .description('启动演示城市（清河市）/ start the demo city')
    .addOption(new Option('--port <port>', 'port').default('8080'))
    .addOption(new Option('--host <host>', 'host').default('127.0.0.1'))
    .addOption(new Option('--data <dir>', 'data folder').default(defaultDataDir))
    .option('--log-level <level>', 'log level (structured JSON logs on stdout)', 'warn')
    .option('--no-nodes', 'start the hub without the departments’ nodes')
    .action(async (options: { port: string; host: string; data: string; logLevel: string; nodes: boolean }) => {
      const dataDir = resolve(options.data);
      const { url, credentials, nodes } = await startDemo({
        dataDir,
        port: Number(options.port),
        host: options.host,
        logLevel: options.logLevel,
        nodes: options.nodes,
        webDir: resolve(projectRoot, 'web/dist'),
      });
      const users = credentials.users.map((user) => user.username).join(', ');
      console.log(
        [
          '',
          `互通 · 清河市数据共享交换平台 — demo running`,
          `  控制台 Console:  ${url}/`,
          `  API 文档 Docs:   ${url}/docs   OpenAPI: ${url}/openapi.json`,
          `  数据目录 Data:   ${dataDir}`,
          `  前置机 Nodes:    ${nodes.map((node) => `${node.memberCode} ${node.url.replace(/^http:\/\/[^:]+/, '')}`).join(', ')}`,
          `  演示账号 Logins: ${users}`,
          `  密码 Password:   ${credentials.password || '(as at first start)'}`,
          '',
        ].join('\n'),
      );
    });

  withCommon(program.command('members').description('成员单位列表 / list members')).action(
    async (options: CommonOptions) => {
      const { items } = await clientFor(options).request<{ items: { code: string; name: string; role: string }[] }>(
        'GET',
        '/members',
      );
      print(options, items, () => {
        const table = new Table({ head: ['代码 code', '名称 name', '角色 role'] });
        for (const member of items) table.push([member.code, member.name, member.role]);
        return table.toString();
      });
    },
  );

  withCommon(program.command('catalog').description('检索资源目录 / search the catalog'))
    .option('-q, --q <keyword>', 'keyword')
    .option('--provider <code>', 'provider member code')
    .option('--type <sharingType>', 'unconditional | conditional | not_shared')
    .option('--mode <mode>', 'verify | record | aggregate | compute')
    .action(async (options: CommonOptions & { q?: string; provider?: string; type?: string; mode?: string }) => {
      const query = new URLSearchParams({ pageSize: '200' });
      if (options.q) query.set('q', options.q);
      if (options.provider) query.set('provider', options.provider);
      if (options.type) query.set('sharingType', options.type);
      if (options.mode) query.set('mode', options.mode);
      const result = await clientFor(options).request<{
        items: { code: string; name: string; providerName: string; sharingType: string; accessModes: string[] }[];
      }>('GET', `/catalog/resources?${query}`);
      print(options, result, () => {
        const table = new Table({ head: ['代码', '名称', '提供方', '共享类型', '访问方式'] });
        for (const resource of result.items) {
          table.push([
            resource.code,
            resource.name,
            resource.providerName,
            resource.sharingType,
            resource.accessModes.join(','),
          ]);
        }
        return table.toString();
      });
    });

  const agreements = program.command('agreements').description('共享申请与协议 / sharing agreements');
  withCommon(agreements.command('list').description('列表 / list'))
    .option('--as <member>', 'act as this member')
    .option('--status <status>', 'status filter')
    .option('--side <side>', 'consumer | provider | all', 'all')
    .action(async (options: CommonOptions & { status?: string; side: string }) => {
      const query = new URLSearchParams({ pageSize: '200', side: options.side });
      if (options.status) query.set('status', options.status);
      const result = await clientFor(options).request<{ items: AgreementRow[]; total: number }>(
        'GET',
        `/agreements?${query}`,
      );
      print(options, result, () => {
        const table = new Table({ head: ['编号', '资源', '使用方', '提供方', '状态', '申请时间', '时限'] });
        for (const row of result.items) {
          table.push([
            row.id,
            row.resourceCode,
            row.consumerCode,
            row.providerCode,
            statusLabels[row.status] ?? row.status,
            row.appliedAt.slice(0, 10),
            row.sla.overdue ? `超期 ${row.sla.workingDaysOverdue} 个工作日` : '',
          ]);
        }
        return table.toString();
      });
    });

  withCommon(agreements.command('apply').description('提交申请 / apply'))
    .requiredOption('--as <member>', 'consumer member code')
    .requiredOption('--resource <code>', 'resource code')
    .requiredOption('--purpose <text>', 'purpose')
    .requiredOption('--items <list>', 'comma-separated data items')
    .requiredOption('--modes <list>', 'comma-separated access modes')
    .option('--legal-basis <text>', 'legal basis', '《政务信息资源共享管理暂行办法》（国发〔2016〕51号）')
    .option('--valid-from <date>', 'YYYY-MM-DD', new Date().toISOString().slice(0, 10))
    .option('--valid-to <date>', 'YYYY-MM-DD', new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10))
    .option('--rate <perMinute>', 'rate limit per minute', '600')
    .action(async (options: CommonOptions & Record<string, string>) => {
      const result = await clientFor(options).request('POST', '/agreements', {
        resourceCode: options.resource,
        purpose: options.purpose,
        legalBasis: options.legalBasis,
        items: options.items!.split(',').map((item) => item.trim()),
        modes: options.modes!.split(',').map((mode) => mode.trim()),
        validFrom: options.validFrom,
        validTo: options.validTo,
        rateLimitPerMinute: Number(options.rate),
      });
      print(options, result);
    });

  for (const action of [
    'approve',
    'reject',
    'suspend',
    'resume',
    'revoke',
    'withdraw',
    'superior-approve',
    'superior-reject',
  ]) {
    withCommon(agreements.command(`${action} <id>`).description(`${action} an agreement`))
      .requiredOption('--as <member>', 'member acting')
      .option('--reason <text>', 'reason (reject, suspend, revoke)')
      .option('--comment <text>', 'comment')
      .action(async (id: string, options: CommonOptions & { reason?: string; comment?: string }) => {
        const body: Record<string, string> = {};
        if (options.reason !== undefined) body.reason = options.reason;
        if (options.comment !== undefined) body.comment = options.comment;
        const result = await clientFor(options).request(
          'POST',
          `/agreements/${encodeURIComponent(id)}/${action}`,
          body,
        );
        print(options, result);
      });
  }

  withCommon(program.command('overview').description('全市共享时效看板 / city SLA board')).action(
    async (options: CommonOptions) => {
      const board = await clientFor(options).request<{
        departments: {
          code: string;
          name: string;
          resourcesPublished: number;
          applicationsReceived: number;
          applicationsAnswered: number;
          applicationsOverdue: number;
          maxWorkingDaysOverdue: number;
          medianAnswerHours: number | null;
          agreementsActive: number;
        }[];
      }>('GET', '/overview');
      print(options, board, () => {
        const table = new Table({
          head: ['单位', '资源', '收到申请', '已答复', '超期', '最长超期(工作日)', '答复中位(小时)', '生效协议'],
        });
        for (const row of board.departments) {
          table.push([
            row.name,
            row.resourcesPublished,
            row.applicationsReceived,
            row.applicationsAnswered,
            row.applicationsOverdue,
            row.maxWorkingDaysOverdue,
            row.medianAnswerHours ?? '—',
            row.agreementsActive,
          ]);
        }
        return table.toString();
      });
    },
  );

  program
    .command('node')
    .description('启动一个部门前置机 / run one department node (前置机) against a hub')
    .requiredOption('--member <code>', 'member code of the department')
    .option('--hub <url>', 'hub URL', defaultUrl)
    .option('--data <dir>', 'data folder (node store under nodes/<member>.sqlite)', defaultDataDir)
    .option(
      '--hub-token <token>',
      "the member's API token at the hub (default: from the demo credentials, or HUTONG_HUB_TOKEN)",
    )
    .option('--host <host>', 'host', '127.0.0.1')
    .option('--port <port>', 'port (0 = any free port)', '0')
    .option('--staleness <seconds>', 'fail closed after this long without confirming agreements', '600')
    .option('--log-level <level>', 'log level', 'info')
    .action(
      async (options: {
        member: string;
        hub: string;
        data: string;
        hubToken?: string;
        host: string;
        port: string;
        staleness: string;
        logLevel: string;
      }) => {
        const dataDir = resolve(options.data);
        const hubToken =
          options.hubToken ?? process.env.HUTONG_HUB_TOKEN ?? readDemoCredentials(dataDir)?.tokens[options.member];
        if (!hubToken)
          throw new HubApiError(
            0,
            'NO_CREDENTIALS',
            `没有 ${options.member} 的平台令牌：请用 --hub-token 或 HUTONG_HUB_TOKEN 提供`,
          );
        const node = await startNode({
          memberCode: options.member,
          dataDir,
          hubUrl: options.hub,
          hubToken,
          citySecret: loadOrCreateCitySecret(dataDir),
          host: options.host,
          port: Number(options.port),
          publications: demoPublications(options.member),
          stalenessLimitMs: Number(options.staleness) * 1000,
          logger: createLogger({ level: options.logLevel }),
        });
        console.log(`NODE ${node.memberCode} ${node.url}`);
        const stop = async () => {
          await node.close();
          process.exit(0);
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      },
    );

  withCommon(program.command('query').description('通过本单位前置机查询 / query through your own node'))
    .requiredOption('--as <member>', 'consumer member code (its node is used)')
    .requiredOption('--agreement <id>', 'agreement id')
    .requiredOption('--mode <mode>', 'verify | record | aggregate | compute')
    .option('--subject <key>', 'verify: the ID number or credit code')
    .option(
      '--predicate <json>',
      'verify: predicate, e.g. {"op":"gte","item":{"ageAt":"2026-11-27","of":"birth_date"},"value":60}',
    )
    .option('--subjects <list>', 'record/compute: comma-separated subject keys')
    .option('--items <list>', 'record: comma-separated items')
    .option('--group-by <list>', 'aggregate: comma-separated dimensions')
    .option('--measures <json>', 'aggregate: e.g. [{"fn":"count"}]', '[{"fn":"count"}]')
    .option('--filter <json>', 'aggregate: predicate over dimensions')
    .option('--computation <id>', 'compute: published computation id')
    .option('--params <json>', 'compute: parameters, e.g. {"year":2025}')
    .option('--officer <id>', 'acting officer', 'cli')
    .option('--case <id>', 'case (事项) id', '')
    .action(async (options: CommonOptions & QueryOptions) => {
      process.exitCode = await runQuery(options, { out: console.log, err: console.error });
    });

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
    if (error instanceof HubApiError) {
      console.error(`错误 ${error.code}: ${error.message}`);
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
