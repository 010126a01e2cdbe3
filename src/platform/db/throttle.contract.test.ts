/**
 * The attempt throttle on every test database: a burst of parallel reservations lets exactly the limit
 * through (on PostgreSQL over a pool of connections, truly in parallel), a new window starts afresh, a
 * release gives one back, and counts survive a new store on the same database (a restart).
 */
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type TestDatabase, testDialects, withFreshStore } from './test-databases';
import { KyselyAttemptThrottle, type ThrottleDatabase } from './kysely-throttle';

const rule = { limit: 5, windowMs: 15 * 60_000 };
const t0 = new Date('2026-12-05T02:00:00.000Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

for (const dialect of testDialects()) {
  describe(`attempt throttle on ${dialect.name}`, () => {
    let database: TestDatabase<ThrottleDatabase>;
    let throttle: KyselyAttemptThrottle;

    withFreshStore(
      dialect,
      (db: Kysely<ThrottleDatabase>) => new KyselyAttemptThrottle(db),
      (opened, fresh) => {
        throttle = opened;
        database = fresh;
      },
      { migrations: 2 },
    );

    it('lets exactly the limit through a burst of 60 parallel attempts', async () => {
      const decisions = await Promise.all(Array.from({ length: 60 }, () => throttle.reserve('login', 'k', rule, t0)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
      expect(decisions.map((d) => d.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      const refused = decisions.find((d) => !d.allowed)!;
      expect(refused.retryAfterMs).toBe(15 * 60_000);
      expect(refused.windowEndsAt).toBe(later(15 * 60_000).toISOString());
    });

    it('keeps counting across a restart, and starts afresh once the window is over', async () => {
      for (let i = 0; i < 5; i++) await throttle.reserve('login', 'k', rule, later(i * 1000));
      const restarted = new KyselyAttemptThrottle(database.db);
      expect(await restarted.reserve('login', 'k', rule, later(60_000))).toMatchObject({
        allowed: false,
        count: 6,
        retryAfterMs: 14 * 60_000,
      });
      expect(await restarted.reserve('login', 'k', rule, later(15 * 60_000))).toMatchObject({
        allowed: true,
        count: 1,
      });
    });

    it('keeps scopes and keys apart; clear forgets a key, release gives one attempt back', async () => {
      for (let i = 0; i < 5; i++) await throttle.reserve('login', 'k', rule, t0);
      expect((await throttle.reserve('other', 'k', rule, t0)).allowed).toBe(true);
      expect((await throttle.reserve('login', 'j', rule, t0)).allowed).toBe(true);
      await throttle.release('login', 'k');
      expect(await throttle.reserve('login', 'k', rule, t0)).toMatchObject({ allowed: true, count: 5 });
      await throttle.clear('login', 'k');
      expect(await throttle.reserve('login', 'k', rule, t0)).toMatchObject({ allowed: true, count: 1 });
    });
  });
}
