/**
 * The log service over an in-memory LedgerStore (the Kysely store has its own contract suite) and a
 * test-local node:crypto binding: application code and its tests do not import adapters.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../core/ledger/checkpoint';
import type { Ed25519Signer, LedgerCrypto } from '../../core/ledger/crypto-port';
import { isLedgerError, type LedgerErrorCode, fail } from '../../core/ledger/errors';
import { leafHash, rootFromLeafHashes, verifyConsistency, verifyInclusion } from '../../core/ledger/merkle';
import { ed25519NoteVerifier } from '../../core/ledger/note';
import { storedHashCount } from '../../core/ledger/stored-hashes';
import { decodeEntryBundle, decodeTile } from '../../core/ledger/tiles';
import type {
  LedgerAppendBatch,
  LedgerEntry,
  LedgerStore,
  LedgerTransaction,
  StoredCheckpoint,
} from '../../core/ports/ledger-store';
import { canonicalJsonBytes } from '../../core/ledger/canonical-json';
import { HUTONG_LOG_ORIGIN, LogService } from './log-service';

const c: LedgerCrypto = {
  sha256: (data) => new Uint8Array(createHash('sha256').update(data).digest()),
  ed25519Verify: (publicKey, message, signature) =>
    verify(
      null,
      message,
      createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
        format: 'jwk',
      }),
      signature,
    ),
};

function testSigner(): Ed25519Signer {
  const seed = Buffer.alloc(32, 7);
  const prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
  const key = createPrivateKey({ key: Buffer.concat([prefix, seed]), format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  return {
    publicKey: new Uint8Array(Buffer.from(jwk.x!, 'base64url')),
    sign: (message) => new Uint8Array(sign(null, message, key)),
  };
}

/** The LedgerStore contract in memory, with a switch to fail the next append. */
class MemoryLedgerStore implements LedgerStore {
  entries: LedgerEntry[] = [];
  hashes: Uint8Array[] = [];
  checkpoints: StoredCheckpoint[] = [];
  appendCalls = 0;
  failNext = false;

  async size(): Promise<number> {
    return this.entries.length;
  }
  async append(batch: LedgerAppendBatch): Promise<number> {
    this.appendCalls++;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    const end = batch.firstIndex + batch.entries.length;
    if (batch.firstIndex !== this.entries.length) fail('INCONSISTENT', 'not at the end');
    if (batch.hashes.length !== storedHashCount(end) - storedHashCount(batch.firstIndex))
      fail('INCONSISTENT', 'hash count');
    batch.entries.forEach((e, i) => {
      this.entries.push({ index: batch.firstIndex + i, ...e });
    });
    this.hashes.push(...batch.hashes);
    return end;
  }
  async readEntries(start: number, end: number): Promise<LedgerEntry[]> {
    if (end > this.entries.length) fail('INDEX_OUT_OF_RANGE', 'missing');
    return this.entries.slice(start, end);
  }
  async readHashes(indexes: readonly number[]): Promise<Uint8Array[]> {
    return indexes.map((i) => this.hashes[i] ?? fail('BAD_HASH_READER', 'missing'));
  }
  async transaction<R>(work: (tx: LedgerTransaction) => Promise<R>): Promise<R> {
    // All or nothing, like the database: a failing work leaves the store as it was.
    const entries = this.entries.length;
    const hashes = this.hashes.length;
    try {
      return await work({
        handle: this,
        size: () => this.size(),
        readHashes: (indexes) => this.readHashes(indexes),
        append: (batch) => this.append(batch),
      });
    } catch (error) {
      this.entries.length = entries;
      this.hashes.length = hashes;
      throw error;
    }
  }
  async putCheckpoint(cp: StoredCheckpoint): Promise<void> {
    if (!this.checkpoints.some((x) => x.size === cp.size)) this.checkpoints.push(cp);
  }
  cosigned: StoredCheckpoint[] = [];
  async putCosigned(cp: StoredCheckpoint): Promise<void> {
    this.cosigned = [...this.cosigned.filter((x) => x.size !== cp.size), cp];
  }
  async latestCosigned(): Promise<StoredCheckpoint | undefined> {
    return [...this.cosigned].sort((a, b) => b.size - a.size)[0];
  }
  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    return [...this.checkpoints].sort((a, b) => b.size - a.size)[0];
  }
}

const event = (i: number) => canonicalJsonBytes({ seq: i, action: 'query', consumer: 'zhengwu', provider: 'gongan' });
const events = (from: number, count: number) => Array.from({ length: count }, (_, i) => event(from + i));

async function rejectsWith(p: Promise<unknown>, code: LedgerErrorCode): Promise<void> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isLedgerError(error, code), `expected ${code}, got ${String(error)}`).toBe(true);
}

function setup(maxBatch?: number) {
  const store = new MemoryLedgerStore();
  const log = new LogService({ store, crypto: c, signer: testSigner(), ...(maxBatch ? { maxBatch } : {}) });
  return { store, log };
}

const now = new Date('2026-11-27T08:00:00Z');

describe('LogService', () => {
  it('gives consecutive indexes and resolves only after commit, grouping concurrent appends', async () => {
    const { store, log } = setup();
    const results = await Promise.all([log.append(events(0, 3)), log.append(events(3, 1)), log.append(events(4, 5))]);
    expect(results.map((r) => r.firstIndex)).toEqual([0, 3, 4]);
    expect(results.every((r) => r.size === 9)).toBe(true);
    expect(store.appendCalls).toBe(1);
    const next = await log.append(events(9, 2));
    expect(next).toEqual({ firstIndex: 9, size: 11 });
    expect(store.entries.map((e) => e.data)).toEqual(events(0, 11));
    expect(await log.append([])).toEqual({ firstIndex: 11, size: 11 });
  });

  it('splits the queue into batches of at most maxBatch entries, keeping each append whole', async () => {
    const { store, log } = setup(4);
    const results = await Promise.all([
      log.append(events(0, 3)),
      log.append(events(3, 3)),
      log.append(events(6, 6)),
      log.append(events(12, 1)),
    ]);
    expect(results.map((r) => r.firstIndex)).toEqual([0, 3, 6, 12]);
    expect(results.map((r) => r.size)).toEqual([3, 6, 12, 13]);
    expect(store.appendCalls).toBe(4);
    expect(store.entries.map((e) => e.data)).toEqual(events(0, 13));
  });

  it('fails every append of a failed batch and carries on at the right index', async () => {
    const { store, log } = setup();
    await log.append(events(0, 2));
    store.failNext = true;
    const failed = await Promise.allSettled([log.append(events(2, 1)), log.append(events(3, 1))]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await log.append(events(2, 2))).toEqual({ firstIndex: 2, size: 4 });
    expect(store.entries.map((e) => e.data)).toEqual(events(0, 4));
  });

  it('refuses entries too long for an entry bundle and copies the rest', async () => {
    const { store, log } = setup();
    await rejectsWith(log.append([new Uint8Array(65536)]), 'BAD_ENTRY_BUNDLE');
    const buffer = Uint8Array.of(1, 2, 3);
    const pending = log.append([buffer, new Uint8Array(65535)]);
    buffer[0] = 9;
    await pending;
    expect(store.entries[0]!.data).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('signs a checkpoint when there is none or the log grew, and verifies under its vkey', async () => {
    const { log } = setup();
    const verifier = ed25519NoteVerifier(c, log.vkey());
    expect(log.vkey().startsWith(`${HUTONG_LOG_ORIGIN}+`)).toBe(true);
    expect(await log.checkpoint()).toBeUndefined();

    const empty = await log.publishCheckpoint(now);
    expect(empty).toMatchObject({ published: true, size: 0, at: now.toISOString() });
    expect(openCheckpoint(empty.note, HUTONG_LOG_ORIGIN, [verifier]).checkpoint.root).toEqual(
      rootFromLeafHashes(c, []),
    );
    expect((await log.publishCheckpoint(now)).published).toBe(false);

    await log.append(events(0, 300));
    const first = await log.publishCheckpoint(now);
    expect(first).toMatchObject({ published: true, size: 300 });
    expect(await log.checkpoint()).toBe(first.note);
    const cp = openCheckpoint(first.note, HUTONG_LOG_ORIGIN, [verifier]).checkpoint;
    expect(cp.root).toEqual(
      rootFromLeafHashes(
        c,
        events(0, 300).map((e) => leafHash(c, e)),
      ),
    );
    expect(await log.publishCheckpoint(now)).toMatchObject({ published: false, size: 300, note: first.note });
  });

  it('proves inclusion and consistency at checkpoint and explicit sizes', async () => {
    const { log } = setup();
    await log.append(events(0, 100));
    const old = openCheckpoint((await log.publishCheckpoint(now)).note, HUTONG_LOG_ORIGIN, [
      ed25519NoteVerifier(c, log.vkey()),
    ]).checkpoint;
    await log.append(events(100, 500));
    const leaves = events(0, 600).map((e) => leafHash(c, e));

    // Default size: the latest checkpoint (100), even though 600 entries are committed.
    const p = await log.inclusion(42);
    expect(p.size).toBe(100);
    expect(p.leafHash).toEqual(leaves[42]);
    verifyInclusion(c, 42, 100, leaves[42]!, p.proof, old.root);
    await rejectsWith(log.inclusion(100), 'INDEX_OUT_OF_RANGE');

    const root600 = rootFromLeafHashes(c, leaves);
    for (const index of [0, 255, 256, 511, 599]) {
      const q = await log.inclusion(index, 600);
      verifyInclusion(c, index, 600, q.leafHash, q.proof, root600);
    }
    verifyConsistency(c, 100, 600, await log.consistency(100, 600), old.root, root600);
    expect(await log.consistency(600, 600)).toEqual([]);
    await rejectsWith(log.consistency(0, 600), 'BAD_RANGE');
    await rejectsWith(log.consistency(100, 601), 'BAD_RANGE');
    await rejectsWith(log.inclusion(0, 601), 'BAD_RANGE');
    expect(await log.entry(599)).toEqual(event(599));
  });

  it('serves tiles and entry bundles only within the latest checkpoint', async () => {
    const { log } = setup();
    await log.append(events(0, 600));
    await rejectsWith(log.tile(0, 0), 'INDEX_OUT_OF_RANGE');
    await log.publishCheckpoint(now);
    const leaves = events(0, 600).map((e) => leafHash(c, e));

    expect(decodeTile({ level: 0, n: 1, width: 256 }, await log.tile(0, 1))).toEqual(leaves.slice(256, 512));
    expect(decodeTile({ level: 0, n: 2, width: 88 }, await log.tile(0, 2, 88))).toEqual(leaves.slice(512));
    expect(decodeTile({ level: 0, n: 2, width: 10 }, await log.tile(0, 2, 10))).toEqual(leaves.slice(512, 522));
    expect(decodeTile({ level: 1, n: 0, width: 2 }, await log.tile(1, 0, 2))).toEqual([
      rootFromLeafHashes(c, leaves.slice(0, 256)),
      rootFromLeafHashes(c, leaves.slice(256, 512)),
    ]);
    expect(decodeEntryBundle(await log.entryBundle(0), 256)).toEqual(events(0, 256));
    expect(decodeEntryBundle(await log.entryBundle(2, 88), 88)).toEqual(events(512, 88));

    await rejectsWith(log.tile(0, 2), 'INDEX_OUT_OF_RANGE');
    await rejectsWith(log.tile(0, 2, 89), 'INDEX_OUT_OF_RANGE');
    await rejectsWith(log.tile(1, 0, 3), 'INDEX_OUT_OF_RANGE');
    await rejectsWith(log.tile(2, 0, 1), 'INDEX_OUT_OF_RANGE');
    await rejectsWith(log.entryBundle(3, 1), 'INDEX_OUT_OF_RANGE');
    await rejectsWith(log.tile(0, 0, 0), 'BAD_TILE');
  });

  it('computes the right tree whatever the in-memory hash cache evicts between and within appends', async () => {
    // A tiny cache evicts all the time; a stored hash the cache had when an append started must still be
    // served after reading older ones from the store has pushed it out.
    for (const hashCacheSize of [1, 2, 3, 4, 5, 8, 13]) {
      const store = new MemoryLedgerStore();
      const log = new LogService({ store, crypto: c, signer: testSigner(), hashCacheSize });
      let n = 0;
      for (let round = 0; n < 700; round++) {
        const sizes = [1 + (round % 7), 1 + ((round * 5) % 17), 1];
        await Promise.all(
          sizes.map((count) => {
            const appended = log.append(events(n, count));
            n += count;
            return appended;
          }),
        );
      }
      const { note } = await log.publishCheckpoint(now);
      const { checkpoint } = openCheckpoint(note, HUTONG_LOG_ORIGIN, [ed25519NoteVerifier(c, log.vkey())]);
      expect(checkpoint.size).toBe(n);
      expect(checkpoint.root).toEqual(
        rootFromLeafHashes(
          c,
          events(0, n).map((e) => leafHash(c, e)),
        ),
      );
    }
  });

  it('continues an existing log after a restart', async () => {
    const { store, log } = setup();
    await log.append(events(0, 5));
    const again = new LogService({ store, crypto: c, signer: testSigner() });
    expect(await again.append(events(5, 1))).toEqual({ firstIndex: 5, size: 6 });
    const root = openCheckpoint((await again.publishCheckpoint(now)).note, HUTONG_LOG_ORIGIN, [
      ed25519NoteVerifier(c, log.vkey()),
    ]).checkpoint.root;
    expect(root).toEqual(
      rootFromLeafHashes(
        c,
        events(0, 6).map((e) => leafHash(c, e)),
      ),
    );
  });
});
