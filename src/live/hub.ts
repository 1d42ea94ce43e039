/**
 * The subscriptions' hub: one poller per source, whatever the number of subscribers, and the
 * events it finds delivered to each subscriber through a pub/sub (graphql-yoga's `createPubSub`;
 * in process memory, or Redis through `@graphql-yoga/redis-event-target` when `cache.redis` is set,
 * so every replica's subscribers hear every event once).
 *
 * - A source is polled only while someone subscribes to it (on this replica); fast while one of
 *   its backups runs or an action was just taken on it, slow otherwise.
 * - With Redis, only one replica polls a source: the one holding its lease
 *   (`<prefix>live:lease:<source>`, `SET NX PX`, renewed while it polls, given back when its last
 *   subscriber leaves). What the last poll saw is kept in Redis too, so a new leader goes on where
 *   the old one stopped instead of announcing everything again.
 * - A poll is one coverage read of the source past the page cache (what it reads refreshes the
 *   cache for everyone), through the same provider sessions and loaders as a query.
 * - A subscriber that reads slowly holds at most `buffer` events: one per backup or target (a newer
 *   state replaces the one it holds), the oldest dropped past that.
 *
 * Knows no provider: everything goes through the fleet core.
 */
import { randomBytes } from 'node:crypto';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { CodedError } from '../core/errors.js';
import { RedisLease } from '../core/lease.js';
import { inProgress, type BackupCommon } from '../core/models.js';
import { coverageItems, type CoverageItem } from '../fleet/coverage.js';
import type { Fleet, Operation } from '../fleet/fleet.js';
import { log } from '../lib/log.js';
import { modelFromJson, modelToJson } from '../lib/model-json.js';
import { registerSecrets } from '../lib/secrets.js';

export type Topic = 'backupProgress' | 'coverageChanged';
/** What crosses the pub/sub besides the topics: an action was taken on a source (the leader looks again at once). */
type Signal = Topic | 'nudge';

/** What a `backupProgress` event carries: the backup, and the target it belongs to. */
export interface ProgressEvent {
  backup: BackupCommon;
  targetId: string;
}

/** What crosses the pub/sub: small, JSON, the payload already serialized (Dates kept). */
interface LiveEvent {
  topic: Signal;
  source: string;
  /** The backup's or the target's ID: a slow subscriber keeps only the newest event per key. */
  key: string;
  json: string;
}

export interface LiveSettings {
  fastMs: number;
  slowMs: number;
  maxSubscriptionsPerClient: number;
  bufferPerSubscriber: number;
  leaseMs: number;
}

export interface LiveObserver {
  poll(source: string, outcome: 'success' | 'partial' | 'error'): void;
  event(topic: Topic): void;
  dropped(topic: Topic): void;
  subscriptions(topic: Topic, delta: number): void;
}

export interface LiveRedis {
  url: string;
  keyPrefix: string;
}

type Events = { live: [LiveEvent] };

export class LiveHub {
  readonly replicaId = randomBytes(6).toString('hex');
  private readonly pubsub: PubSub<Events>;
  private readonly pollers = new Map<string, SourcePoller>();
  private readonly perClient = new Map<string, number>();
  /** This replica's subscribers: one pub/sub listener feeds them all, each event parsed once. */
  private readonly locals = new Set<LocalSubscriber>();
  private listener: { iterator: AsyncIterator<LiveEvent>; done: Promise<void> } | undefined;
  /** The operation each event is resolved in, shared by the subscribers who see the same sources (one set of loaders an event). */
  private readonly eventOps = new WeakMap<object, Map<string, Operation>>();
  private readonly redis: { command: Redis; publish: Redis; subscribe: Redis; prefix: string } | null;
  private closed = false;

  constructor(
    readonly fleet: Fleet,
    readonly settings: LiveSettings,
    redis: LiveRedis | null,
    private readonly observer?: LiveObserver,
  ) {
    if (redis) {
      const url = new URL(redis.url);
      registerSecrets(url.password, decodeURIComponent(url.password));
      const connect = () => new Redis(redis.url, { maxRetriesPerRequest: 2, retryStrategy: (times) => Math.min(2_000, 50 * 2 ** Math.min(times, 6)) });
      const clients = { command: connect(), publish: connect(), subscribe: connect(), prefix: redis.keyPrefix };
      for (const [role, client] of Object.entries(clients)) {
        if (typeof client === 'string') continue;
        client.on('error', (err: Error) => log.warn({ role, err: err.message }, 'live: Redis unreachable; events wait for it'));
      }
      this.redis = clients;
      this.pubsub = createPubSub<Events>({ eventTarget: createRedisEventTarget({ publishClient: clients.publish, subscribeClient: clients.subscribe }) });
    } else {
      this.redis = null;
      this.pubsub = createPubSub<Events>();
    }
  }

  /** The channel every replica's events go through. */
  private get channel(): 'live' {
    return 'live';
  }

  /**
   * One subscriber's events of a topic from these sources, `accept`ed by its filter. Refused with
   * `RATE_LIMITED` past the per-client cap. Its pollers run until the iterator is returned.
   */
  subscribe<T>(topic: Topic, sources: readonly string[], clientKey: string, accept: (payload: T) => boolean): AsyncIterableIterator<T> {
    if (this.closed) throw new CodedError('UNAVAILABLE', 'The gateway is shutting down.');
    const held = this.perClient.get(clientKey) ?? 0;
    const max = this.settings.maxSubscriptionsPerClient;
    if (held >= max) {
      throw new CodedError('RATE_LIMITED', `This client holds ${held} subscriptions already, the most allowed (live.maxSubscriptionsPerClient).`, {
        limit: max,
      });
    }
    this.perClient.set(clientKey, held + 1);
    this.observer?.subscriptions(topic, 1);
    const wanted = new Set(sources);
    const queue = new CoalescingQueue<T>(this.settings.bufferPerSubscriber, () => this.observer?.dropped(topic));
    const local: LocalSubscriber = { topic, sources: wanted, accept: accept as (payload: unknown) => boolean, queue: queue as CoalescingQueue<unknown> };
    this.locals.add(local);
    this.listen();
    const pollers = sources.map((source) => this.poller(source));
    for (const poller of pollers) poller.retain();
    // A new subscriber of backupProgress hears what runs now first (as the last poll saw it), then the changes.
    if (topic === 'backupProgress') {
      void Promise.all(pollers.map((p) => p.runningNow().catch(() => null))).then((lists) => {
        for (const entry of lists.flatMap((l) => l ?? [])) {
          const payload = modelFromJson<T>(entry.json);
          if (accept(payload)) queue.push(entry.key, payload, false);
        }
      });
    }

    let done = false;
    const finish = async () => {
      if (done) return;
      done = true;
      for (const poller of pollers) poller.release();
      const left = (this.perClient.get(clientKey) ?? 1) - 1;
      if (left > 0) this.perClient.set(clientKey, left);
      else this.perClient.delete(clientKey);
      this.observer?.subscriptions(topic, -1);
      this.locals.delete(local);
      queue.end();
      if (this.locals.size === 0) await this.unlisten();
    };
    const iterator: AsyncIterableIterator<T> = {
      next: async () => {
        const value = await queue.next();
        return value === END ? { done: true, value: undefined } : { done: false, value };
      },
      return: async () => {
        await finish();
        return { done: true, value: undefined };
      },
      throw: async (error?: unknown) => {
        await finish();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  /** Starts the one listener of this replica (first subscriber). */
  private listen(): void {
    if (this.listener) return;
    const iterator = this.pubsub.subscribe(this.channel)[Symbol.asyncIterator]();
    const done = (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        this.dispatch(next.value);
      }
    })().catch((error: unknown) => log.warn({ err: error instanceof Error ? error.message : String(error) }, 'live: the event listener stopped'));
    this.listener = { iterator, done };
  }

  private async unlisten(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    if (!listener) return;
    await listener.iterator.return?.();
    await listener.done;
  }

  private dispatch(event: LiveEvent): void {
    if (event.topic === 'nudge') {
      this.pollers.get(event.source)?.nudge();
      return;
    }
    let payload: unknown;
    for (const local of this.locals) {
      if (local.topic !== event.topic || !local.sources.has(event.source)) continue;
      payload ??= modelFromJson<unknown>(event.json);
      if (local.accept(payload)) local.queue.push(event.key, payload);
    }
  }

  /**
   * The operation an event's fields are resolved in: one per event and set of visible sources, so
   * what its fields read (a backup's instance) is read once for all who receive it.
   */
  operationFor(event: object, visible: readonly string[] | null, requestId: string): Operation {
    let ops = this.eventOps.get(event);
    if (!ops) this.eventOps.set(event, (ops = new Map<string, Operation>()));
    const key = visible ? [...visible].sort().join('\u0000') : '*';
    let op = ops.get(key);
    if (!op) ops.set(key, (op = this.fleet.operation(undefined, visible, requestId)));
    return op;
  }

  /** An action was taken on a source: its poller looks again now, and fast for a while (with Redis, whichever replica polls it). */
  nudge(source: string): void {
    this.pollers.get(source)?.nudge();
    if (this.redis) this.pubsub.publish(this.channel, { topic: 'nudge', source, key: '', json: '' });
  }

  /** How many sources are being polled for this replica's subscribers (tests: none once they all left). */
  activePollers(): number {
    return [...this.pollers.values()].filter((p) => p.active).length;
  }

  /** Resolves once no poll of any source is under way (tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.pollers.values()].map((p) => p.settled()));
  }

  /** How many polls each source has had (tests, metrics). */
  pollCount(source: string): number {
    return this.pollers.get(source)?.polls ?? 0;
  }

  private poller(source: string): SourcePoller {
    let poller = this.pollers.get(source);
    if (!poller) {
      poller = new SourcePoller(this, source, this.redis, (event) => this.publish(event), this.observer);
      this.pollers.set(source, poller);
    }
    return poller;
  }

  private publish(event: LiveEvent & { topic: Topic }): void {
    this.observer?.event(event.topic);
    this.pubsub.publish(this.channel, event);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.pollers.values()].map((p) => p.stop()));
    for (const local of this.locals) local.queue.end();
    await this.unlisten();
    if (this.redis) await Promise.all([this.redis.command.quit(), this.redis.publish.quit(), this.redis.subscribe.quit()].map((p) => p.catch(() => undefined)));
  }
}

interface LocalSubscriber {
  topic: Topic;
  sources: ReadonlySet<string>;
  accept: (payload: unknown) => boolean;
  queue: CoalescingQueue<unknown>;
}

/** Compares `modelToJson` of each backup or target with the last poll's. */
type Baseline = Map<string, string>;

class SourcePoller {
  polls = 0;
  private refs = 0;
  private timer: NodeJS.Timeout | undefined;
  private leader = false;
  private lastPoll = -Infinity;
  private fastUntil = 0;
  private running = false;
  private baseline: Baseline | null = null;
  private current: Promise<void> | undefined;

  constructor(
    private readonly hub: LiveHub,
    private readonly source: string,
    private readonly redis: { command: Redis; prefix: string } | null,
    private readonly emit: (event: LiveEvent & { topic: Topic }) => void,
    private readonly observer?: LiveObserver,
  ) {}

  private get settings(): LiveSettings {
    return this.hub.settings;
  }

  get active(): boolean {
    return this.refs > 0;
  }

  retain(): void {
    if (++this.refs === 1) this.schedule(0);
  }

  release(): void {
    if (--this.refs > 0) return;
    void this.stop();
  }

  nudge(): void {
    if (this.refs === 0) return;
    this.fastUntil = performance.now() + 10 * this.settings.fastMs;
    this.lastPoll = -Infinity;
    this.schedule(0);
  }

  settled(): Promise<void> {
    return this.current ?? Promise.resolve();
  }

  /** The running backups the last poll saw (this replica's, else the leader's in Redis); null before any poll. */
  async runningNow(): Promise<{ key: string; json: string }[] | null> {
    const seen = this.baseline ?? (this.redis ? await this.loadBaseline() : null);
    if (!seen || seen.size === 0) return seen ? [] : null;
    return [...seen].filter(([key]) => key.startsWith('b:')).map(([key, json]) => ({ key: key.slice(2), json }));
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.current?.catch(() => undefined);
    if (this.leader) await this.lease?.release();
    this.leader = false;
    // A later leader (or this one again) reads what was last seen from Redis; without Redis it is kept here.
    if (this.redis) this.baseline = null;
  }

  private lazyLease: RedisLease | undefined;

  private get lease(): RedisLease | undefined {
    if (!this.redis) return undefined;
    return (this.lazyLease ??= new RedisLease(this.redis.command, `${this.redis.prefix}live:lease:${this.source}`, this.hub.replicaId, this.settings.leaseMs));
  }

  private get stateKey(): string {
    return `${this.redis!.prefix}live:seen:${this.source}`;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    if (this.refs === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.current) return; // a tick runs: it schedules the next one when done
      this.current = this.tick().finally(() => {
        this.current = undefined;
        // Nudged while it polled: look again at once.
        this.schedule(this.lastPoll === -Infinity ? 0 : this.nextDelay());
      });
    }, delayMs);
    this.timer.unref();
  }

  /** Without Redis: the interval. With Redis: often enough to renew the lease, polling when due. */
  private nextDelay(): number {
    const interval = this.interval();
    return this.redis ? Math.min(interval, this.settings.leaseMs / 3) : interval;
  }

  private interval(): number {
    return this.running || performance.now() < this.fastUntil ? this.settings.fastMs : this.settings.slowMs;
  }

  private async tick(): Promise<void> {
    if (this.refs === 0) return;
    this.leader = this.redis ? await this.claim() : true;
    if (!this.leader) return;
    if (performance.now() - this.lastPoll < this.interval()) return;
    this.lastPoll = performance.now();
    await this.poll();
  }

  /** Takes the lease, or renews it when this replica holds it. */
  private async claim(): Promise<boolean> {
    const got = await this.lease!.claim();
    if (got === 'taken') this.baseline = null; // newly leader: what the last leader saw is read from Redis
    return got !== false;
  }

  private async poll(): Promise<void> {
    this.polls++;
    const op = this.hub.fleet.operation(undefined, null, undefined, true);
    let failed = 0;
    let items: CoverageItem[];
    try {
      items = await coverageItems(op, { sources: [this.source] }, null, () => failed++);
    } catch (error) {
      this.observer?.poll(this.source, 'error');
      log.warn({ source: this.source, err: error instanceof Error ? error.message : String(error) }, 'live: a poll failed');
      return;
    }
    this.observer?.poll(this.source, failed > 0 ? 'partial' : 'success');
    const seen = this.baseline ?? (await this.loadBaseline());
    const next: Baseline = new Map();
    let running = false;
    for (const item of items) {
      // The coverage of a target: announced when its state or reasons change (a first sight is only recorded).
      const coverageKey = `c:${item.targetId}`;
      const coverageDigest = `${item.state}:${item.reasons.join(',')}`;
      next.set(coverageKey, coverageDigest);
      const before = seen.get(coverageKey);
      if (before !== undefined && before !== coverageDigest)
        this.emit({ topic: 'coverageChanged', source: this.source, key: item.targetId, json: modelToJson(item) });

      // A backup: announced while it runs, each time it changes, and once more when it ends.
      const backup = item.lastBackup;
      if (!backup) continue;
      const backupKey = `b:${backup.id}`;
      // What was last seen of a running backup is its whole event: a new subscriber is told it first.
      const event: ProgressEvent = { backup, targetId: item.targetId };
      const digest = modelToJson(event);
      const was = seen.get(backupKey);
      const runs = inProgress(backup.status);
      running ||= runs;
      if (runs) next.set(backupKey, digest);
      if ((runs || was !== undefined) && was !== digest) this.emit({ topic: 'backupProgress', source: this.source, key: backup.id, json: digest });
    }
    // Targets the poll could not assess keep what was known of them.
    if (failed > 0) for (const [key, value] of seen) if (!next.has(key) && key.startsWith('c:')) next.set(key, value);
    this.running = running;
    this.baseline = next;
    await this.saveBaseline(next);
  }

  private async loadBaseline(): Promise<Baseline> {
    if (!this.redis) return new Map();
    try {
      return new Map(Object.entries(await this.redis.command.hgetall(this.stateKey)));
    } catch {
      return new Map();
    }
  }

  private async saveBaseline(baseline: Baseline): Promise<void> {
    if (!this.redis) return;
    const redis = this.redis.command;
    try {
      const tx = redis.multi().del(this.stateKey);
      if (baseline.size > 0) tx.hset(this.stateKey, Object.fromEntries(baseline)).pexpire(this.stateKey, 86_400_000);
      await tx.exec();
    } catch {
      // The next leader announces a little again; nothing is lost.
    }
  }
}

const END: unique symbol = Symbol('end');

/**
 * A subscriber's events: at most `max`, one per key (a newer event replaces the one held for its
 * key, and goes to the back), the oldest dropped past `max`.
 */
class CoalescingQueue<T> {
  private readonly items = new Map<string, T>();
  private waiting: ((value: T | typeof END) => void) | undefined;
  private ended = false;

  constructor(
    private readonly max: number,
    private readonly onDrop: () => void,
  ) {}

  /** `replace`: false for a snapshot, which never overwrites an event already held for its key. */
  push(key: string, value: T, replace = true): void {
    if (this.ended) return;
    if (!replace && this.items.has(key)) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve(value);
      return;
    }
    this.items.delete(key);
    this.items.set(key, value);
    if (this.items.size > this.max) {
      this.items.delete(this.items.keys().next().value!);
      this.onDrop();
    }
  }

  next(): Promise<T | typeof END> {
    const first = this.items.entries().next();
    if (!first.done) {
      this.items.delete(first.value[0]);
      return Promise.resolve(first.value[1]);
    }
    if (this.ended) return Promise.resolve(END);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  end(): void {
    this.ended = true;
    this.items.clear();
    this.waiting?.(END);
    this.waiting = undefined;
  }
}
