/**
 * The decision a C2SP tlog-witness (c2sp.org/tlog-witness) makes for `POST <prefix>/add-checkpoint`,
 * as a pure function. The service around it must (1) parse the body, (2) look up the origin's trusted keys
 * and latest cosigned state, (3) call decideAddCheckpoint, and on status 200 (4) persist the new state with
 * a compare-and-swap on the old size *before* (5) returning cosignature lines — checking and persisting
 * non-atomically lets a stale request roll the witness back (see the spec's race description).
 */
import { base64Decode, base64Encode, bytesEqual, concatBytes, parseDecimal, u32be, utf8DecodeStrict } from './bytes';
import { type Checkpoint, parseCheckpoint } from './checkpoint';
import type { Sha256 } from './crypto-port';
import { LedgerError } from './errors';
import { emptyRoot, HASH_SIZE, verifyConsistency } from './merkle';
import { formatNote, type NoteSignature, type NoteVerifier, openNote, parseNote } from './note';

/** The spec allows at most 63 consistency proof lines. */
export const MAX_CONSISTENCY_LINES = 63;
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';

export interface AddCheckpointRequest {
  readonly oldSize: number;
  readonly proof: readonly Uint8Array[];
  /** The signed checkpoint note as submitted. */
  readonly note: string;
  /** Parsed but NOT yet verified: only use it to look up the origin's configuration. */
  readonly checkpoint: Checkpoint;
}

/** What the witness last cosigned for an origin. */
export interface WitnessLogState {
  readonly size: number;
  readonly root: Uint8Array;
}

export type AddCheckpointDecision =
  | {
      readonly status: 200;
      readonly checkpoint: Checkpoint;
      readonly checkpointText: string;
      readonly newState: WitnessLogState;
    }
  | { readonly status: 400 | 403 | 404 | 422; readonly reason: string }
  | {
      readonly status: 409;
      readonly reason: string;
      readonly body: string;
      readonly contentType: typeof TLOG_SIZE_CONTENT_TYPE;
    };

function malformed(why: string): never {
  throw new LedgerError('BAD_WITNESS_REQUEST', why);
}

/** Parses an add-checkpoint body: `old <size>\n`, up to 63 base64 hash lines, an empty line, a checkpoint. */
export function parseAddCheckpointRequest(body: string | Uint8Array): AddCheckpointRequest {
  const text = typeof body === 'string' ? body : (utf8DecodeStrict(body) ?? malformed('body is not UTF-8'));
  let pos = 0;
  const nextLine = (): string => {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) malformed('unterminated line');
    const line = text.slice(pos, nl);
    pos = nl + 1;
    return line;
  };
  const first = nextLine();
  if (!first.startsWith('old ')) malformed('first line must be "old <size>"');
  const oldSize = parseDecimal(first.slice(4)) ?? malformed('old size is not a canonical decimal');
  const proof: Uint8Array[] = [];
  for (let line = nextLine(); line !== ''; line = nextLine()) {
    if (proof.length === MAX_CONSISTENCY_LINES) malformed('more than 63 consistency proof lines');
    let h: Uint8Array;
    try {
      h = base64Decode(line);
    } catch {
      malformed('consistency proof line is not base64');
    }
    if (h.length !== HASH_SIZE) malformed('consistency proof hashes must be 32 bytes');
    proof.push(h);
  }
  const note = text.slice(pos);
  let checkpoint: Checkpoint;
  try {
    checkpoint = parseCheckpoint(parseNote(note).text);
  } catch (e) {
    if (e instanceof LedgerError) malformed(`invalid checkpoint (${e.code})`);
    throw e;
  }
  return { oldSize, proof, note, checkpoint };
}

/**
 * Applies the tlog-witness rules. `logVerifiers` are the trusted keys for the request's origin
 * (undefined when the origin is unknown); `state` is the latest cosigned state (undefined if none).
 */
export function decideAddCheckpoint(
  c: Sha256,
  req: AddCheckpointRequest,
  logVerifiers: readonly NoteVerifier[] | undefined,
  state: WitnessLogState | undefined,
): AddCheckpointDecision {
  if (logVerifiers === undefined || logVerifiers.length === 0) return { status: 404, reason: 'unknown log origin' };
  try {
    openNote(req.note, logVerifiers);
  } catch (e) {
    if (e instanceof LedgerError) return { status: 403, reason: `checkpoint signature not verified (${e.code})` };
    throw e;
  }
  const cp = req.checkpoint;
  if (req.oldSize > cp.size) return { status: 400, reason: 'old size is larger than the checkpoint size' };
  const storedSize = state?.size ?? 0;
  const conflict = (reason: string): AddCheckpointDecision => ({
    status: 409,
    reason,
    body: `${storedSize}\n`,
    contentType: TLOG_SIZE_CONTENT_TYPE,
  });
  if (req.oldSize !== storedSize) return conflict('old size does not match the latest cosigned size');
  const accept: AddCheckpointDecision = {
    status: 200,
    checkpoint: cp,
    checkpointText: parseNote(req.note).text,
    newState: { size: cp.size, root: cp.root },
  };
  if (state !== undefined && cp.size === state.size) {
    // c2sp.org/tlog-witness since C2SP #280 (July 2026): old size = checkpoint size with another root is a
    // 422, as any other inconsistency (v1.0.0 answered 409, which clients read as "retry with this size").
    if (!bytesEqual(cp.root, state.root))
      return { status: 422, reason: 'same size as the latest cosigned checkpoint, different root' };
    return req.proof.length === 0 ? accept : { status: 422, reason: 'proof must be empty when sizes are equal' };
  }
  if (req.oldSize === 0) {
    // Every tree extends the empty tree; the spec requires the proof to be empty here.
    if (req.proof.length > 0) return { status: 422, reason: 'proof must be empty when old size is 0' };
    // c2sp.org/tlog-witness (C2SP #280): a size-0 checkpoint must carry the empty tree's root.
    if (cp.size === 0 && !bytesEqual(cp.root, emptyRoot(c)))
      return { status: 422, reason: 'empty tree with a wrong root' };
    return accept;
  }
  try {
    verifyConsistency(c, req.oldSize, cp.size, req.proof, state!.root, cp.root);
  } catch (e) {
    if (e instanceof LedgerError) return { status: 422, reason: `consistency proof does not verify (${e.code})` };
    throw e;
  }
  return accept;
}

/** Parse-then-decide, mapping a malformed body to 400. */
export function handleAddCheckpoint(
  c: Sha256,
  body: string | Uint8Array,
  lookup: (origin: string) => { verifiers: readonly NoteVerifier[]; state: WitnessLogState | undefined } | undefined,
): AddCheckpointDecision {
  let req: AddCheckpointRequest;
  try {
    req = parseAddCheckpointRequest(body);
  } catch (e) {
    if (e instanceof LedgerError) return { status: 400, reason: e.message };
    throw e;
  }
  const log = lookup(req.checkpoint.origin);
  return decideAddCheckpoint(c, req, log?.verifiers, log?.state);
}

/** The body a log POSTs to `<witness prefix>/add-checkpoint`. */
export function formatAddCheckpointRequest(
  oldSize: number,
  proof: readonly Uint8Array[],
  signedCheckpoint: string,
): string {
  if (!Number.isSafeInteger(oldSize) || oldSize < 0) malformed('old size must be a non-negative safe integer');
  if (proof.length > MAX_CONSISTENCY_LINES) malformed('more than 63 consistency proof lines');
  for (const h of proof) if (h.length !== HASH_SIZE) malformed('consistency proof hashes must be 32 bytes');
  parseNote(signedCheckpoint);
  return `old ${oldSize}\n${proof.map((h) => `${base64Encode(h)}\n`).join('')}\n${signedCheckpoint}`;
}

/**
 * Log side of a 200 response: the body is signature lines; appended to the checkpoint they must verify under
 * the witness's cosignature verifiers (tlog-witness: "the client MAY concatenate it to the checkpoint").
 * Returns the verified cosignatures; unknown lines are ignored.
 */
export function openWitnessResponse(
  signedCheckpoint: string,
  responseBody: string,
  witnessVerifiers: readonly NoteVerifier[],
): NoteSignature[] {
  if (!responseBody.endsWith('\n') || !responseBody.startsWith('\u2014 ')) {
    malformed('witness response must be signature lines');
  }
  const opened = openNote(signedCheckpoint + responseBody, witnessVerifiers);
  return [...opened.verified];
}

/** The checkpoint with extra signature lines appended (e.g. cosignatures collected from witnesses). */
export function addSignatures(signedCheckpoint: string, extra: readonly NoteSignature[]): string {
  const note = parseNote(signedCheckpoint);
  const have = new Set(note.signatures.map((s) => `${s.name} ${s.base64}`));
  const fresh = extra.filter((s) => !have.has(`${s.name} ${base64Encode(concatBytes(u32be(s.keyId), s.signature))}`));
  return formatNote(note.text, [...note.signatures, ...fresh]);
}
