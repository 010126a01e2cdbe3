import { describe, expect, it } from 'vitest';
import { retryingOtherSchemaRaces } from './migrate';

const vanished = (schema: string) => Object.assign(new Error(`schema "${schema}" does not exist`), { code: '3F000' });

describe('migrations on a PostgreSQL server shared with other databases', () => {
  it('try again when another schema vanished under the catalog read, thrown or returned', async () => {
    let calls = 0;
    const result = await retryingOtherSchemaRaces(async () => {
      calls++;
      if (calls === 1) throw vanished('city_other_gongdian');
      if (calls === 2) return { error: vanished('t_other') };
      return { error: undefined };
    }, 'city_ours_gongdian');
    expect([calls, result.error]).toEqual([3, undefined]);
  });

  it('do not hide a problem with their own schema, or any other error', async () => {
    let calls = 0;
    await expect(
      retryingOtherSchemaRaces(async () => {
        calls++;
        throw vanished('city_ours_gongdian');
      }, 'city_ours_gongdian'),
    ).rejects.toThrow('city_ours_gongdian');
    expect(calls).toBe(1);
    const failed = await retryingOtherSchemaRaces(async () => ({ error: new Error('syntax error') }), 'x');
    expect((failed.error as Error).message).toBe('syntax error');
  });
});
