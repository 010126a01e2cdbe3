// Client of 一网通办 (/apps/services/v1): service items, applications, certificates, sweeps, counter metrics.
import { ApiError, call } from './client';

const BASE = '/apps/services/v1';

export type ApplicationStatus = 'pending_verification' | 'approved' | 'rejected';

export interface Tier {
  id: string;
  name: string;
  nameEn?: string;
  minAge: number;
  maxAge?: number;
  monthly?: number;
}

export interface ItemSummary {
  id: string;
  name: string;
  nameEn: string | null;
  kind: 'certificate' | 'benefit';
  issuer: { code: string; name: string; nameEn?: string };
  legalBasis: string;
  promisedWorkingDays: number;
  noApplication: boolean;
  before: { promisedWorkingDays: number; trips: number; documents: string[] };
  certificate: { title: string; titleEn?: string; numberPrefix: string; validYears?: number } | null;
  tiers: Tier[];
}

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

export interface CheckDefinition {
  code: string;
  explanation: string;
  explanationEn?: string;
  pass?: unknown;
  fail?: unknown;
  final: boolean;
}

export interface ItemDefinition {
  id: string;
  facts: Record<string, FactDefinition>;
  checks: CheckDefinition[];
  benefit?: { tiers: Tier[]; supplements: { id: string; name: string; monthly: number }[] };
  sweep?: unknown;
  [key: string]: unknown;
}

export interface Preview {
  item: ItemSummary;
  checks: {
    department: string;
    resource: string;
    resourceName: string;
    mode: 'verify' | 'compute';
    question: string;
    questionEn: string | null;
  }[];
  ownData: { question: string; questionEn: string | null }[];
  documentsNotNeeded: string[];
  applicantSees: string[];
  applicantSeesEn: string[] | null;
  consent: string;
  consentEn: string;
}

export interface Reason {
  code: string;
  explanation: string;
  explanationEn: string | null;
}

export interface Certificate {
  number: string;
  title: string;
  titleEn: string | null;
  holderName: string;
  birthDate: string;
  issueDate: string;
  validUntil: string | null;
  tier: string | null;
  issuer: string;
  issuerCode: string;
  keyId: string;
  payload: string;
  qr?: { svg: string; png: string };
}

export interface Benefit {
  tier: { id: string; name: string; nameEn: string | null; monthly: number | null };
  supplements: { id: string; name: string; nameEn: string | null; monthly: number }[];
  monthlyAmount: number | null;
}

export interface Application {
  id: string;
  item: { id: string; name: string; nameEn: string | null; noApplication: boolean };
  status: ApplicationStatus;
  decision: 'approved' | 'rejected' | null;
  reasons: Reason[];
  benefit: Benefit | null;
  certificate: Certificate | null;
  applicant: { idMasked: string; nameMasked: string };
  asOf: string;
  submittedAt: string;
  decidedAt: string | null;
  decidedInstantly: boolean;
  message: string | null;
  messageEn: string | null;
  receipt?: string;
}

export interface StaffApplication extends Application {
  channel: 'self_service' | 'counter' | 'api';
  officer: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  documentsSaved: number;
  tripsSaved: number;
  checks: { fact: string; resource: string | null; requestId: string | null }[];
}

export interface Metrics {
  applications: number;
  instantDecisions: number;
  pending: number;
  approved: number;
  rejected: number;
  documentsSaved: number;
  tripsSaved: number;
  certificatesIssued: number;
  byItem: { itemId: string; applications: number; approved: number; rejected: number; pending: number }[];
  benefitsWithoutApplication: { item: string; month: string; eligible: number }[];
  items: { id: string; name: string; nameEn: string | null }[];
}

export interface SweepResult {
  id: string;
  item: string;
  month: string;
  asOf: string;
  runAt: string;
  eligibleCount: number;
  totalAmount: number;
  byTier: { tier: string; name: string; count: number; amount: number }[];
  eligible: {
    idNumber: string;
    age: number;
    tier: string;
    tierMonthly: number;
    supplements: string[];
    amount: number;
  }[];
  newlyEligible: string[];
  requestIds: string[];
  durationMs: number;
}

export interface SweepRun {
  id: string;
  item: string;
  month: string;
  asOf: string;
  runAt: string;
  officer: string | null;
  eligibleCount: number;
  newlyEligibleCount: number;
  totalAmount: number;
  byTier: SweepResult['byTier'];
  durationMs: number;
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
  call<T>(BASE, method, path, body, query, false);
const staff = <T>(method: string, path: string, body?: unknown, query?: Record<string, string | number | undefined>) =>
  call<T>(BASE, method, path, body, query, true);

export const servicesApi = {
  items: () => pub<{ items: ItemSummary[] }>('GET', '/items'),
  item: (id: string) =>
    pub<{ summary: ItemSummary; definition: ItemDefinition }>('GET', `/items/${encodeURIComponent(id)}`),
  preview: (id: string) => pub<Preview>('GET', `/items/${encodeURIComponent(id)}/preview`),
  apply: (body: { item: string; idNumber: string; name: string; consent: boolean }) =>
    pub<Application>('POST', '/applications', body),
  // The receipt goes in a header: URLs end up in logs.
  application: async (id: string, receipt?: string): Promise<Application> => {
    const res = await fetch(`${BASE}/applications/${encodeURIComponent(id)}`, {
      headers: { Accept: 'application/json', ...(receipt ? { 'X-Receipt': receipt } : {}) },
    });
    const body = (await res.json()) as Application & { code?: string; detail?: string };
    if (!res.ok) throw new ApiError(res.status, body.code ?? `HTTP_${res.status}`, body.detail ?? '');
    return body;
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
