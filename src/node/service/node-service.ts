import { type ComputationRegistry, createComputationRegistry } from '../../core/access/compute';
import { type Decision, decide, nodeAgreementOf, type RateState } from '../../core/access/decide';
import { checkCovertFlag, covertSubjectInput } from '../../core/access/covert';
import { AccessError } from '../../core/access/errors';
import { buildMaskingPolicy, type MaskingPolicy } from '../../core/access/masking';
import { matchesTemplate } from '../../core/access/predicate-template';
import type { Agreement } from '../../core/agreements/agreement';
import { PROBLEM_MEDIA_TYPE } from '../../core/problem';
import type { AccessMode, Resource } from '../../core/catalog/resource';
import type { Member, NodeKey } from '../../core/members/member';
import type { Clock } from '../../core/ports/clock';
import type { HubDirectory, NodeData, NodeSigner, SubjectHasher } from '../../core/ports/node-ports';
import type { AuditEvent, CachedAgreement, NodeStore, StoredAuditEvent } from '../../core/ports/node-store';
import { linkRecord } from '../../core/audit/chain';
import type { SignedHead } from '../../core/audit/shipment';
import type { LedgerCrypto } from '../../core/ledger/crypto-port';
import { chinaDate } from '../../core/calendar/working-days';
import { AuditWriter } from './audit-writer';
import { NonceGuard } from './nonce-guard';
import { type Prepared, type PrepareDeps, prepareRequest } from './prepare';
import { AuditShipper } from './shipper';
import { accessAppends } from './access-records';
import { HubView } from './hub-view';
import { type BudgetedQuestion, VerifyQuestionBudget } from './verify-budget';
import { NodeError, type NodeErrorCode, type NodeProblem, nodeProblem } from './node-errors';
import type { Publications } from './publications';

export interface NodeServiceDependencies {
  memberCode: string;
  store: NodeStore;
  /** SHA-256 (record chaining) and Ed25519 verification. */
  crypto: LedgerCrypto;
  /** The node's own key, for seals and its signed head. */
  signer: NodeSigner;
  data: NodeData;
  directory: HubDirectory;
  clock: Clock;
  hasher: SubjectHasher;
  newEventId(): string;
  /** RFC 9530 Content-Digest of a body, recorded in the audit event. */
  digest(bytes: Uint8Array): string;
  publications: Publications;
  /** How long the node trusts the last confirmation of an agreement from the hub. */
  stalenessLimitMs: number;
  /** Most subject keys in one record or compute call. */
  maxBatch: number;
  /**
   * How long committed audit events may wait at the node for the hub's log. Past it the node refuses new
   * requests (AUDIT_UNAVAILABLE) until shipping catches up: queued for the log, but not indefinitely.
   */
  maxUnshippedMs?: number | undefined;
  /** Told of every exchange decision once its audit event is recorded (metrics: counts by mode and outcome). */
  onDecision?: ((mode: string, decision: string) => void) | undefined;
  /**
   * Consumers allowed to flag a request covert (hutong-covert-until), i.e. withheld from the subject's
   * data-usage view until the disclosure date; a flag from anyone else is refused (COVERT_NOT_ALLOWED).
   */
  covertConsumers?: readonly string[] | undefined;
  /** Latest disclosure date a covert flag may ask for, in days from today (default 3 years). */
  maxCovertDays?: number | undefined;
  /**
   * Distinct verify questions one consumer may ask about one subject under one agreement in a (China) day
   * (default 20): bounds probing a person's data by yes/no answers, e.g. guessing a name question by question.
   */
  verifyQuestionsPerDay?: number | undefined;
  /**
   * Distinct values a day about one subject for one agreed question whose parameter moves a threshold (a
   * date to compute an age on, a bound of a comparison), default 3: enough for an application and its
   * retries, too few to search out a registered date by halving.
   */
  verifyThresholdValuesPerDay?: number | undefined;
}

/** A peer request after its signature verified: who asks, under which agreement, for what. */
export interface PeerCall {
  caller: string;
  mode: AccessMode;
  agreementId: string;
  purpose: string;
  officer: string;
  caseId: string;
  requestId: string;
  requestDigest: string;
  /** The verified signing key and the signature's nonce, recorded with the event. */
  signerKey: string;
  nonce: string;
  /** The signed hutong-covert-until header, when sent. */
  covertUntil?: string | null | undefined;
  payload: unknown;
}

export interface PeerAnswer {
  status: number;
  contentType: string;
  body: Buffer;
  /** The decision's audit events: one, or one per part of a decision about many subjects. */
  audit: StoredAuditEvent[];
  /** For a throttled caller: when trying again may succeed. */
  retryAfterMs?: number | undefined;
}

const modes: readonly AccessMode[] = ['verify', 'record', 'aggregate', 'compute'];

export class NodeService {
  private readonly hub: HubView;
  private readonly rates = new Map<string, RateState>();
  private readonly maskingPolicies = new Map<string, MaskingPolicy>();
  private readonly computations: ComputationRegistry;
  private readonly audit: AuditWriter;
  private readonly nonces = new NonceGuard();
  private readonly verifyBudget: VerifyQuestionBudget;
  /** Ships the access records to the hub's log, and knows how long the oldest has waited. */
  private readonly shipper: AuditShipper;
  private readonly prepareDeps: PrepareDeps;

  constructor(private readonly deps: NodeServiceDependencies) {
    this.computations = createComputationRegistry(deps.publications.computations);
    this.hub = new HubView(deps.memberCode, deps);
    this.audit = new AuditWriter(deps.store, (draft, seq, prev) => linkRecord(deps.crypto, draft, seq, prev));
    this.shipper = new AuditShipper(deps.memberCode, deps);
    this.prepareDeps = {
      data: deps.data,
      publications: deps.publications,
      computations: this.computations,
      maxBatch: deps.maxBatch,
      maskingPolicy: (resource) => this.maskingPolicy(resource),
    };
    this.verifyBudget = new VerifyQuestionBudget({
      perDay: deps.verifyQuestionsPerDay ?? 20,
      perThreshold: deps.verifyThresholdValuesPerDay ?? 3,
    });
  }

  get memberCode(): string {
    return this.deps.memberCode;
  }

  // ---- the hub's view, kept fresh (hub-view.ts) ------------------------------------------------

  /** Pulls the agreements, members and catalog from the hub; the agreements count as confirmed now. */
  async sync(): Promise<{ agreements: number }> {
    const synced = await this.hub.sync();
    this.maskingPolicies.clear();
    return synced;
  }

  refreshAgreement(id: string): Promise<Agreement | undefined> {
    return this.hub.refreshAgreement(id);
  }

  publicKey(memberCode: string, keyId: string): Promise<NodeKey | undefined> {
    return this.hub.publicKey(memberCode, keyId);
  }

  member(code: string): Member | undefined {
    return this.hub.member(code);
  }

  /** A member's node address, read again at the hub if it had none at the last sync. */
  nodeUrl(code: string): Promise<string | undefined> {
    return this.hub.nodeUrl(code);
  }

  cachedAgreement(id: string): Promise<CachedAgreement | undefined> {
    return this.hub.cachedAgreement(id);
  }

  listComputations() {
    return this.computations.list();
  }

  /** Data reads so far: the evidence that refused requests never touch the data. */
  dataReads(): number {
    return this.deps.data.reads();
  }

  // ---- serving peers ---------------------------------------------------------------------------

  /** Rebuilds the replay guard from the audit events of the last signature window (after a restart). */
  async restoreNonces(windowSeconds: number): Promise<number> {
    const now = this.deps.clock.now().getTime();
    const recent = await this.deps.store.noncesSince(new Date(now - 2 * windowSeconds * 1000).toISOString());
    for (const entry of recent) {
      this.nonces.claim(entry.signerKey, entry.nonce, Date.parse(entry.at) + 2 * windowSeconds * 1000, now);
    }
    return recent.length;
  }

  /** Rebuilds today's verify-question budgets from the store (after a restart). */
  async restoreVerifyQuestions(): Promise<number> {
    const today = chinaDate(this.deps.clock.now());
    // From the store alone, as after a restart: what is in memory now is forgotten first.
    return this.verifyBudget.restore(today, await this.deps.store.verifyQuestionsOn(today));
  }

  /** Claims a signature nonce; false for a replay. Synchronous, so two copies in flight cannot both pass. */
  claimNonce(signerKey: string, nonce: string, expiresAt: Date): boolean {
    return this.nonces.claim(signerKey, nonce, expiresAt.getTime(), this.deps.clock.now().getTime());
  }

  /** Records a refusal decided before the service saw the request (bad signature, replay, bad body). */
  async refuseUnverified(
    input: {
      claimedCaller: string;
      agreementId: string | null;
      requestId: string | null;
      requestDigest: string | null;
      mode: AccessMode | null;
      signerKey?: string | null;
      nonce?: string | null;
    },
    code: NodeErrorCode,
    detail: string,
  ): Promise<PeerAnswer> {
    return this.answer(
      nodeProblem(code, detail),
      {
        consumerCode: input.claimedCaller,
        resourceCode: null,
        agreementId: input.agreementId,
        mode: input.mode,
        items: [],
        purpose: null,
        officer: null,
        caseId: null,
        requestId: input.requestId,
        requestDigest: input.requestDigest,
        subjectHashes: [],
        signerKey: input.signerKey ?? null,
        nonce: input.nonce ?? null,
      },
      'denied',
    );
  }

  async serve(call: PeerCall): Promise<PeerAnswer> {
    const cached = await this.cachedAgreement(call.agreementId);
    const agreement = cached?.agreement;
    const base = {
      consumerCode: call.caller,
      resourceCode: agreement?.resourceCode ?? null,
      agreementId: call.agreementId,
      mode: call.mode,
      items: [] as string[],
      purpose: call.purpose,
      officer: call.officer,
      caseId: call.caseId,
      requestId: call.requestId,
      requestDigest: call.requestDigest,
      subjectHashes: [] as string[],
      signerKey: call.signerKey,
      nonce: call.nonce,
      covertUntil: call.covertUntil ?? null,
    };
    const refuse = (
      code: NodeErrorCode,
      detail: string,
      extra: Parameters<typeof nodeProblem>[2] = {},
      items: string[] = [],
    ) => this.answer(nodeProblem(code, detail, extra), { ...base, items }, 'denied');

    if (!modes.includes(call.mode)) return refuse('BAD_REQUEST', `unknown mode ${String(call.mode)}`);
    const now = this.deps.clock.now();
    if (call.covertUntil !== undefined && call.covertUntil !== null) {
      const refusal = checkCovertFlag({
        caller: call.caller,
        until: call.covertUntil,
        today: chinaDate(now),
        allowed: this.deps.covertConsumers ?? [],
        maxDays: this.deps.maxCovertDays ?? 3 * 366,
      });
      if (refusal) return refuse(refusal.code, refusal.detail);
    }
    const backlogMs = this.shipper.unshippedSince === undefined ? 0 : now.getTime() - this.shipper.unshippedSince;
    if (backlogMs > (this.deps.maxUnshippedMs ?? 10 * 60_000)) {
      return refuse(
        'AUDIT_UNAVAILABLE',
        `audit events have waited ${Math.round(backlogMs / 1000)} s for the hub's log`,
      );
    }
    const decisionInput = (items: readonly string[], cost: number) => ({
      agreement: agreement ? nodeAgreementOf(agreement) : undefined,
      confirmedAt: new Date(cached?.confirmedAt ?? 0),
      stalenessLimitMs: this.deps.stalenessLimitMs,
      now,
      nodeMember: this.memberCode,
      caller: call.caller,
      resourceCode: agreement?.resourceCode ?? '',
      mode: call.mode,
      items,
      rate: this.rates.get(call.agreementId),
      cost,
    });
    // First the agreement itself (known, ours, theirs, live, fresh, mode), spending no quota.
    const gate = decide(decisionInput([], 0));
    if (!gate.allow) return refuse(gate.code, gate.detail, { retryAfterMs: gate.retryAfterMs ?? 0 }, gate.items ?? []);
    if (call.purpose !== agreement!.purpose) {
      return refuse(
        'PURPOSE_MISMATCH',
        `the request's purpose is not the agreement's purpose ("${agreement!.purpose}")`,
      );
    }
    const resource = this.hub.resource(agreement!.resourceCode);
    if (!resource) return refuse('AGREEMENT_STALE', `catalog entry ${agreement!.resourceCode} not synchronised yet`);

    let prepared: Prepared;
    try {
      prepared = prepareRequest(this.prepareDeps, call, resource, gate.terms.items, now);
    } catch (error) {
      if (error instanceof AccessError) {
        return refuse(error.code, error.message, { errors: error.issues }, error.facts.items ?? []);
      }
      if (error instanceof NodeError) return refuse(error.code, error.message);
      throw error;
    }
    // A verify question must be one the agreement names, and a subject's daily budget of distinct questions
    // must not be spent (checked and claimed below with no await in between: concurrent copies cannot both pass).
    // A verify question must be one the agreement names, within the subject's daily budget (verify-budget.ts).
    let question: { asked: BudgetedQuestion; key: string | undefined } | undefined;
    if (call.mode === 'verify') {
      const predicate = (call.payload as { predicate?: unknown }).predicate;
      const templates = gate.terms.predicates ?? [];
      const templateIndex = templates.findIndex((template) => matchesTemplate(predicate, template));
      if (templateIndex < 0) {
        return refuse(
          'PREDICATE_NOT_AGREED',
          `agreement ${call.agreementId} does not allow this question`,
          {},
          prepared.items,
        );
      }
      const asked: BudgetedQuestion = {
        day: chinaDate(now),
        agreementId: call.agreementId,
        subjectHash: this.deps.hasher.hash(prepared.subjects[0]!),
        templateIndex,
        template: templates[templateIndex]!,
        // The body's own serialisation, not a canonical one: the same question written with its keys in
        // another order only spends more of the asker's budget, and this is on every verify's path.
        questionHash: this.deps.hasher.keyed('verify-question', JSON.stringify(predicate)),
      };
      const claimed = this.verifyBudget.claim(asked);
      if ('refused' in claimed) {
        const tomorrow = Date.parse(`${asked.day}T00:00:00+08:00`) + 86_400_000;
        return refuse(
          'VERIFY_BUDGET_EXHAUSTED',
          claimed.refused,
          { retryAfterMs: Math.max(1000, tomorrow - now.getTime()) },
          prepared.items,
        );
      }
      question = { asked, key: claimed.stored };
    }
    // Then the exact items this request reads, spending one unit of the agreement's rate.
    const decision: Decision = decide(decisionInput(prepared.items, 1));
    if (!decision.allow) {
      if (question?.key) this.verifyBudget.release(question.asked, question.key);
      return refuse(
        decision.code,
        decision.detail,
        { retryAfterMs: decision.retryAfterMs ?? 0 },
        decision.items ?? prepared.items,
      );
    }
    this.rates.set(call.agreementId, decision.rate);
    if (question?.key) {
      // Durable before the answer, so a restart does not hand out a fresh budget.
      await this.deps.store.recordVerifyQuestion({
        day: question.asked.day,
        agreementId: call.agreementId,
        subjectHash: question.asked.subjectHash,
        questionHash: question.key,
      });
    }
    let result: unknown;
    try {
      result = await prepared.run();
    } catch (error) {
      if (error instanceof AccessError) {
        return refuse(error.code, error.message, { errors: error.issues }, prepared.items);
      }
      throw error;
    }
    // A covert access names its subjects by a hash unlinkable to their other entries (core/access/covert.ts).
    const covertUntil = call.covertUntil ?? null;
    const subjects = prepared.subjectsOf ? prepared.subjectsOf(result) : prepared.subjects;
    const subjectHashes =
      question && covertUntil === null && subjects.length === 1 && subjects[0] === prepared.subjects[0]
        ? [question.asked.subjectHash]
        : subjects.map((subject) =>
            this.deps.hasher.hash(covertUntil === null ? subject : covertSubjectInput(subject, covertUntil)),
          );
    return this.answer(
      { agreementId: call.agreementId, resource: resource.code, mode: call.mode, requestId: call.requestId, result },
      { ...base, resourceCode: resource.code, items: prepared.items, subjectHashes },
      'served',
    );
  }

  private maskingPolicy(resource: Resource): MaskingPolicy {
    let policy = this.maskingPolicies.get(resource.code);
    if (!policy) {
      policy = buildMaskingPolicy(resource.items, this.deps.publications.resources[resource.code]?.masking ?? {});
      this.maskingPolicies.set(resource.code, policy);
    }
    return policy;
  }

  /**
   * Serialises the answer, stores its audit event durably — linked into the node's chain with its public
   * record — and only then hands the bytes back. A decision about more subjects than a record holds is
   * several consecutive events (part i of n).
   */
  private async answer(
    body: NodeProblem | Record<string, unknown>,
    event: Omit<AuditEvent, 'eventId' | 'at' | 'decision' | 'code' | 'providerCode' | 'responseDigest'>,
    decision: AuditEvent['decision'],
  ): Promise<PeerAnswer> {
    const isProblem = decision === 'denied';
    const bytes = Buffer.from(JSON.stringify(body));
    const status = isProblem ? (body as NodeProblem).status : 200;
    const at = this.deps.clock.now().toISOString();
    const code = isProblem ? (body as NodeProblem).code : null;
    const responseDigest = this.deps.digest(bytes);
    const appends = accessAppends({
      node: this.memberCode,
      event,
      decision,
      code,
      at,
      responseDigest,
      hasher: this.deps.hasher,
      newEventId: () => this.deps.newEventId(),
    });
    try {
      const audit = await this.audit.record(appends);
      this.shipper.unshippedSince ??= Date.parse(at);
      this.deps.onDecision?.(String((event as { mode?: unknown }).mode ?? 'unknown'), decision);
      const retryAfterMs = isProblem ? (body as NodeProblem).retryAfterMs : undefined;
      return {
        status,
        contentType: isProblem ? PROBLEM_MEDIA_TYPE : 'application/json',
        body: bytes,
        audit,
        ...(retryAfterMs ? { retryAfterMs } : {}),
      };
    } catch (error) {
      // No audit, no data: the prepared answer is dropped and the caller learns why.
      throw new NodeError('AUDIT_UNAVAILABLE', `audit event could not be stored: ${(error as Error).message}`);
    }
  }

  /** What the department's data officer sees of the node: what it serves, under which agreements, how busy. */
  async overview(keyId: string) {
    const [lastSync, agreements, audited, served, denied] = await Promise.all([
      this.deps.store.lastSync(),
      this.hub.agreements(),
      this.deps.store.countAudit(),
      this.deps.store.countAudit('served'),
      this.deps.store.countAudit('denied'),
    ]);
    const own = this.hub.resources().filter((resource) => resource.providerCode === this.memberCode);
    return {
      member: this.memberCode,
      keyId,
      lastSync: lastSync ?? null,
      stats: { dataReads: this.dataReads(), audited, served, denied },
      resources: own.map((resource) => {
        const publication = this.deps.publications.resources[resource.code];
        return {
          code: resource.code,
          name: resource.name,
          sharingType: resource.sharingType,
          accessModes: resource.accessModes,
          masking: publication?.masking ?? {},
          aggregateDimensions: [...(publication?.aggregate?.dimensions ?? [])],
        };
      }),
      computations: this.computations.list(),
      agreements: [...agreements.values()].sort((a, b) => b.agreement.appliedAt.localeCompare(a.agreement.appliedAt)),
    };
  }

  /** The chain's head, signed: anyone can check that the hub's log holds it (GET /audit/v1/head). */
  signedHead(): Promise<SignedHead | undefined> {
    return this.shipper.signedHead();
  }

  /** Ships the records the hub's log does not hold yet (shipper.ts). */
  /** The audit queue: records committed here and not yet in the hub's log, and how long the oldest waits. */
  async auditQueue(): Promise<{ depth: number; oldestAgeMs: number }> {
    const since = this.shipper.unshippedSince;
    if (since === undefined) return { depth: 0, oldestAgeMs: 0 };
    const head = await this.deps.store.auditHead();
    return {
      depth: Math.max(0, (head?.seq ?? 0) - (this.shipper.shippedSeq ?? 0)),
      oldestAgeMs: Math.max(0, this.deps.clock.now().getTime() - since),
    };
  }

  shipAudit(pageSize = 64): Promise<{ shipped: number; lastSeq: number }> {
    return this.shipper.ship(pageSize);
  }

  /** How shipping to the hub's log has gone since the node started. */
  shippingStats(): { failures: number; lastError: string | null; lastErrorAt: string | null } {
    return this.shipper.stats();
  }

  async recentRequests(limit: number, decision?: AuditEvent['decision']): Promise<StoredAuditEvent[]> {
    return this.deps.store.recentAudit(limit, decision ? { decision } : {});
  }

  async close(): Promise<void> {
    await this.audit.drain();
  }
}
