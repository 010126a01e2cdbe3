import { describe, expect, it } from 'vitest';
import { repeatEvery } from './repeat';

describe('work repeated on a timer', () => {
  it('skips a round while the previous one runs, and stops only once the round in flight has ended', async () => {
    let started = 0;
    let finished = 0;
    let release: () => void = () => undefined;
    const repeating = repeatEvery(
      5,
      async () => {
        started += 1;
        await new Promise<void>((done) => {
          release = done;
        });
        finished += 1;
      },
      () => undefined,
    );
    await expect.poll(() => started).toBe(1);
    // Further ticks come and go while the round waits: none starts another.
    await new Promise((done) => setTimeout(done, 30));
    expect(started).toBe(1);
    let stopped = false;
    const stopping = repeating.stop().then(() => {
      stopped = true;
    });
    await new Promise((done) => setTimeout(done, 20));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect([started, finished, stopped]).toEqual([1, 1, true]);
    await new Promise((done) => setTimeout(done, 20));
    expect(started).toBe(1);
  });

  it('reports a failed round and goes on with the next', async () => {
    const errors: unknown[] = [];
    let rounds = 0;
    const repeating = repeatEvery(
      5,
      async () => {
        rounds += 1;
        throw new Error(`round ${rounds}`);
      },
      (error) => errors.push(error),
    );
    await expect.poll(() => errors.length).toBeGreaterThanOrEqual(2);
    await repeating.stop();
    expect(rounds).toBeGreaterThanOrEqual(2);
    expect(errors.length).toBe(rounds);
  });
});
