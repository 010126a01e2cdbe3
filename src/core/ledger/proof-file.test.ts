import { describe, expect, it } from 'vitest';
import { thrownCode } from '../thrown-code.test-helper';
import { LedgerError } from './errors';
import { formatTlogProof, parseTlogProof } from './proof-file';

const code = (run: () => unknown) => thrownCode(LedgerError, run);

// Structure of the c2sp.org/tlog-proof example (signatures shortened to valid base64 placeholders).
const CHECKPOINT =
  'example.com/fancylog\n109482\nsFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=\n\n— example.com/fancylog AAAAAAA=\n';
const HASHES = [
  'gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=',
  'B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=',
  'EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=',
];
const FILE = `c2sp.org/tlog-proof@v1\nindex 73894\n${HASHES.join('\n')}\n\n${CHECKPOINT}`;

describe('tlog-proof file format', () => {
  it('parses and re-formats the spec layout', () => {
    const p = parseTlogProof(FILE);
    expect(p.index).toBe(73894);
    expect(p.path).toHaveLength(3);
    expect(p.extra).toBeUndefined();
    expect(p.checkpoint).toBe(CHECKPOINT);
    expect(formatTlogProof(p)).toBe(FILE);
  });

  it('accepts an empty path and extra data', () => {
    const file = `c2sp.org/tlog-proof@v1\nextra AQID\nindex 0\n\n${CHECKPOINT}`;
    const p = parseTlogProof(file);
    expect(p.path).toEqual([]);
    expect(p.extra).toEqual(Uint8Array.of(1, 2, 3));
    expect(formatTlogProof(p)).toBe(file);
  });

  it.each([
    ['wrong header', FILE.replace('@v1', '@v2')],
    ['missing index', FILE.replace('index 73894\n', '')],
    ['leading zero index', FILE.replace('index 73894', 'index 073894')],
    ['negative index', FILE.replace('index 73894', 'index -1')],
    ['extra after index', FILE.replace('index 73894\n', 'index 73894\nextra AQID\n')],
    ['bad extra', FILE.replace('index', 'extra !!\nindex')],
    ['short hash', FILE.replace(HASHES[0]!, 'AAAA')],
    ['bad base64 hash', FILE.replace(HASHES[0]!, HASHES[0]!.replace('=', ''))],
    ['no blank line', FILE.replace('\n\nexample.com', '\nexample.com')],
    ['no checkpoint', `c2sp.org/tlog-proof@v1\nindex 1\n\n`],
    ['truncated', 'c2sp.org/tlog-proof@v1\nindex 1'],
    ['too many hashes', `c2sp.org/tlog-proof@v1\nindex 1\n${`${HASHES[0]}\n`.repeat(64)}\n${CHECKPOINT}`],
  ])('rejects %s', (_why, text) => {
    expect(code(() => parseTlogProof(text))).toBe('BAD_PROOF_FILE');
  });
});
