import { describe, expect, it } from 'vitest';
import { staticSecurityHeaders } from './security-headers';

describe('static security headers', () => {
  it('are the headers helmet sets for the options, computed once', () => {
    const headers = staticSecurityHeaders({
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      referrerPolicy: { policy: 'no-referrer' },
    });
    expect(headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    // Helmet removes this one rather than setting it.
    expect(headers['x-powered-by']).toBeUndefined();
    expect(Object.isFrozen(headers)).toBe(true);
  });
});
