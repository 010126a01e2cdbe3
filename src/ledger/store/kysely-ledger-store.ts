/** The audit log's tables on Kysely: one implementation for SQLite and PostgreSQL. */
import { MigratedStore } from '../../platform/db/migrate';
import type { Kysely } from 'kysely';
import { fail } from '../../core/ledger/errors';
import { storedHashCount } from '../../core/ledger/stored-hashes';
import type {
  LedgerAppendBatch,
  LedgerEntry,
  LedgerStore,
  LedgerTransaction,
  StoredCheckpoint,
} from '../../core/ports/ledger-store';
import { ledgerMigrations } from './ledger-migrations';
import type { LedgerDatabase } from './ledger-schema';

// Rows per statement: well below SQLite's and PostgreSQL's bound-parameter limits.
const CHUNK = 500;

function bytes(value: Uint8Array): Uint8Array {
  // Drivers hand back Buffers; callers get plain Uint8Array views of the same memory.
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export class KyselyLedgerStore extends MigratedStore<LedgerDatabase> implements LedgerStore {
  constructor(db: Kysely<LedgerDatabase>) {
    super(db, ledgerMigrations, 'ledger_migrations');
  }

  async size(): Promise<number> {
    return this.sizeIn(this.db);
  }

  private async sizeIn(db: Kysely<LedgerDatabase>): Promise<number> {
    const { max } = await db
      .selectFrom('ledger_entries')
      .select((eb) => eb.fn.max('idx').as('max'))
      .executeTakeFirstOrThrow();
    return max === null || max === undefined ? 0 : Number(max) + 1;
  }

  private async hashCountIn(db: Kysely<LedgerDatabase>): Promise<number> {
    const { max } = await db
      .selectFrom('ledger_hashes')
      .select((eb) => eb.fn.max('stored_index').as('max'))
      .executeTakeFirstOrThrow();
    return max === null || max === undefined ? 0 : Number(max) + 1;
  }

  async append(batch: LedgerAppendBatch): Promise<number> {
    if (batch.entries.length === 0) return this.size();
    return this.transaction((tx) => tx.append(batch));
  }

  transaction<R>(work: (tx: LedgerTransaction) => Promise<R>): Promise<R> {
    return this.db.transaction().execute((trx) =>
      work({
        handle: trx,
        size: () => this.sizeIn(trx),
        readHashes: (indexes) => this.readHashesIn(trx, indexes),
        append: (batch) => this.appendIn(trx, batch),
      }),
    );
  }

  private async appendIn(trx: Kysely<LedgerDatabase>, batch: LedgerAppendBatch): Promise<number> {
    const { firstIndex, entries, hashes } = batch;
    const end = firstIndex + entries.length;
    const hashStart = storedHashCount(firstIndex);
    if (hashes.length !== storedHashCount(end) - hashStart) {
      fail(
        'INCONSISTENT',
        `a batch of ${entries.length} entries at ${firstIndex} adds ${storedHashCount(end) - hashStart} stored hashes, got ${hashes.length}`,
      );
    }
    if (entries.length === 0) return this.sizeIn(trx);
    const size = await this.sizeIn(trx);
    if (size !== firstIndex) fail('INCONSISTENT', `log has ${size} entries, batch starts at ${firstIndex}`);
    const hashCount = await this.hashCountIn(trx);
    if (hashCount !== hashStart) fail('INCONSISTENT', `log has ${hashCount} stored hashes, want ${hashStart}`);
    const entryRows = entries.map((e, i) => ({ idx: firstIndex + i, data: e.data, leaf_hash: e.leafHash }));
    for (const rows of chunks(entryRows)) await trx.insertInto('ledger_entries').values(rows).execute();
    const hashRows = hashes.map((hash, i) => ({ stored_index: hashStart + i, hash }));
    for (const rows of chunks(hashRows)) await trx.insertInto('ledger_hashes').values(rows).execute();
    return end;
  }

  async readEntries(start: number, end: number): Promise<LedgerEntry[]> {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
      fail('BAD_RANGE', `bad entry range [${start}, ${end})`);
    }
    if (start === end) return [];
    const rows = await this.db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('idx', '>=', start)
      .where('idx', '<', end)
      .orderBy('idx')
      .execute();
    if (rows.length !== end - start) fail('INDEX_OUT_OF_RANGE', `entries [${start}, ${end}) are not all stored`);
    return rows.map((row) => ({ index: Number(row.idx), data: bytes(row.data), leafHash: bytes(row.leaf_hash) }));
  }

  readHashes(indexes: readonly number[]): Promise<Uint8Array[]> {
    return this.readHashesIn(this.db, indexes);
  }

  private async readHashesIn(db: Kysely<LedgerDatabase>, indexes: readonly number[]): Promise<Uint8Array[]> {
    if (indexes.length === 0) return [];
    const found = new Map<number, Uint8Array>();
    for (const part of chunks([...new Set(indexes)])) {
      const rows = await db.selectFrom('ledger_hashes').selectAll().where('stored_index', 'in', part).execute();
      for (const row of rows) found.set(Number(row.stored_index), bytes(row.hash));
    }
    return indexes.map((i) => found.get(i) ?? fail('BAD_HASH_READER', `stored hash ${i} does not exist`));
  }

  async putCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
    await this.db
      .insertInto('ledger_checkpoints')
      .values({ size: checkpoint.size, note: checkpoint.note })
      .onConflict((oc) => oc.column('size').doNothing())
      .execute();
  }

  async putCosigned(checkpoint: StoredCheckpoint): Promise<void> {
    await this.db
      .insertInto('ledger_cosigned')
      .values({ size: checkpoint.size, note: checkpoint.note })
      .onConflict((oc) => oc.column('size').doUpdateSet({ note: checkpoint.note }))
      .execute();
  }

  async latestCosigned(): Promise<StoredCheckpoint | undefined> {
    const row = await this.db
      .selectFrom('ledger_cosigned')
      .selectAll()
      .orderBy('size', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? { size: Number(row.size), note: row.note } : undefined;
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const row = await this.db
      .selectFrom('ledger_checkpoints')
      .selectAll()
      .orderBy('size', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? { size: Number(row.size), note: row.note } : undefined;
  }
}
