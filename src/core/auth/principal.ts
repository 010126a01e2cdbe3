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
  /** A session of a user who must change a one-time password: it may do nothing else. */
  passwordChangeRequired?: boolean;
}

/**
 * A resident or an enterprise logged in at the hub (its ID number or credit code and name checked against
 * the register through the exchange). An application learns only whether a key is the caller's own.
 */
export interface SubjectCaller {
  kind: 'citizen' | 'enterprise';
  /** Masked name (张**), for display. */
  displayName: string;
  /** Whether `key` (a normalised ID number or credit code) is this caller's own. */
  owns(key: string): boolean;
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

/**
 * Which user roles a member of each type may hold: the member's type decides what its people may be, so a
 * department cannot make itself an auditor or an operator by naming a role. A console user or an API
 * token with a role outside this is refused when created.
 */
export const rolesAllowed: Readonly<Record<MemberRole, readonly UserRole[]>> = {
  provider: ['admin', 'data_officer', 'reviewer', 'leader'],
  consumer: ['admin', 'data_officer', 'leader'],
  operator: ['admin'],
  auditor: ['admin', 'auditor'],
};

export function checkRolesFor(memberRole: MemberRole, roles: readonly UserRole[]): void {
  const outside = roles.filter((role) => !rolesAllowed[memberRole].includes(role));
  if (outside.length > 0) {
    throw new HutongError(
      'ROLE_NOT_ALLOWED',
      `该类成员单位不能设此角色 / a ${memberRole} member cannot hold: ${outside.join(', ')}`,
    );
  }
}

/** The logged-in console user as the hub shows them (GET /auth/me). */
export interface SessionUser {
  username: string;
  displayName: string;
  memberCode: string;
  memberName: string;
  memberRole: MemberRole;
  roles: UserRole[];
  /** The user signed in with a one-time password and must choose their own before anything else. */
  mustChangePassword: boolean;
}
