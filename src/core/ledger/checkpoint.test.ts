import { describe, expect, it } from 'vitest';
import { thrownCode } from '../thrown-code.test-helper';
import { base64Encode } from './bytes';
import { formatCheckpoint, parseCheckpoint } from './checkpoint';
import { LedgerError } from './errors';

const code = (run: () => unknown) => thrownCode(LedgerError, run);

// The tlog-checkpoint spec example.
const SPEC_TEXT = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const ROOT_B64 = 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=';

describe('tlog-checkpoint text', () => {
  it('parses the spec example', () => {
    const cp = parseCheckpoint(SPEC_TEXT);
    expect(cp.origin).toBe('example.com/behind-the-sofa');
    expect(cp.size).toBe(20852163);
    expect(base64Encode(cp.root)).toBe(ROOT_B64);
    expect(cp.extensions).toEqual([]);
    expect(formatCheckpoint(cp)).toBe(SPEC_TEXT);
  });

  it('keeps extension lines and the empty tree', () => {
    const text = `log.example/a\n0\n${ROOT_B64}\next one\nα β\n`;
    const cp = parseCheckpoint(text);
    expect(cp.size).toBe(0);
    expect(cp.extensions).toEqual(['ext one', 'α β']);
    expect(formatCheckpoint(cp)).toBe(text);
  });

  it.each([
    ['no final newline', `o\n1\n${ROOT_B64}`],
    ['too few lines', `o\n1\n`],
    ['empty origin', `\n1\n${ROOT_B64}\n`],
    ['leading zero', `o\n01\n${ROOT_B64}\n`],
    ['signed size', `o\n+1\n${ROOT_B64}\n`],
    ['size with space', `o\n1 \n${ROOT_B64}\n`],
    ['size beyond 2^53', `o\n9007199254740993\n${ROOT_B64}\n`],
    ['hex size', `o\n0x10\n${ROOT_B64}\n`],
    ['short root', `o\n1\nAAAA\n`],
    ['unpadded root', `o\n1\n${ROOT_B64.slice(0, -1)}\n`],
    ['base64url root', `o\n1\n${ROOT_B64.replace('/', '_')}\n`],
    ['empty extension line', `o\n1\n${ROOT_B64}\n\n`],
  ])('rejects %s', (_why, text) => {
    expect(code(() => parseCheckpoint(text))).toBe('BAD_CHECKPOINT');
  });

  it('refuses to format invalid checkpoints', () => {
    const cp = parseCheckpoint(SPEC_TEXT);
    expect(code(() => formatCheckpoint({ ...cp, origin: 'a\nb' }))).toBe('BAD_CHECKPOINT');
    expect(code(() => formatCheckpoint({ ...cp, root: new Uint8Array(31) }))).toBe('BAD_CHECKPOINT');
    expect(code(() => formatCheckpoint({ ...cp, extensions: [''] }))).toBe('BAD_CHECKPOINT');
    expect(code(() => formatCheckpoint({ ...cp, size: -1 }))).toBe('BAD_NUMBER');
  });
});
