// C2SP signed-note signatures checked in the browser with WebCrypto (Ed25519): the log's own signature
// (type 0x01) and the witnesses' cosignatures (c2sp.org/tlog-cosignature, type 0x04). Parsing comes from
// the pure ledger core; hashing and Ed25519 from crypto.subtle, so the browser needs to trust no one.
import { base64Decode, concatBytes, hexDecode, readU32be, readU64be, utf8 } from '../../../src/core/ledger/bytes';
import { cosignedMessage } from '../../../src/core/ledger/cosignature';
import { isValidKeyName, parseNote, SIG_TYPE_COSIGNATURE_V1, SIG_TYPE_ED25519 } from '../../../src/core/ledger/note';

export interface WebVkey {
  name: string;
  keyId: number;
  /** 0x01 (Ed25519, a log) or 0x04 (cosignature/v1, a witness). */
  type: number;
  publicKey: Uint8Array;
}

function subtle(): SubtleCrypto {
  const c = globalThis.crypto?.subtle;
  if (!c) throw new Error('WebCrypto (crypto.subtle) is not available in this context');
  return c;
}

/** A copy backed by a plain ArrayBuffer, as WebCrypto wants. */
function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

/** key ID = SHA-256(name || 0x0A || type || public key)[:4]. */
async function keyIdOf(name: string, type: number, publicKey: Uint8Array): Promise<number> {
  const digest = await subtle().digest('SHA-256', own(concatBytes(utf8(name), Uint8Array.of(0x0a, type), publicKey)));
  return readU32be(new Uint8Array(digest), 0);
}

/** Parses `<name>+<hex key ID>+<base64(type ‖ key)>` (split at the first two '+') and checks the key ID. */
export async function parseVkey(vkey: string): Promise<WebVkey> {
  const text = vkey.trim();
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) throw new Error('vkey must have the form name+keyid+key');
  const name = text.slice(0, first);
  const idBytes = hexDecode(text.slice(first + 1, second));
  if (!isValidKeyName(name) || !idBytes || idBytes.length !== 4) throw new Error('vkey has a malformed name or key ID');
  const key = base64Decode(text.slice(second + 1));
  const type = key[0];
  const publicKey = key.slice(1);
  if ((type !== SIG_TYPE_ED25519 && type !== SIG_TYPE_COSIGNATURE_V1) || publicKey.length !== 32) {
    throw new Error('only Ed25519 vkeys (types 0x01 and 0x04) are supported');
  }
  const keyId = readU32be(idBytes, 0);
  if ((await keyIdOf(name, type, publicKey)) !== keyId) throw new Error('vkey key ID does not match the key');
  return { name, keyId, type, publicKey };
}

async function ed25519Verify(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): Promise<boolean> {
  const key = await subtle().importKey('raw', own(publicKey), { name: 'Ed25519' }, false, ['verify']);
  return subtle().verify({ name: 'Ed25519' }, key, own(signature), own(message));
}

/** Whether this browser's WebCrypto does Ed25519 (Chromium 137+, Firefox 129+, Safari 17+). */
export async function ed25519Supported(): Promise<boolean> {
  try {
    await subtle().importKey('raw', new Uint8Array(32), { name: 'Ed25519' }, false, ['verify']);
    return true;
  } catch {
    return false;
  }
}

export interface SignatureCheck {
  /** The key name on the signature line. */
  name: string;
  kind: 'log' | 'cosignature';
  ok: boolean;
  /** A cosignature's time (seconds since the epoch). */
  timestamp?: number;
  detail?: string;
}

export interface NoteCheck {
  /** At least one known key verified and no known key's signature failed (c2sp.org/signed-note). */
  ok: boolean;
  /** One per signature line from a known key; lines from unknown keys are ignored, as the spec says. */
  checks: SignatureCheck[];
  /** The signed text (the checkpoint body). */
  text: string;
}

/** Checks every signature of `note` made by one of `keys` (the log's vkey, the witnesses' vkeys). */
export async function verifyNote(note: string, keys: readonly WebVkey[]): Promise<NoteCheck> {
  const parsed = parseNote(note);
  const message = utf8(parsed.text);
  const checks: SignatureCheck[] = [];
  for (const sig of parsed.signatures) {
    const key = keys.find((k) => k.name === sig.name && k.keyId === sig.keyId);
    if (!key) continue;
    if (key.type === SIG_TYPE_ED25519) {
      const ok = sig.signature.length === 64 && (await ed25519Verify(key.publicKey, sig.signature, message));
      checks.push({ name: sig.name, kind: 'log', ok, ...(ok ? {} : { detail: 'Ed25519 signature does not verify' }) });
      continue;
    }
    if (sig.signature.length !== 72) {
      checks.push({ name: sig.name, kind: 'cosignature', ok: false, detail: 'a cosignature is 72 bytes' });
      continue;
    }
    const timestamp = Number(readU64be(sig.signature, 0));
    const ok = await ed25519Verify(key.publicKey, sig.signature.slice(8), cosignedMessage(parsed.text, timestamp));
    checks.push({
      name: sig.name,
      kind: 'cosignature',
      ok,
      timestamp,
      ...(ok ? {} : { detail: 'Ed25519 cosignature does not verify' }),
    });
  }
  return { ok: checks.length > 0 && checks.every((c) => c.ok), checks, text: parsed.text };
}
