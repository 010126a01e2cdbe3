/**
 * Runs the ledger Merkle verifiers against transparency-dev/merkle testdata and the RFC 6962 standard
 * vectors (in vectors/tlog at the repository root; override with LEDGER_VECTORS_DIR). Every file must be
 * accounted for: happy paths must verify and every `wantErr` case must throw a LedgerError.
 */
import { fileURLToPath } from 'node:url';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { base64Decode, hexDecode } from '../../core/ledger/bytes';
import { LedgerError } from '../../core/ledger/errors';
import {
  emptyRoot,
  leafHash,
  nodeHash,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
  verifySubtreeConsistency,
  verifySubtreeInclusion,
} from '../../core/ledger/merkle';
import { nodeLedgerCrypto as c } from './ledger-crypto';

const VECTORS = process.env['LEDGER_VECTORS_DIR'] ?? fileURLToPath(new URL('../../../vectors/tlog', import.meta.url));
const MERKLE = join(VECTORS, 'transparency-dev-merkle');

// JSON numbers above 2^53 (e.g. "invalid large subtree") would silently round in JSON.parse; keep them as
// unsafe numbers so the verifier's own range check is what rejects them.
const BIG = 'bignum:';
function readJson(path: string): Record<string, unknown> {
  const text = readFileSync(path, 'utf8').replace(/:\s*(\d{16,})/g, (_m, digits: string) => `: "${BIG}${digits}"`);
  return JSON.parse(text, (_k, v) => (typeof v === 'string' && v.startsWith(BIG) ? Number(v.slice(BIG.length)) : v));
}

function files(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? files(p) : name.endsWith('.json') ? [p] : [];
    })
    .sort();
}

function b64(v: unknown): Uint8Array {
  return base64Decode(typeof v === 'string' ? v : '');
}

function b64list(v: unknown): Uint8Array[] {
  return Array.isArray(v) ? v.map(b64) : [];
}

function hex(v: string): Uint8Array {
  const out = hexDecode(v);
  if (!out) throw new Error(`bad hex in vector: ${v}`);
  return out;
}

function outcome(run: () => void): 'ok' | 'error' {
  try {
    run();
    return 'ok';
  } catch (e) {
    // Anything other than a coded rejection (a TypeError from a malformed proof, say) is a bug.
    if (!(e instanceof LedgerError)) throw e;
    return 'error';
  }
}

type Kind = 'inclusion' | 'consistency' | 'subtreeinclusion' | 'subtreeconsistency';

const runners: Record<Kind, (v: Record<string, unknown>) => void> = {
  inclusion: (v) =>
    verifyInclusion(
      c,
      v['leafIdx'] as number,
      v['treeSize'] as number,
      b64(v['leafHash']),
      b64list(v['proof']),
      b64(v['root']),
    ),
  consistency: (v) =>
    verifyConsistency(
      c,
      v['size1'] as number,
      v['size2'] as number,
      b64list(v['proof']),
      b64(v['root1']),
      b64(v['root2']),
    ),
  subtreeinclusion: (v) =>
    verifySubtreeInclusion(
      c,
      v['leafIdx'] as number,
      v['start'] as number,
      v['end'] as number,
      b64(v['leafHash']),
      b64list(v['proof']),
      b64(v['root']),
    ),
  subtreeconsistency: (v) =>
    verifySubtreeConsistency(
      c,
      v['start'] as number,
      v['end'] as number,
      v['size'] as number,
      b64list(v['proof']),
      b64(v['root1']),
      b64(v['root2']),
    ),
};

describe('transparency-dev/merkle testdata', () => {
  it('is present', () => {
    expect(existsSync(MERKLE), `vectors missing at ${MERKLE}`).toBe(true);
  });

  for (const kind of Object.keys(runners) as Kind[]) {
    const paths = existsSync(join(MERKLE, kind)) ? files(join(MERKLE, kind)) : [];
    describe(kind, () => {
      it('has vectors', () => expect(paths.length).toBeGreaterThan(0));
      for (const path of paths) {
        const v = readJson(path);
        const want = v['wantErr'] === true ? 'error' : 'ok';
        it(`${relative(MERKLE, path)} → ${want}`, () => {
          expect(outcome(() => runners[kind](v))).toBe(want);
        });
      }
    });
  }
});

describe('RFC 6962 standard vectors (rfc6962-standard.json)', () => {
  const std = readJson(join(VECTORS, 'rfc6962-standard.json')) as {
    hasher: Record<string, string>;
    leavesHex: string[];
    leafHashes: string[];
    roots: string[];
    nodeHashes: { level1: string[]; level2: string[] };
    inclusion: { leafIndex: number; treeSize: number; proof: string[]; root: string; leafHash: string }[];
    consistency: { size1: number; size2: number; proof: string[]; root1: string; root2: string }[];
  };
  const ascii = (s: string) => new TextEncoder().encode(s);

  it('hasher constants', () => {
    expect(emptyRoot(c)).toEqual(hex(std.hasher['emptyRoot']!));
    expect(leafHash(c, new Uint8Array())).toEqual(hex(std.hasher['emptyLeaf_HashLeaf_empty']!));
    expect(leafHash(c, ascii('L123456'))).toEqual(hex(std.hasher['HashLeaf_ascii_L123456']!));
    expect(nodeHash(c, ascii('N123'), ascii('N456'))).toEqual(hex(std.hasher['HashChildren_ascii_N123_N456']!));
  });

  it('leaf hashes', () => {
    expect(std.leavesHex.map((l) => leafHash(c, hex(l)))).toEqual(std.leafHashes.map(hex));
  });

  it('roots for sizes 0..8', () => {
    const leaves = std.leafHashes.map(hex);
    expect(std.roots.map((_, n) => rootFromLeafHashes(c, leaves.slice(0, n)))).toEqual(std.roots.map(hex));
  });

  it('interior node hashes', () => {
    const leaves = std.leafHashes.map(hex);
    const level = (width: number, count: number) =>
      Array.from({ length: count }, (_, i) => rootFromLeafHashes(c, leaves.slice(width * i, width * (i + 1))));
    expect(level(2, std.nodeHashes.level1.length)).toEqual(std.nodeHashes.level1.map(hex));
    expect(level(4, std.nodeHashes.level2.length)).toEqual(std.nodeHashes.level2.map(hex));
  });

  it('sample inclusion proofs verify', () => {
    for (const p of std.inclusion) {
      verifyInclusion(c, p.leafIndex, p.treeSize, hex(p.leafHash), p.proof.map(hex), hex(p.root));
    }
  });

  it('sample consistency proofs verify', () => {
    expect(std.consistency.length).toBeGreaterThan(0);
    for (const p of std.consistency) {
      verifyConsistency(c, p.size1, p.size2, p.proof.map(hex), hex(p.root1), hex(p.root2));
    }
  });
});

describe('rejection codes (RFC 9162 §2.1.3.2, §2.1.4.2)', () => {
  const std = readJson(join(VECTORS, 'rfc6962-standard.json')) as {
    roots: string[];
    inclusion: { leafIndex: number; treeSize: number; proof: string[]; root: string; leafHash: string }[];
    consistency: { size1: number; size2: number; proof: string[]; root1: string; root2: string }[];
  };
  const inc = std.inclusion.find((p) => p.proof.length >= 2)!;
  const con = std.consistency.find((p) => p.proof.length >= 2)!;
  const codeOf = (run: () => void) => {
    try {
      run();
      return 'ok';
    } catch (e) {
      if (e instanceof LedgerError) return e.code;
      throw e;
    }
  };
  const incl = (proof: Uint8Array[], leaf = hex(inc.leafHash), index = inc.leafIndex) =>
    codeOf(() => verifyInclusion(c, index, inc.treeSize, leaf, proof, hex(inc.root)));
  const cons = (proof: Uint8Array[]) =>
    codeOf(() => verifyConsistency(c, con.size1, con.size2, proof, hex(con.root1), hex(con.root2)));
  const proofI = inc.proof.map(hex);
  const proofC = con.proof.map(hex);

  it('names what is wrong with an inclusion proof', () => {
    expect(incl(proofI)).toBe('ok');
    expect(incl([...proofI, proofI[0]!])).toBe('PROOF_WRONG_LENGTH');
    expect(incl(proofI.slice(1))).toBe('PROOF_WRONG_LENGTH');
    expect(incl([...proofI.slice(1), new Uint8Array(31)])).toBe('BAD_HASH_LENGTH');
    expect(incl(proofI, new Uint8Array(33))).toBe('BAD_HASH_LENGTH');
    expect(incl(proofI, hex(inc.leafHash), inc.treeSize)).toBe('INDEX_OUT_OF_RANGE');
    expect(incl([...proofI].reverse())).toBe('ROOT_MISMATCH');
  });

  it('names what is wrong with a consistency proof', () => {
    expect(cons(proofC)).toBe('ok');
    expect(cons([...proofC, proofC[0]!])).toBe('PROOF_WRONG_LENGTH');
    expect(cons(proofC.slice(0, -1))).toBe('PROOF_WRONG_LENGTH');
    expect(cons([])).toBe('PROOF_WRONG_LENGTH');
    expect(cons([...proofC.slice(1), new Uint8Array(0)])).toBe('BAD_HASH_LENGTH');
    expect(cons([...proofC].reverse())).toBe('ROOT_MISMATCH');
    expect(codeOf(() => verifyConsistency(c, 0, 3, [], emptyRoot(c), hex(std.roots[3]!)))).toBe('BAD_RANGE');
    expect(codeOf(() => verifyConsistency(c, 4, 3, [], hex(std.roots[4]!), hex(std.roots[3]!)))).toBe('BAD_RANGE');
    expect(codeOf(() => verifyConsistency(c, 2 ** 53, 2 ** 53, [], emptyRoot(c), emptyRoot(c)))).toBe('BAD_NUMBER');
  });
});
