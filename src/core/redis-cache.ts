/**
 * The page cache in Redis, shared by every replica of the gateway: a page one replica read is
 * served by all of them for its TTL. Redis is an optimisation, never a dependency: while it is
 * unreachable (or too slow to answer within `timeoutMs`) every look-up is a miss and every store is
 * dropped, so queries read the upstreams as if there were no cache, and nothing throws. One warning
 * is logged when it goes away and one line at `info` when it is back.
 *
 * Keys are `<keyPrefix>page:<sha256 hex of the cache key>`: short, and free of anything the cache
 * key holds (its credential part is already a digest; the request URL is hashed with the rest).
 * Values are JSON `{status, headers, text}`, stored with `SET … PX <ttl>`; expiry is Redis's.
 *
 * Decoded answers are remembered per answer object (lib/decoded.ts), and every read from Redis
 * makes a new object. So the pages this cache stored or read are also kept in a small local LRU,
 * for at most `localTtlMs` (default 5 s) and never past their time left in Redis: the reads of
 * one burst (a dashboard's refresh, the pages of one operation) share objects and are decoded once.
 * It holds only what Redis confirmed, and is emptied when Redis goes away; a page read from Redis
 * again after its local copy expired is a new object, decoded anew.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis, type RedisOptions } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { log } from '../lib/log.js';
import { registerSecrets } from '../lib/secrets.js';
import type { CachedPage, PageCache } from './cache.js';

export interface RedisPageCacheOptions {
  /** `redis://[[user]:password@]host[:port][/db]` or `rediss://…` (TLS). The password is registered as a secret. */
  url: string;
  /** Prepended to every key. Default `backupql:`. */
  keyPrefix?: string;
  /** How long a command (and the first connection, for the first look-ups) may take before it counts as failed, ms. Default 200. */
  timeoutMs?: number;
  /** How long opening a connection may take, ms. Default 1000 (off the query path: queries never wait for a reconnection). */
  connectTimeoutMs?: number;
  /** The longest pause between reconnection attempts, ms. Default 2000. */
  maxReconnectDelayMs?: number;
  /** Upper bound on the local layer (see above), bytes estimated as for the memory cache. Default 8 MiB; 0 turns it off. */
  localMaxBytes?: number;
  /** How long a page stays in the local layer at most, ms. Default 5000; 0 turns it off. */
  localTtlMs?: number;
  /** Told of each look-up or store that could not use Redis (down, timed out, refused, unreadable value). */
  onError?: (op: 'get' | 'set') => void;
  /** Told of each look-up that Redis (or the local layer) answered: a page, or none. Failed look-ups are errors, not misses. */
  onResult?: (result: 'hit' | 'miss') => void;
}

/** After a command timed out (Redis connected but not answering), Redis is skipped this long before the next try, ms. */
const BYPASS_AFTER_TIMEOUT_MS = 1000;

export class RedisPageCache implements PageCache {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private readonly local: LRUCache<string, CachedPage> | undefined;
  private readonly localTtlMs: number;
  /** Where Redis is, for log lines: scheme, host and port; never the credentials. */
  private readonly endpoint: string;
  /** undefined: not yet connected once; then whether Redis was usable at last sight. */
  private healthy: boolean | undefined;
  private bypassUntil = 0;
  private closed = false;
  /** Settled by the first connection's outcome (ready, or an error). */
  private readonly firstOutcome: Promise<void>;

  constructor(private readonly options: RedisPageCacheOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new Error('the Redis URL must be redis:// or rediss://');
    // The password as written (percent-encoded) and as sent; ioredis also reads one from the query.
    registerSecrets(url.password, safeDecode(url.password), url.searchParams.get('password'));
    this.endpoint = `${url.protocol}//${url.host}`;
    this.prefix = `${options.keyPrefix ?? 'backupql:'}page:`;
    this.timeoutMs = options.timeoutMs ?? 200;
    this.localTtlMs = options.localTtlMs ?? 5_000;
    const localMaxBytes = options.localMaxBytes ?? 8 * 1024 * 1024;
    this.local =
      this.localTtlMs > 0 && localMaxBytes > 0
        ? new LRUCache<string, CachedPage>({
            maxSize: localMaxBytes,
            sizeCalculation: (page, key) => Math.max(1, 3 * page.text.length + key.length),
            ttlAutopurge: false,
          })
        : undefined;
    const maxDelay = options.maxReconnectDelayMs ?? 2_000;
    const redisOptions: RedisOptions = {
      // A command while disconnected fails at once instead of waiting for a reconnection.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: options.connectTimeoutMs ?? 1_000,
      commandTimeout: this.timeoutMs,
      lazyConnect: false,
      // Reconnect for ever, backing off (with jitter) up to `maxDelay`.
      retryStrategy: (times) => Math.round(Math.min(maxDelay, 50 * 2 ** Math.min(times, 10)) * (0.5 + Math.random() / 2)),
    };
    this.redis = new Redis(options.url, redisOptions);
    let settle!: () => void;
    this.firstOutcome = new Promise((resolve) => (settle = resolve));
    this.redis.on('ready', () => {
      settle();
      this.up();
    });
    // Every failed connection attempt and every lost connection (ioredis keeps reconnecting).
    this.redis.on('error', (err: unknown) => {
      settle();
      this.down(err);
    });
    this.redis.on('close', () => this.down(undefined));
  }

  async get(key: string): Promise<CachedPage | undefined> {
    const id = this.redisKey(key);
    const local = this.local?.get(id);
    if (local) {
      this.options.onResult?.('hit');
      return local;
    }
    if (!(await this.usable())) return this.failed('get');
    let text: string | null;
    let ttl: number;
    try {
      const replies = await this.redis.pipeline().get(id).pttl(id).exec();
      const [got, left] = replies ?? [];
      if (!got || !left || got[0] || left[0]) throw got?.[0] ?? left?.[0] ?? new Error('no reply');
      text = got[1] as string | null;
      ttl = left[1] as number;
      this.answered();
    } catch (err) {
      return this.failed('get', err);
    }
    if (text === null) {
      this.options.onResult?.('miss');
      return undefined;
    }
    const page = parsePage(text);
    // Not a page this version wrote: unusable, as if Redis had failed (it is replaced by the next store).
    if (!page) return this.failed('get');
    this.options.onResult?.('hit');
    this.remember(id, page, ttl);
    return page;
  }

  async set(key: string, page: CachedPage, ttlMs: number): Promise<void> {
    if (!(await this.usable())) return void this.failed('set');
    const id = this.redisKey(key);
    const ttl = Math.max(1, Math.round(ttlMs));
    try {
      await this.redis.set(id, JSON.stringify({ status: page.status, headers: page.headers, text: page.text }), 'PX', ttl);
      this.answered();
    } catch (err) {
      return void this.failed('set', err);
    }
    this.remember(id, page, ttl);
  }

  /** Quits the connection (at once when Redis does not answer); the cache is unusable afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.local?.clear();
    if (this.redis.status === 'ready') {
      try {
        await this.redis.quit();
      } catch {
        // Not answering: dropped below.
      }
    }
    this.redis.disconnect();
  }

  private redisKey(key: string): string {
    return this.prefix + createHash('sha256').update(key).digest('hex');
  }

  private remember(id: string, page: CachedPage, ttlLeftMs: number): void {
    // PTTL: -1 no expiry (never set by this cache), -2 gone since the GET.
    if (!this.local || ttlLeftMs <= 0) return;
    this.local.set(id, page, { ttl: Math.min(this.localTtlMs, ttlLeftMs) });
  }

  /** Whether a command may be sent now. The first look-ups after start wait (briefly) for the first connection. */
  private async usable(): Promise<boolean> {
    if (this.closed || performance.now() < this.bypassUntil) return false;
    if (this.healthy === undefined && this.redis.status !== 'ready') {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.firstOutcome, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.timeoutMs).unref()))]);
      clearTimeout(timer);
    }
    return this.redis.status === 'ready';
  }

  private failed(op: 'get' | 'set', err?: unknown): undefined {
    this.options.onError?.(op);
    if (err instanceof Error && /timed out/i.test(err.message)) {
      // Connected but not answering: skip it for a while rather than make every call wait.
      this.bypassUntil = performance.now() + BYPASS_AFTER_TIMEOUT_MS;
      this.down(err);
    }
    return undefined;
  }

  /** A command succeeded: Redis is usable (again, after timeouts). */
  private answered(): void {
    if (this.healthy === false) this.up();
  }

  private up(): void {
    if (this.closed) return;
    if (this.healthy === false) log.info({ pageCache: { redis: this.endpoint } }, 'the Redis page cache is reachable again; pages are shared again');
    this.healthy = true;
  }

  private down(err: unknown): void {
    if (this.closed || this.healthy === false) return;
    this.healthy = false;
    // No cache at all while Redis is away, not a few seconds of this replica's own.
    this.local?.clear();
    const problem = err instanceof Error ? err.message : 'connection closed';
    log.warn(
      { pageCache: { redis: this.endpoint, problem } },
      'the Redis page cache is unreachable; pages are read from the upstreams (not cached) until it is back',
    );
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function parsePage(text: string): CachedPage | undefined {
  try {
    const value = JSON.parse(text) as Partial<CachedPage> | null;
    if (
      value &&
      typeof value === 'object' &&
      typeof value.status === 'number' &&
      typeof value.text === 'string' &&
      value.headers &&
      typeof value.headers === 'object' &&
      !Array.isArray(value.headers)
    )
      return { status: value.status, headers: value.headers, text: value.text };
  } catch {
    // Below.
  }
  return undefined;
}
