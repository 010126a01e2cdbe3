/**
 * Benchmark (not a test): the hub's audit log at 10⁷ entries, through the real LogService and the SQLite
 * LedgerStore opened exactly as the hub opens its database (WAL, synchronous=NORMAL). Reports durable
 * appends per second (an append counts once its transaction is committed), checkpoint publication latency
 * (tree root, Ed25519 signature, store) at several sizes, inclusion- and consistency-proof time at the final
 * size, the database's size on disk and the process's peak RSS.
 *
 * Entries are access events shaped as the hub logs them (hub-service.ts → audit-log.ts: RFC 8785 canonical
 * JSON, ≈ 680 bytes, 22 keys): member codes, agreement ids, digests and keyed subject hashes only, no
 * personal data (BENCH_SHOW_ENTRY=1 prints two).
 * They are appended the way the product sequences them: many callers at once (nodes shipping batches of
 * events, the hub recording single events), grouped by LogService into transactions of up to 1024 entries,
 * while a checkpoint is published every second as the hub does.
 *
 *   node bin/run-ts.js bench/ledger.ts [--entries 10000000] [--proofs 1000] [--callers 32] [--per-call 32]
 *     [--single-entries 100000] [--synchronous normal|full] [--database postgres://…]
 *
 * With --database the log is stored in PostgreSQL (a schema of its own, dropped at the end), as a city's hub
 * keeps it; without, in SQLite as the demo and small installations do.
 * The database lives in a temporary folder (≈ 9 GiB at 10⁷ entries), deleted at the end.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Kysely, sql } from 'kysely';
import { ed25519SignerFromSeed, nodeLedgerCrypto as c } from '../src/platform/crypto/ledger-crypto';
import { openDatabase } from '../src/platform/db/open';
import { KyselyLedgerStore } from '../src/ledger/store/kysely-ledger-store';
import type { LedgerDatabase } from '../src/ledger/store/ledger-schema';
import { openCheckpoint } from '../src/core/ledger/checkpoint';
import { leafHash, verifyConsistency, verifyInclusion } from '../src/core/ledger/merkle';
import { ed25519NoteVerifier } from '../src/core/ledger/note';
import { treeRoot } from '../src/core/ledger/stored-hashes';
import { canonicalJsonBytes } from '../src/core/ledger/canonical-json';
import { LogService } from '../src/ledger/service/log-service';

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '10000000' },
    proofs: { type: 'string', default: '1000' },
    callers: { type: 'string', default: '32' },
    'per-call': { type: 'string', default: '32' },
    'single-entries': { type: 'string', default: '100000' },
    // The hub runs SQLite in WAL mode with synchronous=NORMAL (src/platform/db/open.ts): a commit survives
    // the process being killed, not necessarily a power cut. FULL fsyncs the WAL at every commit.
    synchronous: { type: 'string', default: 'normal' },
    // append: calls grouped into shared transactions (the hub's own events); shipments: each call its own
    // transaction through appendWith, as a node's shipment is logged with its cursor.
    mode: { type: 'string', default: 'append' },
    database: { type: 'string' },
  },
});
const postgresUrl = values.database;
const schema = `bench_${process.pid}`;
const total = Number(values.entries);
const proofCount = Number(values.proofs);
const callers = Number(values.callers);
const perCall = Number(values['per-call']);
const synchronous = values.synchronous === 'full' ? 'full' : 'normal';
const singleEntries = Math.min(Number(values['single-entries']), Math.floor(total / 10));

// ---- entries ------------------------------------------------------------------------------------------

/** A small deterministic PRNG (mulberry32), so every run logs the same bytes. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(1);

/** `bytes` pseudo-random bytes, as text in `encoding`. */
function randomText(bytes: number, encoding: 'hex' | 'base64' | 'base64url'): string {
  const b = Buffer.allocUnsafe(bytes);
  for (let i = 0; i < bytes; i += 4) {
    const x = (random() * 4294967296) >>> 0;
    b[i] = x & 0xff;
    if (i + 1 < bytes) b[i + 1] = (x >>> 8) & 0xff;
    if (i + 2 < bytes) b[i + 2] = (x >>> 16) & 0xff;
    if (i + 3 < bytes) b[i + 3] = x >>> 24;
  }
  return b.toString(encoding);
}

/** The shape of a keyed (HMAC-SHA256) subject hash, base64url of 32 bytes: not of any identifier. */
const subjectHash = () => randomText(32, 'base64url');

const flows = [
  { provider: 'gongan', consumer: 'zhengwu', resource: 'gongan.household', mode: 'verify', items: ['birth_date'] },
  { provider: 'minzheng', consumer: 'zhengwu', resource: 'minzheng.subsistence', mode: 'verify', items: ['status'] },
  { provider: 'renshe', consumer: 'jingxin', resource: 'renshe.social_insurance', mode: 'record', items: ['months'] },
  {
    provider: 'shichang',
    consumer: 'caizheng',
    resource: 'shichang.enterprise',
    mode: 'record',
    items: ['credit_code', 'status', 'registered_capital'],
  },
  { provider: 'tongji', consumer: 'jingxin', resource: 'tongji.enterprise_annual', mode: 'aggregate', items: ['year'] },
  { provider: 'shuiwu', consumer: 'jingxin', resource: 'shuiwu.tax_paid', mode: 'compute', items: ['tax_paid'] },
] as const;
const agreementIds = flows.map(() => `agr_${randomText(10, 'hex')}`);
const seqs = new Map<string, number>();
let entryBytes = 0;
let entryCount = 0;
const startMs = Date.parse('2026-11-27T00:00:00.000Z');

/**
 * The entry the hub logs for one of a node's access records (format 2: the node's chained record, keyed
 * hashes only; every 20th record sealed as the last of a shipment). Keys are inserted in RFC 8785 order and
 * every value is a string, integer, null or string array, so JSON.stringify yields the canonical form
 * (checked against canonicalJsonBytes below) at a fraction of the cost: the bench measures the log, not the
 * serialiser.
 */
function accessEntry(n: number): Uint8Array {
  const f = flows[n % flows.length]!;
  const seq = (seqs.get(f.provider) ?? 0) + 1;
  seqs.set(f.provider, seq);
  const denied = random() < 0.03;
  const subjects = f.mode === 'aggregate' ? [] : Array.from({ length: f.mode === 'record' ? 2 : 1 }, subjectHash);
  const at = new Date(startMs + n * 7).toISOString();
  const entry = {
    loggedAt: at,
    record: {
      agreementId: agreementIds[n % flows.length]!,
      at,
      caseId: randomText(32, 'base64url').slice(0, 43),
      code: denied ? 'RATE_LIMITED' : null,
      consumerCode: f.consumer,
      decision: denied ? 'denied' : 'served',
      eventId: randomText(16, 'hex'),
      items: [...f.items],
      mode: f.mode,
      node: f.provider,
      officer: randomText(32, 'base64url').slice(0, 43),
      prev: randomText(32, 'base64'),
      requestDigest: randomText(32, 'base64url').slice(0, 43),
      requestId: randomText(16, 'hex'),
      resourceCode: f.resource,
      responseDigest: denied ? null : randomText(32, 'base64url').slice(0, 43),
      seq,
      subjects,
      v: 2,
    },
    ...(seq % 20 === 0
      ? {
          seal: {
            hash: randomText(32, 'base64'),
            keyId: `${f.provider}:key-${randomText(5, 'hex')}`,
            seq,
            signature: randomText(64, 'base64'),
          },
        }
      : {}),
    type: 'access',
    v: 2,
  };
  const bytes = Buffer.from(JSON.stringify(entry));
  if (process.env.BENCH_SHOW_ENTRY && n < 2) console.log(String(bytes));
  if (n < 1000 && !bytes.equals(canonicalJsonBytes(entry))) throw new Error(`entry ${n} is not canonical JSON`);
  entryBytes += bytes.length;
  entryCount++;
  return bytes;
}

// ---- measuring ----------------------------------------------------------------------------------------

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
}

function stats(samples: number[]): { median: number; p99: number; max: number } {
  if (samples.length === 0) return { median: Number.NaN, p99: Number.NaN, max: Number.NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1)! };
}

const ms = (x: number) => (x < 10 ? x.toFixed(3) : x.toFixed(1));
const int = (x: number) => Math.round(x).toLocaleString('en-US');

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

// ---- the run ------------------------------------------------------------------------------------------

async function main(dir: string) {
  if (postgresUrl) {
    const admin = openDatabase<unknown>({ dialect: 'postgres', connectionString: postgresUrl, maxConnections: 1 });
    await sql`create schema ${sql.id(schema)}`.execute(admin);
    await admin.destroy();
  }
  const db = postgresUrl
    ? openDatabase<LedgerDatabase>({ dialect: 'postgres', connectionString: postgresUrl, schema })
    : openDatabase<LedgerDatabase>({ dialect: 'sqlite', file: join(dir, 'hub.sqlite') });
  const store = new KyselyLedgerStore(db as Kysely<LedgerDatabase>);
  await store.migrate();
  if (!postgresUrl && synchronous !== 'normal') await sql.raw(`pragma synchronous = ${synchronous}`).execute(db);
  const signer = ed25519SignerFromSeed(new Uint8Array(32).fill(9));
  const service = new LogService({ store, crypto: c, signer });
  const verifier = ed25519NoteVerifier(c, service.vkey());
  const rows: [string, string][] = [];
  let next = 0;

  // Checkpoints: every second while entries arrive, as the hub's timer does; each one timed.
  const tickLatencies: number[] = [];
  let publishing = false;
  let quiet = false;
  const ticker = setInterval(() => {
    if (publishing || quiet) return;
    publishing = true;
    const t0 = performance.now();
    service
      .publishCheckpoint(new Date())
      .then(() => tickLatencies.push(performance.now() - t0))
      .finally(() => {
        publishing = false;
      });
  }, 1000);

  /** Checkpoint latency on a quiet log: one new entry, then publish; the median of several. */
  const quietCheckpoints = async (size: number) => {
    quiet = true;
    while (publishing) await new Promise((resolve) => setTimeout(resolve, 5));
    await service.flush();
    const samples: number[] = [];
    for (let i = 0; i < 21; i++) {
      await service.append([accessEntry(next++)]);
      const t0 = performance.now();
      const result = await service.publishCheckpoint(new Date());
      samples.push(performance.now() - t0);
      if (!result.published) throw new Error('checkpoint not published');
    }
    quiet = false;
    const s = stats(samples);
    log(`checkpoint at ${int(size)}: median ${ms(s.median)} ms, max ${ms(s.max)} ms`);
    rows.push([
      `checkpoint publication (root + sign + store), quiet log of ${int(size)}`,
      `median ${ms(s.median)} ms, max ${ms(s.max)} ms (21 checkpoints)`,
    ]);
  };

  // Phase 1: single-entry appends (the hub's own events, one per request), many in flight.
  if (singleEntries > 0) {
    const inFlight = 256;
    const latencies: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < singleEntries) {
          const entry = accessEntry(next++);
          const a0 = performance.now();
          await service.append([entry]);
          latencies.push(performance.now() - a0);
          await new Promise(setImmediate);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const s = stats(latencies);
    log(`single-entry appends: ${int(next / seconds)}/s`);
    rows.push([
      `durable appends, one entry per append() (${inFlight} in flight), first ${int(next)} entries`,
      `**${int(next / seconds)}/s**, latency median ${ms(s.median)} ms, p99 ${ms(s.p99)} ms`,
    ]);
  }

  // Phase 2: the bulk of the log, appended in calls of `perCall` entries by `callers` callers at once,
  // checkpoints published along the way; quiet checkpoint latency measured at each power of ten.
  const marks = [10_000, 100_000, 1_000_000, 10_000_000, 100_000_000].filter((m) => m > next && m <= total);
  let sampleStart = performance.now();
  let sampleFrom = next;
  const segmentRates: string[] = [];
  // Other work on the machine shows in the figures: keep the 1-minute load average next to them.
  const loads: number[] = [];
  const bulkFrom = next;
  let bulkSeconds = 0;
  let segmentStart = performance.now();
  const reportEvery = Math.max(100_000, Math.floor(total / 20));
  while (next < total) {
    const stop = Math.min(total, marks.find((m) => m > next) ?? total);
    segmentStart = performance.now();
    const segmentFrom = next;
    await Promise.all(
      Array.from({ length: callers }, async () => {
        while (next < stop) {
          const batch: Uint8Array[] = [];
          for (let i = 0; i < perCall && next < stop; i++) batch.push(accessEntry(next++));
          if (values.mode === 'shipments') {
            await service.appendWith(async () => ({ entries: batch, result: undefined }));
          } else {
            await service.append(batch);
          }
          // Appends reach the hub as I/O (HTTP requests): yield to the event loop, or the 1 s checkpoint
          // timer would never run, since better-sqlite3 settles every promise in the same microtask run.
          await new Promise(setImmediate);
          if (next - sampleFrom >= reportEvery) {
            const now = performance.now();
            const rate = (next - sampleFrom) / ((now - sampleStart) / 1000);
            segmentRates.push(int(rate));
            loads.push(loadavg()[0]!);
            log(`${int(next)} entries, ${int(rate)}/s, rss ${int(process.memoryUsage().rss / 2 ** 20)} MB`);
            sampleFrom = next;
            sampleStart = now;
          }
        }
      }),
    );
    await service.flush();
    bulkSeconds += (performance.now() - segmentStart) / 1000;
    log(
      `reached ${int(next)} (${int((next - segmentFrom) / ((performance.now() - segmentStart) / 1000))}/s this segment)`,
    );
    if (marks.includes(next)) {
      const before = performance.now();
      await quietCheckpoints(next);
      // Quiet measurements are not append time.
      sampleStart += performance.now() - before;
    }
  }
  clearInterval(ticker);
  while (publishing) await new Promise((resolve) => setTimeout(resolve, 10));
  const bulkRate = (next - bulkFrom - 21 * marks.length) / bulkSeconds;
  rows.unshift([
    values.mode === 'shipments'
      ? `durable appends, shipments of ${perCall} entries × ${callers} nodes (one transaction each, appendWith), ${int(bulkFrom)} → ${int(next)}`
      : `durable appends, ${perCall} entries per append() × ${callers} callers (group commit ≤ 1024/transaction), ${int(bulkFrom)} → ${int(next)}`,
    `**${int(bulkRate)}/s** overall${segmentRates.length > 0 ? `; per ${int(reportEvery)}: ${segmentRates.join(', ')}` : ''}`,
  ]);
  const t = stats(tickLatencies);
  rows.push([
    'checkpoint publication every second during the appends (as the hub does)',
    `median ${ms(t.median)} ms, p99 ${ms(t.p99)} ms, max ${ms(t.max)} ms (${tickLatencies.length} checkpoints)`,
  ]);

  // Proofs at the final size, against the latest signed checkpoint.
  const published = await service.publishCheckpoint(new Date());
  const size = published.size;
  const { checkpoint } = openCheckpoint(published.note, service.origin, [verifier]);
  const inclusion: number[] = [];
  const indexes = Array.from({ length: proofCount }, () => Math.floor(random() * size));
  for (const index of indexes.slice(0, 20)) await service.inclusion(index); // warm up the statement cache
  for (const index of indexes) {
    const t0 = performance.now();
    const proof = await service.inclusion(index);
    inclusion.push(performance.now() - t0);
    if (inclusion.length <= 50) {
      verifyInclusion(c, index, size, leafHash(c, await service.entry(index)), proof.proof, checkpoint.root);
    }
  }
  const inc = stats(inclusion);
  rows.push([
    `inclusion proof at ${int(size)} (LogService.inclusion: ${proofCount} random indexes)`,
    `**median ${ms(inc.median)} ms**, p99 ${ms(inc.p99)} ms, max ${ms(inc.max)} ms`,
  ]);
  const consistency: number[] = [];
  for (let i = 0; i < proofCount; i++) {
    const from = 1 + Math.floor(random() * (size - 1));
    const t0 = performance.now();
    const proof = await service.consistency(from, size);
    consistency.push(performance.now() - t0);
    if (i < 50) {
      const oldRoot = await treeRoot(c, from, store);
      verifyConsistency(c, from, size, proof, oldRoot, checkpoint.root);
    }
  }
  const con = stats(consistency);
  rows.push([
    `consistency proof to ${int(size)} (${proofCount} random old sizes)`,
    `median ${ms(con.median)} ms, p99 ${ms(con.p99)} ms, max ${ms(con.max)} ms`,
  ]);

  let bytes: number;
  if (postgresUrl) {
    const used = await sql<{ bytes: string }>`
      select coalesce(sum(pg_total_relation_size(c.oid)), 0)::text as bytes
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${schema} and c.relkind = 'r'`.execute(db);
    bytes = Number(used.rows[0]?.bytes ?? 0);
    await sql`drop schema ${sql.id(schema)} cascade`.execute(db);
    await store.close();
  } else {
    await store.close();
    bytes = dirBytes(dir);
  }
  rows.push([
    'database on disk (entries, stored hashes, checkpoints; WAL checkpointed)',
    `${(bytes / 2 ** 30).toFixed(2)} GiB, ${int(bytes / size)} bytes per entry`,
  ]);
  rows.push(['peak RSS of the bench process', `${int(process.resourceUsage().maxRSS / 1024)} MB`]);

  console.log(
    `\nmachine: ${cpus().length} × ${cpus()[0]?.model}, ${int(totalmem() / 2 ** 30)} GB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
  );
  console.log(
    `entries: ${int(size)}, mean entry ${int(entryBytes / Math.max(1, entryCount))} bytes; ${
      postgresUrl
        ? 'PostgreSQL (local server, default settings)'
        : `SQLite WAL, synchronous=${synchronous.toUpperCase()}`
    }\n`,
  );
  if (loads.length > 0) {
    console.log(
      `1-minute load average during the appends: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} (2 cores; the bench alone ≈ 1)\n`,
    );
  }
  console.log('| measure | result |');
  console.log('|---|---|');
  for (const [what, result] of rows) console.log(`| ${what} | ${result} |`);
}

const dir = mkdtempSync(join(tmpdir(), 'hutong-ledger-bench-'));
// Gigabytes of scratch data: gone on Ctrl-C and on failure too.
process.once('SIGINT', () => {
  rmSync(dir, { recursive: true, force: true });
  process.exit(130);
});
try {
  await main(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
