// A ledger entry checked in the browser against a checkpoint: the leaf hash recomputed from the entry's
// bytes and the inclusion proof folded to the checkpoint's root (RFC 6962 / RFC 9162 §2.1.3.2), with the
// ledger core's own code over the browser's SHA-256 (./crypto), so the console recomputes the root itself
// instead of trusting the hub.
import { base64Decode, base64Encode, bytesEqual, utf8 } from '../../../src/core/ledger/bytes';
import { parseCheckpoint as parseCheckpointText } from '../../../src/core/ledger/checkpoint';
import { leafHash, rootFromInclusionProof } from '../../../src/core/ledger/merkle';
import { parseNote } from '../../../src/core/ledger/note';
import type { LedgerEntry } from '../api/client';
import { browserLedgerCrypto } from './crypto';

export interface Checkpoint {
  origin: string;
  size: number;
  /** Base64 root hash, as in the note. */
  root: string;
  /** Signature lines `— <name> <base64>`, in order (the log's own first, then cosignatures). */
  signatures: { name: string; signature: string }[];
}

/** Parses a checkpoint note (C2SP signed note + tlog-checkpoint body); signatures are checked in ./note. */
export function parseCheckpoint(note: string): Checkpoint {
  const parsed = parseNote(note);
  const checkpoint = parseCheckpointText(parsed.text);
  return {
    origin: checkpoint.origin,
    size: checkpoint.size,
    root: base64Encode(checkpoint.root),
    signatures: parsed.signatures.map((s) => ({ name: s.name, signature: s.base64 })),
  };
}

/** What checking an entry needs of the hub's answer (GET /ledger/entries/:index). */
export type LedgerEntryProof = Pick<
  LedgerEntry,
  'index' | 'encoding' | 'data' | 'leafHash' | 'treeSize' | 'inclusionProof'
>;

export type InclusionResult =
  | { ok: true; leafHash: string; root: string }
  | { ok: false; reason: 'leaf_mismatch' | 'root_mismatch' | 'size_mismatch' | 'bad_proof'; detail: string };

/** The entry's bytes as the log stored them. */
export function entryBytes(entry: Pick<LedgerEntryProof, 'encoding' | 'data'>): Uint8Array {
  return entry.encoding === 'base64' ? base64Decode(entry.data) : utf8(entry.data);
}

/**
 * Recomputes the leaf hash from the entry's bytes, folds the inclusion proof and compares the result with
 * the root of `checkpoint` (a parsed note of the same tree size).
 */
export function verifyEntryInclusion(entry: LedgerEntryProof, checkpoint: Checkpoint): InclusionResult {
  try {
    const leaf = leafHash(browserLedgerCrypto, entryBytes(entry));
    if (!bytesEqual(leaf, base64Decode(entry.leafHash))) {
      return { ok: false, reason: 'leaf_mismatch', detail: `${base64Encode(leaf)} ≠ ${entry.leafHash}` };
    }
    if (entry.treeSize !== checkpoint.size) {
      return { ok: false, reason: 'size_mismatch', detail: `${entry.treeSize} ≠ ${checkpoint.size}` };
    }
    const proof = entry.inclusionProof.map((p) => base64Decode(p));
    const root = rootFromInclusionProof(browserLedgerCrypto, entry.index, entry.treeSize, leaf, proof);
    if (!bytesEqual(root, base64Decode(checkpoint.root))) {
      return { ok: false, reason: 'root_mismatch', detail: `${base64Encode(root)} ≠ ${checkpoint.root}` };
    }
    return { ok: true, leafHash: base64Encode(leaf), root: base64Encode(root) };
  } catch (e) {
    return { ok: false, reason: 'bad_proof', detail: e instanceof Error ? e.message : String(e) };
  }
}
