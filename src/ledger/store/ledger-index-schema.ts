/**
 * Tables of the log's query index (rebuildable from the log: see src/ledger/service/ledger-index.ts) and of the
 * residents' and enterprises' console sessions. Subjects appear only as keyed hashes.
 */
export interface LedgerIndexEntriesTable {
  idx: number;
  logtime: string;
  kind: string;
  action: string | null;
  decision: string | null;
  code: string | null;
  actor: string | null;
  consumer: string | null;
  provider: string | null;
  resource: string | null;
  agreement_id: string | null;
  mode: string | null;
  items_json: string;
  purpose: string | null;
  request_id: string | null;
  covert_until: string | null;
  subject_count: number;
  event_time: string | null;
  officer_hash: string | null;
  case_hash: string | null;
}

/** One row per (subject hash, entry): the "who used my data" lookup. */
export interface LedgerIndexSubjectsTable {
  subject_hash: string;
  idx: number;
  logtime: string;
}

export interface LedgerIndexStateTable {
  name: string;
  size: number;
}

export interface SubjectSessionsTable {
  token_digest: string;
  kind: string;
  subject_hash: string;
  covert_hashes_json: string;
  display_name: string;
  created_at: string;
  expires_at: string;
}

export interface LedgerIndexDatabase {
  ledger_index_entries: LedgerIndexEntriesTable;
  ledger_index_subjects: LedgerIndexSubjectsTable;
  ledger_index_state: LedgerIndexStateTable;
  subject_sessions: SubjectSessionsTable;
}
