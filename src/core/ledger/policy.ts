/**
 * C2SP tlog-policy (c2sp.org/tlog-policy): which logs and witnesses are trusted and the witness quorum a
 * checkpoint needs. Parsing is strict (unknown keywords, forward references, duplicates and bad thresholds
 * are errors) because a mis-read policy silently weakens every later verification.
 */
import type { LedgerCrypto, Sha256 } from './crypto-port';
import { cosignatureVerifier } from './cosignature';
import { fail, LedgerError } from './errors';
import { parseCheckpoint, type Checkpoint } from './checkpoint';
import {
  type NoteSignature,
  type NoteVerifier,
  ed25519NoteVerifier,
  openNote,
  parseNote,
  parseVkey,
  sameKey,
  SIG_TYPE_COSIGNATURE_V1,
  SIG_TYPE_ED25519,
  type VerifiedNote,
  type Vkey,
} from './note';
import {
  isExtendedVkey,
  parseSm2Vkey,
  SM2_COSIGNATURE_IDENTIFIER,
  SM2_NOTE_IDENTIFIER,
  type Sm2Vkey,
  sm2CosignatureVerifier,
  sm2NoteVerifier,
} from './sm2-note';

export interface PolicyLog {
  readonly vkey: string;
  readonly key: Vkey;
  readonly url?: string;
}

export interface PolicyWitness {
  readonly name: string;
  readonly vkey: string;
  readonly key: Vkey;
  readonly url?: string;
}

export interface PolicyGroup {
  readonly name: string;
  /** The keyword as written, kept so formatPolicy reproduces it. */
  readonly thresholdText: string;
  readonly threshold: number;
  readonly members: readonly string[];
}

export interface Policy {
  readonly logs: readonly PolicyLog[];
  readonly witnesses: readonly PolicyWitness[];
  readonly groups: readonly PolicyGroup[];
  /** A witness or group name, or 'none' for no cosigning requirement. */
  readonly quorum: string;
}

export const QUORUM_NONE = 'none';

function bad(line: number, why: string): never {
  throw new LedgerError('BAD_POLICY', `policy line ${line}: ${why}`);
}

// Spec: allowed octets are tab, newline, 0x20-0x7E and 0x80-0xFF; non-ASCII is opaque.
function checkCharacters(text: string): void {
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if ((ch < 0x20 && ch !== 0x09 && ch !== 0x0a) || ch === 0x7f)
      fail('BAD_POLICY', 'policy contains a control character');
  }
}

// The 国密 suite's SM2 keys (./sm2-note.ts) stand where the C2SP types do: a log's note key, a witness's
// cosignature key. A policy holding them is hutong's own (C2SP tools read the intl policy).
function parseKey(c: Sha256, vkey: string, type: number, line: number): Vkey {
  const sm2Kind = type === SIG_TYPE_ED25519 ? SM2_NOTE_IDENTIFIER : SM2_COSIGNATURE_IDENTIFIER;
  let key: Vkey;
  try {
    key = isExtendedVkey(vkey) ? parseSm2Vkey(c, vkey) : parseVkey(c, vkey);
  } catch (e) {
    if (e instanceof LedgerError) bad(line, `invalid vkey (${e.code})`);
    throw e;
  }
  if (isSm2Vkey(key) ? key.kind !== sm2Kind : key.type !== type) {
    bad(line, `vkey must have signature type 0x0${type} or ${sm2Kind}`);
  }
  return key;
}

function isSm2Vkey(key: Vkey): key is Sm2Vkey {
  return 'kind' in key;
}

function logVerifier(c: LedgerCrypto, key: Vkey): NoteVerifier {
  return isSm2Vkey(key) ? sm2NoteVerifier(c, key) : ed25519NoteVerifier(c, key);
}

function witnessVerifier(c: LedgerCrypto, key: Vkey): NoteVerifier {
  return isSm2Vkey(key) ? sm2CosignatureVerifier(c, key) : cosignatureVerifier(c, key);
}

/** Parses a policy file. A missing final newline is tolerated; everything else the spec forbids is refused. */
export function parsePolicy(c: Sha256, text: string): Policy {
  checkCharacters(text);
  const logs: PolicyLog[] = [];
  const witnesses: PolicyWitness[] = [];
  const groups: PolicyGroup[] = [];
  const defined = new Set<string>();
  const usedAsMember = new Set<string>();
  let quorum: string | undefined;

  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.replace(/^[ \t]+|[ \t]+$/g, '');
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const [keyword, ...args] = trimmed.split(/[ \t]+/) as [string, ...string[]];
    const define = (name: string) => {
      if (name === QUORUM_NONE) bad(line, '"none" is reserved');
      if (defined.has(name)) bad(line, `name ${name} is already defined`);
      defined.add(name);
    };
    switch (keyword) {
      case 'log': {
        if (args.length < 1 || args.length > 2) bad(line, 'expected: log <vkey> [<url>]');
        const key = parseKey(c, args[0]!, SIG_TYPE_ED25519, line);
        if (logs.some((l) => sameKey(l.key, key))) bad(line, 'duplicate log key');
        logs.push({ vkey: args[0]!, key, ...(args[1] === undefined ? {} : { url: args[1] }) });
        return;
      }
      case 'witness': {
        if (args.length < 2 || args.length > 3) bad(line, 'expected: witness <name> <vkey> [<url>]');
        const key = parseKey(c, args[1]!, SIG_TYPE_COSIGNATURE_V1, line);
        if (witnesses.some((w) => sameKey(w.key, key))) bad(line, 'duplicate witness key');
        define(args[0]!);
        witnesses.push({ name: args[0]!, vkey: args[1]!, key, ...(args[2] === undefined ? {} : { url: args[2] }) });
        return;
      }
      case 'group': {
        if (args.length < 3) bad(line, 'expected: group <name> <all|any|k> <member>...');
        const [name, k, ...members] = args as [string, string, ...string[]];
        for (const m of members) {
          if (m === QUORUM_NONE) bad(line, '"none" cannot be a group member');
          if (!defined.has(m)) bad(line, `member ${m} is not defined on an earlier line`);
          // Spec: each defined name may be listed as a group member at most once (read as: in the whole file).
          if (usedAsMember.has(m)) bad(line, `member ${m} is already listed in a group`);
          usedAsMember.add(m);
        }
        let threshold: number;
        if (k === 'all') threshold = members.length;
        else if (k === 'any') threshold = 1;
        else if (/^[1-9][0-9]{0,8}$/.test(k)) threshold = Number(k);
        else bad(line, 'threshold must be all, any or a decimal');
        if (threshold < 1 || threshold > members.length) bad(line, 'threshold must satisfy 1 <= k <= n');
        define(name);
        groups.push({ name, thresholdText: k, threshold, members });
        return;
      }
      case 'quorum': {
        if (args.length !== 1) bad(line, 'expected: quorum <name>');
        if (quorum !== undefined) bad(line, 'more than one quorum line');
        if (args[0] !== QUORUM_NONE && !defined.has(args[0]!))
          bad(line, 'quorum must name a witness or group defined earlier');
        quorum = args[0]!;
        return;
      }
      default:
        bad(line, `unknown keyword ${keyword}`);
    }
  });
  if (quorum === undefined) fail('BAD_POLICY', 'policy has no quorum line');
  return { logs, witnesses, groups, quorum };
}

export function formatPolicy(p: Policy): string {
  const lines: string[] = [];
  for (const l of p.logs) lines.push(['log', l.vkey, ...(l.url ? [l.url] : [])].join(' '));
  for (const w of p.witnesses) lines.push(['witness', w.name, w.vkey, ...(w.url ? [w.url] : [])].join(' '));
  for (const g of p.groups) lines.push(['group', g.name, g.thresholdText, ...g.members].join(' '));
  lines.push(`quorum ${p.quorum}`);
  return lines.map((l) => `${l}\n`).join('');
}

/** True if witnesses named in `cosigned` (policy names whose cosignatures verified) satisfy the quorum. */
export function quorumSatisfied(p: Policy, cosigned: ReadonlySet<string>): boolean {
  if (p.quorum === QUORUM_NONE) return true;
  const groups = new Map(p.groups.map((g) => [g.name, g]));
  const memo = new Map<string, boolean>();
  const holds = (name: string): boolean => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const g = groups.get(name);
    const result = g ? g.members.filter(holds).length >= g.threshold : cosigned.has(name);
    memo.set(name, result);
    return result;
  };
  return holds(p.quorum);
}

export interface PolicyVerifiedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly note: VerifiedNote;
  /** Policy names of the witnesses whose cosignatures verified. */
  readonly witnesses: readonly string[];
  readonly cosignatures: readonly NoteSignature[];
}

/**
 * Verifies a signed checkpoint against a policy: signed by a listed log whose key name is the origin,
 * and cosigned by witnesses satisfying the quorum. `origin`, when given, must match.
 */
export function verifyCheckpointWithPolicy(
  c: LedgerCrypto,
  p: Policy,
  msg: string | Uint8Array,
  origin?: string,
): PolicyVerifiedCheckpoint {
  const checkpoint = parseCheckpoint(parseNote(msg).text);
  if (origin !== undefined && checkpoint.origin !== origin) fail('BAD_CHECKPOINT', 'checkpoint is for another log');
  const logVerifiers: NoteVerifier[] = p.logs
    .filter((l) => l.key.name === checkpoint.origin)
    .map((l) => logVerifier(c, l.key));
  if (logVerifiers.length === 0) fail('UNKNOWN_KEY', 'no log in the policy has this origin');
  const byWitness = p.witnesses.map((w) => ({ w, v: witnessVerifier(c, w.key) }));
  const note = openNote(msg, [...logVerifiers, ...byWitness.map((x) => x.v)]);
  const isLog = (s: NoteSignature) => logVerifiers.some((v) => v.name === s.name && v.keyId === s.keyId);
  if (!note.verified.some(isLog)) fail('NO_VERIFIED_SIGNATURE', 'checkpoint is not signed by a policy log');
  const cosignatures = note.verified.filter((s) => !isLog(s));
  const names = new Set(
    byWitness
      .filter(({ v }) => cosignatures.some((s) => s.name === v.name && s.keyId === v.keyId))
      .map(({ w }) => w.name),
  );
  if (!quorumSatisfied(p, names)) fail('QUORUM_NOT_MET', 'witness cosignatures do not satisfy the policy quorum');
  return { checkpoint, note, witnesses: [...names], cosignatures };
}
