/**
 * Password rules after NIST SP 800-63B §5.1.1.2: at least 12 characters, no composition rules, and not a
 * password attackers try first — on a list of common and breached passwords, made of one repeated or
 * sequential run of characters, or built on the account's own name or the service's.
 */
import { HutongError } from '../errors';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

/** A list of common and breached passwords (compared in lower case). */
export interface CommonPasswords {
  includes(lowercasePassword: string): boolean;
}

function isRunOf(chars: readonly string[]): boolean {
  const codes = chars.map((ch) => ch.codePointAt(0)!);
  const same = codes.every((code) => code === codes[0]);
  const up = codes.every((code, i) => i === 0 || code === codes[i - 1]! + 1);
  const down = codes.every((code, i) => i === 0 || code === codes[i - 1]! - 1);
  return same || up || down;
}

export function checkPassword(
  password: string,
  context: { username: string; memberCode: string },
  common: CommonPasswords,
): void {
  const chars = [...password];
  if (chars.length < MIN_PASSWORD_LENGTH) {
    throw new HutongError(
      'PASSWORD_TOO_SHORT',
      `密码至少 ${MIN_PASSWORD_LENGTH} 个字符 / at least ${MIN_PASSWORD_LENGTH} characters`,
    );
  }
  if (chars.length > MAX_PASSWORD_LENGTH) {
    throw new HutongError(
      'PASSWORD_TOO_LONG',
      `密码至多 ${MAX_PASSWORD_LENGTH} 个字符 / at most ${MAX_PASSWORD_LENGTH} characters`,
    );
  }
  const lower = password.toLowerCase();
  const words = [context.username, context.memberCode, 'hutong', 'password']
    .map((word) => word.toLowerCase())
    .filter((word) => word.length >= 4);
  if (common.includes(lower) || isRunOf(chars) || words.some((word) => lower.includes(word))) {
    throw new HutongError(
      'PASSWORD_TOO_COMMON',
      '密码过于常见或容易猜到（常用密码、重复或连续字符、含用户名），请换一个 / a password attackers try first',
    );
  }
}
