/**
 * Limits on guessing (console passwords, residents' and enterprises' names): every attempt is reserved —
 * per account or subject, and per client address — before anything is checked, so a burst of parallel
 * guesses gets at most the limit through, and the count survives restarts (AttemptThrottle, in the store).
 * A success clears its account's count and gives its address the attempt back. Keys are kept and reported only as keyed
 * hashes: a username, an ID number or an address is not written down in clear.
 */
import { HutongError } from '../../core/errors';
import type { Clock } from '../../core/ports/clock';
import type { AttemptThrottle, ThrottleRule } from '../../core/ports/throttle';

export interface GuessLimits {
  /** Per account or subject: NIST SP 800-63B asks for a limit on consecutive failures. */
  perKey: ThrottleRule;
  /** Per client address, across accounts (one address guessing many accounts). */
  perAddress: ThrottleRule;
}

export const defaultGuessLimits: GuessLimits = {
  perKey: { limit: 5, windowMs: 15 * 60_000 },
  perAddress: { limit: 100, windowMs: 15 * 60_000 },
};

/** The answer to a refused attempt: 429, with how long to wait (Retry-After). */
export class ThrottledError extends HutongError {
  constructor(
    code: 'LOGIN_THROTTLED' | 'TOO_MANY_ATTEMPTS',
    readonly retryAfterSeconds: number,
  ) {
    super(code, `尝试次数过多，请 ${Math.ceil(retryAfterSeconds / 60)} 分钟后再试 / too many attempts, retry later`);
  }
}

export interface GuessGuardDependencies {
  throttle: AttemptThrottle;
  clock: Clock;
  /** A keyed hash: what the throttle stores and the log shows instead of the value. */
  keyOf(value: string): string;
  limits?: GuessLimits | undefined;
  /** Told when a key or an address gets locked, with the lock's end (for the operator's log). */
  onLocked?: ((event: { scope: string; kind: 'key' | 'address'; ref: string; until: string }) => void) | undefined;
}

export class GuessGuard {
  private readonly limits: GuessLimits;

  constructor(private readonly deps: GuessGuardDependencies) {
    this.limits = deps.limits ?? defaultGuessLimits;
  }

  /** Reserves one attempt for `key` from `address`; throws 429 when either is over its limit. */
  async reserve(
    scope: string,
    key: string,
    address: string,
    code: 'LOGIN_THROTTLED' | 'TOO_MANY_ATTEMPTS' = 'LOGIN_THROTTLED',
  ): Promise<void> {
    const now = this.deps.clock.now();
    const keyRef = this.deps.keyOf(key);
    const addressRef = this.deps.keyOf(`address:${address}`);
    const [perKey, perAddress] = await Promise.all([
      this.deps.throttle.reserve(scope, `k:${keyRef}`, this.limits.perKey, now),
      this.deps.throttle.reserve(scope, `a:${addressRef}`, this.limits.perAddress, now),
    ]);
    if (perKey.count === this.limits.perKey.limit + 1) {
      this.deps.onLocked?.({ scope, kind: 'key', ref: keyRef.slice(0, 12), until: perKey.windowEndsAt });
    }
    if (perAddress.count === this.limits.perAddress.limit + 1) {
      this.deps.onLocked?.({ scope, kind: 'address', ref: addressRef.slice(0, 12), until: perAddress.windowEndsAt });
    }
    if (!perKey.allowed || !perAddress.allowed) {
      const waitMs = Math.max(perKey.retryAfterMs, perAddress.retryAfterMs);
      throw new ThrottledError(code, Math.max(1, Math.ceil(waitMs / 1000)));
    }
  }

  /**
   * The check succeeded: the account's attempts are forgotten, and the address gets this attempt back (an
   * office behind one address logs many people in; only failures should add up there).
   */
  async succeeded(scope: string, key: string, address: string): Promise<void> {
    await this.deps.throttle.clear(scope, `k:${this.deps.keyOf(key)}`);
    await this.deps.throttle.release(scope, `a:${this.deps.keyOf(`address:${address}`)}`);
  }
}
