/**
 * The computations the demo city's departments publish for 亩均论英雄 (RULES.md §8, "Who supplies what"):
 * one per source department, each run at that department's node so that only its declared figures leave.
 * A real city's departments publish their own; the compute mode itself is src/core/access/compute.ts.
 */
import {
  annualDecimal,
  type ComputationDef,
  inYear,
  oneYearRow,
  optionalDecimal,
  sourceError,
  units,
  yearOf,
  yearParam,
} from '../../core/access/compute';
import { AccessError } from '../../core/access/errors';
import { type CellValue, divideRounded, formatUnits, isIsoDate, toBoolean } from '../../core/access/values';

export const taxPaidAnnual: ComputationDef = annualDecimal({
  id: 'shuiwu.tax_paid_annual',
  title: '企业年度实缴税收',
  description: '企业 Y 年度实缴税收（万元）；该企业 Y 年无记录时为缺失。',
  descriptionEn: 'Tax paid by the enterprise in year Y (10,000 yuan). Missing when the enterprise has no row for Y.',
  resource: 'shuiwu.tax_annual',
  item: 'tax_paid',
  outputTitle: '实缴税收（万元）',
});

export const enterpriseStatisticsAnnual: ComputationDef = {
  id: 'tongji.enterprise_annual',
  title: '企业年度统计指标',
  description:
    '企业 Y 年度的规模以上标识、工业增加值、主营业务收入、研发经费支出（万元）和综合能耗（吨标准煤）；某项为空即该指标缺失，Y 年无记录则该企业缺失。',
  descriptionEn:
    'Above-scale flag, value added, main revenue, R&D expense (10,000 yuan) and energy (tonnes of standard coal) in year Y. An empty ' +
    'cell is null (missing for that indicator); no row for Y makes the enterprise missing.',
  subjectKind: 'enterprise',
  params: [yearParam],
  resource: 'tongji.enterprise_annual',
  subjectItem: 'uscc',
  items: ['uscc', 'year', 'above_scale', 'value_added', 'main_revenue', 'rd_expense', 'energy_tce'],
  outputs: [
    { name: 'above_scale', title: '是否规模以上', type: 'boolean', nullable: false },
    { name: 'value_added', title: '工业增加值（万元）', type: 'decimal', scale: 2, nullable: true },
    { name: 'main_revenue', title: '主营业务收入（万元）', type: 'decimal', scale: 2, nullable: true },
    { name: 'rd_expense', title: '研发经费支出（万元）', type: 'decimal', scale: 2, nullable: true },
    { name: 'energy_tce', title: '综合能耗（吨标准煤）', type: 'decimal', scale: 2, nullable: true },
  ],
  noRowsMeans: 'missing',
  run(rows, params) {
    const row = oneYearRow(this.id, rows, yearOf(params));
    if (!row) return null;
    const aboveScale = toBoolean(row.above_scale ?? null);
    if (aboveScale === null) throw sourceError(this.id, 'above_scale', row.above_scale ?? null);
    return {
      above_scale: aboveScale,
      value_added: optionalDecimal(this.id, row, 'value_added'),
      main_revenue: optionalDecimal(this.id, row, 'main_revenue'),
      rd_expense: optionalDecimal(this.id, row, 'rd_expense'),
      energy_tce: optionalDecimal(this.id, row, 'energy_tce'),
    };
  },
};

export const insuredMeanAnnual: ComputationDef = {
  id: 'renshe.insured_mean_annual',
  title: '企业年度月均参保人数',
  description: 'Y 年度有记录各月参保人数的平均值（四舍五入到 0.01）及有记录的月数；Y 年各月均无记录时为缺失。',
  descriptionEn:
    'Mean of the monthly insured headcount over the months of year Y that have a row (rounded half up to ' +
    '0.01), and how many such months. Missing when no month of Y has a row.',
  subjectKind: 'enterprise',
  params: [yearParam],
  resource: 'renshe.insured_monthly',
  subjectItem: 'uscc',
  items: ['uscc', 'month', 'insured_count'],
  outputs: [
    { name: 'insured_mean', title: '月均参保人数', type: 'decimal', scale: 2, nullable: false },
    { name: 'months_with_rows', title: '有记录的月份数', type: 'integer', nullable: false },
  ],
  noRowsMeans: 'missing',
  run(rows, params) {
    const byMonth = new Map<string, bigint>();
    for (const row of rows) {
      if (!inYear(row, 'month', yearOf(params)) || row.insured_count === null || row.insured_count === '') continue;
      const month = row.month as string;
      if (byMonth.has(month)) throw new AccessError('BAD_SOURCE_DATA', `${this.id}: two rows for ${month}`);
      byMonth.set(month, units(this.id, row, 'insured_count', 0));
    }
    if (byMonth.size === 0) return null;
    let total = 0n;
    for (const count of byMonth.values()) total += count;
    return {
      insured_mean: formatUnits(divideRounded(total * 100n, BigInt(byMonth.size)), 2),
      months_with_rows: byMonth.size,
    };
  },
};

export const industrialLand: ComputationDef = {
  id: 'ziranziyuan.industrial_land',
  title: '企业工业用地面积',
  description: '企业 Y 年 12 月 31 日前取得、用途为工业的宗地面积合计（亩）、宗数及最早取得日期；无此类宗地时为缺失。',
  descriptionEn:
    'Sum of the area (mu) of the enterprise’s parcels with use type “industrial” acquired on or before Y-12-31, their ' +
    'number, and the earliest acquisition date among them. Missing when there is no such parcel.',
  subjectKind: 'enterprise',
  params: [yearParam],
  resource: 'ziranziyuan.land_parcel',
  subjectItem: 'uscc',
  items: ['uscc', 'parcel_id', 'area_mu', 'use_type', 'acquired_date'],
  outputs: [
    { name: 'land_mu', title: '工业用地面积（亩）', type: 'decimal', scale: 2, nullable: false },
    { name: 'parcel_count', title: '宗地数', type: 'integer', nullable: false },
    { name: 'earliest_acquired', title: '最早取得日期', type: 'date', nullable: false },
  ],
  noRowsMeans: 'missing',
  run(rows, params) {
    const lastDay = `${yearOf(params)}-12-31`;
    let area = 0n;
    let count = 0;
    let earliest: string | null = null;
    for (const row of rows) {
      const acquired = row.acquired_date;
      if (row.use_type !== '工业' || !isIsoDate(acquired) || acquired > lastDay) continue;
      area += units(this.id, row, 'area_mu', 2);
      count += 1;
      if (earliest === null || acquired < earliest) earliest = acquired;
    }
    if (count === 0) return null;
    return { land_mu: formatUnits(area, 2), parcel_count: count, earliest_acquired: earliest };
  },
};

export const electricityAnnual: ComputationDef = {
  id: 'gongdian.electricity_annual',
  title: '企业年度用电量',
  description: '企业 Y 年度用电量（千瓦时）；Y 年无记录时为缺失。',
  descriptionEn: 'Electricity used in year Y (kWh). Missing when there is no row for Y.',
  subjectKind: 'enterprise',
  params: [yearParam],
  resource: 'gongdian.electricity_annual',
  subjectItem: 'uscc',
  items: ['uscc', 'year', 'kwh'],
  outputs: [{ name: 'kwh', title: '用电量（千瓦时）', type: 'integer', nullable: false }],
  noRowsMeans: 'missing',
  run(rows, params) {
    const row = oneYearRow(this.id, rows, yearOf(params));
    if (!row || row.kwh === null || row.kwh === '') return null;
    const kwh = units(this.id, row, 'kwh', 0);
    if (kwh > BigInt(Number.MAX_SAFE_INTEGER)) throw sourceError(this.id, 'kwh', row.kwh ?? null);
    return { kwh: Number(kwh) };
  },
};

export const emissionAnnual: ComputationDef = annualDecimal({
  id: 'shengtai.emission_annual',
  title: '企业年度主要污染物排放量',
  description: '企业 Y 年度主要污染物排放量（吨）；Y 年无记录时为缺失。',
  descriptionEn: 'Major pollutant emissions in year Y (tonnes). Missing when there is no row for Y.',
  resource: 'shengtai.emission_annual',
  item: 'pollutant_t',
  outputTitle: '主要污染物排放量（吨）',
});

export const severePenaltiesAnnual: ComputationDef = {
  id: 'shengtai.severe_penalties',
  title: '企业年度严重环境违法处罚次数',
  description: 'Y 年内处罚等级为“严重”的环境行政处罚决定数；处罚登记完整，无处罚的企业计 0。',
  descriptionEn:
    'Number of environmental penalty decisions of severity “serious” dated in year Y. The penalty register is ' +
    'complete, so an enterprise without decisions counts 0.',
  subjectKind: 'enterprise',
  params: [yearParam],
  resource: 'shengtai.penalty',
  subjectItem: 'uscc',
  items: ['uscc', 'decision_date', 'severity'],
  outputs: [{ name: 'severe_penalty_count', title: '严重处罚次数', type: 'integer', nullable: false }],
  noRowsMeans: 'zero',
  run(rows, params) {
    const n = rows.filter((row) => row.severity === '严重' && inYear(row, 'decision_date', yearOf(params))).length;
    return { severe_penalty_count: n };
  },
};

/** 较大 or worse, in the order of 生产安全事故报告和调查处理条例 article 3. */
const majorAccidentLevels: ReadonlySet<CellValue> = new Set(['较大', '重大', '特别重大']);

export const majorAccidentsAnnual: ComputationDef = {
  id: 'yingji.major_accidents',
  title: '企业年度较大及以上生产安全事故次数',
  description: 'Y 年内等级为较大、重大或特别重大的生产安全事故数；事故登记完整，无事故的企业计 0。',
  descriptionEn:
    'Number of safety accidents of level “major”, “serious” or “especially serious” dated in year Y. The accident register is ' +
    'complete, so an enterprise without accidents counts 0.',
  subjectKind: 'enterprise',
  params: [yearParam],
  resource: 'yingji.safety_accident',
  subjectItem: 'uscc',
  items: ['uscc', 'accident_date', 'level'],
  outputs: [{ name: 'major_accident_count', title: '较大及以上事故次数', type: 'integer', nullable: false }],
  noRowsMeans: 'zero',
  run(rows, params) {
    const n = rows.filter(
      (row) => majorAccidentLevels.has(row.level ?? null) && inYear(row, 'accident_date', yearOf(params)),
    ).length;
    return { major_accident_count: n };
  },
};

export const registryFacts: ComputationDef = {
  id: 'shichang.registry_facts',
  title: '企业登记信息',
  description: '市场主体登记中的企业名称、行业代码、行政区划代码、成立日期和登记状态。',
  descriptionEn: 'Name, industry code, district code, registration date and status from the market registry.',
  subjectKind: 'enterprise',
  params: [],
  resource: 'shichang.enterprise',
  subjectItem: 'uscc',
  items: ['uscc', 'name', 'industry_code', 'district_code', 'registered_date', 'status'],
  outputs: [
    { name: 'name', title: '企业名称', type: 'string', nullable: false },
    { name: 'industry_code', title: '国民经济行业代码', type: 'string', nullable: false },
    { name: 'district_code', title: '行政区划代码', type: 'string', nullable: false },
    { name: 'registered_date', title: '成立日期', type: 'date', nullable: false },
    { name: 'status', title: '登记状态', type: 'string', nullable: false },
  ],
  noRowsMeans: 'missing',
  // The consumer applies its own scope (status, industry) to the whole register.
  roster: true,
  run(rows) {
    if (rows.length > 1) throw new AccessError('BAD_SOURCE_DATA', `${this.id}: ${rows.length} registry rows`);
    const row = rows[0];
    if (!row) return null;
    const text = (item: string) => {
      const v = row[item] ?? null;
      if (v === null || v === '') throw sourceError(this.id, item, v);
      return String(v);
    };
    return {
      name: text('name'),
      industry_code: text('industry_code'),
      district_code: text('district_code'),
      registered_date: text('registered_date'),
      status: text('status'),
    };
  },
};

/** The computations the 亩均论英雄 evaluation needs, one per source department. */
export const muJunComputations: readonly ComputationDef[] = [
  taxPaidAnnual,
  enterpriseStatisticsAnnual,
  insuredMeanAnnual,
  industrialLand,
  electricityAnnual,
  emissionAnnual,
  severePenaltiesAnnual,
  majorAccidentsAnnual,
  registryFacts,
];
