/**
 * Backups of a hub's or a node's database and keys: PostgreSQL through its own tools (pg_dump's custom
 * format, pg_restore), SQLite through its online backup API (consistent while the server runs). A backup
 * folder holds the database, copies of the secrets the configuration names (0600: the log's signing key
 * must survive a lost server, or the log cannot be continued) and a manifest. A restore never overwrites a
 * secret that differs from the backup's: that would sign the restored log with a key its verifiers do not
 * know.
 */
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import type { HubConfig, NodeConfig } from './config';

const run = promisify(execFile);

export interface BackupManifest {
  format: 'hutong-backup-1';
  kind: 'hub' | 'node';
  createdAt: string;
  database: 'sqlite' | 'postgres';
  /** The secrets saved beside the database, by configuration key. */
  secrets: string[];
}

export class BackupRefused extends Error {
  readonly code = 'BACKUP_REFUSED';
}

type Configured = { kind: 'hub'; config: HubConfig } | { kind: 'node'; config: NodeConfig };

function secretsOf(target: Configured): Record<string, string> {
  return { ...target.config.secrets };
}

/** `pg_dump`'s connection and schema arguments for a configured PostgreSQL database. */
function postgresArgs(database: HubConfig['database']): string[] {
  return [...(database.schema ? ['--schema', database.schema] : []), database.url];
}

export async function backup(target: Configured, outDir: string, now: Date): Promise<BackupManifest> {
  if (existsSync(join(outDir, 'manifest.json'))) {
    throw new BackupRefused(`${outDir} holds a backup already; choose an empty folder`);
  }
  mkdirSync(join(outDir, 'secrets'), { recursive: true, mode: 0o700 });
  const { database } = target.config;
  if (database.url.startsWith('sqlite:')) {
    const source = new SQLite(database.url.slice('sqlite:'.length), { readonly: true, fileMustExist: true });
    try {
      await source.backup(join(outDir, 'database.sqlite'));
    } finally {
      source.close();
    }
  } else {
    await run('pg_dump', [
      '--format=custom',
      '--no-owner',
      `--file=${join(outDir, 'database.dump')}`,
      ...postgresArgs(database),
    ]);
  }
  // The database holds personal data: only its owner reads the copy.
  for (const name of ['database.sqlite', 'database.dump']) {
    if (existsSync(join(outDir, name))) chmodSync(join(outDir, name), 0o600);
  }
  const secrets = secretsOf(target);
  for (const [key, file] of Object.entries(secrets)) {
    writeFileSync(join(outDir, 'secrets', key), readFileSync(file), { mode: 0o600 });
  }
  const manifest: BackupManifest = {
    format: 'hutong-backup-1',
    kind: target.kind,
    createdAt: now.toISOString(),
    database: database.url.startsWith('sqlite:') ? 'sqlite' : 'postgres',
    secrets: Object.keys(secrets),
  };
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return manifest;
}

/** Puts a backup back, the server stopped. Secrets missing on this machine are restored; differing ones refuse. */
export async function restore(target: Configured, fromDir: string): Promise<BackupManifest> {
  const manifest = JSON.parse(readFileSync(join(fromDir, 'manifest.json'), 'utf8')) as BackupManifest;
  if (manifest.format !== 'hutong-backup-1' || manifest.kind !== target.kind) {
    throw new BackupRefused(`${fromDir} is not a backup of a ${target.kind}`);
  }
  const secrets = secretsOf(target);
  for (const key of manifest.secrets) {
    const file = secrets[key];
    if (!file) continue;
    const saved = readFileSync(join(fromDir, 'secrets', key));
    if (existsSync(file) && !readFileSync(file).equals(saved)) {
      throw new BackupRefused(`${key}: ${file} differs from the backup's; move it away to restore the backup's`);
    }
  }
  const { database } = target.config;
  if (database.url.startsWith('sqlite:')) {
    if (manifest.database !== 'sqlite') throw new BackupRefused('the backup is of a PostgreSQL database');
    const file = database.url.slice('sqlite:'.length);
    for (const suffix of ['-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    copyFileSync(join(fromDir, 'database.sqlite'), file);
  } else {
    if (manifest.database !== 'postgres') throw new BackupRefused('the backup is of an SQLite database');
    await run('pg_restore', [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--exit-on-error',
      `--dbname=${database.url}`,
      join(fromDir, 'database.dump'),
    ]);
  }
  for (const key of manifest.secrets) {
    const file = secrets[key];
    if (file && !existsSync(file)) {
      writeFileSync(file, readFileSync(join(fromDir, 'secrets', key)), { mode: 0o600 });
    }
  }
  return manifest;
}

/** Which kind of configuration a file is (a node's names its member). */
export function configKind(file: string): 'hub' | 'node' {
  return /^member:/m.test(readFileSync(file, 'utf8')) ? 'node' : 'hub';
}
