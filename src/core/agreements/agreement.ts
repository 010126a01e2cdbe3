/**
 * Sharing agreements (共享申请与审批) as a state machine. Every function here is pure: it takes the
 * agreement, the actor and the time, checks the rules, and returns the next agreement with the
 * transition appended to its history. Persisting it is the caller's business.
 */
import type { Principal } from '../auth/principal';
import { requireRole } from '../auth/principal';
import type { AccessMode, Resource } from '../catalog/resource';
import { HutongError } from '../errors';
import type { Predicate } from '../access/predicate';
import { checkTemplates, templateItems } from '../access/predicate-template';
import { chinaDate } from '../calendar/working-days';

export const agreementStatuses = [
  'pending',
  'pending_superior',
  'active',
  'rejected',
  'suspended',
  'revoked',
  'expired',
  'withdrawn',
] as const;
export type AgreementStatus = (typeof agreementStatuses)[number];

export const agreementActions = [
  'apply',
  'auto_approve',
  'approve',
  'superior_approve',
  'reject',
  'superior_reject',
  'suspend',
  'resume',
  'revoke',
  'withdraw',
  'expire',
] as const;
export type AgreementAction = (typeof agreementActions)[number];

export interface Terms {
  items: string[];
  modes: AccessMode[];
  /**
   * The verify questions allowed (predicate templates, core/access/predicate-template.ts). When given, the
   * provider's node answers only instances of them; an agreement without them allows any predicate over its
   * items, as agreements made before templates did.
   */
  predicates?: Predicate[] | undefined;
  /** Inclusive local dates, YYYY-MM-DD. */
  validFrom: string;
  validTo: string;
  rateLimitPerMinute: number;
}

export interface AgreementEvent {
  at: string;
  actorMember: string;
  actorUser: string | null;
  action: AgreementAction;
  fromStatus: AgreementStatus | null;
  toStatus: AgreementStatus;
  reason: string | null;
}

export interface Agreement {
  id: string;
  resourceCode: string;
  consumerCode: string;
  providerCode: string;
  purpose: string;
  legalBasis: string;
  requested: Terms;
  granted: Terms | null;
  status: AgreementStatus;
  appliedAt: string;
  dueAt: string;
  answeredAt: string | null;
  history: AgreementEvent[];
  /** Optimistic-concurrency counter: a store refuses to overwrite a newer version. */
  version: number;
}

/** The statuses as the city's documents name them (the console's Chinese and the CLI show these). */
export const agreementStatusNamesZh: Readonly<Record<AgreementStatus, string>> = {
  pending: '待审批',
  pending_superior: '待上级审批',
  active: '已生效',
  rejected: '已驳回',
  suspended: '已暂停',
  revoked: '已撤销',
  expired: '已过期',
  withdrawn: '已撤回',
};

/** An agreement as the hub shows it: with the names of its resource and parties and its review deadline. */
export interface AgreementView extends Agreement {
  resourceName: string;
  consumerName: string;
  providerName: string;
  sla: { workingDaysAllowed: number; overdue: boolean; workingDaysOverdue: number };
}

/** What a consumer asks for: the terms it wants, with its purpose and the legal basis for it. */
export interface ApplicationRequest extends Terms {
  purpose: string;
  legalBasis: string;
}

export const systemActor = 'system';

const finalStatuses: ReadonlySet<AgreementStatus> = new Set(['rejected', 'revoked', 'expired', 'withdrawn']);

function checkTerms(resource: Resource, terms: Terms, today: string): void {
  const itemNames = new Set(resource.items.map((item) => item.name));
  const unknownItems = terms.items.filter((item) => !itemNames.has(item));
  if (terms.items.length === 0 || unknownItems.length > 0) {
    throw new HutongError(
      'ITEM_NOT_IN_RESOURCE',
      terms.items.length === 0 ? '至少申请一个信息项' : `信息项不属于 ${resource.code}: ${unknownItems.join(', ')}`,
      [{ path: 'items', message: unknownItems.length ? `unknown: ${unknownItems.join(', ')}` : 'empty' }],
    );
  }
  const badModes = terms.modes.filter((mode) => !resource.accessModes.includes(mode));
  if (terms.modes.length === 0 || badModes.length > 0) {
    throw new HutongError(
      'MODE_NOT_ALLOWED',
      terms.modes.length === 0 ? '至少申请一种访问方式' : `${resource.code} 不支持: ${badModes.join(', ')}`,
      [{ path: 'modes', message: badModes.length ? `not allowed: ${badModes.join(', ')}` : 'empty' }],
    );
  }
  if (terms.validFrom > terms.validTo) {
    throw new HutongError('INVALID_PERIOD', '有效期起始日晚于截止日', [
      { path: 'validTo', message: 'before validFrom' },
    ]);
  }
  if (terms.validTo < today) {
    throw new HutongError('INVALID_PERIOD', '有效期截止日已过', [{ path: 'validTo', message: 'in the past' }]);
  }
  // A verify agreement names the questions it allows: the provider answers those and nothing else, so a
  // yes/no answer cannot be turned into a search for the value (issue 16).
  if (terms.predicates !== undefined || terms.modes.includes('verify')) {
    const predicates = terms.predicates ?? [];
    const issues = !terms.modes.includes('verify')
      ? [{ path: 'predicates', message: 'only with the verify mode' }]
      : predicates.length === 0
        ? [{ path: 'predicates', message: 'the verify mode needs the questions it may ask' }]
        : checkTemplates(predicates, terms.items);
    if (issues.length > 0)
      throw new HutongError('VALIDATION_FAILED', '核验问题不合法 / invalid verify questions', issues);
  }
  if (!Number.isInteger(terms.rateLimitPerMinute) || terms.rateLimitPerMinute < 1) {
    throw new HutongError('VALIDATION_FAILED', '频率限制须为正整数', [
      { path: 'rateLimitPerMinute', message: 'positive integer' },
    ]);
  }
}

function uniqueTerms(terms: Terms): Terms {
  return { ...terms, items: [...new Set(terms.items)], modes: [...new Set(terms.modes)] };
}

function transition(
  agreement: Agreement,
  actor: Principal | typeof systemActor,
  action: AgreementAction,
  toStatus: AgreementStatus,
  now: Date,
  reason: string | null,
  changes: Partial<Agreement> = {},
): Agreement {
  const event: AgreementEvent = {
    at: now.toISOString(),
    actorMember: actor === systemActor ? systemActor : actor.memberCode,
    actorUser: actor === systemActor ? null : actor.username,
    action,
    fromStatus: agreement.status,
    toStatus,
    reason,
  };
  return {
    ...agreement,
    ...changes,
    status: toStatus,
    history: [...agreement.history, event],
    version: agreement.version + 1,
  };
}

function requireReason(reason: string | undefined | null): string {
  const trimmed = reason?.trim() ?? '';
  if (!trimmed) throw new HutongError('REASON_REQUIRED', '驳回、暂停或撤销必须说明理由 / a reason is required');
  return trimmed;
}

function requireStatus(agreement: Agreement, action: AgreementAction, ...allowed: AgreementStatus[]): void {
  if (allowed.includes(agreement.status)) return;
  if (agreement.status === 'expired') throw new HutongError('AGREEMENT_EXPIRED', `协议 ${agreement.id} 已过期`);
  if (agreement.status === 'revoked') throw new HutongError('AGREEMENT_REVOKED', `协议 ${agreement.id} 已撤销`);
  throw new HutongError('INVALID_TRANSITION', `状态 ${agreement.status} 不允许 ${action}`);
}

function requireProvider(agreement: Agreement, actor: Principal): void {
  if (actor.memberCode !== agreement.providerCode) {
    throw new HutongError('NOT_PROVIDER_OF_RESOURCE', `只有提供方 ${agreement.providerCode} 可以处理此申请`);
  }
}

export function openApplication(input: {
  id: string;
  resource: Resource;
  consumer: Principal;
  request: ApplicationRequest;
  now: Date;
  dueAt: Date;
}): Agreement {
  const { resource, consumer, request, now } = input;
  requireRole(consumer, 'data_officer', 'admin');
  if (consumer.memberRole !== 'consumer' && consumer.memberRole !== 'provider') {
    throw new HutongError('NOT_A_CONSUMER');
  }
  if (resource.providerCode === consumer.memberCode) throw new HutongError('OWN_RESOURCE');
  if (resource.sharingType === 'not_shared') {
    throw new HutongError(
      'RESOURCE_NOT_SHAREABLE',
      `${resource.name} 为不予共享资源（依据：${resource.legalBasis ?? '—'}）`,
    );
  }
  if (!request.purpose.trim()) {
    throw new HutongError('VALIDATION_FAILED', '须写明用途', [{ path: 'purpose', message: 'required' }]);
  }
  const requested = uniqueTerms({
    items: request.items,
    modes: request.modes,
    ...(request.predicates === undefined ? {} : { predicates: request.predicates }),
    validFrom: request.validFrom,
    validTo: request.validTo,
    rateLimitPerMinute: request.rateLimitPerMinute,
  });
  checkTerms(resource, requested, chinaDate(now));
  const applied: Agreement = {
    id: input.id,
    resourceCode: resource.code,
    consumerCode: consumer.memberCode,
    providerCode: resource.providerCode,
    purpose: request.purpose.trim(),
    legalBasis: request.legalBasis.trim(),
    requested,
    granted: null,
    status: 'pending',
    appliedAt: now.toISOString(),
    dueAt: input.dueAt.toISOString(),
    answeredAt: null,
    history: [
      {
        at: now.toISOString(),
        actorMember: consumer.memberCode,
        actorUser: consumer.username,
        action: 'apply',
        fromStatus: null,
        toStatus: 'pending',
        reason: null,
      },
    ],
    version: 1,
  };
  if (resource.sharingType === 'unconditional') {
    // 无条件共享: sharing is the rule; the platform grants what was asked at once.
    return transition(applied, systemActor, 'auto_approve', 'active', now, null, {
      granted: requested,
      answeredAt: now.toISOString(),
    });
  }
  return applied;
}

export interface Narrowing {
  items?: string[] | undefined;
  modes?: AccessMode[] | undefined;
  validTo?: string | undefined;
  rateLimitPerMinute?: number | undefined;
  comment?: string | undefined;
}

/** The provider's answer may only narrow what was asked: fewer items or modes, a shorter period, a lower rate. */
export function narrowTerms(requested: Terms, narrowing: Narrowing): Terms {
  const granted = uniqueTerms({
    items: narrowing.items ?? requested.items,
    modes: narrowing.modes ?? requested.modes,
    // The questions asked for stay, less those over an item the provider did not grant.
    ...(requested.predicates === undefined || !(narrowing.modes ?? requested.modes).includes('verify')
      ? {}
      : {
          predicates: requested.predicates.filter((question) =>
            templateItems(question).every((item) => (narrowing.items ?? requested.items).includes(item)),
          ),
        }),
    validFrom: requested.validFrom,
    validTo: narrowing.validTo ?? requested.validTo,
    rateLimitPerMinute: narrowing.rateLimitPerMinute ?? requested.rateLimitPerMinute,
  });
  const extraItems = granted.items.filter((item) => !requested.items.includes(item));
  const extraModes = granted.modes.filter((mode) => !requested.modes.includes(mode));
  const issues = [
    ...(extraItems.length ? [{ path: 'items', message: `not requested: ${extraItems.join(', ')}` }] : []),
    ...(granted.items.length === 0 ? [{ path: 'items', message: 'empty' }] : []),
    ...(extraModes.length ? [{ path: 'modes', message: `not requested: ${extraModes.join(', ')}` }] : []),
    ...(granted.modes.length === 0 ? [{ path: 'modes', message: 'empty' }] : []),
    ...(granted.predicates?.length === 0 ? [{ path: 'items', message: 'no verify question left' }] : []),
    ...(granted.validTo > requested.validTo ? [{ path: 'validTo', message: 'later than requested' }] : []),
    ...(granted.validTo < granted.validFrom ? [{ path: 'validTo', message: 'before validFrom' }] : []),
    ...(granted.rateLimitPerMinute > requested.rateLimitPerMinute || granted.rateLimitPerMinute < 1
      ? [{ path: 'rateLimitPerMinute', message: 'must be between 1 and the requested rate' }]
      : []),
  ];
  if (issues.length > 0) throw new HutongError('NOT_A_NARROWING', '审批只能缩小申请范围', issues);
  return granted;
}

export function approve(
  agreement: Agreement,
  resource: Resource,
  actor: Principal,
  narrowing: Narrowing,
  now: Date,
): Agreement {
  requireProvider(agreement, actor);
  requireRole(actor, 'reviewer');
  requireStatus(agreement, 'approve', 'pending');
  const granted = narrowTerms(agreement.requested, narrowing);
  const comment = narrowing.comment?.trim() || null;
  if (resource.requiresSuperiorApproval) {
    return transition(agreement, actor, 'approve', 'pending_superior', now, comment, { granted });
  }
  return transition(agreement, actor, 'approve', 'active', now, comment, { granted, answeredAt: now.toISOString() });
}

export function superiorApprove(
  agreement: Agreement,
  actor: Principal,
  comment: string | undefined,
  now: Date,
): Agreement {
  requireProvider(agreement, actor);
  requireRole(actor, 'leader');
  requireStatus(agreement, 'superior_approve', 'pending_superior');
  const firstApprover = [...agreement.history].reverse().find((event) => event.action === 'approve');
  if (firstApprover?.actorUser && firstApprover.actorUser === actor.username) {
    throw new HutongError('SAME_APPROVER');
  }
  return transition(agreement, actor, 'superior_approve', 'active', now, comment?.trim() || null, {
    answeredAt: now.toISOString(),
  });
}

export function reject(agreement: Agreement, actor: Principal, reason: string | undefined, now: Date): Agreement {
  requireProvider(agreement, actor);
  requireRole(actor, 'reviewer');
  const why = requireReason(reason);
  requireStatus(agreement, 'reject', 'pending');
  return transition(agreement, actor, 'reject', 'rejected', now, why, { answeredAt: now.toISOString() });
}

export function superiorReject(
  agreement: Agreement,
  actor: Principal,
  reason: string | undefined,
  now: Date,
): Agreement {
  requireProvider(agreement, actor);
  requireRole(actor, 'leader');
  const why = requireReason(reason);
  requireStatus(agreement, 'superior_reject', 'pending_superior');
  return transition(agreement, actor, 'superior_reject', 'rejected', now, why, {
    granted: null,
    answeredAt: now.toISOString(),
  });
}

/** The provider, or the platform operator acting for the city, may stop a live agreement. */
function requireSupervisor(agreement: Agreement, actor: Principal): void {
  if (actor.memberRole === 'operator') {
    requireRole(actor, 'admin');
    return;
  }
  requireProvider(agreement, actor);
  requireRole(actor, 'reviewer', 'admin');
}

export function suspend(agreement: Agreement, actor: Principal, reason: string | undefined, now: Date): Agreement {
  requireSupervisor(agreement, actor);
  const why = requireReason(reason);
  requireStatus(agreement, 'suspend', 'active');
  return transition(agreement, actor, 'suspend', 'suspended', now, why);
}

export function resume(agreement: Agreement, actor: Principal, now: Date): Agreement {
  requireSupervisor(agreement, actor);
  requireStatus(agreement, 'resume', 'suspended');
  return transition(agreement, actor, 'resume', 'active', now, null);
}

export function revoke(agreement: Agreement, actor: Principal, reason: string | undefined, now: Date): Agreement {
  requireSupervisor(agreement, actor);
  const why = requireReason(reason);
  requireStatus(agreement, 'revoke', 'active', 'suspended');
  return transition(agreement, actor, 'revoke', 'revoked', now, why);
}

export function withdraw(agreement: Agreement, actor: Principal, now: Date): Agreement {
  if (actor.memberCode !== agreement.consumerCode) {
    throw new HutongError('NOT_PARTY_TO_AGREEMENT', '只有申请方可以撤回申请');
  }
  requireRole(actor, 'data_officer', 'admin');
  requireStatus(agreement, 'withdraw', 'pending', 'pending_superior');
  return transition(agreement, actor, 'withdraw', 'withdrawn', now, null, { answeredAt: null });
}

/** An agreement past its last valid day expires (the system records the transition). */
export function isDueToExpire(agreement: Agreement, now: Date): boolean {
  if (agreement.status !== 'active' && agreement.status !== 'suspended') return false;
  return agreement.granted !== null && agreement.granted.validTo < chinaDate(now);
}

export function expire(agreement: Agreement, now: Date): Agreement {
  if (!isDueToExpire(agreement, now)) return agreement;
  return transition(agreement, systemActor, 'expire', 'expired', now, null);
}

export function isFinal(status: AgreementStatus): boolean {
  return finalStatuses.has(status);
}

export function canRead(agreement: Agreement, actor: Principal): boolean {
  return (
    actor.memberCode === agreement.consumerCode ||
    actor.memberCode === agreement.providerCode ||
    actor.memberRole === 'operator' ||
    actor.memberRole === 'auditor'
  );
}
