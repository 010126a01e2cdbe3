/**
 * The ports of a resident's or an enterprise's own login at the hub: the check of the name against the
 * authoritative register (through the exchange) and the store of their console sessions.
 */
import type { SubjectKind } from '../catalog/resource';

/** The answer to a resident's or an enterprise's login. */
export interface SubjectLogin {
  token: string;
  expiresAt: string;
  subject: { kind: SubjectKind; displayName: string };
}

/** A resident's or an enterprise's console session: bound to the subject's keyed hash, never to the raw key. */
export interface SubjectSession {
  tokenDigest: string;
  kind: SubjectKind;
  subjectHash: string;
  /** Hashes of the subject's covert accesses disclosed by the time of login (core/access/covert.ts). */
  covertHashes: string[];
  /** What the console shows: a person's name masked (张*), an enterprise's name in full. */
  displayName: string;
  createdAt: string;
  expiresAt: string;
}

export interface SubjectSessionStore {
  insertSubjectSession(session: SubjectSession): Promise<void>;
  findSubjectSession(tokenDigest: string): Promise<SubjectSession | undefined>;
  deleteSubjectSession(tokenDigest: string): Promise<void>;
}

/** Checks a subject's name against the authoritative register, through the exchange (see README). */
export interface IdentityCheck {
  kind: SubjectKind;
  /** The normalised ID number or credit code. */
  key: string;
  name: string;
  /** The agreement the check runs under, and the register's name item. */
  agreementId: string;
  nameItem: string;
  /** Further items that must equal the given values in the same row (an enterprise's legal representative). */
  also?: readonly { item: string; value: string }[] | undefined;
}

export type IdentityAnswer = 'match' | 'mismatch' | 'not_found';

export interface IdentityVerifier {
  /** Rejects when the check could not be made (node or provider unreachable, refused). */
  verify(check: IdentityCheck): Promise<IdentityAnswer>;
}
