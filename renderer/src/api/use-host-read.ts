import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { errorInfoOf } from './client.ts';

/**
 * A value read from the host, read again when `deps` change or on `reload()`. An answer that
 * arrives after the component unmounted, or after a newer read began, is dropped. `error` is the
 * host's message when the last read failed (the last value stays shown beside it).
 */
export function useHostRead<T>(read: () => Promise<T>, deps: DependencyList): { value: T | null; error: string | null; reload: () => void } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    read().then(
      (v) => {
        if (!live) return;
        setValue(v);
        setError(null);
      },
      (e: unknown) => live && setError(errorInfoOf(e).message),
    );
    return () => {
      live = false;
    };
    // `read` is a new closure on every render: the caller's deps say when it reads something else.
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { value, error, reload };
}
