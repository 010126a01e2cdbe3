/** The hub's audit events as log entries: RFC 8785 canonical JSON, appended durably before `record` resolves. */
import type { AuditLog, HubAuditEvent } from '../core/ports/audit-log';
import { canonicalJsonBytes } from './canonical-json';
import type { LogService } from './log-service';

export function canonicalJsonAuditLog(log: LogService): AuditLog {
  return {
    async record(event: HubAuditEvent) {
      await log.append([canonicalJsonBytes({ v: 1, ...event })]);
    },
    async recordAll(events: readonly HubAuditEvent[]) {
      await log.append(events.map((event) => canonicalJsonBytes({ v: 1, ...event })));
    },
  };
}
