/**
 * Tables for a person reading a terminal: a header and a row per item, without colour codes (the output
 * is often saved to a file), and an empty list said in words instead of an empty frame.
 */
import Table from 'cli-table3';

export type Cell = string | number | null | undefined;

export function renderTable(head: string[], rows: Cell[][]): string {
  if (rows.length === 0) return '无结果 / no results';
  const table = new Table({ head, style: { head: [], border: [] } });
  for (const row of rows) table.push(row.map((cell) => cell ?? '—'));
  return table.toString();
}
