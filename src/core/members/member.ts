/** Members are the city's departments on the exchange; each has one role on the exchange. */
import { HutongError } from '../errors';
import { base64Decode } from '../ledger/bytes';

export const memberRoles = ['provider', 'consumer', 'operator', 'auditor'] as const;
export type MemberRole = (typeof memberRoles)[number];

/**
 * 'ed25519' and 'sm2' sign the node's exchange requests and answers. 'ed25519-witness' is the key a
 * provider's node cosigns the hub's log with (c2sp.org/tlog-witness): registered by the member itself, so
 * the hub's published witness policy does not rest on whatever a node URL answers, and never accepted for
 * exchange signatures. 'sm2-witness' is its SM2 cosigning key under the 国密 suite (src/core/ledger/sm2-note.ts),
 * registered the same way.
 */
export const keyAlgorithms = ['ed25519', 'sm2', 'ed25519-witness', 'sm2-witness'] as const;
export type KeyAlgorithm = (typeof keyAlgorithms)[number];

/** The algorithms of a node's own key (exchange messages, calls to the hub, seals): one per city's suite. */
export const nodeKeyAlgorithms = ['ed25519', 'sm2'] as const satisfies readonly KeyAlgorithm[];
export type NodeKeyAlgorithm = (typeof nodeKeyAlgorithms)[number];

export function isNodeKeyAlgorithm(algorithm: string): algorithm is NodeKeyAlgorithm {
  return (nodeKeyAlgorithms as readonly string[]).includes(algorithm);
}

/**
 * The node key that speaks for a member: the newest it registered, of either algorithm (a city moving to the
 * 国密 suite replaces its nodes' Ed25519 keys with SM2 ones; the replaced key is no longer accepted).
 */
export function newestNodeKey(member: Pick<Member, 'publicKeys'>): NodeKey | undefined {
  return member.publicKeys.filter((key): key is NodeKey => isNodeKeyAlgorithm(key.algorithm)).at(-1);
}

export type NodeKey = PublicKey & { algorithm: NodeKeyAlgorithm };

/** The name a member's witness cosigns under (part of its vkey in the log's witness policy). */
export function witnessKeyName(memberCode: string): string {
  return `qinghe.gov.cn/hutong/witness/${memberCode}`;
}

export interface PublicKey {
  id: string;
  algorithm: KeyAlgorithm;
  /** base64 of the raw public key (32 bytes for Ed25519, 65 uncompressed bytes for SM2). */
  publicKey: string;
  addedAt: string;
}

export interface Contact {
  person: string;
  phone: string;
  email: string;
}

export interface Member {
  code: string;
  name: string;
  /** The department's English name, shown in the console's English mode; null when none is registered. */
  nameEn: string | null;
  role: MemberRole;
  contact: Contact;
  publicKeys: PublicKey[];
  /** Base URL of the member's node (前置机), registered by the node itself; null until it first starts. */
  nodeUrl: string | null;
  createdAt: string;
}

export const memberCodePattern = /^[a-z][a-z0-9_]{1,31}$/;

const rawKeyLength: Record<KeyAlgorithm, number> = { ed25519: 32, sm2: 65, 'ed25519-witness': 32, 'sm2-witness': 65 };

/** Rejects a key whose length cannot belong to the algorithm, before it is stored and trusted. */
export function checkPublicKey(algorithm: KeyAlgorithm, base64Key: string): void {
  const normalised = base64Key.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(normalised)) {
    throw new HutongError('VALIDATION_FAILED', '公钥须为 base64 编码 / public key must be base64', [
      { path: 'publicKey', message: 'not base64' },
    ]);
  }
  const bytes = Math.floor((normalised.replace(/=+$/, '').length * 3) / 4);
  if (bytes !== rawKeyLength[algorithm]) {
    throw new HutongError('VALIDATION_FAILED', `${algorithm} 公钥应为 ${rawKeyLength[algorithm]} 字节`, [
      { path: 'publicKey', message: `expected ${rawKeyLength[algorithm]} bytes, got ${bytes}` },
    ]);
  }
  // SM2 keys travel uncompressed (0x04 ‖ x ‖ y): a 65-byte value of another form would be stored, then fail
  // every signature check and every policy built from it.
  if (rawKeyLength[algorithm] === 65 && firstByte(normalised) !== 0x04) {
    throw new HutongError('VALIDATION_FAILED', `${algorithm} 公钥须为未压缩形式（0x04 开头）`, [
      { path: 'publicKey', message: 'an SM2 key must be the uncompressed point, 0x04 first' },
    ]);
  }
}

/** The first byte of a base64 value, or undefined when it is not canonical base64. */
function firstByte(base64: string): number | undefined {
  try {
    return base64Decode(base64)[0];
  } catch {
    return undefined;
  }
}
