/**
 * Drives `ledger verify|prove|check-proof` in-process against a real demo hub on a loopback port. A
 * tampering hub is simulated with a fetch that rewrites bytes in transit.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519SignerFromSeed, nodeLedgerCrypto as c } from '../../platform/crypto/ledger-crypto';
import { signCheckpoint } from '../../core/ledger/checkpoint';
import { decodeEntryBundle, encodeEntryBundle } from '../../core/ledger/tiles';
import { ed25519NoteSigner, ed25519Vkey } from '../../core/ledger/note';
import { emptyRoot } from '../../core/ledger/merkle';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { loadOrCreateSeed } from '../../platform/crypto/seed-file';
import { testDialects } from '../../platform/db/test-databases';
import { ledgerRoutes } from '../../ledger/http/ledger-routes';
import { KyselyLedgerStore } from '../../ledger/store/kysely-ledger-store';
import type { LedgerDatabase } from '../../ledger/store/ledger-schema';
import type { AccessRecord } from '../../core/audit/access-record';
import { canonicalJsonBytes } from '../../core/ledger/canonical-json';
import { HUTONG_LOG_ORIGIN, LogService } from '../../ledger/service/log-service';
import { SimulatedNode } from '../../testing/simulated-node';
import { startTestHub, type TestHub } from '../../testing/test-hub';
import { runLedgerCheckProof } from './check-proof';
import type { FetchLike } from './common';
import { runLedgerProve } from './prove';
import { runLedgerVerify } from './verify';

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
};

/** A fetch that lets `rewrite` change the body of the responses whose path it recognises. */
function tampering(rewrite: (path: string, body: Uint8Array) => Uint8Array | undefined): FetchLike {
  return async (url) => {
    const res = await fetch(url);
    const body = new Uint8Array(await res.arrayBuffer());
    const changed = rewrite(new URL(url).pathname + new URL(url).search, body);
    return new Response(Buffer.from(changed ?? body), { status: res.status, headers: res.headers });
  };
}

const otherSigner = ed25519SignerFromSeed(new Uint8Array(32).fill(7));
const otherVkey = ed25519Vkey(c, HUTONG_LOG_ORIGIN, otherSigner.publicKey);
const signedByOther = (size: number, root: Uint8Array) =>
  signCheckpoint({ origin: HUTONG_LOG_ORIGIN, size, root, extensions: [] }, [
    ed25519NoteSigner(c, HUTONG_LOG_ORIGIN, otherSigner),
  ]);

describe('hutong ledger', () => {
  let t: TestHub;
  let dir: string;
  let seeded: number;

  beforeAll(async () => {
    t = await startTestHub();
    dir = mkdtempSync(join(tmpdir(), 'hutong-ledger-cli-'));
    seeded = (await t.hub.log.publishCheckpoint(new Date())).size;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('verifies the seeded log, then its growth since a saved checkpoint', async () => {
    expect(seeded).toBeGreaterThan(0);
    const saved = join(dir, 'old.checkpoint');
    const first = capture();
    expect(await runLedgerVerify({ url: t.url, save: saved }, first.io), first.err.join('\n')).toBe(0);
    expect(first.out).toEqual([
      expect.stringMatching(new RegExp(`^ledger verified: size ${seeded}, root \\S{44}$`)),
      // No node has shipped anything to this hub (it runs without nodes).
      'node chains: 0 checked, 0 heads confirmed by their nodes',
    ]);
    expect(readFileSync(saved, 'utf8')).toBe(await t.hub.log.checkpoint());

    // Grow past a tile boundary so new full and partial tiles appear.
    const more = Array.from({ length: 300 }, (_, i) => new TextEncoder().encode(`{"x":${i}}`));
    await t.hub.log.append(more);
    const grown = (await t.hub.log.publishCheckpoint(new Date())).size;
    expect(grown).toBe(seeded + 300);

    const second = capture();
    expect(await runLedgerVerify({ url: t.url, since: saved, vkey: t.hub.log.vkey() }, second.io)).toBe(0);
    expect(second.out[0]).toMatch(
      new RegExp(`^ledger verified: size ${grown}, root \\S+, consistent with size ${seeded}$`),
    );
    expect(second.err).toEqual([]);

    const json = capture();
    expect(await runLedgerVerify({ url: t.url, since: saved, json: true }, json.io)).toBe(0);
    expect(JSON.parse(json.out.join('\n'))).toMatchObject({ ok: true, size: grown, consistentWith: seeded });

    // A vkey given as a file works the same.
    const vkeyFile = join(dir, 'vkey');
    writeFileSync(vkeyFile, `${t.hub.log.vkey()}\n`);
    expect(await runLedgerVerify({ url: t.url, vkey: vkeyFile }, capture().io)).toBe(0);
  }, 120_000);

  it('writes a tlog-proof that check-proof accepts offline, and rejects it for another entry', async () => {
    const proofFile = join(dir, 'entry.proof');
    const entryFile = join(dir, 'entry.bin');
    const prove = capture();
    expect(await runLedgerProve({ url: t.url, index: '1', out: proofFile, entryOut: entryFile }, prove.io)).toBe(0);
    expect(prove.out[0]).toMatch(/^proof of entry 1 at size \d+ written to /);
    const proof = readFileSync(proofFile, 'utf8');
    expect(proof).toMatch(/^c2sp\.org\/tlog-proof@v1\nindex 1\n/);

    const stdout = capture();
    expect(await runLedgerProve({ url: t.url, index: '1' }, stdout.io)).toBe(0);
    expect(`${stdout.out.join('\n')}\n`).toBe(proof);

    const vkey = t.hub.log.vkey();
    const ok = capture();
    expect(await runLedgerCheckProof({ file: proofFile, entry: entryFile, vkey }, ok.io), ok.err.join()).toBe(0);
    expect(ok.out[0]).toMatch(/^proof verified: entry 1 is in qinghe\.gov\.cn\/hutong\/log at size \d+/);
    const text = readFileSync(entryFile, 'utf8');
    expect(await runLedgerCheckProof({ file: proofFile, entryText: text, url: t.url }, capture().io)).toBe(0);

    const wrongEntry = capture();
    expect(await runLedgerCheckProof({ file: proofFile, entryText: `${text} `, vkey }, wrongEntry.io)).toBe(1);
    expect(wrongEntry.err.join()).toContain('ROOT_MISMATCH');
    const wrongKey = capture();
    expect(await runLedgerCheckProof({ file: proofFile, entry: entryFile, vkey: otherVkey }, wrongKey.io)).toBe(1);
    expect(wrongKey.err.join()).toMatch(/proof rejected: (NO_VERIFIED_SIGNATURE|UNKNOWN_KEY|BAD_SIGNATURE)/);
    const noKey = capture();
    expect(await runLedgerCheckProof({ file: proofFile, entry: entryFile }, noKey.io)).toBe(2);
    expect(noKey.err.join()).toContain('NO_VKEY');
  });

  it('names the first tampered entry of a bundle rewritten in transit', async () => {
    const forge = tampering((path, body) => {
      if (!path.startsWith('/ledger/tile/entries/000')) return undefined;
      const entries = decodeEntryBundle(body);
      for (const k of [3, 7]) entries[k] = new TextEncoder().encode('{"decision":"served","forged":true}');
      return encodeEntryBundle(entries);
    });
    const r = capture();
    expect(await runLedgerVerify({ url: t.url }, r.io, forge)).toBe(1);
    expect(r.err.at(-1)).toMatch(/^ledger NOT verified: ROOT_MISMATCH at entry 3: /);
  });

  it('catches a forged hash tile and a forged consistency proof', async () => {
    const flipFirstByte = (body: Uint8Array) => {
      const copy = body.slice();
      copy[0]! ^= 1;
      return copy;
    };
    const tile = capture();
    const forgedTile = tampering((path, body) => (path === '/ledger/tile/0/000' ? flipFirstByte(body) : undefined));
    expect(await runLedgerVerify({ url: t.url }, tile.io, forgedTile)).toBe(1);
    expect(tile.err.at(-1)).toMatch(/ROOT_MISMATCH at tiles: .*tile\/0\/000/);

    const saved = join(dir, 'for-consistency.checkpoint');
    writeFileSync(saved, (await t.hub.log.checkpoint())!);
    await t.hub.log.append([new TextEncoder().encode('{"x":1}')]);
    await t.hub.log.publishCheckpoint(new Date());
    const forgedProof = tampering((path, body) => {
      if (!path.startsWith('/ledger/proof/consistency')) return undefined;
      const json = JSON.parse(new TextDecoder().decode(body));
      json.proof[0] = Buffer.alloc(32).toString('base64');
      return new TextEncoder().encode(JSON.stringify(json));
    });
    const proof = capture();
    expect(await runLedgerVerify({ url: t.url, since: saved }, proof.io, forgedProof)).toBe(1);
    expect(proof.err.at(-1)).toMatch(/ROOT_MISMATCH at consistency \d+→\d+/);
    expect(await runLedgerVerify({ url: t.url, since: saved }, capture().io)).toBe(0);
  });

  it('refuses checkpoints signed by a different key', async () => {
    // The auditor pinned another key.
    const pinned = capture();
    expect(await runLedgerVerify({ url: t.url, vkey: otherVkey }, pinned.io)).toBe(1);
    expect(pinned.err.at(-1)).toMatch(/ledger NOT verified: (NO_VERIFIED_SIGNATURE|UNKNOWN_KEY) at checkpoint/);

    // The hub swaps in a checkpoint signed by another key (same origin) and serves that key's vkey.
    const swapped = tampering((path) => {
      if (path === '/ledger/checkpoint') return new TextEncoder().encode(signedByOther(0, emptyRoot(c)));
      if (path === '/ledger/vkey') return new TextEncoder().encode(`${otherVkey}\n`);
      return undefined;
    });
    const saved = join(dir, 'genuine.checkpoint');
    writeFileSync(saved, (await t.hub.log.checkpoint())!);
    const swap = capture();
    expect(await runLedgerVerify({ url: t.url, since: saved }, swap.io, swapped)).toBe(1);
    expect(swap.err.at(-1)).toMatch(/ledger NOT verified: (NO_VERIFIED_SIGNATURE|UNKNOWN_KEY) at saved checkpoint/);

    // A saved checkpoint from another key is refused too.
    const foreign = join(dir, 'foreign.checkpoint');
    writeFileSync(foreign, signedByOther(1, emptyRoot(c)));
    const r = capture();
    expect(await runLedgerVerify({ url: t.url, since: foreign }, r.io)).toBe(1);
    expect(r.err.at(-1)).toMatch(/at saved checkpoint/);
  });

  describe('a hub that edits or drops a node’s access record', () => {
    let node: SimulatedNode;
    const policyFile = () => join(dir, 'no-witnesses.policy');

    beforeAll(async () => {
      node = new SimulatedNode(t.url, 'gongan', t.credentials.tokens.gongan!);
      await node.register();
      // Three shipments: records 1–3, 4–6, 7–9 (the last of each sealed).
      for (let k = 0; k < 3; k++) await node.ship(node.nextRecords(3));
      await t.hub.log.publishCheckpoint(new Date());
      writeFileSync(policyFile(), `log ${t.hub.log.vkey()}\nquorum none\n`);
    });

    /** The hub's log entries, with one access record of gongan changed (or left out) by `edit`. */
    async function entriesWith(edit: (record: AccessRecord) => AccessRecord | undefined): Promise<Uint8Array[]> {
      const size = await t.hub.log.size();
      const out: Uint8Array[] = [];
      for (let index = 0; index < size; index++) {
        const bytes = await t.hub.log.entry(index);
        const entry = JSON.parse(new TextDecoder().decode(bytes));
        if (entry.type !== 'access' || entry.record.node !== 'gongan') {
          out.push(bytes);
          continue;
        }
        const record = edit(entry.record);
        if (record) out.push(canonicalJsonBytes({ ...entry, record }));
      }
      return out;
    }

    /**
     * The hub operator holds the log key: it can rebuild a whole, self-consistent log from the edited
     * entries and sign it. Only the nodes' chains give it away.
     */
    async function serveRebuilt(entries: Uint8Array[]): Promise<{ url: string; close(): Promise<void> }> {
      const database = await testDialects()[0]!.open<LedgerDatabase>();
      const store = new KyselyLedgerStore(database.db);
      await store.migrate();
      const seed = loadOrCreateSeed(join(t.dataDir, 'ledger-key'));
      const forged = new LogService({ store, crypto: c, signer: ed25519SignerFromSeed(seed) });
      expect(forged.vkey()).toBe(t.hub.log.vkey());
      await forged.append(entries);
      await forged.publishCheckpoint(new Date());
      const app = Fastify();
      // The hub's serializer: the routes' response schemas are zod.
      app.setSerializerCompiler(serializerCompiler);
      await app.register(ledgerRoutes(forged));
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address() as { port: number };
      return {
        url: `http://127.0.0.1:${address.port}`,
        async close() {
          await app.close();
          await database.dispose();
        },
      };
    }

    const verifyAt = async (url: string) => {
      const r = capture();
      const code = await runLedgerVerify({ url, vkey: t.hub.log.vkey(), policy: policyFile(), nodes: false }, r.io);
      return { code, said: r.err.join('\n') };
    };

    it('verifies while the chains are whole', async () => {
      expect(await verifyAt(t.url)).toEqual({ code: 0, said: '' });
    });

    it('names the node and seq of a record dropped from a rebuilt log', async () => {
      const rebuilt = await serveRebuilt(await entriesWith((r) => (r.seq === 5 ? undefined : r)));
      try {
        const result = await verifyAt(rebuilt.url);
        expect(result.code).toBe(1);
        expect(result.said).toMatch(/CHAIN_GAP at node gongan seq 6: .*record 6 follows 4/);
      } finally {
        await rebuilt.close();
      }
    });

    it('names the node and seq of a record rewritten in a rebuilt log', async () => {
      const subjects = ['A'.repeat(43)];
      const inTheMiddle = await serveRebuilt(await entriesWith((r) => (r.seq === 2 ? { ...r, subjects } : r)));
      try {
        const result = await verifyAt(inTheMiddle.url);
        expect(result.code).toBe(1);
        expect(result.said).toMatch(/CHAIN_BROKEN at node gongan seq 3: /);
      } finally {
        await inTheMiddle.close();
      }
      // The last of a shipment carries the node's seal: rewriting it breaks the seal.
      const sealed = await serveRebuilt(
        await entriesWith((r) => (r.seq === 9 ? { ...r, consumerCode: 'jingxin' } : r)),
      );
      try {
        const result = await verifyAt(sealed.url);
        expect(result.code).toBe(1);
        expect(result.said).toMatch(/SEAL_INVALID at node gongan seq 9: /);
      } finally {
        await sealed.close();
      }
    });

    it('names the node and seq of a record edited in the hub’s database', async () => {
      const size = await t.hub.log.size();
      let index = -1;
      for (let i = 0; i < size && index < 0; i++) {
        const entry = JSON.parse(new TextDecoder().decode(await t.hub.log.entry(i)));
        if (entry.type === 'access' && entry.record.node === 'gongan' && entry.record.seq === 4) index = i;
      }
      expect(index).toBeGreaterThan(0);
      const db = new Database(join(t.dataDir, 'hub.sqlite'));
      try {
        const row = db.prepare('select data from ledger_entries where idx = ?').get(index) as { data: Buffer };
        const edited = Buffer.from(row.data.toString('utf8').replace('"decision":"served"', '"decision":"denied"'));
        expect(edited.equals(row.data)).toBe(false);
        // An insider with the database's rights drops the append-only guard first.
        db.exec('drop trigger ledger_entries_no_update');
        db.prepare('update ledger_entries set data = ? where idx = ?').run(edited, index);
      } finally {
        db.close();
      }
      const result = await verifyAt(t.url);
      expect(result.code).toBe(1);
      expect(result.said).toContain(`ROOT_MISMATCH at entry ${index} (node gongan seq 4)`);
    });
  });
});
