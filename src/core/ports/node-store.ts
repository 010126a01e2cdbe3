/** What a department node needs from its own database, besides its data tables. */
import type { Agreement } from '../agreements/agreement';
import type { AccessRecord, AccessRecordDraft } from '../audit/access-record';
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
  /** The verified signer and its nonce, so used nonces survive a restart; null when unsigned or unverified. */
  signerKey: string | null;
  nonce: string | null;
  /**
   * The disclosure date a covert request asked for (hutong-covert-until): on a served event the access is
   * withheld from the subject until then; on a refusal it records what was asked. Null when not flagged.
   */
  covertUntil?: string | null;
}

export interface StoredAuditEvent extends AuditEvent {
  seq: number;
  /** The public record of the event in the node's chain (core/audit), and its hash. */
  record: AccessRecord;
  recordHash: string;
}

/** An event to commit with the public record that the chain will carry for it. */
export interface AuditAppend {
  event: AuditEvent;
  draft: AccessRecordDraft;
}

/** Places a draft after the chain's head (`prev`: the head's hash, null for the first record). */
export type ChainLinker = (
  draft: AccessRecordDraft,
  seq: number,
  prev: string | null,
) => { record: AccessRecord; hash: string };

/** The newest record of the node's chain. */
export interface AuditHead {
  seq: number;
  hash: string;
  at: string;
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

  /**
   * Durably appends events in one transaction, each linked after the chain's head as the store holds it
   * inside that transaction (so seq and prev cannot race); resolves only once they are committed.
   */
  appendAudit(events: readonly AuditAppend[], link: ChainLinker): Promise<StoredAuditEvent[]>;
  /** The chain's newest record; undefined while it is empty. */
  auditHead(): Promise<AuditHead | undefined>;
  /** The stored event at `seq`, if any. */
  auditAt(seq: number): Promise<StoredAuditEvent | undefined>;
  recentAudit(limit: number, filter?: { decision?: AuditDecision }): Promise<StoredAuditEvent[]>;
  /** Events with seq > `afterSeq`, oldest first, at most `limit`. */
  auditAfter(afterSeq: number, limit: number): Promise<StoredAuditEvent[]>;
  countAudit(decision?: AuditDecision): Promise<number>;

  /** What this node's witness last cosigned for a log origin (size and base64 root). */
  witnessState(origin: string): Promise<{ size: number; root: string } | undefined>;
  /**
   * Moves the witness state from `oldSize` to the new one atomically; false when another request moved it
   * first (the tlog-witness race: check and persist must not be separable).
   */
  advanceWitness(origin: string, oldSize: number, next: { size: number; root: string }, at: string): Promise<boolean>;

  /** Nonces of signed requests audited at or after `since`, to rebuild the replay guard after a restart. */
  noncesSince(since: string): Promise<{ signerKey: string; nonce: string; at: string }[]>;

  /** Records that a verify question was asked about a subject under an agreement on a (China) day. */
  recordVerifyQuestion(question: VerifyQuestionUse): Promise<void>;
  /** The questions recorded on a day (to rebuild the daily budget after a restart). */
  verifyQuestionsOn(day: string): Promise<VerifyQuestionUse[]>;
}

/** One distinct verify question about one subject, by keyed hashes. */
export interface VerifyQuestionUse {
  day: string;
  agreementId: string;
  subjectHash: string;
  questionHash: string;
}
