/**
 * HMAC with the city secret — HMAC-SHA256 (intl) or HMAC-SM3 (国密, GM/T 0042) — : subject keys (stable per
 * person, useless without the secret), and the other values a public record names only by keyed hash, each
 * under a key derived for its purpose. Hub and nodes of one city must use the same algorithm.
 */
import { createHmac } from 'node:crypto';
import type { KeyedPurpose, SubjectHasher } from '../../core/ports/node-ports';

export function hmacSubjectHasher(citySecret: string, algorithm: 'sha256' | 'sm3' = 'sha256'): SubjectHasher {
  if (citySecret.length < 16) throw new Error('the city secret must be at least 16 characters');
  const keys = new Map<KeyedPurpose, Buffer>();
  // Domain separation: an officer's hash can never be compared with a case's or a subject's.
  const keyFor = (purpose: KeyedPurpose) => {
    let key = keys.get(purpose);
    if (!key) {
      key = createHmac(algorithm, citySecret).update(`hutong/keyed/v1/${purpose}`).digest();
      keys.set(purpose, key);
    }
    return key;
  };
  return {
    hash: (subjectKey) => createHmac(algorithm, citySecret).update(subjectKey).digest('base64url'),
    keyed: (purpose, value) => createHmac(algorithm, keyFor(purpose)).update(value).digest('base64url'),
  };
}
