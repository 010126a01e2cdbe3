// RFC 6962 / RFC 9162 Merkle tree hashing and inclusion-proof checking with WebCrypto, plus the small
// base64/hex helpers and the C2SP signed-note parsing the audit ledger page needs. No dependencies: the
// browser (or Node 20+) recomputes the log's root itself instead of trusting the hub.

function subtle(): SubtleCrypto {
  const c = globalThis.crypto?.subtle;
  if (!c) throw new Error('WebCrypto (crypto.subtle) is not available in this context');
  return c;
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const buffer = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    buffer.set(p, offset);
    offset += p.length;
  }
  return new Uint8Array(await subtle().digest('SHA-256', buffer));
}

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** RFC 6962 leaf hash: SHA-256(0x00 ‖ entry). */
export function hashLeaf(entry: Uint8Array): Promise<Uint8Array> {
  return sha256(LEAF_PREFIX, entry);
}

/** RFC 6962 interior node hash: SHA-256(0x01 ‖ left ‖ right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(NODE_PREFIX, left, right);
}

/**
 * The root implied by an inclusion proof (RFC 9162 §2.1.3.2): folds `proof` into `leafHash` for the leaf
 * at `index` in a tree of `size` leaves. Throws when the proof has the wrong shape for (index, size).
 */
export async function rootFromInclusionProof(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: Uint8Array[],
): Promise<Uint8Array> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    throw new Error(`index ${index} is outside a tree of size ${size}`);
  }
  // Plain numbers stay exact up to 2^53; halving with Math.floor avoids 32-bit shifts.
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) throw new Error('inclusion proof is too long');
    if (fn % 2 === 1 || fn === sn) {
      r = await hashChildren(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new Error('inclusion proof is too short');
  return r;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

// ---- encodings ----------------------------------------------------------------------------------------

export function base64Decode(text: string): Uint8Array {
  const clean = text.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) throw new Error('invalid base64');
  const binary = atob(clean);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function base64Encode(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export function hexDecode(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error('invalid hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function hexEncode(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// ---- checkpoints (C2SP signed note + tlog-checkpoint body) ----------------------------------------------

export interface Checkpoint {
  origin: string;
  size: number;
  /** Base64 root hash, as in the note. */
  root: string;
  /** Signature lines `— <name> <base64>`, in order (the log's own first, then cosignatures). */
  signatures: { name: string; signature: string }[];
}

/** Parses a checkpoint note's text. Does not verify signatures (that needs the keys and Ed25519). */
export function parseCheckpoint(note: string): Checkpoint {
  const split = note.indexOf('\n\n');
  if (split < 0) throw new Error('checkpoint note has no signature block');
  const body = note.slice(0, split).split('\n');
  const [origin, sizeText, root] = body;
  if (!origin || !sizeText || !root || !/^(0|[1-9][0-9]*)$/.test(sizeText)) {
    throw new Error('malformed checkpoint body');
  }
  base64Decode(root);
  const signatures = note
    .slice(split + 2)
    .split('\n')
    .filter((line) => line.startsWith('— '))
    .map((line) => {
      const [name = '', signature = ''] = line.slice(2).split(' ');
      return { name, signature };
    });
  return { origin, size: Number(sizeText), root, signatures };
}

// ---- verifying a ledger entry ---------------------------------------------------------------------------

export interface LedgerEntryProof {
  index: number;
  encoding: 'utf-8' | 'base64';
  data: string;
  leafHash: string;
  treeSize: number;
  inclusionProof: string[];
}

export type InclusionResult =
  | { ok: true; leafHash: string; root: string }
  | { ok: false; reason: 'leaf_mismatch' | 'root_mismatch' | 'size_mismatch' | 'bad_proof'; detail: string };

/** The entry's bytes as the log stored them. */
export function entryBytes(entry: Pick<LedgerEntryProof, 'encoding' | 'data'>): Uint8Array {
  return entry.encoding === 'base64' ? base64Decode(entry.data) : new TextEncoder().encode(entry.data);
}

/**
 * Recomputes the leaf hash from the entry's bytes, folds the inclusion proof and compares the result with
 * the root of `checkpoint` (a parsed note of the same tree size).
 */
export async function verifyEntryInclusion(entry: LedgerEntryProof, checkpoint: Checkpoint): Promise<InclusionResult> {
  try {
    const leaf = await hashLeaf(entryBytes(entry));
    const claimed = base64Decode(entry.leafHash);
    if (!bytesEqual(leaf, claimed)) {
      return { ok: false, reason: 'leaf_mismatch', detail: `${base64Encode(leaf)} ≠ ${entry.leafHash}` };
    }
    if (entry.treeSize !== checkpoint.size) {
      return { ok: false, reason: 'size_mismatch', detail: `${entry.treeSize} ≠ ${checkpoint.size}` };
    }
    const root = await rootFromInclusionProof(
      entry.index,
      entry.treeSize,
      leaf,
      entry.inclusionProof.map((p) => base64Decode(p)),
    );
    const expected = base64Decode(checkpoint.root);
    if (!bytesEqual(root, expected)) {
      return { ok: false, reason: 'root_mismatch', detail: `${base64Encode(root)} ≠ ${checkpoint.root}` };
    }
    return { ok: true, leafHash: base64Encode(leaf), root: base64Encode(root) };
  } catch (e) {
    return { ok: false, reason: 'bad_proof', detail: e instanceof Error ? e.message : String(e) };
  }
}
