/**
 * The node's copy of what the hub says: agreements (kept in the node's store too, with when the hub last
 * confirmed each), members with their keys, and the catalog. Synced at start and on a timer, and re-read at
 * once when the hub says an agreement changed.
 */
import type { Agreement } from '../../core/agreements/agreement';
import type { Resource } from '../../core/catalog/resource';
import { type Member, type NodeKey, newestNodeKey } from '../../core/members/member';
import type { Clock } from '../../core/ports/clock';
import type { HubDirectory } from '../../core/ports/node-ports';
import type { CachedAgreement, NodeStore } from '../../core/ports/node-store';

const MEMBER_REREAD_MS = 5_000;

export interface HubViewDeps {
  directory: HubDirectory;
  store: NodeStore;
  clock: Clock;
}

export class HubView {
  private readonly catalog = new Map<string, Resource>();
  private readonly members = new Map<string, Member>();
  /** The store's agreement copy, held in memory too: read on every request, written only on sync. */
  private cache: Map<string, CachedAgreement> | undefined;
  private membersReadAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly memberCode: string,
    private readonly deps: HubViewDeps,
  ) {}

  resource(code: string): Resource | undefined {
    return this.catalog.get(code);
  }

  resources(): Resource[] {
    return [...this.catalog.values()];
  }

  /** Pulls the agreements, members and catalog from the hub; the agreements count as confirmed now. */
  async sync(): Promise<{ agreements: number }> {
    const [agreements, members, resources] = await Promise.all([
      this.deps.directory.agreements(),
      this.deps.directory.members(),
      this.deps.directory.resources(),
    ]);
    this.members.clear();
    for (const member of members) this.members.set(member.code, member);
    this.catalog.clear();
    for (const resource of resources) this.catalog.set(resource.code, resource);
    const confirmedAt = this.deps.clock.now().toISOString();
    await this.deps.store.replaceAgreements(agreements, confirmedAt);
    this.cache = new Map(agreements.map((agreement) => [agreement.id, { agreement, confirmedAt }]));
    return { agreements: agreements.length };
  }

  /** The hub said an agreement changed: re-read it at once, so a revocation stops the next request. */
  async refreshAgreement(id: string): Promise<Agreement | undefined> {
    const agreement = await this.deps.directory.agreement(id);
    if (agreement && (agreement.providerCode === this.memberCode || agreement.consumerCode === this.memberCode)) {
      // A resource published, or a department registered, since the last full sync: read everything now
      // rather than refuse as "not synchronised" until the next periodic sync.
      const known =
        this.catalog.has(agreement.resourceCode) &&
        this.members.has(agreement.providerCode) &&
        this.members.has(agreement.consumerCode);
      if (!known) {
        await this.sync();
        return agreement;
      }
      const confirmedAt = this.deps.clock.now().toISOString();
      await this.deps.store.upsertAgreement(agreement, confirmedAt);
      (await this.agreements()).set(agreement.id, { agreement, confirmedAt });
    }
    return agreement;
  }

  /**
   * A member's current node key if `keyId` names it, refreshing the directory once if not: only the newest
   * node key a member registered speaks for it (a replaced key is no longer accepted).
   */
  async publicKey(memberCode: string, keyId: string): Promise<NodeKey | undefined> {
    const find = () => {
      const member = this.members.get(memberCode);
      const newest = member ? newestNodeKey(member) : undefined;
      return newest?.id === keyId ? newest : undefined;
    };
    if (!find()) {
      for (const member of await this.deps.directory.members()) this.members.set(member.code, member);
    }
    return find();
  }

  member(code: string): Member | undefined {
    return this.members.get(code);
  }

  /**
   * A member's node address; a provider that installed its node since the last sync is looked up at the hub
   * (at most once every few seconds, so a missing node does not turn every request into a directory read).
   */
  async nodeUrl(code: string): Promise<string | undefined> {
    const known = this.members.get(code)?.nodeUrl;
    if (known) return known;
    const now = this.deps.clock.now().getTime();
    if (now - this.membersReadAt < MEMBER_REREAD_MS) return undefined;
    this.membersReadAt = now;
    for (const member of await this.deps.directory.members()) this.members.set(member.code, member);
    return this.members.get(code)?.nodeUrl ?? undefined;
  }

  async cachedAgreement(id: string): Promise<CachedAgreement | undefined> {
    return (await this.agreements()).get(id);
  }

  /** After a restart the node starts from its stored copy (and its stored confirmation times). */
  async agreements(): Promise<Map<string, CachedAgreement>> {
    if (!this.cache) {
      const stored = await this.deps.store.listAgreements();
      this.cache ??= new Map(stored.map((cached) => [cached.agreement.id, cached]));
    }
    return this.cache;
  }
}
