/** What a department node needs from the outside: the hub's directory, its data tables, keyed hashing. */
import type { Agreement } from '../agreements/agreement';
import type { Resource } from '../catalog/resource';
import type { Member } from '../members/member';
import type { AccessShipment, ChainCursor } from '../audit/shipment';

/** The hub as the node sees it: the source of agreements, members' keys and node addresses. */
export interface HubDirectory {
  /** Every agreement the node's member is party to, as the hub holds it now. */
  agreements(): Promise<Agreement[]>;
  agreement(id: string): Promise<Agreement | undefined>;
  members(): Promise<Member[]>;
  resources(): Promise<Resource[]>;
  /** How far the hub's log holds this node's chain (last seq 0 when none). */
  ledgerCursor(): Promise<ChainCursor>;
  /** Ships sealed records, in chain order, to the hub's log (signed with the node's key); the new cursor. */
  shipAccessRecords(shipment: AccessShipment): Promise<ChainCursor>;
}

/** The node's own Ed25519 key (the one registered at the hub), for seals and signed heads. */
export interface NodeSigner {
  /** `<member>:<key id at the hub>`; empty until the hub has registered the key. */
  keyId(): string;
  sign(message: Uint8Array): Uint8Array;
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

/** What else a public record names only by keyed hash: each under its own key derived from the city secret. */
export type KeyedPurpose = 'request-digest' | 'response-digest' | 'officer' | 'case' | 'throttle' | 'verify-question';

/** Keyed hashing of subject keys (HMAC-SHA256 with the city secret), so audits never hold raw identifiers. */
export interface SubjectHasher {
  hash(subjectKey: string): string;
  /** HMAC-SHA256 (base64url) under the key derived for `purpose`: never comparable across purposes. */
  keyed(purpose: KeyedPurpose, value: string): string;
}
