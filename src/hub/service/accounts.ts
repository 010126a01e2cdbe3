/**
 * The hub's accounts: console logins (throttled per username and address before the password is checked),
 * sessions and API tokens by digest, and the people of each member with the roles its kind may hold.
 */
import { checkRolesFor, type Principal, requireRole, type SessionUser, type UserRole } from '../../core/auth/principal';
import { checkPassword } from '../../core/auth/passwords';
import { HutongError } from '../../core/errors';
import type { UserRecord } from '../../core/ports/hub-store';
import type { HubDependencies } from './hub-service';
import type { MemberRegistry } from './members';

export interface PublicUser {
  username: string;
  displayName: string;
  memberCode: string;
  roles: UserRole[];
  createdAt: string;
}

function publicUser(user: UserRecord): PublicUser {
  return {
    username: user.username,
    displayName: user.displayName,
    memberCode: user.memberCode,
    roles: user.roles,
    createdAt: user.createdAt,
  };
}

// A well-formed scrypt hash of a random password, used only to equalise login timing.
const dummyHash =
  'scrypt$16384$8$1$bm90LWEtcmVhbC1zYWx0$4Hl2c0pmlZ3h0zQ2Sg9M3v3Zl9y3KJ2r0vH2a1cQm8xqv2Rk0mVb0N5M2i2lYVw7b9s1fX3bQkz2K4Wq7p8mQA';

export class Accounts {
  constructor(
    private readonly deps: HubDependencies,
    private readonly members: Pick<MemberRegistry, 'requireMember'>,
  ) {}

  private get store() {
    return this.deps.store;
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  /**
   * Console login. The attempt is reserved (per username and per client address) before the password is
   * checked, so parallel guesses get at most the limit through; a success clears the username's count.
   */
  async login(
    username: string,
    password: string,
    client: { address: string } = { address: 'unknown' },
  ): Promise<{ token: string; expiresAt: string; user: SessionUser }> {
    await this.deps.guard.reserve('console-login', username, client.address);
    const user = await this.store.getUser(username);
    // Verify against a dummy hash when the user is unknown so timing does not reveal which usernames exist.
    const ok = await this.deps.passwords.verify(password, user?.passwordHash ?? dummyHash);
    if (!user || !ok) throw new HutongError('INVALID_CREDENTIALS');
    await this.deps.guard.succeeded('console-login', username, client.address);
    return this.startSession(user);
  }

  /**
   * A session for a user whose password was just checked. With a one-time password it may only change the
   * password (no roles, refused everywhere else), and lasts an hour.
   */
  private async startSession(user: UserRecord): Promise<{ token: string; expiresAt: string; user: SessionUser }> {
    const token = this.deps.ids.secretToken();
    const now = this.now();
    const hours = user.mustChangePassword ? 1 : this.deps.policy.sessionHours;
    const expiresAt = new Date(now.getTime() + hours * 3_600_000).toISOString();
    await this.store.insertToken({
      tokenDigest: this.deps.tokens.digest(token),
      memberCode: user.memberCode,
      username: user.username,
      roles: user.mustChangePassword ? [] : user.roles,
      label: user.mustChangePassword ? 'one-time password change' : 'console session',
      createdAt: now.toISOString(),
      expiresAt,
      passwordChangeOnly: user.mustChangePassword === true,
    });
    return { token, expiresAt, user: await this.sessionUser(user.username) };
  }

  /**
   * A user chooses a new password (required after a one-time one): the current one is checked again, the
   * new one must pass the password rules and differ; every session of the user ends and a new one starts.
   */
  async changePassword(
    actor: Principal,
    currentPassword: string,
    newPassword: string,
    client: { address: string } = { address: 'unknown' },
  ): Promise<{ token: string; expiresAt: string; user: SessionUser }> {
    if (!actor.username) throw new HutongError('FORBIDDEN_ROLE', '系统令牌没有密码 / system tokens have no password');
    await this.deps.guard.reserve('console-login', actor.username, client.address);
    const user = await this.store.getUser(actor.username);
    if (!user || !(await this.deps.passwords.verify(currentPassword, user.passwordHash))) {
      throw new HutongError('INVALID_CREDENTIALS');
    }
    await this.deps.guard.succeeded('console-login', actor.username, client.address);
    if (newPassword === currentPassword) throw new HutongError('PASSWORD_UNCHANGED');
    this.refusePublished(newPassword);
    checkPassword(newPassword, { username: user.username, memberCode: user.memberCode }, this.deps.commonPasswords);
    await this.store.replacePassword(user.username, await this.deps.passwords.hash(newPassword));
    return this.startSession({ ...user, mustChangePassword: false });
  }

  async logout(token: string): Promise<void> {
    await this.store.deleteToken(this.deps.tokens.digest(token));
  }

  /** Resolves a bearer token to the principal it speaks for; undefined when unknown or expired. */
  async authenticate(token: string): Promise<Principal | undefined> {
    const record = await this.store.findToken(this.deps.tokens.digest(token));
    if (!record) return undefined;
    if (record.expiresAt && Date.parse(record.expiresAt) <= this.now().getTime()) return undefined;
    const member = await this.store.getMember(record.memberCode);
    if (!member) return undefined;
    return {
      memberCode: member.code,
      memberRole: member.role,
      roles: record.roles,
      username: record.username,
      ...(record.passwordChangeOnly ? { passwordChangeRequired: true } : {}),
    };
  }

  async sessionUser(username: string): Promise<SessionUser> {
    const user = await this.store.getUser(username);
    if (!user) throw new HutongError('UNAUTHENTICATED');
    const member = await this.members.requireMember(user.memberCode);
    return {
      username: user.username,
      displayName: user.displayName,
      memberCode: member.code,
      memberName: member.name,
      memberRole: member.role,
      roles: user.roles,
      mustChangePassword: user.mustChangePassword === true,
    };
  }

  async createUser(
    actor: Principal | 'bootstrap',
    input: {
      username: string;
      password: string;
      memberCode: string;
      displayName: string;
      roles: UserRole[];
      /** A one-time password (the operator's at installation): the user must choose their own first. */
      mustChangePassword?: boolean;
    },
  ): Promise<PublicUser> {
    if (actor !== 'bootstrap') {
      requireRole(actor, 'admin');
      if (actor.memberCode !== input.memberCode && actor.memberRole !== 'operator') {
        throw new HutongError('NOT_OWN_MEMBER');
      }
    }
    const member = await this.members.requireMember(input.memberCode);
    checkRolesFor(member.role, input.roles);
    if (actor !== 'bootstrap') this.refusePublished(input.password);
    checkPassword(
      input.password,
      { username: input.username, memberCode: input.memberCode },
      this.deps.commonPasswords,
    );
    const user = {
      username: input.username,
      memberCode: input.memberCode,
      displayName: input.displayName,
      passwordHash: await this.deps.passwords.hash(input.password),
      roles: [...new Set(input.roles)],
      createdAt: this.now().toISOString(),
      mustChangePassword: input.mustChangePassword === true,
    };
    await this.store.insertUser(user);
    return publicUser(user);
  }

  private refusePublished(password: string): void {
    if (this.deps.publishedPasswords?.includes(password)) {
      throw new HutongError('PASSWORD_TOO_COMMON', '这是公开的演示密码，请换一个 / the demo’s published password');
    }
  }

  async listUsers(actor: Principal, memberCode: string): Promise<PublicUser[]> {
    requireRole(actor, 'admin');
    if (actor.memberCode !== memberCode && actor.memberRole !== 'operator') throw new HutongError('NOT_OWN_MEMBER');
    await this.members.requireMember(memberCode);
    return (await this.store.listUsers(memberCode)).map(publicUser);
  }

  /** Issues an API token for a member's systems; the plain token is shown once and only its digest is kept. */
  async issueApiToken(
    actor: Principal | 'bootstrap',
    input: { memberCode: string; roles: UserRole[]; label: string },
  ): Promise<string> {
    if (actor !== 'bootstrap') {
      requireRole(actor, 'admin');
      if (actor.memberCode !== input.memberCode) throw new HutongError('NOT_OWN_MEMBER');
    }
    const member = await this.members.requireMember(input.memberCode);
    checkRolesFor(member.role, input.roles);
    const token = this.deps.ids.secretToken();
    await this.store.insertToken({
      tokenDigest: this.deps.tokens.digest(token),
      memberCode: input.memberCode,
      username: null,
      roles: [...new Set(input.roles)],
      label: input.label,
      createdAt: this.now().toISOString(),
      expiresAt: null,
    });
    return token;
  }
}
