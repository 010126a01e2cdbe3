/**
 * Proof generation from stored hashes and from authenticated tiles, checked three ways: against the RFC 6962
 * standard vectors, against the independent verifiers in merkle.ts, and against in-memory recomputation.
 */
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rejectedCode } from '../../core/thrown-code.test-helper';
import { hexDecode, u64be } from '../../core/ledger/bytes';
import { LedgerError } from '../../core/ledger/errors';
import { leafHash, rootFromLeafHashes, verifyConsistency, verifyInclusion } from '../../core/ledger/merkle';
import {
  consistencyProof,
  inclusionProof,
  MemoryHashStore,
  storedHashCount,
  storedHashIndex,
  treeRoot,
} from '../../core/ledger/stored-hashes';
import { hashFromTile, readTileData, type Tile, TileHashReader, tileForStoredHashIndex } from '../../core/ledger/tiles';
import { nodeLedgerCrypto as c } from './ledger-crypto';

const VECTORS = process.env['LEDGER_VECTORS_DIR'] ?? fileURLToPath(new URL('../../../vectors/tlog', import.meta.url));
const std = JSON.parse(readFileSync(join(VECTORS, 'rfc6962-standard.json'), 'utf8'));
const hex = (s: string) => hexDecode(s)!;

const code = (run: () => Promise<unknown>) => rejectedCode(LedgerError, run);

async function storeOf(leaves: readonly Uint8Array[]): Promise<MemoryHashStore> {
  const store = new MemoryHashStore(c);
  for (const l of leaves) await store.append(l);
  return store;
}

describe('proof generation: RFC 6962 standard vectors', () => {
  let store: MemoryHashStore;
  beforeAll(async () => {
    store = await storeOf((std.leafHashes as string[]).map(hex));
  });

  it('stores exactly StoredHashCount hashes', () => {
    expect(storedHashCount(8)).toBe(15);
  });

  it('computes every root', async () => {
    for (let n = 0; n <= 8; n++) expect(await treeRoot(c, n, store)).toEqual(hex(std.roots[n]));
  });

  it('generates the published inclusion proofs', async () => {
    for (const p of std.inclusion) {
      expect(await inclusionProof(c, p.leafIndex, p.treeSize, store)).toEqual(p.proof.map(hex));
    }
  });

  it('generates the published consistency proofs', async () => {
    for (const p of std.consistency) {
      expect(await consistencyProof(c, p.size1, p.size2, store)).toEqual(p.proof.map(hex));
    }
  });
});

describe('proof generation: every pair in small trees', () => {
  const N = 70;
  const leaves = Array.from({ length: N }, (_, i) => leafHash(c, u64be(i)));
  let store: MemoryHashStore;
  beforeAll(async () => {
    store = await storeOf(leaves);
  });

  it('roots equal in-memory MTH', async () => {
    for (let n = 0; n <= N; n++) expect(await treeRoot(c, n, store)).toEqual(rootFromLeafHashes(c, leaves.slice(0, n)));
  });

  it('inclusion proofs verify, and only for their own leaf', async () => {
    for (let size = 1; size <= 40; size++) {
      const root = rootFromLeafHashes(c, leaves.slice(0, size));
      for (let i = 0; i < size; i++) {
        const proof = await inclusionProof(c, i, size, store);
        verifyInclusion(c, i, size, leaves[i]!, proof, root);
        expect(() => verifyInclusion(c, i, size, leaves[(i + 1) % N]!, proof, root)).toThrow(LedgerError);
      }
    }
  });

  it('consistency proofs verify', async () => {
    for (let size2 = 1; size2 <= 40; size2++) {
      const root2 = rootFromLeafHashes(c, leaves.slice(0, size2));
      for (let size1 = 1; size1 <= size2; size1++) {
        const proof = await consistencyProof(c, size1, size2, store);
        verifyConsistency(c, size1, size2, proof, rootFromLeafHashes(c, leaves.slice(0, size1)), root2);
      }
    }
  });

  it('rejects impossible requests', async () => {
    expect(await code(() => inclusionProof(c, 5, 5, store))).toBe('INDEX_OUT_OF_RANGE');
    expect(await code(() => consistencyProof(c, 0, 5, store))).toBe('BAD_RANGE');
    expect(await code(() => consistencyProof(c, 6, 5, store))).toBe('BAD_RANGE');
    expect(await code(() => inclusionProof(c, 5, N + 1, store))).toBe('BAD_HASH_READER');
    expect(await code(() => inclusionProof(c, -1, 5, store))).toBe('BAD_NUMBER');
    expect(await code(() => treeRoot(c, 1.5, store))).toBe('BAD_NUMBER');
  });

  it('reads O(log n) hashes per proof', async () => {
    let reads = 0;
    const counting = {
      readHashes: (ix: readonly number[]) => {
        reads += ix.length;
        return store.readHashes(ix);
      },
    };
    await inclusionProof(c, 37, 70, counting);
    expect(reads).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(70)));
  });
});

describe('TileHashReader over a tree spanning three tile levels', () => {
  const N = 256 * 256 + 300;
  let store: MemoryHashStore;
  let root: Uint8Array;
  const leaves: Uint8Array[] = [];
  beforeAll(async () => {
    store = new MemoryHashStore(c);
    for (let i = 0; i < N; i++) {
      leaves.push(leafHash(c, u64be(i)));
      await store.append(leaves[i]!);
    }
    root = await treeRoot(c, N, store);
  });

  const honest = () => ({
    readTiles: (tiles: readonly Tile[]) => Promise.all(tiles.map((t) => readTileData(t, store))),
  });

  it('serves the same proofs as the hash store, all verifying', async () => {
    const tiles = new TileHashReader(c, N, root, honest());
    for (const i of [0, 1, 255, 256, 65535, 65536, 65700, N - 1]) {
      const proof = await inclusionProof(c, i, N, tiles);
      expect(proof).toEqual(await inclusionProof(c, i, N, store));
      verifyInclusion(c, i, N, leaves[i]!, proof, root);
    }
    for (const old of [1, 256, 65536, 65537, N - 1]) {
      const proof = await consistencyProof(c, old, N, tiles);
      expect(proof).toEqual(await consistencyProof(c, old, N, store));
      verifyConsistency(c, old, N, proof, await treeRoot(c, old, store), root);
    }
    expect(await treeRoot(c, N, tiles)).toEqual(root);
  });

  it('serves verified proofs for earlier tree sizes around tile boundaries', async () => {
    for (const size of [1, 2, 255, 256, 257, 511, 512, 4097, 65535, 65536, 65537]) {
      const rootAt = await treeRoot(c, size, store);
      const tiles = new TileHashReader(c, size, rootAt, honest());
      for (const i of new Set([0, size >> 1, size - 1])) {
        verifyInclusion(c, i, size, leaves[i]!, await inclusionProof(c, i, size, tiles), rootAt);
      }
      for (const old of new Set([1, size >> 1, size - 1].filter((x) => x >= 1))) {
        const proof = await consistencyProof(c, old, size, tiles);
        verifyConsistency(c, old, size, proof, await treeRoot(c, old, store), rootAt);
      }
    }
  });

  it('extracts interior hashes from tiles', async () => {
    const x = storedHashIndex(3, 40);
    const { tile } = tileForStoredHashIndex(x);
    expect(hashFromTile(c, tile, await readTileData(tile, store), x)).toEqual(store.readHashes([x])[0]);
  });

  it('refuses tiles that do not hash to the trusted root', async () => {
    const lying = {
      readTiles: async (tiles: readonly Tile[]) => {
        const data = await honest().readTiles(tiles);
        return data.map((d, i) => {
          const t = tiles[i]!;
          if (t.level !== 0 || t.n !== 3) return d;
          const copy = d.slice();
          copy[0] = copy[0]! ^ 1;
          return copy;
        });
      },
    };
    const tiles = new TileHashReader(c, N, root, lying);
    expect(await code(() => inclusionProof(c, 3 * 256 + 5, N, tiles))).toBe('ROOT_MISMATCH');
    // Hashes authenticated without the forged tile are still served.
    verifyInclusion(c, 10, N, leaves[10]!, await inclusionProof(c, 10, N, tiles), root);
  });

  it('refuses short tiles and indexes beyond the tree', async () => {
    const short = { readTiles: async (tiles: readonly Tile[]) => tiles.map(() => new Uint8Array(32)) };
    expect(await code(() => inclusionProof(c, 1000, N, new TileHashReader(c, N, root, short)))).toBe('BAD_TILE');
    const tiles = new TileHashReader(c, N, root, honest());
    expect(await code(() => tiles.readHashes([storedHashIndex(0, N)]))).toBe('INDEX_OUT_OF_RANGE');
  });
});
