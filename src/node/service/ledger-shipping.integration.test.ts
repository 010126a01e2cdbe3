/**
 * Nodes ship their committed access decisions to the hub's Merkle log: every served or refused request
 * becomes one entry, subjects appear only as keyed hashes, and no raw ID number, name or credit code of
 * the demo data appears anywhere in the log's bytes.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeLedgerCrypto } from '../../platform/crypto/ledger-crypto';
import { cosignatureVkey } from '../../core/ledger/cosignature';
import { parsePolicy, verifyCheckpointWithPolicy } from '../../core/ledger/policy';
import { formatNote, parseNote } from '../../core/ledger/note';
import { type Member, newestNodeKey, witnessKeyName } from '../../core/members/member';
import { makeUscc } from '../../core/ids/uscc';
import { formatAddCheckpointRequest } from '../../core/ledger/witness-rules';
import { runLedgerCheckProof } from '../../cli/ledger/check-proof';
import { runLedgerProve } from '../../cli/ledger/prove';
import { runLedgerVerify } from '../../cli/ledger/verify';
import { HUTONG_LOG_ORIGIN } from '../../ledger/service/log-service';
import { createHash } from 'node:crypto';
import { recordHash } from '../../core/audit/chain';
import { decodeEntryBundle, entryBundlePath, newTiles, TILE_WIDTH, tilePath } from '../../core/ledger/tiles';
import { SimulatedNode } from '../../testing/simulated-node';
import { startTestCity, type TestCity } from '../../testing/test-city';

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

/** The member's current node key id, as the hub registered it. */
async function keyOf(member: string): Promise<string> {
  const found = await city.hub<Member>('zhengwu', 'GET', `/members/${member}`);
  return `${member}:${newestNodeKey(found.json)!.id}`;
}

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
    await city.exportData(out);
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

describe('only nodes write the log, and nothing in it points at a person or a case', () => {
  const localQuery = async (member: string, body: Record<string, unknown>): Promise<string> => {
    const answer = await city.localQuery(member, body);
    expect(answer.status, answer.text).toBe(200);
    return answer.requestId!;
  };

  const agreementFor = async (consumer: string, resource: string, mode: string) => {
    const list = await city.hub<{ items: { id: string; resourceCode: string; granted: { modes: string[] } | null }[] }>(
      consumer,
      'GET',
      '/agreements?side=consumer&status=active&pageSize=200',
    );
    const found = list.json.items.find((a) => a.resourceCode === resource && a.granted?.modes.includes(mode));
    if (!found) throw new Error(`no active ${mode} agreement ${consumer} → ${resource}`);
    return found.id;
  };
  /** Every log entry's bytes and every tile's bytes, read over the public tlog-tiles interface. */
  const readPublicLog = async () => {
    await city.log.publishCheckpoint(new Date());
    const note = await fetch(`${city.url}/ledger/checkpoint`).then((r) => r.text());
    const size = Number(note.split('\n')[1]);
    const entries: Uint8Array[] = [];
    const tiles: Uint8Array[] = [];
    for (let n = 0; n * TILE_WIDTH < size; n++) {
      const width = Math.min(TILE_WIDTH, size - n * TILE_WIDTH);
      const bundle = new Uint8Array(
        await (await fetch(`${city.url}/ledger/${entryBundlePath(n, width)}`)).arrayBuffer(),
      );
      entries.push(...decodeEntryBundle(bundle, width));
    }
    for (const tile of newTiles(0, size)) {
      tiles.push(new Uint8Array(await (await fetch(`${city.url}/ledger/${tilePath(tile)}`)).arrayBuffer()));
    }
    return { entries, tiles };
  };

  it('takes a node’s records from its own signed shipment only: not a session, not a token, not a replay', async () => {
    const agreement = await agreementFor('zhengwu', 'gongan.household', 'verify');
    for (const id of ['11010519491231002X', '440524188001010014']) {
      await localQuery('zhengwu', {
        agreementId: agreement,
        mode: 'verify',
        subject: id,
        predicate: { op: 'gte', item: { ageAt: '2026-11-27', of: 'birth_date' }, value: 60 },
      });
    }
    const endpoint = `${city.url}/api/v1/ledger/access-events`;
    const cursor = async () =>
      (await city.hub<{ lastSeq: number; lastHash: string | null }>('gongan', 'GET', '/ledger/access-events/cursor'))
        .json;
    const before = await cursor();
    const trail = (await city.node('gongan').service.recentRequests(5000)).sort((a, b) => a.seq - b.seq);
    const pending = trail.filter((event) => event.seq > before.lastSeq);
    expect(pending.length).toBeGreaterThanOrEqual(2);
    const node = SimulatedNode.withNodeKey(
      city.dataDir,
      city.url,
      'gongan',
      city.credentials.tokens.gongan!,
      await keyOf('gongan'),
    );
    const shipment = node.shipment(pending.map((event) => event.record));

    // The department's administrator, logged into the console.
    const login = await fetch(`${city.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'gongan', password: city.credentials.password }),
    }).then((r) => r.json() as Promise<{ token: string }>);
    const post = (headers: Record<string, string>, body: string) =>
      fetch(endpoint, { method: 'POST', headers, body }).then(async (r) => ({
        status: r.status,
        code: ((await r.json()) as { code?: string }).code,
      }));
    const json = { 'content-type': 'application/json' };
    expect(await post({ ...json, authorization: `Bearer ${login.token}` }, JSON.stringify(shipment))).toEqual({
      status: 403,
      code: 'SESSION_CANNOT_WRITE_LEDGER',
    });
    // The member's API token, which the node itself holds to read agreements.
    expect(
      await post({ ...json, authorization: `Bearer ${city.credentials.tokens.gongan}` }, JSON.stringify(shipment)),
    ).toEqual({ status: 401, code: 'NODE_SIGNATURE_REQUIRED' });
    expect(await cursor()).toEqual(before);

    // The node's own shipment is taken once; the same signed bytes sent again are a replay.
    const signed = node.signedRequest(shipment);
    expect(await post(signed.headers, signed.payload)).toEqual({ status: 200, code: undefined });
    expect(await post(signed.headers, signed.payload)).toEqual({ status: 409, code: 'SHIPMENT_REPLAYED' });
    // A different signature over records the log already holds moves nothing either.
    const again = node.signedRequest(shipment);
    expect(await post(again.headers, again.payload)).toEqual({ status: 200, code: undefined });
    expect((await cursor()).lastSeq).toBe(pending.at(-1)!.seq);

    // Whatever was refused, every event of the node's trail is in the log exactly once.
    await city.node('gongan').service.shipAudit();
    const all = (await city.node('gongan').service.recentRequests(5000)).sort((a, b) => a.seq - b.seq);
    const { entries } = await readPublicLog();
    const logged = entries
      .map((bytes) => JSON.parse(new TextDecoder().decode(bytes)))
      .filter((entry) => entry.type === 'access' && entry.record.node === 'gongan')
      .map((entry) => `${entry.record.seq}:${recordHash(nodeLedgerCrypto, entry.record)}`);
    expect(logged).toEqual(all.map((event) => `${event.seq}:${event.recordHash}`));
  });

  it('holds no raw identifier, no unkeyed hash of one or of a body, and no clear officer or case', async () => {
    const out = join(city.dataDir, 'export-scan');
    await city.exportData(out);
    const household = parseCsv(join(out, 'gongan.household.csv'));
    const enterprises = parseCsv(join(out, 'shichang.enterprise.csv'));
    const officer = 'wang.xiaoming';
    // A case ID with a suspect's name in it, as the issue found one.
    const caseId = `刑侦-2026-017-${household[3]!.name}`;
    const context = { officer, caseId };
    const person = household[0]!.id_number!;
    // record, verify, aggregate, compute and covert calls, all carrying the officer and the case.
    await localQuery('zhengwu', {
      ...context,
      agreementId: await agreementFor('zhengwu', 'gongan.household', 'record'),
      mode: 'record',
      subjects: [person, household[1]!.id_number],
      items: ['id_number', 'name'],
    });
    await localQuery('zhengwu', {
      ...context,
      agreementId: await agreementFor('zhengwu', 'gongan.household', 'verify'),
      mode: 'verify',
      subject: household[2]!.id_number,
      predicate: { op: 'eq', item: 'name', value: household[2]!.name },
    });
    await localQuery('caizheng', {
      ...context,
      agreementId: await agreementFor('caizheng', 'shuiwu.tax_annual', 'aggregate'),
      mode: 'aggregate',
      groupBy: ['year'],
      measures: [{ fn: 'count' }],
    });
    await localQuery('jingxin', {
      ...context,
      agreementId: await agreementFor('jingxin', 'shuiwu.tax_annual', 'compute'),
      mode: 'compute',
      computation: 'shuiwu.tax_paid_annual',
      params: { year: 2025 },
      subjects: enterprises.slice(0, 20).map((e) => e.uscc),
    });
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const covertRequest = await localQuery('gongan', {
      ...context,
      agreementId: await agreementFor('gongan', 'renshe.pension', 'record'),
      mode: 'record',
      subjects: [person],
      covertUntil: until,
    });
    for (const code of ['gongan', 'shuiwu', 'renshe']) await city.node(code).service.shipAudit();
    const { entries, tiles } = await readPublicLog();
    const text = entries.map((bytes) => new TextDecoder().decode(bytes)).join('\n');

    // Raw identifiers and names.
    const raw = [
      ...household.flatMap((row) => [row.id_number!, row.name!]),
      ...enterprises.flatMap((row) => [row.uscc!, row.name!]),
      officer,
      caseId,
    ];
    expect(raw.filter((value) => text.includes(value))).toEqual([]);
    // Unkeyed SHA-256 of every ID number and credit code in the city, and of every request and answer body
    // (their Content-Digests, as every node's own audit trail keeps them), in hex, base64 and base64url.
    const digests: Buffer[] = [...household.map((row) => row.id_number!), ...enterprises.map((row) => row.uscc!)].map(
      (value) => createHash('sha256').update(value).digest(),
    );
    for (const member of ['gongan', 'shuiwu', 'renshe', 'zhengwu', 'jingxin', 'caizheng']) {
      for (const event of await city.node(member).service.recentRequests(5000)) {
        for (const header of [event.requestDigest, event.responseDigest]) {
          const value = /sha-256=:([A-Za-z0-9+/=]+):/.exec(header ?? '')?.[1];
          if (value) digests.push(Buffer.from(value, 'base64'));
        }
      }
    }
    expect(digests.length).toBeGreaterThan(household.length);
    const spellings = new Set(
      digests.flatMap((d) => [d.toString('hex'), d.toString('base64'), d.toString('base64url')]),
    );
    const tokens = text.match(/[A-Za-z0-9+/_=-]{43,}/g) ?? [];
    expect(tokens.filter((token) => spellings.has(token) || spellings.has(token.replace(/=+$/, '')))).toEqual([]);
    const binary = new Set(digests.map((d) => d.toString('hex')));
    const tileHashes = tiles.flatMap((tile) =>
      Array.from({ length: tile.length / 32 }, (_, k) =>
        Buffer.from(tile.subarray(k * 32, k * 32 + 32)).toString('hex'),
      ),
    );
    expect(tileHashes.filter((hash) => binary.has(hash))).toEqual([]);

    // The officer and the case are keyed hashes the hub can match; a covert access's are of another key, so
    // it cannot be linked to the same officer's and case's other accesses before its date.
    const records = entries
      .map((bytes) => JSON.parse(new TextDecoder().decode(bytes)))
      .filter((entry) => entry.type === 'access')
      .map((entry) => entry.record);
    const covert = records.find((record) => record.requestId === covertRequest)!;
    expect(covert.covertUntil).toBe(until);
    const open = records.filter((record) => record.consumerCode === 'zhengwu' && record.officer !== null).at(-1)!;
    expect(covert.officer).not.toBe(open.officer);
    expect(covert.caseId).not.toBe(open.caseId);
    const byCase = await city.hub<{ total: number }>(
      'zhengwu',
      'GET',
      `/ledger/entries?caseId=${encodeURIComponent(caseId)}&kind=access`,
    );
    expect(byCase.json.total).toBeGreaterThanOrEqual(2);
    // The auditor's auditors read the clear values through a view that is itself logged; nobody else can.
    const index = entries.findIndex((bytes) => new TextDecoder().decode(bytes).includes(covertRequest));
    const detailsUrl = `${city.url}/api/v1/ledger/entries/${index}/details`;
    const asUser = async (username: string) => {
      const session = await fetch(`${city.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: city.credentials.password }),
      }).then((r) => r.json() as Promise<{ token: string }>);
      const response = await fetch(detailsUrl, { headers: { authorization: `Bearer ${session.token}` } });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    };
    expect(await asUser('shenji')).toMatchObject({ status: 200, json: { officer, caseId, node: 'renshe' } });
    for (const other of ['gongan', 'dashuju']) expect((await asUser(other)).status).toBe(403);
    // A system's token is not a person: not attributable, not allowed.
    expect((await city.hub('shenji', 'GET', `/ledger/entries/${index}/details`)).status).toBe(403);
    const viewed = await city.hub<{ items: { kind: string; action: string; actor: string }[] }>(
      'shenji',
      'GET',
      '/ledger/entries?kind=disclosure&order=index&pageSize=1',
    );
    expect(viewed.json.items[0]).toMatchObject({ kind: 'disclosure', action: 'access-details', actor: 'shenji' });
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
    const sm2PolicyAnswer = await fetch(`${city.url}/ledger/sm2-policy`);
    if (city.crypto === 'gm') {
      // The log's SM2 line and each witness's SM2 cosignature beside the C2SP ones, meeting the SM2 policy.
      const sm2Policy = parsePolicy(nodeLedgerCrypto, await sm2PolicyAnswer.text());
      const sm2 = verifyCheckpointWithPolicy(nodeLedgerCrypto, sm2Policy, note, 'qinghe.gov.cn/hutong/log');
      expect(sm2.witnesses.length).toBe(10);
      const { text, signatures } = parseNote(note);
      expect(signatures.length).toBe(2 + 2 * 10);
      // One SM2 cosignature bit flipped: the SM2 policy refuses the note; a C2SP verifier (the tlog-policy's
      // keys) skips the line as an unknown key's and still accepts it.
      const sm2Key = sm2Policy.witnesses[0]!.key;
      const tampered = formatNote(
        text,
        signatures.map((signature) =>
          signature.name === sm2Key.name && signature.keyId === sm2Key.keyId
            ? { ...signature, signature: signature.signature.map((byte, i) => (i === 20 ? byte ^ 1 : byte)) }
            : signature,
        ),
      );
      expect(() => verifyCheckpointWithPolicy(nodeLedgerCrypto, sm2Policy, tampered)).toThrow(
        expect.objectContaining({ code: 'BAD_SIGNATURE' }),
      );
      expect(verifyCheckpointWithPolicy(nodeLedgerCrypto, policy, tampered).witnesses.length).toBe(10);
    } else {
      expect(sm2PolicyAnswer.status).toBe(404);
      expect(parseNote(note).signatures.length).toBe(1 + 10);
    }
    // The independent verifier accepts the whole log and names the cosigning departments (and, under the
    // 国密 suite, checks the SM2 lines against the SM2 policy and the witness keys the members logged).
    const out: string[] = [];
    const code = await runLedgerVerify(
      { url: city.url, suite: city.crypto },
      { out: (line) => out.push(line), err: () => {} },
    );
    expect(code, out.join('\n')).toBe(0);
    expect(out.join('\n')).toMatch(/cosigned by gongan gongdian minzheng/);
    if (city.crypto === 'gm') expect(out.join('\n')).toMatch(/SM2 lines verified: log signature, cosigned by gongan/);
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

  it('writes proofs whose checkpoint carries the cosignatures the policy asks for, checked offline', async () => {
    await finalCheckpoint();
    const dir = join(city.dataDir, 'proofs');
    mkdirSync(dir, { recursive: true });
    const [proofFile, entryFile, policyFile] = ['entry.proof', 'entry.bin', 'policy'].map((f) => join(dir, f));
    writeFileSync(policyFile!, await fetch(`${city.url}/ledger/policy`).then((r) => r.text()));
    const said: string[] = [];
    const io = { out: (line: string) => said.push(line), err: (line: string) => said.push(line) };
    expect(
      await runLedgerProve({ url: city.url, index: '3', out: proofFile, entryOut: entryFile }, io),
      said.join('\n'),
    ).toBe(0);
    const proof = readFileSync(proofFile!, 'utf8');
    // The log's signature and at least a majority of the ten provider witnesses' cosignatures.
    expect(proof.split('\n').filter((line) => line.startsWith('— ')).length).toBeGreaterThanOrEqual(1 + 6);
    said.length = 0;
    // Offline: the policy file names the log key and the witnesses; no hub is asked.
    expect(await runLedgerCheckProof({ file: proofFile!, entry: entryFile, policy: policyFile }, io)).toBe(0);
    expect(said.join('\n')).toMatch(/proof verified: entry 3 .*cosigned by (\S+ ){5,}\S+/);
    // Without the cosignatures the same proof does not meet the policy.
    const bare = proof
      .split('\n')
      .filter((line) => !line.startsWith('— ') || line.startsWith(`— ${HUTONG_LOG_ORIGIN} `))
      .join('\n');
    writeFileSync(join(dir, 'bare.proof'), bare);
    said.length = 0;
    expect(await runLedgerCheckProof({ file: join(dir, 'bare.proof'), entry: entryFile, policy: policyFile }, io)).toBe(
      1,
    );
    expect(said.join('\n')).toContain('QUORUM_NOT_MET');
  });

  it('publishes the witness keys the members registered; only the member’s node changes its own, and a saved policy notices', async () => {
    const policyText = await fetch(`${city.url}/ledger/policy`).then((response) => response.text());
    const registered = await city.hub<Member>('gongan', 'GET', '/members/gongan');
    const key = registered.json.publicKeys.filter((k) => k.algorithm === 'ed25519-witness').at(-1)!;
    const nodeKey = newestNodeKey(registered.json)!;
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
