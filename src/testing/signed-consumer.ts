/**
 * A consumer system for black-box tests: signs peer requests with the member's node key and an independent
 * RFC 9421 implementation (`http-message-signatures`), not ours — `ed25519` with `sha-256`, or under the 国密
 * suite `sm2-sm3` with `sm3` (SM2 from the GB/T 32918 code checked against OpenSSL, SM3 from OpenSSL).
 */
import { createHash, generateKeyPairSync, type KeyObject, sign as nodeSign } from 'node:crypto';
import { join } from 'node:path';
import type { NodeKeyAlgorithm } from '../core/members/member';
import { newestNodeKey, type PublicKey } from '../core/members/member';
import { loadOrCreateIdentity } from '../node/store/node-keys';
import { sm2PrivateKeyFromPkcs8, sm2SignerFor } from '../platform/crypto/gm/sm2';
import { httpbis } from 'http-message-signatures';

const fields = [
  '@method',
  '@path',
  '@query',
  'content-digest',
  'hutong-agreement',
  'hutong-purpose',
  'hutong-officer',
  'hutong-case',
  'hutong-request-id',
];

export interface SignedRequestInput {
  nodeUrl: string;
  agreement: { id: string; purpose: string };
  mode: string;
  body: unknown;
  key?: KeyObject;
  keyId?: string;
  created?: Date;
  nonce?: string;
  requestId?: string;
  /** Sends hutong-covert-until (a covert request's disclosure date), covered by the signature unless told not to. */
  covertUntil?: string;
  coverCovert?: boolean;
}

export interface PreparedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  requestId: string;
}

export class SignedConsumer {
  keyPair: { privateKey: KeyObject; publicKey: KeyObject } = generateKeyPairSync('ed25519');
  algorithm: NodeKeyAlgorithm = 'ed25519';
  keyId = '';

  private readonly sm2Signers = new Map<KeyObject, (message: Uint8Array) => Uint8Array>();

  /** SM2 signing with `privateKey` (its scalar and public key derived once per key). */
  private sm2SignerOf(privateKey: KeyObject): (message: Uint8Array) => Uint8Array {
    let signer = this.sm2Signers.get(privateKey);
    if (!signer) {
      signer = sm2SignerFor(sm2PrivateKeyFromPkcs8(privateKey.export({ format: 'der', type: 'pkcs8' })).privateKey);
      this.sm2Signers.set(privateKey, signer);
    }
    return signer;
  }

  /** A key of the node key's algorithm that the hub never registered (a stranger's). */
  strangerKey(): KeyObject {
    return this.algorithm === 'sm2'
      ? generateKeyPairSync('ec', { namedCurve: 'SM2' }).privateKey
      : generateKeyPairSync('ed25519').privateKey;
  }

  constructor(readonly member: string) {}

  get publicKeyRaw(): string {
    return this.keyPair.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64');
  }

  /**
   * Signs as the member's own node: its key pair from the city's data folder, its key id as the hub
   * registered it. A member has one node key at a time (a second key would have to be signed in by the
   * node, and would then replace it), so a test consumer speaks with the node's key.
   */
  async signAsNode(dataDir: string, hubUrl: string, token: string): Promise<void> {
    const identity = loadOrCreateIdentity(join(dataDir, 'nodes', `${this.member}.identity.json`));
    this.keyPair = { privateKey: identity.privateKey, publicKey: identity.publicKey };
    this.algorithm = identity.algorithm;
    const response = await fetch(new URL(`/api/v1/members/${this.member}`, hubUrl), {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new Error(`member not found: ${response.status}`);
    const member = (await response.json()) as { publicKeys: PublicKey[] };
    const key = newestNodeKey(member);
    if (key?.publicKey !== identity.publicKeyRaw) throw new Error(`${this.member}'s node key is not registered`);
    this.keyId = `${this.member}:${key.id}`;
  }

  async prepare(input: SignedRequestInput): Promise<PreparedRequest> {
    const body = JSON.stringify(input.body);
    const requestId = input.requestId ?? crypto.randomUUID();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-digest':
        this.algorithm === 'sm2'
          ? `sm3=:${createHash('sm3').update(body).digest('base64')}:`
          : `sha-256=:${createHash('sha256').update(body).digest('base64')}:`,
      'hutong-agreement': input.agreement.id,
      'hutong-purpose': encodeURIComponent(input.agreement.purpose),
      'hutong-officer': 'clerk-007',
      'hutong-case': 'CASE-2026-0001',
      'hutong-request-id': requestId,
      ...(input.covertUntil === undefined ? {} : { 'hutong-covert-until': input.covertUntil }),
    };
    const covered =
      input.covertUntil !== undefined && input.coverCovert !== false ? [...fields, 'hutong-covert-until'] : fields;
    const url = `${input.nodeUrl}/peer/v1/${input.mode}`;
    const privateKey = input.key ?? this.keyPair.privateKey;
    const key =
      this.algorithm === 'sm2'
        ? {
            id: input.keyId ?? this.keyId,
            alg: 'sm2-sm3',
            sign: async (data: Buffer) => Buffer.from(this.sm2SignerOf(privateKey)(data)),
          }
        : {
            id: input.keyId ?? this.keyId,
            alg: 'ed25519',
            sign: async (data: Buffer) => nodeSign(null, data, privateKey),
          };
    const signed = await httpbis.signMessage(
      {
        key,
        name: 'hutong',
        fields: covered,
        params: ['created', 'keyid', 'alg', 'nonce', 'tag'],
        paramValues: {
          created: input.created ?? new Date(),
          nonce: input.nonce ?? crypto.randomUUID(),
          tag: 'hutong-request',
        },
      },
      { method: 'POST', url, headers },
    );
    return { url, headers: signed.headers as Record<string, string>, body, requestId };
  }
}

export async function sendPrepared(
  request: PreparedRequest,
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> & { code?: string; result?: unknown } }> {
  const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown> & { code?: string },
  };
}
