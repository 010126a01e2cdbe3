import { describe, expect, it } from 'vitest';
import { renderTable } from './table';

describe('renderTable', () => {
  it('draws the header and one line per row, with no terminal colour codes', () => {
    const text = renderTable(
      ['代码', '名称'],
      [
        ['shuiwu', '税务局'],
        ['tongji', null],
      ],
    );
    expect(text).toContain('代码');
    expect(text).toContain('税务局');
    expect(text).toContain('—');
    expect(text.includes('\u001b[')).toBe(false);
  });

  it('says so when there is nothing to show', () => {
    expect(renderTable(['代码'], [])).toBe('无结果 / no results');
  });
});
