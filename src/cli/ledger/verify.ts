/**
 * `ledger verify`: every entry and tile recomputed against the signed checkpoint, consistency with a saved
 * checkpoint, the witness policy, and each node's chain of access records up to its signed head.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { nodeLedgerCrypto as c } from '../../platform/crypto/ledger-crypto';
import type { AccessRecord } from '../../core/audit/access-record';
import { ChainChecker, ChainError, checkSeal, type NodeHead, type Seal } from '../../core/audit/chain';
import type { SignedHead } from '../../core/audit/shipment';
import { isNodeKeyAlgorithm } from '../../core/members/member';
import { base64Decode, base64Encode, bytesEqual, utf8DecodeStrict } from '../../core/ledger/bytes';
import type { Checkpoint } from '../../core/ledger/checkpoint';
import { LedgerError } from '../../core/ledger/errors';
import { emptyRoot, leafHash, verifyConsistency } from '../../core/ledger/merkle';
import { formatPolicy, parsePolicy, verifyCheckpointWithPolicy } from '../../core/ledger/policy';
import { storedHashIndex } from '../../core/ledger/stored-hashes';
import {
  decodeEntryBundle,
  entryBundlePath,
  newTiles,
  TILE_WIDTH,
  type Tile,
  TileHashReader,
  tilePath,
} from '../../core/ledger/tiles';
import { HUTONG_LOG_ORIGIN } from '../../ledger/service/log-service';
import type { Output } from '../output';
import {
  CONCURRENCY,
  DEFAULT_URL,
  Discrepancy,
  type FetchLike,
  LedgerHttp,
  at,
  mapLimit,
  openSigned,
  readFile,
  reportFailure,
  resolveVkey,
} from './common';

export interface VerifyOptions {
  url?: string;
  vkey?: string;
  /** A tlog-policy file to check cosignatures against (default: the hub's /ledger/policy). */
  policy?: string;
  since?: string;
  save?: string;
  /** Accept a witness policy other than the one saved beside the --since checkpoint (and save the new one). */
  acceptPolicy?: boolean;
  /** Ask each node logged in the ledger for its signed chain head (default true; --no-nodes skips it). */
  nodes?: boolean;
  /** Minutes a node's newest record may wait for the log before it counts as hidden (default 10). */
  maxLag?: string;
  origin?: string;
  json?: boolean;
  /**
   * `gm`: also check the checkpoint's SM2 lines (the log's and the witnesses') against the hub's SM2 policy,
   * whose witnesses and quorum must be the tlog-policy's and whose witness keys the ones logged by the members.
   */
  suite?: 'intl' | 'gm';
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
  /** Every node's chain in the log: its last seq, and what its own signed head said where it answered. */
  chains: {
    node: string;
    lastSeq: number;
    head: 'in-log' | 'pending' | 'unreachable' | 'not-asked';
    pending?: number;
  }[];
  /** The witness policy changed since the saved one and --accept-policy accepted it. */
  policyChanged?: boolean;
  /** With --suite gm: the witnesses whose SM2 cosignatures verified (the SM2 policy's quorum is met). */
  sm2?: { cosignedBy: string[] };
}

/** A saved checkpoint's policy lives beside it: `<file>.policy`. */
function policyFileOf(checkpointFile: string): string {
  return `${checkpointFile}.policy`;
}

/** What the chain pass keeps of one log entry: node keys, node URLs, access records. */
function readEntryJson(entry: Uint8Array): Record<string, unknown> | undefined {
  const text = utf8DecodeStrict(entry);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Where an entry's content says it belongs: its node and seq, for an access record. */
function describeEntry(entry: Uint8Array, index: number): string {
  const record = readEntryJson(entry)?.record as { node?: unknown; seq?: unknown } | undefined;
  return typeof record?.node === 'string' && typeof record.seq === 'number'
    ? `entry ${index} (node ${record.node} seq ${record.seq})`
    : `entry ${index}`;
}

/**
 * Follows every node's chain through the log in log order: node keys come from the log's own key entries
 * (so a key the hub slipped into its directory without logging it counts for nothing), node URLs from its
 * node-url entries.
 */
class ChainPass {
  readonly checker = new ChainChecker(c);
  readonly nodeKeys = new Map<string, Uint8Array[]>();
  /** Each member's newest SM2 witness key as logged (base64): what the SM2 policy must name. */
  readonly sm2WitnessKeys = new Map<string, string>();
  readonly nodeUrls = new Map<string, string>();

  add(entry: Uint8Array): void {
    const json = readEntryJson(entry);
    if (!json) return;
    if (json.type === 'member' && json.action === 'key' && isNodeKeyAlgorithm(String(json.algorithm))) {
      const member = String(json.memberCode);
      const keys = this.nodeKeys.get(member) ?? [];
      keys.push(base64Decode(String(json.publicKey)));
      this.nodeKeys.set(member, keys);
    } else if (json.type === 'member' && json.action === 'key' && json.algorithm === 'sm2-witness') {
      this.sm2WitnessKeys.set(String(json.memberCode), String(json.publicKey));
    } else if (json.type === 'member' && json.action === 'node-url' && typeof json.nodeUrl === 'string') {
      this.nodeUrls.set(String(json.memberCode), json.nodeUrl);
    } else if (json.type === 'access' && json.v === 2) {
      const record = json.record as AccessRecord;
      // Only the node's newest logged key may seal: an old key (perhaps lost) no longer speaks for it.
      const newest = this.nodeKeys.get(record.node)?.at(-1);
      this.checker.add(record, json.seal as Seal | undefined, newest ? [newest] : []);
    }
  }
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

  // Entries: each bundle's entries must hash to the authenticated leaves; then, in log order, every node's
  // chain is followed (bundles are fetched a few at a time but read in order, so memory stays bounded).
  const chains = new ChainPass();
  const bundles = Array.from({ length: Math.ceil(size / TILE_WIDTH) }, (_, n) => n);
  for (let start = 0; start < bundles.length; start += CONCURRENCY) {
    const fetchedBundles = await mapLimit(bundles.slice(start, start + CONCURRENCY), CONCURRENCY, async (n) => {
      const width = Math.min(TILE_WIDTH, size - n * TILE_WIDTH);
      const path = entryBundlePath(n, width);
      const entries = await at(path, async () => decodeEntryBundle(await http.bytes(path), width));
      entries.forEach((e, k) => {
        const i = n * TILE_WIDTH + k;
        if (!bytesEqual(leafHash(c, e), leaves[i]!)) {
          throw new Discrepancy(
            'ROOT_MISMATCH',
            describeEntry(e, i),
            `${describeEntry(e, i)} of ${path} does not hash to its leaf in the signed tree`,
          );
        }
      });
      return entries;
    });
    await at(undefined, () => {
      for (const entries of fetchedBundles) for (const entry of entries) chains.add(entry);
    });
  }
  const heads = await at(undefined, () => chains.checker.finish());

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

  // The trust root itself: a policy other than the one saved beside --since is a finding, unless accepted.
  let policyChanged = false;
  if (options.since !== undefined && existsSync(resolve(policyFileOf(options.since)))) {
    const saved = await at('saved policy', () =>
      formatPolicy(parsePolicy(c, readFile(policyFileOf(options.since!), 'saved policy').toString('utf8'))),
    );
    if (saved !== formatPolicy(policy)) {
      if (!options.acceptPolicy) {
        throw new Discrepancy(
          'POLICY_CHANGED',
          'policy',
          `the witness policy differs from the one saved with ${options.since}; check the change, then run again with --accept-policy`,
        );
      }
      policyChanged = true;
      io.err('note: the witness policy changed since the saved checkpoint; accepted (--accept-policy)');
    }
  }

  const sm2 = options.suite === 'gm' ? await checkSm2Lines(http, policy, note, origin, chains) : undefined;

  // Each node's own signed head: a node holding records the log does not is a node whose records were hidden.
  const chainReport = await checkNodeHeads(heads, chains, options, io);

  if (options.save !== undefined) {
    writeFileSync(resolve(options.save), note);
    writeFileSync(resolve(policyFileOf(options.save)), formatPolicy(policy));
  }
  return {
    origin,
    size,
    root: base64Encode(root),
    tiles: fetched.size,
    entries: size,
    ...(old === undefined ? {} : { consistentWith: old.size }),
    cosignedBy: [...cosigned.witnesses].sort(),
    final: true,
    chains: chainReport,
    ...(policyChanged ? { policyChanged } : {}),
    ...(sm2 ? { sm2 } : {}),
  };
}

/**
 * The 国密 suite's lines: the hub's SM2 policy must have the tlog-policy's witnesses, groups and quorum, each
 * witness's SM2 key must be the one its member logged (so the hub cannot swap in keys of its own), and the
 * checkpoint's SM2 signature and cosignatures must meet it.
 */
async function checkSm2Lines(
  http: LedgerHttp,
  policy: ReturnType<typeof parsePolicy>,
  note: string,
  origin: string,
  chains: ChainPass,
): Promise<{ cosignedBy: string[] }> {
  const sm2Policy = await at('sm2-policy', async () => parsePolicy(c, await http.text('sm2-policy')));
  const shape = (p: typeof policy) =>
    JSON.stringify({ witnesses: p.witnesses.map((w) => w.name), groups: p.groups, quorum: p.quorum });
  if (shape(sm2Policy) !== shape(policy)) {
    throw new Discrepancy(
      'POLICY_CHANGED',
      'sm2-policy',
      'the SM2 policy’s witnesses or quorum differ from the tlog-policy’s',
    );
  }
  for (const witness of sm2Policy.witnesses) {
    const logged = chains.sm2WitnessKeys.get(witness.name);
    if (!logged || !bytesEqual(base64Decode(logged), witness.key.publicKey)) {
      throw new Discrepancy(
        'UNKNOWN_KEY',
        'sm2-policy',
        `the SM2 key of witness ${witness.name} is not the one its member registered in the log`,
      );
    }
  }
  const cosigned = await at('sm2 cosignatures', () => verifyCheckpointWithPolicy(c, sm2Policy, note, origin));
  return { cosignedBy: [...cosigned.witnesses].sort() };
}

/**
 * Asks every node the log knows (node-url entries) for its signed head (GET /audit/v1/head), checks the
 * signature with the node's key from the log, and compares it with the node's chain in the log: the same
 * record where the log reaches that far; records not yet logged are fine while recent (shipping runs
 * every second), and a finding once older than --max-lag minutes. An unreachable node is reported, not
 * held against the log.
 */
async function checkNodeHeads(
  heads: Map<string, NodeHead>,
  chains: ChainPass,
  options: VerifyOptions,
  io: Output,
): Promise<VerifyResult['chains']> {
  const nodes = [...new Set([...heads.keys(), ...chains.nodeUrls.keys()])].sort();
  const maxLagMs = Number(options.maxLag ?? 10) * 60_000;
  const report: VerifyResult['chains'] = [];
  for (const node of nodes) {
    const logged = heads.get(node) ?? { seq: 0, hash: '', sealedSeq: 0 };
    const url = chains.nodeUrls.get(node);
    const key = chains.nodeKeys.get(node)?.at(-1);
    if (options.nodes === false || !url || !key) {
      report.push({ node, lastSeq: logged.seq, head: 'not-asked' });
      continue;
    }
    let head: SignedHead | undefined;
    let status = 0;
    try {
      const response = await fetch(new URL('/audit/v1/head', url), { signal: AbortSignal.timeout(5000) });
      status = response.status;
      if (response.ok) head = (await response.json()) as SignedHead;
    } catch {
      head = undefined;
    }
    if (status === 404 && logged.seq === 0) {
      report.push({ node, lastSeq: 0, head: 'in-log' });
      continue;
    }
    if (!head) {
      io.err(`note: node ${node} (${url}) did not answer with its audit head; its chain was checked in the log only`);
      report.push({ node, lastSeq: logged.seq, head: 'unreachable' });
      continue;
    }
    const where = `node ${node} seq ${head.seq}`;
    await at(where, () => {
      if (head.node !== node) throw new ChainError('SEAL_INVALID', node, head.seq, `${url} answered for ${head.node}`);
      checkSeal(c, node, head.seq, head.hash, head, [key]);
    });
    if (head.seq < logged.seq || (head.seq === logged.seq && head.hash !== logged.hash)) {
      throw new Discrepancy(
        'HEAD_NOT_LOGGED',
        where,
        `node ${node} says its record ${head.seq} is ${head.hash}; the log holds another chain (up to ${logged.seq})`,
      );
    }
    if (head.seq === logged.seq) {
      report.push({ node, lastSeq: logged.seq, head: 'in-log' });
      continue;
    }
    const waited = Date.now() - Date.parse(head.at);
    if (waited > maxLagMs) {
      throw new Discrepancy(
        'HEAD_NOT_LOGGED',
        where,
        `node ${node} made record ${head.seq} at ${head.at}; the log holds its chain only up to ${logged.seq}`,
      );
    }
    report.push({ node, lastSeq: logged.seq, head: 'pending', pending: head.seq - logged.seq });
  }
  return report;
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
      if (r.sm2) io.out(`国密 SM2 lines verified: log signature, cosigned by ${r.sm2.cosignedBy.join(' ')}`);
      const pending = r.chains.filter((chain) => chain.head === 'pending');
      io.out(
        `node chains: ${r.chains.length} checked, ${r.chains.filter((chain) => chain.head === 'in-log').length} heads confirmed by their nodes` +
          (pending.length
            ? `, ${pending.map((chain) => `${chain.node} +${chain.pending}`).join(' ')} not yet logged`
            : ''),
      );
    }
    return 0;
  } catch (e) {
    return reportFailure(io, options.json, 'ledger NOT verified', e);
  }
}
