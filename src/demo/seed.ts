/**
 * Seeds the demo city into an empty hub: members, console users, system tokens, the catalog, and
 * applications in every state (including one overdue), dated relative to `now` so the board is alive.
 */
import { itemsReferenced, type Predicate } from '../core/access/predicate';
import type { Principal, UserRole } from '../core/auth/principal';
import type { AccessMode } from '../core/catalog/resource';
import type { MemberRole } from '../core/members/member';
import { chinaDate } from '../core/calendar/working-days';
import { addDays } from '../core/calendar/dates';
import type { HubService } from '../hub/service/hub-service';
import { demoCatalog } from './catalog';
import { IDENTITY_PURPOSE, INVESTIGATION_PURPOSE } from './identity';
import { demoMembers, demoPassword } from './members';

export interface DemoCredentials {
  password: string;
  users: { username: string; memberCode: string; roles: UserRole[] }[];
  /** One API token per member, for its systems and for the CLI. */
  tokens: Record<string, string>;
}

const rolesFor: Record<MemberRole, UserRole[]> = {
  provider: ['admin', 'data_officer', 'reviewer'],
  consumer: ['admin', 'data_officer'],
  operator: ['admin'],
  auditor: ['auditor'],
};

/**
 * `serviceAt(t)` is the hub service seen by a clock reading `t`: it lets the seed date history in the past.
 * `serviceQuestions` are the yes/no questions the 一网通办 items ask, by resource (with their `$` variables):
 * 政务服务办's verify agreements name them, since a provider's node answers no other question.
 */
export async function seedDemo(
  serviceAt: (instant: Date) => HubService,
  now: Date,
  serviceQuestions: readonly { resource: string; predicate: Predicate }[] = [],
): Promise<DemoCredentials> {
  const hub = serviceAt(now);
  const credentials: DemoCredentials = { password: demoPassword, users: [], tokens: {} };
  for (const member of demoMembers) {
    await hub.members.registerMember('bootstrap', {
      code: member.code,
      name: member.name,
      nameEn: member.nameEn,
      role: member.role,
      contact: {
        person: member.person,
        phone: '0571-8800' + String(1000 + demoMembers.indexOf(member)),
        email: `${member.code}@qinghe.gov.cn`,
      },
    });
    const roles = rolesFor[member.role];
    await hub.accounts.createUser('bootstrap', {
      username: member.code,
      password: demoPassword,
      memberCode: member.code,
      // The member is shown beside the person in the console's header.
      displayName: member.person,
      roles,
    });
    credentials.users.push({ username: member.code, memberCode: member.code, roles });
    credentials.tokens[member.code] = await hub.accounts.issueApiToken('bootstrap', {
      memberCode: member.code,
      roles,
      label: '演示系统令牌 / demo system token',
    });
  }
  await hub.accounts.createUser('bootstrap', {
    username: 'shuiwu.leader',
    password: demoPassword,
    memberCode: 'shuiwu',
    displayName: '分管领导（清河市税务局）',
    roles: ['leader'],
  });
  credentials.users.push({ username: 'shuiwu.leader', memberCode: 'shuiwu', roles: ['leader'] });

  for (const { provider, draft } of demoCatalog) {
    await hub.catalog.publish('bootstrap', provider, draft);
  }

  const actor = (code: string, username: string | null = code, roles?: UserRole[]): Principal => {
    const member = demoMembers.find((candidate) => candidate.code === code)!;
    return { memberCode: code, memberRole: member.role, roles: roles ?? rolesFor[member.role], username };
  };
  const today = chinaDate(now);
  const at = (daysAgo: number, hour = 10) =>
    new Date(Date.parse(`${addDays(today, -daysAgo)}T${String(hour - 8).padStart(2, '0')}:00:00Z`));
  const apply = (
    daysAgo: number,
    consumer: string,
    resourceCode: string,
    purpose: string,
    items: string[],
    modes: AccessMode[],
    validDays = 365,
    predicates?: Predicate[],
  ) =>
    serviceAt(at(daysAgo)).agreements.apply(actor(consumer), resourceCode, {
      purpose,
      legalBasis: purposeBasis[consumer] ?? '《政务信息资源共享管理暂行办法》（国发〔2016〕51号）',
      items,
      modes,
      ...(predicates ? { predicates } : {}),
      validFrom: addDays(today, -daysAgo),
      validTo: addDays(today, validDays - daysAgo),
      rateLimitPerMinute: 6000,
    });

  // The items' questions a 一网通办 agreement on `resourceCode` can carry: those over the items it asks for.
  const questionsOn = (resourceCode: string, items: string[]): Predicate[] => {
    const unique = new Map<string, Predicate>();
    for (const { resource, predicate } of serviceQuestions) {
      if (resource === resourceCode && itemsReferenced(predicate).every((item) => items.includes(item))) {
        unique.set(JSON.stringify(predicate), predicate);
      }
    }
    return [...unique.values()];
  };
  const applyForServices = (
    daysAgo: number,
    resourceCode: string,
    purpose: string,
    items: string[],
    modes: AccessMode[],
  ) =>
    apply(
      daysAgo,
      'zhengwu',
      resourceCode,
      purpose,
      items,
      modes,
      365,
      modes.includes('verify') ? questionsOn(resourceCode, items) : undefined,
    );

  // 政务服务办: 一网通办 checks (active).
  await applyForServices(
    30,
    'gongan.household',
    '一网通办：老年人优待证、高龄津贴办理时核验户籍与年龄',
    ['id_number', 'name', 'birth_date', 'district_code', 'status', 'deregistration_reason'],
    ['verify', 'record', 'compute'],
  );
  const card = await applyForServices(
    30,
    'minzheng.elderly_card',
    '一网通办：核验是否已持有老年人优待证',
    ['id_number', 'status'],
    ['verify'],
  );
  await serviceAt(at(29)).agreements.approve(actor('minzheng'), card.id, { comment: '同意，仅限核验' });
  const pension = await applyForServices(
    30,
    'renshe.pension',
    '一网通办：高龄津贴养老金补贴核验',
    ['id_number', 'pension_type', 'status'],
    ['verify', 'record', 'compute'],
  );
  await serviceAt(at(26)).agreements.approve(actor('renshe'), pension.id, {
    modes: ['verify', 'compute'],
    comment: '缩小为核验及计算方式，不提供明细',
  });
  const permit = await applyForServices(
    3,
    'gongan.residence_permit',
    '一网通办：非户籍老年人居住情况核验',
    ['id_number', 'name', 'issue_date', 'expiry_date'],
    ['verify'],
  );
  await serviceAt(at(1)).agreements.approve(actor('gongan'), permit.id, { comment: '同意，仅限核验' });
  // Left pending: within the time limit.
  await applyForServices(
    2,
    'minzheng.elderly_card',
    '一网通办：优待证补领时核对原证信息',
    ['id_number', 'card_no', 'issue_date', 'status'],
    ['record'],
  );
  // 政务服务办: the registers check residents' and enterprises' logins to 我的数据使用记录 (verify, name only).
  // Each allows exactly the login's question (the node answers nothing else under it).
  await apply(45, 'zhengwu', 'gongan.household', IDENTITY_PURPOSE, ['id_number', 'name'], ['verify'], 365, [
    { op: 'eq', item: 'name', value: '$name' },
  ]);
  await apply(
    45,
    'zhengwu',
    'shichang.enterprise',
    IDENTITY_PURPOSE,
    ['uscc', 'name', 'legal_rep_name', 'legal_rep_id_number'],
    ['verify'],
    365,
    [
      {
        op: 'and',
        args: [
          { op: 'eq', item: 'name', value: '$name' },
          { op: 'eq', item: 'legal_rep_name', value: '$legalRepName' },
          { op: 'eq', item: 'legal_rep_id_number', value: '$legalRepIdNumber' },
        ],
      },
    ],
  );
  // 公安 as a consumer: investigations, whose requests may be withheld from the person until disclosure.
  const investigation = await apply(
    50,
    'gongan',
    'renshe.pension',
    INVESTIGATION_PURPOSE,
    ['id_number', 'pension_type', 'status'],
    ['verify', 'record'],
    365,
    [{ op: 'eq', item: 'status', value: '领取中' }],
  );
  await serviceAt(at(49)).agreements.approve(actor('renshe'), investigation.id, { comment: '同意，依法配合侦查' });

  // 经信局: 亩均论英雄 compute access to eight departments.
  const evaluation = '亩均论英雄：工业企业亩均效益综合评价';
  const tax = await apply(40, 'jingxin', 'shuiwu.tax_annual', evaluation, ['uscc', 'year', 'tax_paid'], ['compute']);
  await serviceAt(at(36)).agreements.approve(actor('shuiwu'), tax.id, { comment: '同意，报分管领导审批' });
  await serviceAt(at(34)).agreements.superiorApprove(actor('shuiwu', 'shuiwu.leader', ['leader']), tax.id, '同意');
  for (const [resourceCode, resourceItems] of [
    [
      'tongji.enterprise_annual',
      ['uscc', 'year', 'above_scale', 'value_added', 'main_revenue', 'rd_expense', 'energy_tce'],
    ],
    ['renshe.insured_monthly', ['uscc', 'month', 'insured_count']],
    ['gongdian.electricity_annual', ['uscc', 'year', 'kwh']],
    ['shengtai.emission_annual', ['uscc', 'year', 'pollutant_t']],
  ] as const) {
    const application = await apply(40, 'jingxin', resourceCode, evaluation, [...resourceItems], ['compute']);
    await serviceAt(at(35)).agreements.approve(actor(resourceCode.split('.')[0]!), application.id, {
      comment: '同意，以计算方式提供',
    });
  }
  await apply(
    40,
    'jingxin',
    'ziranziyuan.land_parcel',
    evaluation,
    ['parcel_id', 'uscc', 'area_mu', 'use_type', 'acquired_date'],
    ['compute'],
  );
  await apply(40, 'jingxin', 'shengtai.penalty', evaluation, ['uscc', 'decision_date', 'severity'], ['compute']);
  await apply(40, 'jingxin', 'yingji.safety_accident', evaluation, ['uscc', 'accident_date', 'level'], ['compute']);
  await apply(
    40,
    'jingxin',
    'shichang.enterprise',
    evaluation,
    ['uscc', 'name', 'industry_code', 'district_code', 'registered_date', 'status'],
    ['compute'],
  );
  const emissionRecords = await apply(
    60,
    'jingxin',
    'shengtai.penalty',
    '企业环境信用评价（试点）',
    ['uscc', 'decision_date', 'severity', 'description'],
    ['record'],
  );
  await serviceAt(at(20)).agreements.revoke(actor('shengtai'), emissionRecords.id, '试点结束，申请方已改用计算方式');
  const withdrawn = await apply(
    12,
    'jingxin',
    'gongdian.electricity_annual',
    '重点用能企业监测',
    ['uscc', 'year', 'kwh'],
    ['aggregate'],
  );
  await serviceAt(at(11)).agreements.withdraw(actor('jingxin'), withdrawn.id);

  // 财政局: statistics only — tax aggregates granted, one application overdue, one rejected, one awaiting the
  // 税务 leader.
  const taxStatistics = await apply(
    30,
    'caizheng',
    'shuiwu.tax_annual',
    '财政收入预测：分年度税收统计',
    ['year', 'tax_paid'],
    ['aggregate'],
  );
  await serviceAt(at(27)).agreements.approve(actor('shuiwu'), taxStatistics.id, { comment: '同意，仅提供统计结果' });
  await serviceAt(at(26)).agreements.superiorApprove(
    actor('shuiwu', 'shuiwu.leader', ['leader']),
    taxStatistics.id,
    '同意',
  );
  await apply(
    20,
    'caizheng',
    'gongdian.electricity_annual',
    '财政收入预测：工业用电量统计',
    ['year', 'kwh'],
    ['aggregate'],
  );
  const detail = await apply(
    25,
    'caizheng',
    'tongji.enterprise_annual',
    '产业扶持资金绩效评价',
    ['uscc', 'year', 'value_added', 'main_revenue'],
    ['aggregate'],
  );
  await serviceAt(at(22)).agreements.reject(
    actor('tongji'),
    detail.id,
    '依据《统计法》第三十九条，单个调查对象资料不得对外提供；请改为申请分组统计结果并说明分组口径',
  );
  const taxCompute = await apply(
    6,
    'caizheng',
    'shuiwu.tax_annual',
    '企业奖补资金测算',
    ['uscc', 'year', 'tax_paid'],
    ['compute'],
  );
  await serviceAt(at(4)).agreements.approve(actor('shuiwu'), taxCompute.id, {
    rateLimitPerMinute: 600,
    comment: '同意，限频 600 次/分钟，报分管领导',
  });
  const land = await apply(
    50,
    'caizheng',
    'ziranziyuan.land_parcel',
    '土地出让收入统计',
    ['uscc', 'area_mu', 'use_type'],
    ['aggregate'],
  );
  await serviceAt(at(8)).agreements.suspend(actor('ziranziyuan'), land.id, '宗地数据年度核查期间暂停');
  // An old registry agreement that has run out: shows as 已过期.
  await apply(
    400,
    'zhengwu',
    'shichang.enterprise',
    '企业开办一件事：核验企业登记状态',
    ['uscc', 'name', 'status'],
    ['verify'],
    365,
    [
      {
        op: 'and',
        args: [
          { op: 'eq', item: 'name', value: '$name' },
          { op: 'eq', item: 'status', value: '存续' },
        ],
      },
    ],
  );
  // Ask again for a not-shared resource is impossible: the catalog shows why (no application is made).

  await hub.agreements.expireDue();
  return credentials;
}

const purposeBasis: Record<string, string> = {
  zhengwu: '《中华人民共和国老年人权益保障法》；《国务院关于加快推进全国一体化在线政务服务平台建设的指导意见》',
  jingxin: '《浙江省人民政府关于深化“亩均论英雄”改革的指导意见》（浙政发〔2018〕5号）',
  caizheng: '《中华人民共和国预算法》；《政务信息资源共享管理暂行办法》',
  gongan: '《中华人民共和国刑事诉讼法》第五十四条（收集、调取证据）',
};
