/** `ledger check-proof`: a proof file checked offline against a vkey (and a witness policy). */
import { nodeLedgerCrypto as c } from '../../platform/crypto/ledger-crypto';
import { base64Encode, utf8 } from '../../core/ledger/bytes';
import { leafHash } from '../../core/ledger/merkle';
import { type Policy, parsePolicy } from '../../core/ledger/policy';
import { verifyTlogProof } from '../../core/ledger/proof-file';
import { HUTONG_LOG_ORIGIN } from '../../ledger/service/log-service';
import type { Output } from '../output';
import {
  Discrepancy,
  type FetchLike,
  LedgerHttp,
  UsageError,
  at,
  readFile,
  readVkeyOption,
  reportFailure,
  resolveVkey,
} from './common';

export interface CheckProofOptions {
  file: string;
  entry?: string;
  entryText?: string;
  vkey?: string;
  /** A tlog-policy file: the log key and the witnesses whose cosignatures must meet its quorum. */
  policy?: string;
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
    const entry = options.entry !== undefined ? readFile(options.entry, 'entry file') : utf8(options.entryText!);
    const proofText = readFile(options.file, 'proof file');
    let policy: Policy;
    if (options.policy !== undefined) {
      // Offline and complete: the policy names the log key and the witnesses, and its quorum must be met.
      const text = readFile(options.policy, 'policy').toString('utf8');
      policy = await at('policy', () => parsePolicy(c, text));
      if (options.vkey !== undefined && !policy.logs.some((log) => log.vkey === readVkeyOption(options.vkey!))) {
        throw new Discrepancy('UNKNOWN_KEY', 'policy', 'the policy does not name the given log key');
      }
    } else {
      const vkey = await resolveVkey(http, options.vkey);
      policy = await at('vkey', () => parsePolicy(c, `log ${vkey}\nquorum none\n`));
      io.err('note: no --policy given: the log signature was checked, the witnesses’ cosignatures were not');
    }
    const verified = await at(options.file, () => verifyTlogProof(c, proofText, leafHash(c, entry), origin, policy));
    const { size, root } = verified.checkpoint;
    const cosignedBy = [...verified.witnesses].sort();
    if (options.json) {
      const summary = { ok: true, index: verified.index, size, root: base64Encode(root), origin, cosignedBy };
      io.out(JSON.stringify(summary, null, 2));
    } else {
      const witnesses = cosignedBy.length ? `, cosigned by ${cosignedBy.join(' ')}` : '';
      io.out(
        `proof verified: entry ${verified.index} is in ${origin} at size ${size}, root ${base64Encode(root)}${witnesses}`,
      );
    }
    return 0;
  } catch (e) {
    return reportFailure(io, options.json, 'proof rejected', e);
  }
}
