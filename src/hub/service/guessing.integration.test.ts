/**
 * Guessing at the hub, as an attacker would: a burst of parallel guesses (the right one sent last) gets at
 * most the limit checked, the rest 429 with Retry-After, and the right answer does not open the door while
 * the lock holds — not even after the hub restarts. Console passwords and residents' names alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/log/logger';
import { prepareDemoHub } from '../../composition/demo';
import type { Hub } from '../../composition/hub';
import { fixedClock } from '../../core/ports/clock';

const dataDir = mkdtempSync(join(tmpdir(), 'hutong-guessing-'));
const clock = fixedClock('2026-12-05T02:00:00.000Z');
const hubs: Hub[] = [];

async function startHub() {
  const { hub, credentials } = await prepareDemoHub({
    dataDir,
    cityData: false,
    clock,
    passwordCost: 1024,
    logger: createLogger({ level: 'silent' }),
  });
  hubs.push(hub);
  return { hub, credentials };
}

afterAll(async () => {
  for (const hub of hubs) await hub.close().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

const post = (hub: Hub, url: string, payload: Record<string, string>, remoteAddress = '203.0.113.7') =>
  hub.app.inject({ method: 'POST', url, payload, remoteAddress }).then((response) => ({
    status: response.statusCode,
    code: (response.json() as { code?: string }).code,
    retryAfter: response.headers['retry-after'],
  }));

describe('console login under a burst of guesses', () => {
  it('checks at most five, refuses the rest with Retry-After, and stays locked across a restart', async () => {
    const first = await startHub();
    const password = first.credentials.password;
    const guesses = [
      ...Array.from({ length: 59 }, (_, i) => ({ username: 'gongan', password: `wrong-guess-${i}-xyz` })),
      { username: 'gongan', password },
    ];
    const answers = await Promise.all(guesses.map((guess) => post(first.hub, '/api/v1/auth/login', guess)));
    const checked = answers.filter((a) => a.status !== 429);
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(60 - checked.length);
    for (const refused of answers.filter((a) => a.status === 429)) {
      expect(refused).toMatchObject({ code: 'LOGIN_THROTTLED', retryAfter: '900' });
    }
    // The right password, now: locked.
    expect(await post(first.hub, '/api/v1/auth/login', { username: 'gongan', password })).toMatchObject({
      status: 429,
    });
    // Another account is not locked by it.
    expect((await post(first.hub, '/api/v1/auth/login', { username: 'shuiwu', password })).status).toBe(200);

    await first.hub.close();
    const second = await startHub();
    expect((await post(second.hub, '/api/v1/auth/login', { username: 'gongan', password })).status).toBe(429);
    clock.advanceMs(15 * 60_000);
    expect((await post(second.hub, '/api/v1/auth/login', { username: 'gongan', password })).status).toBe(200);
  });

  it('limits one address guessing many accounts', async () => {
    const hub = hubs.at(-1)!;
    const answers = [];
    for (let i = 0; i < 105; i++) {
      answers.push(
        await post(
          hub,
          '/api/v1/auth/login',
          { username: `nobody-${i}`, password: 'not-the-password-1' },
          '198.51.100.9',
        ),
      );
    }
    expect(answers.slice(0, 100).every((a) => a.status === 401)).toBe(true);
    expect(answers.slice(100).every((a) => a.status === 429)).toBe(true);
    // Another address is not affected.
    expect((await post(hub, '/api/v1/auth/login', { username: 'nobody', password: 'x' }, '198.51.100.10')).status).toBe(
      401,
    );
  });
});

describe('resident login under a burst of name guesses', () => {
  it('asks the register at most five times, and not the right name while locked', async () => {
    const hub = hubs.at(-1)!;
    const asked: string[] = [];
    hub.dataUsage.setIdentityVerifier({
      async verify(check) {
        asked.push(check.name);
        return check.name === '欧阳明月' ? 'match' : 'mismatch';
      },
    });
    const idNumber = '11010519491231002X';
    const names = [...Array.from({ length: 59 }, (_, i) => `欧阳${String.fromCodePoint(0x4e00 + i)}`), '欧阳明月'];
    const answers = await Promise.all(names.map((name) => post(hub, '/api/v1/auth/resident', { idNumber, name })));
    expect(asked.length).toBeLessThanOrEqual(5);
    expect(answers.filter((a) => a.status !== 429)).toHaveLength(asked.length);
    expect(answers.filter((a) => a.status === 429).every((a) => a.code === 'LOGIN_THROTTLED')).toBe(true);
    const right = await post(hub, '/api/v1/auth/resident', { idNumber, name: '欧阳明月' });
    expect(right.status).toBe(429);
    expect(asked).not.toContain('欧阳明月');
  });
});
