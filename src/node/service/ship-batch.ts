/**
 * How many of the queued audit events (the store hands out at most 500) go into one POST to the hub: no more
 * than `maxBytes` of JSON (the hub refuses bodies over 1 MiB with 413). An event of a batch call carries one keyed hash per
 * subject (≈46 bytes each), so 500 events of 1,000 subjects would be ≈23 MB: counting events is not enough.
 * The first event always goes, so a single large event cannot block the queue.
 */
export function shipBatchLength(events: readonly unknown[], maxBytes = 512 * 1024): number {
  let bytes = 16;
  for (let i = 0; i < events.length; i++) {
    bytes += Buffer.byteLength(JSON.stringify(events[i])) + 1;
    if (bytes > maxBytes) return Math.max(1, i);
  }
  return events.length;
}
