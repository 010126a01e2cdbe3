/**
 * A queryable index of the hub's audit log ("who used my data", the ledger explorer's filters). Every row
 * is derived from one log entry alone (src/ledger/service/ledger-index.ts), so the index can always be dropped and
 * rebuilt from the log; the log stays the authority and the index holds nothing the log does not.
 * Subjects appear only as the keyed hashes the entries carry (HMAC-SHA256 with the city secret).
 */
import type { Page, PageRequest } from './hub-store';

export const ledgerEntryKinds = ['access', 'agreement', 'member', 'resource', 'disclosure', 'other'] as const;
export type LedgerEntryKind = (typeof ledgerEntryKinds)[number];

/** What the index keeps of one log entry. */
export interface IndexedEntry {
  index: number;
  /** The log's own sequencing time of the entry (monotone), ISO 8601 UTC with milliseconds (sortable as text). */
  logtime: string;
  /** The event's own time (a node's decision, an agreement transition), as the event says; null if none. */
  eventTime: string | null;
  kind: LedgerEntryKind;
  /** The event's action: served/denied for accesses, the transition for agreements, publish/update … */
  action: string | null;
  /** served/denied for accesses, null otherwise. */
  decision: 'served' | 'denied' | null;
  /** A denial's refusal code. */
  code: string | null;
  /** The member that acted for member registrations and catalog changes ('system' for the platform). */
  actor: string | null;
  consumer: string | null;
  provider: string | null;
  resource: string | null;
  agreementId: string | null;
  mode: string | null;
  items: string[];
  /** The purpose an old-format entry named; null for access records (the agreement's purpose applies). */
  purpose: string | null;
  requestId: string | null;
  /** Keyed hashes of an access's officer and case (matched through the hub, which holds the key). */
  officerHash: string | null;
  caseHash: string | null;
  /**
   * The disclosure date (YYYY-MM-DD, China) of an access the consumer flagged covert; null when not
   * flagged. Whether it is honoured depends on the consumer being allow-listed (decided at query time).
   */
  covertUntil: string | null;
  subjectCount: number;
}

/** An entry as it enters the index: with the subject hashes, one index row each. */
export interface IndexedEntryWithSubjects extends IndexedEntry {
  subjectHashes: string[];
}

export interface LedgerIndexFilter {
  requestId?: string | undefined;
  /** Keyed hashes (the hub computes them from a clear officer or case ID). */
  officerHash?: string | undefined;
  caseHash?: string | undefined;
  consumer?: string | undefined;
  provider?: string | undefined;
  resource?: string | undefined;
  kind?: LedgerEntryKind | undefined;
  decision?: 'served' | 'denied' | undefined;
  /** Inclusive lower bound on logtime (ISO UTC). */
  from?: string | undefined;
  /** Exclusive upper bound on logtime (ISO UTC). */
  to?: string | undefined;
  /** Only entries where each of these members is the consumer or the provider. */
  parties?: readonly string[] | undefined;
  /** Only entries below this index (e.g. a checkpoint's size: the entries it proves). */
  before?: number | undefined;
  /** 'time' (default): newest event first, as a person reads it; 'index': newest log entry first. */
  order?: 'time' | 'index' | undefined;
}

/** Covert flags are honoured only for these consumers and only before the disclosure date. */
export interface CovertRule {
  /** Today in China (YYYY-MM-DD): an entry is withheld while today < covertUntil. */
  today: string;
  consumers: readonly string[];
}

export interface UsageQuery {
  /** The subject's keyed hash, and the hashes of its covert accesses already disclosed (core/access/covert.ts). */
  subjectHashes: readonly string[];
  from?: string | undefined;
  to?: string | undefined;
  covert: CovertRule;
}

export interface WithheldSummary {
  total: number;
  /** Per consumer: how many are withheld and the latest disclosure date. */
  byConsumer: { consumer: string; count: number; until: string }[];
}

// ---- what the hub's API answers (the console takes these types too) ----------------------------------

/** The ledger explorer's search: the index filter, with one party member in place of the party list. */
export interface EntryQuery extends Omit<LedgerIndexFilter, 'parties' | 'officerHash' | 'caseHash'> {
  /** Entries this member is party to (consumer or provider). */
  member?: string | undefined;
  /** An officer or case ID in clear: matched by its keyed hash, never stored or logged in clear. */
  officer?: string | undefined;
  caseId?: string | undefined;
}

/** An indexed entry as the API shows it: with the parties' and the resource's names. */
export interface EntryView extends Omit<IndexedEntry, 'subjectCount' | 'officerHash' | 'caseHash'> {
  consumerName: string | null;
  providerName: string | null;
  resourceName: string | null;
  /** How many subjects the access named (their hashes are in the entry itself). */
  subjects: number;
}

/** The accesses withheld from their subjects today, for overseers. */
export interface WithheldView extends Page<EntryView> {
  /** Today in China (YYYY-MM-DD). */
  asOf: string;
  /** The consumers whose covert flags are honoured. */
  allowListed: string[];
  byConsumer: (WithheldSummary['byConsumer'][number] & { consumerName: string })[];
}

/** One Data Tracker record (Andmejälgija `findUsage`). */
export interface UsageRecord {
  /** The entry's index in the log: its inclusion proof is at /ledger/entries/<index>. */
  index: number;
  logtime: string;
  /** The reason given: the agreement's purpose. */
  action: string;
  receiverCode: string;
  receiverName: string;
  providerCode: string;
  providerName: string;
  resourceCode: string;
  resourceName: string;
  mode: string | null;
  items: { name: string; title: string }[];
  /** The check of the person's own login to these records (made for them, at their request). */
  ownIdentityCheck: boolean;
}

export interface LedgerIndexStore {
  migrate(): Promise<void>;
  /** How many log entries (from index 0) the index covers. */
  indexedSize(): Promise<number>;
  /**
   * Adds the rows of log entries [from, to) and moves the indexed size to `to`, in one transaction.
   * Rejects (nothing written) when the indexed size is not `from`: the index has one writer.
   */
  addEntries(from: number, to: number, entries: readonly IndexedEntryWithSubjects[]): Promise<void>;
  /** Entries matching the filter, newest first (by logtime then index, or by index). */
  search(filter: LedgerIndexFilter, page: PageRequest): Promise<Page<IndexedEntry>>;
  /**
   * Served accesses naming the subject, newest access first (by the event's time; the period filters it
   * too); covert ones withheld by the rule are left out.
   */
  usage(query: UsageQuery, page: PageRequest): Promise<Page<IndexedEntry>>;
  /** Accesses withheld from their subjects right now under the rule, newest first. */
  withheld(rule: CovertRule, page: PageRequest): Promise<Page<IndexedEntry> & WithheldSummary>;
  /** The disclosure dates (distinct, at most `rule.today`) of allow-listed consumers' covert accesses. */
  disclosedCovertDates(rule: CovertRule): Promise<string[]>;
}
