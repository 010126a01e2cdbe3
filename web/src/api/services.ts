// Client of 一网通办 (/apps/services/v1): service items, applications, certificates, sweeps, counter metrics.
import { type IdNumberErrorCode, validateIdNumber } from '../../../src/core/ids/id-number';
import { decodeProblem } from '../../../src/core/problem';
import { ApiError, call } from './client';

// The answers' shapes come from the application itself (type-only), so the console cannot drift from them.
import type {
  CheckDefinition,
  ItemDefinition,
  TierDefinition as Tier,
} from '../../../src/apps/services/service/definition';
import type { BenefitOutcome as Benefit, Reason } from '../../../src/apps/services/service/engine';
import type { MetricsView as Metrics } from '../../../src/apps/services/service/service';
import type { ItemSummary, PreviewView as Preview } from '../../../src/apps/services/service/item-views';
import type {
  ApplicationView as Application,
  CertificateView as Certificate,
  StaffApplicationView as StaffApplication,
} from '../../../src/apps/services/service/views';
import type { SweepResult, SweepRunView as SweepRun } from '../../../src/apps/services/service/sweep';
import type { ApplicationStatus } from '../../../src/apps/services/store/store';

export type {
  Application,
  ApplicationStatus,
  Benefit,
  Certificate,
  CheckDefinition,
  ItemDefinition,
  Metrics,
  Preview,
  Reason,
  StaffApplication,
  SweepResult,
  SweepRun,
  Tier,
};

const BASE = '/apps/services/v1';

/** The JSON answer of a self-service call, or its refusal as an ApiError. */
async function answerOf<T>(res: Response): Promise<T> {
  const text = await res.text();
  if (!res.ok) {
    const p = decodeProblem(res.status, text, res.statusText);
    throw new ApiError(p.status, p.code, p.detail, p.errors);
  }
  return JSON.parse(text) as T;
}

/**
 * A fact of an item's definition, read the way the items page shows it: one flat record. The definition's
 * own type (definition.ts FactDefinition) is a union by source and mode whose members lack each other's
 * fields, so a table column over all facts cannot read them without narrowing; every member is assignable
 * to this one.
 */
export interface FactDefinition {
  source: 'exchange' | 'applicant' | 'issued';
  mode?: 'verify' | 'compute';
  resource?: string;
  department?: string;
  resourceName?: string;
  question: string;
  questionEn?: string;
  predicate?: unknown;
  computation?: string;
  item?: string;
}

export interface ApplicationQuery {
  status?: ApplicationStatus;
  item?: string;
  id?: string;
  idNumber?: string;
  page?: number;
  pageSize?: number;
}

// Public routes must not end a console session on a 401; staff routes are the hub's session.
const pub = <T>(method: string, path: string, body?: unknown, query?: Record<string, string | undefined>) =>
  call<T>(BASE, method, path, body, query, 'elsewhere');
const staff = <T>(method: string, path: string, body?: unknown, query?: Record<string, string | number | undefined>) =>
  call<T>(BASE, method, path, body, query, 'hub');

export const servicesApi = {
  items: () => pub<{ items: ItemSummary[] }>('GET', '/items'),
  item: (id: string) =>
    pub<{ summary: ItemSummary; definition: ItemDefinition }>('GET', `/items/${encodeURIComponent(id)}`),
  preview: (id: string) => pub<Preview>('GET', `/items/${encodeURIComponent(id)}/preview`),
  /** Counter staff apply with their console session. */
  apply: (body: { item: string; idNumber: string; name: string; consent: boolean }) =>
    staff<Application>('POST', '/applications', body),
  /** A resident applies for themselves with the session of their own login (ID number and name, checked). */
  applyAsResident: async (
    body: { item: string; idNumber: string; name: string; consent: boolean },
    residentToken: string,
  ): Promise<Application> => {
    const res = await fetch(`${BASE}/applications`, {
      method: 'POST',
      headers: {
        Accept: 'application/json, application/problem+json',
        'Content-Type': 'application/json',
        Authorization: `Bearer ${residentToken}`,
      },
      body: JSON.stringify(body),
    }).catch((e: unknown) => {
      throw new ApiError(0, 'NETWORK_ERROR', e instanceof Error ? e.message : String(e));
    });
    return answerOf<Application>(res);
  },
  // The receipt goes in a header: URLs end up in logs.
  application: async (id: string, receipt?: string): Promise<Application> => {
    const res = await fetch(`${BASE}/applications/${encodeURIComponent(id)}`, {
      headers: { Accept: 'application/json', ...(receipt ? { 'X-Receipt': receipt } : {}) },
    });
    return answerOf<Application>(res);
  },
  staffApplication: (id: string) => staff<StaffApplication>('GET', `/applications/${encodeURIComponent(id)}`),
  // A search by ID number is a POST, so the number never appears in a URL.
  applications: ({ idNumber, ...q }: ApplicationQuery = {}) =>
    idNumber
      ? staff<{ items: StaffApplication[]; total: number; page: number; pageSize: number }>(
          'POST',
          '/applications/search',
          { ...q, idNumber },
        )
      : staff<{ items: StaffApplication[]; total: number; page: number; pageSize: number }>(
          'GET',
          '/applications',
          undefined,
          { ...q },
        ),
  retry: (id: string) => staff<StaffApplication>('POST', `/applications/${encodeURIComponent(id)}/retry`, {}),
  sweep: (item: string, month: string) => staff<SweepResult>('POST', '/sweeps', { item, month }),
  sweeps: (item?: string) => staff<{ items: SweepRun[] }>('GET', '/sweeps', undefined, { item }),
  metrics: () => staff<Metrics>('GET', '/metrics'),
  verify: (payload: string) =>
    pub<{ valid: boolean; code?: string; detail?: string; certificate?: Record<string, string | null> }>(
      'POST',
      '/certificates/verify',
      { payload },
    ),
};

export type { IdNumberErrorCode };

/** Why a typed ID number cannot be anybody's (the core's GB 11643 check: length, date, check digit), or null. */
export function idNumberProblem(value: string): IdNumberErrorCode | null {
  const result = validateIdNumber(value.trim().toUpperCase());
  return result.ok ? null : result.code;
}

/** A refusal reason as a person reads it in a list: its title (the explanation for reasons stored before titles). */
export function reasonTitle(reason: Reason, en: boolean): string {
  const title = en ? (reason.titleEn ?? reason.title) : reason.title;
  return title ?? (en ? (reason.explanationEn ?? reason.explanation) : reason.explanation);
}
