/**
 * Group commit for audit events: requests arriving within the same few milliseconds share one durable
 * transaction, so "no audit, no data" costs one commit per batch rather than one per request. Each event
 * is linked into the node's chain inside that transaction.
 */
import type { AuditAppend, ChainLinker, NodeStore, StoredAuditEvent } from '../../core/ports/node-store';

interface Waiting {
  events: readonly AuditAppend[];
  resolve(stored: StoredAuditEvent[]): void;
  reject(error: unknown): void;
}

export class AuditWriter {
  private queue: Waiting[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly store: NodeStore,
    private readonly link: ChainLinker,
    private readonly maxBatch = 512,
  ) {}

  /**
   * Resolves once the events (one decision: one event, or its parts) are committed, consecutively in the
   * chain; rejects when they could not be stored (then no data may leave).
   */
  record(events: readonly AuditAppend[]): Promise<StoredAuditEvent[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      if (!this.flushing) this.flushing = this.flushSoon();
    });
  }

  private async flushSoon(): Promise<void> {
    // Let requests that are already in flight join this batch.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.queue.length > 0) {
        const batch: Waiting[] = [this.queue.shift()!];
        let count = batch[0]!.events.length;
        while (this.queue.length > 0 && count + this.queue[0]!.events.length <= this.maxBatch) {
          count += this.queue[0]!.events.length;
          batch.push(this.queue.shift()!);
        }
        try {
          const stored = await this.store.appendAudit(
            batch.flatMap((waiting) => waiting.events),
            this.link,
          );
          let offset = 0;
          for (const waiting of batch) {
            waiting.resolve(stored.slice(offset, offset + waiting.events.length));
            offset += waiting.events.length;
          }
        } catch (error) {
          for (const waiting of batch) waiting.reject(error);
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  /** Waits for every queued event to be written (used on shutdown). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }
}
