/**
 * C2SP signed-note (c2sp.org/signed-note): parsing, formatting, signing and verification of notes,
 * plus vkey/skey key encodings compatible with Go's golang.org/x/mod/sumdb/note.
 * Verification policy follows the spec: unknown keys are ignored, a failing signature from a known key
 * rejects the whole note, and a note with no verified known-key signature is rejected.
 */
import {
  base64Decode,
  base64Encode,
  bytesEqual,
  concatBytes,
  hexDecode,
  hexEncode,
  readU32be,
  u32be,
  utf8,
  utf8DecodeStrict,
} from './bytes';
import type { Ed25519Signer, LedgerCrypto, Sha256 } from './crypto-port';
import { fail, LedgerError } from './errors';

/** Signature type bytes assigned by c2sp.org/signed-note. */
export const SIG_TYPE_ED25519 = 0x01;
export const SIG_TYPE_COSIGNATURE_V1 = 0x04;

/** Go's note package refuses more than 100 signatures; the spec requires accepting at least 16. */
export const MAX_NOTE_SIGNATURES = 100;

const EM_DASH_PREFIX = '\u2014 ';

export interface NoteSignature {
  readonly name: string;
  /** uint32 key ID (big-endian first four bytes of the encoded signature). */
  readonly keyId: number;
  /** Signature bytes after the key ID. */
  readonly signature: Uint8Array;
  /** The base64 text exactly as it appeared (key ID and signature), so it can be copied verbatim. */
  readonly base64: string;
}

export interface ParsedNote {
  /** Note text including its final newline, excluding the blank separator line. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

export interface VerifiedNote extends ParsedNote {
  /** Signatures from known keys that verified. Never empty. */
  readonly verified: readonly NoteSignature[];
  /** Signatures from unknown keys (ignored, kept so a holder can forward them, e.g. witness cosignatures). */
  readonly unverified: readonly NoteSignature[];
}

/** A public key able to check note signatures: identified by (name, key ID), as the spec requires. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  verify(text: Uint8Array, signature: Uint8Array): boolean;
}

/** Something that produces note signature lines (a log key or a witness cosigning key). */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  sign(text: Uint8Array): Uint8Array;
}

// Go's unicode.IsSpace: ASCII whitespace, U+0085, U+00A0 and the Unicode Z categories.
const UNICODE_SPACE = /[\t\n\v\f\r \u0085\u00a0\p{Z}]/u;

/** Key names: non-empty, no Unicode spaces, no '+' (c2sp.org/signed-note §Format). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !UNICODE_SPACE.test(name) && !name.includes('+') && utf8DecodeStrict(utf8(name)) === name;
}

function checkKeyName(name: string): void {
  if (!isValidKeyName(name)) fail('BAD_KEY_NAME', 'key name must be non-empty without spaces or "+"');
}

/** key ID = SHA-256(key name || 0x0A || signature type || public key)[:4], as a big-endian uint32. */
export function computeKeyId(c: Sha256, name: string, type: number, publicKey: Uint8Array): number {
  const digest = c.sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, type), publicKey));
  return readU32be(digest, 0);
}

function keyIdHex(keyId: number): string {
  return hexEncode(u32be(keyId));
}

// Signed notes MUST be valid UTF-8 without control characters (below U+0020) other than newline.
function checkNoteCharacters(text: string): void {
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch < 0x20 && ch !== 0x0a) fail('BAD_NOTE', 'note contains a control character');
  }
}

function decodeInput(msg: string | Uint8Array): string {
  if (typeof msg === 'string') {
    if (utf8DecodeStrict(utf8(msg)) !== msg) fail('BAD_NOTE', 'note is not valid UTF-8');
    return msg;
  }
  return utf8DecodeStrict(msg) ?? fail('BAD_NOTE', 'note is not valid UTF-8');
}

/** Splits a note into text and signature lines; checks syntax only (nothing is verified). */
export function parseNote(msg: string | Uint8Array): ParsedNote {
  const s = decodeInput(msg);
  checkNoteCharacters(s);
  if (!s.endsWith('\n')) fail('BAD_NOTE', 'note does not end in a newline');
  // The text ends at the LAST blank line; earlier blank lines belong to the text.
  const split = s.lastIndexOf('\n\n');
  if (split < 0) fail('BAD_NOTE', 'note has no signature block');
  const text = s.slice(0, split + 1);
  const block = s.slice(split + 2);
  if (block.length === 0) fail('BAD_NOTE', 'note has no signatures');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) fail('BAD_NOTE', 'too many signatures');
  const signatures = lines.map(parseSignatureLine);
  return { text, signatures };
}

/** Parses one `— <name> <base64(keyID || sig)>` line (without its newline). */
export function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(EM_DASH_PREFIX)) fail('BAD_NOTE', 'signature line does not start with an em dash');
  const rest = line.slice(EM_DASH_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) fail('BAD_NOTE', 'signature line has no signature');
  const name = rest.slice(0, space);
  const b64 = rest.slice(space + 1);
  if (!isValidKeyName(name)) fail('BAD_NOTE', 'signature line has an invalid key name');
  let raw: Uint8Array;
  try {
    raw = base64Decode(b64);
  } catch (e) {
    throw e instanceof LedgerError ? new LedgerError('BAD_NOTE', 'signature is not valid base64') : e;
  }
  if (raw.length < 5) fail('BAD_NOTE', 'signature is too short');
  return { name, keyId: readU32be(raw, 0), signature: raw.slice(4), base64: b64 };
}

export function formatSignatureLine(sig: Pick<NoteSignature, 'name' | 'keyId' | 'signature'>): string {
  checkKeyName(sig.name);
  return `${EM_DASH_PREFIX}${sig.name} ${base64Encode(concatBytes(u32be(sig.keyId), sig.signature))}\n`;
}

function checkText(text: string): void {
  checkNoteCharacters(text);
  if (text.length === 0 || !text.endsWith('\n')) fail('BAD_NOTE', 'note text must end in a newline');
}

/** Assembles a note from text and already-made signatures (e.g. adding witness cosignatures). */
export function formatNote(
  text: string,
  signatures: readonly Pick<NoteSignature, 'name' | 'keyId' | 'signature'>[],
): string {
  checkText(text);
  if (signatures.length === 0) fail('BAD_NOTE', 'a note needs at least one signature');
  return `${text}\n${signatures.map(formatSignatureLine).join('')}`;
}

/** Signs `text` with each signer, in order (Go note.Sign). */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  checkText(text);
  const bytes = utf8(text);
  return formatNote(
    text,
    signers.map((s) => ({ name: s.name, keyId: s.keyId, signature: s.sign(bytes) })),
  );
}

/**
 * Parses and verifies a note. Throws NO_VERIFIED_SIGNATURE when no known key signed it, and
 * BAD_SIGNATURE when a known key's signature fails (the spec's SHOULD-reject, as Go does).
 */
export function openNote(msg: string | Uint8Array, verifiers: readonly NoteVerifier[]): VerifiedNote {
  const note = parseNote(msg);
  const textBytes = utf8(note.text);
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const sig of note.signatures) {
    const id = `${sig.name}\u0000${sig.keyId}`;
    const v = verifiers.find((k) => k.name === sig.name && k.keyId === sig.keyId);
    if (!v) {
      // Repeated identical unknown signatures are dropped, as Go does.
      const line = `${id}\u0000${sig.base64}`;
      if (!seen.has(line)) unverified.push(sig);
      seen.add(line);
      continue;
    }
    // c2sp.org/signed-note: a verifier MUST check every signature line from a known key, so a second, bad
    // line of a key that also signed correctly rejects the note wherever it stands.
    if (!v.verify(textBytes, sig.signature)) fail('BAD_SIGNATURE', `signature by ${sig.name} does not verify`);
    if (seen.has(id)) continue;
    seen.add(id);
    verified.push(sig);
  }
  if (verified.length === 0) fail('NO_VERIFIED_SIGNATURE', 'note has no verified signature from a known key');
  return { ...note, verified, unverified };
}

/** A signature line of a known key, and whether it verifies. */
export interface SignatureCheck {
  readonly signature: NoteSignature;
  readonly ok: boolean;
}

/**
 * Checks each signature line of `msg` made by one of `verifiers` and reports each one (to show a
 * checkpoint's signatures one by one); lines of unknown keys are skipped. Trust decisions use openNote,
 * which refuses the whole note when any known key's line fails.
 */
export function checkNoteSignatures(
  msg: string | Uint8Array,
  verifiers: readonly NoteVerifier[],
): { text: string; checks: SignatureCheck[] } {
  const note = parseNote(msg);
  const textBytes = utf8(note.text);
  const checks: SignatureCheck[] = [];
  for (const sig of note.signatures) {
    const v = verifiers.find((k) => k.name === sig.name && k.keyId === sig.keyId);
    if (v) checks.push({ signature: sig, ok: v.verify(textBytes, sig.signature) });
  }
  return { text: note.text, checks };
}

export interface Vkey {
  readonly name: string;
  readonly keyId: number;
  readonly type: number;
  /** Key material after the type byte. */
  readonly publicKey: Uint8Array;
}

/**
 * Parses `<name>+<hex key ID>+<base64(type || key)>`, splitting at the first two '+' only (base64 may
 * contain '+'), and checks the key ID against the key (Go note.NewVerifier). Known types have fixed lengths.
 */
export function parseVkey(c: Sha256, vkey: string): Vkey {
  const { name, keyId, key } = splitVkey(vkey);
  const type = key[0]!;
  const publicKey = key.slice(1);
  if (computeKeyId(c, name, type, publicKey) !== keyId) fail('BAD_VKEY', 'vkey key ID does not match the key');
  // Only the two Ed25519-based types are supported; Go's note.NewVerifier likewise refuses unknown types.
  if (type !== SIG_TYPE_ED25519 && type !== SIG_TYPE_COSIGNATURE_V1) fail('BAD_VKEY', 'unsupported signature type');
  if (publicKey.length !== 32) fail('BAD_VKEY', 'Ed25519 public key must be 32 bytes');
  return { name, keyId, type, publicKey };
}

/** A vkey's three parts, syntax only: the name, the key ID and the key material (type byte first). */
export function splitVkey(vkey: string): { name: string; keyId: number; key: Uint8Array } {
  const first = vkey.indexOf('+');
  const second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
  if (second < 0) fail('BAD_VKEY', 'vkey must have the form name+keyid+key');
  const name = vkey.slice(0, first);
  const idHex = vkey.slice(first + 1, second);
  const idBytes = idHex.length === 8 ? hexDecode(idHex) : undefined;
  if (!idBytes || !isValidKeyName(name)) fail('BAD_VKEY', 'vkey has a malformed name or key ID');
  let key: Uint8Array;
  try {
    key = base64Decode(vkey.slice(second + 1));
  } catch {
    fail('BAD_VKEY', 'vkey key is not valid base64');
  }
  if (key.length < 1) fail('BAD_VKEY', 'vkey has no key');
  return { name, keyId: readU32be(idBytes, 0), key };
}

export function formatVkey(name: string, type: number, publicKey: Uint8Array, c: Sha256): string {
  checkKeyName(name);
  const keyId = computeKeyId(c, name, type, publicKey);
  return `${name}+${keyIdHex(keyId)}+${base64Encode(concatBytes(Uint8Array.of(type), publicKey))}`;
}

export interface Skey {
  readonly name: string;
  readonly keyId: number;
  readonly type: number;
  /** Private key material after the type byte (the 32-byte seed for Ed25519). */
  readonly secret: Uint8Array;
}

/**
 * Parses Go's private key text `PRIVATE+KEY+<name>+<hex key ID>+<base64(type || secret)>`.
 * The key ID can only be checked once the public key is derived: see ed25519NoteSigner's `expectKeyId`.
 */
export function parseSkey(skey: string): Skey {
  const prefix = 'PRIVATE+KEY+';
  if (!skey.startsWith(prefix)) fail('BAD_SKEY', 'skey must start with PRIVATE+KEY+');
  const rest = skey.slice(prefix.length);
  const first = rest.indexOf('+');
  const second = first < 0 ? -1 : rest.indexOf('+', first + 1);
  if (second < 0) fail('BAD_SKEY', 'skey must have the form PRIVATE+KEY+name+keyid+key');
  const name = rest.slice(0, first);
  const idHex = rest.slice(first + 1, second);
  const idBytes = idHex.length === 8 ? hexDecode(idHex) : undefined;
  if (!idBytes || !isValidKeyName(name)) fail('BAD_SKEY', 'skey has a malformed name or key ID');
  let key: Uint8Array;
  try {
    key = base64Decode(rest.slice(second + 1));
  } catch {
    fail('BAD_SKEY', 'skey key is not valid base64');
  }
  if (key.length !== 33 || key[0] !== SIG_TYPE_ED25519) fail('BAD_SKEY', 'only Ed25519 skeys are supported');
  return { name, keyId: readU32be(idBytes, 0), type: key[0]!, secret: key.slice(1) };
}

/** A note verifier for an Ed25519 (type 0x01) vkey. */
export function ed25519NoteVerifier(c: LedgerCrypto, vkey: string | Vkey): NoteVerifier {
  const k = typeof vkey === 'string' ? parseVkey(c, vkey) : vkey;
  if (k.type !== SIG_TYPE_ED25519) fail('BAD_VKEY', 'not an Ed25519 (type 0x01) vkey');
  const publicKey = k.publicKey;
  return {
    name: k.name,
    keyId: k.keyId,
    verify: (text, signature) => signature.length === 64 && c.ed25519Verify(publicKey, text, signature),
  };
}

/**
 * A note signer for an Ed25519 key held by `signer`. `expectKeyId` (from an skey) guards against loading a
 * seed under the wrong name.
 */
export function ed25519NoteSigner(c: Sha256, name: string, signer: Ed25519Signer, expectKeyId?: number): NoteSigner {
  checkKeyName(name);
  const keyId = computeKeyId(c, name, SIG_TYPE_ED25519, signer.publicKey);
  if (expectKeyId !== undefined && expectKeyId !== keyId) fail('BAD_SKEY', 'skey key ID does not match its key');
  return { name, keyId, sign: (text) => signer.sign(text) };
}

export function ed25519Vkey(c: Sha256, name: string, publicKey: Uint8Array): string {
  return formatVkey(name, SIG_TYPE_ED25519, publicKey, c);
}

/** True if two vkeys wrap the same key material (tlog-policy's definition of duplicate keys). */
export function sameKey(a: Vkey, b: Vkey): boolean {
  return bytesEqual(a.publicKey, b.publicKey);
}
