/** Identifiers and bearer tokens from the operating system's randomness. */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IdGenerator } from '../../core/ports/ids';
import type { TokenDigester } from '../../core/ports/password';

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function randomCode(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += crockford[byte % 32];
  return out;
}

export const randomIds: IdGenerator = {
  // Readable by a clerk on the phone: GX-<local date>-<6 chars>, e.g. GX-20261127-7K2M9Q.
  agreementId(appliedAt) {
    const local = new Date(appliedAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
    return `GX-${local}-${randomCode(6)}`;
  },
  eventId: () => randomUUID(),
  keyId: () => `key-${randomCode(10).toLowerCase()}`,
  secretToken: () => `htk_${randomBytes(32).toString('base64url')}`,
};

export const sha256TokenDigester: TokenDigester = {
  digest: (token) => createHash('sha256').update(token).digest('hex'),
};
