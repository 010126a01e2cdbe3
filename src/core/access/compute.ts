/**
 * The compute mode: named computations a provider publishes and runs at its own node, so that only the
 * declared derived figures leave (e.g. one enterprise's tax paid in a year, not its declarations). A
 * computation reads one resource, names the items it needs (the agreement must grant them all) and
 * declares its output fields; `executeComputation` returns exactly those fields per subject, whatever the
 * computation's code returns besides.
 *
 * Money and other decimals are summed as BigInt counts of hundredths (the catalog's decimal scale), so
 * 0.10 + 0.20 is 0.30 and a year of monthly figures does not drift; they leave as decimal strings.
 */
import type { SubjectKind } from '../catalog/resource';
import { AccessError } from './errors';
import { defaultMaxSubjects } from './subject-key';
import { type CellValue, type Row, divideRounded, formatUnits, isIsoDate, toBoolean, toUnits, toYear } from './values';

/** 'year' 1900–2100 (a number), 'date' YYYY-MM-DD, 'month' YYYY-MM, 'integer' 0–1,000,000. */
export type ParamType = 'year' | 'date' | 'month' | 'integer';
export interface ParamSpec {
  name: string;
  title: string;
  type: ParamType;
}
export type Params = Readonly<Record<string, number | string>>;

export type OutputType = 'decimal' | 'integer' | 'boolean' | 'date' | 'string';
export interface OutputField {
  name: string;
  title: string;
  type: OutputType;
  /** Fraction digits of a decimal output (always written with exactly this many). */
  scale?: number;
  /** Whether the field may be null (an empty source cell), as opposed to the subject being missing. */
  nullable: boolean;
}

export interface ComputationDef {
  id: string;
  title: string;
  description: string;
  subjectKind: SubjectKind;
  params: readonly ParamSpec[];
  /** The resource it reads, by catalog code; the agreement must be for this resource. */
  resource: string;
  /** The item holding the subject key in that resource. */
  subjectItem: string;
  /** Items it reads: the agreement must grant every one of them. */
  items: readonly string[];
  outputs: readonly OutputField[];
  /**
   * What a subject with no rows at all means. 'missing' (the default for measured values: no tax row is
   * not zero tax); 'zero' only for registers of events where absence is the fact (no penalty recorded).
   */
  noRowsMeans: 'missing' | 'zero';
  /**
   * A roster computation may be called without subjects: it then runs over the provider's whole register
   * and returns every subject for which `run` yields a result (e.g. the enterprises in scope of an
   * evaluation). Subjects it leaves out are outside the roster, not missing. Called with subjects, it
   * behaves like any other computation.
   */
  roster?: boolean;
  /** The computation over one subject's rows; null means missing (no relevant row). */
  run(rows: readonly Row[], params: Params): Record<string, CellValue> | null;
}

/** What a consumer sees of a computation: everything but its code. */
export type ComputationSummary = Omit<ComputationDef, 'run'>;

export interface ComputationRegistry {
  get(id: string): ComputationDef;
  has(id: string): boolean;
  list(): ComputationSummary[];
}

export function createComputationRegistry(defs: readonly ComputationDef[]): ComputationRegistry {
  const byId = new Map<string, ComputationDef>();
  for (const def of defs) {
    if (byId.has(def.id)) throw new Error(`computation ${def.id} registered twice`);
    byId.set(def.id, def);
  }
  return {
    get(id) {
      const def = byId.get(id);
      if (!def)
        throw new AccessError('UNKNOWN_COMPUTATION', `no computation ${id}`, [{ path: 'computation', message: id }]);
      return def;
    },
    has: (id) => byId.has(id),
    list: () => [...byId.values()].map(({ run: _run, ...summary }) => summary),
  };
}

/** The items an agreement must grant for the computation to run (pass as `items` to `decide`). */
export function computationItems(def: ComputationDef): string[] {
  return [...new Set([def.subjectItem, ...def.items])];
}

/** Checks the caller's parameters against the definition; throws BAD_PARAMETERS. */
export function checkParams(def: ComputationDef, input: unknown): Params {
  const raw = input ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new AccessError('BAD_PARAMETERS', 'parameters must be an object', [{ path: 'params', message: 'object' }]);
  }
  const record = raw as Record<string, unknown>;
  const issues = Object.keys(record)
    .filter((key) => !def.params.some((p) => p.name === key))
    .map((key) => ({ path: `params.${key}`, message: 'unknown parameter' }));
  const params: Record<string, number | string> = {};
  for (const spec of def.params) {
    const value = checkParam(spec.type, record[spec.name]);
    if (value === null) issues.push({ path: `params.${spec.name}`, message: paramExpectation[spec.type] });
    else params[spec.name] = value;
  }
  if (issues.length) throw new AccessError('BAD_PARAMETERS', `invalid parameters for ${def.id}`, issues);
  return params;
}

const paramExpectation: Record<ParamType, string> = {
  year: 'a year 1900–2100 is required',
  date: 'a date YYYY-MM-DD is required',
  month: 'a month YYYY-MM is required',
  integer: 'an integer 0–1,000,000 is required',
};

function checkParam(type: ParamType, value: unknown): number | string | null {
  switch (type) {
    case 'year': {
      const year = typeof value === 'number' || typeof value === 'string' ? toYear(value) : null;
      return year !== null && year >= 1900 && year <= 2100 ? year : null;
    }
    case 'date':
      return isIsoDate(value) ? (value as string) : null;
    case 'month':
      return typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value) ? value : null;
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= 1_000_000
        ? value
        : null;
  }
}

export interface ComputationAnswer {
  computation: string;
  params: Params;
  /** Subjects with a result, in request order, each with exactly the declared output fields. */
  results: { subject: string; values: Record<string, CellValue> }[];
  /** Subjects for which the source holds no relevant row: missing, never reported as zero. */
  missing: string[];
}

function outputFits(field: OutputField, value: CellValue): boolean {
  if (value === null) return field.nullable;
  switch (field.type) {
    case 'decimal':
      return typeof value === 'string' && new RegExp(`^-?\\d+\\.\\d{${field.scale ?? 2}}$`).test(value);
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return isIsoDate(value);
    case 'string':
      return typeof value === 'string';
  }
}

/**
 * Runs a computation for a batch of subjects. `rowsBySubject` holds, for every requested (normalised) key,
 * the rows the node's store returned for it, in request order; a key with no rows may map to [].
 * Rows naming another subject are ignored: a store mistake must not leak a neighbour's data.
 */
export function executeComputation(
  def: ComputationDef,
  rowsBySubject: ReadonlyMap<string, readonly Row[]>,
  params: unknown,
  options: { maxBatch?: number; wholeRoster?: boolean } = {},
): ComputationAnswer {
  const maxBatch = options.maxBatch ?? defaultMaxSubjects;
  const wholeRoster = options.wholeRoster === true;
  if (wholeRoster && !def.roster) {
    throw new AccessError('BAD_QUERY', `${def.id} is not a roster: name the subjects`, [
      { path: 'subjects', message: 'required' },
    ]);
  }
  if (!wholeRoster && rowsBySubject.size > maxBatch) {
    throw new AccessError('BATCH_TOO_LARGE', `at most ${maxBatch} subjects per call`, [
      { path: 'subjects', message: `${rowsBySubject.size} > ${maxBatch}` },
    ]);
  }
  const checked = checkParams(def, params);
  const answer: ComputationAnswer = { computation: def.id, params: checked, results: [], missing: [] };
  for (const [subject, allRows] of rowsBySubject) {
    const rows = allRows.filter((row) => String(row[def.subjectItem] ?? '') === subject);
    if (rows.length === 0 && def.noRowsMeans === 'missing') {
      answer.missing.push(subject);
      continue;
    }
    const produced = def.run(rows, checked);
    if (produced === null) {
      if (!wholeRoster) answer.missing.push(subject);
      continue;
    }
    const values: Record<string, CellValue> = {};
    for (const field of def.outputs) {
      const value = Object.hasOwn(produced, field.name) ? (produced[field.name] ?? null) : null;
      if (!outputFits(field, value)) {
        throw new AccessError('BAD_SOURCE_DATA', `${def.id}: output ${field.name} does not fit ${field.type}`, [
          { path: field.name, message: `expected ${field.type}` },
        ]);
      }
      values[field.name] = value;
    }
    answer.results.push({ subject, values });
  }
  return answer;
}

// --- helpers for the published computations ---------------------------------------------------------

function sourceError(def: string, item: string, value: CellValue): AccessError {
  return new AccessError('BAD_SOURCE_DATA', `${def}: ${item} = ${JSON.stringify(value)} is not readable`, [
    { path: item, message: 'unreadable source value' },
  ]);
}

/** Exact units of a required decimal cell; a present but unreadable value is a source fault, not a zero. */
function units(def: string, row: Row, item: string, scale: number): bigint {
  const value = row[item] ?? null;
  const u = toUnits(value, scale);
  if (u === null) throw sourceError(def, item, value);
  return u;
}

function optionalDecimal(def: string, row: Row, item: string, scale = 2): string | null {
  const value = row[item] ?? null;
  if (value === null || value === '') return null;
  return formatUnits(units(def, row, item, scale), scale);
}

function inYear(row: Row, item: string, year: number): boolean {
  const v = row[item];
  return typeof v === 'string' && v.startsWith(`${year}-`);
}

function yearRows(rows: readonly Row[], year: number): Row[] {
  return rows.filter((row) => toYear(row.year ?? null) === year);
}

/** The single row of a (subject, year) keyed resource, or null; two rows mean the source broke its key. */
function oneYearRow(def: string, rows: readonly Row[], year: number): Row | null {
  const found = yearRows(rows, year);
  if (found.length > 1) {
    throw new AccessError('BAD_SOURCE_DATA', `${def}: ${found.length} rows for one subject and year ${year}`);
  }
  return found[0] ?? null;
}

const yearParam: ParamSpec = { name: 'year', title: '年度', type: 'year' };

function yearOf(params: Params): number {
  return Number(params.year);
}

// --- the 亩均论英雄 catalogue (REFERENCE.md §8, "Who supplies what") ----------------------------------

/** A published figure that is one decimal per enterprise and year (tax paid, emissions). */
function annualDecimal(spec: {
  id: string;
  title: string;
  description: string;
  resource: string;
  item: string;
  outputTitle: string;
}): ComputationDef {
  const { item } = spec;
  return {
    id: spec.id,
    title: spec.title,
    description: spec.description,
    subjectKind: 'enterprise',
    params: [yearParam],
    resource: spec.resource,
    subjectItem: 'uscc',
    items: ['uscc', 'year', item],
    outputs: [{ name: item, title: spec.outputTitle, type: 'decimal', scale: 2, nullable: false }],
    noRowsMeans: 'missing',
    run(rows, params) {
      const row = oneYearRow(this.id, rows, yearOf(params));
      if (!row || row[item] === null || row[item] === '') return null;
      return { [item]: formatUnits(units(this.id, row, item, 2), 2) };
    },
  };
}

export const taxPaidAnnual: ComputationDef = annualDecimal({
  id: 'shuiwu.tax_paid_annual',
  title: '企业年度实缴税收',
  description: 'Tax paid by the enterprise in year Y (万元). Missing when the enterprise has no row for Y.',
  resource: 'shuiwu.tax_annual',
  item: 'tax_paid',
  outputTitle: '实缴税收（万元）',
});

export const enterpriseStatisticsAnnual: ComputationDef = {
  id: 'tongji.enterprise_annual',
  title: '企业年度统计指标',
  description:
    'Above-scale flag, value added, main revenue, R&D expense (万元) and energy (吨标准煤) in year Y. An empty ' +
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
  description:
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
  description:
    'Sum of the area (亩) of the enterprise’s parcels with use type 工业 acquired on or before Y-12-31, their ' +
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
  description: 'Electricity used in year Y (kWh). Missing when there is no row for Y.',
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
  description: 'Major pollutant emissions in year Y (吨). Missing when there is no row for Y.',
  resource: 'shengtai.emission_annual',
  item: 'pollutant_t',
  outputTitle: '主要污染物排放量（吨）',
});

export const severePenaltiesAnnual: ComputationDef = {
  id: 'shengtai.severe_penalties',
  title: '企业年度严重环境违法处罚次数',
  description:
    'Number of environmental penalty decisions of severity 严重 dated in year Y. The penalty register is ' +
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
  description:
    'Number of safety accidents of level 较大, 重大 or 特别重大 dated in year Y. The accident register is ' +
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
  description: 'Name, industry code, district code, registration date and status from the market registry.',
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
