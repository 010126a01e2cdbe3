/**
 * How 一网通办 asks other departments: every question is a request through the 政务服务办's own node under
 * one of its agreements (chosen by resource, mode, purpose and the items the question reads), carrying the
 * case (办件号) and the officer, so each appears in the provider's audit trail and in the city's ledger.
 */
import type { BatchedComputation, CallContext, ExchangeClient, HeldAgreement } from '../../../client/exchange-client';
import { ExchangeError } from '../../../client/exchange-client';
import type { CellValue } from '../../../core/access/values';
import { itemsReferenced, type Predicate } from '../../../core/access/predicate';
import { matchesTemplate } from '../../../core/access/predicate-template';
import type { AccessMode } from '../../../core/catalog/resource';
import type { FactPort, PortAnswer } from './engine';

export interface CaseContext {
  caseId: string;
  officer: string;
  /** Aborts every call of the session: how long the item waits for the exchange before it stays pending. */
  signal?: AbortSignal | undefined;
}

/** One evaluation's access to the exchange: agreements read once, then every call under the right one. */
export class ExchangeSession {
  private held: Promise<HeldAgreement[]> | undefined;

  constructor(
    private readonly client: ExchangeClient,
    private readonly consumer: string,
    private readonly purpose: string,
    private readonly context: CaseContext,
  ) {}

  private async agreementFor(
    resource: string,
    mode: AccessMode,
    items: readonly string[],
    question?: Predicate,
  ): Promise<HeldAgreement> {
    this.held ??= this.client.agreements(this.context.signal);
    let agreements: HeldAgreement[];
    try {
      agreements = await this.held;
    } catch (error) {
      this.held = undefined;
      throw error;
    }
    const candidates = agreements.filter(
      (agreement) =>
        agreement.consumerCode === this.consumer &&
        agreement.resourceCode === resource &&
        agreement.status === 'active' &&
        agreement.purpose.startsWith(this.purpose) &&
        (agreement.granted?.modes ?? []).includes(mode),
    );
    // A verify question goes under the agreement that names it: the provider's node answers no other.
    const fits = (agreement: HeldAgreement) =>
      items.every((item) => agreement.granted?.items.includes(item)) &&
      (question === undefined || (agreement.granted?.predicates ?? []).some((t) => matchesTemplate(question, t)));
    const found = candidates.find(fits) ?? candidates[0];
    if (!found) {
      throw new ExchangeError(
        409,
        'NO_AGREEMENT',
        `${this.consumer} holds no active ${mode} agreement on ${resource} for “${this.purpose}”`,
      );
    }
    return found;
  }

  private async call(
    resource: string,
    mode: AccessMode,
    items: readonly string[],
    question?: Predicate,
  ): Promise<CallContext> {
    const agreement = await this.agreementFor(resource, mode, items, question);
    return {
      agreementId: agreement.id,
      officer: this.context.officer,
      caseId: this.context.caseId,
      signal: this.context.signal,
    };
  }

  async verify(subject: string, resource: string, predicate: Predicate): Promise<PortAnswer> {
    const context = await this.call(resource, 'verify', itemsReferenced(predicate), predicate);
    const { requestId, result } = await this.client.verify(context, subject, predicate);
    return { answer: result, requestId };
  }

  async compute(
    resource: string,
    computation: string,
    params: Record<string, string | number>,
    subjects: readonly string[],
  ): Promise<BatchedComputation> {
    const context = await this.call(resource, 'compute', []);
    return this.client.computeMany(context, computation, params, subjects);
  }

  /** A roster computation over the provider's whole register (no subjects named). */
  async roster(
    resource: string,
    computation: string,
    params: Record<string, string | number>,
  ): Promise<{ requestId: string; results: { subject: string; values: Record<string, CellValue> }[] }> {
    const context = await this.call(resource, 'compute', []);
    const { requestId, result } = await this.client.compute(context, computation, params);
    return { requestId, results: result.results };
  }

  /** The engine's port for one applicant. */
  portFor(subject: string, issued: (item: string) => Promise<boolean>): FactPort {
    return {
      verify: (resource, predicate) => this.verify(subject, resource, predicate),
      computeFlag: async (resource, computation, params, output) => {
        const batch = await this.compute(resource, computation, params, [subject]);
        const result = batch.results.find((row) => row.subject === subject);
        return {
          answer: result ? result.values[output] === true : 'not_found',
          requestId: batch.requestIds[0],
        };
      },
      issued,
    };
  }
}

export class ExchangeFacts {
  constructor(
    private readonly client: ExchangeClient,
    /** The member this application runs as (政务服务办). */
    readonly consumer: string,
  ) {}

  session(purpose: string, context: CaseContext): ExchangeSession {
    return new ExchangeSession(this.client, this.consumer, purpose, context);
  }
}
