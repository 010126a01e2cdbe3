/** HMAC-SHA256 of subject keys with the city secret: stable per person, useless without the secret. */
import { createHmac } from 'node:crypto';
import type { SubjectHasher } from '../../core/ports/node-ports';

export function hmacSubjectHasher(citySecret: string): SubjectHasher {
  if (citySecret.length < 16) throw new Error('the city secret must be at least 16 characters');
  return { hash: (subjectKey) => createHmac('sha256', citySecret).update(subjectKey).digest('base64url') };
}
