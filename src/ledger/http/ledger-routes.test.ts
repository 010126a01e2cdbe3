/**
 * The audit log's HTTP surface, checked the way an outside auditor would: trust only the vkey, fetch the
 * signed checkpoint, every tile and entry bundle, recompute the root independently, and verify each entry's
 * inclusion proof. Then rewrite an entry in the database behind the log's back and watch the check fail.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { base64Decode, bytesEqual, utf8 } from '../../core/ledger/bytes';
import { type Checkpoint, openCheckpoint } from '../../core/ledger/checkpoint';
import { fail, isLedgerError } from '../../core/ledger/errors';
import { leafHash, rootFromLeafHashes, verifyConsistency, verifyInclusion } from '../../core/ledger/merkle';
import { ed25519NoteVerifier } from '../../core/ledger/note';
import { inclusionProof, storedHashIndex } from '../../core/ledger/stored-hashes';
import {
  decodeEntryBundle,
  decodeTile,
  entryBundlePath,
  newTiles,
  type Tile,
  TileHashReader,
  tilePath,
} from '../../core/ledger/tiles';
import { canonicalJsonBytes } from '../../core/ledger/canonical-json';
import { HUTONG_LOG_ORIGIN, LogService } from '../service/log-service';
import { ed25519SignerFromSeed, nodeLedgerCrypto as c } from '../../platform/crypto/ledger-crypto';
import { type TestDatabase, testDialects } from '../../platform/db/test-databases';
import { KyselyLedgerStore } from '../store/kysely-ledger-store';
import type { LedgerDatabase } from '../store/ledger-schema';
import { checkingSerializerCompiler } from '../../platform/http/openapi';
import { ledgerRoutes } from './ledger-routes';

const now = new Date('2026-11-27T08:00:00Z');
const BINARY_INDEX = 5;

function auditEvent(i: number): Uint8Array {
  if (i === BINARY_INDEX) return Uint8Array.of(0xff, 0xfe, 0x00, 0x80); // not UTF-8: served as base64
  return canonicalJsonBytes({
    seq: i,
    at: `2026-11-27T08:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
    decision: i % 7 === 0 ? 'denied' : 'served',
    consumer: 'zhengwu',
    provider: 'gongan',
    resource: 'gongan.household',
    purpose: '低保资格核验',
    subjects: [`hmac:${i.toString(16).padStart(8, '0')}`],
  });
}

async function get(app: FastifyInstance, url: string) {
  const res = await app.inject({ method: 'GET', url });
  return {
    status: res.statusCode,
    type: String(res.headers['content-type']),
    body: res.rawPayload,
    json: () => res.json(),
  };
}

async function getOk(app: FastifyInstance, url: string): Promise<Uint8Array> {
  const res = await get(app, url);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${res.body.toString()}`);
  return new Uint8Array(res.body);
}

/**
 * An independent client: knows only the vkey (fetched here, compared with the expected one) and the HTTP
 * paths. Throws a LedgerError (ROOT_MISMATCH, BAD_SIGNATURE, …) when anything does not add up.
 */
async function auditLog(app: FastifyInstance, expectedVkey: string): Promise<Checkpoint> {
  const vkey = new TextDecoder().decode(await getOk(app, '/ledger/vkey')).trim();
  expect(vkey).toBe(expectedVkey);
  const note = new TextDecoder().decode(await getOk(app, '/ledger/checkpoint'));
  const { checkpoint } = openCheckpoint(note, HUTONG_LOG_ORIGIN, [ed25519NoteVerifier(c, vkey)]);
  const { size, root } = checkpoint;

  // Every tile of the tree, full and partial; each full tile must hash to its entry in the tile above.
  const tiles = new Map<string, Uint8Array[]>();
  for (const t of newTiles(0, size))
    tiles.set(`${t.level}/${t.n}`, decodeTile(t, await getOk(app, `/ledger/${tilePath(t)}`)));
  for (const [key, hashes] of tiles) {
    const [level, n] = key.split('/').map(Number) as [number, number];
    if (hashes.length !== 256) continue;
    const parent = tiles.get(`${level + 1}/${Math.floor(n / 256)}`);
    if (parent && !bytesEqual(parent[n % 256]!, rootFromLeafHashes(c, hashes)))
      fail('ROOT_MISMATCH', `tile ${key} does not match its parent`);
  }
  const tileLeaves = [...tiles].filter(([k]) => k.startsWith('0/')).flatMap(([, h]) => h);
  expect(tileLeaves).toHaveLength(size);

  // Every entry, from the entry bundles; the root recomputed from them must be the signed one.
  const entries: Uint8Array[] = [];
  for (let n = 0; n * 256 < size; n++) {
    const width = Math.min(256, size - n * 256);
    entries.push(...decodeEntryBundle(await getOk(app, `/ledger/${entryBundlePath(n, width)}`), width));
  }
  const leaves = entries.map((e) => leafHash(c, e));
  if (!bytesEqual(rootFromLeafHashes(c, leaves), root)) fail('ROOT_MISMATCH', 'entries do not hash to the checkpoint');
  if (!bytesEqual(rootFromLeafHashes(c, tileLeaves), root))
    fail('ROOT_MISMATCH', 'tiles do not hash to the checkpoint');

  // Every entry's inclusion proof as served, against the same checkpoint.
  for (let i = 0; i < size; i++) {
    const body = (await get(app, `/ledger/entries/${i}`)).json();
    expect(body.checkpoint).toBe(note);
    expect(body.treeSize).toBe(size);
    const data = body.encoding === 'base64' ? base64Decode(body.data) : utf8(body.data);
    if (!bytesEqual(data, entries[i]!)) fail('ROOT_MISMATCH', `entry ${i} differs from its bundle`);
    verifyInclusion(c, i, size, leafHash(c, data), body.inclusionProof.map(base64Decode), root);
  }
  return checkpoint;
}

async function rewriteBehindTheLog(
  database: TestDatabase<LedgerDatabase>,
  dialect: string,
  sqlText: () => Promise<unknown>,
) {
  // Someone with database rights (not the log) drops the append-only guard and edits history.
  if (dialect === 'sqlite') {
    await sql`drop trigger ledger_entries_no_update`.execute(database.db);
    await sql`drop trigger ledger_hashes_no_update`.execute(database.db);
  } else {
    await sql`drop trigger ledger_entries_no_change on ledger_entries`.execute(database.db);
    await sql`drop trigger ledger_hashes_no_change on ledger_hashes`.execute(database.db);
  }
  await sqlText();
}

describe.each(testDialects())('ledger routes on $name', (dialect) => {
  let database: TestDatabase<LedgerDatabase>;
  let log: LogService;
  let app: FastifyInstance;

  beforeEach(async () => {
    database = await dialect.open<LedgerDatabase>();
    const store = new KyselyLedgerStore(database.db);
    await store.migrate();
    log = new LogService({ store, crypto: c, signer: ed25519SignerFromSeed(new Uint8Array(32).fill(42)) });
    app = Fastify({ logger: false });
    // As the hub mounts them: zod response schemas, and here every answer exactly as documented.
    app.setSerializerCompiler(checkingSerializerCompiler(serializerCompiler));
    await app.register(ledgerRoutes(log));
    await app.ready();
  });

  afterEach(async () => {
    await app?.close();
    await database?.dispose();
  });

  async function appendRange(from: number, to: number): Promise<void> {
    const pending = [];
    for (let i = from; i < to; i += 25) {
      pending.push(log.append(Array.from({ length: Math.min(25, to - i) }, (_, k) => auditEvent(i + k))));
    }
    await Promise.all(pending);
  }

  it('serves a log an independent client can verify completely', async () => {
    expect((await get(app, '/ledger/checkpoint')).status).toBe(404);
    await appendRange(0, 300);
    const old = openCheckpoint((await log.publishCheckpoint(now)).note, HUTONG_LOG_ORIGIN, [
      ed25519NoteVerifier(c, log.vkey()),
    ]).checkpoint;
    await appendRange(300, 600);
    await log.publishCheckpoint(now);

    const checkpoint = await auditLog(app, log.vkey());
    expect(checkpoint.size).toBe(600);

    const consistency = (await get(app, '/ledger/proof/consistency?from=300&to=600')).json();
    expect(consistency).toMatchObject({ from: 300, to: 600 });
    verifyConsistency(c, 300, 600, consistency.proof.map(base64Decode), old.root, checkpoint.root);

    // Proofs computed client-side from authenticated tiles match the served ones.
    const reader = new TileHashReader(c, 600, checkpoint.root, {
      readTiles: (tiles: readonly Tile[]) => Promise.all(tiles.map((t) => getOk(app, `/ledger/${tilePath(t)}`))),
    });
    for (const index of [0, 255, 256, 599]) {
      const served = (await get(app, `/ledger/entries/${index}`)).json();
      expect((await inclusionProof(c, index, 600, reader)).map((h) => Buffer.from(h).toString('base64'))).toEqual(
        served.inclusionProof,
      );
    }

    const binary = (await get(app, `/ledger/entries/${BINARY_INDEX}`)).json();
    expect(binary).toMatchObject({ encoding: 'base64', data: '//4AgA==' });
    const text = (await get(app, '/ledger/entries/6')).json();
    expect(text.encoding).toBe('utf-8');
    expect(JSON.parse(text.data)).toMatchObject({ seq: 6, purpose: '低保资格核验' });
  }, 120_000);

  it('speaks C2SP content types and caching', async () => {
    await appendRange(0, 300);
    await log.publishCheckpoint(now);
    const cp = await get(app, '/ledger/checkpoint');
    expect(cp.type).toMatch(/^text\/plain/);
    expect(cp.body.toString()).toMatch(/^qinghe\.gov\.cn\/hutong\/log\n300\n/);
    expect((await get(app, '/ledger/vkey')).body.toString()).toBe(`${log.vkey()}\n`);
    const full = await app.inject({ method: 'GET', url: '/ledger/tile/0/000' });
    expect(full.headers['content-type']).toBe('application/octet-stream');
    expect(full.headers['cache-control']).toContain('immutable');
    expect(full.rawPayload).toHaveLength(256 * 32);
    expect((await get(app, '/ledger/tile/0/001.p/44')).body).toHaveLength(44 * 32);
    expect((await get(app, '/ledger/tile/1/000.p/1')).body).toHaveLength(32);
    expect(decodeEntryBundle(new Uint8Array((await get(app, '/ledger/tile/entries/001.p/44')).body), 44)[0]).toEqual(
      auditEvent(256),
    );
  });

  it('answers bad and unknown paths with coded problems', async () => {
    await appendRange(0, 300);
    await log.publishCheckpoint(now);
    const cases: [string, number, string][] = [
      ['/ledger/tile/0/1', 400, 'BAD_TILE_PATH'],
      ['/ledger/tile/0/x000/001', 400, 'BAD_TILE_PATH'],
      ['/ledger/tile/0/000.p/256', 400, 'BAD_TILE_PATH'],
      ['/ledger/tile/0/000.p/0', 400, 'BAD_TILE_PATH'],
      ['/ledger/tile/64/000', 400, 'BAD_TILE_PATH'],
      ['/ledger/tile/', 400, 'BAD_TILE_PATH'],
      ['/ledger/tile/0/002', 404, 'INDEX_OUT_OF_RANGE'],
      ['/ledger/tile/0/001', 404, 'INDEX_OUT_OF_RANGE'],
      ['/ledger/tile/0/001.p/45', 404, 'INDEX_OUT_OF_RANGE'],
      ['/ledger/tile/1/000', 404, 'INDEX_OUT_OF_RANGE'],
      ['/ledger/tile/entries/001', 404, 'INDEX_OUT_OF_RANGE'],
      ['/ledger/entries/abc', 400, 'BAD_NUMBER'],
      ['/ledger/entries/007', 400, 'BAD_NUMBER'],
      ['/ledger/entries/300', 404, 'INDEX_OUT_OF_RANGE'],
      ['/ledger/proof/consistency?from=1', 400, 'BAD_NUMBER'],
      ['/ledger/proof/consistency?from=0&to=300', 400, 'BAD_RANGE'],
      ['/ledger/proof/consistency?from=300&to=301', 400, 'BAD_RANGE'],
      ['/ledger/proof/consistency?from=200&to=100', 400, 'BAD_RANGE'],
    ];
    for (const [url, status, code] of cases) {
      const res = await get(app, url);
      expect([url, res.status, res.type]).toEqual([url, status, 'application/problem+json; charset=utf-8']);
      expect(res.json()).toMatchObject({ status, code });
    }
  });

  it('catches an entry rewritten in the database: the recomputed root no longer matches', async () => {
    await appendRange(0, 600);
    await log.publishCheckpoint(now);
    await auditLog(app, log.vkey());

    const forged = canonicalJsonBytes({ seq: 123, decision: 'served', consumer: 'nobody' });
    await rewriteBehindTheLog(database, dialect.name, () =>
      database.db.updateTable('ledger_entries').set({ data: forged }).where('idx', '=', 123).execute(),
    );
    const first = await auditLog(app, log.vkey()).catch((e: unknown) => e);
    expect(isLedgerError(first, 'ROOT_MISMATCH'), String(first)).toBe(true);

    // Rewriting the stored leaf hash too (so tiles agree with the forged entry) still cannot match the
    // signed root.
    const forgedLeaf = leafHash(c, forged);
    await database.db.updateTable('ledger_entries').set({ leaf_hash: forgedLeaf }).where('idx', '=', 123).execute();
    await database.db
      .updateTable('ledger_hashes')
      .set({ hash: forgedLeaf })
      .where('stored_index', '=', storedHashIndex(0, 123))
      .execute();
    const second = await auditLog(app, log.vkey()).catch((e: unknown) => e);
    expect(isLedgerError(second, 'ROOT_MISMATCH'), String(second)).toBe(true);
  }, 120_000);
});
