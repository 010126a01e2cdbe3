/** What the hub needs from persistence. Implemented once with Kysely for SQLite and PostgreSQL. */
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
  updateMember(code: string, changes: { name?: string; contact?: Contact; nodeUrl?: string | null }): Promise<void>;
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
  listUsers(memberCode: string): Promise<UserRecord[]>;

  /** Highest audit sequence number of a member's node already in the hub's log (0 when none). */
  ledgerCursor(memberCode: string): Promise<number>;
  setLedgerCursor(memberCode: string, lastSeq: number, at: string): Promise<void>;

  insertToken(token: TokenRecord): Promise<void>;
  findToken(tokenDigest: string): Promise<TokenRecord | undefined>;
  deleteToken(tokenDigest: string): Promise<void>;
}
