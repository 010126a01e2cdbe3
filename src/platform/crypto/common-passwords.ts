/**
 * The list of common passwords shipped with zxcvbn-ts (@zxcvbn-ts/language-common, MIT: ≈ 49,000 of the
 * passwords most often seen in breaches), read once into a set.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { CommonPasswords } from '../../core/auth/passwords';

let cached: Set<string> | undefined;

export function commonPasswordList(): CommonPasswords {
  if (!cached) {
    const file = createRequire(import.meta.url).resolve('@zxcvbn-ts/language-common/src/passwords.json');
    cached = new Set((JSON.parse(readFileSync(file, 'utf8')) as string[]).map((p) => p.toLowerCase()));
  }
  const list = cached;
  return { includes: (password) => list.has(password) };
}
