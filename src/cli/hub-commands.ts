/** The hub's catalog, members, agreements and SLA board from the command line (a running demo). */
import { renderTable } from './table';
import type { Command } from 'commander';
import { type CommonOptions, clientFor, print, withCommon } from './common';
import { agreementStatusNamesZh } from '../core/agreements/agreement';

const statusLabels: Readonly<Record<string, string>> = agreementStatusNamesZh;

interface AgreementRow {
  id: string;
  resourceCode: string;
  consumerCode: string;
  providerCode: string;
  status: string;
  appliedAt: string;
  sla: { overdue: boolean; workingDaysOverdue: number };
}

/** What the hub answers to an application or a decision: the agreement as it now stands. */
interface AgreementAnswer {
  id: string;
  resourceCode: string;
  status: string;
  dueAt?: string;
}

const actionNames: Readonly<Record<string, string>> = {
  approve: '审批通过',
  reject: '驳回',
  suspend: '暂停',
  resume: '恢复',
  revoke: '撤销',
  withdraw: '撤回',
  'superior-approve': '上级审批通过',
  'superior-reject': '上级驳回',
};

function agreementLine(agreement: AgreementAnswer): string {
  const status = statusLabels[agreement.status] ?? agreement.status;
  // The deadline as the city reads its calendar (Beijing time), not the UTC instant it is stored as.
  const due =
    agreement.status.startsWith('pending') && agreement.dueAt
      ? `，答复时限 ${new Date(agreement.dueAt).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })}`
      : '';
  return `${agreement.resourceCode}，当前状态：${status}${due}`;
}

export function registerHubCommands(program: Command): void {
  withCommon(program.command('members').description('成员单位列表 / list members')).action(
    async (options: CommonOptions) => {
      const { items } = await clientFor(options).request<{ items: { code: string; name: string; role: string }[] }>(
        'GET',
        '/members',
      );
      print(options, items, () =>
        renderTable(
          ['代码 code', '名称 name', '角色 role'],
          items.map((member) => [member.code, member.name, member.role]),
        ),
      );
    },
  );

  withCommon(program.command('catalog').description('检索资源目录 / search the catalog'))
    .option('-q, --q <keyword>', '关键字 / keyword')
    .option('--provider <code>', '提供部门代码 / provider member code')
    .option('--type <sharingType>', '共享类型：无条件 | 有条件 | 不予共享 / unconditional | conditional | not_shared')
    .option('--mode <mode>', '共享方式 / verify | record | aggregate | compute')
    .action(async (options: CommonOptions & { q?: string; provider?: string; type?: string; mode?: string }) => {
      const query = new URLSearchParams({ pageSize: '200' });
      if (options.q) query.set('q', options.q);
      if (options.provider) query.set('provider', options.provider);
      if (options.type) query.set('sharingType', options.type);
      if (options.mode) query.set('mode', options.mode);
      const result = await clientFor(options).request<{
        items: { code: string; name: string; providerName: string; sharingType: string; accessModes: string[] }[];
      }>('GET', `/catalog/resources?${query}`);
      print(options, result, () =>
        renderTable(
          ['代码', '名称', '提供方', '共享类型', '访问方式'],
          result.items.map((r) => [r.code, r.name, r.providerName, r.sharingType, r.accessModes.join(',')]),
        ),
      );
    });

  const agreements = program.command('agreements').description('共享申请与协议 / sharing agreements');
  withCommon(agreements.command('list').description('列表 / list'))
    .option('--as <member>', '以该成员单位身份操作 / act as this member')
    .option('--status <status>', '按状态筛选 / status filter')
    .option('--side <side>', '申请方 | 提供方 | 全部 / consumer | provider | all', 'all')
    .action(async (options: CommonOptions & { status?: string; side: string }) => {
      const query = new URLSearchParams({ pageSize: '200', side: options.side });
      if (options.status) query.set('status', options.status);
      const result = await clientFor(options).request<{ items: AgreementRow[]; total: number }>(
        'GET',
        `/agreements?${query}`,
      );
      print(options, result, () =>
        renderTable(
          ['编号', '资源', '使用方', '提供方', '状态', '申请时间', '时限'],
          result.items.map((row) => [
            row.id,
            row.resourceCode,
            row.consumerCode,
            row.providerCode,
            statusLabels[row.status] ?? row.status,
            row.appliedAt.slice(0, 10),
            row.sla.overdue ? `超期 ${row.sla.workingDaysOverdue} 个工作日` : '',
          ]),
        ),
      );
    });

  withCommon(agreements.command('apply').description('提交共享申请 / apply for data'))
    .requiredOption('--as <member>', '申请单位代码 / consumer member code')
    .requiredOption('--resource <code>', '资源代码 / resource code')
    .requiredOption('--purpose <text>', '用途 / purpose')
    .requiredOption('--legal-basis <text>', '法定依据 / legal basis')
    .requiredOption('--items <list>', '数据项，逗号分隔 / comma-separated data items')
    .requiredOption('--modes <list>', '访问方式，逗号分隔 / comma-separated access modes')
    .option('--valid-from <date>', '生效日期 / YYYY-MM-DD', new Date().toISOString().slice(0, 10))
    .option(
      '--valid-to <date>',
      '截止日期 / YYYY-MM-DD',
      new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10),
    )
    // The console's default too: a department asks for more only when it says why.
    .option('--rate <perMinute>', '每分钟调用上限 / rate limit per minute', '60')
    .action(async (options: CommonOptions & Record<string, string>) => {
      const result = await clientFor(options).request<AgreementAnswer>('POST', '/agreements', {
        resourceCode: options.resource,
        purpose: options.purpose,
        legalBasis: options.legalBasis,
        items: options.items!.split(',').map((item) => item.trim()),
        modes: options.modes!.split(',').map((mode) => mode.trim()),
        validFrom: options.validFrom,
        validTo: options.validTo,
        rateLimitPerMinute: Number(options.rate),
      });
      print(options, result, () => `已提交申请 ${result.id}：${agreementLine(result)}`);
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
    withCommon(agreements.command(`${action} <id>`).description(`${actionNames[action]} / ${action} an agreement`))
      .requiredOption('--as <member>', '操作单位代码 / member acting')
      .option('--reason <text>', '理由（驳回、暂停、撤销时必填）/ reason (reject, suspend, revoke)')
      .option('--comment <text>', '意见 / comment')
      .action(async (id: string, options: CommonOptions & { reason?: string; comment?: string }) => {
        const body: Record<string, string> = {};
        if (options.reason !== undefined) body.reason = options.reason;
        if (options.comment !== undefined) body.comment = options.comment;
        const result = await clientFor(options).request<AgreementAnswer>(
          'POST',
          `/agreements/${encodeURIComponent(id)}/${action}`,
          body,
        );
        print(options, result, () => `${actionNames[action]} ${result.id}：${agreementLine(result)}`);
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
      print(options, board, () =>
        renderTable(
          ['单位', '资源', '收到申请', '已答复', '超期', '最长超期(工作日)', '答复中位(小时)', '生效协议'],
          board.departments.map((row) => [
            row.name,
            row.resourcesPublished,
            row.applicationsReceived,
            row.applicationsAnswered,
            row.applicationsOverdue,
            row.maxWorkingDaysOverdue,
            row.medianAnswerHours,
            row.agreementsActive,
          ]),
        ),
      );
    },
  );
}
