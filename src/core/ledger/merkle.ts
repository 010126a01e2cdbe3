/**
 * RFC 6962 / RFC 9162 Merkle tree hashing and proof verification, SHA-256 only.
 * Verifiers follow RFC 9162 §2.1.3.2 and §2.1.4.2 in the decomposed form used by transparency-dev/merkle,
 * and additionally verify the subtree proofs of draft-ietf-plants-merkle-tree-certs ("subtrees").
 * Every proof hash and leaf hash is length-checked before use (RFC 9162 §2.1.3.2 assumes 32-byte inputs).
 */
import { bitCeil, bitAt, bitLen, checkUint, onesCount, shr, trailingZeros, xor } from './bits';
import { bytesEqual } from './bytes';
import type { Sha256 } from './crypto-port';
import { fail } from './errors';

export const HASH_SIZE = 32;

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

export function checkHash(h: Uint8Array, what: string): void {
  if (h.length !== HASH_SIZE) fail('BAD_HASH_LENGTH', `${what} must be ${HASH_SIZE} bytes, got ${h.length}`);
}

// RFC 6962 §2.1: MTH({}) = SHA-256().
export function emptyRoot(c: Sha256): Uint8Array {
  return c.sha256(new Uint8Array(0));
}

// RFC 6962 §2.1: MTH({d(0)}) = SHA-256(0x00 || d(0)).
export function leafHash(c: Sha256, entry: Uint8Array): Uint8Array {
  const buf = new Uint8Array(1 + entry.length);
  buf.set(LEAF_PREFIX, 0);
  buf.set(entry, 1);
  return c.sha256(buf);
}

// RFC 6962 §2.1: SHA-256(0x01 || MTH(left) || MTH(right)).
export function nodeHash(c: Sha256, left: Uint8Array, right: Uint8Array): Uint8Array {
  const buf = new Uint8Array(1 + left.length + right.length);
  buf.set(NODE_PREFIX, 0);
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return c.sha256(buf);
}

/** Largest power of two strictly smaller than n (n >= 2): the RFC 6962 split point. */
export function splitPoint(n: number): number {
  return 2 ** (bitLen(n - 1) - 1);
}

/** MTH over leaf hashes held in memory (tests, small trees, tile hashing); O(n) hashes. */
export function rootFromLeafHashes(c: Sha256, leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return emptyRoot(c);
  for (const l of leaves) checkHash(l, 'leaf hash');
  // Fold a stack of perfect subtrees (left to right), then merge right to left, matching RFC 6962's split.
  const stack: { hash: Uint8Array; size: number }[] = [];
  for (const leaf of leaves) {
    let node = { hash: leaf, size: 1 };
    while (stack.length > 0 && stack[stack.length - 1]!.size === node.size) {
      const left = stack.pop()!;
      node = { hash: nodeHash(c, left.hash, node.hash), size: left.size * 2 };
    }
    stack.push(node);
  }
  let acc = stack.pop()!.hash;
  while (stack.length > 0) acc = nodeHash(c, stack.pop()!.hash, acc);
  return acc;
}

function checkProofHashes(proof: readonly Uint8Array[]): void {
  for (const h of proof) checkHash(h, 'proof hash');
}

function verifyMatch(calculated: Uint8Array, expected: Uint8Array): void {
  if (!bytesEqual(calculated, expected)) fail('ROOT_MISMATCH', 'calculated root does not match expected root');
}

// Splits an inclusion proof at the level where the paths to `index` and `size-1` diverge.
function decompInclProof(index: number, size: number): { inner: number; border: number } {
  const inner = bitLen(xor(index, size - 1));
  return { inner, border: onesCount(shr(index, inner)) };
}

// Hashes up from `seed` at position `index` using siblings on both sides (below the right border).
function chainInner(c: Sha256, seed: Uint8Array, proof: readonly Uint8Array[], index: number): Uint8Array {
  let h = seed;
  proof.forEach((p, i) => {
    h = bitAt(index, i) === 0 ? nodeHash(c, h, p) : nodeHash(c, p, h);
  });
  return h;
}

// Along the right border every sibling is on the left.
function chainBorderRight(c: Sha256, seed: Uint8Array, proof: readonly Uint8Array[]): Uint8Array {
  let h = seed;
  for (const p of proof) h = nodeHash(c, p, h);
  return h;
}

/** RFC 9162 §2.1.3.2: the root implied by an inclusion proof. Requires 0 <= index < size. */
export function rootFromInclusionProof(
  c: Sha256,
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array {
  checkUint(index, 'index');
  checkUint(size, 'size');
  if (index >= size) fail('INDEX_OUT_OF_RANGE', `index ${index} is not below tree size ${size}`);
  checkHash(leaf, 'leaf hash');
  checkProofHashes(proof);
  const { inner, border } = decompInclProof(index, size);
  if (proof.length !== inner + border) {
    fail('PROOF_WRONG_LENGTH', `inclusion proof has ${proof.length} hashes, want ${inner + border}`);
  }
  const res = chainInner(c, leaf, proof.slice(0, inner), index);
  return chainBorderRight(c, res, proof.slice(inner));
}

/** RFC 9162 §2.1.3.2: throws LedgerError unless `proof` proves `leaf` at `index` in the tree (`size`, `root`). */
export function verifyInclusion(
  c: Sha256,
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  verifyMatch(rootFromInclusionProof(c, index, size, leaf, proof), root);
}

/**
 * RFC 9162 §2.1.4.2: throws unless `proof` shows the tree (size1, root1) is a prefix of (size2, root2).
 * Requires 0 < size1 <= size2: a proof from the empty tree is meaningless, so callers such as a witness
 * must treat old size 0 themselves. When size1 == size2 the proof must be empty and the roots equal.
 */
export function verifyConsistency(
  c: Sha256,
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  verifyMatch(rootFromConsistencyProof(c, size1, size2, proof, root1), root2);
}

/** RFC 9162 §2.1.4.2: the size2 root implied by a consistency proof, after checking it against root1. */
export function rootFromConsistencyProof(
  c: Sha256,
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
): Uint8Array {
  checkUint(size1, 'size1');
  checkUint(size2, 'size2');
  if (size2 < size1) fail('BAD_RANGE', `size2 ${size2} is smaller than size1 ${size1}`);
  if (size1 === 0) fail('BAD_RANGE', 'a consistency proof from the empty tree is meaningless');
  if (size1 === size2) {
    if (proof.length > 0) fail('PROOF_WRONG_LENGTH', 'sizes are equal but the proof is not empty');
    return root1;
  }
  if (proof.length === 0) fail('PROOF_WRONG_LENGTH', 'empty consistency proof');
  return rootFromSubtreeConsistency(c, 0, size1, size2, proof, root1);
}

// draft-ietf-plants-merkle-tree-certs "subtrees": [start, end) is a subtree iff start is a multiple of
// bit_ceil(end - start). start == end (the empty subtree) is accepted here; callers decide what it means.
function checkSubtree(start: number, end: number): void {
  checkUint(start, 'start');
  checkUint(end, 'end');
  if (start > end) fail('BAD_SUBTREE', `subtree start ${start} is after end ${end}`);
  if (start === 0 || start === end) return;
  if (start % bitCeil(end - start) !== 0) {
    fail('BAD_SUBTREE', `subtree start ${start} is not a multiple of bit_ceil(${end - start})`);
  }
}

/** Subtree inclusion proof: `leaf` at absolute `index` within the subtree [start, end) whose hash is `root`. */
export function verifySubtreeInclusion(
  c: Sha256,
  index: number,
  start: number,
  end: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  checkSubtree(start, end);
  checkUint(index, 'index');
  if (index < start || index >= end) fail('INDEX_OUT_OF_RANGE', `index ${index} outside subtree [${start}, ${end})`);
  verifyInclusion(c, index - start, end - start, leaf, proof, root);
}

/**
 * Subtree consistency proof: the subtree [start, end) with hash `subtreeRoot` is part of the tree of `size`
 * with root `root`. With start = 0 this is an ordinary consistency proof from size `end`.
 * The empty subtree (start == end) is consistent with anything iff its hash is MTH({}) and the proof is empty.
 */
export function verifySubtreeConsistency(
  c: Sha256,
  start: number,
  end: number,
  size: number,
  proof: readonly Uint8Array[],
  subtreeRoot: Uint8Array,
  root: Uint8Array,
): void {
  checkSubtree(start, end);
  checkUint(size, 'size');
  if (size < end) fail('BAD_RANGE', `tree size ${size} is smaller than subtree end ${end}`);
  if (start === end) {
    if (proof.length > 0) fail('PROOF_WRONG_LENGTH', 'empty subtree but the proof is not empty');
    if (!bytesEqual(subtreeRoot, emptyRoot(c))) fail('ROOT_MISMATCH', 'empty subtree hash is not MTH({})');
    return;
  }
  if (start === 0 && end === size) {
    if (proof.length > 0) fail('PROOF_WRONG_LENGTH', 'subtree is the whole tree but the proof is not empty');
    verifyMatch(subtreeRoot, root);
    return;
  }
  if (proof.length === 0) fail('PROOF_WRONG_LENGTH', 'empty subtree consistency proof');
  verifyMatch(rootFromSubtreeConsistency(c, start, end, size, proof, subtreeRoot), root);
}

// Core of both consistency verifiers; preconditions (valid subtree, end <= size, non-trivial) already hold.
function rootFromSubtreeConsistency(
  c: Sha256,
  start: number,
  end: number,
  size: number,
  proof: readonly Uint8Array[],
  subtreeRoot: Uint8Array,
): Uint8Array {
  checkProofHashes(proof);
  checkHash(subtreeRoot, 'subtree root');
  // Height of the smallest node covering [start, end).
  const height = bitLen(xor(end - 1, start));
  if (end === size) {
    // The subtree sits on the right border: one left sibling per level where its ancestor is a right child.
    const want = onesCount(shr(start, height));
    if (proof.length !== want) fail('PROOF_WRONG_LENGTH', `proof has ${proof.length} hashes, want ${want}`);
    return chainBorderRight(c, subtreeRoot, proof);
  }
  // Level where the paths to end-1 and size-1 diverge, and the level of the rightmost perfect subtree
  // inside [start, end); the proof starts there.
  const forkLevel = bitLen(xor(end - 1, size - 1));
  const shift = trailingZeros(end - start);
  // A perfect subtree's own hash is known to the verifier, so the proof omits it (RFC 9162 §2.1.4.2 step 2).
  const perfect = end - start === 2 ** shift;
  const seed = perfect ? subtreeRoot : proof[0]!;
  const rest = perfect ? proof : proof.slice(1);
  const want = (perfect ? 0 : 1) + (forkLevel - shift) + onesCount(shr(end - 1, forkLevel));
  if (forkLevel < shift || proof.length !== want) {
    fail('PROOF_WRONG_LENGTH', `proof has ${proof.length} hashes, want ${want}`);
  }
  // Rebuild the subtree hash at size `end` and the same node grown to size `size` in one pass.
  let old = seed;
  let grown = seed;
  let i = 0;
  const take = (): Uint8Array => rest[i++] ?? fail('PROOF_WRONG_LENGTH', 'subtree consistency proof too short');
  for (let lvl = shift; lvl < height; lvl++) {
    if (bitAt(end - 1, lvl) === 1) {
      const p = take();
      old = nodeHash(c, p, old);
      grown = nodeHash(c, p, grown);
    } else if (lvl < forkLevel) {
      grown = nodeHash(c, grown, take());
    }
  }
  verifyMatch(old, subtreeRoot);
  // The remaining hashes prove the grown node, as a leaf at level `height`, into the size-`size` tree.
  const nodeIndex = shr(start, height);
  const levelSize = shr(size - 1, height) + 1;
  return rootFromInclusionProof(c, nodeIndex, levelSize, grown, rest.slice(i));
}
