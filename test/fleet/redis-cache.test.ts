/**
 * The page cache in a real Redis, shared by gateway replicas: what one replica read, another
 * serves without an upstream call; keys are digests and expire; while Redis is away (killed or
 * silent) queries are answered from the upstreams, with one warning, and caching resumes when it
 * is back; the Redis password is in no log line, error or response.
 *
 * Calls are compared with those of the stack's own gateway, which has no cache: `cold` (a fresh
 * gateway's first query) and `warm` (its next ones). A fresh gateway also reads, once, each
 * obshell agent's public key (`obshell.secret`): process state, not a page, so never cached.
 */
import type { ExecutionResult } from 'graphql';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkConfig, type Config, type ConfigInput } from '../../src/config.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { tapLogs } from '../../src/lib/log.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { FIXED_CLOCK, ok, startStack, type Stack } from '../support/stack.js';

/** Reads every kind of upstream page: instance lists, backup lists and job histories of every source. */
const QUERY =
  '{ backupCoverage { summary { total ok } } backupTasks(first: 10) { totalCount nodes { ... on Node { id } } } instances(first: 50) { totalCount } }';
const TTL_SECONDS = 30;
const PASSWORD = 'redis/Pa55+word=7f3e9c';
const WRONG_PASSWORD = 'not-the/redis+pass=0b1d';
/** What a gateway reads once per obshell agent and keeps for itself: its public key (never cached) and its version. */
const ONCE = ['obshell.secret', 'obshell.info'];

interface LogLine {
  level: number;
  msg: string;
  pageCache?: { redis: string; problem?: string };
}

/** The forms a secret could leak in: as is, and URL-, base64- and JSON-encoded. */
function forms(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    JSON.stringify(secret).slice(1, -1),
  ];
}

function expectNoSecret(texts: readonly string[], secrets: readonly string[]): void {
  for (const secret of secrets)
    for (const form of forms(secret))
      for (const text of texts) if (text.includes(form)) throw new Error(`a secret (${secret.slice(0, 3)}…) appears in: ${text.slice(0, 400)}`);
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One stack (simulators, a gateway without cache) and the replicas a test starts over it. */
class Fixture {
  stack!: Stack;
  reference: unknown;
  /** The calls of the stack's gateway: its first query, its next ones. */
  cold = 0;
  warm = 0;
  readonly lines: string[] = [];
  private readonly gateways: Gateway[] = [];
  private untap: (() => void) | undefined;

  async start(): Promise<void> {
    this.stack = await startStack();
    const first = await this.calls(this.stack.gateway);
    this.reference = first.data;
    this.cold = first.calls;
    this.warm = (await this.calls(this.stack.gateway)).calls;
    expect(this.warm).toBeGreaterThan(10);
    expect(this.cold).toBe(this.warm + ONCE.length * this.clusters);
  }

  /** The obshell clusters: a fresh gateway reads each agent's key and version once. */
  get clusters(): number {
    return this.stack.sims.fleet.oceanbase.length;
  }

  /** A replica: the stack's sources, the page cache in Redis at `url`. */
  replica(url: string, config: Config | ConfigInput = this.stack.gateway.config, keyPrefix?: string): Gateway {
    // The pages are what is tested: no whole answers kept besides (the response cache, per replica).
    const gateway = createGateway(
      { ...config, cache: { ttlSeconds: TTL_SECONDS, maxMegabytes: 64, responseMilliseconds: 0, redis: { url, ...(keyPrefix ? { keyPrefix } : {}) } } },
      { clock: FIXED_CLOCK },
    );
    this.gateways.push(gateway);
    return gateway;
  }

  /** The answer of one query on `gateway` (its body kept in `bodies`), its upstream calls, and those that read pages the process does not keep itself. */
  async calls(gateway: Gateway, bodies?: string[]): Promise<{ calls: number; pages: number; data: unknown }> {
    this.stack.clearCalls();
    const res = await gateway.yoga.fetch('http://backupql.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: QUERY }),
    });
    const body = await res.text();
    bodies?.push(body, JSON.stringify([...res.headers]));
    const data = ok(JSON.parse(body) as ExecutionResult);
    const calls = this.stack.calls();
    return { calls: calls.length, pages: calls.filter((c) => !ONCE.includes(c.route ?? '')).length, data };
  }

  /** Read the process's log lines from now on (until `reset`). */
  tap(): void {
    this.lines.length = 0;
    this.untap = tapLogs((line) => this.lines.push(line));
  }

  logged(): LogLine[] {
    return this.lines.map((l) => JSON.parse(l) as LogLine).filter((l) => l.pageCache);
  }

  warnings(): LogLine[] {
    return this.logged().filter((l) => l.level === 40);
  }

  infos(): LogLine[] {
    return this.logged().filter((l) => l.level === 30);
  }

  async reset(): Promise<void> {
    await Promise.all(this.gateways.splice(0).map((g) => g.close()));
    this.untap?.();
    this.untap = undefined;
  }

  async close(): Promise<void> {
    await this.reset();
    await this.stack?.close();
  }
}

describe('the page cache in Redis', () => {
  const f = new Fixture();
  let redis: TestRedis;
  let admin: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    admin = new Redis(redis.url);
    // Redis is stopped on purpose below: this client reconnects quietly.
    admin.on('error', () => undefined);
    await f.start();
  });
  afterAll(async () => {
    admin?.disconnect();
    await f.close();
    await redis?.close();
  });
  afterEach(async () => {
    await f.reset();
    if (!redis) return;
    redis.resume();
    if (!redis.running) await redis.restart();
    await admin.flushall();
  });

  it('is shared by replicas: what one read, another serves without an upstream call', async () => {
    const a = f.replica(redis.url);
    const b = f.replica(redis.url);
    expect(await f.calls(a)).toEqual({ calls: f.cold, pages: f.warm, data: f.reference });
    expect(await admin.dbsize()).toBeGreaterThan(10);
    // Only each agent's key, which is never cached (its version too is read from Redis).
    expect(await f.calls(b)).toEqual({ calls: f.clusters, pages: 0, data: f.reference });
    // A third one, started now: the same.
    expect(await f.calls(f.replica(redis.url))).toMatchObject({ pages: 0, data: f.reference });
    // The same query without a cache (the stack's gateway) reads every page again.
    expect((await f.calls(f.stack.gateway)).calls).toBe(f.warm);
  });

  it('keys are digests under the prefix, with a TTL, and neither keys nor values hold a secret', async () => {
    await f.calls(f.replica(redis.url));
    const aksk = (await admin.keys('*')).length;
    expect(aksk).toBeGreaterThan(10);
    // Token credentials for Huawei: other keys for its pages (another credential identity), the same guarantees.
    const token = await f.calls(f.replica(redis.url, checkConfig(f.stack.sims.config({ credentials: 'token' }))));
    expect(token.data).toEqual(f.reference);
    expect(token.pages).toBeGreaterThan(10);
    expect(await admin.dbsize()).toBe(aksk + token.pages);
    // Another prefix: its own keys.
    await f.calls(f.replica(redis.url, f.stack.gateway.config, 'tenant-b:'));

    const keys = await admin.keys('*');
    expect(keys.filter((k) => k.startsWith('tenant-b:')).length).toBe(aksk);
    expect(keys.length).toBe(2 * aksk + token.pages);
    const values: string[] = [];
    for (const key of keys) {
      expect(key).toMatch(/^(backupql|tenant-b):page:[0-9a-f]{64}$/);
      const ttl = await admin.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(TTL_SECONDS * 1000);
      const value = (await admin.get(key))!;
      const page = JSON.parse(value) as { status: number; headers: object; text: string };
      expect(Object.keys(page)).toEqual(['status', 'headers', 'text']);
      expect(page.status).toBeGreaterThanOrEqual(200);
      expect(page.status).toBeLessThan(300);
      values.push(value);
    }
    const fleet = f.stack.sims.fleet;
    const secrets = [...fleet.oceanbase.map((c) => c.password), fleet.huawei.accessKey, fleet.huawei.secretKey, fleet.huawei.token];
    expect(secrets.every((s) => s.length >= 8)).toBe(true);
    expectNoSecret([...keys, ...values], secrets);
  });

  it('while Redis is down, queries are answered from the upstreams with one warning; when it is back, caching resumes', async () => {
    f.tap();
    const a = f.replica(redis.url);
    await f.calls(a);
    expect((await f.calls(a)).calls).toBe(0);

    await redis.stop();
    await until('the warning', () => f.warnings().length > 0);
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      // Nothing cached, not even in the replica: every page read again.
      expect(await f.calls(a)).toEqual({ calls: f.warm, pages: f.warm, data: f.reference });
      expect(performance.now() - started).toBeLessThan(5_000);
    }
    expect(f.warnings()).toHaveLength(1);
    // A replica started while Redis is away: the same (with its own one warning).
    const late = f.replica(redis.url);
    expect((await f.calls(late)).calls).toBe(f.cold);
    expect((await f.calls(late)).calls).toBe(f.warm);
    expect(f.warnings()).toHaveLength(2);
    expect(f.warnings()[0]!.pageCache!.redis).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(f.infos()).toHaveLength(0);

    await redis.restart();
    await until('both replicas back', () => f.infos().length === 2);
    expect((await f.calls(a)).calls).toBe(f.warm);
    // In Redis again: another replica reads nothing upstream.
    expect((await f.calls(late)).calls).toBe(0);
    expect(f.warnings()).toHaveLength(2);
    expect(f.infos()).toHaveLength(2);
  });

  it('a Redis that accepts connections but does not answer costs a short timeout, not a hang', async () => {
    f.tap();
    // A replica connected (its ready check, INFO, answered), with nothing in its local layer.
    const a = f.replica(redis.url);
    await until('the replica connected', async () => ((await admin.client('LIST')) as string).includes(' cmd=info '));
    redis.pause();
    try {
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        const calls = i === 0 ? f.cold : f.warm;
        expect(await f.calls(a)).toEqual({ calls, pages: f.warm, data: f.reference });
        expect(performance.now() - started).toBeLessThan(3_000);
      }
      expect(f.warnings()).toHaveLength(1);
      expect(f.warnings()[0]!.pageCache!.problem).toMatch(/timed out/i);
    } finally {
      redis.resume();
    }
    // Answering again: after a short pause (1 s) the look-ups use it again. (A few stores sent
    // while it was silent, given up on by the replica, were carried out when it woke: fewer calls.)
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await f.calls(a)).calls).toBeLessThanOrEqual(f.warm);
    expect(f.infos()).toHaveLength(1);
    expect((await f.calls(a)).calls).toBe(0);
    expect(await f.calls(f.replica(redis.url))).toMatchObject({ pages: 0, data: f.reference });
    expect(f.warnings()).toHaveLength(1);
  });
});

describe('a Redis with a password', () => {
  const f = new Fixture();
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis({ password: PASSWORD });
    await f.start();
  });
  afterAll(async () => {
    await f.close();
    await redis?.close();
  });

  it('is never in a log line, an error or a response', async () => {
    expect(redis.url).toContain(encodeURIComponent(PASSWORD));
    f.tap();
    const texts: string[] = [];
    // The right password: shared.
    expect(await f.calls(f.replica(redis.url), texts)).toMatchObject({ calls: f.cold, data: f.reference });
    expect(await f.calls(f.replica(redis.url), texts)).toMatchObject({ pages: 0, data: f.reference });
    // A wrong one: refused, nothing cached, warned about; that password is not shown either.
    const wrong = f.replica(redis.url.replace(encodeURIComponent(PASSWORD), encodeURIComponent(WRONG_PASSWORD)));
    expect(await f.calls(wrong, texts)).toMatchObject({ calls: f.cold, data: f.reference });
    expect(await f.calls(wrong, texts)).toMatchObject({ calls: f.warm, data: f.reference });
    await until('the refusal', () => f.warnings().length === 1);
    // Killed: each replica that was connected warns too.
    await redis.stop();
    await until('the warnings', () => f.warnings().length === 3);
    expect(await f.calls(f.replica(redis.url), texts)).toMatchObject({ calls: f.cold, data: f.reference });
    // A configuration error about the URL names the field, not the value.
    try {
      checkConfig({ ...f.stack.gateway.config, cache: { ttlSeconds: 30, redis: { url: `http://:${PASSWORD}@127.0.0.1:1` } } });
      expect.unreachable('an http URL is refused');
    } catch (err) {
      texts.push(String(err), JSON.stringify(err));
      expect(String(err)).toContain('cache.redis.url');
    }
    await f.reset();

    const lines = f.lines;
    expect(lines.length).toBeGreaterThan(0);
    const warnings = f.warnings();
    expect(warnings).toHaveLength(4);
    expect(warnings.some((l) => /WRONGPASS|invalid password|NOAUTH/i.test(l.pageCache!.problem ?? ''))).toBe(true);
    expect(warnings.every((l) => l.pageCache!.redis === `redis://127.0.0.1:${redis.port}`)).toBe(true);
    expectNoSecret([...lines, ...texts], [PASSWORD, WRONG_PASSWORD]);
    for (const text of [...lines, ...texts]) expect(text).not.toMatch(/rediss?:\/\/[^/\s"]*@/);
  });
});
