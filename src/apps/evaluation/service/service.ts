/**
 * The evaluation application's use cases: run an evaluation (gather through the exchange, score, store),
 * find each exchange's ledger entry afterwards, read results, compare years, and objections (数据异议).
 * Who may do what:
 *   - 经信局 (the owner) runs and reads evaluations;
 *   - an auditor reads them;
 *   - a provider department reads the list and, for an enterprise, only the figures it supplied itself, and
 *     its data officers file objections on those figures and resolve them once corrected at the source.
 */
import { enterpriseView } from './enterprise-view';
import { EvaluationError } from './errors';
import { fileObjection, resolveObjection } from './objections';
import {
  compactGroups,
  type EvaluationSummary,
  listItem,
  movesOf,
  policyItems,
  type ResultItem,
  resultItem,
  toRow,
} from './rows';
import type { ExchangeClient } from '../../../client/exchange-client';
import type { Principal } from '../../../core/auth/principal';
import type { EvaluationClass, Methodology } from './config';
import { lookbackYears } from './config';
import { gather, GatherError } from './gather';
import type { YearResult } from './score-types';
import { scoreWithHistory, scoreYear } from './scoring';
import type {
  EnterpriseQuery,
  EnterpriseRow,
  EvaluationRecord,
  EvaluationStore,
  ExchangeRow,
  Objection,
  ObjectionStatus,
} from '../store/store';
import type { AppLogger } from '../../../core/ports/app-logger';
import type { Clock } from '../../../core/ports/clock';

export interface EvaluationServiceDeps {
  store: EvaluationStore;
  client: ExchangeClient;
  /** The member that owns the application (经信局). */
  owner: string;
  clock: Clock;
  newId: () => string;
  logger?: AppLogger;
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
      createdAt: this.deps.clock.now().toISOString(),
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
        finishedAt: this.deps.clock.now().toISOString(),
        durationMs: Date.now() - started,
      });
      this.deps.logger?.info(
        {
          id,
          year,
          ms: Date.now() - started,
          ...summary.timings,
          storeMs: Date.now() - storeStarted,
        },
        'evaluation done',
      );
      const resolving = this.resolveLedger(id).finally(() => this.resolving.delete(id));
      this.resolving.set(id, resolving);
    } catch (error) {
      const code = error instanceof GatherError ? error.code : 'EVALUATION_FAILED';
      const detail = error instanceof Error ? error.message : String(error);
      if (!(error instanceof GatherError)) this.deps.logger?.error({ id, err: detail }, 'evaluation failed');
      await this.deps.store
        .failEvaluation(id, code, detail, this.deps.clock.now().toISOString())
        .catch(() => undefined);
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
        this.deps.clock.now().toISOString(),
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
    const exchanges = new Map((await this.deps.store.exchanges(id)).map((e) => [e.seq, e]));
    const objections = await this.deps.store.listObjections({ year: evaluation.year, uscc });
    return enterpriseView({ evaluation, row, exchanges, objections, access, viewer: principal.memberCode });
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
    return fileObjection(this.deps, principal, await this.done(principal, id), input);
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
    return resolveObjection(this.deps, principal, objectionId, input);
  }

  // ---- exports -----------------------------------------------------------------------------------

  /** Every enterprise row, in pages (for the XLSX export). */
  rows(principal: Principal, id: string): AsyncIterable<EnterpriseRow[]> {
    this.access(principal);
    return this.deps.store.allEnterprises(id);
  }

  /** Every enterprise in the shape of the CLI's JSON file. */
  /** The whole result (GET /evaluations/{id}/result, and the CLI's --json file). */
  async result(principal: Principal, id: string) {
    const access = this.access(principal);
    if (access === 'provider')
      throw new EvaluationError('FORBIDDEN_ROLE', '完整结果仅限经信局和审计 / owner and auditors only');
    const evaluation = await this.done(principal, id);
    const summary = evaluation.summary as EvaluationSummary;
    const enterprises: ResultItem[] = [];
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
