/**
 * The public record of one access decision at a provider's node: what the node chains, seals with its key
 * and ships, and what the hub's public log carries. The node keeps the clear values it was given (officer,
 * case, body digests) in its own audit trail; the record carries only what may be public — codes, times,
 * and keyed hashes (HMAC with a key derived per purpose from the city secret) of everything that could
 * point at a person or a case. The field-by-field classification is in src/ledger/README.md.
 */

/** Subjects named in one record at most (a log entry holds ≤ 64 KiB; a subject hash takes ≈ 46 bytes). */
export const SUBJECTS_PER_RECORD = 1000;

export interface AccessRecord {
  /** Format of the record. */
  v: 2;
  /** The provider member whose node decided (and whose chain this is). */
  node: string;
  /** Position in the node's chain, from 1, without gaps. */
  seq: number;
  /** base64 SHA-256 of the previous record's canonical JSON; null for seq 1. */
  prev: string | null;
  /** The node's own identifier of the decision (random). */
  eventId: string;
  /** When the node decided (its clock); the log's own time is the entry's `loggedAt`. */
  at: string;
  decision: 'served' | 'denied';
  /** The refusal code of a denial. */
  code: string | null;
  consumerCode: string;
  resourceCode: string | null;
  agreementId: string | null;
  mode: string | null;
  items: string[];
  /** The exchange's request ID (a random UUID the consumer's node chose). */
  requestId: string | null;
  /** Keyed hashes of the request's and the answer's Content-Digest: the bodies name people. */
  requestDigest: string | null;
  responseDigest: string | null;
  /** Keyed hashes of the officer and the case (a case ID may hold a name). */
  officer: string | null;
  caseId: string | null;
  /** Keyed hashes of the subjects whose data the decision concerned (at most SUBJECTS_PER_RECORD). */
  subjects: string[];
  /** A decision about more subjects is several consecutive records: part i of n, same requestId. */
  part?: number;
  parts?: number;
  /** A covert access's disclosure date (YYYY-MM-DD): withheld from the subjects until then. */
  covertUntil?: string;
}

/** A record before the node's chain gives it a place. */
export type AccessRecordDraft = Omit<AccessRecord, 'seq' | 'prev'>;

/** What a keyed hash looks like: base64url of an HMAC-SHA256, 43 characters. */
export const KEYED_HASH = /^[A-Za-z0-9_-]{43}$/;
/** Request IDs are UUIDs chosen by the consumer's node; anything else is not logged. */
export const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Agreement IDs as the hub issues them (GX-YYYYMMDD-XXXXXX); anything else is not logged. */
export const AGREEMENT_ID = /^GX-\d{8}-[A-Z0-9]{4,12}$/;
export const MEMBER_CODE = /^[a-z][a-z0-9_]{1,31}$/;

/**
 * Values a consumer controls (headers it sent) reach the public log only in their expected shape: a
 * request ID or agreement "ID" that is really someone's ID number is dropped, never published.
 */
export function publicRequestId(value: string | null | undefined): string | null {
  return value && REQUEST_ID.test(value) ? value : null;
}

export function publicAgreementId(value: string | null | undefined): string | null {
  return value && AGREEMENT_ID.test(value) ? value : null;
}

export function publicMemberCode(value: string | null | undefined): string {
  return value && MEMBER_CODE.test(value) ? value : 'unknown';
}

/** Splits a decision's subject hashes into the records that carry them (one record when few). */
export function splitSubjects(subjects: readonly string[]): string[][] {
  if (subjects.length <= SUBJECTS_PER_RECORD) return [[...subjects]];
  const parts: string[][] = [];
  for (let start = 0; start < subjects.length; start += SUBJECTS_PER_RECORD) {
    parts.push(subjects.slice(start, start + SUBJECTS_PER_RECORD));
  }
  return parts;
}
