// Facts from the demo city's own data for the browser tests (the console itself never reads files).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvParser } from '../../src/datasets/csv';
import type { TestCity } from '../../src/testing/test-city';

export interface Resident {
  idNumber: string;
  name: string;
  birthDate: string;
}

/** A registered (正常) resident born before 1950, from 公安's household data as the city exports it. */
export async function elderlyResident(city: Pick<TestCity, 'exportData'>): Promise<Resident> {
  const out = mkdtempSync(join(tmpdir(), 'hutong-export-'));
  try {
    await city.exportData(out);
    const parser = new CsvParser();
    const rows = [...parser.push(readFileSync(join(out, 'gongan.household.csv'), 'utf8')), ...parser.end()];
    const [header, ...data] = rows.map((r) => r.cells);
    const col = (name: string) => header?.indexOf(name) ?? -1;
    const row = data.find((cells) => cells[col('status')] === '正常' && (cells[col('birth_date')] ?? '9') < '1950');
    if (!row) throw new Error('no registered resident born before 1950 in the demo data');
    return {
      idNumber: row[col('id_number')] ?? '',
      name: row[col('name')] ?? '',
      birthDate: row[col('birth_date')] ?? '',
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
