/** The agreement workflow (共享申请与协议): applying, reviewing, suspending, revoking, expiry, with each transition logged. */
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
import { isOverseer, type Principal } from '../../core/auth/principal';
import { chinaDate, workingDaysDeadline, workingDaysOverdue } from '../../core/calendar/working-days';
import { HutongError } from '../../core/errors';
import type { HubAuditEvent } from '../../core/ports/audit-log';
import type { AgreementFilter, Page, PageRequest } from '../../core/ports/hub-store';
import type { Catalog } from './catalog';
import type { HubDependencies } from './hub-service';

export class Agreements {
  constructor(
    private readonly deps: HubDependencies,
    private readonly catalog: Catalog,
  ) {}

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

  async apply(actor: Principal, resourceCode: string, request: ApplicationRequest): Promise<AgreementView> {
    const resource = await this.catalog.resource(resourceCode);
    const now = this.deps.clock.now();
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

  async get(actor: Principal, id: string): Promise<AgreementView> {
    await this.expireDue();
    const agreement = await this.requireAgreement(id);
    if (!canRead(agreement, actor)) throw new HutongError('NOT_PARTY_TO_AGREEMENT');
    return this.view(agreement);
  }

  async list(
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
    const result = await this.deps.store.listAgreements(scoped, page);
    const views = await this.views(result.items);
    return { ...result, items: views };
  }

  approve(actor: Principal, id: string, narrowing: Narrowing): Promise<AgreementView> {
    return this.act(id, async (agreement, now) =>
      approve(agreement, await this.catalog.resource(agreement.resourceCode), actor, narrowing, now),
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
    const now = this.deps.clock.now();
    const due = await this.deps.store.agreementsDueToExpire(chinaDate(now));
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
    const next = await step(agreement, this.deps.clock.now());
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
    const agreement = await this.deps.store.getAgreement(id);
    if (!agreement) throw new HutongError('AGREEMENT_NOT_FOUND', `协议 ${id} 不存在`);
    return agreement;
  }

  private async view(agreement: Agreement): Promise<AgreementView> {
    const [view] = await this.views([agreement]);
    return view!;
  }

  private async views(agreements: Agreement[]): Promise<AgreementView[]> {
    const [members, resources] = await Promise.all([this.deps.store.listMembers(), this.deps.store.listResources()]);
    const memberNames = new Map(members.map((member) => [member.code, member.name]));
    const resourceNames = new Map(resources.map((resource) => [resource.code, resource.name]));
    const now = this.deps.clock.now();
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
}
