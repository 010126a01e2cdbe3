/**
 * The exchange's client API: what an application (一网通办, 亩均论英雄) uses to reach other departments'
 * data. It talks to its own member's node over the node's local API (the node signs, the provider's node
 * decides and audits) and to the hub's ledger to learn which log entry recorded an exchange. Applications
 * import this module and the domain core's types, nothing else of the exchange.
 */
import type { CellValue } from '../core/access/values';
import type { ComputationAnswer } from '../core/access/compute';
import type { RecordAnswer } from '../core/access/masking';
import type { Predicate, VerifyResult } from '../core/access/predicate';
import type { Agreement } from '../core/agreements/agreement';
import type { AccessMode } from '../core/catalog/resource';
import { decodeProblem } from '../core/problem';
import { localQueryBody } from '../core/access/local-query';

/** Where an application's node is; a function so that a composition can hand it over before nodes start. */
export interface NodeEndpoint {
  url: string;
  localToken: string;
}

export interface ExchangeClientOptions {
  node: NodeEndpoint | (() => NodeEndpoint | undefined);
  /** The hub, for ledger lookups: its URL and the member's API token. */
  hub?: { url: string; token: string } | (() => { url: string; token: string } | undefined);
  /** Per-call timeout; a provider that does not answer in time is a transient failure. */
  timeoutMs?: number;
  /** Subjects per compute/record call; the node refuses more than its own limit (10,000 by default). */
  batchSize?: number;
  /** Calls in flight at once for a batched request. */
  concurrency?: number;
  /** How to reach the node and the hub (default: the global fetch); a city CA's trust comes in here. */
  fetch?: typeof fetch | undefined;
}

/** Who acts and for which case: carried in every signed request and its audit event. */
export interface CallContext {
  agreementId: string;
  officer: string;
  caseId: string;
  /**
   * Ends the call early (e.g. the time a service item waits for the exchange before it keeps an application
   * pending); the client's per-call timeout applies as well.
   */
  signal?: AbortSignal | undefined;
}

/** Problems whose retry may succeed later: the provider or the network, never a refusal. */
const transientCodes = new Set([
  'PROVIDER_UNREACHABLE',
  'RESPONSE_UNVERIFIED',
  'AUDIT_UNAVAILABLE',
  'AGREEMENT_STALE',
  'NETWORK_ERROR',
  'TIMEOUT',
  'NODE_UNAVAILABLE',
  'RATE_LIMITED',
]);

export class ExchangeError extends Error {
  override readonly name = 'ExchangeError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** True when the same call may succeed later (provider down, audit unavailable, network, timeout). */
  get transient(): boolean {
    return transientCodes.has(this.code) || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

/** One answer with the request ID that identifies its exchange (and, once logged, its ledger entry). */
export interface Answered<T> {
  requestId: string;
  result: T;
}

/** An agreement as the application's node holds it (its copy confirmed by the hub). */
export type HeldAgreement = Agreement;

export interface LedgerEntryRef {
  index: number;
  logtime: string;
  requestId?: string | null;
}

export interface BatchedComputation {
  computation: string;
  params: Record<string, number | string>;
  results: { subject: string; values: Record<string, CellValue> }[];
  missing: string[];
  /** Request IDs of the calls that supplied the results, in call order. */
  requestIds: string[];
  /** The request ID that supplied each subject's result (or its "missing"). */
  requestIdOf: Map<string, string>;
}

export class ExchangeClient {
  private readonly timeoutMs: number;
  private readonly batchSize: number;
  private readonly concurrency: number;

  constructor(private readonly options: ExchangeClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.batchSize = options.batchSize ?? 10_000;
    this.concurrency = options.concurrency ?? 2;
  }

  /** 核验: a yes/no/not-found answer about one subject; raw values never leave the provider. */
  async verify(context: CallContext, subject: string, predicate: Predicate): Promise<Answered<VerifyResult>> {
    const answer = await this.query<{ result: { answer: VerifyResult } }>(context, 'verify', { subject, predicate });
    return { requestId: answer.requestId, result: answer.body.result.answer };
  }

  /** Masked records of the agreed items for a few subjects. */
  async record(context: CallContext, subjects: string[], items?: string[]): Promise<Answered<RecordAnswer[]>> {
    const answer = await this.query<{ result: RecordAnswer[] }>(context, 'record', {
      subjects,
      ...(items ? { items } : {}),
    });
    return { requestId: answer.requestId, result: answer.body.result };
  }

  /** A published computation for a batch of subjects, as one call. */
  async compute(
    context: CallContext,
    computation: string,
    params: Record<string, number | string>,
    subjects?: string[],
  ): Promise<Answered<ComputationAnswer>> {
    const answer = await this.query<{ result: ComputationAnswer }>(context, 'compute', {
      computation,
      params,
      ...(subjects ? { subjects } : {}),
    });
    return { requestId: answer.requestId, result: answer.body.result };
  }

  /**
   * A computation over any number of subjects, split into calls of at most `batchSize` subjects run a few
   * at a time: 100,000 enterprises take ten calls, not 100,000. Results keep the input order.
   */
  async computeMany(
    context: CallContext,
    computation: string,
    params: Record<string, number | string>,
    subjects: readonly string[],
  ): Promise<BatchedComputation> {
    const chunks: string[][] = [];
    for (let start = 0; start < subjects.length; start += this.batchSize) {
      chunks.push(subjects.slice(start, start + this.batchSize));
    }
    const answers: Answered<ComputationAnswer>[] = new Array(chunks.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(this.concurrency, chunks.length) }, async () => {
        while (next < chunks.length) {
          const index = next++;
          answers[index] = await this.compute(context, computation, params, chunks[index]!);
        }
      }),
    );
    const merged: BatchedComputation = {
      computation,
      params,
      results: [],
      missing: [],
      requestIds: [],
      requestIdOf: new Map(),
    };
    for (const answer of answers) {
      merged.requestIds.push(answer.requestId);
      for (const result of answer.result.results) {
        merged.results.push(result);
        merged.requestIdOf.set(result.subject, answer.requestId);
      }
      for (const subject of answer.result.missing) {
        merged.missing.push(subject);
        merged.requestIdOf.set(subject, answer.requestId);
      }
    }
    return merged;
  }

  /** The agreements the node holds for this member as consumer (its own fresh copy from the hub). */
  async agreements(signal?: AbortSignal): Promise<HeldAgreement[]> {
    const body = await this.nodeGet<{ items: { agreement: Agreement }[] }>('/local/v1/agreements', signal);
    return body.items.map((item) => item.agreement);
  }

  /**
   * The active agreement that lets this member use `mode` on `resourceCode`; throws NO_AGREEMENT when there
   * is none, which an application reports as "this check is not set up" rather than as a decision.
   */
  async agreementFor(consumerCode: string, resourceCode: string, mode: AccessMode): Promise<HeldAgreement> {
    const found = (await this.agreements()).find(
      (agreement) =>
        agreement.consumerCode === consumerCode &&
        agreement.resourceCode === resourceCode &&
        agreement.status === 'active' &&
        (agreement.granted?.modes ?? []).includes(mode),
    );
    if (!found) {
      throw new ExchangeError(
        409,
        'NO_AGREEMENT',
        `${consumerCode} holds no active ${mode} agreement on ${resourceCode}`,
      );
    }
    return found;
  }

  /** The log entries that recorded the exchange with this request ID (empty until the node has shipped it). */
  async ledgerEntries(requestId: string): Promise<LedgerEntryRef[]> {
    const hub = typeof this.options.hub === 'function' ? this.options.hub() : this.options.hub;
    if (!hub) throw new ExchangeError(503, 'NODE_UNAVAILABLE', 'no hub configured for ledger lookups');
    const url = new URL('/api/v1/ledger/entries', hub.url);
    url.searchParams.set('requestId', requestId);
    const body = await this.send<{ items: LedgerEntryRef[] }>(url, {
      method: 'GET',
      headers: { authorization: `Bearer ${hub.token}`, accept: 'application/json' },
    });
    return body.body.items;
  }

  private endpoint(): NodeEndpoint {
    const node = typeof this.options.node === 'function' ? this.options.node() : this.options.node;
    if (!node) throw new ExchangeError(503, 'NODE_UNAVAILABLE', 'the application has no node to call yet');
    return node;
  }

  private async nodeGet<T>(path: string, signal?: AbortSignal): Promise<T> {
    const node = this.endpoint();
    const answer = await this.send<T>(
      new URL(path, node.url),
      { method: 'GET', headers: { authorization: `Bearer ${node.localToken}`, accept: 'application/json' } },
      signal,
    );
    return answer.body;
  }

  /**
   * One request of any mode as the node answers it (the CLI's `hutong query`); the typed calls above are
   * this with their mode's payload. Refusals throw an ExchangeError with the node's code.
   */
  async query<T = unknown>(
    context: CallContext,
    mode: AccessMode,
    payload: Record<string, unknown>,
  ): Promise<{ requestId: string; body: T }> {
    const node = this.endpoint();
    return this.send<T>(
      new URL('/local/v1/query', node.url),
      {
        method: 'POST',
        headers: { authorization: `Bearer ${node.localToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(
          localQueryBody({
            agreementId: context.agreementId,
            mode,
            officer: context.officer,
            caseId: context.caseId,
            payload,
          }),
        ),
      },
      context.signal,
    );
  }

  private async send<T>(url: URL, init: RequestInit, signal?: AbortSignal): Promise<{ requestId: string; body: T }> {
    let response: Response;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    try {
      response = await (this.options.fetch ?? fetch)(url, {
        ...init,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new ExchangeError(
        timedOut ? 504 : 503,
        timedOut ? 'TIMEOUT' : 'NETWORK_ERROR',
        `${url.origin}: ${(error as Error).message}`,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      const problem = decodeProblem(response.status, text, response.statusText);
      throw new ExchangeError(problem.status, problem.code, problem.detail);
    }
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    return { requestId: response.headers.get('hutong-request-id') ?? '', body: body as T };
  }
}
