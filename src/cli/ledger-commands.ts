/**
 * CLI commands for auditing the hub's append-only log (`ledger verify|prove|check-proof`), the way an
 * outside auditor would: trust only a vkey, fetch the signed checkpoint, every tile and entry bundle over
 * C2SP tlog-tiles, and recompute everything. Handlers return an exit code (0 verified, 1 a discrepancy,
 * 2 bad arguments or an unreachable hub) and write through `Output`, so tests drive them in-process with
 * their own `fetch`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { nodeLedgerCrypto as c } from '../adapters/crypto/ledger-crypto';
import { base64Decode, base64Encode, bytesEqual, utf8 } from '../core/ledger/bytes';
import { type Checkpoint, openCheckpoint } from '../core/ledger/checkpoint';
import { LedgerError, type LedgerErrorCode } from '../core/ledger/errors';
import { emptyRoot, leafHash, verifyConsistency, verifyInclusion } from '../core/ledger/merkle';
import { ed25519NoteVerifier } from '../core/ledger/note';
import { parsePolicy, verifyCheckpointWithPolicy } from '../core/ledger/policy';
import { formatTlogProof, verifyTlogProof } from '../core/ledger/proof-file';
import { storedHashIndex } from '../core/ledger/stored-hashes';
import {
  decodeEntryBundle,
  entryBundlePath,
  newTiles,
  TILE_WIDTH,
  type Tile,
  TileHashReader,
  tilePath,
} from '../core/ledger/tiles';
import { HUTONG_LOG_ORIGIN } from '../ledger/log-service';
import type { Output } from './data-commands';

export type FetchLike = (url: string) => Promise<Response>;

const DEFAULT_URL = 'http://127.0.0.1:8080';
/** Parallel HTTP requests while fetching tiles and bundles. */
const CONCURRENCY = 8;

const consoleOutput: Output = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

/** A verification failure: a ledger-core code (or FETCH_FAILED) and where it was found. */
class Discrepancy extends Error {
  constructor(
    readonly code: LedgerErrorCode | 'FETCH_FAILED' | 'BAD_RESPONSE',
    readonly at: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** The hub could not be reached or the arguments make no sense: not a verdict about the log. */
class UsageError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Runs `fn`, turning a LedgerError into a Discrepancy located `at`. */
async function at<T>(where: string | undefined, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof LedgerError) throw new Discrepancy(e.code, where, e.message);
    throw e;
  }
}

class LedgerHttp {
  private readonly base: string;

  constructor(
    url: string,
    private readonly fetchImpl: FetchLike,
  ) {
    this.base = `${url.replace(/\/+$/, '')}/ledger/`;
  }

  async bytes(path: string): Promise<Uint8Array> {
    const url = this.base + path;
    let res: Response;
    try {
      res = await this.fetchImpl(url);
    } catch (e) {
      throw new UsageError('UNREACHABLE', `cannot reach ${url}: ${(e as Error).message}`);
    }
    const body = new Uint8Array(await res.arrayBuffer());
    if (res.status !== 200) {
      let code = '';
      try {
        code = String((JSON.parse(new TextDecoder().decode(body)) as { code?: unknown }).code ?? '');
      } catch {
        // not problem+json
      }
      throw new Discrepancy('FETCH_FAILED', `/ledger/${path}`, `HTTP ${res.status}${code ? ` ${code}` : ''}`);
    }
    return body;
  }

  async text(path: string): Promise<string> {
    return new TextDecoder().decode(await this.bytes(path));
  }

  async json(path: string): Promise<Record<string, unknown>> {
    const text = await this.text(path);
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // fall through
    }
    throw new Discrepancy('BAD_RESPONSE', `/ledger/${path}`, 'not a JSON object');
  }
}

/**
 * Maps with at most `limit` calls in flight. Every call settles before the result is decided, and a
 * failure is reported in item order, so "the first discrepancy" does not depend on network timing.
 */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const settled = new Array<{ ok: true; value: R } | { ok: false; error: unknown }>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        settled[i] = { ok: true, value: await fn(items[i]!, i) };
      } catch (error) {
        settled[i] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return settled.map((r) => {
    if (!r.ok) throw r.error;
    return r.value;
  });
}

function readFile(file: string, what: string): Buffer {
  try {
    return readFileSync(resolve(file));
  } catch (e) {
    throw new UsageError('NO_FILE', `cannot read ${what} ${file}: ${(e as Error).message}`);
  }
}

/** `--vkey` is the vkey itself or a file holding it (first line). */
function readVkeyOption(value: string): string {
  const text = existsSync(resolve(value)) ? readFile(value, 'vkey file').toString('utf8') : value;
  return text.trim().split('\n')[0]!.trim();
}

async function resolveVkey(http: LedgerHttp | undefined, vkey: string | undefined): Promise<string> {
  if (vkey !== undefined) return readVkeyOption(vkey);
  if (!http) throw new UsageError('NO_VKEY', 'give --vkey (the log key) or --url (to fetch /ledger/vkey)');
  return (await http.text('vkey')).trim();
}

function openSigned(note: string, origin: string, vkey: string, where: string): Promise<Checkpoint> {
  return at(where, () => openCheckpoint(note, origin, [ed25519NoteVerifier(c, vkey)]).checkpoint);
}

function reportFailure(io: Output, json: boolean | undefined, what: string, e: unknown): number {
  if (e instanceof Discrepancy) {
    if (json) io.out(JSON.stringify({ ok: false, code: e.code, at: e.at ?? null, message: e.message }, null, 2));
    else io.err(`${what}: ${e.code}${e.at ? ` at ${e.at}` : ''}: ${e.message}`);
    return 1;
  }
  if (e instanceof UsageError) {
    if (json) io.out(JSON.stringify({ ok: false, code: e.code, message: e.message }, null, 2));
    else io.err(`${e.code}: ${e.message}`);
    return 2;
  }
  throw e;
}

// ---------------------------------------------------------------------------------------------- verify

export interface VerifyOptions {
  url?: string;
  vkey?: string;
  /** A tlog-policy file to check cosignatures against (default: the hub's /ledger/policy). */
  policy?: string;
  since?: string;
  save?: string;
  origin?: string;
  json?: boolean;
}

export interface VerifyResult {
  origin: string;
  size: number;
  root: string;
  tiles: number;
  entries: number;
  consistentWith?: number;
  /** Witnesses (policy names) whose cosignatures verified, and whether they meet the policy's quorum. */
  cosignedBy: string[];
  final: boolean;
}

/**
 * Audits the whole log. Root recomputation uses the core's TileHashReader, asked for every leaf hash at
 * once: it recomputes the root from the tiles holding the root's subtrees, compares it with the signed
 * root, then authenticates every other tile against its parent, top-down. That covers every tile of the
 * tree (higher levels included, which are what proof-fetching clients rely on) in O(n) hashing, and a
 * forged tile is reported by name rather than as a bare root mismatch. (rootFromLeafHashes over level 0
 * alone would leave the higher tiles unchecked; treeRoot over a TileHashReader would be circular.)
 * Only then are the entry bundles compared, entry by entry, with the authenticated leaf hashes.
 */
async function verifyLedger(options: VerifyOptions, fetchImpl: FetchLike, io: Output): Promise<VerifyResult> {
  const origin = options.origin ?? HUTONG_LOG_ORIGIN;
  const http = new LedgerHttp(options.url ?? DEFAULT_URL, fetchImpl);
  const vkey = await resolveVkey(http, options.vkey);
  const note = await http.text('checkpoint');
  const checkpoint = await openSigned(note, origin, vkey, 'checkpoint');
  let old: Checkpoint | undefined;
  if (options.since !== undefined) {
    const oldNote = readFile(options.since, 'saved checkpoint').toString('utf8');
    old = await openSigned(oldNote, origin, vkey, `saved checkpoint ${options.since}`);
  }
  if (options.vkey === undefined && old === undefined) {
    io.err('note: the vkey came from the hub itself; pin it with --vkey (or --since) for an independent check');
  }
  const { size, root } = checkpoint;

  // Tiles: authenticated against the signed root, every leaf hash read.
  const fetched = new Set<string>();
  const reader = new TileHashReader(c, size, root, {
    readTiles: (tiles: readonly Tile[]) =>
      mapLimit(tiles, CONCURRENCY, (t) => {
        fetched.add(tilePath(t));
        return http.bytes(tilePath(t));
      }),
  });
  const leaves =
    size === 0
      ? await at('checkpoint', () => {
          if (!bytesEqual(root, emptyRoot(c))) throw new LedgerError('ROOT_MISMATCH', 'empty tree with a wrong root');
          return [];
        })
      : await at('tiles', () => reader.readHashes(Array.from({ length: size }, (_, i) => storedHashIndex(0, i))));
  const missing = newTiles(0, size).filter((t) => !fetched.has(tilePath(t)));
  if (missing.length > 0) throw new Error(`internal error: tiles not checked: ${missing.map(tilePath).join(', ')}`);

  // Entries: each bundle's entries must hash to the authenticated leaves.
  const bundles = Array.from({ length: Math.ceil(size / TILE_WIDTH) }, (_, n) => n);
  await mapLimit(bundles, CONCURRENCY, async (n) => {
    const width = Math.min(TILE_WIDTH, size - n * TILE_WIDTH);
    const path = entryBundlePath(n, width);
    const entries = await at(path, async () => decodeEntryBundle(await http.bytes(path), width));
    entries.forEach((e, k) => {
      const i = n * TILE_WIDTH + k;
      if (!bytesEqual(leafHash(c, e), leaves[i]!)) {
        throw new Discrepancy(
          'ROOT_MISMATCH',
          `entry ${i}`,
          `entry ${i} of ${path} does not hash to its leaf in the signed tree`,
        );
      }
    });
  });

  // Consistency with the saved checkpoint.
  if (old !== undefined) {
    const where = `consistency ${old.size}→${size}`;
    if (old.size > size) {
      throw new Discrepancy('INCONSISTENT', where, `the hub's tree (size ${size}) is smaller than the saved one`);
    }
    let proof: Uint8Array[] = [];
    if (old.size > 0 && old.size < size) {
      const body = await http.json(`proof/consistency?from=${old.size}&to=${size}`);
      if (body.from !== old.size || body.to !== size || !Array.isArray(body.proof)) {
        throw new Discrepancy('BAD_RESPONSE', where, 'consistency proof response does not match the request');
      }
      proof = await at(where, () => (body.proof as unknown[]).map((h) => base64Decode(String(h))));
    }
    if (old.size === 0) {
      if (!bytesEqual(old.root, emptyRoot(c))) throw new Discrepancy('ROOT_MISMATCH', where, 'saved empty tree root');
    } else await at(where, () => verifyConsistency(c, old.size, size, proof, old.root, root));
  }

  // Cosignatures against the witness policy: a checkpoint is final when the quorum cosigned it.
  const policyText =
    options.policy !== undefined ? readFile(options.policy, 'policy').toString('utf8') : await http.text('policy');
  const policy = await at('policy', () => parsePolicy(c, policyText));
  if (!policy.logs.some((log) => log.vkey === vkey.trim())) {
    throw new Discrepancy(
      'UNKNOWN_KEY',
      'policy',
      'the policy does not name the log key the checkpoint is signed with',
    );
  }
  const cosigned = await at('cosignatures', () => verifyCheckpointWithPolicy(c, policy, note, origin));

  if (options.save !== undefined) writeFileSync(resolve(options.save), note);
  return {
    origin,
    size,
    root: base64Encode(root),
    tiles: fetched.size,
    entries: size,
    ...(old === undefined ? {} : { consistentWith: old.size }),
    cosignedBy: [...cosigned.witnesses].sort(),
    final: true,
  };
}

export async function runLedgerVerify(
  options: VerifyOptions,
  io: Output,
  fetchImpl: FetchLike = fetch,
): Promise<number> {
  try {
    const r = await verifyLedger(options, fetchImpl, io);
    if (options.json) io.out(JSON.stringify({ ok: true, ...r }, null, 2));
    else {
      const since = r.consistentWith === undefined ? '' : `, consistent with size ${r.consistentWith}`;
      const witnesses = r.cosignedBy.length ? `, cosigned by ${r.cosignedBy.join(' ')}` : '';
      io.out(`ledger verified: size ${r.size}, root ${r.root}${since}${witnesses}`);
    }
    return 0;
  } catch (e) {
    return reportFailure(io, options.json, 'ledger NOT verified', e);
  }
}

// ----------------------------------------------------------------------------------------------- prove

export interface ProveOptions {
  index: string;
  url?: string;
  vkey?: string;
  out?: string;
  entryOut?: string;
  origin?: string;
  json?: boolean;
}

/**
 * Writes a c2sp.org/tlog-proof@v1 for entry `index` against the checkpoint /ledger/entries/<index> serves
 * with its path. Everything is verified before anything is written, so a bad hub cannot make us emit a
 * proof file that would not check.
 */
export async function runLedgerProve(options: ProveOptions, io: Output, fetchImpl: FetchLike = fetch): Promise<number> {
  try {
    const index = Number(options.index);
    if (!/^(0|[1-9][0-9]*)$/.test(options.index) || !Number.isSafeInteger(index)) {
      throw new UsageError('BAD_ARGUMENT', '--index must be a non-negative decimal integer');
    }
    const origin = options.origin ?? HUTONG_LOG_ORIGIN;
    const http = new LedgerHttp(options.url ?? DEFAULT_URL, fetchImpl);
    const vkey = await resolveVkey(http, options.vkey);
    const where = `entry ${index}`;
    const body = await http.json(`entries/${index}`);
    if (
      body.index !== index ||
      typeof body.checkpoint !== 'string' ||
      typeof body.data !== 'string' ||
      !Array.isArray(body.inclusionProof)
    ) {
      throw new Discrepancy('BAD_RESPONSE', where, 'entry response is malformed');
    }
    const note = body.checkpoint;
    const checkpoint = await openSigned(note, origin, vkey, 'checkpoint');
    const entry = await at(where, () =>
      body.encoding === 'base64' ? base64Decode(String(body.data)) : utf8(String(body.data)),
    );
    const path = await at(where, () => (body.inclusionProof as unknown[]).map((h) => base64Decode(String(h))));
    await at(where, () => verifyInclusion(c, index, checkpoint.size, leafHash(c, entry), path, checkpoint.root));
    const proof = formatTlogProof({ index, path, checkpoint: note });
    if (options.entryOut !== undefined) writeFileSync(resolve(options.entryOut), entry);
    if (options.out === undefined) io.out(proof.replace(/\n$/, ''));
    else {
      writeFileSync(resolve(options.out), proof);
      const summary = { ok: true, index, size: checkpoint.size, root: base64Encode(checkpoint.root), out: options.out };
      if (options.json) io.out(JSON.stringify(summary, null, 2));
      else io.out(`proof of entry ${index} at size ${checkpoint.size} written to ${options.out}`);
    }
    return 0;
  } catch (e) {
    return reportFailure(io, options.json, 'no proof written', e);
  }
}

// ----------------------------------------------------------------------------------------- check-proof

export interface CheckProofOptions {
  file: string;
  entry?: string;
  entryText?: string;
  vkey?: string;
  url?: string;
  origin?: string;
  json?: boolean;
}

/** Offline check of a tlog-proof file: the checkpoint's signature under the vkey and the entry's inclusion. */
export async function runLedgerCheckProof(
  options: CheckProofOptions,
  io: Output,
  fetchImpl: FetchLike = fetch,
): Promise<number> {
  try {
    if ((options.entry === undefined) === (options.entryText === undefined)) {
      throw new UsageError('BAD_ARGUMENT', 'give exactly one of --entry FILE and --entry-text TEXT');
    }
    const origin = options.origin ?? HUTONG_LOG_ORIGIN;
    const http = options.url === undefined ? undefined : new LedgerHttp(options.url, fetchImpl);
    const vkey = await resolveVkey(http, options.vkey);
    const entry = options.entry !== undefined ? readFile(options.entry, 'entry file') : utf8(options.entryText!);
    const proofText = readFile(options.file, 'proof file');
    const policy = await at('vkey', () => parsePolicy(c, `log ${vkey}\nquorum none\n`));
    const verified = await at(options.file, () => verifyTlogProof(c, proofText, leafHash(c, entry), origin, policy));
    const { size, root } = verified.checkpoint;
    if (options.json) {
      io.out(JSON.stringify({ ok: true, index: verified.index, size, root: base64Encode(root), origin }, null, 2));
    } else {
      io.out(`proof verified: entry ${verified.index} is in ${origin} at size ${size}, root ${base64Encode(root)}`);
    }
    return 0;
  } catch (e) {
    return reportFailure(io, options.json, 'proof rejected', e);
  }
}

// ---------------------------------------------------------------------------------------------- wiring

export function registerLedgerCommands(program: Command): void {
  const ledger = program.command('ledger').description('审计日志 / audit the hub’s append-only log (C2SP tlog-tiles)');
  const exit = (code: number) => {
    process.exitCode = code;
  };

  ledger
    .command('verify')
    .description('fetch the signed checkpoint, every tile and entry bundle, and recompute the tree')
    .option('--url <url>', 'hub URL', DEFAULT_URL)
    .option('--vkey <vkey>', 'the log vkey, or a file holding it (default: fetched from the hub)')
    .option('--policy <file>', 'a tlog-policy to check cosignatures against (default: the hub’s /ledger/policy)')
    .option('--since <file>', 'a checkpoint saved earlier with --save: check the log grew from it')
    .option('--save <file>', 'write the verified checkpoint here, for a later --since')
    .option('--origin <origin>', 'log origin', HUTONG_LOG_ORIGIN)
    .option('--json', 'print JSON')
    .action(async (o: VerifyOptions) => exit(await runLedgerVerify(o, consoleOutput)));

  ledger
    .command('prove')
    .description('write a c2sp.org/tlog-proof@v1 for one entry against the latest checkpoint')
    .requiredOption('--index <n>', 'entry index')
    .option('--url <url>', 'hub URL', DEFAULT_URL)
    .option('--vkey <vkey>', 'the log vkey, or a file holding it (default: fetched from the hub)')
    .option('--out <file>', 'write the proof here (default: stdout)')
    .option('--entry-out <file>', 'also write the entry bytes here (for check-proof --entry)')
    .option('--origin <origin>', 'log origin', HUTONG_LOG_ORIGIN)
    .option('--json', 'print JSON (with --out)')
    .action(async (o: ProveOptions) => exit(await runLedgerProve(o, consoleOutput)));

  ledger
    .command('check-proof <file>')
    .description('check a tlog-proof file offline: checkpoint signature and the entry’s inclusion')
    .option('--entry <file>', 'the entry bytes')
    .option('--entry-text <text>', 'the entry as text (UTF-8)')
    .option('--vkey <vkey>', 'the log vkey, or a file holding it')
    .option('--url <url>', 'fetch the vkey from this hub’s /ledger/vkey (when no --vkey)')
    .option('--origin <origin>', 'log origin', HUTONG_LOG_ORIGIN)
    .option('--json', 'print JSON')
    .action(async (file: string, o: Omit<CheckProofOptions, 'file'>) =>
      exit(await runLedgerCheckProof({ ...o, file }, consoleOutput)),
    );
}
