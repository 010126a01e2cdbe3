/**
 * A consumer system for black-box tests: registers its own Ed25519 key for a member at the hub and signs
 * peer requests with an independent RFC 9421 implementation (`http-message-signatures`), not ours.
 */
import { createHash, generateKeyPairSync, type KeyObject, sign as nodeSign } from 'node:crypto';
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
  readonly keyPair = generateKeyPairSync('ed25519');
  keyId = '';

  constructor(readonly member: string) {}

  get publicKeyRaw(): string {
    return this.keyPair.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64');
  }

  /** Registers the key at the hub with the member's API token. */
  async register(hubUrl: string, token: string): Promise<void> {
    const response = await fetch(new URL(`/api/v1/members/${this.member}/keys`, hubUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ algorithm: 'ed25519', publicKey: this.publicKeyRaw }),
    });
    if (!response.ok) throw new Error(`key registration failed: ${response.status}`);
    this.keyId = `${this.member}:${((await response.json()) as { id: string }).id}`;
  }

  async prepare(input: SignedRequestInput): Promise<PreparedRequest> {
    const body = JSON.stringify(input.body);
    const requestId = input.requestId ?? crypto.randomUUID();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-digest': `sha-256=:${createHash('sha256').update(body).digest('base64')}:`,
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
    const signed = await httpbis.signMessage(
      {
        key: { id: input.keyId ?? this.keyId, alg: 'ed25519', sign: async (data) => nodeSign(null, data, privateKey) },
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
): Promise<{ status: number; json: Record<string, unknown> & { code?: string; result?: unknown } }> {
  const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> & { code?: string } };
}
