/**
 * A one-time password (the operator's, printed once at installation) opens a session that may only change
 * it: every other route refuses it with PASSWORD_CHANGE_REQUIRED until the user has chosen their own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type InProcessTestHub, injectJson } from '../../testing/test-hub';

let t: InProcessTestHub;

beforeAll(async () => {
  t = await createTestHub({ now: '2026-11-27T02:00:00.000Z' });
  await t.hub.service.accounts.createUser('bootstrap', {
    username: 'operator',
    password: 'one-time-Xq7!pLm2vZ',
    memberCode: 'dashuju',
    displayName: '平台管理员',
    roles: ['admin'],
    mustChangePassword: true,
  });
});
afterAll(async () => {
  await t.close();
});

// biome-ignore lint/suspicious/noExplicitAny: the tests read several shapes of answer
type Answer = { status: number; json: any };
const call = (token: string | null, method: string, url: string, body?: unknown) =>
  injectJson(t, token, method, url, body) as Promise<Answer>;

describe('a one-time password', () => {
  it('opens a session that can only change it, then the new password works and the old one does not', async () => {
    const login = await call(null, 'POST', '/api/v1/auth/login', {
      username: 'operator',
      password: 'one-time-Xq7!pLm2vZ',
    });
    expect(login.status).toBe(200);
    expect(login.json.user.mustChangePassword).toBe(true);
    const once = login.json.token as string;
    // Nothing else (the applications under /apps are handed the same check).
    for (const url of ['/api/v1/members', '/api/v1/agreements', '/api/v1/catalog/resources']) {
      const refused = await call(once, 'GET', url);
      expect([refused.status, refused.json.code], url).toEqual([403, 'PASSWORD_CHANGE_REQUIRED']);
    }
    expect((await call(once, 'GET', '/api/v1/auth/me')).json.mustChangePassword).toBe(true);

    // The demo's password, a common one or the same one are refused; a wrong current password too.
    const change = (currentPassword: string, newPassword: string) =>
      call(once, 'POST', '/api/v1/auth/password', { currentPassword, newPassword });
    expect((await change('one-time-Xq7!pLm2vZ', 'one-time-Xq7!pLm2vZ')).json.code).toBe('PASSWORD_UNCHANGED');
    expect((await change('one-time-Xq7!pLm2vZ', 'password1234')).json.code).toBe('PASSWORD_TOO_COMMON');
    expect((await change('one-time-Xq7!pLm2vZ', 'qinghe-demo-2026')).json.code).toBe('PASSWORD_TOO_COMMON');
    expect((await change('not-the-password', 'Willow-Harbour-7319!')).json.code).toBe('INVALID_CREDENTIALS');

    const changed = await change('one-time-Xq7!pLm2vZ', 'Willow-Harbour-7319!');
    expect(changed.status).toBe(200);
    expect(changed.json.user.mustChangePassword).toBe(false);
    // The one-time session has ended; the new one works everywhere the user's roles allow.
    expect((await call(once, 'GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await call(changed.json.token, 'GET', '/api/v1/members')).status).toBe(200);
    expect(
      (await call(null, 'POST', '/api/v1/auth/login', { username: 'operator', password: 'one-time-Xq7!pLm2vZ' })).json
        .code,
    ).toBe('INVALID_CREDENTIALS');
    const again = await call(null, 'POST', '/api/v1/auth/login', {
      username: 'operator',
      password: 'Willow-Harbour-7319!',
    });
    expect([again.status, again.json.user.mustChangePassword]).toEqual([200, false]);
  });
});
