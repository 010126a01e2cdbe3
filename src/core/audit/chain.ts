/**
 * Each node's access records form a hash chain: record n names the SHA-256 of record n−1's canonical JSON
 * (RFC 8785), and the node seals the head of every shipment with its Ed25519 key. So the hub can neither
 * invent a record (no seal), nor drop, reorder or rewrite one (the next record's `prev`, or the seal, no
 * longer matches) — whoever reads the public log can check every node's chain on their own, and a node
 * can check that its head is in the log.
 */
import type { LedgerCrypto, Sha256 } from '../ledger/crypto-port';
import { base64Decode, base64Encode, utf8 } from '../ledger/bytes';
import { canonicalJsonBytes } from '../ledger/canonical-json';
import type { AccessRecord, AccessRecordDraft } from './access-record';

/** The SHA-256 of a record's canonical JSON: what the next record's `prev` and a seal name. */
export function recordHash(c: Sha256, record: AccessRecord): string {
  return base64Encode(c.sha256(canonicalJsonBytes(record)));
}

/** Gives a draft its place after `prev` (the head's hash, null for the first record). */
export function linkRecord(
  c: Sha256,
  draft: AccessRecordDraft,
  seq: number,
  prev: string | null,
): { record: AccessRecord; hash: string } {
  const record: AccessRecord = { ...draft, seq, prev };
  return { record, hash: recordHash(c, record) };
}

/** A node's signature over the head of its chain: "my records up to seq are these, ending in hash". */
export interface Seal {
  seq: number;
  /** base64 SHA-256 of the record at seq. */
  hash: string;
  /** The signing key's id at the hub (`<member>:<key id>`). */
  keyId: string;
  /** base64 Ed25519 signature over sealStatement(node, seq, hash). */
  signature: string;
}

/** The signed text: a fixed context line, then the node, position and hash (no other reading possible). */
export function sealStatement(node: string, seq: number, hash: string): Uint8Array {
  return utf8(`hutong-audit-chain/v1\nnode ${node}\nseq ${seq}\nhash ${hash}\n`);
}

export type ChainErrorCode =
  /** A record that does not continue its node's chain at the next seq. */
  | 'CHAIN_GAP'
  /** A record whose `prev` is not the hash of the node's previous record (rewritten, inserted, reordered). */
  | 'CHAIN_BROKEN'
  /** A seal that does not verify under the node's key, or names another hash than the record's. */
  | 'SEAL_INVALID'
  /** Records after a node's last seal: nobody but the node could have sealed them, and nobody did. */
  | 'UNSEALED'
  /** A node's signed head that the log does not hold (hidden or edited by the hub). */
  | 'HEAD_NOT_LOGGED';

export class ChainError extends Error {
  override readonly name = 'ChainError';
  constructor(
    readonly code: ChainErrorCode,
    readonly node: string,
    readonly seq: number,
    message: string,
  ) {
    super(message);
  }
}

export interface NodeHead {
  seq: number;
  hash: string;
  /** The last seq covered by a seal. */
  sealedSeq: number;
}

/**
 * Reads a log's access records in log order and checks every node's chain as it goes. Node keys come from
 * the caller: the verifier reads them from the log's own key entries, the hub from its registry.
 */
export class ChainChecker {
  private readonly heads = new Map<string, NodeHead>();
  constructor(private readonly c: LedgerCrypto) {}

  /**
   * One record, in log order; `keys` are the node's Ed25519 public keys a seal may verify under (newest
   * last). Throws ChainError naming the node and seq at the first discrepancy.
   */
  add(record: AccessRecord, seal: Seal | undefined, keys: readonly Uint8Array[]): void {
    const head = this.heads.get(record.node) ?? { seq: 0, hash: '', sealedSeq: 0 };
    if (record.seq !== head.seq + 1) {
      throw new ChainError(
        'CHAIN_GAP',
        record.node,
        record.seq,
        `${record.node}: record ${record.seq} follows ${head.seq} (expected ${head.seq + 1})`,
      );
    }
    if (record.prev !== (head.seq === 0 ? null : head.hash)) {
      throw new ChainError(
        'CHAIN_BROKEN',
        record.node,
        record.seq,
        `${record.node}: record ${record.seq} does not follow record ${head.seq} (prev does not match)`,
      );
    }
    const hash = recordHash(this.c, record);
    let sealedSeq = head.sealedSeq;
    if (seal) {
      checkSeal(this.c, record.node, record.seq, hash, seal, keys);
      sealedSeq = record.seq;
    }
    this.heads.set(record.node, { seq: record.seq, hash, sealedSeq });
  }

  /** Every node's head; throws UNSEALED when a node's last records carry no seal. */
  finish(): Map<string, NodeHead> {
    for (const [node, head] of this.heads) {
      if (head.sealedSeq !== head.seq) {
        throw new ChainError(
          'UNSEALED',
          node,
          head.sealedSeq + 1,
          `${node}: records ${head.sealedSeq + 1}–${head.seq} are not sealed by the node`,
        );
      }
    }
    return new Map(this.heads);
  }
}

/** A seal must name this record's hash and verify under one of the node's keys. */
export function checkSeal(
  c: LedgerCrypto,
  node: string,
  seq: number,
  hash: string,
  seal: Seal,
  keys: readonly Uint8Array[],
): void {
  const signature = decodeSignature(seal.signature);
  const message = sealStatement(node, seq, hash);
  const valid =
    seal.seq === seq &&
    seal.hash === hash &&
    signature !== undefined &&
    keys.some((key) => nodeSignatureValid(c, key, message, signature));
  if (!valid) throw new ChainError('SEAL_INVALID', node, seq, `${node}: the seal on record ${seq} does not verify`);
}

/** A node key's raw length names its algorithm (members' keys, src/core/members/member.ts): Ed25519 or SM2. */
export function nodeSignatureValid(
  c: LedgerCrypto,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (publicKey.length === 65) return c.sm2Verify?.(publicKey, message, signature) ?? false;
  return c.ed25519Verify(publicKey, message, signature);
}

function decodeSignature(text: string): Uint8Array | undefined {
  try {
    const bytes = base64Decode(text);
    return bytes.length === 64 ? bytes : undefined;
  } catch {
    return undefined;
  }
}
