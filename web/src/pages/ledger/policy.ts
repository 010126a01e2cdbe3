// The witness policy (c2sp.org/tlog-policy) and the checkpoint's signatures, checked in the browser.
import { ledgerVkey } from '../../api/ledger';
import type { Checkpoint } from '../../ledger/merkle';
import { ed25519Supported, type NoteCheck, parseVkey, verifyNote, type WebVkey } from '../../ledger/note';

export interface Policy {
  /** Witness short name (member code) → the key name its cosignatures carry, and its vkey. */
  witnesses: { name: string; keyName: string; vkey: string }[];
  groups: Map<string, { k: number; members: string[] }>;
  quorum: string | null;
}

export function parsePolicy(text: string): Policy {
  const policy: Policy = { witnesses: [], groups: new Map(), quorum: null };
  for (const raw of text.split('\n')) {
    const words = raw.trim().split(/\s+/);
    const [kind, name] = words;
    if (kind === 'witness' && name) {
      policy.witnesses.push({ name, keyName: (words[2] ?? '').split('+')[0] ?? '', vkey: words[2] ?? '' });
    } else if (kind === 'group' && name) {
      const members = words.slice(3);
      const k = words[2] === 'all' ? members.length : words[2] === 'any' ? 1 : Number(words[2]);
      policy.groups.set(name, { k: Number.isFinite(k) ? k : members.length, members });
    } else if (kind === 'quorum' && name) {
      policy.quorum = name === 'none' ? null : name;
    }
  }
  return policy;
}

/** Whether `name` (a witness or a group) is satisfied by the witnesses that cosigned. */
export function satisfied(policy: Policy, name: string, cosigned: Set<string>, depth = 0): boolean {
  if (depth > 16) return false;
  const group = policy.groups.get(name);
  if (!group) return cosigned.has(name);
  return group.members.filter((m) => satisfied(policy, m, cosigned, depth + 1)).length >= group.k;
}

export interface SignatureState {
  supported: boolean;
  check: NoteCheck | null;
  error: string | null;
}

export async function checkSignatures(note: string, policy: Policy): Promise<SignatureState> {
  if (!(await ed25519Supported())) return { supported: false, check: null, error: null };
  try {
    const keys: WebVkey[] = [await parseVkey(await ledgerVkey())];
    for (const w of policy.witnesses) {
      // A malformed witness key is not trusted: its cosignature stays unchecked.
      const key = await parseVkey(w.vkey).catch(() => null);
      if (key) keys.push(key);
    }
    return { supported: true, check: await verifyNote(note, keys), error: null };
  } catch (e) {
    return { supported: true, check: null, error: e instanceof Error ? e.message : String(e) };
  }
}

export function cosignersOf(checkpoint: Checkpoint, policy: Policy): string[] {
  const byKey = new Map(policy.witnesses.map((w) => [w.keyName, w.name]));
  const names = checkpoint.signatures
    .map((s) => byKey.get(s.name))
    .filter((name): name is string => name !== undefined);
  return [...new Set(names)].sort();
}
