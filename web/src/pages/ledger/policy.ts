// The witness policy (c2sp.org/tlog-policy) and the checkpoint's signatures, checked in the browser with
// the ledger core's own parser, quorum rule and note verification (over ../../ledger/crypto).
import { ledgerVkey } from '../../api/ledger';
import {
  parsePolicy as parsePolicyText,
  type Policy as PolicyRules,
  QUORUM_NONE,
  quorumSatisfied,
} from '../../../../src/core/ledger/policy';
import { browserLedgerCrypto } from '../../ledger/crypto';
import type { Checkpoint } from '../../ledger/merkle';
import { type NoteCheck, parseVkey, verifyNote } from '../../ledger/note';

export interface Policy {
  /** Witness short name (member code) → the key name its cosignatures carry, and its vkey. */
  witnesses: { name: string; keyName: string; vkey: string }[];
  groups: Map<string, { k: number; members: string[] }>;
  quorum: string | null;
  rules: PolicyRules;
}

export function parsePolicy(text: string): Policy {
  const rules = parsePolicyText(browserLedgerCrypto, text);
  return {
    witnesses: rules.witnesses.map((w) => ({ name: w.name, keyName: w.key.name, vkey: w.vkey })),
    groups: new Map(rules.groups.map((g) => [g.name, { k: g.threshold, members: [...g.members] }])),
    quorum: rules.quorum === QUORUM_NONE ? null : rules.quorum,
    rules,
  };
}

/** Whether `name` (a witness or a group) is satisfied by the witnesses that cosigned. */
export function satisfied(policy: Policy, name: string, cosigned: Set<string>): boolean {
  return quorumSatisfied({ ...policy.rules, quorum: name }, cosigned);
}

export interface SignatureState {
  check: NoteCheck | null;
  error: string | null;
}

export async function checkSignatures(note: string, policy: Policy): Promise<SignatureState> {
  try {
    const keys = [parseVkey(await ledgerVkey()), ...policy.rules.witnesses.map((w) => w.key)];
    return { check: verifyNote(note, keys), error: null };
  } catch (e) {
    return { check: null, error: e instanceof Error ? e.message : String(e) };
  }
}

export function cosignersOf(checkpoint: Checkpoint, policy: Policy): string[] {
  const byKey = new Map(policy.witnesses.map((w) => [w.keyName, w.name]));
  const names = checkpoint.signatures
    .map((s) => byKey.get(s.name))
    .filter((name): name is string => name !== undefined);
  return [...new Set(names)].sort();
}
