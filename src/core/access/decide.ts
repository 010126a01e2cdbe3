/**
 * The node's authorisation decision for one request, and the rate limiter it consults. Pure: the node
 * passes the agreement as it last confirmed it with the hub, when that was, the current instant and the
 * rate-limit state; it gets back allow (with the next rate state to persist) or one stable refusal code.
 *
 * Checks run in a fixed order so that a refusal reveals no more than the check that failed: first who is
 * asking and about what (unknown, wrong node, wrong consumer, wrong resource), then whether the agreement
 * is live (status, validity dates), what it grants (mode, items), then whether the node's knowledge is fresh
 * enough to allow anything (stale knowledge may still refuse), and the rate limit last, so that refused
 * requests never spend the consumer's quota.
 */
import type { Agreement, AgreementStatus, Terms } from '../agreements/agreement';
import type { AccessMode } from '../catalog/resource';
import { chinaDate } from '../calendar/working-days';
import type { AccessErrorCode } from './errors';
import { AccessError } from './errors';

/** What the node needs to know of an agreement: a subset of the hub's Agreement. */
export interface NodeAgreement {
  id: string;
  resourceCode: string;
  consumerCode: string;
  providerCode: string;
  status: AgreementStatus;
  granted: Terms | null;
}

/** What a decision needs of an agreement. */
export function nodeAgreementOf(agreement: Agreement): NodeAgreement {
  return {
    id: agreement.id,
    resourceCode: agreement.resourceCode,
    consumerCode: agreement.consumerCode,
    providerCode: agreement.providerCode,
    status: agreement.status,
    granted: agreement.granted,
  };
}

export interface RateState {
  /** Start (ms since epoch) of the current fixed window. */
  windowStartMs: number;
  /** Requests admitted in the current window. */
  current: number;
  /** Requests admitted in the window before it. */
  previous: number;
}

export interface DecisionInput {
  /** The agreement as last confirmed from the hub, or null/undefined when the node does not know it. */
  agreement: NodeAgreement | null | undefined;
  /** When the node last confirmed the agreement's state with the hub. */
  confirmedAt: Date;
  /** How long a confirmation stays good; beyond it the node fails closed. */
  stalenessLimitMs: number;
  now: Date;
  /** The member this node serves (its department code). */
  nodeMember: string;
  /** The authenticated calling member. */
  caller: string;
  resourceCode: string;
  mode: AccessMode;
  /** Items the request reads: predicate items, record items, groupBy/filter/sum items, computation items. */
  items: readonly string[];
  /** Rate-limit state stored for this agreement; undefined before the first request. */
  rate: RateState | undefined;
  /** Weight of this request against the per-minute limit (default 1). */
  cost?: number | undefined;
}

export type Decision =
  | { allow: true; agreementId: string; terms: Terms; rate: RateState }
  | {
      allow: false;
      code: AccessErrorCode;
      detail: string;
      /** For AGREEMENT_NOT_ACTIVE: the status the node knows ('expired' also when past validTo). */
      status?: AgreementStatus | undefined;
      /** For ITEM_NOT_ALLOWED: the items not granted. */
      items?: string[] | undefined;
      /** For RATE_LIMITED and AGREEMENT_STALE: when trying again may succeed. */
      retryAfterMs?: number | undefined;
    };

export const rateWindowMs = 60_000;

export interface RateCheck {
  allowed: boolean;
  /** The state to store: advanced on allow, only re-aligned to the current window on refusal. */
  state: RateState;
  retryAfterMs: number;
}

/**
 * Sliding-window counter (the fixed window blended with the previous one by how much of it still overlaps
 * the last minute). It needs two counters instead of a log of timestamps and does not admit the double
 * burst a plain fixed window allows at a window edge. Refused requests are not counted.
 */
export function checkRate(state: RateState | undefined, nowMs: number, limitPerMinute: number, cost = 1): RateCheck {
  const windowStartMs = Math.floor(nowMs / rateWindowMs) * rateWindowMs;
  let current: RateState;
  if (!state || windowStartMs - state.windowStartMs >= 2 * rateWindowMs) {
    current = { windowStartMs, current: 0, previous: 0 };
  } else if (windowStartMs > state.windowStartMs) {
    current = { windowStartMs, current: 0, previous: state.current };
  } else {
    // A clock that stepped back keeps the stored window rather than reopening an old one.
    current = state;
  }
  const elapsed = Math.min(Math.max(nowMs - current.windowStartMs, 0), rateWindowMs);
  const previousWeight = (rateWindowMs - elapsed) / rateWindowMs;
  const estimate = current.previous * previousWeight + current.current;
  if (estimate + cost <= limitPerMinute) {
    return { allowed: true, state: { ...current, current: current.current + cost }, retryAfterMs: 0 };
  }
  // Time until the previous window's share has decayed enough, or until the next window if that is not enough.
  const excess = estimate + cost - limitPerMinute;
  let retryAfterMs = rateWindowMs - elapsed;
  if (current.previous > 0 && current.current + cost <= limitPerMinute) {
    retryAfterMs = Math.ceil((excess / current.previous) * rateWindowMs);
  }
  return { allowed: false, state: current, retryAfterMs: Math.max(1, retryAfterMs) };
}

function refuse(
  code: AccessErrorCode,
  detail: string,
  extra: Omit<Extract<Decision, { allow: false }>, 'allow' | 'code' | 'detail'> = {},
): Decision {
  return { allow: false, code, detail, ...extra };
}

/** The decision for one request. Never throws for a refusal; see `assertAllowed` for the throwing form. */
export function decide(input: DecisionInput): Decision {
  const { agreement } = input;
  if (!agreement) return refuse('AGREEMENT_UNKNOWN', 'this node has no record of the agreement');
  if (agreement.providerCode !== input.nodeMember) {
    return refuse('PROVIDER_MISMATCH', `agreement ${agreement.id} is with ${agreement.providerCode}, not this node`);
  }
  if (agreement.consumerCode !== input.caller) {
    return refuse('CONSUMER_MISMATCH', `agreement ${agreement.id} was not granted to the caller`);
  }
  if (agreement.resourceCode !== input.resourceCode) {
    return refuse('RESOURCE_MISMATCH', `agreement ${agreement.id} covers ${agreement.resourceCode}`);
  }
  // Known refusals stand even on stale knowledge: acting on them can only deny, never leak. Granted terms
  // never widen once granted (approval only narrows), so mode and item refusals are known refusals too.
  if (agreement.status !== 'active' || agreement.granted === null) {
    return refuse('AGREEMENT_NOT_ACTIVE', `agreement ${agreement.id} is ${agreement.status}`, {
      status: agreement.status,
    });
  }
  const terms = agreement.granted;
  const today = chinaDate(input.now);
  if (today < terms.validFrom) {
    return refuse('AGREEMENT_NOT_YET_VALID', `agreement ${agreement.id} is valid from ${terms.validFrom}`);
  }
  if (today > terms.validTo) {
    // The hub records the expiry transition in its own time; the node does not wait for it.
    return refuse('AGREEMENT_NOT_ACTIVE', `agreement ${agreement.id} ended on ${terms.validTo}`, {
      status: 'expired',
    });
  }
  if (!terms.modes.includes(input.mode)) {
    return refuse('MODE_NOT_GRANTED', `agreement ${agreement.id} does not grant ${input.mode}`);
  }
  const granted = new Set(terms.items);
  const refused = [...new Set(input.items.filter((item) => !granted.has(item)))];
  if (refused.length > 0) {
    return refuse('ITEM_NOT_ALLOWED', `not granted: ${refused.join(', ')}`, { items: refused });
  }
  // Everything above only refuses; from here on the answer may allow, which stale knowledge must not.
  const ageMs = input.now.getTime() - input.confirmedAt.getTime();
  if (ageMs > input.stalenessLimitMs) {
    return refuse(
      'AGREEMENT_STALE',
      `agreement state last confirmed ${Math.floor(ageMs / 1000)} s ago (limit ${Math.floor(input.stalenessLimitMs / 1000)} s)`,
      { retryAfterMs: 60_000 },
    );
  }
  const rate = checkRate(input.rate, input.now.getTime(), terms.rateLimitPerMinute, input.cost ?? 1);
  if (!rate.allowed) {
    return refuse('RATE_LIMITED', `more than ${terms.rateLimitPerMinute} requests per minute`, {
      retryAfterMs: rate.retryAfterMs,
    });
  }
  return { allow: true, agreementId: agreement.id, terms, rate: rate.state };
}

/** As `decide`, throwing AccessError on refusal; returns the allow decision. */
export function assertAllowed(input: DecisionInput): Extract<Decision, { allow: true }> {
  const decision = decide(input);
  if (decision.allow) return decision;
  throw new AccessError(decision.code, decision.detail, [], {
    status: decision.status,
    items: decision.items,
    retryAfterMs: decision.retryAfterMs,
  });
}
