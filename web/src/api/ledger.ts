// Console calls of the audit ledger beyond the public /ledger tiles: the entry search and the withheld
// (covert) accesses for departments and auditors (hub session), and the residents' and enterprises' own
// login and data-usage view. A resident's session is a token of its own kind, kept apart from the
// department session (its own sessionStorage key), so neither can be mistaken for the other.
import { ApiError, call, getSubjectToken, setSubjectToken } from './client';

export { getSubjectToken, setSubjectToken };

// The API's shapes come from the core's ledger-index port, which the hub's data-usage service answers with.
import type { SubjectKind } from '../../../src/core/catalog/resource';
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
    call<PageOf<IndexedEntry>>('/api/v1', 'GET', '/ledger/entries', undefined, { ...q } as Query, 'hub'),
  withheld: (q: { page?: number; pageSize?: number } = {}) =>
    call<Withheld>('/api/v1', 'GET', '/ledger/withheld', undefined, { ...q }, 'hub'),
};

// ---- residents and enterprises ----------------------------------------------------------------------

/** The logged-in resident or enterprise (GET /me). */
export type SubjectMe = Pick<SubjectSession, 'kind' | 'displayName' | 'expiresAt'>;

function subjectCall<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  return call<T>('/api/v1', method, path, body, query, 'subject');
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
