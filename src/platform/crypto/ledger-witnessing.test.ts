/**
 * tlog-policy, tlog-proof and tlog-witness rules end to end with real keys: a log signs checkpoints,
 * witnesses cosign them through decideAddCheckpoint, and offline proofs are checked against a policy.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { thrownCode } from '../../core/thrown-code.test-helper';
import { base64Encode, utf8 } from '../../core/ledger/bytes';
import { type Checkpoint, formatCheckpoint, signCheckpoint } from '../../core/ledger/checkpoint';
import { cosign, cosignatureVerifier, cosignatureVkey } from '../../core/ledger/cosignature';
import { LedgerError } from '../../core/ledger/errors';
import { emptyRoot, leafHash } from '../../core/ledger/merkle';
import { ed25519NoteSigner, ed25519NoteVerifier, ed25519Vkey, openNote, parseNote } from '../../core/ledger/note';
import { formatPolicy, parsePolicy, quorumSatisfied, verifyCheckpointWithPolicy } from '../../core/ledger/policy';
import { formatTlogProof, parseTlogProof, verifyTlogProof } from '../../core/ledger/proof-file';
import { consistencyProof, inclusionProof, MemoryHashStore, treeRoot } from '../../core/ledger/stored-hashes';
import {
  addSignatures,
  decideAddCheckpoint,
  formatAddCheckpointRequest,
  handleAddCheckpoint,
  openWitnessResponse,
  parseAddCheckpointRequest,
  type WitnessLogState,
} from '../../core/ledger/witness-rules';
import { ed25519SignerFromSeed, nodeLedgerCrypto as c } from './ledger-crypto';

const ORIGIN = 'audit.example.gov/ledger1';
const logKey = ed25519SignerFromSeed(new Uint8Array(32).fill(1));
const logSigner = ed25519NoteSigner(c, ORIGIN, logKey);
const logVkey = ed25519Vkey(c, ORIGIN, logKey.publicKey);
const otherLog = ed25519SignerFromSeed(new Uint8Array(32).fill(2));

const witnessKeys = [3, 4, 5, 6].map((b) => ed25519SignerFromSeed(new Uint8Array(32).fill(b)));
const witnessNames = [
  'w1.dept-a.example.gov',
  'w2.dept-a.example.gov',
  'w1.dept-b.example.gov',
  'w2.dept-b.example.gov',
];
const witnessVkeys = witnessKeys.map((k, i) => cosignatureVkey(c, witnessNames[i]!, k.publicKey));

const POLICY = `# audit ledger trust policy
log ${logVkey} https://ledger.example.gov/

witness A1 ${witnessVkeys[0]}
witness A2 ${witnessVkeys[1]}\thttps://w2.dept-a.example.gov/
  witness B1 ${witnessVkeys[2]}
witness B2 ${witnessVkeys[3]}
group A any A1 A2
group B 2 B1 B2
group A-and-B all A B
quorum A-and-B
`;

const code = (run: () => unknown) => thrownCode(LedgerError, run);

const store = new MemoryHashStore(c);
const entries = Array.from({ length: 20 }, (_, i) => utf8(`entry ${i}`));
const checkpointAt = async (size: number): Promise<Checkpoint> => ({
  origin: ORIGIN,
  size,
  root: await treeRoot(c, size, store),
  extensions: [],
});

beforeAll(async () => {
  for (const e of entries) await store.append(leafHash(c, e));
});

function cosignWith(note: string, witnesses: number[], ts = 1_700_000_000): string {
  const text = parseNote(note).text;
  return note + witnesses.map((i) => cosign(c, witnessNames[i]!, witnessKeys[i]!, text, ts).line).join('');
}

describe('tlog-policy parsing', () => {
  it('parses the spec structure, comments, tabs and indentation', () => {
    const p = parsePolicy(c, POLICY);
    expect(p.logs).toHaveLength(1);
    expect(p.logs[0]!.url).toBe('https://ledger.example.gov/');
    expect(p.witnesses.map((w) => w.name)).toEqual(['A1', 'A2', 'B1', 'B2']);
    expect(p.witnesses[1]!.url).toBe('https://w2.dept-a.example.gov/');
    expect(p.groups.map((g) => [g.name, g.threshold])).toEqual([
      ['A', 1],
      ['B', 2],
      ['A-and-B', 2],
    ]);
    expect(p.quorum).toBe('A-and-B');
    expect(parsePolicy(c, formatPolicy(p))).toEqual(p);
  });

  it('evaluates nested quorums', () => {
    const p = parsePolicy(c, POLICY);
    expect(quorumSatisfied(p, new Set(['A1', 'B1', 'B2']))).toBe(true);
    expect(quorumSatisfied(p, new Set(['A2', 'B1', 'B2']))).toBe(true);
    expect(quorumSatisfied(p, new Set(['A1', 'A2', 'B1']))).toBe(false);
    expect(quorumSatisfied(p, new Set(['B1', 'B2']))).toBe(false);
    expect(quorumSatisfied(p, new Set(['A-and-B']))).toBe(false);
    expect(quorumSatisfied(parsePolicy(c, `log ${logVkey}\nquorum none\n`), new Set())).toBe(true);
    expect(quorumSatisfied(parsePolicy(c, `witness X ${witnessVkeys[0]}\nquorum X`), new Set(['X']))).toBe(true);
  });

  const w = (i: number) => witnessVkeys[i]!;
  it.each([
    ['no quorum', `log ${logVkey}\n`],
    ['two quorums', `quorum none\nquorum none\n`],
    ['unknown keyword', `logs ${logVkey}\nquorum none\n`],
    ['forward reference', `group G any X\nwitness X ${w(0)}\nquorum G\n`],
    ['quorum before definition', `quorum X\nwitness X ${w(0)}\n`],
    ['undefined quorum', `quorum X\n`],
    ['threshold above n', `witness X ${w(0)}\ngroup G 2 X\nquorum G\n`],
    ['threshold zero', `witness X ${w(0)}\ngroup G 0 X\nquorum G\n`],
    ['threshold with leading zero', `witness X ${w(0)}\nwitness Y ${w(1)}\ngroup G 01 X Y\nquorum G\n`],
    ['empty group', `group G any\nquorum none\n`],
    ['none as member', `witness X ${w(0)}\ngroup G any X none\nquorum G\n`],
    ['none as a name', `witness none ${w(0)}\nquorum none\n`],
    ['member listed twice', `witness X ${w(0)}\ngroup G all X X\nquorum G\n`],
    ['member in two groups', `witness X ${w(0)}\ngroup G any X\ngroup H any X\nquorum G\n`],
    ['duplicate name', `witness X ${w(0)}\nwitness X ${w(1)}\nquorum X\n`],
    ['duplicate witness key', `witness X ${w(0)}\nwitness Y ${w(0)}\nquorum X\n`],
    ['duplicate log key', `log ${logVkey}\nlog ${logVkey}\nquorum none\n`],
    ['log key as witness', `witness X ${logVkey}\nquorum X\n`],
    ['witness key as log', `log ${w(0)}\nquorum none\n`],
    ['bad vkey', `log ${logVkey.slice(0, -2)}AA\nquorum none\n`],
    ['control character', `log ${logVkey}\r\nquorum none\n`],
    ['extra arguments', `witness X ${w(0)} https://x/ extra\nquorum X\n`],
  ])('rejects: %s', (_why, text) => {
    expect(code(() => parsePolicy(c, text))).toBe('BAD_POLICY');
  });
});

describe('checkpoint verification against a policy', () => {
  it('accepts a log-signed checkpoint whose cosignatures meet the quorum', async () => {
    const note = signCheckpoint(await checkpointAt(20), [logSigner]);
    const p = parsePolicy(c, POLICY);
    const v = verifyCheckpointWithPolicy(c, p, cosignWith(note, [1, 2, 3]), ORIGIN);
    expect([...v.witnesses].sort()).toEqual(['A2', 'B1', 'B2']);
    expect(v.checkpoint.size).toBe(20);
  });

  it('refuses too few cosignatures, other logs, and missing log signatures', async () => {
    const p = parsePolicy(c, POLICY);
    const cp = await checkpointAt(20);
    const note = signCheckpoint(cp, [logSigner]);
    expect(code(() => verifyCheckpointWithPolicy(c, p, cosignWith(note, [0, 2])))).toBe('QUORUM_NOT_MET');
    const forged = signCheckpoint(cp, [ed25519NoteSigner(c, ORIGIN, otherLog)]);
    expect(code(() => verifyCheckpointWithPolicy(c, p, cosignWith(forged, [0, 2, 3])))).toBe('NO_VERIFIED_SIGNATURE');
    const elsewhere = signCheckpoint({ ...cp, origin: 'other.example/log' }, [logSigner]);
    expect(code(() => verifyCheckpointWithPolicy(c, p, elsewhere))).toBe('UNKNOWN_KEY');
    expect(code(() => verifyCheckpointWithPolicy(c, p, note, 'other.example/log'))).toBe('BAD_CHECKPOINT');
  });
});

describe('tlog-proof files', () => {
  it('round-trips the format, with and without extra data', async () => {
    const note = signCheckpoint(await checkpointAt(20), [logSigner]);
    const path = await inclusionProof(c, 7, 20, store);
    const text = formatTlogProof({ index: 7, path, checkpoint: note, extra: utf8('vrf') });
    expect(text.startsWith(`c2sp.org/tlog-proof@v1\nextra ${base64Encode(utf8('vrf'))}\nindex 7\n`)).toBe(true);
    expect(text.endsWith(`\n\n${note}`)).toBe(true);
    expect(parseTlogProof(text)).toEqual({ index: 7, path, checkpoint: note, extra: utf8('vrf') });
    expect(parseTlogProof(formatTlogProof({ index: 7, path, checkpoint: note }))).toEqual({
      index: 7,
      path,
      checkpoint: note,
    });
  });

  it('verifies offline against the policy, and only for the right entry', async () => {
    const note = cosignWith(signCheckpoint(await checkpointAt(20), [logSigner]), [0, 2, 3]);
    const p = parsePolicy(c, POLICY);
    const file = formatTlogProof({ index: 7, path: await inclusionProof(c, 7, 20, store), checkpoint: note });
    expect(verifyTlogProof(c, utf8(file), leafHash(c, entries[7]!), ORIGIN, p).index).toBe(7);
    expect(code(() => verifyTlogProof(c, file, leafHash(c, entries[8]!), ORIGIN, p))).toBe('ROOT_MISMATCH');
    const uncosigned = formatTlogProof({
      index: 7,
      path: await inclusionProof(c, 7, 20, store),
      checkpoint: signCheckpoint(await checkpointAt(20), [logSigner]),
    });
    expect(code(() => verifyTlogProof(c, uncosigned, leafHash(c, entries[7]!), ORIGIN, p))).toBe('QUORUM_NOT_MET');
  });
});

describe('tlog-witness add-checkpoint rules', () => {
  const verifiers = [ed25519NoteVerifier(c, logVkey)];
  const hashLines = (proof: readonly Uint8Array[]) => proof.map((h) => `${base64Encode(h)}\n`).join('');
  const body = async (old: number, size: number, proof?: readonly Uint8Array[]) =>
    `old ${old}\n${hashLines(proof ?? (old > 0 && old < size ? await consistencyProof(c, old, size, store) : []))}\n${signCheckpoint(await checkpointAt(size), [logSigner])}`;
  const stateAt = async (size: number): Promise<WitnessLogState> => ({ size, root: await treeRoot(c, size, store) });
  const decide = async (text: string, state: WitnessLogState | undefined) =>
    handleAddCheckpoint(c, text, (origin) => (origin === ORIGIN ? { verifiers, state } : undefined));

  it('cosigns the first checkpoint from old size 0', async () => {
    const d = await decide(await body(0, 5), undefined);
    expect(d.status).toBe(200);
    if (d.status !== 200) return;
    expect(d.newState).toEqual(await stateAt(5));
    expect(d.checkpointText).toBe(formatCheckpoint(await checkpointAt(5)));
  });

  it('cosigns a consistent extension of the stored checkpoint', async () => {
    expect((await decide(await body(5, 13), await stateAt(5))).status).toBe(200);
    expect((await decide(await body(13, 13), await stateAt(13))).status).toBe(200);
  });

  it('answers 404 for an unknown origin', async () => {
    const text = `old 0\n\n${signCheckpoint({ ...(await checkpointAt(5)), origin: 'x.example/log' }, [logSigner])}`;
    expect((await decide(text, undefined)).status).toBe(404);
  });

  it('answers 403 when no trusted log signature verifies', async () => {
    const text = `old 0\n\n${signCheckpoint(await checkpointAt(5), [ed25519NoteSigner(c, ORIGIN, otherLog)])}`;
    expect((await decide(text, undefined)).status).toBe(403);
  });

  it('answers 403 when a second line from the log key fails, even after a good one (signed-note MUST)', async () => {
    const good = signCheckpoint(await checkpointAt(5), [logSigner]);
    const goodLine = good.slice(good.lastIndexOf('\n\n') + 2);
    // The same key name and ID, another checkpoint's signature: valid base64, wrong for this text.
    const other = signCheckpoint(await checkpointAt(6), [logSigner]);
    const badLine = other.slice(other.lastIndexOf('\n\n') + 2);
    expect(badLine).not.toBe(goodLine);
    expect((await decide(`old 0\n\n${good}`, undefined)).status).toBe(200);
    expect((await decide(`old 0\n\n${good}${badLine}`, undefined)).status).toBe(403);
    expect((await decide(`old 0\n\n${good.replace(goodLine, badLine)}${goodLine}`, undefined)).status).toBe(403);
    expect(code(() => openNote(`${good}${badLine}`, verifiers))).toBe('BAD_SIGNATURE');
    // A repeated identical good line is verified again and passes.
    expect(code(() => openNote(`${good}${goodLine}`, verifiers))).toBe('ok');
  });

  it('answers 400 when old size exceeds the checkpoint size, or the body is malformed', async () => {
    expect((await decide(await body(9, 5, []), await stateAt(9))).status).toBe(400);
    const good = await body(5, 13);
    for (const bad of [
      '',
      good.replace('old 5', 'old 05'),
      good.replace('old 5', 'old  5'),
      good.replace('old 5', 'new 5'),
      good.replace(/\n\n/, '\n'),
      `old 5\n${'AAAA\n'}\n${signCheckpoint(await checkpointAt(13), [logSigner])}`,
      `old 5\n${hashLines(Array.from({ length: 64 }, () => new Uint8Array(32)))}\n${signCheckpoint(await checkpointAt(13), [logSigner])}`,
      `old 5\n\nnot a checkpoint\n`,
    ]) {
      expect((await decide(bad, await stateAt(5))).status, JSON.stringify(bad.slice(0, 40))).toBe(400);
    }
    expect(code(() => parseAddCheckpointRequest('old 1\n'))).toBe('BAD_WITNESS_REQUEST');
  });

  it('answers 409 with the stored size when old size is stale', async () => {
    const d = await decide(await body(5, 13), await stateAt(8));
    expect(d).toMatchObject({ status: 409, body: '8\n', contentType: 'text/x.tlog.size' });
    expect(await decide(await body(5, 13), undefined)).toMatchObject({ status: 409, body: '0\n' });
  });

  it('answers 422 for a different root at the stored size (a fork; C2SP #280, was 409 in v1.0.0)', async () => {
    const forkRoot = leafHash(c, utf8('fork'));
    const forked = signCheckpoint({ origin: ORIGIN, size: 13, root: forkRoot, extensions: [] }, [logSigner]);
    const decision = await decide(`old 13\n\n${forked}`, await stateAt(13));
    expect(decision).toMatchObject({ status: 422 });
    expect(decision).not.toHaveProperty('newState');
  });

  it('answers 422 for a proof that does not verify', async () => {
    const proof = await consistencyProof(c, 5, 13, store);
    const broken = proof.map((h, i) => (i === 0 ? leafHash(c, h) : h));
    expect((await decide(await body(5, 13, broken), await stateAt(5))).status).toBe(422);
    expect((await decide(await body(5, 13, proof.slice(1)), await stateAt(5))).status).toBe(422);
    expect((await decide(await body(0, 13, proof), undefined)).status).toBe(422);
    // A checkpoint at a size the log never had: the proof cannot link it to the stored root.
    const wrongRoot = signCheckpoint({ origin: ORIGIN, size: 13, root: await treeRoot(c, 12, store), extensions: [] }, [
      logSigner,
    ]);
    expect((await decide(`old 5\n${hashLines(proof)}\n${wrongRoot}`, await stateAt(5))).status).toBe(422);
  });

  it('decides from a parsed request directly', async () => {
    const req = parseAddCheckpointRequest(utf8(await body(5, 13)));
    expect(req.oldSize).toBe(5);
    expect(decideAddCheckpoint(c, req, verifiers, await stateAt(5)).status).toBe(200);
    expect(decideAddCheckpoint(c, req, undefined, undefined).status).toBe(404);
  });

  it('refuses an empty-tree checkpoint whose root is not MTH({})', async () => {
    const bogus = signCheckpoint({ origin: ORIGIN, size: 0, root: leafHash(c, utf8('x')), extensions: [] }, [
      logSigner,
    ]);
    expect((await decide(`old 0\n\n${bogus}`, undefined)).status).toBe(422);
    const empty = signCheckpoint({ origin: ORIGIN, size: 0, root: emptyRoot(c), extensions: [] }, [logSigner]);
    expect((await decide(`old 0\n\n${empty}`, undefined)).status).toBe(200);
  });

  it('round-trips log → witnesses → cosigned checkpoint that satisfies the policy', async () => {
    const p = parsePolicy(c, POLICY);
    let note = signCheckpoint(await checkpointAt(13), [logSigner]);
    const proof = await consistencyProof(c, 5, 13, store);
    const root5 = await treeRoot(c, 5, store);
    for (const i of [0, 2, 3]) {
      const body = formatAddCheckpointRequest(5, proof, note);
      const ok = handleAddCheckpoint(c, body, () => ({ verifiers, state: { size: 5, root: root5 } }));
      expect(ok.status).toBe(200);
      if (ok.status !== 200) return;
      const response = cosign(c, witnessNames[i]!, witnessKeys[i]!, ok.checkpointText, 1_700_000_000 + i).line;
      const cosigs = openWitnessResponse(note, response, [cosignatureVerifier(c, witnessVkeys[i]!)]);
      expect(cosigs).toHaveLength(1);
      note = addSignatures(note, cosigs);
    }
    expect(parseNote(note).signatures).toHaveLength(4);
    expect(addSignatures(note, parseNote(note).signatures)).toBe(note);
    expect(verifyCheckpointWithPolicy(c, p, note, ORIGIN).witnesses).toHaveLength(3);
    expect(code(() => openWitnessResponse(note, 'garbage', []))).toBe('BAD_WITNESS_REQUEST');
    expect(code(() => formatAddCheckpointRequest(5, [new Uint8Array(31)], note))).toBe('BAD_WITNESS_REQUEST');
  });
});
