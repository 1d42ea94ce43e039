/**
 * The short-lived cache of upstream pages (successful GET answers), shared by every operation of
 * the process: paging through a fleet-wide list or refreshing a dashboard re-reads nothing that
 * is younger than the TTL. Keys carry the source, the credential identity and the exact request,
 * so two credentials never see each other's answers. `PageCache` is the seam a shared store
 * (Redis) plugs into without touching callers.
 */
import { LRUCache } from 'lru-cache';
import type { Clock } from '../lib/clock.js';

/** An upstream answer as it came off the wire. */
export interface CachedPage {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface PageCache {
  get(key: string): Promise<CachedPage | undefined>;
  set(key: string, page: CachedPage, ttlMs: number): Promise<void>;
}

export interface MemoryPageCacheOptions {
  clock: Clock;
  /** Upper bound on the memory the pages take (their text and decoded form, estimated as 3 × the text). Default 64 MiB. */
  maxBytes?: number;
}

/** In process memory, least recently used pages evicted first, expiry read from the stack's clock. */
export class MemoryPageCache implements PageCache {
  private readonly lru: LRUCache<string, CachedPage>;

  constructor(options: MemoryPageCacheOptions) {
    this.lru = new LRUCache<string, CachedPage>({
      maxSize: options.maxBytes ?? 64 * 1024 * 1024,
      // A page is held as its text and, once read, its decoded form (lib/decoded.ts): about twice the text again.
      sizeCalculation: (page, key) => Math.max(1, 3 * page.text.length + key.length),
      ttlAutopurge: false,
      // Read the clock at every check (the default caches it for a millisecond with a timer).
      ttlResolution: 0,
      perf: options.clock,
    });
  }

  async get(key: string): Promise<CachedPage | undefined> {
    return this.lru.get(key);
  }

  async set(key: string, page: CachedPage, ttlMs: number): Promise<void> {
    this.lru.set(key, page, { ttl: ttlMs });
  }

  get size(): number {
    return this.lru.size;
  }
}
