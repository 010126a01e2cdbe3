/**
 * The node's tlog-witness against a real log: cosigns consistent growth, persists what it cosigned, and
 * answers every refusal with the status code the C2SP spec gives.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ed25519SignerFromSeed, nodeLedgerCrypto as c } from '../../platform/crypto/ledger-crypto';
import { type TestDatabase, testDialects } from '../../platform/db/test-databases';
import { KyselyLedgerStore } from '../../ledger/store/kysely-ledger-store';
import { KyselyNodeStore } from '../store/kysely-node-store';
import type { LedgerDatabase } from '../../ledger/store/ledger-schema';
import type { NodeDatabase } from '../store/node-schema';
import { cosignatureVerifier } from '../../core/ledger/cosignature';
import { ed25519NoteSigner, parseNote, signNote } from '../../core/ledger/note';
import { formatAddCheckpointRequest, openWitnessResponse } from '../../core/ledger/witness-rules';
import { fixedClock } from '../../core/ports/clock';
import { HUTONG_LOG_ORIGIN, LogService } from '../../ledger/service/log-service';
import { Witness } from './witness';

const [sqlite] = testDialects({});
let logDb: TestDatabase<LedgerDatabase>;
let nodeDb: TestDatabase<NodeDatabase>;
let log: LogService;
let nodeStore: KyselyNodeStore;
let logSeed: Buffer;
const clock = fixedClock('2026-11-27T02:00:00.000Z');

function witness(): Witness {
  const w = new Witness({
    name: 'qinghe.gov.cn/hutong/witness/gongan',
    signer: ed25519SignerFromSeed(seed),
    crypto: c,
    store: nodeStore,
    clock,
  });
  w.trust([{ origin: HUTONG_LOG_ORIGIN, vkey: log.vkey() }]);
  return w;
}
const seed = randomBytes(32);

async function grow(entries: number): Promise<string> {
  await log.append(Array.from({ length: entries }, (_, i) => new TextEncoder().encode(`{"n":${i}}`)));
  return (await log.publishCheckpoint(clock.now())).note;
}

async function submit(w: Witness, oldSize: number, note: string, proof?: Uint8Array[]) {
  const size = Number(note.split('\n')[1]);
  const consistency = proof ?? (oldSize > 0 && oldSize < size ? await log.consistency(oldSize, size) : []);
  return w.addCheckpoint(new TextEncoder().encode(formatAddCheckpointRequest(oldSize, consistency, note)));
}

beforeEach(async () => {
  logDb = await sqlite!.open<LedgerDatabase>();
  const ledgerStore = new KyselyLedgerStore(logDb.db);
  await ledgerStore.migrate();
  logSeed = randomBytes(32);
  log = new LogService({ store: ledgerStore, crypto: c, signer: ed25519SignerFromSeed(logSeed) });
  nodeDb = await sqlite!.open<NodeDatabase>();
  nodeStore = new KyselyNodeStore(nodeDb.db);
  await nodeStore.migrate();
});
afterEach(async () => {
  await logDb.dispose();
  await nodeDb.dispose();
});

describe('the node’s witness', () => {
  it('cosigns consistent growth, and the cosignature verifies under its vkey', async () => {
    const w = witness();
    const first = await grow(5);
    const answer = await submit(w, 0, first);
    expect(answer.status).toBe(200);
    expect(openWitnessResponse(first, answer.body, [cosignatureVerifier(c, w.vkey())])).toHaveLength(1);
    const second = await grow(300);
    expect((await submit(w, 5, second)).status).toBe(200);
    // The state survives the witness object: a new one over the same store remembers size 305.
    const conflict = await submit(witness(), 5, second);
    expect(conflict).toMatchObject({ status: 409, contentType: 'text/x.tlog.size', body: '305\n' });
  });

  it('refuses with the spec’s status codes', async () => {
    const w = witness();
    const first = await grow(8);
    expect((await submit(w, 0, first)).status).toBe(200);
    const next = await grow(8);
    // 400: old size larger than the checkpoint's.
    expect((await submit(w, 100, next, [])).status).toBe(400);
    // 409: old size not what the witness cosigned.
    expect((await submit(w, 3, next, await log.consistency(3, 16))).status).toBe(409);
    // 422: a proof that does not prove consistency.
    const bad = (await log.consistency(8, 16)).map(() => new Uint8Array(32));
    expect((await submit(w, 8, next, bad)).status).toBe(422);
    // 403: a checkpoint the log's key did not sign.
    const forged = signNote(parseNote(next).text, [
      ed25519NoteSigner(c, HUTONG_LOG_ORIGIN, ed25519SignerFromSeed(randomBytes(32))),
    ]);
    expect((await submit(w, 8, forged, await log.consistency(8, 16))).status).toBe(403);
    // 404: a log this witness does not know.
    const stranger = witness();
    stranger.trust([]);
    expect((await submit(stranger, 0, first)).status).toBe(404);
    // 400: not a request at all.
    expect((await w.addCheckpoint(new TextEncoder().encode('hello'))).status).toBe(400);
  });

  it('refuses a fork: another root for a size it already cosigned', async () => {
    const w = witness();
    const note = await grow(4);
    expect((await submit(w, 0, note)).status).toBe(200);
    // A second log with the same key and origin but different entries: the split view a rogue hub would show.
    const forkDb = await sqlite!.open<LedgerDatabase>();
    try {
      const forkStore = new KyselyLedgerStore(forkDb.db);
      await forkStore.migrate();
      const fork = new LogService({
        store: forkStore,
        crypto: c,
        signer: ed25519SignerFromSeed(logSeed),
      });
      await fork.append([1, 2, 3, 4].map((n) => new TextEncoder().encode(`{"forged":${n}}`)));
      const forged = (await fork.publishCheckpoint(clock.now())).note;
      const answer = await submit(w, 4, forged, []);
      expect(answer.status).toBe(422);
    } finally {
      await forkDb.dispose();
    }
  });
});
