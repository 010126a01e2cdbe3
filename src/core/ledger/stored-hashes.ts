/**
 * Proof generation over permanently stored node hashes, in the layout of Go's golang.org/x/mod/sumdb/tlog:
 * every complete subtree hash (level L, index N: the hash of leaves [N·2^L, (N+1)·2^L)) is written once,
 * in append order, at a dense "stored hash index". A log appends storedHashesForRecord() per entry and can
 * then answer any root, inclusion or consistency query with O(log n) hash reads (RFC 6962 §2.1).
 */
import { bitLen, checkUint, shl, shr, trailingZeros } from './bits';
import type { Sha256 } from './crypto-port';
import { fail } from './errors';
import { checkHash, emptyRoot, nodeHash } from './merkle';

/** Reads stored hashes by stored hash index; must return them in the order requested. */
export interface HashReader {
  readHashes(indexes: readonly number[]): readonly Uint8Array[] | Promise<readonly Uint8Array[]>;
}

/** Position of hash (level, n) in the append-only stored-hash sequence (Go tlog.StoredHashIndex). */
export function storedHashIndex(level: number, n: number): number {
  checkUint(level, 'level');
  checkUint(n, 'n');
  // Hashes of level L for node n are written right after leaf ((n+1)·2^L - 1), after its lower levels.
  let x = n;
  for (let l = level; l > 0; l--) x = 2 * x + 1;
  let i = 0;
  for (; x > 0; x = Math.floor(x / 2)) i += x;
  return i + level;
}

/** Inverse of storedHashIndex (Go tlog.SplitStoredHashIndex). */
export function splitStoredHashIndex(index: number): { level: number; n: number } {
  checkUint(index, 'stored hash index');
  // Leaf n's hash sits at or below index 2n, so start from index/2 and walk forward.
  let n = Math.floor(index / 2);
  let indexN = storedHashIndex(0, n);
  for (;;) {
    const next = indexN + 1 + trailingZeros(n + 1);
    if (next > index) break;
    n++;
    indexN = next;
  }
  const level = index - indexN;
  return { level, n: shr(n, level) };
}

/** Number of stored hashes for a tree of `size` leaves (Go tlog.StoredHashCount). */
export function storedHashCount(size: number): number {
  checkUint(size, 'size');
  if (size === 0) return 0;
  let count = storedHashIndex(0, size - 1) + 1;
  for (let i = size - 1; i % 2 === 1; i = Math.floor(i / 2)) count++;
  return count;
}

async function read(reader: HashReader, indexes: readonly number[]): Promise<readonly Uint8Array[]> {
  if (indexes.length === 0) return [];
  const hashes = await reader.readHashes(indexes);
  if (hashes.length !== indexes.length)
    fail('BAD_HASH_READER', `asked for ${indexes.length} hashes, got ${hashes.length}`);
  for (const h of hashes) checkHash(h, 'stored hash');
  return hashes;
}

/**
 * The hashes to append to storage when adding leaf `n` with `leaf` hash: the leaf itself, then every
 * subtree hash it completes (Go tlog.StoredHashesForRecordHash). Requires leaves 0..n-1 already stored.
 */
export async function storedHashesForRecord(
  c: Sha256,
  n: number,
  leaf: Uint8Array,
  reader: HashReader,
): Promise<Uint8Array[]> {
  checkUint(n, 'n');
  checkHash(leaf, 'leaf hash');
  const m = trailingZeros(n + 1);
  const indexes: number[] = [];
  for (let i = m - 1; i >= 0; i--) indexes.push(storedHashIndex(i, shr(n, i) - 1));
  const old = await read(reader, indexes);
  const out = [leaf];
  let h = leaf;
  for (let i = 0; i < m; i++) {
    h = nodeHash(c, old[m - 1 - i]!, h);
    out.push(h);
  }
  return out;
}

// Largest power of two <= n, and its log2 (n >= 1).
function floorPow2(n: number): { k: number; level: number } {
  const level = bitLen(n) - 1;
  return { k: 2 ** level, level };
}

// Stored hashes whose combination is MTH(D[lo:hi]): the maximal perfect subtrees, left to right.
function subTreeIndex(lo: number, hi: number, need: number[]): void {
  while (lo < hi) {
    const { k, level } = floorPow2(hi - lo);
    if (lo % k !== 0) fail('BAD_RANGE', 'subtree is not aligned');
    need.push(storedHashIndex(level, shr(lo, level)));
    lo += k;
  }
}

class Cursor {
  private i = 0;
  constructor(private readonly hashes: readonly Uint8Array[]) {}
  next(): Uint8Array {
    return this.hashes[this.i++] ?? fail('BAD_HASH_READER', 'ran out of hashes');
  }
}

function subTreeHash(c: Sha256, lo: number, hi: number, cur: Cursor): Uint8Array {
  const parts: Uint8Array[] = [];
  while (lo < hi) {
    lo += floorPow2(hi - lo).k;
    parts.push(cur.next());
  }
  let h = parts.pop()!;
  while (parts.length > 0) h = nodeHash(c, parts.pop()!, h);
  return h;
}

/** MTH of the first `size` leaves (RFC 6962 §2.1); MTH({}) for size 0. */
export async function treeRoot(c: Sha256, size: number, reader: HashReader): Promise<Uint8Array> {
  checkUint(size, 'size');
  if (size === 0) return emptyRoot(c);
  const need: number[] = [];
  subTreeIndex(0, size, need);
  return subTreeHash(c, 0, size, new Cursor(await read(reader, need)));
}

// RFC 6962 §2.1.1 PATH(m, D[lo:hi]), first the stored indexes it needs, then the hashes.
function leafProofIndex(lo: number, hi: number, m: number, need: number[]): void {
  if (lo + 1 === hi) return;
  const k = splitOf(hi - lo);
  if (m < lo + k) {
    leafProofIndex(lo, lo + k, m, need);
    subTreeIndex(lo + k, hi, need);
  } else {
    subTreeIndex(lo, lo + k, need);
    leafProofIndex(lo + k, hi, m, need);
  }
}

function leafProof(c: Sha256, lo: number, hi: number, m: number, cur: Cursor, out: Uint8Array[]): void {
  if (lo + 1 === hi) return;
  const k = splitOf(hi - lo);
  let th: Uint8Array;
  if (m < lo + k) {
    leafProof(c, lo, lo + k, m, cur, out);
    th = subTreeHash(c, lo + k, hi, cur);
  } else {
    th = subTreeHash(c, lo, lo + k, cur);
    leafProof(c, lo + k, hi, m, cur, out);
  }
  out.push(th);
}

// RFC 6962 §2.1: k is the largest power of two smaller than n.
function splitOf(n: number): number {
  return shl(1, bitLen(n - 1) - 1);
}

/** RFC 6962 §2.1.1 audit path for leaf `index` in the tree of `size`, leaf sibling first. */
export async function inclusionProof(
  c: Sha256,
  index: number,
  size: number,
  reader: HashReader,
): Promise<Uint8Array[]> {
  checkUint(index, 'index');
  checkUint(size, 'size');
  if (index >= size) fail('INDEX_OUT_OF_RANGE', `index ${index} is not below tree size ${size}`);
  const need: number[] = [];
  leafProofIndex(0, size, index, need);
  const out: Uint8Array[] = [];
  leafProof(c, 0, size, index, new Cursor(await read(reader, need)), out);
  return out;
}

// RFC 6962 §2.1.2 SUBPROOF(m, D[lo:hi], b), with b = (lo == 0).
function treeProofIndex(lo: number, hi: number, m: number, need: number[]): void {
  if (m === hi) {
    if (lo !== 0) subTreeIndex(lo, hi, need);
    return;
  }
  const k = splitOf(hi - lo);
  if (m <= lo + k) {
    treeProofIndex(lo, lo + k, m, need);
    subTreeIndex(lo + k, hi, need);
  } else {
    subTreeIndex(lo, lo + k, need);
    treeProofIndex(lo + k, hi, m, need);
  }
}

function treeProof(c: Sha256, lo: number, hi: number, m: number, cur: Cursor, out: Uint8Array[]): void {
  if (m === hi) {
    if (lo !== 0) out.push(subTreeHash(c, lo, hi, cur));
    return;
  }
  const k = splitOf(hi - lo);
  let th: Uint8Array;
  if (m <= lo + k) {
    treeProof(c, lo, lo + k, m, cur, out);
    th = subTreeHash(c, lo + k, hi, cur);
  } else {
    th = subTreeHash(c, lo, lo + k, cur);
    treeProof(c, lo + k, hi, m, cur, out);
  }
  out.push(th);
}

/** RFC 6962 §2.1.2 consistency proof from `size1` to `size2`; empty when the sizes are equal. */
export async function consistencyProof(
  c: Sha256,
  size1: number,
  size2: number,
  reader: HashReader,
): Promise<Uint8Array[]> {
  checkUint(size1, 'size1');
  checkUint(size2, 'size2');
  if (size1 < 1 || size1 > size2) fail('BAD_RANGE', `need 0 < size1 <= size2, got ${size1} and ${size2}`);
  const need: number[] = [];
  treeProofIndex(0, size2, size1, need);
  const out: Uint8Array[] = [];
  treeProof(c, 0, size2, size1, new Cursor(await read(reader, need)), out);
  return out;
}

/** Stored hashes in memory: for tests, tools and small logs. */
export class MemoryHashStore implements HashReader {
  private readonly hashes: Uint8Array[] = [];
  private leaves = 0;

  constructor(private readonly c: Sha256) {}

  get size(): number {
    return this.leaves;
  }

  async append(leaf: Uint8Array): Promise<void> {
    const add = await storedHashesForRecord(this.c, this.leaves, leaf, this);
    this.hashes.push(...add);
    this.leaves++;
  }

  readHashes(indexes: readonly number[]): Uint8Array[] {
    return indexes.map((i) => this.hashes[i] ?? fail('BAD_HASH_READER', `stored hash ${i} does not exist`));
  }
}
