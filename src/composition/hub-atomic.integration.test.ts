/**
 * Acceptance 7 of the ledger-trust issue: a change at the hub and the log entry that records it commit in
 * one transaction. The hub runs in a child process that kills itself (SIGKILL) inside the transaction of
 * an agreement application, after the agreement was written and before the commit; after a restart on the
 * same database, the application and its entry are both absent — and every agreement the hub holds has
 * its log entries, every logged application its agreement. On SQLite always, on PostgreSQL when configured.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase } from '../platform/db/open';
import { projectRoot } from './hub';

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// hub-process.ts takes the suite from testSuite(), this run's (HUTONG_TEST_CITY_CRYPTO, inherited).
function startHub(dataDir: string, pg?: { url: string; schema: string }) {
  const args = [join(projectRoot, 'bin/run-ts.js'), join(projectRoot, 'src/testing/hub-process.ts'), '--data', dataDir];
  if (pg) args.push('--pg', pg.url, '--schema', pg.schema);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(String(signal ?? code))),
  );
  const url = new Promise<string>((resolve, reject) => {
    let output = '';
    const onOutput = (chunk: Buffer) => {
      output += String(chunk);
      const match = /listening (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onOutput);
    child.stderr!.on('data', onOutput);
    child.once('exit', (code, signal) => reject(new Error(`hub exited (${code ?? signal}): ${output}`)));
  });
  return { child, url, exited };
}

const dialects: { name: string; pg?: { url: string; schema: string } }[] = [{ name: 'sqlite' }];
if (process.env.HUTONG_TEST_PG) {
  dialects.push({
    name: 'postgres',
    pg: { url: process.env.HUTONG_TEST_PG, schema: `t_kill_${randomBytes(5).toString('hex')}` },
  });
}

describe.each(dialects)('a hub killed inside a change’s transaction ($name)', ({ pg }) => {
  it('keeps the change and its log entry together: both there, or both absent', { timeout: 180_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hutong-hub-atomic-'));
    dirs.push(dataDir);
    if (pg) {
      const admin = openDatabase({ dialect: 'postgres', connectionString: pg.url, maxConnections: 1 });
      await sql`create schema ${sql.id(pg.schema)}`.execute(admin);
      await admin.destroy();
    }
    try {
      const first = startHub(dataDir, pg);
      const url = await first.url;
      const tokens = (
        JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as {
          tokens: Record<string, string>;
        }
      ).tokens;
      const apply = (base: string) =>
        fetch(`${base}/api/v1/agreements`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens.caizheng}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            resourceCode: 'tongji.enterprise_annual',
            purpose: '财政收入预测（崩溃测试）',
            legalBasis: '《政务信息资源共享管理暂行办法》',
            items: ['year', 'value_added'],
            modes: ['aggregate'],
            validFrom: '2026-11-27',
            validTo: '2027-06-30',
            rateLimitPerMinute: 10,
          }),
        });
      const acknowledged = await apply(url);
      expect(acknowledged.status).toBe(201);
      const kept = ((await acknowledged.json()) as { id: string }).id;

      // Armed: the next change dies between its write and its commit.
      writeFileSync(join(dataDir, 'kill-inside-transaction'), '');
      const refused = await apply(url).then(
        (response) => `HTTP ${response.status}`,
        () => 'no answer',
      );
      expect(refused).toBe('no answer');
      expect(await first.exited).toBe('SIGKILL');
      unlinkSync(join(dataDir, 'kill-inside-transaction'));

      const second = startHub(dataDir, pg);
      const restarted = await second.url;
      const auditor = { authorization: `Bearer ${tokens.shenji}` };
      const agreements = (await fetch(`${restarted}/api/v1/agreements?pageSize=200`, { headers: auditor }).then((r) =>
        r.json(),
      )) as { items: { id: string; history: unknown[] }[]; total: number };
      expect(agreements.total).toBeLessThanOrEqual(200);
      // Read the whole log, as an outside client would.
      const size = Number((await fetch(`${restarted}/ledger/checkpoint`).then((r) => r.text())).split('\n')[1]);
      const logged: { type: string; action: string; agreementId?: string }[] = [];
      for (let index = 0; index < size; index++) {
        const entry = (await fetch(`${restarted}/ledger/entries/${index}`).then((r) => r.json())) as { data: string };
        logged.push(JSON.parse(entry.data));
      }
      const transitions = new Map<string, number>();
      for (const entry of logged) {
        if (entry.type === 'agreement')
          transitions.set(entry.agreementId!, (transitions.get(entry.agreementId!) ?? 0) + 1);
      }
      // The acknowledged application is there with its entry; the killed one left neither.
      expect(agreements.items.map((a) => a.id)).toContain(kept);
      expect(transitions.get(kept)).toBe(1);
      // Every agreement has exactly as many logged transitions as its history, and nothing else is logged.
      for (const agreement of agreements.items)
        expect(transitions.get(agreement.id) ?? 0).toBe(agreement.history.length);
      expect([...transitions.keys()].sort()).toEqual(agreements.items.map((a) => a.id).sort());
      second.child.kill('SIGTERM');
      await second.exited;
    } finally {
      if (pg) {
        const admin = openDatabase({ dialect: 'postgres', connectionString: pg.url, maxConnections: 1 });
        await sql`drop schema if exists ${sql.id(pg.schema)} cascade`.execute(admin);
        await admin.destroy();
      }
    }
  });
});
