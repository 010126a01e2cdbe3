/**
 * The hub's directory over HTTP, with the member's API token: how a node learns agreements and keys. Calls
 * that change trust — shipping access records, registering a key after the first — are also signed with
 * the node's own key (RFC 9421), which the hub requires for them.
 */
import type { Dispatcher } from 'undici';
import { randomUUID } from 'node:crypto';
import type { Agreement } from '../../core/agreements/agreement';
import type { AccessShipment, ChainCursor } from '../../core/audit/shipment';
import type { Resource } from '../../core/catalog/resource';
import { type KeyAlgorithm, type Member, type NodeKeyAlgorithm, newestNodeKey } from '../../core/members/member';
import type { MessageSigner } from '../../core/ports/message-signature';
import type { HubDirectory } from '../../core/ports/node-ports';
import { type HubCallTag, signHubCall } from './http-signatures';

/** The node's key as it signs calls to the hub: its `keyId` is `<member>:<key id at the hub>` once registered. */
export interface NodeCallSigner {
  key: MessageSigner;
  /** The key's algorithm as the hub registers it. */
  algorithm: NodeKeyAlgorithm;
  now(): Date;
}

export class HubDirectoryError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The hub's problem code, when the refusal names one a person must act on. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export class HttpHubDirectory implements HubDirectory {
  constructor(
    private readonly hubUrl: string,
    private readonly token: string,
    private readonly signer?: NodeCallSigner,
    private readonly timeoutMs = 5000,
    /** Shipping waits longer: a hub busy with a large evaluation answers late, not never. */
    private readonly shipTimeoutMs = 60_000,
    /** How connections are made (one trusting only the city's CA, for a hub served over TLS). */
    private readonly dispatcher?: Dispatcher,
  ) {}

  private send(url: URL, init: RequestInit): Promise<Response> {
    return fetch(url, this.dispatcher ? ({ ...init, dispatcher: this.dispatcher } as RequestInit) : init);
  }

  /** Headers of a call signed with the node's key (and the member's token, which the hub also reads). */
  private signed(path: string, body: string, tag: HubCallTag): Record<string, string> {
    if (!this.signer) throw new HubDirectoryError(0, 'this node has no key to sign with');
    const url = new URL(path, this.hubUrl);
    return signHubCall(
      {
        method: 'POST',
        target: `${url.pathname}${url.search}`,
        headers: { 'content-type': 'application/json' },
        body: new TextEncoder().encode(body),
      },
      {
        key: this.signer.key,
        created: this.signer.now(),
        nonce: randomUUID(),
        tag,
      },
    );
  }

  private async get<T>(path: string, timeoutMs = this.timeoutMs): Promise<T | undefined> {
    const response = await this.send(new URL(`/api/v1${path}`, this.hubUrl), {
      headers: { authorization: `Bearer ${this.token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new HubDirectoryError(response.status, `hub answered ${response.status} for ${path}`);
    return (await response.json()) as T;
  }

  async agreements(): Promise<Agreement[]> {
    const all: Agreement[] = [];
    for (let page = 1; ; page += 1) {
      const result = await this.get<{ items: Agreement[]; total: number }>(
        `/agreements?side=all&pageSize=200&page=${page}`,
      );
      if (!result) break;
      all.push(...result.items);
      if (all.length >= result.total || result.items.length === 0) break;
    }
    return all;
  }

  agreement(id: string): Promise<Agreement | undefined> {
    return this.get<Agreement>(`/agreements/${encodeURIComponent(id)}`);
  }

  async members(): Promise<Member[]> {
    return (await this.get<{ items: Member[] }>('/members'))?.items ?? [];
  }

  async resources(): Promise<Resource[]> {
    const all: Resource[] = [];
    for (let page = 1; ; page += 1) {
      const result = await this.get<{ items: Resource[]; total: number }>(
        `/catalog/resources?pageSize=200&page=${page}`,
      );
      if (!result) break;
      all.push(...result.items);
      if (all.length >= result.total || result.items.length === 0) break;
    }
    return all;
  }

  async ledgerCursor(): Promise<ChainCursor> {
    // Part of shipping: a hub busy with a large evaluation answers late, and late is fine.
    return (
      (await this.get<ChainCursor>('/ledger/access-events/cursor', this.shipTimeoutMs)) ?? {
        lastSeq: 0,
        lastHash: null,
      }
    );
  }

  async shipAccessRecords(shipment: AccessShipment): Promise<ChainCursor> {
    const path = '/api/v1/ledger/access-events';
    const body = JSON.stringify(shipment);
    const response = await this.send(new URL(path, this.hubUrl), {
      method: 'POST',
      headers: this.signed(path, body, 'hutong-audit-shipment'),
      body,
      signal: AbortSignal.timeout(this.shipTimeoutMs),
    });
    if (!response.ok) {
      // The problem's code only: a hub's answer is not echoed into the node's logs verbatim.
      const code = await response
        .json()
        .then((problem: { code?: unknown }) => String(problem.code ?? ''))
        .catch(() => '');
      throw new HubDirectoryError(response.status, `hub refused the shipment (${response.status} ${code})`);
    }
    return (await response.json()) as ChainCursor;
  }

  /** Who a console session token belongs to, as the hub says; undefined when it is not valid. */
  async sessionUser(token: string): Promise<{ username: string; memberCode: string } | undefined> {
    const response = await this.send(new URL('/api/v1/auth/me', this.hubUrl), {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) return undefined;
    const user = (await response.json()) as { username: string; memberCode: string };
    return { username: user.username, memberCode: user.memberCode };
  }

  /**
   * A starting node tells the hub where it listens, which key signs for it and (for a witnessing node)
   * which key cosigns the log; returns the signing key's id at the hub.
   */
  async announce(
    memberCode: string,
    nodeUrl: string,
    publicKeyRaw: string,
    witnessKeyRaw?: string,
    crypto?: 'intl' | 'gm',
    /** Under the 国密 suite, the witness's SM2 cosigning key (65 bytes, base64). */
    witnessSm2KeyRaw?: string,
  ): Promise<string> {
    const headers = { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' };
    const base = `/api/v1/members/${encodeURIComponent(memberCode)}`;
    const put = await this.send(new URL(`${base}/node`, this.hubUrl), {
      method: 'PUT',
      headers,
      body: JSON.stringify({ url: nodeUrl, ...(crypto ? { crypto } : {}) }),
    });
    if (put.status === 409) {
      throw new HubDirectoryError(
        409,
        `the hub refused this node's cryptographic suite (${crypto}): every node names the city's (crypto in node.yaml)`,
        'CRYPTO_SUITE_MISMATCH',
      );
    }
    if (!put.ok) throw new HubDirectoryError(put.status, `could not register node URL (${put.status})`);
    const member = (await put.json()) as Member;
    const register = async (algorithm: KeyAlgorithm, publicKey: string, signed: boolean): Promise<string> => {
      // Only the member's newest key of a kind counts, so a key registered before a newer one is re-added.
      const newest = member.publicKeys.filter((key) => key.algorithm === algorithm).at(-1);
      if (newest?.publicKey === publicKey) return newest.id;
      const path = `${base}/keys`;
      const body = JSON.stringify({ algorithm, publicKey });
      const post = await this.send(new URL(path, this.hubUrl), {
        method: 'POST',
        headers: signed ? { ...this.signed(path, body, 'hutong-key-change'), ...headers } : headers,
        body,
      });
      if (!post.ok) throw new HubDirectoryError(post.status, `could not register ${algorithm} key (${post.status})`);
      return ((await post.json()) as { id: string }).id;
    };
    // The node key first (the member's administrator may register the first one); the witness key is a
    // change of trust root, signed with that node key.
    const algorithm = this.signer?.algorithm ?? 'ed25519';
    const current = newestNodeKey(member);
    const keyId =
      current?.publicKey === publicKeyRaw && current.algorithm === algorithm
        ? current.id
        : await register(algorithm, publicKeyRaw, current !== undefined);
    this.onKeyId?.(`${memberCode}:${keyId}`);
    if (witnessKeyRaw) await register('ed25519-witness', witnessKeyRaw, true);
    if (witnessSm2KeyRaw) await register('sm2-witness', witnessSm2KeyRaw, true);
    return keyId;
  }

  /**
   * Registers a member's new node key, signed with its current one (this directory's signer): the hub
   * accepts a change of trust root only from the key it replaces. The new key's id at the hub.
   */
  async replaceNodeKey(
    memberCode: string,
    publicKeyRaw: string,
    algorithm: NodeKeyAlgorithm = this.signer?.algorithm ?? 'ed25519',
  ): Promise<string> {
    const path = `/api/v1/members/${encodeURIComponent(memberCode)}/keys`;
    const body = JSON.stringify({ algorithm, publicKey: publicKeyRaw });
    const post = await this.send(new URL(path, this.hubUrl), {
      method: 'POST',
      headers: {
        ...this.signed(path, body, 'hutong-key-change'),
        authorization: `Bearer ${this.token}`,
        'content-type': 'application/json',
      },
      body,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!post.ok) throw new HubDirectoryError(post.status, `could not register the new key (${post.status})`);
    return ((await post.json()) as { id: string }).id;
  }

  /** Told the node key's id as soon as the hub registered it (so the witness key change can be signed). */
  onKeyId?: (keyId: string) => void;
}
