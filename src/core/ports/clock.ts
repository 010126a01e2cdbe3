/** Time enters the core only through this port, so rules about deadlines and expiry are testable. */
export interface Clock {
  now(): Date;
}

export function fixedClock(iso: string): Clock & { set(iso: string): void; advanceMs(ms: number): void } {
  let current = new Date(iso);
  return {
    now: () => new Date(current.getTime()),
    set(next) {
      current = new Date(next);
    },
    advanceMs(ms) {
      current = new Date(current.getTime() + ms);
    },
  };
}
