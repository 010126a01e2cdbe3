import { describe, expect, it } from 'vitest';
import { shipBatchLength } from './ship-batch';

describe('audit shipping batches', () => {
  const event = (subjects: number) => ({
    seq: 1,
    subjectHashes: Array.from({ length: subjects }, () => 'h'.repeat(43)),
  });

  it('keeps a POST under the byte bound, whatever the number of events', () => {
    const big = Array.from({ length: 500 }, () => event(1000));
    const n = shipBatchLength(big);
    expect(n).toBeGreaterThan(5);
    expect(n).toBeLessThan(20);
    expect(Buffer.byteLength(JSON.stringify({ events: big.slice(0, n) }))).toBeLessThanOrEqual(512 * 1024);
    expect(shipBatchLength(Array.from({ length: 500 }, () => event(1)))).toBe(500);
  });

  it('always ships at least one event, however large', () => {
    expect(shipBatchLength([event(20_000), event(1)])).toBe(1);
    expect(shipBatchLength([])).toBe(0);
  });
});
