// C2SP signed-note signatures checked in the browser, one by one: the log's own signature (type 0x01) and
// the witnesses' cosignatures (c2sp.org/tlog-cosignature, type 0x04). Parsing and verifying are the ledger
// core's; the browser only supplies SHA-256 and Ed25519 (./crypto), so it needs to trust no one.
import { readU64be } from '../../../src/core/ledger/bytes';
import { cosignatureVerifier } from '../../../src/core/ledger/cosignature';
import {
  checkNoteSignatures,
  ed25519NoteVerifier,
  parseVkey as parseCoreVkey,
  SIG_TYPE_ED25519,
  type Vkey,
} from '../../../src/core/ledger/note';
import { browserLedgerCrypto } from './crypto';

export type WebVkey = Vkey;

/** Parses `<name>+<hex key ID>+<base64(type ‖ key)>` and checks the key ID; throws on a malformed key. */
export function parseVkey(vkey: string): WebVkey {
  return parseCoreVkey(browserLedgerCrypto, vkey.trim());
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
export function verifyNote(note: string, keys: readonly WebVkey[]): NoteCheck {
  const logKeys = new Set(keys.filter((k) => k.type === SIG_TYPE_ED25519).map((k) => `${k.name}\u0000${k.keyId}`));
  const verifiers = keys.map((k) =>
    k.type === SIG_TYPE_ED25519
      ? ed25519NoteVerifier(browserLedgerCrypto, k)
      : cosignatureVerifier(browserLedgerCrypto, k),
  );
  const { text, checks } = checkNoteSignatures(note, verifiers);
  const shown = checks.map(({ signature, ok }): SignatureCheck => {
    if (logKeys.has(`${signature.name}\u0000${signature.keyId}`)) {
      return { name: signature.name, kind: 'log', ok, ...(ok ? {} : { detail: 'Ed25519 signature does not verify' }) };
    }
    if (signature.signature.length !== 72) {
      return { name: signature.name, kind: 'cosignature', ok: false, detail: 'a cosignature is 72 bytes' };
    }
    return {
      name: signature.name,
      kind: 'cosignature',
      ok,
      timestamp: Number(readU64be(signature.signature, 0)),
      ...(ok ? {} : { detail: 'Ed25519 cosignature does not verify' }),
    };
  });
  return { ok: shown.length > 0 && shown.every((c) => c.ok), checks: shown, text };
}
