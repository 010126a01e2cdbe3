/**
 * The evaluation application's use cases: run an evaluation (gather through the exchange, score, store),
 * find each exchange's ledger entry afterwards, read results, compare years, and objections (数据异议).
 * Who may do what:
 *   - 经信局 (the owner) runs and reads evaluations;
 *   - an auditor reads them;
 *   - a provider department reads the list and, for an enterprise, only the figures it supplied itself, and
 *     its data officers file objections on those figures and resolve them once corrected at the source.
 */
import { EvaluationError } from './errors';
import type { ExchangeClient } from '../../client/exchange-client';
import type { Principal } from '../../core/auth/principal';
import type { EvaluationClass, InputName, Methodology, VetoInput } from './config';
import { lookbackYears } from './config';
import { gather, GatherError, type SourceKey, sourceOfInput, sources } from './gather';
import { type EnterpriseResult, type GroupSummary, scoreWithHistory, scoreYear, type YearResult } from './scoring';
import type {
  EnterpriseQuery,
  EnterpriseRow,
  EvaluationRecord,
  EvaluationStore,
  ExchangeRow,
  Objection,
  ObjectionStatus,
} from './store';

/** A figure that can be disputed: an input or a veto count, each supplied by one department. */
export type FigureName = InputName | VetoInput;

export const figures: Record<FigureName, { label: string; labelEn: string; unit: string }> = {
  tax: { label: '实缴税收', labelEn: 'Tax paid', unit: '万元' },
  value_added: { label: '工业增加值', labelEn: 'Value added', unit: '万元' },
  main_revenue: { label: '主营业务收入', labelEn: 'Main business revenue', unit: '万元' },
  rd_expense: { label: '研发经费支出', labelEn: 'R&D expense', unit: '万元' },
  energy_tce: { label: '综合能耗', labelEn: 'Energy', unit: '吨标准煤' },
  employees: { label: '月均参保人数', labelEn: 'Mean monthly insured employees', unit: '人' },
  land_mu: { label: '工业用地面积', labelEn: 'Industrial land', unit: '亩' },
  kwh: { label: '用电量', labelEn: 'Electricity', unit: '千瓦时' },
  emission: { label: '主要污染物排放量', labelEn: 'Major pollutant emissions', unit: '吨' },
  major_accidents: { label: '较大及以上生产安全事故', labelEn: 'Major safety accidents', unit: '起' },
  severe_penalties: { label: '严重环境违法处罚', labelEn: 'Severe environmental penalties', unit: '次' },
};

export function isFigureName(name: string): name is FigureName {
  return Object.hasOwn(figures, name);
}

/** What is stored per enterprise besides the indexed columns. */
export interface EnterpriseDetail {
  reasonLabel: string | null;
  missing: InputName[];
  inputs: EnterpriseResult['inputs'];
  events: EnterpriseResult['events'];
  earliestLandAcquired: string | null;
  indicators: EnterpriseResult['indicators'];
  scores: Record<string, number>;
  veto: EnterpriseResult['veto'];
  previousClasses: (EvaluationClass | null)[];
  policies: EnterpriseResult['policies'];
  /** Which exchange (seq) supplied each source's figures for Y. */
  refs: Partial<Record<SourceKey, number>>;
}

export interface EvaluationSummary {
  methodology: { id: string; version: string; title: string };
  years: number[];
  counts: YearResult['counts'];
  groups: YearResult['groups'];
  byDistrict: YearResult['byDistrict'];
  byIndustry: YearResult['byIndustry'];
  policies: YearResult['policies'];
  /** Where the classes of the earlier years came from. */
  history: { kind: 'stored'; evaluationId: string; year: number } | { kind: 'recomputed'; years: number[] };
  /** The earlier years' class counts, newest first (scored in the same run, or from the stored evaluation). */
  earlier: {
    year: number;
    counts: YearResult['counts'];
    groups: { label: string; graded: number; classCounts: Record<EvaluationClass, number> }[];
  }[];
  /** Where the run's time went: the exchange (all years) and the scoring; the rest of `durationMs` is the store. */
  timings: { gatherMs: number; scoreMs: number };
  /** Class in Y−1 → class in Y, per group (same methodology, from the same run). */
  moves: Record<string, Record<string, Record<string, number>>>;
}

export interface EvaluationServiceDeps {
  store: EvaluationStore;
  client: ExchangeClient;
  /** The member that owns the application (经信局). */
  owner: string;
  now: () => Date;
  newId: () => string;
  log?: (level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void;
  /** Ledger lookups after a run: attempts and the wait between them (entries appear ≈1–2 s after a call). */
  ledgerAttempts?: number;
  ledgerDelayMs?: number;
}

type Access = 'owner' | 'auditor' | 'provider';

export type HistoryMode = 'auto' | 'recompute';

export class EvaluationService {
  private readonly running = new Map<string, Promise<void>>();
  private readonly resolving = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly deps: EvaluationServiceDeps) {}

  // ---- access ------------------------------------------------------------------------------------

  access(principal: Principal): Access {
    if (principal.memberCode === this.deps.owner) return 'owner';
    // The city's auditor is a member (审计局), not a role a department can give itself.
    if (principal.memberRole === 'auditor') return 'auditor';
    if (principal.memberRole === 'provider') return 'provider';
    throw new EvaluationError('FORBIDDEN_ROLE', '无权查看亩均评价 / not allowed to read evaluations');
  }

  private requireOwnerOfficer(principal: Principal): void {
    if (
      principal.memberCode !== this.deps.owner ||
      !(principal.roles.includes('data_officer') || principal.roles.includes('admin'))
    ) {
      throw new EvaluationError(
        'FORBIDDEN_ROLE',
        '只有经信局的数据专员可以运行评价 / only 经信局 officers run evaluations',
      );
    }
  }

  // ---- runs --------------------------------------------------------------------------------------

  /**
   * Records a new evaluation and runs it in the background; poll `get` until it is done or failed.
   * `history` decides where the classes of Y−1, Y−2 (consecutive-year policies) come from: `auto` takes them
   * from the latest finished evaluation of Y−1 with the same methodology (id and version) — the classes as
   * published — and evaluates the earlier years through the exchange only when there is none; `recompute`
   * always evaluates them through the exchange.
   */
  async start(
    principal: Principal,
    input: { year: number; config: Methodology; history?: HistoryMode | undefined },
  ): Promise<EvaluationRecord> {
    this.requireOwnerOfficer(principal);
    const id = this.deps.newId();
    await this.deps.store.createEvaluation({
      id,
      year: input.year,
      configId: input.config.id,
      configVersion: input.config.version,
      config: input.config,
      createdAt: this.deps.now().toISOString(),
      createdBy: principal.username ?? principal.memberCode,
    });
    const officer = principal.username ?? `${principal.memberCode}-system`;
    const job = this.run(id, input.year, input.config, officer, input.history ?? 'auto').finally(() =>
      this.running.delete(id),
    );
    this.running.set(id, job);
    return (await this.deps.store.getEvaluation(id)) as EvaluationRecord;
  }

  /** Resolves when the evaluation's background run (and its ledger lookups, when `ledger`) has finished. */
  async settled(id: string, options: { ledger?: boolean } = {}): Promise<void> {
    await this.running.get(id);
    if (options.ledger) await this.resolving.get(id);
  }

  private async run(id: string, year: number, config: Methodology, officer: string, mode: HistoryMode): Promise<void> {
    const started = Date.now();
    try {
      const back = lookbackYears(config);
      const prior =
        back > 0 && mode === 'auto' ? await this.deps.store.latestDone(year - 1, config.id, config.version) : undefined;
      const years = prior ? [year] : Array.from({ length: back + 1 }, (_, i) => year - i);
      const gatherStarted = Date.now();
      const gathered = await gather(this.deps.client, {
        config,
        years,
        consumer: this.deps.owner,
        officer,
        caseId: id,
        onProgress: (message) => void this.deps.store.setProgress(id, message).catch(() => undefined),
      });
      const [target, ...earlierYears] = gathered.years;
      if (!target) throw new Error('no year gathered');
      const scoreStarted = Date.now();
      let result: YearResult;
      let earlier: EvaluationSummary['earlier'];
      let history: EvaluationSummary['history'];
      if (prior) {
        const histories = new Map<string, (EvaluationClass | null)[]>();
        for (const [uscc, text] of await this.deps.store.classHistories(prior.id)) {
          histories.set(
            uscc,
            [...text.slice(0, back)].map((c) => (c === '-' ? null : (c as EvaluationClass))),
          );
        }
        result = scoreYear(config, target.year, target.facts, histories);
        const priorSummary = prior.summary as EvaluationSummary;
        earlier = [
          { year: prior.year, counts: priorSummary.counts, groups: compactGroups(priorSummary.groups) },
          ...priorSummary.earlier,
        ].slice(0, back);
        history = { kind: 'stored', evaluationId: prior.id, year: prior.year };
      } else {
        const scored = scoreWithHistory(config, target, earlierYears);
        result = scored.result;
        earlier = scored.earlier
          .map((e) => ({ year: e.year, counts: e.counts, groups: compactGroups(e.groups) }))
          .sort((a, b) => b.year - a.year);
        history = { kind: 'recomputed', years: years.slice(1) };
      }
      const scoreMs = Date.now() - scoreStarted;
      const landSince = new Map(target.facts.map((f) => [f.uscc, f.earliestLandAcquired ?? null]));
      const rows = result.enterprises.map((e) =>
        toRow(e, target.refs.get(e.uscc) ?? {}, landSince.get(e.uscc) ?? null),
      );
      const summary: EvaluationSummary = {
        methodology: { id: config.id, version: config.version, title: config.title },
        years,
        history,
        counts: result.counts,
        groups: result.groups,
        byDistrict: result.byDistrict,
        byIndustry: result.byIndustry,
        policies: result.policies,
        earlier,
        moves: movesOf(result),
        timings: { gatherMs: scoreStarted - gatherStarted, scoreMs },
      };
      const storeStarted = Date.now();
      await this.deps.store.completeEvaluation(id, {
        summary,
        enterprises: rows,
        exchanges: gathered.exchanges,
        finishedAt: this.deps.now().toISOString(),
        durationMs: Date.now() - started,
      });
      this.deps.log?.('info', 'evaluation done', {
        id,
        year,
        ms: Date.now() - started,
        ...summary.timings,
        storeMs: Date.now() - storeStarted,
      });
      const resolving = this.resolveLedger(id).finally(() => this.resolving.delete(id));
      this.resolving.set(id, resolving);
    } catch (error) {
      const code = error instanceof GatherError ? error.code : 'EVALUATION_FAILED';
      const detail = error instanceof Error ? error.message : String(error);
      if (!(error instanceof GatherError)) this.deps.log?.('error', 'evaluation failed', { id, err: detail });
      await this.deps.store.failEvaluation(id, code, detail, this.deps.now().toISOString()).catch(() => undefined);
    }
  }

  /**
   * Finds the log entry of each exchange (the hub logs a node's access event ≈1–2 s after the call) and
   * stores its index. Retries with a growing wait; exchanges still unresolved keep their request ID.
   */
  async resolveLedger(id: string): Promise<void> {
    const attempts = this.deps.ledgerAttempts ?? 8;
    const delay = this.deps.ledgerDelayMs ?? 1000;
    for (let attempt = 0; attempt < attempts && !this.closed; attempt++) {
      const pending = (await this.deps.store.exchanges(id)).filter((e) => e.ledgerIndex === null);
      if (pending.length === 0) return;
      let unavailable = false;
      let busy = false;
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(8, pending.length) }, async () => {
          while (next < pending.length && !unavailable && !busy) {
            const exchange = pending[next++] as ExchangeRow;
            try {
              const entries = await this.deps.client.ledgerEntries(exchange.requestId);
              const entry = entries.find((e) => (e as { kind?: string }).kind === 'access') ?? entries[0];
              if (entry) await this.deps.store.setLedgerIndex(id, exchange.seq, entry.index);
            } catch (error) {
              const { status, code } = error as { status?: number; code?: string };
              // No such endpoint (404/405) or no hub configured: keep the request IDs and stop asking. A busy
              // or unreachable hub (503, a timeout, a reset connection) is asked again at the next attempt:
              // after a large evaluation the hub is still indexing, and giving up then lost most entries.
              if (status === 404 || status === 405 || code === 'NODE_UNAVAILABLE') unavailable = true;
              else if (status === 503 || status === 504) busy = true;
            }
          }
        }),
      );
      if (unavailable) return;
      await new Promise((resolve) => setTimeout(resolve, delay * Math.min(4, attempt + 1)));
    }
  }

  /** Marks evaluations a restart interrupted as failed (their job is gone). */
  async recover(): Promise<void> {
    for (const id of await this.deps.store.runningEvaluations()) {
      await this.deps.store.failEvaluation(
        id,
        'EVALUATION_INTERRUPTED',
        '服务重启，评价未完成，请重新运行 / interrupted by a restart',
        this.deps.now().toISOString(),
      );
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.running.values(), ...this.resolving.values()]);
  }

  // ---- reads -------------------------------------------------------------------------------------

  async list(principal: Principal, filter: { year?: number | undefined }): Promise<EvaluationRecord[]> {
    this.access(principal);
    return this.deps.store.listEvaluations(filter);
  }

  async get(principal: Principal, id: string): Promise<EvaluationRecord & { exchanges: ExchangeRow[] }> {
    const access = this.access(principal);
    const evaluation = await this.deps.store.getEvaluation(id);
    if (!evaluation) throw notFound(id);
    const exchanges = await this.deps.store.exchanges(id);
    if (exchanges.some((e) => e.ledgerIndex === null) && evaluation.status === 'done' && !this.resolving.has(id)) {
      // A late lookup (e.g. the hub was slow): try again in the background.
      const resolving = this.resolveLedger(id).finally(() => this.resolving.delete(id));
      this.resolving.set(id, resolving);
    }
    return { ...evaluation, exchanges: access === 'provider' ? [] : exchanges };
  }

  async done(principal: Principal, id: string): Promise<EvaluationRecord> {
    this.access(principal);
    const evaluation = await this.deps.store.getEvaluation(id);
    if (!evaluation) throw notFound(id);
    if (evaluation.status !== 'done') {
      throw new EvaluationError('EVALUATION_NOT_READY', `评价尚未完成（${evaluation.status}）/ not done yet`);
    }
    return evaluation;
  }

  async enterprises(principal: Principal, id: string, query: EnterpriseQuery) {
    const access = this.access(principal);
    await this.done(principal, id);
    const page = await this.deps.store.queryEnterprises(id, query);
    // A surcharge is kWh × rate: another department's figure, so providers do not see it.
    const items = page.items.map(listItem).map((item) => (access === 'provider' ? { ...item, surcharge: null } : item));
    return { ...page, items, page: query.page, pageSize: query.pageSize };
  }

  /** One enterprise: its figures with their department and ledger entry, indicators, objections. */
  async enterprise(principal: Principal, id: string, uscc: string) {
    const access = this.access(principal);
    const evaluation = await this.done(principal, id);
    const row = await this.deps.store.getEnterprise(id, uscc);
    if (!row) throw new EvaluationError('ENTERPRISE_NOT_FOUND', `评价中没有企业 ${uscc} / not in this evaluation`);
    const detail = row.detail as EnterpriseDetail;
    const exchanges = new Map((await this.deps.store.exchanges(id)).map((e) => [e.seq, e]));
    const objections = await this.deps.store.listObjections({ year: evaluation.year, uscc });
    const visible = (provider: string) => access !== 'provider' || provider === principal.memberCode;
    const figureRows = (Object.keys(figures) as FigureName[])
      .map((name) => {
        const source = sources[sourceOfInput[name]];
        const seq = detail.refs[source.key];
        const value =
          name === 'major_accidents' || name === 'severe_penalties' ? detail.events[name] : detail.inputs[name];
        if (value === undefined && seq === undefined) return null;
        const exchange = seq === undefined ? undefined : exchanges.get(seq);
        return {
          figure: name,
          ...figures[name],
          value: visible(source.provider) ? (value ?? null) : null,
          hidden: !visible(source.provider),
          provider: source.provider,
          department: source.department,
          computation: source.computation,
          requestId: exchange?.requestId ?? null,
          ledgerIndex: exchange?.ledgerIndex ?? null,
          disputed: objections.some((o) => o.figure === name && o.status === 'open'),
        };
      })
      .filter((f) => f !== null);
    const config = evaluation.config as Methodology;
    const group = config.groups.find((g) => g.label === row.group);
    const summary = evaluation.summary as EvaluationSummary;
    const benchmarks = summary.groups.find((g) => g.label === row.group)?.benchmarks ?? [];
    const indicators = (group?.indicators ?? []).map((indicator, index) => {
      const result = detail.indicators[index];
      const benchmark = benchmarks.find((b) => b.indicator === indicator.id);
      const hidden =
        access === 'provider' &&
        [indicator.numerator, indicator.denominator].some((input) => !visible(sources[sourceOfInput[input]].provider));
      return {
        id: indicator.id,
        name: indicator.name,
        nameEn: indicator.nameEn,
        unit: indicator.unit,
        weight: indicator.weight,
        numerator: indicator.numerator,
        denominator: indicator.denominator,
        value: hidden ? null : (result?.value ?? null),
        benchmark: benchmark?.value ?? null,
        score: hidden ? null : (result?.score ?? null),
        basis: hidden ? null : (result?.basis ?? null),
        hidden,
      };
    });
    const registryExchange = detail.refs.registry === undefined ? undefined : exchanges.get(detail.refs.registry);
    return {
      evaluationId: id,
      year: evaluation.year,
      methodology: { id: evaluation.configId, version: evaluation.configVersion },
      ...listItem(row),
      surcharge: access === 'provider' ? null : row.surcharge,
      reasonLabel: detail.reasonLabel,
      missing: detail.missing,
      earliestLandAcquired: visible('ziranziyuan') ? detail.earliestLandAcquired : null,
      indicators,
      figures: figureRows,
      registry: {
        department: sources.registry.department,
        requestId: registryExchange?.requestId ?? null,
        ledgerIndex: registryExchange?.ledgerIndex ?? null,
      },
      veto: detail.veto,
      previousClasses: detail.previousClasses,
      policies: access === 'provider' ? [] : detail.policies,
      objections: objections.filter((o) => visible(o.provider)),
    };
  }

  /** Class moves: against another stored evaluation, or Y−1 from the same run (same methodology). */
  async moves(principal: Principal, id: string, against?: string) {
    const evaluation = await this.done(principal, id);
    const current = await this.deps.store.classes(id);
    let previous: Map<string, { class: string | null; name: string; group: string | null }>;
    let basis: { kind: 'sameRun'; year: number } | { kind: 'evaluation'; id: string; year: number; configId: string };
    if (against) {
      const other = await this.done(principal, against);
      previous = await this.deps.store.classes(against);
      basis = { kind: 'evaluation', id: other.id, year: other.year, configId: other.configId };
    } else {
      previous = new Map();
      for await (const page of this.deps.store.allEnterprises(id)) {
        for (const row of page) {
          previous.set(row.uscc, { class: row.previousClass, name: row.name, group: row.group });
        }
      }
      basis = { kind: 'sameRun', year: evaluation.year - 1 };
    }
    const matrix: Record<string, Record<string, number>> = {};
    const moved: { uscc: string; name: string; group: string | null; from: string | null; to: string | null }[] = [];
    for (const [uscc, now] of current) {
      const before = previous.get(uscc)?.class ?? null;
      if (now.class === null && before === null) continue;
      const from = before ?? '-';
      const to = now.class ?? '-';
      matrix[from] ??= {};
      (matrix[from] as Record<string, number>)[to] = ((matrix[from] as Record<string, number>)[to] ?? 0) + 1;
      if (before !== now.class) moved.push({ uscc, name: now.name, group: now.group, from: before, to: now.class });
    }
    const order = (c: string | null) => (c === null ? 9 : 'ABCD'.indexOf(c));
    moved.sort((a, b) => order(a.to) - order(b.to) || order(a.from) - order(b.from) || (a.uscc < b.uscc ? -1 : 1));
    return { basis, matrix, moved: moved.slice(0, 2000), movedTotal: moved.length };
  }

  /** The policy list: every graded enterprise a differentiated policy applies to. */
  async policies(principal: Principal, id: string) {
    const access = this.access(principal);
    if (access === 'provider')
      throw new EvaluationError('FORBIDDEN_ROLE', '政策清单仅限经信局和审计 / owner and auditors only');
    const evaluation = await this.done(principal, id);
    const config = evaluation.config as Methodology;
    const classesWithPolicy = new Set<string>(config.policies.map((p) => p.class));
    const items: ReturnType<typeof policyItems> = [];
    for await (const page of this.deps.store.allEnterprises(id)) {
      items.push(...policyItems(page.filter((row) => row.class !== null && classesWithPolicy.has(row.class))));
    }
    items.sort((a, b) => a.class.localeCompare(b.class) || a.group.localeCompare(b.group) || a.rank - b.rank);
    return { items, summary: (evaluation.summary as EvaluationSummary).policies };
  }

  // ---- objections (数据异议) ----------------------------------------------------------------------

  async fileObjection(
    principal: Principal,
    id: string,
    input: { uscc: string; figure: string; reason: string },
  ): Promise<Objection> {
    const evaluation = await this.done(principal, id);
    if (!isFigureName(input.figure)) {
      throw new EvaluationError('UNKNOWN_FIGURE', `没有这项数据 ${input.figure} / unknown figure`, [
        { path: 'figure', message: Object.keys(figures).join(', ') },
      ]);
    }
    const provider = sources[sourceOfInput[input.figure]].provider;
    if (principal.memberCode !== provider || !principal.roles.includes('data_officer')) {
      throw new EvaluationError(
        'NOT_SUPPLIER_OF_FIGURE',
        `只有提供该数据的部门（${sources[sourceOfInput[input.figure]].department}）的数据专员可以提出异议 / only the supplying department's data officer`,
      );
    }
    const reason = input.reason.trim();
    if (!reason) throw new EvaluationError('REASON_REQUIRED', '必须填写异议理由 / a reason is required');
    const row = await this.deps.store.getEnterprise(id, input.uscc);
    if (!row) throw new EvaluationError('ENTERPRISE_NOT_FOUND', `评价中没有企业 ${input.uscc}`);
    const detail = row.detail as EnterpriseDetail;
    if (detail.refs[sources[sourceOfInput[input.figure]].key] === undefined) {
      throw new EvaluationError(
        'FIGURE_NOT_USED',
        '该企业的这项数据未在本次评价中使用 / figure not used for this enterprise',
      );
    }
    const objection: Objection = {
      id: this.deps.newId(),
      evaluationId: id,
      year: evaluation.year,
      uscc: row.uscc,
      enterpriseName: row.name,
      figure: input.figure,
      provider,
      reason,
      status: 'open',
      filedByMember: principal.memberCode,
      filedByUser: principal.username,
      filedAt: this.deps.now().toISOString(),
      resolvedAt: null,
      resolvedBy: null,
      resolutionNote: null,
    };
    await this.deps.store.addObjection(objection);
    return objection;
  }

  async objections(
    principal: Principal,
    filter: { evaluationId?: string | undefined; year?: number | undefined; status?: ObjectionStatus | undefined },
  ): Promise<Objection[]> {
    const access = this.access(principal);
    return this.deps.store.listObjections({
      ...filter,
      ...(access === 'provider' ? { provider: principal.memberCode } : {}),
    });
  }

  /** The supplying department marks its objection corrected (data fixed at the source) or withdrawn/rejected. */
  async resolveObjection(
    principal: Principal,
    objectionId: string,
    input: { status: 'corrected' | 'rejected'; note?: string | undefined },
  ): Promise<Objection> {
    const objection = await this.deps.store.getObjection(objectionId);
    if (!objection) throw new EvaluationError('OBJECTION_NOT_FOUND', `没有异议 ${objectionId}`);
    const mayResolve =
      (principal.memberCode === objection.provider && principal.roles.includes('data_officer')) ||
      (principal.memberCode === this.deps.owner && principal.roles.includes('data_officer'));
    if (!mayResolve) throw new EvaluationError('FORBIDDEN_ROLE', '只有提供部门或经信局可以处理异议');
    const ok = await this.deps.store.resolveObjection(objectionId, {
      status: input.status,
      at: this.deps.now().toISOString(),
      by: principal.username ?? principal.memberCode,
      note: input.note?.trim() || null,
    });
    if (!ok) throw new EvaluationError('OBJECTION_CLOSED', '该异议已处理 / already resolved');
    return (await this.deps.store.getObjection(objectionId)) as Objection;
  }

  // ---- exports -----------------------------------------------------------------------------------

  /** Every enterprise row, in pages (for the XLSX export). */
  rows(principal: Principal, id: string): AsyncIterable<EnterpriseRow[]> {
    this.access(principal);
    return this.deps.store.allEnterprises(id);
  }

  /** Every enterprise in the shape of the CLI's JSON file. */
  async result(principal: Principal, id: string) {
    const access = this.access(principal);
    if (access === 'provider')
      throw new EvaluationError('FORBIDDEN_ROLE', '完整结果仅限经信局和审计 / owner and auditors only');
    const evaluation = await this.done(principal, id);
    const summary = evaluation.summary as EvaluationSummary;
    const enterprises: unknown[] = [];
    for await (const page of this.deps.store.allEnterprises(id)) {
      for (const row of page) enterprises.push(resultItem(row));
    }
    const objections = await this.deps.store.listObjections({ year: evaluation.year, status: 'open' });
    return {
      evaluation: {
        id: evaluation.id,
        year: evaluation.year,
        methodology: summary.methodology,
        createdAt: evaluation.createdAt,
        finishedAt: evaluation.finishedAt,
      },
      groups: summary.groups,
      counts: summary.counts,
      byDistrict: summary.byDistrict,
      byIndustry: summary.byIndustry,
      policies: summary.policies,
      exchanges: await this.deps.store.exchanges(id),
      objections,
      enterprises,
    };
  }
}

function notFound(id: string): EvaluationError {
  return new EvaluationError('EVALUATION_NOT_FOUND', `没有评价 ${id} / no such evaluation`);
}

/** One enterprise's stored row: the figures shown in lists, with the full detail behind them. */
export function toRow(
  e: EnterpriseResult,
  refs: Partial<Record<SourceKey, number>>,
  earliestLandAcquired: string | null,
): EnterpriseRow {
  const detail: EnterpriseDetail = {
    reasonLabel: e.reasonLabel,
    missing: e.missing,
    inputs: e.inputs,
    events: e.events,
    earliestLandAcquired,
    indicators: e.indicators,
    scores: e.scores,
    veto: e.veto,
    previousClasses: e.previousClasses,
    policies: e.policies,
    refs,
  };
  const surcharge = e.policies.find((p) => p.kind === 'electricitySurcharge');
  return {
    uscc: e.uscc,
    name: e.name,
    group: e.group,
    graded: e.graded,
    reason: e.reason,
    total: e.total,
    rank: e.rank,
    class: e.class,
    rankClass: e.rankClass,
    veto: e.veto !== null,
    districtCode: e.districtCode,
    industryCode: e.industryCode,
    previousClass: e.previousClasses[0] ?? null,
    classHistory: [e.class, ...e.previousClasses].map((c) => c ?? '-').join(''),
    surcharge: surcharge?.amount ?? null,
    detail,
  };
}

function listItem(row: EnterpriseRow) {
  const detail = row.detail as EnterpriseDetail;
  return {
    uscc: row.uscc,
    name: row.name,
    group: row.group,
    graded: row.graded,
    reason: row.reason,
    reasonLabel: detail.reasonLabel,
    total: row.total,
    rank: row.rank,
    class: row.class,
    rankClass: row.rankClass,
    veto: row.veto,
    districtCode: row.districtCode,
    industryCode: row.industryCode,
    previousClass: row.previousClass,
    surcharge: row.surcharge,
  };
}

function resultItem(row: EnterpriseRow) {
  const detail = row.detail as EnterpriseDetail;
  return {
    uscc: row.uscc,
    name: row.name,
    districtCode: row.districtCode,
    industryCode: row.industryCode,
    group: row.group,
    graded: row.graded,
    reason: row.reason,
    reasonLabel: detail.reasonLabel,
    missing: detail.missing,
    inputs: { ...detail.inputs, ...detail.events },
    indicators: Object.fromEntries(detail.indicators.map((i) => [i.id, i.value])),
    scores: detail.scores,
    total: row.total,
    rank: row.rank,
    class: row.class,
    rankClass: row.rankClass,
    veto: detail.veto,
    previousClasses: detail.previousClasses,
    policies: detail.policies,
    sources: detail.refs,
  };
}

function policyItems(rows: EnterpriseRow[]) {
  return rows.flatMap((row) => {
    const detail = row.detail as EnterpriseDetail;
    return detail.policies.map((policy) => ({
      uscc: row.uscc,
      name: row.name,
      group: row.group as string,
      rank: row.rank as number,
      class: policy.class,
      districtCode: row.districtCode,
      industryCode: row.industryCode,
      kind: policy.kind,
      label: policy.label,
      consecutiveYears: policy.consecutiveYears ?? null,
      rate: policy.rate ?? null,
      kwh: policy.kwh ?? null,
      amount: policy.amount ?? null,
    }));
  });
}

function compactGroups(groups: readonly Pick<GroupSummary, 'label' | 'graded' | 'classCounts'>[]) {
  return groups.map((g) => ({ label: g.label, graded: g.graded, classCounts: g.classCounts }));
}

function movesOf(result: YearResult): EvaluationSummary['moves'] {
  const moves: EvaluationSummary['moves'] = {};
  for (const e of result.enterprises) {
    if (!e.group) continue;
    const before = e.previousClasses[0] ?? null;
    if (e.class === null && before === null) continue;
    const group = moves[e.group] ?? {};
    moves[e.group] = group;
    const from = before ?? '-';
    const row = group[from] ?? {};
    group[from] = row;
    row[e.class ?? '-'] = (row[e.class ?? '-'] ?? 0) + 1;
  }
  return moves;
}
