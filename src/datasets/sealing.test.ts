/**
 * A node's register under the 国密 suite: loaded with its people's ID numbers, names and addresses sealed
 * (SM4 + HMAC-SM3), the database holds none of them in clear — read raw, byte for byte — while the node
 * still finds a resident by ID number, reads whole tables, and exports the same file it was given.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KyselyNodeData } from '../node/store/kysely-node-data';
import { sm4PersonalDataSealer } from '../platform/crypto/gm/personal-data';
import { type TestDatabase, testDialects } from '../platform/db/test-databases';
import { writeCityFiles } from './files';
import { SCALES } from './generator';
import { exportResource, loadResourceFile } from './node-stores';
import { findResource, type ResourceDef } from './schema';
import { resealTable, SEALED_COLUMN, sealedRows } from './sealing';
import { SEQ_COLUMN } from './store';

const cityFiles = mkdtempSync(join(tmpdir(), 'hutong-sealed-city-'));
writeCityFiles(cityFiles, { seed: 3, scale: { ...SCALES.small, residents: 600, enterprises: 60 } });
const sealer = sm4PersonalDataSealer(randomBytes(32));
const household = findResource('gongan.household') as ResourceDef;
const enterprise = findResource('shichang.enterprise') as ResourceDef;

function csv(code: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(join(cityFiles, `${code}.csv`), 'utf8')
    .trim()
    .split('\n');
  const names = (header as string).split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i], cell])));
}

for (const dialect of testDialects()) {
  describe(`a sealed register on ${dialect.name}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await dialect.open();
      await loadResourceFile(database.db, household, join(cityFiles, 'gongan.household.csv'), sealer);
      await loadResourceFile(database.db, enterprise, join(cityFiles, 'shichang.enterprise.csv'), sealer);
    });
    afterAll(async () => database.dispose());

    const reader = (codec = sealedRows(sealer, findResource)) =>
      new KyselyNodeData(database.db, {
        tableOf: (code) => findResource(code)?.table,
        orderColumn: SEQ_COLUMN,
        codec,
      });

    it('finds a resident by ID number and gives back the register’s own values', async () => {
      const residents = csv('gongan.household');
      const wanted = residents.slice(0, 3);
      const rows = await reader().rowsForSubjects(
        'gongan.household',
        'id_number',
        wanted.map((row) => row.id_number as string),
      );
      expect(rows.map((row) => [row.id_number, row.name, row.address])).toEqual(
        wanted.map((row) => [row.id_number, row.name, row.address]),
      );
      expect(rows[0]).not.toHaveProperty(SEALED_COLUMN);
      const all = await reader().allRows('shichang.enterprise');
      expect(all.map((row) => row.legal_rep_id_number)).toEqual(
        csv('shichang.enterprise').map((row) => row.legal_rep_id_number),
      );
      // Without the key's index the clear ID number finds nothing: the table does not hold it.
      const clear = await reader({ lookupValue: (_c, _col, value) => value, read: (_c, row) => row }).rowsForSubjects(
        'gongan.household',
        'id_number',
        [wanted[0]?.id_number as string],
      );
      expect(clear).toEqual([]);
    });

    it('exports exactly the file it loaded', async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'hutong-sealed-export-')), 'gongan.household.csv');
      await exportResource(database.db, household, out, sealer);
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(cityFiles, 'gongan.household.csv'), 'utf8'));
    });

    it('refuses a sealed value that was changed in the database, or moved to another row', async () => {
      // biome-ignore lint/suspicious/noExplicitAny: the register's tables are defined at run time.
      const db = database.db as Kysely<any>;
      const [first, second] = await db
        .selectFrom(household.table)
        .select([SEQ_COLUMN, SEALED_COLUMN])
        .orderBy(SEQ_COLUMN)
        .limit(2)
        .execute();
      const put = (seq: unknown, sealed: string) =>
        db
          .updateTable(household.table)
          .set({ [SEALED_COLUMN]: sealed })
          .where(SEQ_COLUMN, '=', seq)
          .execute();
      // Another resident's sealed values on this resident's row: authentic, but not this row's.
      await put(first?.[SEQ_COLUMN], String(second?.[SEALED_COLUMN]));
      await expect(reader().allRows('gongan.household')).rejects.toMatchObject({ code: 'FIELD_TAMPERED' });
      const flipped = Buffer.from(String(first?.[SEALED_COLUMN]), 'base64');
      flipped[20] = (flipped[20] as number) ^ 1;
      await put(first?.[SEQ_COLUMN], flipped.toString('base64'));
      await expect(reader().allRows('gongan.household')).rejects.toMatchObject({ code: 'FIELD_TAMPERED' });
      await put(first?.[SEQ_COLUMN], String(first?.[SEALED_COLUMN]));
      expect(await reader().allRows('gongan.household')).toHaveLength(csv('gongan.household').length);
    });

    it('moves every row to a new data key in one transaction, after which only the new key reads them', async () => {
      const rotated = sm4PersonalDataSealer(randomBytes(32));
      const counts = await database.db
        .transaction()
        .execute(async (trx) => [
          await resealTable(trx, household, sealer, rotated, SEQ_COLUMN, 100),
          await resealTable(trx, enterprise, sealer, rotated, SEQ_COLUMN, 100),
        ]);
      expect(counts).toEqual([csv('gongan.household').length, csv('shichang.enterprise').length]);
      const resident = csv('gongan.household')[42] as Record<string, string>;
      const found = await reader(sealedRows(rotated, findResource)).rowsForSubjects('gongan.household', 'id_number', [
        resident.id_number as string,
      ]);
      expect(found.map((row) => row.name)).toEqual([resident.name]);
      expect(await reader(sealedRows(rotated, findResource)).allRows('shichang.enterprise')).toHaveLength(
        csv('shichang.enterprise').length,
      );
      await expect(reader().allRows('gongan.household')).rejects.toMatchObject({ code: 'FIELD_TAMPERED' });
      // Moved back, for the checks that follow.
      await database.db.transaction().execute(async (trx) => {
        await resealTable(trx, household, rotated, sealer, SEQ_COLUMN);
        await resealTable(trx, enterprise, rotated, sealer, SEQ_COLUMN);
      });
    });

    if (dialect.name === 'sqlite') {
      it('holds no ID number, name or address in clear in its database file', async () => {
        const options = database.options as { file: string };
        await sql`pragma wal_checkpoint(TRUNCATE)`.execute(database.db);
        const file = readFileSync(options.file);
        const people = [
          ...csv('gongan.household').flatMap((row) => [row.id_number, row.name, row.address]),
          ...csv('shichang.enterprise').flatMap((row) => [row.legal_rep_name, row.legal_rep_id_number]),
        ] as string[];
        expect(people.length).toBeGreaterThan(1000);
        const inClear = people.filter((value) => value.length >= 2 && file.includes(Buffer.from(value, 'utf8')));
        expect(inClear).toEqual([]);
        // What is not personal stays readable by the database (districts, dates, enterprises' names).
        expect(file.includes(Buffer.from(csv('shichang.enterprise')[0]?.name as string, 'utf8'))).toBe(true);
      });
    }
  });
}
