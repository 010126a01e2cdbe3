/**
 * Background work on a timer that never overlaps itself: a round that is still running when the next is due
 * is skipped, not queued. The timer does not keep the process alive; `stop()` ends it and resolves once a
 * round in flight has finished (so a store is not closed under it).
 */
export function repeatEvery(
  ms: number,
  round: () => Promise<unknown>,
  onError: (error: unknown) => void,
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = round()
      .then(() => undefined)
      .catch(onError)
      .finally(() => {
        running = undefined;
      });
  }, ms);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
