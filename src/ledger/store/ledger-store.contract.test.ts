/** One contract suite for the audit log's tables, on SQLite always and on PostgreSQL when configured. */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { isLedgerError, type LedgerErrorCode } from '../../core/ledger/errors';
import { leafHash, rootFromLeafHashes } from '../../core/ledger/merkle';
import { MemoryHashStore, storedHashCount, treeRoot } from '../../core/ledger/stored-hashes';
import type { LedgerAppendBatch } from '../../core/ports/ledger-store';
import { nodeLedgerCrypto as c } from '../../platform/crypto/ledger-crypto';
import { type TestDatabase, testDialects, withFreshStore } from '../../platform/db/test-databases';
import { KyselyLedgerStore } from './kysely-ledger-store';
import type { LedgerDatabase } from './ledger-schema';

const entry = (i: number): Uint8Array => Uint8Array.from([0x00, 0xff, i & 0xff, (i >> 8) & 0xff, 0x7b]);

async function rejectsWith(p: Promise<unknown>, code: LedgerErrorCode): Promise<void> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isLedgerError(error, code), `expected ${code}, got ${String(error)}`).toBe(true);
}

/** Builds batches the way the log service does, mirrored in memory so the test can compare. */
class Mirror {
  readonly memory = new MemoryHashStore(c);
  readonly leaves: Uint8Array[] = [];

  async batch(count: number): Promise<LedgerAppendBatch> {
    const firstIndex = this.memory.size;
    const before = storedHashCount(firstIndex);
    const entries = [];
    for (let i = 0; i < count; i++) {
      const data = entry(firstIndex + i);
      const leaf = leafHash(c, data);
      await this.memory.append(leaf);
      this.leaves.push(leaf);
      entries.push({ data, leafHash: leaf });
    }
    const after = storedHashCount(this.memory.size);
    const hashes = this.memory.readHashes(Array.from({ length: after - before }, (_, i) => before + i));
    return { firstIndex, entries, hashes };
  }
}

describe.each(testDialects())('ledger store on $name', (dialect) => {
  let database: TestDatabase<LedgerDatabase>;
  let store: KyselyLedgerStore;

  withFreshStore(
    dialect,
    (db: Kysely<LedgerDatabase>) => new KyselyLedgerStore(db),
    (opened, fresh) => {
      store = opened;
      database = fresh;
    },
  );

  it('starts empty, and migrating again is a no-op', async () => {
    await store.migrate();
    expect(await store.size()).toBe(0);
    expect(await store.readEntries(0, 0)).toEqual([]);
    expect(await store.readHashes([])).toEqual([]);
    expect(await store.latestCheckpoint()).toBeUndefined();
  });

  it('migrates next to another hutong database in the same server (PostgreSQL: another schema)', async () => {
    const other = await dialect.open<LedgerDatabase>();
    try {
      const second = new KyselyLedgerStore(other.db);
      await second.migrate();
      await second.migrate();
      expect(await second.size()).toBe(0);
    } finally {
      await other.dispose();
    }
  });

  it('appends batches of any size and reads back entries and stored hashes', async () => {
    const mirror = new Mirror();
    for (const count of [1, 1, 5, 300, 7]) {
      const batch = await mirror.batch(count);
      expect(await store.append(batch)).toBe(batch.firstIndex + count);
    }
    const size = 314;
    expect(await store.size()).toBe(size);

    const entries = await store.readEntries(0, size);
    expect(entries.map((e) => e.index)).toEqual(Array.from({ length: size }, (_, i) => i));
    entries.forEach((e, i) => {
      expect(e.data).toEqual(entry(i));
      expect(e.leafHash).toEqual(mirror.leaves[i]);
    });
    expect((await store.readEntries(250, 260)).map((e) => e.index)).toEqual([
      250, 251, 252, 253, 254, 255, 256, 257, 258, 259,
    ]);

    const all = Array.from({ length: storedHashCount(size) }, (_, i) => i);
    expect(await store.readHashes(all)).toEqual(mirror.memory.readHashes(all));
    // Order as asked, duplicates allowed.
    expect(await store.readHashes([9, 2, 9])).toEqual(mirror.memory.readHashes([9, 2, 9]));
    // The store is a HashReader: roots over it match an independent in-memory computation.
    for (const n of [1, 2, 3, 255, 256, 257, size]) {
      expect(await treeRoot(c, n, store)).toEqual(rootFromLeafHashes(c, mirror.leaves.slice(0, n)));
    }
  });

  it('round-trips empty and binary entries', async () => {
    const data = [new Uint8Array(0), Uint8Array.from({ length: 256 }, (_, i) => i), new Uint8Array(65535).fill(7)];
    const memory = new MemoryHashStore(c);
    for (const d of data) await memory.append(leafHash(c, d));
    const hashes = memory.readHashes(Array.from({ length: storedHashCount(3) }, (_, i) => i));
    await store.append({ firstIndex: 0, entries: data.map((d) => ({ data: d, leafHash: leafHash(c, d) })), hashes });
    expect((await store.readEntries(0, 3)).map((e) => e.data)).toEqual(data);
  });

  it('refuses a batch that does not continue the log, writing nothing', async () => {
    const mirror = new Mirror();
    await store.append(await mirror.batch(3));
    const next = await mirror.batch(2);
    await rejectsWith(store.append({ ...next, firstIndex: 2 }), 'INCONSISTENT');
    await rejectsWith(store.append({ ...next, firstIndex: 4 }), 'INCONSISTENT');
    await rejectsWith(store.append({ ...next, hashes: next.hashes.slice(1) }), 'INCONSISTENT');
    expect(await store.size()).toBe(3);
    expect(await store.append(next)).toBe(5);
  });

  it('writes entries and hashes in one transaction: a failing hash insert leaves no entries behind', async () => {
    const mirror = new Mirror();
    await store.append(await mirror.batch(2));
    const next = await mirror.batch(2);
    const broken = [...next.hashes.slice(0, -1), null as unknown as Uint8Array];
    await expect(store.append({ ...next, hashes: broken })).rejects.toThrow();
    expect(await store.size()).toBe(2);
    await rejectsWith(store.readHashes([storedHashCount(2)]), 'BAD_HASH_READER');
    expect(await store.append(next)).toBe(4);
  });

  it('reports missing entries and hashes with codes', async () => {
    const mirror = new Mirror();
    await store.append(await mirror.batch(4));
    await rejectsWith(store.readEntries(2, 5), 'INDEX_OUT_OF_RANGE');
    await rejectsWith(store.readEntries(3, 2), 'BAD_RANGE');
    await rejectsWith(store.readHashes([0, storedHashCount(4)]), 'BAD_HASH_READER');
  });

  it('keeps entries and hashes append-only in the database', async () => {
    const mirror = new Mirror();
    await store.append(await mirror.batch(2));
    const db = database.db;
    await expect(
      db
        .updateTable('ledger_entries')
        .set({ data: Uint8Array.of(1) })
        .where('idx', '=', 0)
        .execute(),
    ).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('ledger_entries').execute()).rejects.toThrow(/append-only/);
    await expect(
      db
        .updateTable('ledger_hashes')
        .set({ hash: Uint8Array.of(1) })
        .where('stored_index', '=', 0)
        .execute(),
    ).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('ledger_hashes').execute()).rejects.toThrow(/append-only/);
    const { rows } = await sql<{ n: number }>`select count(*) as n from ledger_entries`.execute(db);
    expect(Number(rows[0]!.n)).toBe(2);
  });

  it('keeps the first checkpoint of each size and reports the largest', async () => {
    await store.putCheckpoint({ size: 0, note: 'zero\n' });
    expect(await store.latestCheckpoint()).toEqual({ size: 0, note: 'zero\n' });
    await store.putCheckpoint({ size: 5, note: 'five\n' });
    await store.putCheckpoint({ size: 5, note: 'five again\n' });
    await store.putCheckpoint({ size: 3, note: 'three\n' });
    expect(await store.latestCheckpoint()).toEqual({ size: 5, note: 'five\n' });
  });
});
