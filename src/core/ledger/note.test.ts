import { describe, expect, it } from 'vitest';
import { thrownCode } from '../thrown-code.test-helper';
import { LedgerError } from './errors';
import { formatNote, isValidKeyName, parseNote, parseSignatureLine, parseSkey } from './note';

const code = (run: () => unknown) => thrownCode(LedgerError, run);

// The signed-note spec's example note (Quasimodo).
const SPEC_NOTE =
  'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n' +
  '— quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n';

describe('signed-note syntax', () => {
  it('splits the spec example at the last blank line', () => {
    const n = parseNote(SPEC_NOTE);
    expect(n.text).toBe('Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n');
    expect(n.signatures).toHaveLength(1);
    expect(n.signatures[0]!.name).toBe('quasimodo.example/salvatore');
    expect(n.signatures[0]!.keyId).toBe(0x367ba04b);
    expect(n.signatures[0]!.signature).toHaveLength(64);
    expect(formatNote(n.text, n.signatures)).toBe(SPEC_NOTE);
  });

  it('parses from bytes, rejecting invalid UTF-8', () => {
    expect(parseNote(new TextEncoder().encode(SPEC_NOTE)).text).toContain('subito sera');
    const bytes = new TextEncoder().encode(SPEC_NOTE);
    bytes[3] = 0xff;
    expect(code(() => parseNote(bytes))).toBe('BAD_NOTE');
  });

  it('allows DEL but no other control characters (only those below U+0020 are forbidden)', () => {
    expect(parseNote('a\u007fb\n\n— a AAAAAAA=\n').text).toBe('a\u007fb\n');
    expect(code(() => parseNote('a\u0000b\n\n— a AAAAAAA=\n'))).toBe('BAD_NOTE');
  });

  it('validates key names', () => {
    for (const ok of ['a', 'example.com/log42', 'oid/1.3.6.1', 'ünïcode']) expect(isValidKeyName(ok), ok).toBe(true);
    for (const bad of ['', 'a b', 'a+b', 'a\tb', 'a\u00a0b', 'a\u2003b', 'a\u3000b', 'a\u0085b']) {
      expect(isValidKeyName(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it.each([
    ['hyphen instead of em dash', '- a AAAAAAA='],
    ['em dash without space', '—a AAAAAAA='],
    ['no signature', '— a'],
    ['empty signature', '— a '],
    ['too short for a key ID and signature', '— a AAAAAA=='],
    ['not base64', '— a AAAAAAA'],
    ['two spaces', '— a  AAAAAAA='],
    ['plus in name', '— a+b AAAAAAA='],
  ])('rejects a signature line with %s', (_why, line) => {
    expect(code(() => parseSignatureLine(line))).toBe('BAD_NOTE');
  });

  it('parses Go private keys', () => {
    const k = parseSkey('PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz');
    expect(k.name).toBe('PeterNeumann');
    expect(k.keyId).toBe(0xc74f20a3);
    expect(k.secret).toHaveLength(32);
    for (const bad of [
      'PRIVATE+KEY+PeterNeumann+c74f20a3',
      'PUBLIC+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz',
      'PRIVATE+KEY+PeterNeumann+c74f20a+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz',
      'PRIVATE+KEY+PeterNeumann+c74f20a3+AoEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz',
    ]) {
      expect(
        code(() => parseSkey(bad)),
        bad,
      ).toBe('BAD_SKEY');
    }
  });
});
