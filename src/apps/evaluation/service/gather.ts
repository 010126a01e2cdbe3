/**
 * Pulls the evaluation's figures through the exchange, in compute mode only: each department runs a
 * published computation at its own node and only the derived per-enterprise figure leaves (no rows).
 *
 * Per year, in three steps so that a department is only asked about enterprises the evaluation still needs:
 *   0. the market registry's roster, once (name, industry, district, registration date, status);
 *   1. land (自然资源) and statistics (统计: above-scale flag, value added, revenue, R&D, energy) for the
 *      enterprises in scope and not already excluded by registration date;
 *   2. for the candidates of a group: tax, insured person-months, electricity, emissions, and the veto
 *      counts (accidents, severe penalties), each only for those whose group uses it.
 * Every call is batched (≤ the client's batch size per call) and every figure remembers which exchange
 * supplied it (`refs`), so its ledger entry can be shown next to it.
 */
import type { ExchangeClient } from '../../../client/exchange-client';
import type { CellValue } from '../../../core/access/values';
import { type InputName, type Methodology, type VetoInput, inputsUsed } from './config';
import { eligibility } from './eligibility';
import type { EnterpriseFacts, RegistryFacts } from './score-types';
import type { ExchangeRow } from '../store/store';

export const sourceKeys = [
  'registry',
  'land',
  'statistics',
  'tax',
  'employees',
  'electricity',
  'emission',
  'penalties',
  'accidents',
] as const;
export type SourceKey = (typeof sourceKeys)[number];

export interface SourceSpec {
  key: SourceKey;
  provider: string;
  resource: string;
  computation: string;
  /** 部门 name for people. */
  department: string;
  perYear: boolean;
}

/** Who supplies what (RULES.md §8): one published computation per source department. */
export const sources: Record<SourceKey, SourceSpec> = {
  registry: {
    key: 'registry',
    provider: 'shichang',
    resource: 'shichang.enterprise',
    computation: 'shichang.registry_facts',
    department: '市场监管局',
    perYear: false,
  },
  land: {
    key: 'land',
    provider: 'ziranziyuan',
    resource: 'ziranziyuan.land_parcel',
    computation: 'ziranziyuan.industrial_land',
    department: '自然资源局',
    perYear: true,
  },
  statistics: {
    key: 'statistics',
    provider: 'tongji',
    resource: 'tongji.enterprise_annual',
    computation: 'tongji.enterprise_annual',
    department: '统计局',
    perYear: true,
  },
  tax: {
    key: 'tax',
    provider: 'shuiwu',
    resource: 'shuiwu.tax_annual',
    computation: 'shuiwu.tax_paid_annual',
    department: '税务局',
    perYear: true,
  },
  employees: {
    key: 'employees',
    provider: 'renshe',
    resource: 'renshe.insured_monthly',
    computation: 'renshe.insured_person_months',
    department: '人力社保局',
    perYear: true,
  },
  electricity: {
    key: 'electricity',
    provider: 'gongdian',
    resource: 'gongdian.electricity_annual',
    computation: 'gongdian.electricity_annual',
    department: '供电公司',
    perYear: true,
  },
  emission: {
    key: 'emission',
    provider: 'shengtai',
    resource: 'shengtai.emission_annual',
    computation: 'shengtai.emission_annual',
    department: '生态环境局',
    perYear: true,
  },
  penalties: {
    key: 'penalties',
    provider: 'shengtai',
    resource: 'shengtai.penalty',
    computation: 'shengtai.severe_penalties',
    department: '生态环境局',
    perYear: true,
  },
  accidents: {
    key: 'accidents',
    provider: 'yingji',
    resource: 'yingji.safety_accident',
    computation: 'yingji.major_accidents',
    department: '应急管理局',
    perYear: true,
  },
};

/** The source of each input and veto count. */
export const sourceOfInput: Record<InputName | VetoInput, SourceKey> = {
  tax: 'tax',
  value_added: 'statistics',
  main_revenue: 'statistics',
  rd_expense: 'statistics',
  energy_tce: 'statistics',
  employees: 'employees',
  land_mu: 'land',
  kwh: 'electricity',
  emission: 'emission',
  major_accidents: 'accidents',
  severe_penalties: 'penalties',
};

/** One compute call through the exchange, as it will appear in the ledger (and as the store keeps it). */
export interface ExchangeRecord extends ExchangeRow {
  source: SourceKey;
}

export interface GatheredYear {
  year: number;
  facts: EnterpriseFacts[];
  /** Per enterprise, which exchange (ExchangeRecord.seq) supplied each source's figures for this year. */
  refs: Map<string, Partial<Record<SourceKey, number>>>;
}

export interface Gathered {
  registry: RegistryFacts[];
  registryRef: number;
  years: GatheredYear[];
  exchanges: ExchangeRecord[];
}

export interface GatherOptions {
  config: Methodology;
  /** The years to gather (Y first, then the earlier years consecutive-year policies need). */
  years: readonly number[];
  /** The consumer member running the evaluation (经信局). */
  consumer: string;
  officer: string;
  /** Carried in every signed request and its audit event: the evaluation's ID. */
  caseId: string;
  onProgress?: (message: string) => void;
  /** Attempts for a call that failed transiently (provider down, audit unavailable, timeout). */
  attempts?: number;
}

export class GatherError extends Error {
  override readonly name = 'GatherError';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly source?: SourceKey,
  ) {
    super(message);
  }
}

function decimal(value: CellValue | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

function text(value: CellValue | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

export async function gather(client: ExchangeClient, options: GatherOptions): Promise<Gathered> {
  const { config, consumer } = options;
  const attempts = options.attempts ?? 3;
  const exchanges: ExchangeRecord[] = [];
  const agreements = new Map<SourceKey, string>();
  const needed = neededSources(config);
  for (const key of needed) {
    const spec = sources[key];
    try {
      const agreement = await client.agreementFor(consumer, spec.resource, 'compute');
      agreements.set(key, agreement.id);
    } catch (error) {
      throw asGatherError(error, key);
    }
  }
  const context = (key: SourceKey) => ({
    agreementId: agreements.get(key) as string,
    officer: options.officer,
    caseId: options.caseId,
  });

  const withRetry = async <T>(key: SourceKey, call: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const transient = (error as { transient?: boolean }).transient === true;
        if (!transient || attempt >= attempts) throw asGatherError(error, key);
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      }
    }
  };

  // 0. The registry's roster: the whole register in one call, scoped here.
  options.onProgress?.(askingText(null, ['registry']));
  const roster = await withRetry('registry', () =>
    client.compute(context('registry'), sources.registry.computation, {}),
  );
  const registryRef = exchanges.length;
  exchanges.push(record('registry', agreements.get('registry') as string, null, roster.requestId, 0));
  const registry: RegistryFacts[] = roster.result.results.map(({ subject, values }) => ({
    uscc: subject,
    name: text(values.name),
    industryCode: text(values.industry_code),
    districtCode: text(values.district_code),
    registeredDate: text(values.registered_date),
    status: text(values.status),
  }));
  (exchanges[registryRef] as ExchangeRecord).subjects = registry.length;

  const fetch = async (key: SourceKey, year: number, subjects: string[]) => {
    if (subjects.length === 0) return { values: new Map<string, Record<string, CellValue>>(), seqOf: new Map() };
    const spec = sources[key];
    const batch = await withRetry(key, () => client.computeMany(context(key), spec.computation, { year }, subjects));
    const seqByRequest = new Map<string, number>();
    for (const requestId of batch.requestIds) {
      seqByRequest.set(requestId, exchanges.length);
      exchanges.push(record(key, agreements.get(key) as string, year, requestId, 0));
    }
    const seqOf = new Map<string, number>();
    for (const [subject, requestId] of batch.requestIdOf) {
      const seq = seqByRequest.get(requestId) as number;
      seqOf.set(subject, seq);
      (exchanges[seq] as ExchangeRecord).subjects += 1;
    }
    return { values: new Map(batch.results.map((r) => [r.subject, r.values])), seqOf };
  };

  const years: GatheredYear[] = [];
  for (const year of options.years) {
    options.onProgress?.(askingText(year, ['land', 'statistics']));
    const facts = new Map<string, EnterpriseFacts>();
    const refs = new Map<string, Partial<Record<SourceKey, number>>>();
    const stage1: string[] = [];
    for (const entry of registry) {
      const item: EnterpriseFacts = { ...entry, inputs: {}, events: {} };
      facts.set(entry.uscc, item);
      refs.set(entry.uscc, { registry: registryRef });
      if (eligibility(config, year, item).kind === 'needsData') stage1.push(entry.uscc);
    }
    const [land, statistics] = await Promise.all([fetch('land', year, stage1), fetch('statistics', year, stage1)]);
    for (const uscc of stage1) {
      const item = facts.get(uscc) as EnterpriseFacts;
      const ref = refs.get(uscc) as Partial<Record<SourceKey, number>>;
      const l = land.values.get(uscc);
      item.inputs.land_mu = l ? decimal(l.land_mu) : null;
      item.earliestLandAcquired = l ? text(l.earliest_acquired) : null;
      ref.land = land.seqOf.get(uscc);
      const s = statistics.values.get(uscc);
      item.aboveScale = s ? s.above_scale === true : null;
      item.inputs.value_added = s ? decimal(s.value_added) : null;
      item.inputs.main_revenue = s ? decimal(s.main_revenue) : null;
      item.inputs.rd_expense = s ? decimal(s.rd_expense) : null;
      item.inputs.energy_tce = s ? decimal(s.energy_tce) : null;
      ref.statistics = statistics.seqOf.get(uscc);
    }

    // 2. Candidates of a group: only the sources their group uses.
    const wanted = new Map<SourceKey, string[]>();
    for (const uscc of stage1) {
      const decided = eligibility(config, year, facts.get(uscc) as EnterpriseFacts);
      if (decided.kind !== 'candidate') continue;
      const keys = new Set<SourceKey>();
      for (const indicator of decided.group.indicators) {
        keys.add(sourceOfInput[indicator.numerator]);
        keys.add(sourceOfInput[indicator.denominator]);
      }
      if (config.policies.some((p) => p.kind === 'electricitySurcharge')) keys.add('electricity');
      for (const rule of config.veto.rules) keys.add(sourceOfInput[rule.input]);
      keys.delete('land');
      keys.delete('statistics');
      for (const key of keys) {
        const list = wanted.get(key) ?? [];
        list.push(uscc);
        wanted.set(key, list);
      }
    }
    options.onProgress?.(askingText(year, [...wanted.keys()]));
    const fetched = await Promise.all(
      [...wanted.entries()].map(async ([key, subjects]) => ({ key, subjects, ...(await fetch(key, year, subjects)) })),
    );
    for (const { key, subjects, values, seqOf } of fetched) {
      for (const uscc of subjects) {
        const item = facts.get(uscc) as EnterpriseFacts;
        const v = values.get(uscc);
        (refs.get(uscc) as Partial<Record<SourceKey, number>>)[key] = seqOf.get(uscc);
        switch (key) {
          case 'tax':
            item.inputs.tax = v ? decimal(v.tax_paid) : null;
            break;
          case 'employees': {
            const months = v ? decimal(v.months_with_rows) : null;
            const personMonths = v ? decimal(v.person_months) : null;
            item.inputs.employees = months && personMonths !== null ? personMonths / months : null;
            break;
          }
          case 'electricity':
            item.inputs.kwh = v ? decimal(v.kwh) : null;
            break;
          case 'emission':
            item.inputs.emission = v ? decimal(v.pollutant_t) : null;
            break;
          case 'penalties':
            item.events.severe_penalties = v ? decimal(v.severe_penalty_count) : null;
            break;
          case 'accidents':
            item.events.major_accidents = v ? decimal(v.major_accident_count) : null;
            break;
          default:
            break;
        }
      }
    }
    years.push({ year, facts: [...facts.values()], refs });
  }
  return { registry, registryRef, years, exchanges };

  function record(
    key: SourceKey,
    agreementId: string,
    year: number | null,
    requestId: string,
    subjects: number,
  ): ExchangeRecord {
    const spec = sources[key];
    return {
      seq: exchanges.length,
      source: key,
      provider: spec.provider,
      resource: spec.resource,
      computation: spec.computation,
      agreementId,
      year,
      requestId,
      subjects,
      ledgerIndex: null,
    };
  }
}

/** The sources a methodology reads: the registry, land, statistics and whatever its indicators and vetoes use. */
export function neededSources(config: Methodology): SourceKey[] {
  const keys = new Set<SourceKey>(['registry', 'land', 'statistics']);
  for (const input of inputsUsed(config)) keys.add(sourceOfInput[input]);
  for (const rule of config.veto.rules) keys.add(sourceOfInput[rule.input]);
  return sourceKeys.filter((key) => keys.has(key));
}

function asGatherError(error: unknown, key: SourceKey): GatherError {
  if (error instanceof GatherError) return error;
  const e = error as { code?: string; status?: number; message?: string };
  const spec = sources[key];
  if (e.code === 'NO_AGREEMENT') {
    return new GatherError(
      'NO_AGREEMENT',
      409,
      `经信局没有${spec.department}「${spec.resource}」的计算方式共享协议 / no compute agreement on ${spec.resource}`,
      key,
    );
  }
  return new GatherError(
    'EXCHANGE_FAILED',
    502,
    `${spec.department}（${spec.computation}）未能提供数据：${e.code ?? 'ERROR'} ${e.message ?? ''}`.trim(),
    key,
  );
}

/** The step in progress as the console shows it: which departments are being asked, for which year. */
function askingText(year: number | null, keys: readonly SourceKey[]): string {
  const departments = keys.map((key) => sources[key].department).join('、');
  return `${year === null ? '' : `${year} 年度：`}向${departments}调取数据`;
}
