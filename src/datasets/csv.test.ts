import { describe, expect, it } from 'vitest';
import { CsvParser, encodeCsvRow } from './csv';

function parseAll(chunks: string[]) {
  const p = new CsvParser();
  const rows = chunks.flatMap((c) => p.push(c));
  return [...rows, ...p.end()];
}

describe('csv', () => {
  it('quotes only cells that need it, and parses them back', () => {
    const cells = ['a', 'b,c', 'say "hi"', 'two\nlines', ''];
    const line = encodeCsvRow(cells);
    expect(line).toBe('a,"b,c","say ""hi""","two\nlines",\n');
    expect(parseAll([line]).map((r) => r.cells)).toEqual([cells]);
  });

  it('gives the same rows whatever the chunk boundaries, with CRLF and line numbers', () => {
    const text = 'h1,h2\r\n"x ""q""",1\r\n"multi\nline",2\r\nlast,3\r\n';
    const whole = parseAll([text]);
    for (let cut = 1; cut < text.length; cut++) {
      expect(parseAll([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
    }
    expect(whole.map((r) => [r.cells, r.line])).toEqual([
      [['h1', 'h2'], 1],
      [['x "q"', '1'], 2],
      [['multi\nline', '2'], 3],
      [['last', '3'], 5],
    ]);
    expect(whole.every((r) => !r.unterminated)).toBe(true);
  });

  it('marks a last row without a line break, and one cut inside quotes', () => {
    const [, last] = parseAll(['a,b\n1,2']);
    expect(last?.unterminated).toBe(true);
    expect(last?.quoteOpen).toBe(false);
    const [, cut] = parseAll(['a,b\n1,"2']);
    expect(cut?.quoteOpen).toBe(true);
  });

  it('skips blank lines', () => {
    expect(parseAll(['a\n\n1\n\n']).map((r) => r.cells)).toEqual([['a'], ['1']]);
  });
});

describe('CSV injection (OWASP)', () => {
  it('writes a cell a spreadsheet would run as a formula as text, and reads it back unchanged', async () => {
    const { decodeCsvCell, neutraliseCsvCell } = await import('./csv');
    for (const cell of ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", '-2+3', '@SUM(A1)', '\tx', '\rx']) {
      expect(neutraliseCsvCell(cell)).toBe(`'${cell}`);
      expect(decodeCsvCell(neutraliseCsvCell(cell))).toBe(cell);
      expect(encodeCsvRow([cell]).startsWith("'") || encodeCsvRow([cell]).startsWith('"\'')).toBe(true);
    }
    // Plain values, negative numbers included, stay as they are.
    for (const cell of ['-12.5', '0', '清河市', "O'Brien", '']) {
      expect(neutraliseCsvCell(cell)).toBe(cell);
      expect(decodeCsvCell(cell)).toBe(cell);
    }
  });
});
