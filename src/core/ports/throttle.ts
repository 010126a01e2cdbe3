/**
 * Throttling of guesses (logins, public checks): an attempt is reserved before anything is checked, in one
 * atomic step in the store, so parallel guesses cannot all slip through, and the count survives a restart
 * and is shared by every hub process on one database.
 */

export interface ThrottleRule {
  /** Attempts allowed per window… */
  limit: number;
  /** …of this many milliseconds (from the first attempt of the window). */
  windowMs: number;
}

export interface ThrottleDecision {
  allowed: boolean;
  /** Attempts reserved in the current window, this one included. */
  count: number;
  /** When the window ends (ISO 8601): the lock, if any, is lifted then. */
  windowEndsAt: string;
  /** Milliseconds until another attempt may be made (0 when allowed). */
  retryAfterMs: number;
}

export interface AttemptThrottle {
  /** Reserves one attempt for `key` in `scope` (a purpose: 'console-login', 'resident-login', …). */
  reserve(scope: string, key: string, rule: ThrottleRule, now: Date): Promise<ThrottleDecision>;
  /** Forgets the key's attempts: the check succeeded. */
  clear(scope: string, key: string): Promise<void>;
  /** Gives one reserved attempt back (a success does not count against a shared key, e.g. an address). */
  release(scope: string, key: string): Promise<void>;
}
