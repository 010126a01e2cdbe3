/**
 * A hub's backup and restore (SQLite through its online backup API; PostgreSQL through pg_dump/pg_restore
 * when HUTONG_TEST_PG is set): after losing the database and the log's key, the restored hub's log verifies
 * as an extension of a checkpoint saved before the backup, and nothing acknowledged before it is lost.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { runLedgerVerify } from '../cli/ledger/verify';
import { openDatabase } from '../platform/db/open';
import { type TestDatabase, testDialects } from '../platform/db/test-databases';
import { BackupRefused, backup, restore } from './backup';
import { loadHubConfig } from './config';
import { jsonCaller, registerDepartment, takeOver } from './installation.test-helper';
import { initHub, runHub } from './production-hub';
import { testSuite } from '../testing/test-city';

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe.each(testDialects().map((dialect) => ({ dialect })))(
  'a hub restored from its backup on $dialect.name',
  ({ dialect }) => {
    it('verifies from a checkpoint saved before the backup, with every acknowledged change', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hutong-backup-'));
      folders.push(dir);
      let database: TestDatabase | undefined;
      if (dialect.name === 'postgres') database = await dialect.open();
      const where =
        database?.options.dialect === 'postgres'
          ? { database: database.options.connectionString, schema: database.options.schema }
          : {};
      const init = await initHub({ dir: join(dir, 'hub'), passwordCost: 1024, crypto: testSuite(), ...where });
      const config = loadHubConfig(init.configFile, { HUTONG_LOG_LEVEL: 'warn', HUTONG_LISTEN_PORT: '0' });
      const lines: string[] = [];
      const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };

      let running = await runHub(config, { passwordCost: 1024 });
      const request = jsonCaller();
      // \`running\` is replaced by the restored hub below: calls go to whichever runs.
      const call = (method: string, path: string, token?: string, body?: unknown) =>
        request(running.url, method, path, token, body);
      const operator = await takeOver(request, running.url, init, 'Saffron-Quarry-7702');
      const register = (code: string) => registerDepartment(request, running.url, operator, dir, code, 'provider');
      await register('tongji');
      await register('shuiwu');
      const checkpointSize = async () => {
        const note = await (await fetch(`${running.url}/ledger/checkpoint`)).text();
        return Number(note.split('\n')[1]);
      };
      const size = await running.hub.log.size();
      await expect.poll(checkpointSize, { timeout: 10_000 }).toBe(size);
      expect(size).toBeGreaterThanOrEqual(3);
      const saved = join(dir, 'before-backup.checkpoint');
      expect(await runLedgerVerify({ url: running.url, save: saved, nodes: false }, io), lines.join('\n')).toBe(0);

      const backupDir = join(dir, 'backup');
      const manifest = await backup({ kind: 'hub', config }, backupDir, new Date());
      expect(manifest.secrets.sort()).toEqual(
        testSuite() === 'gm'
          ? ['citySecretFile', 'ledgerKeyFile', 'ledgerSm2KeyFile']
          : ['citySecretFile', 'ledgerKeyFile'],
      );
      const copy = join(backupDir, dialect.name === 'postgres' ? 'database.dump' : 'database.sqlite');
      expect(statSync(copy).mode & 0o777).toBe(0o600);
      await expect(backup({ kind: 'hub', config }, backupDir, new Date())).rejects.toBeInstanceOf(BackupRefused);
      await running.close();

      // The server is lost: its database and its log's signing key.
      if (database?.options.dialect === 'postgres') {
        const admin = openDatabase<unknown>({
          dialect: 'postgres',
          connectionString: database.options.connectionString,
        });
        await sql`drop schema ${sql.id(database.options.schema as string)} cascade`.execute(admin);
        await sql`create schema ${sql.id(database.options.schema as string)}`.execute(admin);
        await admin.destroy();
      } else {
        rmSync(config.database.url.slice('sqlite:'.length));
      }
      rmSync(config.secrets.ledgerKeyFile);

      await restore({ kind: 'hub', config }, backupDir);
      running = await runHub(config, { passwordCost: 1024 });
      try {
        lines.length = 0;
        expect(await runLedgerVerify({ url: running.url, since: saved, nodes: false }, io), lines.join('\n')).toBe(0);
        expect(lines.join('\n')).toMatch(new RegExp(`consistent with size ${size}`));
        const members = (await call('GET', '/api/v1/members', operator)).json.items.map(
          (m: { code: string }) => m.code,
        );
        expect(members.sort()).toEqual(['dashuju', 'shuiwu', 'tongji']);
      } finally {
        await running.close();
        await database?.dispose();
      }
    }, 60_000);
  },
);
