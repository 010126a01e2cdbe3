/**
 * The hub's registry of members: registration by the operator, contact changes, each node's URL (checked
 * against the allowed networks) and keys — trust roots that change only by their owner. Every change is a
 * log entry committed with it.
 */
import { type Principal, requireRole } from '../../core/auth/principal';
import { HutongError } from '../../core/errors';
import { checkNodeUrl } from '../../core/members/node-url';
import {
  checkPublicKey,
  type Contact,
  isNodeKeyAlgorithm,
  type KeyAlgorithm,
  type Member,
  type MemberRole,
  type NodeKey,
  newestNodeKey,
} from '../../core/members/member';
import type { HubAuditEvent } from '../../core/ports/audit-log';
import type { HubDependencies } from './hub-service';

export class MemberRegistry {
  constructor(private readonly deps: HubDependencies) {}

  private get store() {
    return this.deps.store;
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  listMembers(): Promise<Member[]> {
    return this.store.listMembers();
  }

  async requireMember(code: string): Promise<Member> {
    const member = await this.store.getMember(code);
    if (!member) throw new HutongError('MEMBER_NOT_FOUND', `成员单位 ${code} 不存在`);
    return member;
  }

  async registerMember(
    actor: Principal | 'bootstrap',
    input: { code: string; name: string; nameEn?: string | null; role: MemberRole; contact: Contact },
  ): Promise<Member> {
    if (actor !== 'bootstrap') {
      requireRole(actor, 'admin');
      if (actor.memberRole !== 'operator') throw new HutongError('FORBIDDEN_ROLE', '只有平台运营方可以登记成员单位');
    }
    const at = this.now().toISOString();
    await this.deps.auditLog.commit(async (store) => {
      await store.insertMember({ ...input, nameEn: input.nameEn ?? null, createdAt: at });
      const event: HubAuditEvent = {
        type: 'member',
        action: 'register',
        at,
        actor: actor === 'bootstrap' ? 'system' : actor.memberCode,
        memberCode: input.code,
        role: input.role,
      };
      return { result: undefined, events: [event] };
    });
    return this.requireMember(input.code);
  }

  async updateMember(
    actor: Principal,
    code: string,
    changes: { name?: string; nameEn?: string | null; contact?: Contact },
  ): Promise<Member> {
    requireRole(actor, 'admin');
    if (actor.memberCode !== code && actor.memberRole !== 'operator') throw new HutongError('NOT_OWN_MEMBER');
    await this.requireMember(code);
    await this.deps.auditLog.commit(async (store) => {
      await store.updateMember(code, changes);
      // What changed, not the new values: a contact names a person.
      const event: HubAuditEvent = {
        type: 'member',
        action: 'update',
        at: this.now().toISOString(),
        actor: actor.memberCode,
        memberCode: code,
        fields: Object.keys(changes).sort(),
      };
      return { result: undefined, events: [event] };
    });
    return this.requireMember(code);
  }

  /** A node announces where it listens; only its own member (or the operator) may say so. */
  async setNodeUrl(actor: Principal, code: string, url: string): Promise<Member> {
    requireRole(actor, 'admin');
    if (actor.memberCode !== code && actor.memberRole !== 'operator') throw new HutongError('NOT_OWN_MEMBER');
    const checked = checkNodeUrl(url, this.deps.policy.nodeHostAllowed ?? (() => true));
    const member = await this.requireMember(code);
    if (member.nodeUrl === checked) return member;
    await this.deps.auditLog.commit(async (store) => {
      await store.updateMember(code, { nodeUrl: checked });
      // Logged, so an auditor finds every node (and its signed chain head) from the log alone.
      const event: HubAuditEvent = {
        type: 'member',
        action: 'node-url',
        at: this.now().toISOString(),
        actor: actor.memberCode,
        memberCode: code,
        nodeUrl: checked,
      };
      return { result: undefined, events: [event] };
    });
    return this.requireMember(code);
  }

  /**
   * Registers a key of a member: trust roots change only by their owner. The member's own administrator
   * registers its first node key; every later key — a new node key, and any witness key — must come in a
   * request signed with the member's current node key (`signedBy`, verified at the edge), so neither the
   * operator nor a stolen console session can move them. Every key is a log entry.
   */
  async addMemberKey(
    actor: Principal | 'bootstrap',
    code: string,
    input: { algorithm: KeyAlgorithm; publicKey: string },
    signedBy?: { memberCode: string; keyId: string } | undefined,
  ): Promise<Member['publicKeys'][number]> {
    const member = await this.requireMember(code);
    checkPublicKey(input.algorithm, input.publicKey);
    const publicKey = input.publicKey.trim();
    const newest = isNodeKeyAlgorithm(input.algorithm)
      ? newestNodeKey(member)
      : member.publicKeys.filter((key) => key.algorithm === input.algorithm).at(-1);
    if (newest?.publicKey === publicKey && newest.algorithm === input.algorithm) return newest;
    if (actor !== 'bootstrap') {
      requireRole(actor, 'admin');
      if (actor.memberCode !== code) {
        throw new HutongError('NOT_OWN_MEMBER', '只有成员单位本身可以登记其密钥 / only the member registers its keys');
      }
      const nodeKey = newestNodeKey(member);
      const firstNodeKey = isNodeKeyAlgorithm(input.algorithm) && nodeKey === undefined;
      const signedByNode = signedBy?.memberCode === code && nodeKey !== undefined && signedBy.keyId === nodeKey.id;
      if (!firstNodeKey && !signedByNode) {
        throw new HutongError(
          'NODE_SIGNATURE_REQUIRED',
          '更换密钥须由本单位前置机以现用密钥签名 / a key change must be signed with the member’s current node key',
        );
      }
    }
    const key = {
      id: this.deps.ids.keyId(),
      algorithm: input.algorithm,
      publicKey,
      addedAt: this.now().toISOString(),
    };
    await this.deps.auditLog.commit(async (store) => {
      await store.addMemberKey(code, key);
      const event: HubAuditEvent = {
        type: 'member',
        action: 'key',
        at: key.addedAt,
        actor: actor === 'bootstrap' ? 'system' : actor.memberCode,
        memberCode: code,
        keyId: key.id,
        algorithm: key.algorithm,
        publicKey: key.publicKey,
      };
      return { result: undefined, events: [event] };
    });
    return key;
  }

  /** The member's node key if `keyId` names its newest one (a replaced key no longer speaks for it). */
  async currentNodeKey(memberCode: string, keyId: string): Promise<NodeKey | undefined> {
    const member = await this.store.getMember(memberCode);
    const newest = member ? newestNodeKey(member) : undefined;
    return newest?.id === keyId ? newest : undefined;
  }
}
