/**
 * The hub's use cases: registry, catalog, agreement workflow, SLA board and authentication.
 * Orchestrates the pure core with the ports; knows nothing of HTTP or SQL.
 */
import {
  type Agreement,
  type AgreementEvent,
  type AgreementView,
  type ApplicationRequest,
  approve,
  canRead,
  expire,
  type Narrowing,
  openApplication,
  reject,
  resume,
  revoke,
  superiorApprove,
  superiorReject,
  suspend,
  withdraw,
} from '../../core/agreements/agreement';
import { isOverseer, type Principal, requireMemberRole, requireRole } from '../../core/auth/principal';
import type { CommonPasswords } from '../../core/auth/passwords';
import { type Resource, type ResourceDraft, type ResourceFilter, validateResource } from '../../core/catalog/resource';
import { HutongError } from '../../core/errors';
import { buildSlaBoard, type SlaBoard } from '../../core/overview/sla-board';
import type { AgreementEvents } from '../../core/ports/agreement-events';
import type { AccessLogEvent, AuditLog, HubAuditEvent } from '../../core/ports/audit-log';
import type { AccessRecord } from '../../core/audit/access-record';
import { ChainError, checkSeal, recordHash } from '../../core/audit/chain';
import type { AccessShipment, ChainCursor } from '../../core/audit/shipment';
import type { LedgerCrypto } from '../../core/ledger/crypto-port';
import type { GuessGuard } from './guesses';
import { Accounts } from './accounts';
import { MemberRegistry } from './members';
import type { Clock } from '../../core/ports/clock';
import type { AgreementFilter, HubStore, Page, PageRequest } from '../../core/ports/hub-store';
import type { IdGenerator } from '../../core/ports/ids';
import type { PasswordHasher, TokenDigester } from '../../core/ports/password';
import {
  chinaDate,
  type WorkCalendar,
  workingDaysDeadline,
  workingDaysOverdue,
} from '../../core/calendar/working-days';

export interface HubPolicy {
  slaWorkingDays: number;
  calendar: WorkCalendar;
  sessionHours: number;
  /** Whether a node may be registered at this host (the city's allowed networks; demo: loopback). */
  nodeHostAllowed?: ((hostname: string) => boolean) | undefined;
}

export interface HubDependencies {
  store: HubStore;
  clock: Clock;
  ids: IdGenerator;
  passwords: PasswordHasher;
  tokens: TokenDigester;
  policy: HubPolicy;
  events: AgreementEvents;
  auditLog: AuditLog;
  /** SHA-256 and Ed25519 verification, for the nodes' chains and seals. */
  crypto: LedgerCrypto;
  /** Limits on password guessing (persisted, atomic under concurrency). */
  guard: GuessGuard;
  /** Common and breached passwords, refused for new accounts. */
  commonPasswords: CommonPasswords;
}

export type { AgreementView } from '../../core/agreements/agreement';

export class HubService {
  /** Members, their nodes and keys (members.ts). */
  readonly members: MemberRegistry;
  /** Console users, sessions and API tokens (accounts.ts). */
  readonly accounts: Accounts;

  constructor(private readonly deps: HubDependencies) {
    this.members = new MemberRegistry(deps);
    this.accounts = new Accounts(deps, this.members);
  }

  private get store() {
    return this.deps.store;
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  /**
   * The log events of agreement transitions. Only codes, statuses and times: no reasons or purposes (free
   * text may name people) and no usernames — the ledger holds no personal data.
   */
  private transitionEvents(agreement: Agreement, events: readonly AgreementEvent[]): HubAuditEvent[] {
    const terms = agreement.granted ?? agreement.requested;
    return events.map((event) => ({
      type: 'agreement' as const,
      action: event.action,
      at: event.at,
      actor: event.actorMember,
      agreementId: agreement.id,
      resourceCode: agreement.resourceCode,
      consumerCode: agreement.consumerCode,
      providerCode: agreement.providerCode,
      fromStatus: event.fromStatus,
      toStatus: event.toStatus,
      items: terms.items,
      modes: terms.modes,
      validTo: terms.validTo,
    }));
  }

  // ---- catalog ----------------------------------------------------------------------------------

  searchCatalog(filter: ResourceFilter, page: PageRequest): Promise<Page<Resource>> {
    return this.store.searchResources(filter, page);
  }

  async requireResource(code: string): Promise<Resource> {
    const resource = await this.store.getResource(code);
    if (!resource) throw new HutongError('RESOURCE_NOT_FOUND', `资源 ${code} 不存在`);
    return resource;
  }

  async publishResource(actor: Principal | 'bootstrap', providerCode: string, draft: ResourceDraft): Promise<Resource> {
    await this.checkPublisher(actor, providerCode);
    const resource = validateResource(providerCode, draft);
    await this.deps.auditLog.commit(async (store) => {
      await store.insertResource(resource, this.now().toISOString());
      return { result: undefined, events: [this.catalogEvent('publish', resource)] };
    });
    return resource;
  }

  async updateResource(actor: Principal, code: string, draft: ResourceDraft): Promise<Resource> {
    const existing = await this.requireResource(code);
    await this.checkPublisher(actor, existing.providerCode);
    if (draft.code !== code) {
      throw new HutongError('VALIDATION_FAILED', '资源代码不可修改', [{ path: 'code', message: 'immutable' }]);
    }
    const resource = validateResource(existing.providerCode, draft);
    await this.deps.auditLog.commit(async (store) => {
      await store.updateResource(resource, this.now().toISOString());
      return { result: undefined, events: [this.catalogEvent('update', resource)] };
    });
    return resource;
  }

  private catalogEvent(action: 'publish' | 'update', resource: Resource): HubAuditEvent {
    return {
      type: 'resource',
      action,
      at: this.now().toISOString(),
      actor: resource.providerCode,
      resourceCode: resource.code,
      sharingType: resource.sharingType,
      accessModes: resource.accessModes,
      items: resource.items.map((item) => item.name),
    };
  }

  private async checkPublisher(actor: Principal | 'bootstrap', providerCode: string): Promise<void> {
    const provider = await this.members.requireMember(providerCode);
    if (provider.role !== 'provider') throw new HutongError('FORBIDDEN_ROLE', `${providerCode} 不是数据提供方`);
    if (actor === 'bootstrap') return;
    requireRole(actor, 'data_officer');
    if (actor.memberCode !== providerCode) throw new HutongError('NOT_OWN_MEMBER', '只能编目本单位的资源');
  }

  // ---- agreements -------------------------------------------------------------------------------

  async apply(actor: Principal, resourceCode: string, request: ApplicationRequest): Promise<AgreementView> {
    const resource = await this.requireResource(resourceCode);
    const now = this.now();
    const agreement = openApplication({
      id: this.deps.ids.agreementId(now),
      resource,
      consumer: actor,
      request,
      now,
      dueAt: workingDaysDeadline(now, this.deps.policy.slaWorkingDays, this.deps.policy.calendar),
    });
    await this.deps.auditLog.commit(async (store) => {
      await store.insertAgreement(agreement);
      return { result: undefined, events: this.transitionEvents(agreement, agreement.history) };
    });
    await this.deps.events.changed(agreement);
    return this.view(agreement);
  }

  async getAgreement(actor: Principal, id: string): Promise<AgreementView> {
    await this.expireDue();
    const agreement = await this.requireAgreement(id);
    if (!canRead(agreement, actor)) throw new HutongError('NOT_PARTY_TO_AGREEMENT');
    return this.view(agreement);
  }

  async listAgreements(
    actor: Principal,
    filter: Omit<AgreementFilter, 'memberCode'>,
    page: PageRequest,
  ): Promise<Page<AgreementView>> {
    await this.expireDue();
    // Overseers see the whole city; everyone else sees only agreements they are party to.
    const scoped: AgreementFilter =
      isOverseer(actor) && (filter.side ?? 'all') === 'all'
        ? { ...filter }
        : { ...filter, memberCode: actor.memberCode };
    const result = await this.store.listAgreements(scoped, page);
    const views = await this.views(result.items);
    return { ...result, items: views };
  }

  approve(actor: Principal, id: string, narrowing: Narrowing): Promise<AgreementView> {
    return this.act(id, async (agreement, now) =>
      approve(agreement, await this.requireResource(agreement.resourceCode), actor, narrowing, now),
    );
  }

  superiorApprove(actor: Principal, id: string, comment?: string): Promise<AgreementView> {
    return this.act(id, async (agreement, now) => superiorApprove(agreement, actor, comment, now));
  }

  reject(actor: Principal, id: string, reason?: string): Promise<AgreementView> {
    return this.act(id, async (agreement, now) => reject(agreement, actor, reason, now));
  }

  superiorReject(actor: Principal, id: string, reason?: string): Promise<AgreementView> {
    return this.act(id, async (agreement, now) => superiorReject(agreement, actor, reason, now));
  }

  suspend(actor: Principal, id: string, reason?: string): Promise<AgreementView> {
    return this.act(id, async (agreement, now) => suspend(agreement, actor, reason, now));
  }

  resume(actor: Principal, id: string): Promise<AgreementView> {
    return this.act(id, async (agreement, now) => resume(agreement, actor, now));
  }

  revoke(actor: Principal, id: string, reason?: string): Promise<AgreementView> {
    return this.act(id, async (agreement, now) => revoke(agreement, actor, reason, now));
  }

  withdraw(actor: Principal, id: string): Promise<AgreementView> {
    return this.act(id, async (agreement, now) => withdraw(agreement, actor, now));
  }

  /** Records the expiry of every agreement past its last valid day; returns how many expired. */
  async expireDue(): Promise<number> {
    const now = this.now();
    const due = await this.store.agreementsDueToExpire(chinaDate(now));
    for (const agreement of due) {
      try {
        const expired = expire(agreement, now);
        await this.saveLogged(expired);
        await this.deps.events.changed(expired);
      } catch (error) {
        // Another request recorded the same expiry first; that is the outcome we wanted.
        if (!(error instanceof HutongError && error.code === 'CONCURRENT_UPDATE')) throw error;
      }
    }
    return due.length;
  }

  private async act(id: string, step: (agreement: Agreement, now: Date) => Promise<Agreement>): Promise<AgreementView> {
    await this.expireDue();
    const agreement = await this.requireAgreement(id);
    const next = await step(agreement, this.now());
    await this.saveLogged(next);
    // The nodes hear of the change before the caller does, so "revoked" means revoked at the next request.
    await this.deps.events.changed(next);
    return this.view(next);
  }

  /** Saves an agreement's new state with its latest transition's log entry, in one transaction. */
  private async saveLogged(next: Agreement): Promise<void> {
    await this.deps.auditLog.commit(async (store) => {
      await store.saveAgreement(next);
      return { result: undefined, events: this.transitionEvents(next, next.history.slice(-1)) };
    });
  }

  private async requireAgreement(id: string): Promise<Agreement> {
    const agreement = await this.store.getAgreement(id);
    if (!agreement) throw new HutongError('AGREEMENT_NOT_FOUND', `协议 ${id} 不存在`);
    return agreement;
  }

  private async view(agreement: Agreement): Promise<AgreementView> {
    const [view] = await this.views([agreement]);
    return view!;
  }

  private async views(agreements: Agreement[]): Promise<AgreementView[]> {
    const [members, resources] = await Promise.all([this.store.listMembers(), this.store.listResources()]);
    const memberNames = new Map(members.map((member) => [member.code, member.name]));
    const resourceNames = new Map(resources.map((resource) => [resource.code, resource.name]));
    const now = this.now();
    const { calendar, slaWorkingDays } = this.deps.policy;
    return agreements.map((agreement) => {
      const waiting = agreement.status === 'pending' || agreement.status === 'pending_superior';
      const overdue = waiting && now.getTime() > Date.parse(agreement.dueAt);
      return {
        ...agreement,
        resourceName: resourceNames.get(agreement.resourceCode) ?? agreement.resourceCode,
        consumerName: memberNames.get(agreement.consumerCode) ?? agreement.consumerCode,
        providerName: memberNames.get(agreement.providerCode) ?? agreement.providerCode,
        sla: {
          workingDaysAllowed: slaWorkingDays,
          overdue,
          workingDaysOverdue: overdue ? workingDaysOverdue(new Date(agreement.dueAt), now, calendar) : 0,
        },
      };
    });
  }

  // ---- the log of accesses at the nodes --------------------------------------------------------

  /** How far the log holds a member node's chain: where its node resumes shipping. */
  async ledgerCursor(actor: Principal): Promise<ChainCursor> {
    requireMemberRole(actor, 'provider', 'consumer');
    return this.store.ledgerCursor(actor.memberCode);
  }

  /**
   * A node ships the records of its chain, sealed at the last one. The request was signed with the node's
   * current key (checked at the edge: `shipper`), so only the node itself writes its access records; here,
   * in the transaction that logs them: the signature's nonce is claimed once (a replay is refused), every
   * record must be the shipper's, continue its chain exactly where the log holds it (no gap, no fork), and
   * the seal must name the last record's hash under that same key. Records the log already holds are
   * skipped, so shipping again after a lost answer does no harm.
   */
  async recordAccessShipment(
    shipper: { memberCode: string; keyId: string; publicKey: Uint8Array; nonce: string; expiresAt: string },
    shipment: AccessShipment,
  ): Promise<ChainCursor> {
    const node = shipper.memberCode;
    if (shipment.records.some((record) => record.node !== node)) {
      throw new HutongError(
        'NOT_OWN_MEMBER',
        '前置机只能报送本单位作出的访问决定 / a node ships only its own decisions',
      );
    }
    const now = this.now().toISOString();
    return this.deps.auditLog.commit(async (store) => {
      if (!(await store.claimShipmentNonce(`${node}:${shipper.keyId}`, shipper.nonce, shipper.expiresAt, now))) {
        throw new HutongError('SHIPMENT_REPLAYED');
      }
      const cursor = await store.ledgerCursor(node);
      const fresh = checkShipment(this.deps.crypto, node, cursor, shipment, shipper.publicKey);
      if (fresh.length === 0) return { result: cursor, events: [] };
      const last = fresh.at(-1)!;
      const next: ChainCursor = { lastSeq: last.record.seq, lastHash: last.hash };
      const freshSeqs = new Set(fresh.map((f) => f.record.seq));
      await store.insertAccessDetails(
        node,
        shipment.details.filter((detail) => freshSeqs.has(detail.seq)),
      );
      await store.setLedgerCursor(node, next, now);
      const events: AccessLogEvent[] = fresh.map(({ record }, index) => ({
        type: 'access',
        record,
        ...(index === fresh.length - 1 ? { seal: shipment.seal } : {}),
      }));
      return { result: next, events };
    });
  }

  // ---- overview ---------------------------------------------------------------------------------

  async overview(): Promise<SlaBoard> {
    await this.expireDue();
    const [members, resources, agreements] = await Promise.all([
      this.store.listMembers(),
      this.store.listResources(),
      this.store.allAgreements(),
    ]);
    return buildSlaBoard({
      members,
      resources,
      agreements,
      now: this.now(),
      calendar: this.deps.policy.calendar,
      slaWorkingDays: this.deps.policy.slaWorkingDays,
    });
  }
}

/**
 * The records of a shipment the log does not hold yet, each with its hash, after checking that they
 * continue the node's chain from `cursor` and that the seal covers the last one under the shipper's key.
 */
function checkShipment(
  crypto: LedgerCrypto,
  node: string,
  cursor: ChainCursor,
  shipment: AccessShipment,
  publicKey: Uint8Array,
): { record: AccessRecord; hash: string }[] {
  const fresh: { record: AccessRecord; hash: string }[] = [];
  let seq = cursor.lastSeq;
  let hash = cursor.lastHash;
  for (const record of shipment.records) {
    const recordHashOf = recordHash(crypto, record);
    if (record.seq <= cursor.lastSeq) {
      // Already logged: the one at the log's head must be the same record, or the node's chain forked.
      if (record.seq === cursor.lastSeq && recordHashOf !== cursor.lastHash) {
        throw new HutongError(
          'CHAIN_FORK',
          `${node} 的第 ${record.seq} 条记录与账本中的不同 / record ${record.seq} differs`,
        );
      }
      continue;
    }
    if (record.seq !== seq + 1) {
      throw new HutongError('CHAIN_GAP', `expected record ${seq + 1} of ${node}, got ${record.seq}`);
    }
    if (record.prev !== hash) {
      throw new HutongError('CHAIN_FORK', `record ${record.seq} of ${node} does not follow record ${seq} in the log`);
    }
    fresh.push({ record, hash: recordHashOf });
    seq = record.seq;
    hash = recordHashOf;
  }
  const last = shipment.records.at(-1);
  if (!last) return fresh;
  try {
    checkSeal(crypto, node, last.seq, recordHash(crypto, last), shipment.seal, [publicKey]);
  } catch (error) {
    if (error instanceof ChainError) throw new HutongError('SEAL_INVALID', error.message);
    throw error;
  }
  return fresh;
}
