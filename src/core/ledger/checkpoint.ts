/**
 * C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): the note text of a signed tree head.
 * Lines: origin, decimal tree size without leading zeros, base64 32-byte root hash, then optional
 * non-empty extension lines. Parsing is strict because checkpoints arrive from untrusted peers.
 */
import { base64Decode, base64Encode, parseDecimal } from './bytes';
import { checkUint } from './bits';
import { fail, LedgerError } from './errors';
import { HASH_SIZE } from './merkle';
import { type NoteSigner, type NoteVerifier, openNote, signNote, type VerifiedNote } from './note';

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  readonly extensions: readonly string[];
}

export interface VerifiedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly note: VerifiedNote;
}

/** Parses checkpoint note text (not the signatures). */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) fail('BAD_CHECKPOINT', 'checkpoint text must end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) fail('BAD_CHECKPOINT', 'checkpoint needs origin, size and root hash lines');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) fail('BAD_CHECKPOINT', 'checkpoint origin is empty');
  const size = parseDecimal(sizeText);
  if (size === undefined) fail('BAD_CHECKPOINT', 'checkpoint size is not a canonical decimal');
  let root: Uint8Array;
  try {
    root = base64Decode(rootText);
  } catch (e) {
    throw e instanceof LedgerError ? new LedgerError('BAD_CHECKPOINT', 'checkpoint root is not base64') : e;
  }
  if (root.length !== HASH_SIZE) fail('BAD_CHECKPOINT', 'checkpoint root hash must be 32 bytes');
  if (extensions.some((l) => l.length === 0)) fail('BAD_CHECKPOINT', 'checkpoint extension lines must be non-empty');
  return { origin, size, root, extensions };
}

export function formatCheckpoint(cp: Checkpoint): string {
  if (cp.origin.length === 0 || cp.origin.includes('\n')) fail('BAD_CHECKPOINT', 'bad origin');
  checkUint(cp.size, 'checkpoint size');
  if (cp.root.length !== HASH_SIZE) fail('BAD_CHECKPOINT', 'checkpoint root hash must be 32 bytes');
  for (const e of cp.extensions) {
    if (e.length === 0 || e.includes('\n'))
      fail('BAD_CHECKPOINT', 'checkpoint extension lines must be non-empty single lines');
  }
  return [cp.origin, String(cp.size), base64Encode(cp.root), ...cp.extensions].map((l) => `${l}\n`).join('');
}

/** Formats and signs a checkpoint; the log's key name SHOULD equal the origin. */
export function signCheckpoint(cp: Checkpoint, signers: readonly NoteSigner[]): string {
  return signNote(formatCheckpoint(cp), signers);
}

/**
 * Opens a signed checkpoint: the note must verify under one of `logVerifiers` (other signatures, e.g.
 * witness cosignatures, are returned as unverified) and its origin must equal `origin`.
 */
export function openCheckpoint(
  msg: string | Uint8Array,
  origin: string,
  logVerifiers: readonly NoteVerifier[],
): VerifiedCheckpoint {
  const note = openNote(msg, logVerifiers);
  const checkpoint = parseCheckpoint(note.text);
  if (checkpoint.origin !== origin) fail('BAD_CHECKPOINT', 'checkpoint origin does not match the expected log');
  return { checkpoint, note };
}
