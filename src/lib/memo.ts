/** Operation-scoped memoization of upstream reads (DataLoader, keys compared as stable JSON). */
import DataLoader from 'dataloader';
import { stableJson } from './stable-json.js';

/** A DataLoader that only memoizes: each distinct key is one call, its answer shared by every asker. */
export function memo<K, V>(load: (key: K) => Promise<V>): DataLoader<K, V, string> {
  return new DataLoader<K, V, string>((keys) => Promise.all(keys.map((key) => load(key).catch((error: unknown) => toError(error)))), {
    cacheKeyFn: (key) => stableJson(key),
  });
}

/** A DataLoader whose batch function sees every key asked for in one tick (for look-ups grouped by target); `onBatch` hears each batch's size (metrics). */
export function batched<K, V>(loadAll: (keys: readonly K[]) => Promise<(V | Error)[]>, onBatch?: (size: number) => void): DataLoader<K, V, string> {
  return new DataLoader<K, V, string>(
    (keys) => {
      onBatch?.(keys.length);
      return loadAll(keys).catch((error: unknown) => keys.map(() => toError(error)));
    },
    {
      cacheKeyFn: (key) => stableJson(key),
    },
  );
}

export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
