// Log entries as the table shows them, and the index search behind its filters.
import type { Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import type { LedgerEntry } from '../../api/client';
import { type IndexedEntry, type LedgerEntryKind, ledgerSearchApi } from '../../api/ledger';

/** Entries per page of the entry search. */
export const NEWEST = 20;

export const KINDS: LedgerEntryKind[] = ['access', 'agreement', 'member', 'resource'];

export const TYPE_COLORS: Record<string, string> = {
  access: 'blue',
  agreement: 'purple',
  member: 'cyan',
  resource: 'gold',
  disclosure: 'magenta',
};

export interface EntryRow {
  index: number;
  entry: LedgerEntry;
  event: Record<string, unknown>;
  type: string;
  action: string;
  /** When the event happened (a node's decision, a transition). */
  at: string | null;
  /** When the log sequenced it (the log's own, monotone time). */
  loggedAt: string | null;
  departments: string[];
  subject: string | null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function toRow(entry: LedgerEntry): EntryRow {
  let event: Record<string, unknown> = {};
  if (entry.encoding === 'utf-8') {
    try {
      const parsed: unknown = JSON.parse(entry.data);
      if (parsed && typeof parsed === 'object') event = parsed as Record<string, unknown>;
    } catch {
      // not JSON: shown raw
    }
  }
  // An access entry carries the node's record (decided by its node, sealed by it); hub events are flat.
  const record =
    event.type === 'access' && event.record && typeof event.record === 'object'
      ? (event.record as Record<string, unknown>)
      : undefined;
  const fields = record ? { ...record, providerCode: record.node, action: record.decision } : event;
  const departments = [
    ...new Set(
      [fields.providerCode, fields.consumerCode, fields.memberCode, fields.actor]
        .map(str)
        .filter((code): code is string => code !== null && code !== 'system'),
    ),
  ];
  return {
    index: entry.index,
    entry,
    event,
    type: str(event.type) ?? '—',
    action: str(fields.action) ?? '—',
    at: str(fields.at),
    loggedAt: str(event.loggedAt),
    departments,
    subject: str(fields.resourceCode) ?? str(fields.agreementId) ?? str(fields.memberCode),
  };
}

export function actionLabel(t: TFunction, type: string, action: string): string {
  if (type === 'agreement') return t(`action.${action}`, { defaultValue: action });
  return t(`ledger.actions.${action}`, { defaultValue: action });
}

export interface EntryFilters {
  kind: LedgerEntryKind | null;
  member: string | null;
  requestId: string;
  period: [Dayjs | null, Dayjs | null] | null;
  page: number;
}

export const noFilters: EntryFilters = { kind: null, member: null, requestId: '', period: null, page: 1 };

/** The entries the checkpoint proves, newest index first, from the hub's index (scoped by the hub). */
export function searchEntries(size: number, f: EntryFilters) {
  return ledgerSearchApi.entries({
    order: 'index',
    before: size,
    kind: f.kind ?? undefined,
    member: f.member ?? undefined,
    requestId: f.requestId.trim() || undefined,
    from: f.period?.[0]?.format('YYYY-MM-DD'),
    to: f.period?.[1]?.format('YYYY-MM-DD'),
    page: f.page,
    pageSize: NEWEST,
  });
}

export function departmentsOf(e: IndexedEntry): string[] {
  return [
    ...new Set([e.provider, e.consumer, e.actor].filter((code): code is string => code !== null && code !== 'system')),
  ];
}
