/** What a department node needs from the outside: the hub's directory, its data tables, keyed hashing. */
import type { Agreement } from '../agreements/agreement';
import type { Resource } from '../catalog/resource';
import type { Member } from '../members/member';
import type { StoredAuditEvent } from './node-store';

/** The hub as the node sees it: the source of agreements, members' keys and node addresses. */
export interface HubDirectory {
  /** Every agreement the node's member is party to, as the hub holds it now. */
  agreements(): Promise<Agreement[]>;
  agreement(id: string): Promise<Agreement | undefined>;
  members(): Promise<Member[]>;
  resources(): Promise<Resource[]>;
  /** The last of this node's audit events already in the hub's log (0 when none). */
  ledgerCursor(): Promise<number>;
  /** Ships committed audit events, in sequence, to the hub's log; resolves to the hub's new cursor. */
  shipAccessEvents(events: readonly StoredAuditEvent[]): Promise<number>;
}

export type Cell = string | number | null;
export type DataRow = Record<string, Cell>;

/** The node's data tables, one per catalog resource of its department. */
export interface NodeData {
  /** Rows whose subject-key column holds one of `keys` (already normalised). */
  rowsForSubjects(resourceCode: string, keyColumn: string, keys: string[]): Promise<DataRow[]>;
  /** Every row of a resource (aggregate and population-wide computations). */
  allRows(resourceCode: string): Promise<DataRow[]>;
  /** How many times the data tables were read: lets tests prove that refused requests touch no data. */
  reads(): number;
}

/** Keyed hashing of subject keys (HMAC-SHA256 with the city secret), so audits never hold raw identifiers. */
export interface SubjectHasher {
  hash(subjectKey: string): string;
}
