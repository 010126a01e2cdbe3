/**
 * The single source of truth for the 14 department resources the synthetic city ships and real data is
 * imported into: file columns, their types, keys for upsert, and which columns identify a citizen or an
 * enterprise. The generator, the node stores, import validation and the lead's demo catalog all read this.
 */

export type ColumnType = 'string' | 'integer' | 'decimal' | 'date' | 'month' | 'year' | 'enum' | 'boolean';
export type SubjectKey = 'citizen' | 'enterprise' | null;
export type ChecksumKind = 'id_number' | 'uscc' | null;

export interface ColumnDef {
  readonly name: string;
  readonly title: string;
  readonly type: ColumnType;
  /** Allowed values, only for `enum`. */
  readonly values?: readonly string[];
  readonly nullable: boolean;
  readonly subjectKey: SubjectKey;
  readonly checksum: ChecksumKind;
  /** Digits after the decimal point, only for `decimal` (files carry exactly this many). */
  readonly scale?: number;
  /**
   * A person's ID number, name or address: under the 国密 suite a node stores it sealed (SM4, encrypt-then-MAC),
   * never in clear (src/datasets/sealing.ts).
   */
  readonly personal?: true;
}

export interface ResourceDef {
  readonly code: ResourceCode;
  readonly name: string;
  /** Member (department) code: the part of the resource code before the dot. */
  readonly provider: string;
  /** Table name inside the provider's node store: the part after the dot. */
  readonly table: string;
  readonly keyColumns: readonly string[];
  readonly columns: readonly ColumnDef[];
}

export const RESOURCE_CODES = [
  'gongan.household',
  'gongan.residence_permit',
  'minzheng.elderly_card',
  'renshe.pension',
  'renshe.insured_monthly',
  'shuiwu.tax_annual',
  'ziranziyuan.land_parcel',
  'tongji.enterprise_annual',
  'gongdian.electricity_annual',
  'shengtai.emission_annual',
  'shengtai.penalty',
  'yingji.safety_accident',
  'shichang.enterprise',
  'shichang.patent_annual',
] as const;
export type ResourceCode = (typeof RESOURCE_CODES)[number];

type ColOpts = Partial<Pick<ColumnDef, 'nullable' | 'subjectKey' | 'checksum' | 'values' | 'scale' | 'personal'>>;

function col(name: string, title: string, type: ColumnType, opts: ColOpts = {}): ColumnDef {
  return {
    name,
    title,
    type,
    nullable: opts.nullable ?? false,
    subjectKey: opts.subjectKey ?? null,
    checksum: opts.checksum ?? null,
    ...(opts.values ? { values: opts.values } : {}),
    ...(type === 'decimal' ? { scale: opts.scale ?? 2 } : {}),
    ...(opts.personal ? { personal: true as const } : {}),
  };
}

const idNumber = col('id_number', '公民身份号码', 'string', {
  subjectKey: 'citizen',
  checksum: 'id_number',
  personal: true,
});
const uscc = col('uscc', '统一社会信用代码', 'string', { subjectKey: 'enterprise', checksum: 'uscc' });
const year = col('year', '年度', 'year');

function res(code: ResourceCode, name: string, keyColumns: string[], columns: ColumnDef[]): ResourceDef {
  const dot = code.indexOf('.');
  return { code, name, provider: code.slice(0, dot), table: code.slice(dot + 1), keyColumns, columns };
}

export const RESOURCES: readonly ResourceDef[] = [
  res(
    'gongan.household',
    '户籍人口信息',
    ['id_number'],
    [
      idNumber,
      col('name', '姓名', 'string', { personal: true }),
      col('gender', '性别', 'enum', { values: ['男', '女'] }),
      col('birth_date', '出生日期', 'date'),
      col('district_code', '行政区划代码', 'string'),
      col('address', '住址', 'string', { personal: true }),
      col('status', '户籍状态', 'enum', { values: ['正常', '注销'] }),
      col('deregistration_reason', '注销原因', 'enum', { values: ['死亡', '迁出', '其他'], nullable: true }),
      col('deregistration_date', '注销日期', 'date', { nullable: true }),
    ],
  ),
  res(
    'gongan.residence_permit',
    '居住证信息',
    ['id_number', 'issue_date'],
    [
      idNumber,
      col('name', '姓名', 'string', { personal: true }),
      col('district_code', '居住地行政区划代码', 'string'),
      col('issue_date', '签发日期', 'date'),
      col('expiry_date', '有效期至', 'date'),
    ],
  ),
  res(
    'minzheng.elderly_card',
    '老年人优待证发放信息',
    ['card_no'],
    [
      idNumber,
      col('card_no', '优待证编号', 'string'),
      col('issue_date', '发证日期', 'date'),
      col('status', '证件状态', 'enum', { values: ['有效', '注销'] }),
    ],
  ),
  res(
    'renshe.pension',
    '养老保险待遇领取信息',
    ['id_number', 'pension_type'],
    [
      idNumber,
      col('pension_type', '养老保险类型', 'enum', { values: ['城镇职工', '城乡居民'] }),
      col('status', '待遇状态', 'enum', { values: ['领取中', '暂停', '终止'] }),
      col('start_date', '待遇开始日期', 'date'),
    ],
  ),
  res(
    'renshe.insured_monthly',
    '企业参保人数',
    ['uscc', 'month'],
    [uscc, col('month', '月份', 'month'), col('insured_count', '参保人数', 'integer')],
  ),
  res(
    'shuiwu.tax_annual',
    '企业年度纳税信息',
    ['uscc', 'year'],
    [uscc, year, col('tax_paid', '实缴税收（万元）', 'decimal', { scale: 2 })],
  ),
  res(
    'ziranziyuan.land_parcel',
    '工业用地宗地信息',
    ['parcel_id'],
    [
      col('parcel_id', '宗地编号', 'string'),
      uscc,
      col('district_code', '行政区划代码', 'string'),
      col('area_mu', '面积（亩）', 'decimal', { scale: 2 }),
      col('use_type', '土地用途', 'enum', { values: ['工业', '仓储', '商服', '住宅'] }),
      col('acquired_date', '取得日期', 'date'),
    ],
  ),
  res(
    'tongji.enterprise_annual',
    '企业年度统计信息',
    ['uscc', 'year'],
    [
      uscc,
      year,
      col('above_scale', '是否规模以上', 'boolean'),
      col('value_added', '工业增加值（万元）', 'decimal', { nullable: true }),
      col('main_revenue', '主营业务收入（万元）', 'decimal', { nullable: true }),
      col('rd_expense', '研发经费支出（万元）', 'decimal', { nullable: true }),
      col('energy_tce', '综合能耗（吨标准煤）', 'decimal', { nullable: true }),
    ],
  ),
  res(
    'gongdian.electricity_annual',
    '企业年度用电量',
    ['uscc', 'year'],
    [uscc, year, col('kwh', '用电量（千瓦时）', 'integer')],
  ),
  res(
    'shengtai.emission_annual',
    '主要污染物排放量',
    ['uscc', 'year'],
    [uscc, year, col('pollutant_t', '主要污染物排放量（吨）', 'decimal', { scale: 2 })],
  ),
  res(
    'shengtai.penalty',
    '环境行政处罚',
    ['uscc', 'decision_date'],
    [
      uscc,
      col('decision_date', '处罚决定日期', 'date'),
      col('severity', '处罚等级', 'enum', { values: ['一般', '较重', '严重'] }),
      col('description', '违法事实', 'string'),
    ],
  ),
  res(
    'yingji.safety_accident',
    '生产安全事故',
    ['uscc', 'accident_date'],
    [
      uscc,
      col('accident_date', '事故日期', 'date'),
      col('level', '事故等级', 'enum', { values: ['一般', '较大', '重大', '特别重大'] }),
    ],
  ),
  res(
    'shichang.enterprise',
    '企业登记信息',
    ['uscc'],
    [
      uscc,
      col('name', '企业名称', 'string'),
      col('industry_code', '国民经济行业代码', 'string'),
      col('district_code', '行政区划代码', 'string'),
      col('registered_date', '成立日期', 'date'),
      col('status', '登记状态', 'enum', { values: ['存续', '注销', '吊销'] }),
      // After the existing columns, so files and readers of the first six keep working.
      col('legal_rep_name', '法定代表人姓名', 'string', { personal: true }),
      col('legal_rep_id_number', '法定代表人公民身份号码', 'string', { checksum: 'id_number', personal: true }),
    ],
  ),
  res(
    'shichang.patent_annual',
    '企业专利授权信息',
    ['uscc', 'year'],
    [
      uscc,
      year,
      col('invention_granted', '发明专利授权数', 'integer'),
      col('utility_granted', '实用新型专利授权数', 'integer'),
    ],
  ),
];

const byCode = new Map<string, ResourceDef>(RESOURCES.map((r) => [r.code, r]));

export function isResourceCode(code: string): code is ResourceCode {
  return byCode.has(code);
}

/** Looks up a resource by code; undefined for an unknown code. */
export function findResource(code: string): ResourceDef | undefined {
  return byCode.get(code);
}

export function getResource(code: ResourceCode): ResourceDef {
  const r = byCode.get(code);
  if (!r) throw new Error(`unknown resource ${code}`);
  return r;
}

/** Members that provide at least one resource, in first-appearance order. */
export const PROVIDER_CODES: readonly string[] = [...new Set(RESOURCES.map((r) => r.provider))];
