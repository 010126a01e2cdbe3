/**
 * Durable storage of the hub's append-only audit log (src/ledger/service/log-service.ts): entries, the stored
 * Merkle hashes of src/core/ledger/stored-hashes.ts, and signed checkpoints.
 *
 * Consistency: committed rows are never changed, and a batch of entries is committed together with every
 * stored hash it adds, in one transaction. So a read bounded by a committed size (entries below it, stored
 * hashes below storedHashCount(size)) always sees exactly the tree of that size, however many appends run
 * meanwhile. Callers fix the size first (the latest checkpoint, or `size()`) and read within it.
 */
import type { HashReader } from '../ledger/stored-hashes';

export interface LedgerEntry {
  readonly index: number;
  readonly data: Uint8Array;
  /** RFC 6962 leaf hash of `data`, kept for lookups; the authoritative copy is stored hash (0, index). */
  readonly leafHash: Uint8Array;
}

export interface LedgerAppendBatch {
  /** Index of the first entry: must equal the number of entries already stored. */
  readonly firstIndex: number;
  readonly entries: readonly { readonly data: Uint8Array; readonly leafHash: Uint8Array }[];
  /**
   * The stored hashes the entries add, in stored-hash order starting at storedHashCount(firstIndex);
   * exactly storedHashCount(firstIndex + entries.length) − storedHashCount(firstIndex) of them.
   */
  readonly hashes: readonly Uint8Array[];
}

export interface StoredCheckpoint {
  readonly size: number;
  /** The signed note text exactly as served at <prefix>/checkpoint. */
  readonly note: string;
}

/**
 * One database transaction of the log's store: what the log's writer reads and appends inside it, and the
 * driver's transaction itself, so a change in another store of the same database (the hub's agreements,
 * members, cursors) commits together with the entries that record it.
 */
export interface LedgerTransaction extends HashReader {
  size(): Promise<number>;
  /** LedgerStore.append within this transaction. */
  append(batch: LedgerAppendBatch): Promise<number>;
  /** The driver's transaction object (a Kysely Transaction), for the composition root to bind other stores to. */
  readonly handle: unknown;
}

export interface LedgerStore extends HashReader {
  /** Number of committed entries. */
  size(): Promise<number>;
  /**
   * Commits entries and their stored hashes atomically and durably; resolves to the new size. Rejects with
   * LedgerError 'INCONSISTENT' (nothing written) when `firstIndex` is not the current size or the hash
   * count is wrong: the log has one writer, and a mismatch means another wrote or the caller miscounted.
   */
  append(batch: LedgerAppendBatch): Promise<number>;
  /** Entries with start <= index < end, in index order; LedgerError 'INDEX_OUT_OF_RANGE' if any is missing. */
  readEntries(start: number, end: number): Promise<LedgerEntry[]>;
  /** Stored hashes by stored-hash index, in the order asked; LedgerError 'BAD_HASH_READER' if any is missing. */
  readHashes(indexes: readonly number[]): Promise<Uint8Array[]>;
  /**
   * Runs `work` in one transaction: everything it appends, and everything done through `handle`, commits
   * together or not at all.
   */
  transaction<R>(work: (tx: LedgerTransaction) => Promise<R>): Promise<R>;
  /** Records a signed checkpoint; a second checkpoint of the same size is ignored (the first one stays). */
  putCheckpoint(checkpoint: StoredCheckpoint): Promise<void>;
  /** The checkpoint with the largest size, if any. */
  latestCheckpoint(): Promise<StoredCheckpoint | undefined>;
  /**
   * Keeps a checkpoint with the witnesses' cosignatures that meet the policy (a "final" checkpoint), so
   * offline proofs can embed one after a restart too. A later call for the same size replaces the note.
   */
  putCosigned(checkpoint: StoredCheckpoint): Promise<void>;
  /** The final checkpoint with the largest size, if any. */
  latestCosigned(): Promise<StoredCheckpoint | undefined>;
}
