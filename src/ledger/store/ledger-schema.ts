/**
 * Tables of the hub's audit log. Byte columns are BLOB on SQLite and BYTEA on PostgreSQL; both drivers
 * return a Buffer (a Uint8Array) and accept a Uint8Array.
 */
export interface LedgerEntriesTable {
  idx: number;
  data: Uint8Array;
  leaf_hash: Uint8Array;
}

/** Stored Merkle hashes in the layout of src/core/ledger/stored-hashes.ts (Go sumdb/tlog). */
export interface LedgerHashesTable {
  stored_index: number;
  hash: Uint8Array;
}

export interface LedgerCheckpointsTable {
  size: number;
  note: string;
}

export interface LedgerDatabase {
  ledger_entries: LedgerEntriesTable;
  ledger_hashes: LedgerHashesTable;
  ledger_checkpoints: LedgerCheckpointsTable;
  /** Checkpoints with the cosignatures that made them final under the witness policy. */
  ledger_cosigned: LedgerCheckpointsTable;
}
