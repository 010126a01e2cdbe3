// Small data-loading hook: runs a loader when its deps change and exposes data/loading/error/reload.
import { useCallback, useEffect, useRef, useState } from 'react';

export function useLoad<T>(loader: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const seq = useRef(0);
  // The latest loader closure is always used; `deps` (by value) only decide when to run it.
  const latest = useRef(loader);
  latest.current = loader;
  const key = JSON.stringify(deps);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is the caller's reload trigger
  const load = useCallback(() => {
    const mine = ++seq.current;
    setLoading(true);
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
  }, [key]);
  useEffect(load, [load]);
  return { data, loading, error, reload: load };
}
