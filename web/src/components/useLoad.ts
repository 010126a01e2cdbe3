// Small data-loading hook: runs a loader when its deps change and exposes data/loading/error/reload.
// A polled load (`everyMs` given, even as null = paused) re-runs in the background while the tab is visible
// without flashing the loading state, and its `reload` is a background reload too.
import { useCallback, useEffect, useRef, useState } from 'react';

export function useLoad<T>(loader: () => Promise<T>, deps: unknown[], options: { everyMs?: number | null } = {}) {
  const [data, setData] = useState<T | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const seq = useRef(0);
  // The latest loader closure is always used; `deps` (by value) only decide when to run it.
  const latest = useRef(loader);
  latest.current = loader;
  const key = JSON.stringify(deps);
  const everyMs = options.everyMs ?? null;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is the caller's reload trigger
  const load = useCallback(
    (background: boolean) => {
      const mine = ++seq.current;
      if (!background) setLoading(true);
      latest
        .current()
        .then((d) => {
          // Ignore answers to superseded requests (fast typing in filters).
          if (mine === seq.current) {
            setData(d);
            setError(null);
          }
        })
        .catch((e: unknown) => {
          if (mine === seq.current) setError(e);
        })
        .finally(() => {
          if (mine === seq.current) setLoading(false);
        });
    },
    [key],
  );
  useEffect(() => {
    load(false);
    if (!everyMs) return;
    const timer = setInterval(() => {
      if (!document.hidden) load(true);
    }, everyMs);
    return () => clearInterval(timer);
  }, [load, everyMs]);
  const polled = options.everyMs !== undefined;
  const reload = useCallback(() => load(polled), [load, polled]);
  return { data, loading, error, reload };
}
