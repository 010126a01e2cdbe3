/**
 * Group commit for audit events: requests arriving within the same few milliseconds share one durable
 * transaction, so "no audit, no data" costs one commit per batch rather than one per request.
 */
import type { AuditEvent, NodeStore, StoredAuditEvent } from '../core/ports/node-store';

interface Waiting {
  event: AuditEvent;
  resolve(stored: StoredAuditEvent): void;
  reject(error: unknown): void;
}

export class AuditWriter {
  private queue: Waiting[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly store: NodeStore,
    private readonly maxBatch = 512,
  ) {}

  /** Resolves once the event is committed; rejects when it could not be stored (then no data may leave). */
  record(event: AuditEvent): Promise<StoredAuditEvent> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      if (!this.flushing) this.flushing = this.flushSoon();
    });
  }

  private async flushSoon(): Promise<void> {
    // Let requests that are already in flight join this batch.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const stored = await this.store.appendAudit(batch.map((waiting) => waiting.event));
          for (const [index, waiting] of batch.entries()) waiting.resolve(stored[index]!);
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
