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

/** The real time plus an adjustable offset: for tests that need real signatures yet a movable "now". */
export function shiftableClock(): Clock & { shiftMs(ms: number): void; reset(): void } {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    shiftMs(ms) {
      offset += ms;
    },
    reset() {
      offset = 0;
    },
  };
}
