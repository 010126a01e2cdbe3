/**
 * C2SP tlog-proof (c2sp.org/tlog-proof@v1): an offline-verifiable proof that an entry is in a log, as text:
 *   c2sp.org/tlog-proof@v1
 *   [extra <base64>]           optional, unauthenticated application data
 *   index <decimal>
 *   <base64 hash>...           RFC 6962 §2.1.1 inclusion path, leaf sibling first
 *   <empty line>
 *   <checkpoint note, verbatim, with signatures and cosignatures>
 */
import { base64Decode, base64Encode, parseDecimal, utf8DecodeStrict } from './bytes';
import { checkUint } from './bits';
import type { LedgerCrypto } from './crypto-port';
import { fail, LedgerError } from './errors';
import { HASH_SIZE, verifyInclusion } from './merkle';
import { type Policy, type PolicyVerifiedCheckpoint, verifyCheckpointWithPolicy } from './policy';

export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';
/** A tree of at most 2^63 leaves has inclusion paths of at most 63 hashes. */
const MAX_PATH = 63;

export interface TlogProof {
  readonly extra?: Uint8Array;
  readonly index: number;
  readonly path: readonly Uint8Array[];
  /** The signed checkpoint note, exactly as it appears in the file. */
  readonly checkpoint: string;
}

export function formatTlogProof(p: TlogProof): string {
  checkUint(p.index, 'index');
  for (const h of p.path) if (h.length !== HASH_SIZE) fail('BAD_PROOF_FILE', 'path hashes must be 32 bytes');
  if (!p.checkpoint.endsWith('\n')) fail('BAD_PROOF_FILE', 'checkpoint must end in a newline');
  const lines = [TLOG_PROOF_HEADER];
  if (p.extra !== undefined) lines.push(`extra ${base64Encode(p.extra)}`);
  lines.push(`index ${p.index}`, ...p.path.map(base64Encode), '');
  return `${lines.join('\n')}\n${p.checkpoint}`;
}

function decode(line: string, what: string): Uint8Array {
  try {
    return base64Decode(line);
  } catch (e) {
    if (e instanceof LedgerError) fail('BAD_PROOF_FILE', `${what} is not valid base64`);
    throw e;
  }
}

/** Parses the file structure; the checkpoint is returned as text and is verified by verifyTlogProof. */
export function parseTlogProof(input: string | Uint8Array): TlogProof {
  const text = typeof input === 'string' ? input : (utf8DecodeStrict(input) ?? fail('BAD_PROOF_FILE', 'not UTF-8'));
  let pos = 0;
  const nextLine = (): string => {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) fail('BAD_PROOF_FILE', 'unexpected end of proof');
    const line = text.slice(pos, nl);
    pos = nl + 1;
    return line;
  };
  if (nextLine() !== TLOG_PROOF_HEADER) fail('BAD_PROOF_FILE', `first line must be ${TLOG_PROOF_HEADER}`);
  let line = nextLine();
  let extra: Uint8Array | undefined;
  if (line.startsWith('extra ')) {
    extra = decode(line.slice('extra '.length), 'extra data');
    line = nextLine();
  }
  if (!line.startsWith('index ')) fail('BAD_PROOF_FILE', 'missing index line');
  const index = parseDecimal(line.slice('index '.length));
  if (index === undefined) fail('BAD_PROOF_FILE', 'index is not a canonical decimal');
  const path: Uint8Array[] = [];
  for (line = nextLine(); line !== ''; line = nextLine()) {
    if (path.length === MAX_PATH) fail('BAD_PROOF_FILE', 'too many path hashes');
    const h = decode(line, 'path hash');
    if (h.length !== HASH_SIZE) fail('BAD_PROOF_FILE', 'path hashes must be 32 bytes');
    path.push(h);
  }
  const checkpoint = text.slice(pos);
  if (checkpoint.length === 0) fail('BAD_PROOF_FILE', 'missing checkpoint');
  return { ...(extra === undefined ? {} : { extra }), index, path, checkpoint };
}

export interface VerifiedTlogProof extends PolicyVerifiedCheckpoint {
  readonly index: number;
  /** Unauthenticated: never trust it without an application-level check. */
  readonly extra?: Uint8Array;
}

/**
 * Verifies a proof file for the entry with `leafHash` (RFC 6962 leaf hash): checkpoint signed by a policy
 * log for `origin`, witness quorum met, and the inclusion path leading to the checkpoint root.
 */
export function verifyTlogProof(
  c: LedgerCrypto,
  input: string | Uint8Array,
  leafHash: Uint8Array,
  origin: string,
  policy: Policy,
): VerifiedTlogProof {
  const proof = parseTlogProof(input);
  const verified = verifyCheckpointWithPolicy(c, policy, proof.checkpoint, origin);
  verifyInclusion(c, proof.index, verified.checkpoint.size, leafHash, proof.path, verified.checkpoint.root);
  return { ...verified, index: proof.index, ...(proof.extra === undefined ? {} : { extra: proof.extra }) };
}
