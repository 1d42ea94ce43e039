/**
 * A lease in Redis: which replica does a piece of background work (`SET key replica NX PX`,
 * renewed only by its holder, given back on a clean stop; a replica that dies simply lets it
 * expire). Used by the live pollers and the snapshot's refreshers, one lease per source.
 */
import type { Redis } from 'ioredis';

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export class RedisLease {
  private held = false;

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly holder: string,
    private readonly ms: number,
  ) {}

  /** Renews the lease when this replica holds it, else tries to take it: `taken` when newly held, `renewed`, or false. */
  async claim(): Promise<'taken' | 'renewed' | false> {
    const ms = Math.ceil(this.ms);
    try {
      if (this.held && (await this.redis.eval(RENEW, 1, this.key, this.holder, ms)) === 1) return 'renewed';
      this.held = (await this.redis.set(this.key, this.holder, 'PX', ms, 'NX')) === 'OK';
      return this.held ? 'taken' : false;
    } catch {
      this.held = false;
      return false;
    }
  }

  async hold(): Promise<boolean> {
    return (await this.claim()) !== false;
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    await this.redis.eval(RELEASE, 1, this.key, this.holder).catch(() => undefined);
  }
}

/** Without Redis: this replica always holds it. */
export const SOLE_LEASE = { hold: async () => true, release: async () => undefined };
