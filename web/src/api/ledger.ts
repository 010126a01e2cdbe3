// Console calls of the audit ledger beyond the public /ledger tiles: the entry search and the withheld
// (covert) accesses for departments and auditors (hub session), and the residents' and enterprises' own
// login and data-usage view. A resident's session is a token of its own kind, kept apart from the
// department session (its own sessionStorage key), so neither can be mistaken for the other.
import { ApiError, call } from './client';

// The API's shapes come from the core's ledger-index port, which the hub's data-usage service answers with.
import type { SubjectKind } from '../../../src/core/catalog/resource';
import { decodeProblem } from '../../../src/core/problem';
import type { Page as PageOf } from '../../../src/core/ports/hub-store';
import type {
  EntryQuery,
  EntryView as IndexedEntry,
  LedgerEntryKind,
  UsageRecord,
  WithheldView as Withheld,
} from '../../../src/core/ports/ledger-index';
import type { SubjectLogin, SubjectSession } from '../../../src/core/ports/subject-login';

export type { IndexedEntry, LedgerEntryKind, PageOf, SubjectKind, SubjectLogin, UsageRecord, Withheld };

/** The entry search's query string: the hub's filter plus the page. */
export interface EntrySearch extends EntryQuery {
  page?: number;
  pageSize?: number;
}

type Query = Record<string, string | number | undefined>;

export const ledgerSearchApi = {
  entries: (q: EntrySearch = {}) =>
    call<PageOf<IndexedEntry>>('/api/v1', 'GET', '/ledger/entries', undefined, { ...q } as Query, true),
  withheld: (q: { page?: number; pageSize?: number } = {}) =>
    call<Withheld>('/api/v1', 'GET', '/ledger/withheld', undefined, { ...q }, true),
};

// ---- residents and enterprises ----------------------------------------------------------------------

/** The logged-in resident or enterprise (GET /me). */
export type SubjectMe = Pick<SubjectSession, 'kind' | 'displayName' | 'expiresAt'>;

const SUBJECT_TOKEN_KEY = 'hutong.subjectToken';

export function getSubjectToken(): string | null {
  return sessionStorage.getItem(SUBJECT_TOKEN_KEY);
}

export function setSubjectToken(token: string | null): void {
  if (token) sessionStorage.setItem(SUBJECT_TOKEN_KEY, token);
  else sessionStorage.removeItem(SUBJECT_TOKEN_KEY);
}

async function subjectCall<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  const token = getSubjectToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}${qs ? `?${qs}` : ''}`, {
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
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const p = decodeProblem(res.status, data, res.statusText);
    if (res.status === 401 && path.startsWith('/me')) setSubjectToken(null);
    throw new ApiError(p.status, p.code, p.detail, p.errors);
  }
  return data as T;
}

export const subjectApi = {
  loginResident: (idNumber: string, name: string) =>
    subjectCall<SubjectLogin>('POST', '/auth/resident', { idNumber, name }),
  loginEnterprise: (uscc: string, name: string, legalRepName: string, legalRepIdNumber: string) =>
    subjectCall<SubjectLogin>('POST', '/auth/enterprise', { uscc, name, legalRepName, legalRepIdNumber }),
  me: () => subjectCall<SubjectMe>('GET', '/me'),
  logout: () => subjectCall<void>('POST', '/me/logout'),
  dataUsage: (q: { from?: string; to?: string; page?: number; pageSize?: number } = {}) =>
    subjectCall<PageOf<UsageRecord>>('GET', '/me/data-usage', undefined, { ...q }),
};

/** The log's verifier key (`<origin>+<key id>+<base64>`), public. */
export async function ledgerVkey(): Promise<string> {
  const res = await fetch('/ledger/vkey').catch((e: unknown) => {
    throw new ApiError(0, 'NETWORK_ERROR', e instanceof Error ? e.message : String(e));
  });
  if (!res.ok) throw new ApiError(res.status, `HTTP_${res.status}`, res.statusText);
  return (await res.text()).trim();
}
