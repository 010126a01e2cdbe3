import { afterEach, describe, expect, it } from 'vitest';
import { type TestDatabase, testDialects } from '../platform/db/test-databases';
import { getResource } from './schema';
import { countRows, ensureResourceTable, insertRows, maxSeq, readCells, tableExists, upsertRows } from './store';

const tax = getResource('tongji.enterprise_annual');

for (const dialect of testDialects()) {
  describe(`resource store on ${dialect.name}`, () => {
    let t: TestDatabase | null = null;
    afterEach(async () => {
      await t?.dispose();
      t = null;
    });

    it('creates the table from the schema and reads rows back in file order with file formatting', async () => {
      t = await dialect.open();
      expect(await tableExists(t.db, tax)).toBe(false);
      await ensureResourceTable(t.db, tax);
      await ensureResourceTable(t.db, tax); // idempotent
      expect(await tableExists(t.db, tax)).toBe(true);
      await insertRows(t.db, tax, [
        {
          _seq: 2,
          uscc: 'B',
          year: 2024,
          above_scale: 0,
          value_added: 5,
          main_revenue: 1999.9,
          rd_expense: null,
          energy_tce: 0,
        },
        {
          _seq: 1,
          uscc: 'A',
          year: 2025,
          above_scale: 1,
          value_added: 1234.5,
          main_revenue: 20000,
          rd_expense: 0.01,
          energy_tce: 12.34,
        },
      ]);
      expect(await countRows(t.db, tax)).toBe(2);
      expect(await maxSeq(t.db, tax)).toBe(2);
      const pages: string[][] = [];
      for await (const page of readCells(t.db, tax, 1)) pages.push(...page);
      expect(pages).toEqual([
        ['A', '2025', '1', '1234.50', '20000.00', '0.01', '12.34'],
        ['B', '2024', '0', '5.00', '1999.90', '', '0.00'],
      ]);
    });

    it('upserts by key: an existing row is updated in place and keeps its position', async () => {
      t = await dialect.open();
      await ensureResourceTable(t.db, tax);
      const row = {
        uscc: 'A',
        year: 2025,
        above_scale: 1,
        value_added: 1,
        main_revenue: 2,
        rd_expense: 3,
        energy_tce: 4,
      };
      await upsertRows(t.db, tax, [{ _seq: 1, ...row }]);
      await upsertRows(t.db, tax, [
        { _seq: 2, ...row, value_added: 9 },
        { _seq: 3, ...row, year: 2024 },
      ]);
      expect(await countRows(t.db, tax)).toBe(2);
      const cells: string[][] = [];
      for await (const page of readCells(t.db, tax)) cells.push(...page);
      expect(cells.map((c) => [c[1], c[3]])).toEqual([
        ['2025', '9.00'],
        ['2024', '1.00'],
      ]);
    });
  });
}
