/** The hub's audit events as log entries: RFC 8785 canonical JSON, appended durably before `record` resolves. */
import { HutongError } from '../core/errors';
import { MAX_ENTRY_SIZE } from '../core/ledger/tiles';
import type { AuditLog, HubAuditEvent } from '../core/ports/audit-log';
import { canonicalJsonBytes } from './canonical-json';
import type { LogService } from './log-service';

function entryOf(event: HubAuditEvent): Uint8Array {
  const bytes = canonicalJsonBytes({ v: 1, ...event });
  // Refused before anything is appended, so a batch is logged whole or not at all.
  if (bytes.length > MAX_ENTRY_SIZE) {
    throw new HutongError('VALIDATION_FAILED', `审计事件过大，无法记入账本 / event of ${bytes.length} bytes`, [
      { path: 'events', message: `a log entry holds at most ${MAX_ENTRY_SIZE} bytes` },
    ]);
  }
  return bytes;
}

export function canonicalJsonAuditLog(log: LogService): AuditLog {
  return {
    async record(event: HubAuditEvent) {
      await log.append([entryOf(event)]);
    },
    async recordAll(events: readonly HubAuditEvent[]) {
      await log.append(events.map(entryOf));
    },
  };
}
