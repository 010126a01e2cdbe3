/**
 * The hub's audit events as log entries: RFC 8785 canonical JSON `{"v":2,"type":…,"loggedAt":…,…}`, where
 * `loggedAt` is the log's own sequencing time (never earlier than an entry before it) and the event keeps
 * its own time. Appended durably before `record` / `commit` resolve.
 */
import { HutongError } from '../../core/errors';
import { canonicalJsonBytes } from '../../core/ledger/canonical-json';
import { MAX_ENTRY_SIZE } from '../../core/ledger/tiles';
import type { AuditLog, LogEvent } from '../../core/ports/audit-log';
import type { HubStore } from '../../core/ports/hub-store';
import type { LogService } from './log-service';

export const ENTRY_FORMAT = 2;

export function entryOf(event: LogEvent, loggedAt: string): Uint8Array {
  const bytes = canonicalJsonBytes({ v: ENTRY_FORMAT, loggedAt, ...event });
  // Refused before anything is appended, so a batch is logged whole or not at all.
  if (bytes.length > MAX_ENTRY_SIZE) {
    throw new HutongError('VALIDATION_FAILED', `审计事件过大，无法记入账本 / event of ${bytes.length} bytes`, [
      { path: 'events', message: `a log entry holds at most ${MAX_ENTRY_SIZE} bytes` },
    ]);
  }
  return bytes;
}

/** The sequencing time an entry carries (undefined for an entry of another format). */
export function loggedAtOf(entry: Uint8Array): string | undefined {
  try {
    const parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(entry)) as { loggedAt?: unknown };
    return typeof parsed.loggedAt === 'string' ? parsed.loggedAt : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `bindStore` turns the log store's transaction (LedgerTransaction.handle) into the hub's store working in
 * that transaction: the composition root knows both live in one database.
 */
export function canonicalJsonAuditLog(log: LogService, bindStore: (handle: unknown) => HubStore): AuditLog {
  return {
    async record(event) {
      // Checked before it is queued: an oversized event fails alone, not the batch it would join.
      entryOf(event, new Date(0).toISOString());
      await log.appendStamped((loggedAt) => [entryOf(event, loggedAt)]);
    },
    async commit(change) {
      const { result } = await log.appendWith(async (handle, loggedAt) => {
        const done = await change(bindStore(handle));
        return { result: done.result, entries: done.events.map((event) => entryOf(event, loggedAt)) };
      });
      return result;
    },
  };
}
