/**
 * A department node reduced to what the hub's log sees of it, for tests that drive the hub alone: its own
 * node key (Ed25519, or the city node's SM2 key under the 国密 suite) registered at the hub, a chain of access records, sealed shipments signed like a real
 * node's (the real node's directory client does the signing).
 */
import { generateKeyPairSync, type KeyObject, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { nodeLedgerCrypto } from '../platform/crypto/ledger-crypto';
import { ed25519MessageSigner, signHubCall } from '../node/exchange/http-signatures';
import type { NodeKeyAlgorithm } from '../core/members/member';
import type { MessageSigner } from '../core/ports/message-signature';
import { sm2PrivateKeyFromPkcs8 } from '../platform/crypto/gm/sm2';
import { sm2MessageSigner } from '../platform/crypto/gm/sm2-messages';
import { HttpHubDirectory } from '../node/exchange/hub-directory-client';
import { loadOrCreateIdentity } from '../node/store/node-keys';
import type { AccessRecord } from '../core/audit/access-record';
import { linkRecord, type Seal, sealStatement } from '../core/audit/chain';
import type { AccessShipment, ChainCursor } from '../core/audit/shipment';

export class SimulatedNode {
  keys: { privateKey: KeyObject; publicKey: KeyObject } = generateKeyPairSync('ed25519');
  algorithm: NodeKeyAlgorithm = 'ed25519';
  keyId = '';
  readonly directory: HttpHubDirectory;
  private head: { seq: number; hash: string | null } = { seq: 0, hash: null };

  /** Speaks with a running city node's own key (its identity file), as an insider holding it would. */
  static withNodeKey(dataDir: string, hubUrl: string, memberCode: string, token: string, keyId: string): SimulatedNode {
    const node = new SimulatedNode(hubUrl, memberCode, token);
    const identity = loadOrCreateIdentity(join(dataDir, 'nodes', `${memberCode}.identity.json`));
    node.keys = { privateKey: identity.privateKey, publicKey: identity.publicKey };
    node.algorithm = identity.algorithm;
    node.keyId = keyId;
    return node;
  }

  constructor(
    readonly hubUrl: string,
    readonly memberCode: string,
    private readonly token: string,
    now: () => Date = () => new Date(),
  ) {
    const self = this;
    this.directory = new HttpHubDirectory(hubUrl, token, {
      get key() {
        return self.messageSigner();
      },
      get algorithm() {
        return self.algorithm;
      },
      now,
    });
  }

  /** The node key as a signer of its algorithm's scheme. */
  messageSigner(): MessageSigner {
    if (this.algorithm === 'sm2') {
      const pkcs8 = this.keys.privateKey.export({ format: 'der', type: 'pkcs8' });
      return sm2MessageSigner(this.keyId, sm2PrivateKeyFromPkcs8(pkcs8));
    }
    return ed25519MessageSigner(this.keyId, this.keys.privateKey);
  }

  get publicKeyRaw(): string {
    return this.keys.publicKey
      .export({ format: 'der', type: 'spki' })
      .subarray(this.algorithm === 'sm2' ? -65 : -32)
      .toString('base64');
  }

  /** Registers the node key with the member's token (allowed for a member's first node key). */
  async register(
    post: (
      url: string,
      headers: Record<string, string>,
      body: string,
    ) => Promise<{ status: number; body: string }> = async (url, headers, body) => {
      const response = await fetch(new URL(url, this.hubUrl), { method: 'POST', headers, body });
      return { status: response.status, body: await response.text() };
    },
  ): Promise<void> {
    const answer = await post(
      `/api/v1/members/${this.memberCode}/keys`,
      { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      JSON.stringify({ algorithm: this.algorithm, publicKey: this.publicKeyRaw }),
    );
    if (answer.status !== 201) throw new Error(`key not registered: ${answer.status} ${answer.body}`);
    this.keyId = `${this.memberCode}:${(JSON.parse(answer.body) as { id: string }).id}`;
  }

  /**
   * Asks the hub to register a key for this member with the member's token, signed with the node key when
   * `signed` (as a node changes its witness key); resolves to the hub's status and body.
   */
  async registerKey(algorithm: string, publicKey: string, signed: boolean, token = this.token) {
    const { url, headers, payload } = this.keyRequest(algorithm, publicKey, signed, token);
    const response = await fetch(new URL(url, this.hubUrl), { method: 'POST', headers, body: payload });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  /** The request of `registerKey`, for in-process hubs (Fastify inject). */
  keyRequest(algorithm: string, publicKey: string, signed: boolean, token = this.token, now = new Date()) {
    const url = `/api/v1/members/${this.memberCode}/keys`;
    const payload = JSON.stringify({ algorithm, publicKey });
    const plain = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const headers = signed
      ? {
          ...signHubCall(
            {
              method: 'POST',
              target: url,
              headers: { 'content-type': 'application/json' },
              body: Buffer.from(payload),
            },
            {
              key: this.messageSigner(),
              created: now,
              nonce: randomUUID(),
              tag: 'hutong-key-change',
            },
          ),
          ...plain,
        }
      : plain;
    return { url, headers, payload };
  }

  /** Continues the chain after `seq` with `hash` (a real node's head, to forge what comes next). */
  continueAfter(seq: number, hash: string | null): void {
    this.head = { seq, hash };
  }

  /** The next `count` records of this node's chain (served verify decisions about random subjects). */
  nextRecords(count: number, fields: Partial<AccessRecord> = {}): AccessRecord[] {
    const records: AccessRecord[] = [];
    for (let k = 0; k < count; k++) {
      const { record, hash } = linkRecord(
        nodeLedgerCrypto,
        {
          v: 2,
          node: this.memberCode,
          eventId: randomUUID(),
          at: new Date().toISOString(),
          decision: 'served',
          code: null,
          consumerCode: 'zhengwu',
          resourceCode: 'gongan.household',
          agreementId: null,
          mode: 'verify',
          items: ['birth_date'],
          requestId: randomUUID(),
          requestDigest: randomBytes(32).toString('base64url').slice(0, 43),
          responseDigest: randomBytes(32).toString('base64url').slice(0, 43),
          officer: randomBytes(32).toString('base64url').slice(0, 43),
          caseId: randomBytes(32).toString('base64url').slice(0, 43),
          subjects: [randomBytes(32).toString('base64url').slice(0, 43)],
          ...fields,
        },
        this.head.seq + 1,
        this.head.hash,
      );
      records.push(record);
      this.head = { seq: record.seq, hash };
    }
    return records;
  }

  seal(record: AccessRecord): Seal {
    const { hash } = linkRecord(nodeLedgerCrypto, record, record.seq, record.prev);
    const signature = this.messageSigner().sign(sealStatement(this.memberCode, record.seq, hash));
    return { seq: record.seq, hash, keyId: this.keyId, signature: Buffer.from(signature).toString('base64') };
  }

  shipment(records: AccessRecord[]): AccessShipment {
    return {
      records,
      details: records.map((record) => ({ seq: record.seq, officer: 'u01', caseId: `ZW${record.seq}` })),
      seal: this.seal(records.at(-1)!),
    };
  }

  /** The signed request a node would send, for in-process hubs (Fastify inject). */
  signedRequest(
    shipment: AccessShipment,
    now = new Date(),
  ): { url: string; headers: Record<string, string>; payload: string } {
    const url = '/api/v1/ledger/access-events';
    const payload = JSON.stringify(shipment);
    const headers = signHubCall(
      { method: 'POST', target: url, headers: { 'content-type': 'application/json' }, body: Buffer.from(payload) },
      {
        key: this.messageSigner(),
        created: now,
        nonce: randomUUID(),
        tag: 'hutong-audit-shipment',
      },
    );
    return { url, headers, payload };
  }

  /** Ships signed; resolves to the hub's cursor, rejects with the hub's refusal. */
  ship(records: AccessRecord[]): Promise<ChainCursor> {
    return this.directory.shipAccessRecords(this.shipment(records));
  }
}
