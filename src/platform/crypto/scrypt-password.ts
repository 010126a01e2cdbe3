/** scrypt password hashing (node:crypto), encoded as scrypt$N$r$p$salt$hash so parameters can be raised later. */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { PasswordHasher } from '../../core/ports/password';

function derive(password: string, salt: Buffer, n: number, r: number, p: number, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, length, { N: n, r, p, maxmem: 256 * n * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export function scryptPasswordHasher(cost = 16384): PasswordHasher {
  return {
    async hash(password) {
      const salt = randomBytes(16);
      const key = await derive(password, salt, cost, 8, 1, 64);
      return `scrypt$${cost}$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
    },
    async verify(password, encoded) {
      const [scheme, n, r, p, salt, hash] = encoded.split('$');
      if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
      const expected = Buffer.from(hash, 'base64');
      const actual = await derive(
        password,
        Buffer.from(salt, 'base64'),
        Number(n),
        Number(r),
        Number(p),
        expected.length,
      );
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
  };
}
