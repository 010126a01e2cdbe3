/**
 * The 一网通办 application service: previews an item's checks, takes applications (办件) and decides them at
 * once through the exchange, keeps an application "pending verification" (待核验) when a department cannot
 * be reached and retries it with backoff, issues signed certificates exactly once per person, runs the
 * 免申即享 sweep, and counts what the counter saved. No ID number or name is ever logged.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { ExchangeError } from '../../../client/exchange-client';
import type { Principal, SubjectCaller } from '../../../core/auth/principal';
import { validateIdNumber } from '../../../core/ids/id-number';
import type { Clock } from '../../../core/ports/clock';
import { chinaDate } from '../../../core/calendar/working-days';
import { type CertificateIssuer, type IssuerPublicKey, type VerifyOutcome, verifyCertificate } from './certificates';
import { addMonths } from '../../../core/calendar/dates';
import { isIsoDate } from '../../../core/access/values';
import { factsIn, type ItemDefinition } from './definition';
import { type Applicant, type AskedFact, type Evaluation, evaluateItem, type Reason, reasonOf } from './engine';
import { ServiceError } from './errors';
import { itemPreview, type PreviewView } from './item-views';
import { listSweeps, runSweep, type SweepResult, type SweepRunView } from './sweep';
import { type ApplicationView, applicationView, maskIdNumber, maskName, staffApplicationView } from './views';
import type { ExchangeFacts } from './exchange-facts';
import type { ItemCatalog } from './loader';
import type { ApplicationFilter, ApplicationRow, Channel, Metrics, ServicesStore } from '../store/store';
import type { AppLogger } from '../../../core/ports/app-logger';

const COUNTER_STAFF_ONLY = '仅限政务服务窗口人员 / Counter staff only';
const STAFF_AND_OVERSIGHT_ONLY = '仅限窗口人员、运营和审计人员 / Counter staff, operators and auditors only';

export type ServicesLogger = AppLogger;

export interface RetryPolicy {
  /** First retry after this long; doubled after every failed attempt … */
  baseMs: number;
  /** … up to this. */
  maxMs: number;
  /** How often the background worker looks for due applications. */
  intervalMs: number;
}

export interface ServicesAppOptions {
  items: ItemCatalog;
  store: ServicesStore;
  /**
   * For applications: each attempt waits for the exchange at most the item's `waitBeforePendingSeconds`; an
   * unreachable provider fails at once, so it turns into "pending" quickly.
   */
  exchange: ExchangeFacts;
  /** For sweeps over the whole population: long timeouts. */
  batchExchange: ExchangeFacts;
  clock: Clock;
  issuer: CertificateIssuer;
  /** Key of the HMAC that stands for an applicant's ID number in this application's records. */
  subjectKey: Uint8Array;
  logger: ServicesLogger;
  retry?: Partial<RetryPolicy>;
  /** The member whose console users are counter staff (政务服务办). */
  counterMember: string;
  /**
   * Who may fix the date the rules use (`asOf`): counter staff only, or anyone (the demo, for tests).
   */
  asOfAllowed: 'staff' | 'anyone';
}

export interface ApplyInput {
  item: string;
  idNumber: string;
  name: string;
  consent: boolean;
  asOf?: string | undefined;
  idempotencyKey?: string | undefined;
}

/** The counter's figures, with the latest sweep per item and the items' names. */
export interface MetricsView extends Metrics {
  benefitsWithoutApplication: { item: string; month: string; eligible: number }[];
  items: { id: string; name: string; nameEn: string | null }[];
}

const defaultRetry: RetryPolicy = { baseMs: 5_000, maxMs: 300_000, intervalMs: 2_000 };

const idProblems: Record<string, string> = {
  BAD_LENGTH: '应为18位',
  BAD_FORMAT: '前17位应为数字，末位为数字或X',
  BAD_DATE: '号码中的出生日期不存在',
  FUTURE_DATE: '号码中的出生日期晚于办理日期',
  BAD_CHECKSUM: '校验码不正确',
};

const NAME = /^[\p{Script=Han}A-Za-z][\p{Script=Han}A-Za-z·•. ]{0,31}$/u;

export class ServicesApp {
  private readonly retry: RetryPolicy;
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: ServicesAppOptions) {
    this.retry = { ...defaultRetry, ...options.retry };
  }

  get items(): ItemCatalog {
    return this.options.items;
  }

  issuerKeys(): IssuerPublicKey[] {
    return this.options.issuer.publicKeys();
  }

  /** Checks a certificate payload against this city's issuing offices' keys, in their algorithm. */
  verifyCertificate(payload: string): VerifyOutcome {
    return verifyCertificate(payload, this.issuerKeys(), this.options.issuer.schemes);
  }

  isStaff(principal: Principal | undefined): boolean {
    return principal?.memberCode === this.options.counterMember;
  }

  /** Counter staff, or the city's operator and auditor, may read the counter's records. */
  canRead(principal: Principal | undefined): boolean {
    return this.isStaff(principal) || principal?.memberRole === 'operator' || principal?.memberRole === 'auditor';
  }

  requireStaff(principal: Principal | undefined): Principal {
    if (!principal) throw new ServiceError('UNAUTHENTICATED');
    if (!this.isStaff(principal)) throw new ServiceError('FORBIDDEN_ROLE', COUNTER_STAFF_ONLY);
    return principal;
  }

  private now(): string {
    return this.options.clock.now().toISOString();
  }

  private subjectHash(idNumber: string): string {
    return createHmac('sha256', this.options.subjectKey).update(idNumber).digest('hex');
  }

  /** What will be checked, with which department, before the applicant consents (OOTS-style preview). */
  /** What will be checked before the applicant consents (item-views.ts). */
  preview(itemId: string): PreviewView {
    return itemPreview(this.options.items.get(itemId));
  }

  /**
   * Submits an application and decides it at once when every department answers. Only the counter (政务服务办's
   * staff and systems) and the resident for their own ID number may apply: anyone else — anonymous, or another
   * department's staff — would learn from the answer whether someone exists, lives here, has died.
   */
  async apply(
    input: ApplyInput,
    caller: Principal | undefined,
    resident?: SubjectCaller | undefined,
  ): Promise<{ created: boolean; view: ApplicationView }> {
    if (!caller && !resident) throw new ServiceError('RESIDENT_LOGIN_REQUIRED');
    if (caller && !this.isStaff(caller)) throw new ServiceError('FORBIDDEN_ROLE', COUNTER_STAFF_ONLY);
    const def = this.options.items.get(input.item);
    const idNumber = input.idNumber.trim().toUpperCase();
    if (!caller && (resident!.kind !== 'citizen' || !resident!.owns(idNumber))) {
      throw new ServiceError('NOT_OWN_ID_NUMBER');
    }
    const name = input.name.trim();
    const today = chinaDate(this.options.clock.now());
    if (input.asOf !== undefined) {
      if (!isIsoDate(input.asOf)) {
        throw new ServiceError('VALIDATION_FAILED', 'asOf must be a real date YYYY-MM-DD', [
          { path: 'asOf', message: 'YYYY-MM-DD' },
        ]);
      }
      if (this.options.asOfAllowed === 'staff' && !this.isStaff(caller)) {
        throw new ServiceError('FORBIDDEN_ROLE', COUNTER_STAFF_ONLY);
      }
    }
    const asOf = input.asOf ?? today;
    const parsed = validateIdNumber(idNumber, asOf);
    if (!parsed.ok) {
      throw new ServiceError('INVALID_ID_NUMBER', `公民身份号码不正确：${idProblems[parsed.code]} / ${parsed.reason}`, [
        { path: 'idNumber', message: parsed.code },
      ]);
    }
    if (!NAME.test(name)) {
      throw new ServiceError('INVALID_NAME', '姓名须为 1–32 个汉字或字母', [{ path: 'name', message: 'invalid name' }]);
    }
    if (input.consent !== true) throw new ServiceError('CONSENT_REQUIRED');
    const subjectHash = this.subjectHash(idNumber);
    // IETF Idempotency-Key: a key answers again only the same caller's same request, never someone else's.
    const idempotencyKey = input.idempotencyKey ? `${def.id}:${input.idempotencyKey}` : null;
    const fingerprint = createHmac('sha256', this.options.subjectKey)
      .update(
        JSON.stringify([
          caller ? `member:${caller.memberCode}:${caller.username ?? ''}` : `resident:${subjectHash}`,
          def.id,
          idNumber,
          name,
          input.asOf ?? null,
        ]),
      )
      .digest('base64url');
    const replay = async (existing: ApplicationRow) => {
      if (existing.idempotency_fingerprint !== fingerprint) throw new ServiceError('IDEMPOTENCY_KEY_REUSED');
      return { created: false, view: await applicationView(this.options.store, existing, def, true) };
    };
    if (idempotencyKey) {
      const existing = await this.options.store.findByIdempotencyKey(idempotencyKey);
      if (existing) return replay(existing);
    }
    const pending = await this.options.store.findPending(def.id, subjectHash);
    if (pending) return { created: false, view: await applicationView(this.options.store, pending, def, true) };

    const receipt = randomBytes(18).toString('base64url');
    const id = `BJ-${today.replaceAll('-', '')}-${randomBytes(5).toString('hex').toUpperCase().slice(0, 8)}`;
    const channel: Channel = !caller ? 'self_service' : this.isStaff(caller) ? 'counter' : 'api';
    try {
      await this.options.store.insertApplication({
        id,
        itemId: def.id,
        subjectHash,
        idMasked: maskIdNumber(idNumber),
        nameMasked: maskName(name),
        idNumber,
        name,
        asOf,
        channel,
        officer: caller?.username ?? (caller ? caller.memberCode : null),
        submittedAt: this.now(),
        // The instant attempt holds the application for as long as it may wait (plus a margin); only an
        // attempt that never finished (a crash) is left to the background retry.
        firstRetryAt: new Date(
          this.options.clock.now().getTime() + (def.waitBeforePendingSeconds + 10) * 1000,
        ).toISOString(),
        idempotencyKey,
        idempotencyFingerprint: idempotencyKey ? fingerprint : null,
        receiptHash: createHash('sha256').update(receipt).digest('hex'),
      });
    } catch (error) {
      // The same idempotency key raced in twice: answer with the application that won, if it is this one.
      const existing = idempotencyKey ? await this.options.store.findByIdempotencyKey(idempotencyKey) : undefined;
      if (existing) return replay(existing);
      throw error;
    }
    this.options.logger.info({ application: id, item: def.id, channel }, 'application received');
    const row = await this.attempt(id, true, caller?.username ?? 'self-service');
    return { created: true, view: { ...(await applicationView(this.options.store, row, def, true)), receipt } };
  }

  /**
   * One evaluation of a pending application. Any exchange failure leaves it pending with the next attempt
   * scheduled (backoff); success decides it, issuing the certificate in the same transaction.
   */
  private async attempt(id: string, instant: boolean, officer: string): Promise<ApplicationRow> {
    const row = await this.options.store.getApplication(id);
    if (!row) throw new ServiceError('APPLICATION_NOT_FOUND');
    if (row.status !== 'pending_verification' || row.id_number === null || row.name === null) return row;
    const def = this.options.items.get(row.item_id);
    const parsed = validateIdNumber(row.id_number);
    if (!parsed.ok) throw new ServiceError('INTERNAL', 'a stored ID number no longer validates');
    const applicant: Applicant = {
      idNumber: row.id_number,
      name: row.name,
      birthDate: parsed.birthDate,
      gender: parsed.gender,
    };
    // The item says how long a person at the counter waits for the departments before the application is
    // kept pending (and retried in the background): a busy provider is waited for, a dead one is not.
    const session = this.options.exchange.session(def.purpose, {
      caseId: row.id,
      officer: officer.slice(0, 64),
      signal: AbortSignal.timeout(def.waitBeforePendingSeconds * 1000),
    });
    let evaluation: Evaluation;
    try {
      evaluation = await evaluateItem(
        def,
        applicant,
        row.as_of,
        session.portFor(applicant.idNumber, (item) =>
          this.options.store.hasValidHolding(item, row.subject_hash, row.as_of),
        ),
      );
    } catch (error) {
      const code = error instanceof ExchangeError ? error.code : 'CHECK_FAILED';
      if (!(error instanceof ExchangeError)) {
        this.options.logger.error({ application: id, err: (error as Error).message }, 'check failed unexpectedly');
      }
      const attempts = row.attempts + 1;
      const delay = Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** (attempts - 1));
      const next = new Date(this.options.clock.now().getTime() + delay).toISOString();
      await this.options.store.recordFailedAttempt(id, code.slice(0, 64), next);
      this.options.logger.warn(
        { application: id, item: def.id, code, attempts, nextAttemptAt: next },
        'application kept pending verification',
      );
      return (await this.options.store.getApplication(id))!;
    }
    await this.decide(row, def, applicant, evaluation, instant);
    return (await this.options.store.getApplication(id))!;
  }

  private async decide(
    row: ApplicationRow,
    def: ItemDefinition,
    applicant: Applicant,
    evaluation: Evaluation,
    instant: boolean,
  ): Promise<void> {
    const decision = {
      decidedAt: this.now(),
      instant,
      benefitJson: evaluation.benefit ? JSON.stringify(evaluation.benefit) : null,
      askedJson: JSON.stringify(evaluation.asked satisfies AskedFact[]),
      documentsSaved: def.before.documents.length,
      tripsSaved: def.before.trips,
    };
    if (evaluation.decision === 'approved' && def.certificate) {
      const template = def.certificate;
      const issuedOn = chinaDate(this.options.clock.now());
      const validUntil = template.validYears ? addMonths(issuedOn, template.validYears * 12) : null;
      const tier = template.showTier ? (evaluation.benefit?.tier.name ?? null) : null;
      const outcome = await this.options.store.decide(
        row.id,
        { ...decision, status: 'approved', reasonsJson: '[]' },
        {
          itemId: def.id,
          subjectHash: row.subject_hash,
          numberPrefix: template.numberPrefix,
          issuedOn,
          validUntil,
          sign: (number) =>
            this.options.issuer.sign({
              itemId: def.id,
              number,
              holderName: applicant.name,
              birthDate: applicant.birthDate,
              issueDate: issuedOn,
              validUntil,
              tier,
              issuerCode: def.issuer.code,
              issuerName: def.issuer.name,
            }),
        },
      );
      if (outcome.outcome === 'held') {
        // Another application of the same person won the race: this one must not issue a second card.
        await this.options.store.decide(row.id, {
          ...decision,
          status: 'rejected',
          reasonsJson: JSON.stringify([alreadyHeldReason(def)]),
        });
      }
    } else {
      await this.options.store.decide(row.id, {
        ...decision,
        status: evaluation.decision,
        reasonsJson: JSON.stringify(evaluation.reasons),
      });
    }
    this.options.logger.info(
      {
        application: row.id,
        item: def.id,
        decision: evaluation.decision,
        reasons: evaluation.reasons.map((reason) => reason.code),
        instant,
      },
      'application decided',
    );
  }

  /** The applicant's view (with the receipt) or counter staff's. */
  async get(id: string, access: { receipt?: string | undefined; principal?: Principal | undefined }) {
    const row = await this.options.store.getApplication(id);
    if (!row) throw new ServiceError('APPLICATION_NOT_FOUND');
    const def = this.options.items.get(row.item_id);
    if (this.canRead(access.principal)) return staffApplicationView(this.options.store, row, def, true);
    const given = access.receipt ? createHash('sha256').update(access.receipt).digest('hex') : '';
    if (given !== row.receipt_hash) throw new ServiceError('RECEIPT_REQUIRED');
    return applicationView(this.options.store, row, def, true);
  }

  async list(
    principal: Principal | undefined,
    filter: ApplicationFilter & { idNumber?: string | undefined },
    page: { page: number; pageSize: number },
  ) {
    if (!principal) throw new ServiceError('UNAUTHENTICATED');
    if (!this.canRead(principal)) throw new ServiceError('FORBIDDEN_ROLE', STAFF_AND_OVERSIGHT_ONLY);
    const { idNumber, ...rest } = filter;
    const subjectHash = idNumber ? this.subjectHash(idNumber.trim().toUpperCase()) : undefined;
    const result = await this.options.store.listApplications({ ...rest, subjectHash }, page);
    const items = await Promise.all(
      result.items.map((row) =>
        staffApplicationView(this.options.store, row, this.options.items.get(row.item_id), false),
      ),
    );
    return { items, total: result.total, page: page.page, pageSize: page.pageSize };
  }

  /** Counter staff retry a pending application now. */
  async retryNow(id: string, principal: Principal | undefined) {
    const staff = this.requireStaff(principal);
    const row = await this.options.store.getApplication(id);
    if (!row) throw new ServiceError('APPLICATION_NOT_FOUND');
    if (row.status !== 'pending_verification') throw new ServiceError('ALREADY_DECIDED');
    const after = await this.attempt(id, false, staff.username ?? staff.memberCode);
    return staffApplicationView(this.options.store, after, this.options.items.get(after.item_id), true);
  }

  /** Retries every pending application whose next attempt is due; returns how many were tried. */
  async retryDue(limit = 20): Promise<number> {
    const due = await this.options.store.duePending(this.now(), limit);
    for (const row of due) {
      if (this.closed) break;
      await this.attempt(row.id, false, 'auto-retry');
    }
    return due.length;
  }

  /** Starts the background retry of pending applications. */
  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.retryDue()
        .then(() => undefined)
        .catch((error) => this.options.logger.error({ err: (error as Error).message }, 'retry worker failed'))
        .finally(() => {
          this.running = undefined;
        });
    }, this.retry.intervalMs);
    this.timer.unref?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** 免申即享: everyone eligible for `itemId` in `month`, without an application (sweep.ts). */
  async sweep(itemId: string, month: string, principal: Principal | undefined): Promise<SweepResult> {
    const staff = this.requireStaff(principal);
    const deps = { ...this.options, exchange: this.options.batchExchange, now: () => this.now() };
    return runSweep(deps, this.options.items.get(itemId), month, staff);
  }

  async sweeps(principal: Principal | undefined, itemId?: string): Promise<{ items: SweepRunView[] }> {
    if (!principal) throw new ServiceError('UNAUTHENTICATED');
    if (!this.canRead(principal)) throw new ServiceError('FORBIDDEN_ROLE', STAFF_AND_OVERSIGHT_ONLY);
    return { items: await listSweeps(this.options.store, itemId) };
  }

  /** The counter's figures: applications, instant decisions, documents not brought, trips saved. */
  async metrics(): Promise<MetricsView> {
    const metrics = await this.options.store.metrics();
    const latest: { item: string; month: string; eligible: number }[] = [];
    for (const def of this.options.items.list()) {
      if (!def.sweep) continue;
      const [last] = await this.options.store.listSweeps(def.id, 1);
      if (last) latest.push({ item: def.id, month: last.month, eligible: Number(last.eligible_count) });
    }
    return {
      ...metrics,
      benefitsWithoutApplication: latest,
      items: this.options.items.list().map((def) => ({ id: def.id, name: def.name, nameEn: def.nameEn ?? null })),
    };
  }
}

/** The reason an item gives when this system already issued the person its certificate. */
export function alreadyHeldReason(def: ItemDefinition): Reason {
  const issuedFacts = Object.entries(def.facts)
    .filter(([, fact]) => fact.source === 'issued' && fact.item === def.id)
    .map(([id]) => id);
  const check = def.checks.find((candidate) =>
    factsIn((candidate.fail ?? candidate.pass)!).some((fact) => issuedFacts.includes(fact)),
  );
  return check
    ? reasonOf(check)
    : {
        code: 'ALREADY_HOLDS_CERTIFICATE',
        title: '已持有该证照',
        titleEn: 'Already holds it',
        explanation: '您已持有该证照，无需重复办理。',
        explanationEn: null,
      };
}
