/**
 * The demo catalog: the fourteen resources of the synthetic city (columns from src/datasets/schema.ts,
 * so catalog and data never disagree) with their sharing metadata, plus resources that are not shared.
 */
import type {
  AccessMode,
  DataItem,
  ResourceDraft,
  Sensitivity,
  SharingType,
  UpdateCycle,
} from '../core/catalog/resource';
import { RESOURCES, type ResourceCode } from '../datasets/schema';

interface SharingMeta {
  category: string;
  summary: string;
  sharingType: SharingType;
  sharingConditions?: string;
  accessModes: AccessMode[];
  updateCycle: UpdateCycle;
  requiresSuperiorApproval?: boolean;
  related?: string[];
}

const enterpriseConditions = '仅限本级政府部门履行法定职责使用；仅以计算或统计方式提供，不提供企业明细';

const meta: Record<ResourceCode, SharingMeta> = {
  'gongan.household': {
    category: '基础信息资源/人口基础信息',
    summary:
      '本市户籍人口的身份、出生日期、户籍地址及户籍状态（含注销及原因）。人口基础信息，无条件共享；明细按脱敏规则提供。',
    sharingType: 'unconditional',
    accessModes: ['verify', 'record', 'aggregate', 'compute'],
    updateCycle: '实时',
  },
  'gongan.residence_permit': {
    category: '主题信息资源/流动人口',
    summary: '在本市居住的非本市户籍人员居住证签发与有效期信息。',
    sharingType: 'conditional',
    sharingConditions: '用于办理公共服务事项时核验居住情况；仅核验或按需提供必要字段',
    accessModes: ['verify', 'record'],
    updateCycle: '每日',
    related: ['gongan.household'],
  },
  'minzheng.elderly_card': {
    category: '部门信息资源/社会福利',
    summary: '老年人优待证发放、注销记录。',
    sharingType: 'conditional',
    sharingConditions: '用于老年人优待、津贴等事项办理时核验持证情况',
    accessModes: ['verify', 'record'],
    updateCycle: '每日',
  },
  'renshe.pension': {
    category: '部门信息资源/社会保险',
    summary: '城镇职工及城乡居民基本养老保险待遇领取信息。',
    sharingType: 'conditional',
    sharingConditions: '须说明办理事项及法定依据；以核验方式为主，严格授权与审计',
    accessModes: ['verify', 'record', 'compute'],
    updateCycle: '每月',
  },
  'renshe.insured_monthly': {
    category: '部门信息资源/社会保险',
    summary: '企业逐月参加社会保险的职工人数。',
    sharingType: 'conditional',
    sharingConditions: enterpriseConditions,
    accessModes: ['compute', 'aggregate'],
    updateCycle: '每月',
  },
  'shuiwu.tax_annual': {
    category: '部门信息资源/税收',
    summary: '企业年度实缴税收总额（万元）。涉及纳税人商业秘密，经分管领导审批后以计算方式提供。',
    sharingType: 'conditional',
    sharingConditions:
      '依据《中华人民共和国税收征收管理法》第八条为纳税人保密；仅提供计算结果或统计数据，须经本局分管领导审批',
    accessModes: ['compute', 'aggregate'],
    updateCycle: '每年',
    requiresSuperiorApproval: true,
  },
  'ziranziyuan.land_parcel': {
    category: '基础信息资源/自然资源和空间地理',
    summary: '工业用地等宗地的权利人、面积、用途与取得日期。',
    sharingType: 'unconditional',
    accessModes: ['compute', 'record', 'aggregate'],
    updateCycle: '每月',
  },
  'tongji.enterprise_annual': {
    category: '部门信息资源/统计',
    summary: '企业年度统计信息：规模以上标识、增加值、主营业务收入、研发经费、综合能耗。',
    sharingType: 'conditional',
    sharingConditions:
      '依据《中华人民共和国统计法》第三十九条，单个调查对象资料不得对外提供明细；仅以计算或统计方式提供',
    accessModes: ['compute', 'aggregate'],
    updateCycle: '每年',
  },
  'gongdian.electricity_annual': {
    category: '部门信息资源/能源',
    summary: '企业年度用电量（千瓦时）。',
    sharingType: 'conditional',
    sharingConditions: enterpriseConditions,
    accessModes: ['compute', 'aggregate'],
    updateCycle: '每年',
  },
  'shengtai.emission_annual': {
    category: '部门信息资源/生态环境',
    summary: '企业年度主要污染物排放量（吨）。',
    sharingType: 'conditional',
    sharingConditions: enterpriseConditions,
    accessModes: ['compute', 'aggregate'],
    updateCycle: '每年',
  },
  'shengtai.penalty': {
    category: '部门信息资源/行政执法',
    summary: '环境行政处罚决定（已公开信息）。',
    sharingType: 'unconditional',
    accessModes: ['record', 'compute'],
    updateCycle: '每日',
  },
  'yingji.safety_accident': {
    category: '部门信息资源/安全生产',
    summary: '生产安全事故记录及等级。',
    sharingType: 'unconditional',
    accessModes: ['record', 'compute'],
    updateCycle: '每日',
  },
  'shichang.enterprise': {
    category: '基础信息资源/法人单位基础信息',
    summary:
      '企业登记信息：名称、行业、区划、成立日期、登记状态、法定代表人。法人基础信息，无条件共享（法定代表人身份号码脱敏）。',
    sharingType: 'unconditional',
    accessModes: ['verify', 'record', 'compute', 'aggregate'],
    updateCycle: '实时',
  },
  'shichang.patent_annual': {
    category: '部门信息资源/知识产权',
    summary: '企业年度发明专利、实用新型专利授权数。',
    sharingType: 'unconditional',
    accessModes: ['record', 'compute', 'aggregate'],
    updateCycle: '每年',
  },
};

// Personal identifiers and money are the most sensitive; codes and enums of public facts the least.
const sensitivityByColumn: Record<string, Sensitivity> = {
  id_number: 4,
  name: 3,
  birth_date: 3,
  address: 3,
  tax_paid: 3,
  value_added: 3,
  main_revenue: 3,
  rd_expense: 3,
  kwh: 2,
  energy_tce: 2,
  insured_count: 2,
  pollutant_t: 2,
  uscc: 1,
  district_code: 1,
  industry_code: 1,
  year: 1,
  month: 1,
};

function items(code: ResourceCode): DataItem[] {
  const definition = RESOURCES.find((resource) => resource.code === code)!;
  return definition.columns.map((column) => ({
    name: column.name,
    title: column.title,
    type: column.type,
    description: column.nullable ? `${column.title}（可为空）` : column.title,
    sensitivity: sensitivityByColumn[column.name] ?? (column.subjectKey === 'enterprise' ? 1 : 2),
    subjectKey: column.subjectKey,
    ...(column.values ? { values: [...column.values] } : {}),
  }));
}

const publishedAt = '2026-01-15';

export const demoCatalog: { provider: string; draft: ResourceDraft }[] = [
  ...RESOURCES.map((definition) => {
    const m = meta[definition.code];
    return {
      provider: definition.provider,
      draft: {
        code: definition.code,
        name: definition.name,
        category: m.category,
        summary: m.summary,
        format: '数据库' as const,
        items: items(definition.code),
        sharingType: m.sharingType,
        sharingConditions: m.sharingConditions ?? null,
        legalBasis: null,
        accessModes: m.accessModes,
        requiresSuperiorApproval: m.requiresSuperiorApproval ?? false,
        updateCycle: m.updateCycle,
        publishedAt,
        relatedResources: m.related ?? [],
      },
    };
  }),
  {
    provider: 'gongan',
    draft: {
      code: 'gongan.criminal_record',
      name: '违法犯罪记录信息',
      category: '部门信息资源/治安',
      summary: '违法犯罪人员记录。依法不予共享，如需查询须按无犯罪记录证明程序办理。',
      format: '数据库',
      items: [
        {
          name: 'id_number',
          title: '公民身份号码',
          type: 'string',
          description: '公民身份号码',
          sensitivity: 4,
          subjectKey: 'citizen',
        },
        {
          name: 'record_type',
          title: '记录类别',
          type: 'string',
          description: '记录类别',
          sensitivity: 4,
          subjectKey: null,
        },
      ],
      sharingType: 'not_shared',
      sharingConditions: null,
      legalBasis: '《中华人民共和国个人信息保护法》第二十八条（敏感个人信息）；《公安机关办理犯罪记录查询工作规定》',
      accessModes: [],
      requiresSuperiorApproval: false,
      updateCycle: '实时',
      publishedAt,
      relatedResources: [],
    },
  },
  {
    provider: 'shuiwu',
    draft: {
      code: 'shuiwu.declaration_detail',
      name: '纳税申报明细',
      category: '部门信息资源/税收',
      summary: '企业逐笔纳税申报明细。涉及纳税人商业秘密，不予共享；可申请“企业年度纳税信息”的计算或统计结果。',
      format: '数据库',
      items: [
        {
          name: 'uscc',
          title: '统一社会信用代码',
          type: 'string',
          description: '纳税人识别号',
          sensitivity: 1,
          subjectKey: 'enterprise',
        },
        { name: 'tax_item', title: '税种', type: 'string', description: '税种', sensitivity: 3, subjectKey: null },
        {
          name: 'amount',
          title: '申报金额（元）',
          type: 'decimal',
          description: '申报金额',
          sensitivity: 4,
          subjectKey: null,
        },
      ],
      sharingType: 'not_shared',
      sharingConditions: null,
      legalBasis: '《中华人民共和国税收征收管理法》第八条：税务机关应当依法为纳税人、扣缴义务人的情况保密',
      accessModes: [],
      requiresSuperiorApproval: false,
      updateCycle: '每日',
      publishedAt,
      relatedResources: ['shuiwu.tax_annual'],
    },
  },
];
