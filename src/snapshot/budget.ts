/**
 * A source's refresh budget: upstream calls a minute the snapshot may spend on it (background
 * refreshes and `fresh: true` reads together), as a token bucket of a minute's worth. With Redis
 * the bucket is in Redis, one per source for every replica. It paces the wire (the monotonic clock,
 * Redis' own `TIME`), nothing to do with the calendar.
 */
import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';

export interface RefreshBudgetSettings {
  callsPerMinute: number;
  /** Calls that may be spent at once (a full bucket); default a minute's worth. */
  burst: number;
}

export interface RefreshBucket {
  /** Takes `calls` if the bucket holds them; false (nothing taken) when it does not. */
  tryTake(calls: number): Promise<boolean>;
  /** Charges calls already made (may leave the bucket owing). */
  charge(calls: number): Promise<void>;
  /** What the bucket holds now (may be below zero). */
  available(): Promise<number>;
}

export class MemoryBucket implements RefreshBucket {
  private tokens: number;
  private last = performance.now();

  constructor(private readonly settings: RefreshBudgetSettings) {
    this.tokens = settings.burst;
  }

  private refill(): void {
    const now = performance.now();
    this.tokens = Math.min(this.settings.burst, this.tokens + ((now - this.last) / 60_000) * this.settings.callsPerMinute);
    this.last = now;
  }

  async tryTake(calls: number): Promise<boolean> {
    this.refill();
    if (this.tokens < calls) return false;
    this.tokens -= calls;
    return true;
  }

  async charge(calls: number): Promise<void> {
    this.refill();
    this.tokens -= calls;
  }

  async available(): Promise<number> {
    this.refill();
    return this.tokens;
  }
}

/** ARGV: calls a minute, burst, calls, mode (`try`, `charge` or `peek`). Returns {taken (1/0), tokens}. */
const BUCKET = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local perMinute, burst, calls, mode = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local held = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(held[1]) or burst
local at = tonumber(held[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) / 60000 * perMinute)
local taken = 0
if mode == 'try' then
  if tokens >= calls then tokens = tokens - calls; taken = 1 end
elseif mode == 'charge' then
  tokens = tokens - calls; taken = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 3600000)
return {taken, tostring(tokens)}`;

export class RedisBucket implements RefreshBucket {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly settings: RefreshBudgetSettings,
  ) {}

  private async run(calls: number, mode: 'try' | 'charge' | 'peek'): Promise<[number, number]> {
    const [taken, tokens] = (await this.redis.eval(BUCKET, 1, this.key, this.settings.callsPerMinute, this.settings.burst, calls, mode)) as [number, string];
    return [Number(taken), Number(tokens)];
  }

  async tryTake(calls: number): Promise<boolean> {
    return (await this.run(calls, 'try'))[0] === 1;
  }

  async charge(calls: number): Promise<void> {
    await this.run(calls, 'charge');
  }

  async available(): Promise<number> {
    return (await this.run(0, 'peek'))[1];
  }
}
