/**
 * "Who used my data" (数据使用记录) and the ledger's searchable index, at the hub. Following Estonia's Data
 * Tracker (`findUsage`): a resident or an enterprise logs in with ID number (credit code) and name, and
 * sees the served accesses to their own records — logtime, action (the purpose), receiver, resource, the
 * entry's index in the log (its inclusion proof is public at /ledger/entries/<index>) — newest first.
 *
 * The hub holds neither 公安's nor 市场监管's registers: it checks the name through the exchange itself,
 * as a verify request of 政务服务办's node under an agreement made for this purpose (IdentityVerifier). The
 * raw key lives only in the login request: the session, the index and the log know only its keyed hash.
 *
 * Covert accesses: an allow-listed consumer (e.g. public security) may flag a request covert until a
 * disclosure date (signed header, checked by the provider node, logged in the entry). Such entries are
 * withheld from the subject until that date; the auditor sees how many are withheld and until when.
 */
import { covertSubjectInput } from '../../core/access/covert';
import { checkSubjectKey } from '../../core/access/subject-key';
import { isOverseer, type Principal } from '../../core/auth/principal';
import type { SubjectKind } from '../../core/catalog/resource';
import { HutongError } from '../../core/errors';
import type { AuditLog } from '../../core/ports/audit-log';
import { type GuessGuard, ThrottledError } from './guesses';
import type { Clock } from '../../core/ports/clock';
import type { HubStore, Page, PageRequest } from '../../core/ports/hub-store';
import type { IdGenerator } from '../../core/ports/ids';
import type {
  CovertRule,
  EntryQuery,
  EntryView,
  IndexedEntry,
  LedgerIndexStore,
  UsageRecord,
  WithheldView,
} from '../../core/ports/ledger-index';
import type { IdentityVerifier, SubjectLogin, SubjectSessionStore } from '../../core/ports/subject-login';
import type { SubjectHasher } from '../../core/ports/node-ports';
import type { TokenDigester } from '../../core/ports/password';
import { chinaDate } from '../../core/calendar/working-days';
import { addDays } from '../../core/calendar/dates';

export interface IdentityRegister {
  /** The register's catalog resource (gongan.household, shichang.enterprise). */
  resource: string;
  /** Its name item, compared for equality by the provider's node. */
  nameItem: string;
  /**
   * For enterprises: the legal representative's name and ID number items. A firm's name and credit code are
   * public, so a login that knew only them would open any firm's records to anyone.
   */
  representative?: { nameItem: string; idNumberItem: string } | undefined;
}

/** What a subject types to log in; the representative only for an enterprise. */
export interface SubjectCredentials {
  key: string;
  name: string;
  representative?: { name: string; idNumber: string } | undefined;
}

export interface IdentityPolicy {
  /** The member whose node asks the registers (政务服务办). */
  via: string;
  /** The purpose of its agreements for identity checks; requests under other agreements are not made. */
  purpose: string;
  citizen: IdentityRegister;
  enterprise: IdentityRegister;
}

export interface DataUsagePolicy {
  identity?: IdentityPolicy | undefined;
  /** Consumers whose covert flags are honoured (allow-listed agencies). */
  covertConsumers: readonly string[];
  sessionMinutes: number;
}

export const defaultDataUsagePolicy: DataUsagePolicy = {
  covertConsumers: [],
  sessionMinutes: 60,
};

export interface DataUsageDependencies {
  index: LedgerIndexStore;
  sessions: SubjectSessionStore;
  /** Brings the index up to the log's committed size (LedgerIndexer.catchUp). */
  catchUp(): Promise<unknown>;
  hubStore: Pick<HubStore, 'listMembers' | 'listResources' | 'allAgreements' | 'accessDetail'>;
  /** A committed log entry's bytes (to read an access record's node and seq). */
  readEntry(index: number): Promise<Uint8Array>;
  /** Where the auditor's viewing of clear values is itself recorded. */
  auditLog: Pick<AuditLog, 'record'>;
  /** Limits on guessing a subject's name (persisted, atomic under concurrency). */
  guard: GuessGuard;
  clock: Clock;
  hasher: SubjectHasher;
  ids: Pick<IdGenerator, 'secretToken'>;
  tokens: TokenDigester;
  policy: DataUsagePolicy;
}

/** What the auditor sees of one access beyond the public log. */
export interface AccessDetailsView {
  index: number;
  node: string;
  seq: number;
  officer: string | null;
  caseId: string | null;
  purpose: string | null;
}

/** A logged-in resident or enterprise: only ever its own keyed hash. */
export interface SubjectPrincipal {
  kind: SubjectKind;
  subjectHash: string;
  /** The hashes its covert accesses disclosed by login time carry (core/access/covert.ts). */
  covertHashes: string[];
  displayName: string;
  expiresAt: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Seconds until the next midnight in China, when a node's daily question budget starts again. */
function secondsToChinaMidnight(now: Date): number {
  const next = Date.parse(`${addDays(chinaDate(now), 1)}T00:00:00+08:00`);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

/** A China date's first instant in UTC. */
function chinaMidnight(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00+08:00`)).toISOString();
}

/**
 * A period as [from, to) in ISO UTC: dates are China days (`to` inclusive), instants are taken as given.
 */
export function periodBounds(from?: string, to?: string): { from?: string; to?: string } {
  const bound = (value: string | undefined, path: 'from' | 'to'): string | undefined => {
    if (value === undefined || value === '') return undefined;
    if (DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
      return chinaMidnight(path === 'to' ? addDays(value, 1) : value);
    }
    const ms = Date.parse(value);
    if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
      throw new HutongError('VALIDATION_FAILED', '日期格式应为 YYYY-MM-DD / dates are YYYY-MM-DD', [
        { path, message: 'YYYY-MM-DD or an ISO 8601 instant' },
      ]);
    }
    return new Date(ms).toISOString();
  };
  const result = { from: bound(from, 'from'), to: bound(to, 'to') };
  if (result.from && result.to && result.from >= result.to) {
    throw new HutongError('VALIDATION_FAILED', '开始日期晚于结束日期 / from is after to', [
      { path: 'from', message: 'must not be after to' },
    ]);
  }
  return result;
}

/** 张三丰 → 张**: a name on screen, not in full. */
export function maskPersonName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

/** The legal representative's name and ID number, checked in the same verify as the firm's name. */
function representativeChecks(
  items: { nameItem: string; idNumberItem: string },
  credentials: SubjectCredentials,
  now: Date,
): { item: string; value: string }[] {
  const given = credentials.representative;
  const repName = given?.name.trim() ?? '';
  if (!given || !repName || !given.idNumber.trim()) {
    throw new HutongError('VALIDATION_FAILED', '请填写法定代表人姓名和公民身份号码 / legal representative required', [
      { path: given && repName ? 'legalRepIdNumber' : 'legalRepName', message: 'required' },
    ]);
  }
  const id = checkSubjectKey('citizen', given.idNumber, chinaDate(now));
  if (!id.ok) {
    throw new HutongError('INVALID_ID_NUMBER', '法定代表人公民身份号码不正确 / invalid ID number', [
      { path: 'legalRepIdNumber', message: id.reason },
    ]);
  }
  return [
    { item: items.nameItem, value: repName },
    { item: items.idNumberItem, value: id.key },
  ];
}

export class DataUsageService {
  private verifier: IdentityVerifier | undefined;

  constructor(private readonly deps: DataUsageDependencies) {}

  /** Wires the identity check once the node that makes it runs (the demo starts nodes after the hub). */
  setIdentityVerifier(verifier: IdentityVerifier | undefined): void {
    this.verifier = verifier;
  }

  private covertRule(): CovertRule {
    return { today: chinaDate(this.deps.clock.now()), consumers: this.deps.policy.covertConsumers };
  }

  private async names() {
    const [members, resources, agreements] = await Promise.all([
      this.deps.hubStore.listMembers(),
      this.deps.hubStore.listResources(),
      this.deps.hubStore.allAgreements(),
    ]);
    return {
      member: new Map(members.map((m) => [m.code, m.name])),
      resource: new Map(resources.map((r) => [r.code, r])),
      // An access's purpose is its agreement's (the node refuses any other): the log names the agreement only.
      purpose: new Map(agreements.map((a) => [a.id, a.purpose])),
    };
  }

  private async views(entries: IndexedEntry[]): Promise<EntryView[]> {
    const names = await this.names();
    const member = (code: string | null) => (code === null ? null : (names.member.get(code) ?? code));
    return entries.map((e) => ({
      index: e.index,
      logtime: e.logtime,
      eventTime: e.eventTime,
      kind: e.kind,
      action: e.action,
      decision: e.decision,
      code: e.code,
      actor: e.actor,
      consumer: e.consumer,
      consumerName: member(e.consumer),
      provider: e.provider,
      providerName: member(e.provider),
      resource: e.resource,
      resourceName: e.resource === null ? null : (names.resource.get(e.resource)?.name ?? e.resource),
      agreementId: e.agreementId,
      mode: e.mode,
      items: e.items,
      purpose: e.purpose ?? (e.agreementId === null ? null : (names.purpose.get(e.agreementId) ?? null)),
      requestId: e.requestId,
      covertUntil: e.covertUntil,
      subjects: e.subjectCount,
    }));
  }

  // ---- officers and auditors -------------------------------------------------------------------

  /**
   * Log entries by request, party, resource, kind, decision and period, newest first. The operator and the
   * auditor see every entry; a department sees the entries it is consumer or provider of.
   */
  async searchEntries(actor: Principal, query: EntryQuery, page: PageRequest): Promise<Page<EntryView>> {
    const { member, officer, caseId, ...filter } = query;
    const period = periodBounds(query.from, query.to);
    // Officer and case are in the log only as keyed hashes: the hub, holding the key, matches them.
    const keyed = {
      ...(officer ? { officerHash: this.deps.hasher.keyed('officer', officer) } : {}),
      ...(caseId ? { caseHash: this.deps.hasher.keyed('case', caseId) } : {}),
    };
    // A department's search is always within its own entries; another member narrows it further.
    const parties = [...new Set([...(isOverseer(actor) ? [] : [actor.memberCode]), ...(member ? [member] : [])])];
    await this.deps.catchUp();
    const result = await this.deps.index.search({ ...filter, ...keyed, ...period, parties }, page);
    return { ...result, items: await this.views(result.items) };
  }

  /** The accesses withheld from their subjects today (covert until a disclosure date): for overseers. */
  async withheld(actor: Principal, page: PageRequest): Promise<WithheldView> {
    if (!isOverseer(actor)) {
      throw new HutongError('FORBIDDEN_ROLE', '仅审计方与平台运营方可查看 / auditor or operator only');
    }
    await this.deps.catchUp();
    const rule = this.covertRule();
    const result = await this.deps.index.withheld(rule, page);
    const names = await this.names();
    return {
      asOf: rule.today,
      allowListed: [...rule.consumers],
      total: result.total,
      page: result.page,
      pageSize: result.pageSize,
      byConsumer: result.byConsumer.map((c) => ({ ...c, consumerName: names.member.get(c.consumer) ?? c.consumer })),
      items: await this.views(result.items),
    };
  }

  /**
   * The clear officer and case of one access, which the public log carries only as keyed hashes: for the
   * city's auditor, and the viewing is itself a log entry (who — the member — and which entry).
   */
  async accessDetails(actor: Principal, index: number): Promise<AccessDetailsView> {
    // A person of the city's auditor with the auditor's role: a system's token is not attributable.
    if (actor.memberRole !== 'auditor' || !actor.roles.includes('auditor') || actor.username === null) {
      throw new HutongError('FORBIDDEN_ROLE', '仅审计方审计人员可查看 / the auditor’s auditors only');
    }
    let record: { node?: unknown; seq?: unknown; agreementId?: unknown } | undefined;
    try {
      const entry = JSON.parse(new TextDecoder().decode(await this.deps.readEntry(index))) as {
        type?: unknown;
        record?: { node?: unknown; seq?: unknown; agreementId?: unknown };
      };
      record = entry.type === 'access' ? entry.record : undefined;
    } catch {
      record = undefined;
    }
    if (!record || typeof record.node !== 'string' || typeof record.seq !== 'number') {
      throw new HutongError('NOT_FOUND', `条目 ${index} 不是访问记录 / entry ${index} is not an access record`);
    }
    const detail = await this.deps.hubStore.accessDetail(record.node, record.seq);
    await this.deps.auditLog.record({
      type: 'disclosure',
      action: 'access-details',
      at: this.deps.clock.now().toISOString(),
      actor: actor.memberCode,
      entryIndex: index,
    });
    const agreements = await this.deps.hubStore.allAgreements();
    return {
      index,
      node: record.node,
      seq: record.seq,
      officer: detail?.officer ?? null,
      caseId: detail?.caseId ?? null,
      purpose: agreements.find((a) => a.id === record.agreementId)?.purpose ?? null,
    };
  }

  // ---- residents and enterprises ---------------------------------------------------------------

  /**
   * Logs a resident (ID number + name) or an enterprise (credit code + name) in, once the register confirms
   * the pair through the exchange. A wrong pair and an unknown key get the same answer.
   */
  async loginSubject(
    kind: SubjectKind,
    credentials: SubjectCredentials,
    client: { address: string } = { address: 'unknown' },
  ): Promise<SubjectLogin> {
    const now = this.deps.clock.now();
    const checked = checkSubjectKey(kind, credentials.key, chinaDate(now));
    if (!checked.ok) {
      const path = kind === 'citizen' ? 'idNumber' : 'uscc';
      throw new HutongError(
        kind === 'citizen' ? 'INVALID_ID_NUMBER' : 'INVALID_CREDIT_CODE',
        kind === 'citizen' ? '公民身份号码不正确 / invalid ID number' : '统一社会信用代码不正确 / invalid credit code',
        [{ path, message: checked.reason }],
      );
    }
    const name = credentials.name.trim();
    if (!name) throw new HutongError('VALIDATION_FAILED', '请填写姓名或名称', [{ path: 'name', message: 'required' }]);
    const identity = this.deps.policy.identity;
    const register = identity && (kind === 'citizen' ? identity.citizen : identity.enterprise);
    const also = register?.representative ? representativeChecks(register.representative, credentials, now) : [];
    const subjectHash = this.deps.hasher.hash(checked.key);
    // Reserved before the register is asked: a burst of guesses gets at most the limit checked.
    await this.deps.guard.reserve(`${kind}-login`, subjectHash, client.address);

    const verifier = this.verifier;
    if (!identity || !register || !verifier) {
      throw new HutongError('IDENTITY_SERVICE_UNAVAILABLE', '未配置身份核验 / no identity check configured');
    }
    const agreementId = await this.identityAgreement(identity, register);
    let answer: Awaited<ReturnType<IdentityVerifier['verify']>>;
    try {
      answer = await verifier.verify({ kind, key: checked.key, name, agreementId, nameItem: register.nameItem, also });
    } catch (error) {
      // The register's node bounds the distinct names asked about one person a day: a throttle, like ours.
      if ((error as { code?: string }).code === 'VERIFY_BUDGET_EXHAUSTED') {
        throw new ThrottledError('LOGIN_THROTTLED', secondsToChinaMidnight(now));
      }
      throw new HutongError(
        'IDENTITY_SERVICE_UNAVAILABLE',
        `身份核验暂不可用 / identity check failed: ${(error as Error).message}`.slice(0, 300),
      );
    }
    if (answer !== 'match') throw new HutongError('IDENTITY_NOT_VERIFIED');
    await this.deps.guard.succeeded(`${kind}-login`, subjectHash, client.address);
    const token = this.deps.ids.secretToken();
    const expiresAt = new Date(now.getTime() + this.deps.policy.sessionMinutes * 60_000).toISOString();
    const displayName = kind === 'citizen' ? maskPersonName(name) : name;
    // The key is known only now: hash it for every disclosure date already past, so the session finds the
    // person's disclosed covert accesses (and cannot find the others).
    await this.deps.catchUp();
    const dates = await this.deps.index.disclosedCovertDates(this.covertRule());
    await this.deps.sessions.insertSubjectSession({
      tokenDigest: this.deps.tokens.digest(token),
      kind,
      subjectHash,
      covertHashes: dates.map((date) => this.deps.hasher.hash(covertSubjectInput(checked.key, date))),
      displayName,
      createdAt: now.toISOString(),
      expiresAt,
    });
    return { token, expiresAt, subject: { kind, displayName } };
  }

  private async identityAgreement(identity: IdentityPolicy, register: IdentityRegister): Promise<string> {
    const agreements = await this.deps.hubStore.allAgreements();
    const found = agreements.find(
      (a) =>
        a.consumerCode === identity.via &&
        a.resourceCode === register.resource &&
        a.status === 'active' &&
        a.purpose === identity.purpose &&
        a.granted?.modes.includes('verify') &&
        a.granted.items.includes(register.nameItem) &&
        (!register.representative ||
          (a.granted.items.includes(register.representative.nameItem) &&
            a.granted.items.includes(register.representative.idNumberItem))),
    );
    if (!found) {
      throw new HutongError(
        'IDENTITY_SERVICE_UNAVAILABLE',
        `${identity.via} 没有用于身份核验的 ${register.resource} 生效协议 / no active agreement for identity checks`,
      );
    }
    return found.id;
  }

  async authenticateSubject(token: string): Promise<SubjectPrincipal | undefined> {
    const session = await this.deps.sessions.findSubjectSession(this.deps.tokens.digest(token));
    if (!session || Date.parse(session.expiresAt) <= this.deps.clock.now().getTime()) return undefined;
    return {
      kind: session.kind,
      subjectHash: session.subjectHash,
      covertHashes: session.covertHashes,
      displayName: session.displayName,
      expiresAt: session.expiresAt,
    };
  }

  async logoutSubject(token: string): Promise<void> {
    await this.deps.sessions.deleteSubjectSession(this.deps.tokens.digest(token));
  }

  /** The subject's Data Tracker records, newest first; covert accesses withheld until their disclosure date. */
  async dataUsage(
    subject: SubjectPrincipal,
    period: { from?: string | undefined; to?: string | undefined },
    page: PageRequest,
  ): Promise<Page<UsageRecord>> {
    const bounds = periodBounds(period.from, period.to);
    await this.deps.catchUp();
    const result = await this.deps.index.usage(
      { subjectHashes: [subject.subjectHash, ...subject.covertHashes], ...bounds, covert: this.covertRule() },
      page,
    );
    const names = await this.names();
    const identity = this.deps.policy.identity;
    return {
      ...result,
      items: result.items.map((e) => {
        const action = e.purpose ?? (e.agreementId === null ? '' : (names.purpose.get(e.agreementId) ?? ''));
        const resource = e.resource === null ? undefined : names.resource.get(e.resource);
        const titles = new Map(resource?.items.map((item) => [item.name, item.title]) ?? []);
        return {
          index: e.index,
          // When the data was used (the provider node's decision), which the person's query is about.
          logtime: e.eventTime ?? e.logtime,
          action,
          receiverCode: e.consumer ?? '',
          receiverName: names.member.get(e.consumer ?? '') ?? e.consumer ?? '',
          providerCode: e.provider ?? '',
          providerName: names.member.get(e.provider ?? '') ?? e.provider ?? '',
          resourceCode: e.resource ?? '',
          resourceName: resource?.name ?? e.resource ?? '',
          mode: e.mode,
          items: e.items.map((name) => ({ name, title: titles.get(name) ?? name })),
          // Only the identity agreements' purpose, asked by the agency that checks logins, is such a check.
          ownIdentityCheck: identity !== undefined && e.consumer === identity.via && action === identity.purpose,
        };
      }),
    };
  }
}
