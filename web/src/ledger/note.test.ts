// Signed-note checks in the browser (the ledger core over ./crypto), on vectors copied from vectors/tlog/signed-note-checkpoint.json
// (C2SP's own example, Go's sumdb/note test, and a log checkpoint with a witness cosignature).
import { describe, expect, it } from 'vitest';
import { LedgerError } from '../../../src/core/ledger/errors';
import { parseVkey, verifyNote } from './note';

const c2sp = {
  vkey: 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k',
  note: 'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n',
};
const go = {
  vkey: 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
  note: "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
  badVkeys: [
    'PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==',
    'PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
  ],
};
const cosigned = {
  logVkey: 'audit.example.gov/ledger1+f7600e29+AdBKsjJ0K7SrOhNovUYV5ObQIkq3GgFrr4UgozLJd4c3',
  witnessVkey: 'witness.dept-a.example.gov/w1+934f56e1+BKCapfR6Z1mAL/lV+NwtKhSlyZ0jvpf4ZBJ/+Tg0VaTw',
  note: 'audit.example.gov/ledger1\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n— audit.example.gov/ledger1 92AOKVMvsxt4OgraWFN2iTNo7hV0SBgGqb3Sn9WOnVeiXCy9yX5Y1um+ZOnsLGQRU+5Bb4KcZENqzkxOAM9ONuPrRQw=\n— witness.dept-a.example.gov/w1 k09W4QAAAABlU/EAbrtHoRkAKlyNdmyO6owCHStrKUBfVxQDe3ndHQO6lcWbiDRHDQ9F8Az+MkRGti9u/+VrVywCyQtFL1FmZGapBA==\n',
};

describe('signed notes in the browser', () => {
  it('verifies the C2SP and Go examples, and refuses malformed vkeys', () => {
    for (const v of [c2sp, go]) {
      const key = parseVkey(v.vkey);
      const result = verifyNote(v.note, [key]);
      expect(result.ok).toBe(true);
      expect(result.checks).toEqual([{ name: key.name, kind: 'log', ok: true }]);
    }
    for (const bad of go.badVkeys) expect(() => parseVkey(bad)).toThrow(LedgerError);
    expect(() => parseVkey('no-plus-signs')).toThrow(LedgerError);
  });

  it('checks a checkpoint’s log signature and a witness cosignature with its timestamp', () => {
    const keys = [parseVkey(cosigned.logVkey), parseVkey(cosigned.witnessVkey)];
    const result = verifyNote(cosigned.note, keys);
    expect(result.ok).toBe(true);
    expect(result.checks).toEqual([
      { name: 'audit.example.gov/ledger1', kind: 'log', ok: true },
      { name: 'witness.dept-a.example.gov/w1', kind: 'cosignature', ok: true, timestamp: 1_700_000_000 },
    ]);
    expect(result.text).toBe('audit.example.gov/ledger1\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n');
  });

  it('fails a note whose text was changed, and ignores signatures of unknown keys', () => {
    const log = parseVkey(cosigned.logVkey);
    const tampered = cosigned.note.replace('\n8\n', '\n9\n');
    const result = verifyNote(tampered, [log, parseVkey(cosigned.witnessVkey)]);
    expect(result.ok).toBe(false);
    expect(result.checks.map((c) => c.ok)).toEqual([false, false]);
    // Only the log's key known: the cosignature line is not checked, and the note verifies.
    expect(verifyNote(cosigned.note, [log]).checks).toHaveLength(1);
    // No known key at all: nothing verified, so not ok.
    expect(verifyNote(cosigned.note, [parseVkey(c2sp.vkey)]).ok).toBe(false);
  });
});
