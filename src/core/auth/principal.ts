/** Who is calling: a person of a member (console) or a member's system (API token). */
import { HutongError } from '../errors';
import type { MemberRole } from '../members/member';

export const userRoles = ['admin', 'data_officer', 'reviewer', 'leader', 'auditor'] as const;
export type UserRole = (typeof userRoles)[number];

export interface Principal {
  memberCode: string;
  memberRole: MemberRole;
  roles: readonly UserRole[];
  /** null for a member's system calling with an API token. */
  username: string | null;
}

export function requireRole(principal: Principal, ...anyOf: UserRole[]): void {
  if (!anyOf.some((role) => principal.roles.includes(role))) {
    throw new HutongError('FORBIDDEN_ROLE', `需要以下角色之一 / requires one of: ${anyOf.join(', ')}`);
  }
}

export function requireMemberRole(principal: Principal, ...anyOf: MemberRole[]): void {
  if (!anyOf.includes(principal.memberRole)) {
    throw new HutongError('FORBIDDEN_ROLE', `需要成员类型 / requires member role: ${anyOf.join(', ')}`);
  }
}

export function isOverseer(principal: Principal): boolean {
  return principal.memberRole === 'operator' || principal.memberRole === 'auditor';
}
