// Typed client for the hub API (docs/API.md). The single place that knows URLs, the bearer token and
// the problem+json error shape, so pages only deal with typed data and ApiError.

// The API's shared vocabulary comes from the domain core itself (type-only or pure modules), so the
// console cannot drift from what the hub accepts.
import { agreementStatuses } from '../../../src/core/agreements/agreement';
import { accessModes, sharingTypes } from '../../../src/core/catalog/resource';
import { decodeProblem } from '../../../src/core/problem';

export type { AgreementAction as HistoryAction, AgreementStatus } from '../../../src/core/agreements/agreement';
export type { UserRole } from '../../../src/core/auth/principal';
export type { DataItem } from '../../../src/core/catalog/resource';
export type { AccessMode, ItemType, Sensitivity, SharingType } from '../../../src/core/catalog/resource';
export type { KeyAlgorithm, MemberRole } from '../../../src/core/members/member';
export type {
  DepartmentRow as DepartmentStats,
  OverdueRow as OverdueApplication,
  SlaBoard as Overview,
} from '../../../src/core/overview/sla-board';

import type { AgreementEvent, AgreementStatus, AgreementView, Terms } from '../../../src/core/agreements/agreement';
import type { SessionUser } from '../../../src/core/auth/principal';
import type { Resource as CoreResource } from '../../../src/core/catalog/resource';
import { localQueryBody } from '../../../src/core/access/local-query';
import type { Predicate } from '../../../src/core/access/predicate';
import type { StoredAuditEvent } from '../../../src/core/ports/node-store';
import type { AccessMode, SharingType } from '../../../src/core/catalog/resource';
import type { KeyAlgorithm, MemberRole } from '../../../src/core/members/member';
import type { SlaBoard as Overview } from '../../../src/core/overview/sla-board';

export const SHARING_TYPES: readonly SharingType[] = sharingTypes;
export const ACCESS_MODES: readonly AccessMode[] = accessModes;
export const AGREEMENT_STATUSES: readonly AgreementStatus[] = agreementStatuses;

/** The console user (GET /auth/me). */
export type Me = SessionUser;

export interface LoginResult {
  token: string;
  expiresAt: string;
  user: Me;
}

export interface PublicKey {
  id: string;
  algorithm: KeyAlgorithm;
  publicKey: string;
  addedAt: string;
}

export interface Member {
  code: string;
  name: string;
  /** Registered English name; null when the department has none (the console then shows `name`). */
  nameEn: string | null;
  role: MemberRole;
  contact: { person: string; phone: string; email: string };
  publicKeys: PublicKey[];
  /** Base URL of the member's node (前置机); null until the member's node is registered. */
  nodeUrl: string | null;
  createdAt: string;
}

/** A catalog resource as the hub shows it, with its provider's name. */
export type Resource = CoreResource & { providerName: string };
export type Agreement = AgreementView;
export type HistoryEntry = AgreementEvent;
export type { Terms };

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ResourceQuery {
  provider?: string;
  sharingType?: SharingType;
  mode?: AccessMode;
  q?: string;
  page?: number;
  pageSize?: number;
}

export interface AgreementQuery {
  side?: 'consumer' | 'provider' | 'all';
  status?: AgreementStatus;
  resource?: string;
  page?: number;
  pageSize?: number;
}

export interface ApplyRequest extends Terms {
  resourceCode: string;
  purpose: string;
  legalBasis: string;
}

export interface ApproveRequest {
  items?: string[];
  modes?: AccessMode[];
  validTo?: string;
  rateLimitPerMinute?: number;
  comment?: string;
}

/** A failed call: carries the problem+json `code` (stable) and `detail` (human text from the server). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: { path: string; message: string }[] = [],
  ) {
    super(detail || code);
    this.name = 'ApiError';
  }
}

const BASE = '/api/v1';
const TOKEN_KEY = 'hutong.token';

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

// The auth context registers itself here so that any 401 anywhere sends the user back to the login page.
let onUnauthorized: (() => void) | null = null;
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

type Query = Record<string, string | number | undefined>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== '') params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  return call<T>(BASE, method, path, body, query, 'hub');
}

/**
 * Whose session a call carries: the console user's at the hub (a 401 ends the console session), the
 * console user's at an app or a node (their 401 does not: only the hub decides a session is gone), or a
 * resident's or enterprise's own (a 401 on /me ends that session).
 */
export type Caller = 'hub' | 'elsewhere' | 'subject';

const SUBJECT_TOKEN_KEY = 'hutong.subjectToken';

export function getSubjectToken(): string | null {
  return sessionStorage.getItem(SUBJECT_TOKEN_KEY);
}

export function setSubjectToken(token: string | null): void {
  if (token) sessionStorage.setItem(SUBJECT_TOKEN_KEY, token);
  else sessionStorage.removeItem(SUBJECT_TOKEN_KEY);
}

/** One JSON call: `base` is '/api/v1', '/apps/…' or a node URL. */
export async function call<T>(
  base: string,
  method: string,
  path: string,
  body: unknown,
  query: Query | undefined,
  caller: Caller,
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  const token = caller === 'subject' ? getSubjectToken() : getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(base + withQuery(path, query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'NETWORK_ERROR', e instanceof Error ? e.message : String(e));
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const p = decodeProblem(res.status, data, res.statusText);
    // A 401 on login itself means bad credentials, not an expired session.
    if (caller === 'hub' && res.status === 401 && path !== '/auth/login') {
      setToken(null);
      onUnauthorized?.();
    }
    if (caller === 'subject' && res.status === 401 && path.startsWith('/me')) setSubjectToken(null);
    throw new ApiError(p.status, p.code, p.detail, p.errors);
  }
  return data as T;
}

export const api = {
  login: (username: string, password: string) => request<LoginResult>('POST', '/auth/login', { username, password }),
  logout: () => request<void>('POST', '/auth/logout'),
  me: () => request<Me>('GET', '/auth/me'),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<LoginResult>('POST', '/auth/password', { currentPassword, newPassword }),

  members: () => request<{ items: Member[] }>('GET', '/members'),
  member: (code: string) => request<Member>('GET', `/members/${encodeURIComponent(code)}`),

  resources: (q: ResourceQuery = {}) => request<Page<Resource>>('GET', '/catalog/resources', undefined, { ...q }),
  resource: (code: string) => request<Resource>('GET', `/catalog/resources/${encodeURIComponent(code)}`),

  agreements: (q: AgreementQuery = {}) => request<Page<Agreement>>('GET', '/agreements', undefined, { ...q }),
  agreement: (id: string) => request<Agreement>('GET', `/agreements/${encodeURIComponent(id)}`),
  apply: (body: ApplyRequest) => request<Agreement>('POST', '/agreements', body),
  approve: (id: string, body: ApproveRequest) => request<Agreement>('POST', `/agreements/${id}/approve`, body),
  reject: (id: string, reason: string) => request<Agreement>('POST', `/agreements/${id}/reject`, { reason }),
  superiorApprove: (id: string, body: { comment?: string } = {}) =>
    request<Agreement>('POST', `/agreements/${id}/superior-approve`, body),
  superiorReject: (id: string, reason: string) =>
    request<Agreement>('POST', `/agreements/${id}/superior-reject`, { reason }),
  suspend: (id: string, reason: string) => request<Agreement>('POST', `/agreements/${id}/suspend`, { reason }),
  resume: (id: string) => request<Agreement>('POST', `/agreements/${id}/resume`, {}),
  revoke: (id: string, reason: string) => request<Agreement>('POST', `/agreements/${id}/revoke`, { reason }),
  withdraw: (id: string) => request<Agreement>('POST', `/agreements/${id}/withdraw`, {}),

  overview: () => request<Overview>('GET', '/overview'),
};

// ---- the member's own node (前置机): /local/v1/* on the node's base URL, with the same session token ----

export type NodeAgreement = Omit<Agreement, 'resourceName' | 'consumerName' | 'providerName' | 'sla'>;
export type AuditDecision = 'served' | 'denied';

export interface NodeField {
  name: string;
  title: string;
  type: string;
}

export interface NodeOverview {
  member: string;
  nodeUrl: string;
  keyId: string;
  /** Last time the node confirmed agreement states with the hub; null before the first sync. */
  lastSync: string | null;
  stats: { dataReads: number; audited: number; served: number; denied: number };
  resources: {
    code: string;
    name: string;
    sharingType: SharingType;
    accessModes: AccessMode[];
    /** Item → masking rule text (`none`, `id_number`, `keep_prefix:6`, `range:[0,18,60]` …). */
    masking: Record<string, string>;
    aggregateDimensions: string[];
  }[];
  computations: {
    id: string;
    title: string;
    description: string;
    descriptionEn?: string;
    resource: string;
    params: NodeField[];
    outputs: NodeField[];
  }[];
  agreements: { agreement: NodeAgreement; confirmedAt: string }[];
}

/** One access decision at a node, as its request log shows it (subjects only as keyed hashes: count them, never show them). */
export type NodeRequest = StoredAuditEvent;

export type { ComparisonOp, ItemRef, Predicate, Scalar } from '../../../src/core/access/predicate';

export type NodeQuery =
  | { agreementId: string; mode: 'verify'; caseId: string; subject: string; predicate: Predicate }
  | { agreementId: string; mode: 'record'; caseId: string; subjects: string[]; items?: string[] };

export type VerifyResult = { subject: string; answer: boolean | 'not_found' };
export type RecordResult = (
  | { subject: string; found: true; rows: Record<string, string | number | boolean | null>[] }
  | { subject: string; found: false }
)[];

export type NodeAnswer =
  | { agreementId: string; resource: string; mode: 'verify'; requestId: string; result: VerifyResult }
  | { agreementId: string; resource: string; mode: 'record'; requestId: string; result: RecordResult };

/** A client for one node's local API; the node accepts the console's hub session token. */
export function nodeApi(nodeUrl: string) {
  const base = `${nodeUrl.replace(/\/+$/, '')}/local/v1`;
  const get = <T>(path: string, query?: Query) => call<T>(base, 'GET', path, undefined, query, 'elsewhere');
  return {
    overview: () => get<NodeOverview>('/overview'),
    requests: (q: { limit?: number; decision?: AuditDecision } = {}) =>
      get<{ items: NodeRequest[] }>('/requests', { limit: q.limit ?? 50, decision: q.decision }),
    query: ({ agreementId, mode, caseId, ...payload }: NodeQuery) =>
      call<NodeAnswer>(
        base,
        'POST',
        '/query',
        localQueryBody({ agreementId, mode, caseId, payload }),
        undefined,
        'elsewhere',
      ),
  };
}

export type NodeApi = ReturnType<typeof nodeApi>;

// ---- the audit ledger (审计账本): /ledger/* on the hub, public and unauthenticated ----

export interface LedgerWitnessStatus {
  /** The policy's short name for the witness: the member code. */
  name: string;
  cosignedSize: number;
  lastStatus: number | null;
  lastError: string | null;
  refusals: number;
}

export interface LedgerEntry {
  index: number;
  encoding: 'utf-8' | 'base64';
  data: string;
  /** Base64 RFC 6962 leaf hash. */
  leafHash: string;
  treeSize: number;
  inclusionProof: string[];
  /** The log's checkpoint note the proof is against. */
  checkpoint: string;
}

async function ledgerText(path: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`/ledger${path}`, { headers: { Accept: 'text/plain, application/problem+json' } });
  } catch (e) {
    throw new ApiError(0, 'NETWORK_ERROR', e instanceof Error ? e.message : String(e));
  }
  const text = await res.text();
  if (!res.ok) {
    const p = decodeProblem(res.status, text, res.statusText);
    throw new ApiError(p.status, p.code, p.detail, p.errors);
  }
  return text;
}

export const ledgerApi = {
  /** The latest checkpoint as a C2SP signed note, with the witnesses' cosignatures. */
  checkpoint: () => ledgerText('/checkpoint'),
  /** The c2sp.org/tlog-policy text: the log key, the witnesses and the quorum. */
  policy: () => ledgerText('/policy'),
  witnesses: () =>
    call<{ items: LedgerWitnessStatus[] }>('/ledger', 'GET', '/witnesses', undefined, undefined, 'elsewhere'),
  entry: (index: number) => call<LedgerEntry>('/ledger', 'GET', `/entries/${index}`, undefined, undefined, 'elsewhere'),
};
