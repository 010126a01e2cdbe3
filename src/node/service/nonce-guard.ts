/**
 * Single-use nonces for signed requests, checked in memory on the hot path. Durability comes from the
 * audit trail: every verified request's event carries its nonce and is committed before the answer
 * leaves, so after a restart the guard is rebuilt from the events of the last signature window.
 */
export class NonceGuard {
  private readonly seen = new Map<string, number>();
  private checksSinceSweep = 0;

  /** Claims a nonce until `expiresAtMs`; false when it was already used (a replay). */
  claim(signerKey: string, nonce: string, expiresAtMs: number, nowMs: number): boolean {
    const key = `${signerKey}\u0000${nonce}`;
    if (this.seen.has(key)) return false;
    this.seen.set(key, expiresAtMs);
    this.checksSinceSweep += 1;
    if (this.checksSinceSweep >= 10_000) {
      this.checksSinceSweep = 0;
      // Expired nonces can go: their signatures are refused as stale before the nonce is looked at.
      for (const [entry, expiry] of this.seen) if (expiry < nowMs) this.seen.delete(entry);
    }
    return true;
  }

  size(): number {
    return this.seen.size;
  }
}
