/**
 * AttemptThrottle on Kysely, in the database of whoever throttles (the hub's, an app's): one row per
 * (scope, key) with the current window's start and count, moved by a single upsert … returning, which is
 * atomic on SQLite (one writer) and on PostgreSQL (the conflicting row is locked). Its own migrations.
 */
import { type Kysely, sql } from 'kysely';
import type { AttemptThrottle, ThrottleDecision, ThrottleRule } from '../../core/ports/throttle';
import { migrateToLatest } from './migrate';
import { schemaMigrations } from './schema';

export interface ThrottleWindowsTable {
  scope: string;
  key: string;
  window_start: string;
  count: number;
}

export interface ThrottleDatabase {
  throttle_windows: ThrottleWindowsTable;
}

const migrations = schemaMigrations({
  '2026_12_05_001_throttle': {
    createTables: {
      throttle_windows: {
        scope: 'varchar(32) not null',
        key: 'varchar(128) not null',
        window_start: 'varchar(32) not null',
        count: 'integer not null',
        'primary key': 'scope, key',
      },
    },
  },
});

export class KyselyAttemptThrottle implements AttemptThrottle {
  constructor(private readonly db: Kysely<ThrottleDatabase>) {}

  migrate(): Promise<void> {
    return migrateToLatest(this.db, migrations, {
      migrationTableName: 'throttle_migrations',
      migrationLockTableName: 'throttle_migrations_lock',
    });
  }

  async reserve(scope: string, key: string, rule: ThrottleRule, now: Date): Promise<ThrottleDecision> {
    const at = now.toISOString();
    const expired = new Date(now.getTime() - rule.windowMs).toISOString();
    // A window older than the rule starts afresh with this attempt; otherwise the attempt is counted in it.
    const row = await this.db
      .insertInto('throttle_windows')
      .values({ scope, key, window_start: at, count: 1 })
      .onConflict((conflict) =>
        conflict.columns(['scope', 'key']).doUpdateSet({
          count: sql<number>`case when throttle_windows.window_start <= ${expired} then 1 else throttle_windows.count + 1 end`,
          window_start: sql<string>`case when throttle_windows.window_start <= ${expired} then ${at} else throttle_windows.window_start end`,
        }),
      )
      .returning(['count', 'window_start'])
      .executeTakeFirstOrThrow();
    const count = Number(row.count);
    const endsAt = Date.parse(row.window_start) + rule.windowMs;
    const allowed = count <= rule.limit;
    return {
      allowed,
      count,
      windowEndsAt: new Date(endsAt).toISOString(),
      retryAfterMs: allowed ? 0 : Math.max(0, endsAt - now.getTime()),
    };
  }

  async release(scope: string, key: string): Promise<void> {
    await this.db
      .updateTable('throttle_windows')
      .set({ count: sql<number>`case when count > 0 then count - 1 else 0 end` })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .execute();
  }

  async clear(scope: string, key: string): Promise<void> {
    await this.db.deleteFrom('throttle_windows').where('scope', '=', scope).where('key', '=', key).execute();
  }
}
