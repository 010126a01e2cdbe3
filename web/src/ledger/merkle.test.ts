// RFC 6962 test vectors (copied from vectors/tlog/rfc6962-standard.json, from transparency-dev/merkle) for
// the ledger core's Merkle code over the browser's SHA-256.
import { describe, expect, it } from 'vitest';
import { base64Encode, hexDecode as hexDecodeOrUndefined, hexEncode } from '../../../src/core/ledger/bytes';
import { LedgerError } from '../../../src/core/ledger/errors';
import { leafHash, nodeHash, rootFromInclusionProof } from '../../../src/core/ledger/merkle';
import { thrownCode } from '../../../src/core/thrown-code.test-helper';
import { browserLedgerCrypto as c } from './crypto';
import { parseCheckpoint, verifyEntryInclusion } from './merkle';

const hexDecode = (hex: string): Uint8Array => hexDecodeOrUndefined(hex)!;
const hashLeaf = (entry: Uint8Array) => leafHash(c, entry);
const hashChildren = (left: Uint8Array, right: Uint8Array) => nodeHash(c, left, right);

const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const LEAF_HASHES = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
  '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
  '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
  'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
  'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
  '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
];
const ROOT_8 = '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328';

const INCLUSION: { leafIndex: number; treeSize: number; proof: string[]; root: string }[] = [
  { leafIndex: 0, treeSize: 1, proof: [], root: LEAF_HASHES[0]! },
  {
    leafIndex: 0,
    treeSize: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
    root: ROOT_8,
  },
  {
    leafIndex: 5,
    treeSize: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
    root: ROOT_8,
  },
  {
    leafIndex: 2,
    treeSize: 3,
    proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'],
    root: 'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  },
  {
    leafIndex: 1,
    treeSize: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
    root: '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  },
];

const b64 = (hex: string) => base64Encode(hexDecode(hex));

describe('RFC 6962 hashing in the browser', () => {
  it('hashes leaves', () => {
    for (const [i, leaf] of LEAVES.entries()) {
      expect(hexEncode(hashLeaf(hexDecode(leaf)))).toBe(LEAF_HASHES[i]);
    }
    expect(hexEncode(hashLeaf(new TextEncoder().encode('L123456')))).toBe(
      '395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56',
    );
  });

  it('hashes children', () => {
    const enc = new TextEncoder();
    expect(hexEncode(hashChildren(enc.encode('N123'), enc.encode('N456')))).toBe(
      'aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb',
    );
  });

  it('folds inclusion proofs to the published roots', () => {
    for (const v of INCLUSION) {
      const root = rootFromInclusionProof(
        c,
        v.leafIndex,
        v.treeSize,
        hexDecode(LEAF_HASHES[v.leafIndex]!),
        v.proof.map(hexDecode),
      );
      expect(hexEncode(root), `leaf ${v.leafIndex} of ${v.treeSize}`).toBe(v.root);
    }
  });

  it('rejects proofs of the wrong shape', () => {
    const v = INCLUSION[2]!;
    const leaf = hexDecode(LEAF_HASHES[5]!);
    const fold = (index: number, proof: string[]) => () =>
      rootFromInclusionProof(c, index, 8, leaf, proof.map(hexDecode));
    expect(thrownCode(LedgerError, fold(8, []))).toBe('INDEX_OUT_OF_RANGE');
    expect(thrownCode(LedgerError, fold(5, v.proof.slice(0, 2)))).toBe('PROOF_WRONG_LENGTH');
    expect(thrownCode(LedgerError, fold(5, [...v.proof, v.proof[0]!]))).toBe('PROOF_WRONG_LENGTH');
  });
});

describe('verifyEntryInclusion', () => {
  const note = `example.org/log\n8\n${b64(ROOT_8)}\n\n— example.org/log AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n— example.org/witness/a AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n`;
  const checkpoint = parseCheckpoint(note);
  const entry = {
    index: 5,
    encoding: 'base64' as const,
    data: b64(LEAVES[5]!),
    leafHash: b64(LEAF_HASHES[5]!),
    treeSize: 8,
    inclusionProof: INCLUSION[2]!.proof.map(b64),
  };

  it('parses the checkpoint note', () => {
    expect(checkpoint).toMatchObject({ origin: 'example.org/log', size: 8, root: b64(ROOT_8) });
    expect(checkpoint.signatures.map((s) => s.name)).toEqual(['example.org/log', 'example.org/witness/a']);
  });

  it('verifies a good entry against the checkpoint root', () => {
    expect(verifyEntryInclusion(entry, checkpoint)).toMatchObject({ ok: true, root: b64(ROOT_8) });
  });

  it('reports a tampered entry, a wrong leaf hash and a wrong proof', () => {
    expect(verifyEntryInclusion({ ...entry, data: b64('40414244') }, checkpoint)).toMatchObject({
      ok: false,
      reason: 'leaf_mismatch',
    });
    const proof = [...entry.inclusionProof];
    proof[1] = b64(LEAF_HASHES[0]!);
    expect(verifyEntryInclusion({ ...entry, inclusionProof: proof }, checkpoint)).toMatchObject({
      ok: false,
      reason: 'root_mismatch',
    });
    expect(verifyEntryInclusion({ ...entry, inclusionProof: proof.slice(1) }, checkpoint)).toMatchObject({
      ok: false,
      reason: 'bad_proof',
    });
  });

  it('treats utf-8 entries as their UTF-8 bytes', () => {
    const one = parseCheckpoint(
      `o\n1\n${b64(LEAF_HASHES[4]!)}\n\n— o AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n`,
    );
    const utf8 = {
      index: 0,
      encoding: 'utf-8' as const,
      data: '01',
      leafHash: b64(LEAF_HASHES[4]!),
      treeSize: 1,
      inclusionProof: [],
    };
    expect(verifyEntryInclusion(utf8, one)).toMatchObject({ ok: true });
  });
});
