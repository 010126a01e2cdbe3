/**
 * The hub's append-only audit log: an RFC 6962 Merkle log of opaque entries (canonical JSON audit events,
 * produced by the caller), published as C2SP tlog-tiles with a C2SP checkpoint signed by the log's Ed25519
 * key. Storage comes in through the LedgerStore port, cryptography through the ledger core's ports.
 *
 * Sequencing: append() queues entries; one writer loop commits whatever is queued as one batch (entries and
 * their stored hashes in one transaction), so appends arriving while a commit runs are grouped into the
 * next one. An append's promise resolves only after its batch is committed, and an append's entries get
 * consecutive indexes. This service must be the log's only writer.
 *
 * Reads are served at a fixed size: tiles, entry bundles and default proofs at the latest checkpoint's size
 * (what clients can verify), explicit proofs at any committed size. Committed rows never change, so such
 * reads are consistent while appends continue.
 */
import { signCheckpoint } from '../../core/ledger/checkpoint';
import { formatSm2Vkey, SM2_NOTE_IDENTIFIER, type Sm2Signer, sm2NoteSigner } from '../../core/ledger/sm2-note';
import type { Ed25519Signer, LedgerCrypto } from '../../core/ledger/crypto-port';
import { fail, LedgerError } from '../../core/ledger/errors';
import { leafHash } from '../../core/ledger/merkle';
import { ed25519NoteSigner, ed25519Vkey, type NoteSigner } from '../../core/ledger/note';
import {
  consistencyProof,
  type HashReader,
  inclusionProof,
  storedHashCount,
  storedHashesForRecord,
  storedHashIndex,
  treeRoot,
} from '../../core/ledger/stored-hashes';
import { encodeEntryBundle, readTileData, TILE_WIDTH, tileWidth } from '../../core/ledger/tiles';
import type { Clock } from '../../core/ports/clock';
import type { LedgerStore, StoredCheckpoint } from '../../core/ports/ledger-store';

export const HUTONG_LOG_ORIGIN = 'qinghe.gov.cn/hutong/log';

/** Entry bundles prefix each entry with a big-endian uint16 length (c2sp.org/tlog-tiles). */
export const MAX_ENTRY_BYTES = 0xffff;

export interface LogServiceOptions {
  store: LedgerStore;
  crypto: LedgerCrypto;
  /** The log's key; its note key name is the origin. */
  signer: Ed25519Signer;
  /** Under the 国密 suite, the log's SM2 key: each checkpoint also carries its `hutong/sm2-sm3` line. */
  sm2Signer?: Sm2Signer | undefined;
  origin?: string;
  /** Most entries committed in one transaction (an append larger than this is still one batch). */
  maxBatch?: number;
  /** Stored hashes kept in memory for the next appends (default 4096). */
  hashCacheSize?: number;
  /** The log's own time, stamped on entries made by `appendStamped` / `appendWith` (default: the system's). */
  clock?: Clock;
  /** The last sequencing time already in the log (read once, so time never goes back across a restart). */
  lastLoggedAt?: () => Promise<string | undefined>;
}

export interface AppendResult {
  /** Index of the first entry appended; the others follow consecutively. */
  firstIndex: number;
  /** Log size right after the batch holding these entries was committed. */
  size: number;
}

export interface PublishResult extends StoredCheckpoint {
  /** False when the latest checkpoint already covered every committed entry. */
  published: boolean;
}

export interface InclusionResult {
  index: number;
  size: number;
  /** The stored leaf hash, stored hash (0, index). */
  leafHash: Uint8Array;
  proof: Uint8Array[];
}

/** What a batched append builds inside the commit's transaction, at the batch's sequencing time. */
interface Built {
  entries: Uint8Array[];
  result?: unknown;
}

interface Pending {
  /** Makes the entries (and, for appendWith, does its work through the transaction's handle). */
  build(handle: unknown, loggedAt: string): Promise<Built> | Built;
  /** Committed in a transaction of its own (appendWith): its failure must not fail other appends. */
  alone: boolean;
  /** Entries it will add, as far as known before it is built (for the batch limit). */
  weight: number;
  resolve(result: AppendResult & { result?: unknown }): void;
  reject(error: unknown): void;
}

function checkEntries(entries: readonly Uint8Array[]): void {
  for (const e of entries) {
    if (!(e instanceof Uint8Array)) throw new TypeError('entries must be Uint8Arrays');
    if (e.length > MAX_ENTRY_BYTES)
      throw new LedgerError('BAD_ENTRY_BUNDLE', `entry of ${e.length} bytes exceeds 65535`);
  }
}

/**
 * Stored hashes never change once committed, and appending leaf n reads only the roots of the complete
 * subtrees to its left: the same few hashes again and again. Keeping recent ones in memory saves a
 * database round trip for almost every appended entry.
 */
class StoredHashCache {
  private readonly hashes = new Map<number, Uint8Array>();

  constructor(private readonly capacity = 4096) {}

  get(index: number): Uint8Array | undefined {
    return this.hashes.get(index);
  }

  set(index: number, hash: Uint8Array): void {
    if (this.hashes.size >= this.capacity) {
      // Maps iterate in insertion order: drop the oldest quarter.
      let drop = Math.max(1, this.capacity >> 2);
      for (const key of this.hashes.keys()) {
        this.hashes.delete(key);
        if (--drop === 0) break;
      }
    }
    this.hashes.set(index, hash);
  }
}

/** Stored hashes below `start` from the cache or the store, the batch's new ones from memory. */
class BatchHashReader implements HashReader {
  readonly added: Uint8Array[] = [];

  constructor(
    private readonly store: HashReader,
    private readonly start: number,
    private readonly cache: StoredHashCache,
  ) {}

  async readHashes(indexes: readonly number[]): Promise<Uint8Array[]> {
    // Take what the cache has before reading the rest: storing what was read may evict those entries.
    const out = indexes.map((i) =>
      i < this.start
        ? this.cache.get(i)
        : (this.added[i - this.start] ?? fail('BAD_HASH_READER', `stored hash ${i} not yet computed`)),
    );
    const missing = out.flatMap((hash, k) => (hash === undefined ? [k] : []));
    if (missing.length > 0) {
      const fromStore = await this.store.readHashes(missing.map((k) => indexes[k]!));
      missing.forEach((k, j) => {
        out[k] = fromStore[j]!;
        this.cache.set(indexes[k]!, fromStore[j]!);
      });
    }
    return out as Uint8Array[];
  }
}

export class LogService {
  readonly origin: string;
  private readonly hashCache: StoredHashCache;
  private readonly store: LedgerStore;
  private readonly c: LedgerCrypto;
  private readonly signer: Ed25519Signer;
  private readonly noteSigners: NoteSigner[];
  private readonly sm2Signer: Sm2Signer | undefined;
  private readonly maxBatch: number;
  private readonly queue: Pending[] = [];
  private writer: Promise<void> | undefined;
  private committed: number | undefined;
  private readonly clock: Clock;
  private readonly lastLoggedAt: (() => Promise<string | undefined>) | undefined;
  /** The latest sequencing time stamped (undefined until the first stamped commit reads the log's). */
  private lastStamp: string | undefined;

  constructor(options: LogServiceOptions) {
    this.store = options.store;
    this.c = options.crypto;
    this.signer = options.signer;
    this.origin = options.origin ?? HUTONG_LOG_ORIGIN;
    this.sm2Signer = options.sm2Signer;
    // The Ed25519 line first: C2SP tools read it and skip the SM2 line as an unknown key's.
    this.noteSigners = [
      ed25519NoteSigner(this.c, this.origin, this.signer),
      ...(this.sm2Signer ? [sm2NoteSigner(this.c, this.origin, this.sm2Signer)] : []),
    ];
    this.maxBatch = options.maxBatch ?? 1024;
    this.hashCache = new StoredHashCache(options.hashCacheSize);
    this.clock = options.clock ?? { now: () => new Date() };
    this.lastLoggedAt = options.lastLoggedAt;
    if (!Number.isSafeInteger(this.maxBatch) || this.maxBatch < 1) throw new RangeError('maxBatch must be >= 1');
  }

  /** The log's public key as a signed-note vkey (`<origin>+<key id>+<base64>`). */
  vkey(): string {
    return ed25519Vkey(this.c, this.origin, this.signer.publicKey);
  }

  /** The log's SM2 key as a vkey (`hutong/sm2-sm3`), under the 国密 suite. */
  sm2Vkey(): string | undefined {
    return this.sm2Signer && formatSm2Vkey(this.c, this.origin, SM2_NOTE_IDENTIFIER, this.sm2Signer.publicKey);
  }

  /** Number of committed entries. */
  async size(): Promise<number> {
    this.committed ??= await this.store.size();
    return this.committed;
  }

  /**
   * Appends entries (each at most 65535 bytes) and resolves once they are committed. Entries are stored as
   * given: canonical JSON (canonical-json.ts) is the caller's job.
   */
  append(entries: readonly Uint8Array[]): Promise<AppendResult> {
    try {
      checkEntries(entries);
    } catch (error) {
      return Promise.reject(error);
    }
    if (entries.length === 0) return this.size().then((size) => ({ firstIndex: size, size }));
    // Copy: a caller reusing its buffer after append() returns must not change what is committed.
    const copies = entries.map((e) => e.slice());
    return this.enqueue({ build: () => ({ entries: copies }), alone: false, weight: copies.length });
  }

  /**
   * Appends entries made at commit time from the log's sequencing time (`loggedAt`, ISO 8601, never earlier
   * than any time stamped before): an entry's log time is the log's own, whatever time its event carries.
   */
  appendStamped(make: (loggedAt: string) => Uint8Array[]): Promise<AppendResult> {
    return this.enqueue({ build: (_handle, loggedAt) => ({ entries: make(loggedAt) }), alone: false, weight: 1 });
  }

  /**
   * Runs `work` inside the transaction that commits the entries it returns: a change made through `handle`
   * (the store's transaction) and the entries recording it are committed together or not at all. The work
   * runs alone in its transaction, after everything appended before it.
   */
  async appendWith<R>(
    work: (handle: unknown, loggedAt: string) => Promise<{ entries: Uint8Array[]; result: R }>,
  ): Promise<AppendResult & { result: R }> {
    const done = await this.enqueue({
      build: async (handle, loggedAt) => {
        const built = await work(handle, loggedAt);
        checkEntries(built.entries);
        return built;
      },
      alone: true,
      weight: 1,
    });
    return done as AppendResult & { result: R };
  }

  private enqueue(pending: Omit<Pending, 'resolve' | 'reject'>): Promise<AppendResult & { result?: unknown }> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...pending, resolve, reject });
      this.startWriter();
    });
  }

  private startWriter(): void {
    if (this.writer) return;
    this.writer = this.drain().finally(() => {
      this.writer = undefined;
      if (this.queue.length > 0) this.startWriter();
    });
  }

  private async drain(): Promise<void> {
    // Wait for the end of this event-loop turn, not just this microtask run: appends made by other I/O
    // callbacks of the same turn (concurrent HTTP requests, each recording one event) then share the first
    // transaction. With a synchronous driver (better-sqlite3) a microtask yield would commit them one by one.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      // A batch: one appendWith alone, or plain appends up to maxBatch pendings' worth of entries.
      const batch: Pending[] = [this.queue.shift()!];
      let weight = batch[0]!.weight;
      if (!batch[0]!.alone) {
        while (this.queue.length > 0 && !this.queue[0]!.alone && weight + this.queue[0]!.weight <= this.maxBatch) {
          weight += this.queue[0]!.weight;
          batch.push(this.queue.shift()!);
        }
      }
      try {
        await this.commit(batch);
      } catch (error) {
        // Nothing of the batch is committed (one transaction); re-read the size in case the commit's
        // outcome is unknown, and fail every caller of the batch.
        this.committed = undefined;
        for (const p of batch) p.reject(error);
      }
    }
  }

  /** The batch's sequencing time: now, or the last time stamped if the clock went back. */
  private async stamp(): Promise<string> {
    if (this.lastStamp === undefined && this.lastLoggedAt) this.lastStamp = await this.lastLoggedAt();
    const now = this.clock.now().toISOString();
    this.lastStamp = this.lastStamp !== undefined && this.lastStamp > now ? this.lastStamp : now;
    return this.lastStamp;
  }

  private async commit(batch: Pending[]): Promise<void> {
    const loggedAt = await this.stamp();
    const committed = await this.store.transaction(async (tx) => {
      // Inside the transaction only: on SQLite it holds the one connection, a read outside would wait for ever.
      const first = this.committed ?? (await tx.size());
      const built: { pending: Pending; built: Built }[] = [];
      for (const pending of batch) {
        try {
          const made = await pending.build(tx.handle, loggedAt);
          if (!pending.alone) checkEntries(made.entries);
          built.push({ pending, built: { ...made, entries: made.entries.map((e) => e.slice()) } });
        } catch (error) {
          // appendWith's work (alone) aborts the transaction; a plain append's bad entry fails only itself.
          if (pending.alone) throw error;
          pending.reject(error);
        }
      }
      const reader = new BatchHashReader(tx, storedHashCount(first), this.hashCache);
      let n = first;
      const entries: { data: Uint8Array; leafHash: Uint8Array }[] = [];
      for (const { built: made } of built) {
        for (const data of made.entries) {
          const leaf = leafHash(this.c, data);
          reader.added.push(...(await storedHashesForRecord(this.c, n, leaf, reader)));
          entries.push({ data, leafHash: leaf });
          n++;
        }
      }
      const size = entries.length === 0 ? first : await tx.append({ firstIndex: first, entries, hashes: reader.added });
      return { first, size, built, reader };
    });
    const { first, size, built, reader } = committed;
    const firstStored = storedHashCount(first);
    reader.added.forEach((hash, k) => {
      this.hashCache.set(firstStored + k, hash);
    });
    this.committed = size;
    let index = first;
    for (const { pending, built: made } of built) {
      pending.resolve({ firstIndex: index, size, ...('result' in made ? { result: made.result } : {}) });
      index += made.entries.length;
    }
  }

  /** Resolves once everything appended so far is committed (or failed). */
  async flush(): Promise<void> {
    while (this.writer) await this.writer;
  }

  /**
   * Signs and stores a checkpoint of the committed log if it grew since the latest checkpoint, or if there
   * is none (an empty log gets a size-0 checkpoint). A C2SP checkpoint carries no time: `now` is recorded
   * in the result only, and becomes the cosignature time once witnesses cosign (see README.md).
   */
  async publishCheckpoint(now: Date): Promise<PublishResult & { at: string }> {
    const at = now.toISOString();
    const size = await this.size();
    const latest = await this.store.latestCheckpoint();
    if (latest && latest.size >= size) return { ...latest, published: false, at };
    const root = await treeRoot(this.c, size, this.store);
    const note = signCheckpoint({ origin: this.origin, size, root, extensions: [] }, this.noteSigners);
    await this.store.putCheckpoint({ size, note });
    // A concurrent publisher may have stored its own note of this size first; report what is stored.
    const stored = await this.store.latestCheckpoint();
    return { size: stored!.size, note: stored!.note, published: stored!.note === note, at };
  }

  /** Keeps a checkpoint with the cosignatures that made it final (see LedgerStore.putCosigned). */
  putCosigned(checkpoint: StoredCheckpoint): Promise<void> {
    return this.store.putCosigned(checkpoint);
  }

  /** The latest final (cosigned to the policy's quorum) checkpoint, if any. */
  latestCosigned(): Promise<StoredCheckpoint | undefined> {
    return this.store.latestCosigned();
  }

  /** The latest signed checkpoint (note text), if any. */
  async checkpoint(): Promise<string | undefined> {
    return (await this.store.latestCheckpoint())?.note;
  }

  /** The latest signed checkpoint with its size. */
  latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    return this.store.latestCheckpoint();
  }

  private async publishedSize(): Promise<number> {
    return (await this.store.latestCheckpoint())?.size ?? 0;
  }

  private async checkSize(size: number): Promise<void> {
    const committed = await this.size();
    if (!Number.isSafeInteger(size) || size < 0 || size > committed) {
      fail('BAD_RANGE', `tree size ${size} is not between 0 and the log size ${committed}`);
    }
  }

  /** The entry at `index` (committed, not necessarily in a checkpoint yet). */
  async entry(index: number): Promise<Uint8Array> {
    const [e] = await this.store.readEntries(index, index + 1);
    return e!.data;
  }

  /** RFC 6962 inclusion proof of entry `index` in the tree of `size` (default: the latest checkpoint's). */
  async inclusion(index: number, size?: number): Promise<InclusionResult> {
    const treeSize = size ?? (await this.publishedSize());
    await this.checkSize(treeSize);
    const proof = await inclusionProof(this.c, index, treeSize, this.store);
    const [leaf] = await this.store.readHashes([storedHashIndex(0, index)]);
    return { index, size: treeSize, leafHash: leaf!, proof };
  }

  /** RFC 6962 consistency proof between two committed sizes (0 < from <= to). */
  async consistency(from: number, to: number): Promise<Uint8Array[]> {
    await this.checkSize(to);
    return consistencyProof(this.c, from, to, this.store);
  }

  private async checkTile(level: number, n: number, width: number): Promise<void> {
    if (!Number.isSafeInteger(width) || width < 1 || width > TILE_WIDTH) fail('BAD_TILE', 'tile width must be 1..256');
    const size = await this.publishedSize();
    if (tileWidth(level, n, size) < width) {
      fail('INDEX_OUT_OF_RANGE', `tile ${level}/${n} of width ${width} is not in the published tree of size ${size}`);
    }
  }

  /** Bytes of hash tile (level, n) of the given width (c2sp.org/tlog-tiles), within the latest checkpoint. */
  async tile(level: number, n: number, width: number = TILE_WIDTH): Promise<Uint8Array> {
    await this.checkTile(level, n, width);
    return readTileData({ level, n, width }, this.store);
  }

  /** Bytes of entry bundle `n` of the given width (c2sp.org/tlog-tiles), within the latest checkpoint. */
  async entryBundle(n: number, width: number = TILE_WIDTH): Promise<Uint8Array> {
    await this.checkTile(0, n, width);
    const entries = await this.store.readEntries(n * TILE_WIDTH, n * TILE_WIDTH + width);
    return encodeEntryBundle(entries.map((e) => e.data));
  }
}
