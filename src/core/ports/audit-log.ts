/**
 * Where the hub records events in the append-only Merkle log: its own (agreement transitions, member, key
 * and catalog changes) and the nodes' sealed access records. A change and the entries that record it
 * commit in one transaction: the log never misses a change, and never holds one that did not happen.
 */
import type { AccessRecord } from '../audit/access-record';
import type { Seal } from '../audit/chain';
import type { HubStore } from './hub-store';

export interface HubAuditEvent {
  type: 'agreement' | 'member' | 'resource' | 'disclosure';
  action: string;
  /** When the event happened (the log's own sequencing time is stamped on the entry as `loggedAt`). */
  at: string;
  /** The member that acted ('system' for the platform's own transitions). */
  actor: string;
  [field: string]: string | number | boolean | null | string[];
}

/** A node's access record as the log carries it; the last record of a shipment carries the node's seal. */
export interface AccessLogEvent {
  type: 'access';
  record: AccessRecord;
  seal?: Seal;
}

export type LogEvent = HubAuditEvent | AccessLogEvent;

export interface AuditLog {
  /** Logs an event that changes nothing else (e.g. an auditor viewing clear values); resolves once durable. */
  record(event: HubAuditEvent): Promise<void>;
  /**
   * Runs `change` against the hub's store inside the transaction that appends the events it returns:
   * both commit, or neither does (a failed change logs nothing; a failed append changes nothing).
   */
  commit<T>(change: (store: HubStore) => Promise<{ result: T; events: readonly LogEvent[] }>): Promise<T>;
}
