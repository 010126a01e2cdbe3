/**
 * Nodes ship their committed access decisions to the hub's Merkle log: every served or refused request
 * becomes one entry, subjects appear only as keyed hashes, and no raw ID number, name or credit code of
 * the demo data appears anywhere in the log's bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeLedgerCrypto } from '../adapters/crypto/ledger-crypto';
import { cosignatureVkey } from '../core/ledger/cosignature';
import { parsePolicy, verifyCheckpointWithPolicy } from '../core/ledger/policy';
import { witnessKeyName } from '../core/members/member';
import { makeUscc } from '../core/ids/uscc';
import { formatAddCheckpointRequest } from '../core/ledger/witness-rules';
import { runLedgerVerify } from '../cli/ledger-commands';
import { exportCity } from '../datasets/demo-city';
import { SimulatedNode } from '../testing/simulated-node';
import { startTestCity, type TestCity } from '../testing/test-city';

let city: TestCity;

/** Publishes a checkpoint of everything logged so far and waits until the witnesses have made it final. */
async function finalCheckpoint(): Promise<void> {
  await city.log.publishCheckpoint(new Date());
  for (let round = 0; round < 40; round += 1) {
    if ((await city.witnessing.cosignLatest()).final) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the checkpoint did not become final');
}

function parseCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, index) => [columns[index]!, value])));
}

beforeAll(async () => {
  city = await startTestCity({ node: { shipIntervalMs: 3_600_000 } });
}, 120_000);
afterAll(async () => {
  await city?.close();
});

describe('an idle log', () => {
  it('becomes final once the nodes that started after the hub have cosigned it', async () => {
    // Witnesses that are slow or not yet reachable are asked again at the next tick; on a loaded machine
    // that may take a few rounds.
    let result = await city.witnessing.cosignLatest();
    for (let round = 0; round < 20 && result.witnesses.length < 10; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      result = await city.witnessing.cosignLatest();
    }
    expect(result.witnesses).toHaveLength(10);
    expect(result.final).toBe(true);
  }, 30_000);
});

describe('access decisions in the hub’s log', () => {
  it('arrive once each, and the log holds no raw personal data', async () => {
    const out = join(city.dataDir, 'export');
    await exportCity(city.dataDir, out);
    const household = parseCsv(join(out, 'gongan.household.csv'));
    const enterprises = parseCsv(join(out, 'shichang.enterprise.csv'));
    const agreements = await city.hub<{ items: { id: string; resourceCode: string }[] }>(
      'zhengwu',
      'GET',
      '/agreements?side=consumer&status=active',
    );
    const agreement = agreements.json.items.find((a) => a.resourceCode === 'gongan.household')!;
    const node = city.node('zhengwu');
    const requestIds: string[] = [];
    for (const row of household.slice(0, 5)) {
      const response = await fetch(`${node.url}/local/v1/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${node.localToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          agreementId: agreement.id,
          mode: 'record',
          subjects: [row.id_number],
          items: ['id_number', 'name'],
        }),
      });
      expect(response.status).toBe(200);
      requestIds.push(response.headers.get('hutong-request-id')!);
    }
    const before = await city.hub<{ lastSeq: number }>('gongan', 'GET', '/ledger/access-events/cursor');
    const shipped = await city.node('gongan').service.shipAudit();
    expect(shipped.shipped).toBeGreaterThanOrEqual(5);
    expect((await city.node('gongan').service.shipAudit()).shipped).toBe(0);
    const after = await city.hub<{ lastSeq: number }>('gongan', 'GET', '/ledger/access-events/cursor');
    expect(after.json.lastSeq).toBe(before.json.lastSeq + shipped.shipped);

    // Read the whole log through its public interface, as any auditor would.
    await city.log.publishCheckpoint(new Date());
    const entries: string[] = [];
    for (let index = 0; ; index += 1) {
      const response = await fetch(`${city.url}/ledger/entries/${index}`);
      if (response.status !== 200) break;
      entries.push(((await response.json()) as { data: string }).data);
    }
    const access = entries.map((entry) => JSON.parse(entry)).filter((entry) => entry.type === 'access');
    for (const requestId of requestIds) {
      expect(access.filter((entry) => entry.record.requestId === requestId)).toHaveLength(1);
    }
    const bytes = entries.join('\n');
    for (const row of household.slice(0, 200)) {
      expect(bytes).not.toContain(row.id_number);
      expect(bytes).not.toContain(row.name);
    }
    for (const row of enterprises.slice(0, 100)) expect(bytes).not.toContain(row.uscc);
  });

  it('logs a decision about thousands of subjects as consecutive entries that each fit the log', async () => {
    const agreements = await city.hub<{ items: { id: string; resourceCode: string; granted: { modes: string[] } }[] }>(
      'jingxin',
      'GET',
      '/agreements?side=consumer&status=active',
    );
    const agreement = agreements.json.items.find(
      (a) => a.resourceCode === 'shuiwu.tax_annual' && a.granted.modes.includes('compute'),
    )!;
    // Valid credit codes nobody is registered under: the answer is "missing", the decision still names them.
    const subjects = Array.from({ length: 2500 }, (_, i) => makeUscc('339102', String(10_000_000 + i * 7).slice(0, 8)));
    const node = city.node('jingxin');
    const response = await fetch(`${node.url}/local/v1/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${node.localToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        agreementId: agreement.id,
        mode: 'compute',
        computation: 'shuiwu.tax_paid_annual',
        params: { year: 2025 },
        subjects,
      }),
    });
    expect(response.status).toBe(200);
    const requestId = response.headers.get('hutong-request-id')!;
    await city.node('shuiwu').service.shipAudit();
    const found = await city.hub<{ items: { index: number }[] }>(
      'jingxin',
      'GET',
      `/ledger/entries?requestId=${encodeURIComponent(requestId)}`,
    );
    expect(found.status).toBe(200);
    expect(found.json.items).toHaveLength(3);
    await city.log.publishCheckpoint(new Date());
    const parts: { part: number; parts: number; subjects: string[] }[] = [];
    for (const { index } of found.json.items) {
      const bundle = await fetch(`${city.url}/ledger/entries/${index}`).then(
        (r) => r.json() as Promise<{ data: string }>,
      );
      expect(new TextEncoder().encode(bundle.data).length).toBeLessThanOrEqual(0xffff);
      parts.push(JSON.parse(bundle.data).record);
    }
    parts.sort((a, b) => a.part - b.part);
    expect(parts.map((p) => [p.part, p.parts])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(new Set(parts.flatMap((p) => p.subjects)).size).toBe(2500);
  });

  it('refuses a node shipping another department’s decisions, or raw identifiers', async () => {
    const keyOf = async (member: string) => {
      const found = await city.hub<{ publicKeys: { id: string; algorithm: string }[] }>(
        'zhengwu',
        'GET',
        `/members/${member}`,
      );
      return `${member}:${found.json.publicKeys.filter((k) => k.algorithm === 'ed25519').at(-1)!.id}`;
    };
    // 民政's own node key signs records that claim to be 公安's decisions.
    const minzheng = SimulatedNode.withNodeKey(
      city.dataDir,
      city.url,
      'minzheng',
      city.credentials.tokens.minzheng!,
      await keyOf('minzheng'),
    );
    const forged = minzheng.nextRecords(1, { node: 'gongan' });
    await expect(minzheng.ship(forged)).rejects.toMatchObject({ status: 403 });
    // A raw ID number where a keyed hash belongs does not fit the record's shape.
    const gongan = SimulatedNode.withNodeKey(
      city.dataDir,
      city.url,
      'gongan',
      city.credentials.tokens.gongan!,
      await keyOf('gongan'),
    );
    const raw = gongan.nextRecords(1, { subjects: ['11010519491231002X'] });
    await expect(gongan.ship(raw)).rejects.toMatchObject({ status: 400 });
  });
});

describe('provider nodes witness the hub’s log', () => {
  it('cosign each checkpoint; with a majority the checkpoint is final under the published policy', async () => {
    await city.log.append([new TextEncoder().encode('{"probe":1}')]);
    await city.log.publishCheckpoint(new Date());
    let result = await city.witnessing.cosignLatest();
    for (let round = 0; round < 20 && result.witnesses.length < 10; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      result = await city.witnessing.cosignLatest();
    }
    expect(result.witnesses).toEqual([
      'gongan',
      'gongdian',
      'minzheng',
      'renshe',
      'shengtai',
      'shichang',
      'shuiwu',
      'tongji',
      'yingji',
      'ziranziyuan',
    ]);
    expect(result.final).toBe(true);
    const note = await fetch(`${city.url}/ledger/checkpoint`).then((response) => response.text());
    const policy = parsePolicy(
      nodeLedgerCrypto,
      await fetch(`${city.url}/ledger/policy`).then((response) => response.text()),
    );
    const verified = verifyCheckpointWithPolicy(nodeLedgerCrypto, policy, note, 'qinghe.gov.cn/hutong/log');
    expect(verified.witnesses.length).toBe(10);
    // The independent verifier accepts the whole log and names the cosigning departments.
    const out: string[] = [];
    const code = await runLedgerVerify({ url: city.url }, { out: (line) => out.push(line), err: () => {} });
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/cosigned by gongan gongdian minzheng/);
    // The witness remembers what it cosigned: the same request from size 0 again is a conflict.
    const again = await fetch(`${city.node('gongan').url}/witness/add-checkpoint`, {
      method: 'POST',
      body: formatAddCheckpointRequest(0, [], note),
    });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('text/x.tlog.size');
    // A consumer node witnesses nothing.
    const consumer = await fetch(`${city.node('zhengwu').url}/witness/add-checkpoint`, {
      method: 'POST',
      body: formatAddCheckpointRequest(0, [], note),
    });
    expect(consumer.status).toBe(404);
  });

  it('publishes the witness keys the members registered; only the member’s node changes its own, and a saved policy notices', async () => {
    const policyText = await fetch(`${city.url}/ledger/policy`).then((response) => response.text());
    const registered = await city.hub<{ publicKeys: { id: string; algorithm: string; publicKey: string }[] }>(
      'gongan',
      'GET',
      '/members/gongan',
    );
    const key = registered.json.publicKeys.filter((k) => k.algorithm === 'ed25519-witness').at(-1)!;
    const nodeKey = registered.json.publicKeys.filter((k) => k.algorithm === 'ed25519').at(-1)!;
    const expected = cosignatureVkey(nodeLedgerCrypto, witnessKeyName('gongan'), Buffer.from(key.publicKey, 'base64'));
    expect(policyText).toContain(`witness gongan ${expected} `);
    // The node answers the same key (it registered its own).
    const served = await fetch(`${city.node('gongan').url}/witness/vkey`).then((response) => response.text());
    expect(served.trim()).toBe(expected);

    // An auditor saves the checkpoint and the policy it trusts.
    const saved = join(city.dataDir, 'trusted-checkpoint');
    const io = { out: () => {}, err: () => {} };
    await finalCheckpoint();
    expect(await runLedgerVerify({ url: city.url, save: saved, nodes: false }, io)).toBe(0);

    const rotated = Buffer.alloc(32, 7).toString('base64');
    const gongan = SimulatedNode.withNodeKey(
      city.dataDir,
      city.url,
      'gongan',
      city.credentials.tokens.gongan!,
      `gongan:${nodeKey.id}`,
    );
    // The operator cannot move a department's trust root, not even with its console session.
    const operator = await fetch(`${city.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'dashuju', password: city.credentials.password }),
    }).then((response) => response.json() as Promise<{ token: string }>);
    const byOperator = await gongan.registerKey('ed25519-witness', rotated, false, operator.token);
    expect(byOperator).toMatchObject({ status: 403, json: { code: 'NOT_OWN_MEMBER' } });
    // Nor can the member's administrator alone (a stolen token or session): the node must sign the change.
    const unsigned = await gongan.registerKey('ed25519-witness', rotated, false);
    expect(unsigned).toMatchObject({ status: 401, json: { code: 'NODE_SIGNATURE_REQUIRED' } });
    // Another member cannot register a witness key for gongan.
    const forged = await city.hub('shuiwu', 'POST', '/members/gongan/keys', {
      algorithm: 'ed25519-witness',
      publicKey: Buffer.alloc(32, 9).toString('base64'),
    });
    expect(forged.status).toBe(403);
    expect((await fetch(`${city.url}/ledger/policy`).then((response) => response.text())).trim()).toBe(
      policyText.trim(),
    );

    // The member's own node, signing with its current key, may — and the change is a log entry.
    const signed = await gongan.registerKey('ed25519-witness', rotated, true);
    expect(signed.status).toBe(201);
    const after = await fetch(`${city.url}/ledger/policy`).then((response) => response.text());
    expect(after).toContain(
      `witness gongan ${cosignatureVkey(nodeLedgerCrypto, witnessKeyName('gongan'), Buffer.from(rotated, 'base64'))} `,
    );
    expect(after).not.toContain(expected);
    const logged = await city.hub<{ items: { index: number; action: string; actor: string }[] }>(
      'shenji',
      'GET',
      '/ledger/entries?kind=member&order=index&pageSize=5',
    );
    expect(logged.json.items[0]).toMatchObject({ action: 'key', actor: 'gongan' });
    await city.log.publishCheckpoint(new Date());
    const entry = await fetch(`${city.url}/ledger/entries/${logged.json.items[0]!.index}`).then(
      (response) => response.json() as Promise<{ data: string }>,
    );
    expect(JSON.parse(entry.data)).toMatchObject({
      type: 'member',
      action: 'key',
      memberCode: 'gongan',
      algorithm: 'ed25519-witness',
      publicKey: rotated,
    });

    // The auditor's next check fails on the changed policy unless told to accept it.
    await finalCheckpoint();
    const findings: string[] = [];
    const strict = { out: () => {}, err: (line: string) => findings.push(line) };
    expect(await runLedgerVerify({ url: city.url, since: saved, nodes: false }, strict)).toBe(1);
    expect(findings.join('\n')).toContain('POLICY_CHANGED');
    expect(
      await runLedgerVerify({ url: city.url, since: saved, nodes: false, acceptPolicy: true, save: saved }, io),
    ).toBe(0);

    // Put the node's own key back so later checkpoints are cosigned again (signed by the node, as it must be).
    expect((await gongan.registerKey('ed25519-witness', key.publicKey, true)).status).toBe(201);
  });
});
