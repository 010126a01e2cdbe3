/**
 * Acceptance 4: a provider node killed with SIGKILL in the middle of traffic, then restarted, has every
 * audit event it acknowledged (every request that got its answer) — because the answer leaves only after
 * the event is committed.
 */
// test-city: data folder only — restarts a node as `hutong node --data`, on the demo's SQLite data folder.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../composition/hub';
import { SignedConsumer, sendPrepared } from '../../testing/signed-consumer';
import { startTestCity, type TestCity } from '../../testing/test-city';

let city: TestCity;
const children: ChildProcess[] = [];

function startNodeProcess(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      join(projectRoot, 'bin/hutong.js'),
      'node',
      '--member',
      'gongan',
      '--hub',
      city.url,
      '--data',
      city.dataDir,
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += String(chunk);
      const match = /NODE gongan (\S+)/.exec(output);
      if (match) resolve({ child, url: match[1]! });
    });
    child.stderr!.on('data', (chunk) => {
      output += String(chunk);
    });
    child.once('exit', (code) => reject(new Error(`node process exited (${code}): ${output}`)));
  });
}

beforeAll(async () => {
  city = await startTestCity();
  // The in-process gongan node steps aside; the same store is served by a separate, killable process.
  await city.node('gongan').close();
}, 120_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await city?.close();
});

describe('a provider node killed mid-traffic', () => {
  it('loses no acknowledged audit event', async () => {
    const consumer = new SignedConsumer('zhengwu');
    await consumer.signAsNode(city.dataDir, city.url, city.credentials.tokens.zhengwu!);
    const agreements = await city.hub<{ items: { id: string; purpose: string; resourceCode: string }[] }>(
      'zhengwu',
      'GET',
      '/agreements?side=consumer&status=active',
    );
    const agreement = agreements.json.items.find((a) => a.resourceCode === 'gongan.household')!;
    const first = await startNodeProcess();
    const acknowledged: string[] = [];
    let lastAcknowledged: Awaited<ReturnType<typeof consumer.prepare>> | undefined;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const request = await consumer.prepare({
          nodeUrl: first.url,
          agreement,
          mode: 'verify',
          body: { subject: '11010519491231002X', predicate: { op: 'eq', item: 'status', value: '正常' } },
        });
        try {
          const answer = await sendPrepared(request);
          if (answer.status === 200) {
            acknowledged.push(request.requestId);
            lastAcknowledged = request;
          }
        } catch {
          // The process is gone: this request was never acknowledged.
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    stop = true;
    await Promise.all(workers);
    expect(acknowledged.length).toBeGreaterThan(20);
    expect(acknowledged.length).toBeLessThan(5000);

    const second = await startNodeProcess();
    const identity = JSON.parse(readFileSync(join(city.dataDir, 'nodes', 'gongan.identity.json'), 'utf8')) as {
      localToken: string;
    };
    const response = await fetch(`${second.url}/local/v1/requests?limit=5000&decision=served`, {
      headers: { authorization: `Bearer ${identity.localToken}` },
    });
    const audited = new Set(
      ((await response.json()) as { items: { requestId: string }[] }).items.map((event) => event.requestId),
    );
    const lost = acknowledged.filter((requestId) => !audited.has(requestId));
    expect(lost).toEqual([]);
    // The replay guard is rebuilt from the audit trail: a request answered before the crash stays used.
    const replay = await sendPrepared({
      ...lastAcknowledged!,
      url: lastAcknowledged!.url.replace(first.url, second.url),
    });
    expect({ status: replay.status, code: replay.json.code }).toEqual({ status: 409, code: 'SIGNATURE_REPLAYED' });
    second.child.kill('SIGTERM');
  }, 90_000);
});
