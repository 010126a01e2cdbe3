import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signCheckpoint } from '../../core/ledger/checkpoint';
import { cosign, cosignatureVkey } from '../../core/ledger/cosignature';
import {
  ed25519NoteSigner,
  ed25519NoteVerifier,
  ed25519Vkey,
  openNote,
  parseNote,
  parseVkey,
} from '../../core/ledger/note';
import { parsePolicy, verifyCheckpointWithPolicy } from '../../core/ledger/policy';
import {
  formatSm2Vkey,
  parseSm2Vkey,
  SM2_COSIGNATURE_IDENTIFIER,
  SM2_NOTE_IDENTIFIER,
  sm2Cosign,
  sm2CosignatureVerifier,
  sm2NoteSigner,
  sm2NoteVerifier,
} from '../../core/ledger/sm2-note';
import { pem, rawSignatureToDer, sm2KeyPairFromSeed, sm2PublicKeyToSpki, sm2SignerFor } from './gm/sm2';
import { ed25519SignerFromSeed, nodeLedgerCrypto as c } from './ledger-crypto';

const origin = 'qinghe.gov.cn/hutong/log';
const dir = mkdtempSync(join(tmpdir(), 'hutong-sm2-note-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sm2Signer(fill: number) {
  const pair = sm2KeyPairFromSeed(new Uint8Array(32).fill(fill));
  return { publicKey: pair.publicKey, sign: sm2SignerFor(pair.privateKey) };
}

const logEd25519 = ed25519SignerFromSeed(new Uint8Array(32).fill(1));
const logSm2 = sm2Signer(2);
const witnesses = ['gongan', 'renshe', 'shuiwu'].map((name, i) => ({
  name,
  keyName: `qinghe.gov.cn/hutong/witness/${name}`,
  ed25519: ed25519SignerFromSeed(new Uint8Array(32).fill(10 + i)),
  sm2: sm2Signer(20 + i),
}));

const note = signCheckpoint({ origin, size: 7, root: new Uint8Array(32).fill(3), extensions: [] }, [
  ed25519NoteSigner(c, origin, logEd25519),
  sm2NoteSigner(c, origin, logSm2),
]);
const text = parseNote(note).text;

/** The checkpoint with every witness's two cosignatures (C2SP Ed25519 and hutong SM2), or only the first `n`. */
function cosigned(n = witnesses.length): string {
  const lines = witnesses
    .slice(0, n)
    .flatMap((w) => [
      cosign(c, w.keyName, w.ed25519, text, 1_765_000_000).line,
      sm2Cosign(c, w.keyName, w.sm2, text, 1_765_000_000),
    ]);
  return `${note}${lines.join('')}`;
}

function policy(kind: 'c2sp' | 'sm2'): string {
  const log =
    kind === 'sm2'
      ? formatSm2Vkey(c, origin, SM2_NOTE_IDENTIFIER, logSm2.publicKey)
      : ed25519Vkey(c, origin, logEd25519.publicKey);
  const lines = [`log ${log}`];
  for (const w of witnesses) {
    const vkey =
      kind === 'sm2'
        ? formatSm2Vkey(c, w.keyName, SM2_COSIGNATURE_IDENTIFIER, w.sm2.publicKey)
        : cosignatureVkey(c, w.keyName, w.ed25519.publicKey);
    lines.push(`witness ${w.name} ${vkey}`);
  }
  lines.push(`group providers 2 ${witnesses.map((w) => w.name).join(' ')}`, 'quorum providers');
  return `${lines.join('\n')}\n`;
}

/** OpenSSL 3's command line: SM2 with SM3 and the default user ID over `message`. */
function opensslVerifies(publicKey: Uint8Array, message: string, signature: Uint8Array): boolean {
  const keyFile = join(dir, 'key.pem');
  const signatureFile = join(dir, 'sig.der');
  writeFileSync(keyFile, pem('PUBLIC KEY', sm2PublicKeyToSpki(publicKey)));
  writeFileSync(signatureFile, rawSignatureToDer(signature));
  const args = ['-rawin', '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678'];
  try {
    execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', keyFile, '-sigfile', signatureFile, ...args], {
      input: message,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return true;
  } catch {
    return false;
  }
}

describe('SM2 signed-note lines (type 0xff, hutong identifiers)', () => {
  it('sit beside the C2SP lines: a C2SP verifier skips them as an unknown key’s and the SM2 verifier checks them', () => {
    const opened = openNote(cosigned(), [ed25519NoteVerifier(c, ed25519Vkey(c, origin, logEd25519.publicKey))]);
    expect(opened.verified).toHaveLength(1);
    expect(opened.unverified).toHaveLength(1 + 2 * witnesses.length);
    const sm2Log = formatSm2Vkey(c, origin, SM2_NOTE_IDENTIFIER, logSm2.publicKey);
    expect(openNote(cosigned(), [sm2NoteVerifier(c, sm2Log)]).verified).toHaveLength(1);
    // A C2SP vkey parser refuses the type, as Go's note.NewVerifier refuses unknown types.
    expect(() => parseVkey(c, sm2Log)).toThrow(expect.objectContaining({ code: 'BAD_VKEY' }));
  });

  it('are SM2 signatures OpenSSL accepts: the log’s over the note text, a witness’s over the tlog-cosignature message', () => {
    const { signatures } = parseNote(cosigned(1));
    const logKey = parseSm2Vkey(c, formatSm2Vkey(c, origin, SM2_NOTE_IDENTIFIER, logSm2.publicKey));
    const logLine = signatures.find((s) => s.name === origin && s.keyId === logKey.keyId)!;
    expect(opensslVerifies(logSm2.publicKey, text, logLine.signature)).toBe(true);
    const witness = witnesses[0]!;
    const witnessKey = parseSm2Vkey(
      c,
      formatSm2Vkey(c, witness.keyName, SM2_COSIGNATURE_IDENTIFIER, witness.sm2.publicKey),
    );
    const line = signatures.find((s) => s.name === witness.keyName && s.keyId === witnessKey.keyId)!;
    expect(line.signature).toHaveLength(8 + 64);
    const message = `cosignature/v1\ntime 1765000000\n${text}`;
    expect(opensslVerifies(witness.sm2.publicKey, message, line.signature.subarray(8))).toBe(true);
    expect(opensslVerifies(witness.sm2.publicKey, `${message} `, line.signature.subarray(8))).toBe(false);
    expect(sm2CosignatureVerifier(c, witnessKey).verify(new TextEncoder().encode(text), line.signature)).toBe(true);
  });

  it('meet a policy over the SM2 keys only with its quorum, and refuse a forged line', () => {
    const sm2Policy = parsePolicy(c, policy('sm2'));
    expect(verifyCheckpointWithPolicy(c, sm2Policy, cosigned(2), origin).witnesses.toSorted()).toEqual([
      'gongan',
      'renshe',
    ]);
    expect(() => verifyCheckpointWithPolicy(c, sm2Policy, cosigned(1), origin)).toThrow(
      expect.objectContaining({ code: 'QUORUM_NOT_MET' }),
    );
    // Witnesses that cosigned with Ed25519 only do not count under the SM2 policy.
    const ed25519Only = `${note}${witnesses.map((w) => cosign(c, w.keyName, w.ed25519, text, 1).line).join('')}`;
    expect(() => verifyCheckpointWithPolicy(c, sm2Policy, ed25519Only, origin)).toThrow(
      expect.objectContaining({ code: 'QUORUM_NOT_MET' }),
    );
    // An SM2 line made by another key under a witness's name and key ID fails the whole note.
    const impostor = sm2Signer(99);
    const forged = sm2Cosign(c, witnesses[0]!.keyName, impostor, text, 1);
    const realKeyId = parseSm2Vkey(
      c,
      formatSm2Vkey(c, witnesses[0]!.keyName, SM2_COSIGNATURE_IDENTIFIER, witnesses[0]!.sm2.publicKey),
    ).keyId;
    const keyIdBytes = Buffer.alloc(4);
    keyIdBytes.writeUInt32BE(realKeyId);
    const raw = Buffer.from(forged.trim().split(' ').at(-1)!, 'base64');
    keyIdBytes.copy(raw, 0);
    const forgedLine = `— ${witnesses[0]!.keyName} ${raw.toString('base64')}\n`;
    expect(() => verifyCheckpointWithPolicy(c, sm2Policy, `${cosigned(2)}${forgedLine}`, origin)).toThrow(
      expect.objectContaining({ code: 'BAD_SIGNATURE' }),
    );
    // The C2SP policy over the same note is met by the Ed25519 lines, the SM2 ones skipped.
    expect(verifyCheckpointWithPolicy(c, parsePolicy(c, policy('c2sp')), cosigned(2), origin).witnesses).toHaveLength(
      2,
    );
  });

  it('parse SM2 vkeys defensively: the key ID must match, the identifier be one of hutong’s, the point uncompressed', () => {
    const vkey = formatSm2Vkey(c, origin, SM2_NOTE_IDENTIFIER, logSm2.publicKey);
    expect(parseSm2Vkey(c, vkey)).toMatchObject({ name: origin, kind: SM2_NOTE_IDENTIFIER, type: 0xff });
    const [name, id, key] = vkey.split('+') as [string, string, string];
    const wrongId = `${name}+${(Number.parseInt(id, 16) ^ 1).toString(16).padStart(8, '0')}+${key}`;
    expect(() => parseSm2Vkey(c, wrongId)).toThrow(expect.objectContaining({ code: 'BAD_VKEY' }));
    const material = Buffer.from(key, 'base64');
    const otherIdentifier = Buffer.concat([
      Buffer.of(0xff),
      Buffer.from('hutong/sm2-sm9'),
      material.subarray(1 + SM2_NOTE_IDENTIFIER.length),
    ]);
    expect(() => parseSm2Vkey(c, `${name}+${id}+${otherIdentifier.toString('base64')}`)).toThrow(
      expect.objectContaining({ code: 'BAD_VKEY' }),
    );
    expect(() => formatSm2Vkey(c, origin, SM2_NOTE_IDENTIFIER, logSm2.publicKey.subarray(1))).toThrow(
      expect.objectContaining({ code: 'BAD_VKEY' }),
    );
    // A log key where a witness key belongs (and the other way round) is refused by the policy parser.
    const misplaced = `log ${formatSm2Vkey(c, origin, SM2_COSIGNATURE_IDENTIFIER, logSm2.publicKey)}\nquorum none\n`;
    expect(() => parsePolicy(c, misplaced)).toThrow(expect.objectContaining({ code: 'BAD_POLICY' }));
  });
});
