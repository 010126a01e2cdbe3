/**
 * Acceptance 4 of the audit ledger: the hub killed with SIGKILL in the middle of traffic, then restarted
 * on the same data folder, still has every log entry it acknowledged — at the same index, with the same
 * bytes — and the log verifies as an outside auditor checks it (`hutong ledger verify`, pinned to the
 * key and to a checkpoint saved before the kill).
 *
 * The demo hub runs alone in a child process (`hutong demo --no-nodes`), and the test plays both kinds of
 * clients whose events the hub logs: nodes shipping sealed, signed access records (acknowledged by the 200
 * answer to POST /ledger/access-events) and departments applying for data (acknowledged by the 201 answer).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeEntryBundle, entryBundlePath, TILE_WIDTH } from '../core/ledger/tiles';
import { projectRoot } from './hub';
import type { AccessRecord } from '../core/audit/access-record';
import { SimulatedNode } from '../testing/simulated-node';
import { testSuite } from '../testing/test-city';

const dataDir = mkdtempSync(join(tmpdir(), 'hutong-hub-kill-'));
const children: ChildProcess[] = [];
const hutong = join(projectRoot, 'bin/hutong.js');

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function startHub(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [hutong, 'demo', '--port', '0', '--data', dataDir, '--no-nodes', '--log-level', 'warn', '--crypto', testSuite()],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const onOutput = (chunk: Buffer) => {
      output += String(chunk);
      const match = /Console:\s+(http:\/\/\S+?)\/\s/.exec(output);
      if (match) resolve({ child, url: match[1]! });
    };
    child.stdout!.on('data', onOutput);
    child.stderr!.on('data', onOutput);
    child.once('exit', (code, signal) => reject(new Error(`hub exited (${code ?? signal}): ${output}`)));
  });
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const resources: Record<string, string> = {
  gongan: 'gongan.household',
  minzheng: 'minzheng.subsistence',
  shichang: 'shichang.enterprise',
};

/** Every entry of the log at its latest checkpoint, read over C2SP tlog-tiles as any client would. */
async function readLog(url: string, from = 0, into: Uint8Array[] = []): Promise<{ note: string; size: number }> {
  const note = await (await fetch(`${url}/ledger/checkpoint`)).text();
  const size = Number(note.split('\n')[1]);
  for (let n = Math.floor(from / TILE_WIDTH); n * TILE_WIDTH < size; n++) {
    const width = Math.min(TILE_WIDTH, size - n * TILE_WIDTH);
    const response = await fetch(`${url}/ledger/${entryBundlePath(n, width)}`);
    if (response.status !== 200) throw new Error(`bundle ${n}: HTTP ${response.status}`);
    decodeEntryBundle(new Uint8Array(await response.arrayBuffer()), width).forEach((entry, k) => {
      into[n * TILE_WIDTH + k] = entry;
    });
  }
  return { note, size };
}

const providers = Object.keys(resources);
const consumers = ['zhengwu', 'caizheng', 'jingxin'];

describe('the hub killed with SIGKILL during traffic', () => {
  it('keeps every acknowledged entry at its index, and the log verifies after restart', async () => {
    const first = await startHub();
    const tokens = (
      JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as { tokens: Record<string, string> }
    ).tokens;
    const api = (member: string, path: string, body: unknown) =>
      fetch(`${first.url}/api/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[member]}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const vkey = (await (await fetch(`${first.url}/ledger/vkey`)).text()).trim();

    let killed = false;
    let stop = false;
    const unexpected: string[] = [];
    const ackedEvents: AccessRecord[] = [];
    const lastAckedSeq = new Map<string, number>();
    const ackedAgreements: string[] = [];
    const nodes = new Map<string, SimulatedNode>();
    for (const provider of providers) {
      const node = new SimulatedNode(first.url, provider, tokens[provider]!);
      await node.register();
      nodes.set(provider, node);
    }

    // Nodes: batches of 1–20 records in chain order, the next batch only after the previous one was answered.
    const ship = async (provider: string) => {
      const node = nodes.get(provider)!;
      while (!stop) {
        const records = node.nextRecords(1 + Math.floor(Math.random() * 20), { resourceCode: resources[provider]! });
        try {
          const cursor = await node.ship(records);
          ackedEvents.push(...records);
          lastAckedSeq.set(provider, cursor.lastSeq);
        } catch (error) {
          // Refused or cut off: the hub is gone, nothing of this batch was acknowledged.
          if (!killed) unexpected.push(`${provider} ${(error as Error).message}`);
          return;
        }
      }
    };
    // Departments: applications for data, each logged as an 'apply' entry before the 201.
    const apply = async (consumer: string) => {
      while (!stop) {
        try {
          const response = await api(consumer, '/agreements', {
            resourceCode: 'tongji.enterprise_annual',
            purpose: '亩均效益评价（压力测试）',
            legalBasis: '《政务信息资源共享管理暂行办法》',
            items: ['year', 'value_added'],
            modes: ['aggregate'],
            validFrom: '2026-11-27',
            validTo: '2027-06-30',
            rateLimitPerMinute: 10,
          });
          const body = (await response.json()) as { id?: string; code?: string };
          if (response.status !== 201) {
            unexpected.push(`${consumer} ${response.status} ${body.code}`);
            return;
          }
          ackedAgreements.push(body.id!);
        } catch (error) {
          if (!killed) unexpected.push(`${consumer} ${(error as Error).message}`);
          return;
        }
      }
    };
    // A client following the log: what it read before the kill must read the same afterwards.
    const seen: Uint8Array[] = [];
    let seenNote = '';
    let checkpointsSeen = 0;
    const follow = async () => {
      let size = 0;
      while (!stop) {
        try {
          const read = await readLog(first.url, size, seen);
          if (read.size > size) checkpointsSeen++;
          size = read.size;
          seenNote = read.note;
        } catch (error) {
          if (!killed) unexpected.push(`follower ${(error as Error).message}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };

    const traffic = [...providers.map(ship), ...consumers.map(apply), follow()];
    await waitFor(
      'traffic and checkpoints',
      () =>
        unexpected.length > 0 || (ackedEvents.length >= 300 && ackedAgreements.length >= 10 && checkpointsSeen >= 3),
    );
    expect(unexpected).toEqual([]);
    killed = true;
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    stop = true;
    await Promise.all(traffic);
    expect(unexpected).toEqual([]);
    const sinceFile = join(dataDir, 'checkpoint-before-kill');
    writeFileSync(sinceFile, seenNote);

    const second = await startHub();
    const entries: Uint8Array[] = [];
    const { size } = await readLog(second.url, 0, entries);
    // Whatever a client had read before the kill is unchanged, byte for byte and index for index.
    expect(size).toBeGreaterThanOrEqual(seen.length);
    const changed = seen.flatMap((bytes, index) => (Buffer.from(bytes).equals(entries[index]!) ? [] : [index]));
    expect(changed).toEqual([]);

    const logged = entries.map((bytes) => JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>);
    const accessCount = new Map<string, number>();
    for (const entry of logged) {
      if (entry.type !== 'access') continue;
      const record = entry.record as AccessRecord;
      const key = `${record.node}/${record.seq}/${record.eventId}`;
      accessCount.set(key, (accessCount.get(key) ?? 0) + 1);
    }
    // Acknowledged records are in the log exactly once (their cursor was committed with them)…
    const notOnce = ackedEvents
      .map((record) => `${record.node}/${record.seq}/${record.eventId}`)
      .filter((key) => accessCount.get(key) !== 1);
    expect(notOnce).toEqual([]);
    // …and a node resuming from the hub's cursor does not ship them again.
    for (const provider of providers) {
      const response = await fetch(`${second.url}/api/v1/ledger/access-events/cursor`, {
        headers: { authorization: `Bearer ${tokens[provider]}` },
      });
      const { lastSeq } = (await response.json()) as { lastSeq: number };
      expect(lastSeq).toBeGreaterThanOrEqual(lastAckedSeq.get(provider) ?? 0);
    }
    const applied = new Set(
      logged
        .filter((entry) => entry.type === 'agreement' && entry.action === 'apply')
        .map((entry) => entry.agreementId),
    );
    expect(ackedAgreements.filter((id) => !applied.has(id))).toEqual([]);

    // The outside auditor's check: key pinned, consistent with the checkpoint read before the kill.
    const verify = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [hutong, 'ledger', 'verify', '--url', second.url, '--vkey', vkey, '--since', sinceFile, '--json'],
        { timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(verify, verify.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(verify.stdout)).toMatchObject({
      ok: true,
      size,
      consistentWith: Number(seenNote.split('\n')[1]),
    });
    second.child.kill('SIGTERM');
  }, 120_000);
});
