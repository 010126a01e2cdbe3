/** The hub's directory over HTTP, with the member's API token: how a node learns agreements and keys. */
import type { Agreement } from '../../core/agreements/agreement';
import type { Resource } from '../../core/catalog/resource';
import type { KeyAlgorithm, Member } from '../../core/members/member';
import type { HubDirectory } from '../../core/ports/node-ports';
import type { StoredAuditEvent } from '../../core/ports/node-store';

export class HubDirectoryError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class HttpHubDirectory implements HubDirectory {
  constructor(
    private readonly hubUrl: string,
    private readonly token: string,
    private readonly timeoutMs = 5000,
  ) {}

  private async get<T>(path: string): Promise<T | undefined> {
    const response = await fetch(new URL(`/api/v1${path}`, this.hubUrl), {
      headers: { authorization: `Bearer ${this.token}` },
      signal: AbortSignal.timeout(this.timeoutMs),
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

  async ledgerCursor(): Promise<number> {
    return (await this.get<{ lastSeq: number }>('/ledger/access-events/cursor'))?.lastSeq ?? 0;
  }

  async shipAccessEvents(events: readonly StoredAuditEvent[]): Promise<number> {
    const response = await fetch(new URL('/api/v1/ledger/access-events', this.hubUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok)
      throw new HubDirectoryError(
        response.status,
        `hub refused audit events (${response.status}): ${await response.text()}`,
      );
    return ((await response.json()) as { lastSeq: number }).lastSeq;
  }

  /** Who a console session token belongs to, as the hub says; undefined when it is not valid. */
  async sessionUser(token: string): Promise<{ username: string; memberCode: string } | undefined> {
    const response = await fetch(new URL('/api/v1/auth/me', this.hubUrl), {
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
  async announce(memberCode: string, nodeUrl: string, publicKeyRaw: string, witnessKeyRaw?: string): Promise<string> {
    const headers = { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' };
    const base = `/api/v1/members/${encodeURIComponent(memberCode)}`;
    const put = await fetch(new URL(`${base}/node`, this.hubUrl), {
      method: 'PUT',
      headers,
      body: JSON.stringify({ url: nodeUrl }),
    });
    if (!put.ok) throw new HubDirectoryError(put.status, `could not register node URL (${put.status})`);
    const member = (await put.json()) as Member;
    const register = async (algorithm: KeyAlgorithm, publicKey: string): Promise<string> => {
      // Only the member's newest key of a kind counts, so a key registered before a newer one is re-added.
      const newest = member.publicKeys.filter((key) => key.algorithm === algorithm).at(-1);
      if (newest?.publicKey === publicKey) return newest.id;
      const post = await fetch(new URL(`${base}/keys`, this.hubUrl), {
        method: 'POST',
        headers,
        body: JSON.stringify({ algorithm, publicKey }),
      });
      if (!post.ok) throw new HubDirectoryError(post.status, `could not register ${algorithm} key (${post.status})`);
      return ((await post.json()) as { id: string }).id;
    };
    if (witnessKeyRaw) await register('ed25519-witness', witnessKeyRaw);
    const known = member.publicKeys.find((key) => key.algorithm === 'ed25519' && key.publicKey === publicKeyRaw);
    return known ? known.id : register('ed25519', publicKeyRaw);
  }
}
