import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hmacSubjectHasher } from './subject-hasher';

const secret = 'qinghe-city-secret-0123456789';

describe('keyed subject hashes', () => {
  it('are HMAC-SM3 under the 国密 suite, as OpenSSL’s command line computes them', () => {
    const subject = '110105194912310021';
    const openssl = execFileSync('openssl', ['dgst', '-sm3', '-hmac', secret, '-binary'], { input: subject });
    expect(hmacSubjectHasher(secret, 'sm3').hash(subject)).toBe(openssl.toString('base64url'));
    const sha256 = execFileSync('openssl', ['dgst', '-sha256', '-hmac', secret, '-binary'], { input: subject });
    expect(hmacSubjectHasher(secret).hash(subject)).toBe(sha256.toString('base64url'));
  });

  it('never compare across suites or purposes', () => {
    const gm = hmacSubjectHasher(secret, 'sm3');
    const intl = hmacSubjectHasher(secret, 'sha256');
    expect(gm.hash('x')).not.toBe(intl.hash('x'));
    expect(gm.keyed('officer', 'clerk-1')).not.toBe(gm.keyed('case', 'clerk-1'));
    expect(gm.keyed('officer', 'clerk-1')).not.toBe(intl.keyed('officer', 'clerk-1'));
    expect(gm.keyed('officer', 'clerk-1')).toBe(hmacSubjectHasher(secret, 'sm3').keyed('officer', 'clerk-1'));
  });
});
