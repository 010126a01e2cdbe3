/**
 * Background work on a timer that never overlaps itself: a round that is still running when the next is due
 * is skipped, not queued. The timer does not keep the process alive; `stop()` ends it.
 */
export function repeatEvery(
  ms: number,
  round: () => Promise<unknown>,
  onError: (error: unknown) => void,
): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    round()
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, ms);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
