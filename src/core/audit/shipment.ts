/**
 * What a node sends the hub's log (POST /api/v1/ledger/access-events, RFC 9421-signed with the node's key)
 * and what the hub answers: the wire contract of audit shipping, shared by node, hub and CLI.
 */
import type { AccessRecord } from './access-record';
import type { Seal } from './chain';

/** Records the hub has not logged yet, in chain order, sealed at the last one. */
export interface AccessShipment {
  records: AccessRecord[];
  /**
   * The clear officer and case of each record, by seq: kept by the hub for the auditor's audited view,
   * never written to the public log (the records carry keyed hashes of them).
   */
  details: { seq: number; officer: string | null; caseId: string | null }[];
  seal: Seal;
}

/** How far the hub's log holds a node's chain: its last seq and that record's hash. */
export interface ChainCursor {
  lastSeq: number;
  /** null while nothing of the node is logged. */
  lastHash: string | null;
}

/** A node's signed statement of its chain's head (GET /audit/v1/head on the node, public). */
export interface SignedHead extends Seal {
  node: string;
  /** When the node decided the head record. */
  at: string;
}
