/**
 * Where the hub records its own audit events (agreement transitions, member and catalog changes): the
 * append-only Merkle log. An event counts as logged once `record` resolves.
 */
export interface HubAuditEvent {
  type: 'agreement' | 'member' | 'resource' | 'access';
  action: string;
  at: string;
  /** The member that acted ('system' for the platform's own transitions). */
  actor: string;
  [field: string]: string | number | boolean | null | string[];
}

export interface AuditLog {
  record(event: HubAuditEvent): Promise<void>;
  /** Records several events as consecutive entries in one durable batch. */
  recordAll(events: readonly HubAuditEvent[]): Promise<void>;
}

export const noAuditLog: AuditLog = { record: async () => {}, recordAll: async () => {} };
