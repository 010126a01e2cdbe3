/** What the hub needs from persistence. Implemented once with Kysely for SQLite and PostgreSQL. */
import type { ChainCursor } from '../audit/shipment';
import type { Agreement, AgreementStatus } from '../agreements/agreement';
import type { UserRole } from '../auth/principal';
import type { Resource, ResourceFilter } from '../catalog/resource';
import type { Contact, Member, PublicKey } from '../members/member';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface PageRequest {
  page: number;
  pageSize: number;
}

export interface UserRecord {
  username: string;
  memberCode: string;
  displayName: string;
  passwordHash: string;
  roles: UserRole[];
  createdAt: string;
  /** Set for a one-time password (the operator's at installation): cleared when the user chooses theirs. */
  mustChangePassword?: boolean;
}

export interface TokenRecord {
  tokenDigest: string;
  memberCode: string;
  /** null for a member's system token. */
  username: string | null;
  roles: UserRole[];
  label: string;
  createdAt: string;
  expiresAt: string | null;
  /** A session that may only change its user's one-time password. */
  passwordChangeOnly?: boolean;
}

export interface AgreementFilter {
  /** Agreements where this member is consumer or provider (or either, with side 'all'). */
  memberCode?: string | undefined;
  side?: 'consumer' | 'provider' | 'all' | undefined;
  status?: AgreementStatus | undefined;
  resourceCode?: string | undefined;
}

export interface HubStore {
  migrate(): Promise<void>;
  close(): Promise<void>;

  insertMember(member: Omit<Member, 'publicKeys' | 'nodeUrl'>): Promise<void>;
  updateMember(
    code: string,
    changes: { name?: string; nameEn?: string | null; contact?: Contact; nodeUrl?: string | null },
  ): Promise<void>;
  addMemberKey(memberCode: string, key: PublicKey): Promise<void>;
  getMember(code: string): Promise<Member | undefined>;
  listMembers(): Promise<Member[]>;

  insertResource(resource: Resource, now: string): Promise<void>;
  updateResource(resource: Resource, now: string): Promise<void>;
  getResource(code: string): Promise<Resource | undefined>;
  searchResources(filter: ResourceFilter, page: PageRequest): Promise<Page<Resource>>;
  listResources(): Promise<Resource[]>;

  insertAgreement(agreement: Agreement): Promise<void>;
  /** Writes `next` only if the stored version is `next.version - 1`; appends the new history events. */
  saveAgreement(next: Agreement): Promise<void>;
  getAgreement(id: string): Promise<Agreement | undefined>;
  listAgreements(filter: AgreementFilter, page: PageRequest): Promise<Page<Agreement>>;
  allAgreements(): Promise<Agreement[]>;
  /** Active or suspended agreements whose last valid day is before `today`. */
  agreementsDueToExpire(today: string): Promise<Agreement[]>;

  insertUser(user: UserRecord): Promise<void>;
  getUser(username: string): Promise<UserRecord | undefined>;
  /** Sets a user's password (clearing the one-time flag) and ends every session the user had. */
  replacePassword(username: string, passwordHash: string): Promise<void>;
  listUsers(memberCode: string): Promise<UserRecord[]>;

  /** How far the hub's log holds a member node's chain (last seq 0, hash null, when none). */
  ledgerCursor(memberCode: string): Promise<ChainCursor>;
  setLedgerCursor(memberCode: string, cursor: ChainCursor, at: string): Promise<void>;
  /**
   * Claims a shipment signature's nonce for its key until `expiresAt`; false when it was claimed before
   * (a replay). Expired claims may be forgotten.
   */
  claimShipmentNonce(keyId: string, nonce: string, expiresAt: string, now: string): Promise<boolean>;
  /** The clear officer and case of logged access records, by node and seq: never in the public log. */
  insertAccessDetails(node: string, details: readonly AccessDetail[], recordedAt: string): Promise<void>;
  /** Deletes the clear details that arrived before `before` (their retention has passed); how many. */
  pruneAccessDetails(before: string): Promise<number>;
  accessDetail(node: string, seq: number): Promise<AccessDetail | undefined>;

  insertToken(token: TokenRecord): Promise<void>;
  findToken(tokenDigest: string): Promise<TokenRecord | undefined>;
  deleteToken(tokenDigest: string): Promise<void>;
}

export interface AccessDetail {
  seq: number;
  officer: string | null;
  caseId: string | null;
}
