/**
 * Signed-note, checkpoint and cosignature against the C2SP / Go / transparency-dev vectors in
 * signed-note-checkpoint.json, using the node:crypto adapter for SHA-256 and Ed25519.
 */
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { thrownCode } from '../../core/thrown-code.test-helper';
import { base64Decode, hexDecode, readU32be, utf8 } from '../../core/ledger/bytes';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from '../../core/ledger/checkpoint';
import {
  cosign,
  cosignatureNoteSigner,
  cosignatureTimestamp,
  cosignatureVerifier,
  cosignatureVkey,
  cosignedMessage,
} from '../../core/ledger/cosignature';
import { LedgerError } from '../../core/ledger/errors';
import {
  ed25519NoteSigner,
  ed25519NoteVerifier,
  ed25519Vkey,
  formatNote,
  openNote,
  parseNote,
  parseSkey,
  parseVkey,
  signNote,
} from '../../core/ledger/note';
import { ed25519SignerFromSeed, nodeLedgerCrypto as c } from './ledger-crypto';

const VECTORS = process.env['LEDGER_VECTORS_DIR'] ?? fileURLToPath(new URL('../../../vectors/tlog', import.meta.url));
const v = JSON.parse(readFileSync(join(VECTORS, 'signed-note-checkpoint.json'), 'utf8'));
const ext = v.external;
const self = v.self_generated_checkpoint_with_cosignature;

const code = (run: () => unknown) => thrownCode(LedgerError, run);

function seed(hex: string): Uint8Array {
  return hexDecode(hex)!;
}

describe('signed-note: C2SP example', () => {
  it('verifies under its vkey', () => {
    const opened = openNote(ext.c2sp_signed_note_example.note, [
      ed25519NoteVerifier(c, ext.c2sp_signed_note_example.vkey),
    ]);
    expect(opened.text).toBe('This is an example message.\n');
    expect(opened.verified.map((s) => s.name)).toEqual(['example.com/foo']);
  });

  it('rejects a modified text', () => {
    const tampered = ext.c2sp_signed_note_example.note.replace('example message', 'example massage');
    expect(code(() => openNote(tampered, [ed25519NoteVerifier(c, ext.c2sp_signed_note_example.vkey)]))).toBe(
      'BAD_SIGNATURE',
    );
  });
});

describe('signed-note: Go sumdb/note TestSign', () => {
  const go = ext.go_sumdb_note_TestSign;
  const skey = parseSkey(go.skey);
  const signer = ed25519NoteSigner(c, skey.name, ed25519SignerFromSeed(skey.secret), skey.keyId);
  const text = parseNote(go.note).text;

  it('derives the published vkey from the skey', () => {
    expect(ed25519Vkey(c, skey.name, ed25519SignerFromSeed(skey.secret).publicKey)).toBe(go.vkey);
    expect(signer.keyId).toBe(0xc74f20a3);
  });

  it('reproduces the signed note byte for byte', () => {
    expect(signNote(text, [signer])).toBe(go.note);
  });

  it('verifies the note', () => {
    expect(openNote(utf8(go.note), [ed25519NoteVerifier(c, go.vkey)]).verified).toHaveLength(1);
  });

  it('rejects every bad vkey', () => {
    expect(go.bad_vkeys.length).toBeGreaterThan(0);
    for (const bad of go.bad_vkeys) expect(code(() => parseVkey(c, bad))).toBe('BAD_VKEY');
  });

  it('rejects an skey whose key ID does not match its key', () => {
    const wrongId = go.skey.replace('c74f20a3', 'c74f20a4');
    const k = parseSkey(wrongId);
    expect(code(() => ed25519NoteSigner(c, k.name, ed25519SignerFromSeed(k.secret), k.keyId))).toBe('BAD_SKEY');
  });
});

describe('vkeys', () => {
  it('parses the sum.golang.org production vkey (base64 containing "+")', () => {
    const k = parseVkey(c, ext.go_sumdb_production_vkey.vkey);
    expect(k.name).toBe('sum.golang.org');
    expect(k.keyId).toBe(0x033de0ae);
    expect(k.type).toBe(0x01);
    expect(k.publicKey).toHaveLength(32);
  });

  it('rejects malformed vkeys', () => {
    const good: string = ext.go_sumdb_production_vkey.vkey;
    const [name, id, key] = [good.slice(0, 14), good.slice(15, 23), good.slice(24)];
    for (const bad of [
      '',
      'sum.golang.org',
      `${name}+${id}`,
      `+${id}+${key}`,
      `${name}+${id.slice(1)}+${key}`,
      `${name}+${id}0+${key}`,
      `${name}+zz3de0ae+${key}`,
      `${name}+${id}+${key} `,
      `${name}+${id}+`,
      `sum golang.org+${id}+${key}`,
      `${name}+033de0af+${key}`,
    ]) {
      expect(
        code(() => parseVkey(c, bad)),
        bad,
      ).toBe('BAD_VKEY');
    }
  });
});

describe('signed-note verification policy', () => {
  const a = ed25519SignerFromSeed(new Uint8Array(32).fill(7));
  const b = ed25519SignerFromSeed(new Uint8Array(32).fill(9));
  const signerA = ed25519NoteSigner(c, 'a.example/log', a);
  const signerB = ed25519NoteSigner(c, 'b.example/other', b);
  const text = 'hello\n\nworld\n';
  const both = signNote(text, [signerA, signerB]);
  const verifierA = ed25519NoteVerifier(c, ed25519Vkey(c, 'a.example/log', a.publicKey));

  it('keeps blank lines in the text: the text ends at the last blank line', () => {
    expect(parseNote(both).text).toBe(text);
  });

  it('ignores unknown keys and reports them as unverified', () => {
    const opened = openNote(both, [verifierA]);
    expect(opened.verified.map((s) => s.name)).toEqual(['a.example/log']);
    expect(opened.unverified.map((s) => s.name)).toEqual(['b.example/other']);
  });

  it('rejects a note with no signature from a known key', () => {
    expect(code(() => openNote(signNote(text, [signerB]), [verifierA]))).toBe('NO_VERIFIED_SIGNATURE');
  });

  it('ignores a signature that shares the name but not the key ID of a known key', () => {
    const impostor = ed25519NoteSigner(c, 'a.example/log', b);
    expect(code(() => openNote(signNote(text, [impostor]), [verifierA]))).toBe('NO_VERIFIED_SIGNATURE');
  });

  it('rejects a bad signature from a known key even if another verifies', () => {
    const good = parseNote(both).signatures[0]!;
    const broken = { ...good, signature: good.signature.map((x, i) => (i === 0 ? x ^ 1 : x)) };
    expect(code(() => openNote(formatNote(text, [broken, good]), [verifierA]))).toBe('BAD_SIGNATURE');
  });

  it('rejects malformed notes', () => {
    const sigLine = both.slice(both.lastIndexOf('\n\n') + 2);
    const cases: string[] = [
      'no signatures\n',
      'no final newline\n\n— a.example/log AAAAAAA=',
      `text\n\n`,
      `text\n\n- a.example/log ${sigLine.split(' ')[2]}`,
      `text\n\n— a.example/log\n`,
      `text\n\n— a.example/log !!!!\n`,
      `text\n\n— a.example/log AAAA\n`,
      `tab\there\n\n${sigLine}`,
      `cr\r\n\n${sigLine}`,
      `text\n\n— a+b.example ${sigLine.split(' ')[2]}`,
    ];
    for (const bad of cases)
      expect(
        code(() => openNote(bad, [verifierA])),
        JSON.stringify(bad),
      ).toBe('BAD_NOTE');
    expect(code(() => openNote(Uint8Array.of(0x61, 0xff, 0x0a), [verifierA]))).toBe('BAD_NOTE');
  });

  it('rejects notes with too many signatures', () => {
    const line = both.slice(both.lastIndexOf('\n\n') + 2).split('\n')[0]!;
    const many = `${text}\n${`${line}\n`.repeat(101)}`;
    expect(code(() => parseNote(many))).toBe('BAD_NOTE');
    expect(openNote(`${text}\n${`${line}\n`.repeat(16)}`, [verifierA]).verified).toHaveLength(1);
  });
});

describe('tlog-checkpoint', () => {
  it('parses and re-formats the Go sumdb tree note body', () => {
    const body = ext.go_sumdb_tree_note_body.body;
    const cp = parseCheckpoint(body);
    expect(cp.origin).toBe('go.sum database tree');
    expect(cp.size).toBe(123456789012);
    expect(cp.root).toEqual(base64Decode('TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0='));
    expect(formatCheckpoint(cp)).toBe(body);
  });
});

describe('tlog-cosignature', () => {
  it('reads the transparency-dev timestamp vector', () => {
    const raw = base64Decode(ext.cosignature_timestamp_parse.sigBase64);
    expect(cosignatureTimestamp(raw.subarray(4))).toBe(BigInt(ext.cosignature_timestamp_parse.wantTimestamp));
  });

  it('refuses a plain Ed25519 signature as a cosignature', () => {
    const raw = base64Decode(ext.cosignature_timestamp_parse.notACosignature);
    expect(code(() => cosignatureTimestamp(raw.subarray(4)))).toBe('BAD_COSIGNATURE');
  });
});

// Not an external vector (see its WARNING): it was produced by an independent script with @noble/curves.
describe('self-generated checkpoint with cosignature', () => {
  const log = ed25519SignerFromSeed(seed(self.logSeedHex));
  const witness = ed25519SignerFromSeed(seed(self.witnessSeedHex));
  const origin = 'audit.example.gov/ledger1';
  const witnessName = 'witness.dept-a.example.gov/w1';

  it('derives both vkeys', () => {
    expect(ed25519Vkey(c, origin, log.publicKey)).toBe(self.logVkey);
    expect(cosignatureVkey(c, witnessName, witness.publicKey)).toBe(self.witnessVkey);
  });

  it('builds the cosigned message', () => {
    const text = parseNote(self.note).text;
    expect(new TextDecoder().decode(cosignedMessage(text, self.timestamp))).toBe(self.cosignedMessage);
  });

  it('reproduces the log-signed and cosigned checkpoint byte for byte', () => {
    const cp = parseCheckpoint(parseNote(self.note).text);
    const logSigner = ed25519NoteSigner(c, origin, log);
    const witnessSigner = cosignatureNoteSigner(c, witnessName, witness, () => self.timestamp);
    expect(signCheckpoint(cp, [logSigner, witnessSigner])).toBe(self.note);
    const line = cosign(c, witnessName, witness, formatCheckpoint(cp), self.timestamp).line;
    expect(self.note.endsWith(line)).toBe(true);
  });

  it('verifies the log signature and the cosignature', () => {
    const opened = openCheckpoint(self.note, origin, [ed25519NoteVerifier(c, self.logVkey)]);
    expect(opened.checkpoint.size).toBe(8);
    expect(opened.note.unverified.map((s) => s.name)).toEqual([witnessName]);
    const withWitness = openNote(self.note, [
      ed25519NoteVerifier(c, self.logVkey),
      cosignatureVerifier(c, self.witnessVkey),
    ]);
    expect(withWitness.verified.map((s) => s.name)).toEqual([origin, witnessName]);
    const cosig = withWitness.verified[1]!;
    expect(cosignatureTimestamp(cosig.signature)).toBe(BigInt(self.timestamp));
    expect(readU32be(base64Decode(cosig.base64), 0)).toBe(cosig.keyId);
  });

  it('rejects a cosignature over a different timestamp', () => {
    const sigs = parseNote(self.note).signatures;
    const w = sigs[1]!;
    const shifted = w.signature.slice();
    shifted[7] = shifted[7]! ^ 1;
    const note = formatNote(parseNote(self.note).text, [sigs[0]!, { ...w, signature: shifted }]);
    expect(code(() => openNote(note, [cosignatureVerifier(c, self.witnessVkey)]))).toBe('BAD_SIGNATURE');
  });

  it('rejects a checkpoint for another origin', () => {
    expect(code(() => openCheckpoint(self.note, 'other.example/log', [ed25519NoteVerifier(c, self.logVkey)]))).toBe(
      'BAD_CHECKPOINT',
    );
  });

  it('does not accept a witness vkey as a log key or vice versa', () => {
    expect(code(() => ed25519NoteVerifier(c, self.witnessVkey))).toBe('BAD_VKEY');
    expect(code(() => cosignatureVerifier(c, self.logVkey))).toBe('BAD_VKEY');
  });
});
