import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryFolders } from '../testing/temporary-folders';
import { type TestDatabase, testDialects } from '../platform/db/test-databases';
import { runImport } from '../cli/data-handlers';
import { importFile } from './import';
import { getResource } from './schema';
import { countRows, readCells } from './store';

// Independent GB 11643 check (weights 2^(17-i) mod 11) to build valid test IDs.
function id17(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  const v = (12 - (sum % 11)) % 11;
  return first17 + (v === 10 ? 'X' : String(v));
}
const A = '11010519491231002X'; // RULES.md §5
const B = '440524188001010014'; // RULES.md §5, born 1880
const C = id17('33910219800101123');
const BAD_SUM = `${C.slice(0, 17)}${C[17] === '0' ? '1' : '0'}`;

const HEADER =
  'id_number,name,gender,birth_date,district_code,address,status,deregistration_reason,deregistration_date';
const FAULTY = [
  HEADER,
  `${A},张秀英,女,1949-12-31,339102,清河市解放路1号,正常,,`, // 2 good
  `${id17('33910219900228101')},李强,男,1990-02-30,339102,清河市解放路2号,正常,,`, // 3 bad date
  `${BAD_SUM},王伟,男,1980-01-01,339102,清河市解放路3号,正常,,`, // 4 bad ID checksum
  `${id17('33910219700101101')},赵军,男,1970-01-01,339102,清河市解放路4号,正在,,`, // 5 unknown enum
  `${B},陈老,男,1880-01-01,440524,广东省某地,注销,死亡,1975-05-05`, // 6 good
  `${A},张秀英,女,1949-12-31,339102,清河市解放路9号,正常,,`, // 7 duplicate key of row 2
  `${C},刘芳,男,1980-01-01,339102,"清河市人民路5号,3幢",正常,,`, // 8 good, quoted comma
  `${id17('33910219750101101')},周杰,男,1975-01-01,3391`, // 9 truncated last line, no newline
].join('\n');

const tmp = temporaryFolders('hutong-import-');

const household = getResource('gongan.household');
const tax = getResource('shuiwu.tax_annual');

async function cells(db: TestDatabase['db'], code: 'gongan.household' | 'shuiwu.tax_annual') {
  const out: string[][] = [];
  for await (const page of readCells(db, getResource(code))) out.push(...page);
  return out;
}

for (const dialect of testDialects()) {
  describe(`importFile on ${dialect.name}`, () => {
    let t: TestDatabase | null = null;
    afterEach(async () => {
      await t?.dispose();
      t = null;
    });

    it('rejects exactly the bad rows with codes and, all-or-nothing, writes nothing', async () => {
      t = await dialect.open();
      const file = join(tmp(), 'household.csv');
      writeFileSync(file, FAULTY);
      const s = await importFile(t.db, household, file, { asOf: '2026-06-30' });
      expect(s.committed).toBe(false);
      expect(s.rowsRead).toBe(8);
      expect(s.accepted).toBe(3);
      expect(s.rejected).toBe(5);
      expect(s.rejects.map((i) => [i.row, i.code])).toEqual([
        [3, 'BAD_DATE'],
        [4, 'BAD_CHECKSUM'],
        [5, 'UNKNOWN_ENUM'],
        [7, 'DUPLICATE_KEY'],
        [9, 'TRUNCATED_ROW'],
      ]);
      expect(await countRows(t.db, household)).toBe(0);
    });

    it('with partial, keeps every good row, and re-importing the same file changes nothing', async () => {
      t = await dialect.open();
      const file = join(tmp(), 'household.csv');
      writeFileSync(file, FAULTY);
      const s = await importFile(t.db, household, file, { partial: true });
      expect(s.committed).toBe(true);
      const first = await cells(t.db, 'gongan.household');
      expect(first.map((c) => c[0])).toEqual([A, B, C]);
      expect(first[2]?.[5]).toBe('清河市人民路5号,3幢');
      expect(first[1]).toEqual([B, '陈老', '男', '1880-01-01', '440524', '广东省某地', '注销', '死亡', '1975-05-05']);
      await importFile(t.db, household, file, { partial: true });
      expect(await cells(t.db, 'gongan.household')).toEqual(first);
    });

    it('refuses a non-UTF-8 (GBK) file as a whole', async () => {
      t = await dialect.open();
      const file = join(tmp(), 'gbk.csv');
      // "张三" in GBK is D5C5 C8FD: invalid as UTF-8.
      const gbk = Buffer.concat([
        Buffer.from(`${HEADER}\n${A},`),
        Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]),
        Buffer.from(',女,1949-12-31,339102,x,正常,,\n'),
      ]);
      writeFileSync(file, gbk);
      const s = await importFile(t.db, household, file, { partial: true });
      expect(s.committed).toBe(false);
      expect(s.fileError?.code).toBe('NOT_UTF8');
      expect(await countRows(t.db, household)).toBe(0);
    });

    it('refuses a file missing a column, and accepts Chinese column titles', async () => {
      t = await dialect.open();
      const dir = tmp();
      writeFileSync(join(dir, 'missing.csv'), 'uscc,year\n91110108551385082Q,2025\n');
      const missing = await importFile(t.db, tax, join(dir, 'missing.csv'));
      expect(missing.fileError?.code).toBe('MISSING_COLUMN');
      writeFileSync(
        join(dir, 'titles.csv'),
        '\uFEFF统一社会信用代码,年度,实缴税收（万元）\r\n91110108551385082Q,2025,12.5\r\n',
      );
      const titled = await importFile(t.db, tax, join(dir, 'titles.csv'));
      expect(titled.committed).toBe(true);
      expect(await cells(t.db, 'shuiwu.tax_annual')).toEqual([['91110108551385082Q', '2025', '12.50']]);
    });

    it('warns on a credit code whose checksum fails but keeps the row; rejects malformed codes', async () => {
      t = await dialect.open();
      const file = join(tmp(), 'tax.csv');
      writeFileSync(
        file,
        'uscc,year,tax_paid\n91350100M0001TGQXM,2025,1.00\n91350100M0001IGQXM,2025,2.00\n91440300708461136T,2025,abc\n',
      );
      const s = await importFile(t.db, tax, file, { partial: true });
      expect(s.warnings.map((w) => [w.row, w.code])).toEqual([[2, 'BAD_CHECKSUM']]);
      expect(s.rejects.map((r) => [r.row, r.code])).toEqual([
        [3, 'BAD_FORMAT'],
        [4, 'BAD_DECIMAL'],
      ]);
      expect(await cells(t.db, 'shuiwu.tax_annual')).toEqual([['91350100M0001TGQXM', '2025', '1.00']]);
    });

    it('imports XLSX, converting date serial numbers', async () => {
      t = await dialect.open();
      const file = join(tmp(), 'household.xlsx');
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('户籍');
      ws.addRow(HEADER.split(','));
      ws.addRow([A, '张秀英', '女', new Date(Date.UTC(1949, 11, 31)), '339102', '清河市解放路1号', '正常', null, null]);
      ws.addRow([
        B,
        '陈老',
        '男',
        '1880-01-01',
        '440524',
        '广东省某地',
        '注销',
        '死亡',
        new Date(Date.UTC(1975, 4, 5)),
      ]);
      await wb.xlsx.writeFile(file);
      const s = await importFile(t.db, household, file);
      expect(s.rejects).toEqual([]);
      expect(s.committed).toBe(true);
      const rows = await cells(t.db, 'gongan.household');
      expect(rows.map((r) => [r[0], r[3], r[8]])).toEqual([
        [A, '1949-12-31', ''],
        [B, '1880-01-01', '1975-05-05'],
      ]);
    });
  });
}

describe('data import command', () => {
  it('writes a rejects CSV (row, column, code, reason) and exits 1 when rows were rejected', async () => {
    const dir = tmp();
    const file = join(dir, 'household.csv');
    writeFileSync(file, FAULTY);
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    const rejects = join(dir, 'rejects.csv');
    const r = await runImport({ resource: 'gongan.household', file, data: join(dir, 'data'), rejects }, io);
    expect(r.exitCode).toBe(1);
    const text = readFileSync(rejects, 'utf8').trim().split('\n');
    expect(text[0]).toBe('row,column,code,reason');
    expect(text.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      '3,birth_date,BAD_DATE',
      '4,id_number,BAD_CHECKSUM',
      '5,status,UNKNOWN_ENUM',
      '7,id_number,DUPLICATE_KEY',
      '9,,TRUNCATED_ROW',
    ]);
    const partial = await runImport({ resource: 'gongan.household', file, data: join(dir, 'data'), partial: true }, io);
    expect(partial.exitCode).toBe(0);
    expect(partial.summary?.accepted).toBe(3);
    expect((await runImport({ resource: 'nope.x', file, data: dir }, io)).exitCode).toBe(2);
  });
});
