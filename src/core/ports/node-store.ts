/** What a department node needs from its own database, besides its data tables. */
import type { Agreement } from '../agreements/agreement';
import type { AccessMode } from '../catalog/resource';

export type AuditDecision = 'served' | 'denied';

/** One access decision at a node. Subjects appear only as keyed hashes (HMAC-SHA256 with the city secret). */
export interface AuditEvent {
  eventId: string;
  at: string;
  decision: AuditDecision;
  /** The refusal code for a denial; null when served. */
  code: string | null;
  consumerCode: string;
  providerCode: string;
  resourceCode: string | null;
  agreementId: string | null;
  mode: AccessMode | null;
  items: string[];
  purpose: string | null;
  officer: string | null;
  caseId: string | null;
  requestId: string | null;
  requestDigest: string | null;
  responseDigest: string | null;
  subjectHashes: string[];
}

export interface StoredAuditEvent extends AuditEvent {
  seq: number;
}

export interface CachedAgreement {
  agreement: Agreement;
  /** When the hub last confirmed this state to the node. */
  confirmedAt: string;
}

export interface NodeStore {
  migrate(): Promise<void>;
  close(): Promise<void>;

  /** Replaces the node's copy of the agreements that concern it, as confirmed by the hub at `confirmedAt`. */
  replaceAgreements(agreements: Agreement[], confirmedAt: string): Promise<void>;
  upsertAgreement(agreement: Agreement, confirmedAt: string): Promise<void>;
  getAgreement(id: string): Promise<CachedAgreement | undefined>;
  listAgreements(): Promise<CachedAgreement[]>;
  lastSync(): Promise<string | undefined>;

  /** Durably appends events in one transaction; resolves only once they are committed. */
  appendAudit(events: AuditEvent[]): Promise<StoredAuditEvent[]>;
  recentAudit(limit: number, filter?: { decision?: AuditDecision }): Promise<StoredAuditEvent[]>;
  countAudit(): Promise<number>;

  /** Records a nonce until `expiresAt`; false when it is already recorded (a replay). */
  rememberNonce(keyId: string, nonce: string, expiresAt: string, now: string): Promise<boolean>;
}
