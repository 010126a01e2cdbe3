/** `ledger prove`: an inclusion proof of one entry, written as a self-contained proof file. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { nodeLedgerCrypto as c } from '../../platform/crypto/ledger-crypto';
import { base64Decode, base64Encode, utf8 } from '../../core/ledger/bytes';
import { LedgerError } from '../../core/ledger/errors';
import { leafHash, verifyInclusion } from '../../core/ledger/merkle';
import { parsePolicy, verifyCheckpointWithPolicy } from '../../core/ledger/policy';
import { formatTlogProof } from '../../core/ledger/proof-file';
import { HUTONG_LOG_ORIGIN } from '../../ledger/service/log-service';
import type { Output } from '../output';
import {
  DEFAULT_URL,
  Discrepancy,
  type FetchLike,
  LedgerHttp,
  UsageError,
  at,
  openSigned,
  readFile,
  reportFailure,
  resolveVkey,
} from './common';

export interface ProveOptions {
  index: string;
  url?: string;
  vkey?: string;
  /** The witness policy the proof's checkpoint must meet (default: the hub's /ledger/policy). */
  policy?: string;
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
    // The proof carries the witnesses' cosignatures, and they must meet the policy: checked offline later.
    const policyText =
      options.policy !== undefined ? readFile(options.policy, 'policy').toString('utf8') : await http.text('policy');
    const policy = await at('policy', () => parsePolicy(c, policyText));
    try {
      verifyCheckpointWithPolicy(c, policy, note, origin);
    } catch (e) {
      if (e instanceof LedgerError && e.code === 'QUORUM_NOT_MET') {
        throw new Discrepancy(
          'NOT_FINAL',
          where,
          'no checkpoint with enough witness cosignatures covers this entry yet; try again in a few seconds',
        );
      }
      throw e instanceof LedgerError ? new Discrepancy(e.code, 'checkpoint', e.message) : e;
    }
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
