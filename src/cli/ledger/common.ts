/**
 * What the `ledger` commands share: the hub's log read over C2SP tlog-tiles (trusting nothing but the vkey),
 * bounded concurrency, vkey and file options, and the report of a failure as an exit code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { nodeLedgerCrypto as c } from '../../platform/crypto/ledger-crypto';
import { ChainError, type ChainErrorCode } from '../../core/audit/chain';
import { type Checkpoint, openCheckpoint } from '../../core/ledger/checkpoint';
import { LedgerError, type LedgerErrorCode } from '../../core/ledger/errors';
import { ed25519NoteVerifier } from '../../core/ledger/note';
import type { Output } from '../output';

export type FetchLike = (url: string) => Promise<Response>;

export { defaultUrl as DEFAULT_URL } from '../common';

/** Parallel HTTP requests while fetching tiles and bundles. */
export const CONCURRENCY = 8;

/** A verification failure: a ledger-core code (or FETCH_FAILED) and where it was found. */
export class Discrepancy extends Error {
  constructor(
    readonly code: LedgerErrorCode | ChainErrorCode | 'FETCH_FAILED' | 'BAD_RESPONSE' | 'POLICY_CHANGED' | 'NOT_FINAL',
    readonly at: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** The hub could not be reached or the arguments make no sense: not a verdict about the log. */
export class UsageError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Runs `fn`, turning a LedgerError into a Discrepancy located `at`. */
export async function at<T>(where: string | undefined, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof LedgerError) throw new Discrepancy(e.code, where, e.message);
    if (e instanceof ChainError) throw new Discrepancy(e.code, `node ${e.node} seq ${e.seq}`, e.message);
    throw e;
  }
}

export class LedgerHttp {
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
export async function mapLimit<T, R>(
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

export function readFile(file: string, what: string): Buffer {
  try {
    return readFileSync(resolve(file));
  } catch (e) {
    throw new UsageError('NO_FILE', `cannot read ${what} ${file}: ${(e as Error).message}`);
  }
}

/** `--vkey` is the vkey itself or a file holding it (first line). */
export function readVkeyOption(value: string): string {
  const text = existsSync(resolve(value)) ? readFile(value, 'vkey file').toString('utf8') : value;
  return text.trim().split('\n')[0]!.trim();
}

export async function resolveVkey(http: LedgerHttp | undefined, vkey: string | undefined): Promise<string> {
  if (vkey !== undefined) return readVkeyOption(vkey);
  if (!http) throw new UsageError('NO_VKEY', 'give --vkey (the log key) or --url (to fetch /ledger/vkey)');
  return (await http.text('vkey')).trim();
}

export function openSigned(note: string, origin: string, vkey: string, where: string): Promise<Checkpoint> {
  return at(where, () => openCheckpoint(note, origin, [ed25519NoteVerifier(c, vkey)]).checkpoint);
}

export function reportFailure(io: Output, json: boolean | undefined, what: string, e: unknown): number {
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
