/**
 * Subscriptions over Server-Sent Events, fed by the live pollers over the simulators (real HTTP,
 * real auth), with the stack's clock moved by hand: a started backup is seen moving and ending;
 * a target's coverage change is announced; one poll per source whatever the subscribers (call
 * log); no poll while nobody subscribes; a slow subscriber's buffer is bounded; a cap per client;
 * two replicas on one real Redis: one polls, every subscriber of each hears every event once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { exampleTabs } from '../../src/graphql/examples.js';
import { ManualClock } from '../../src/lib/clock.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { canBackUp, coverageTargets } from '../support/targets.js';
import { subscribe, type SseSubscription } from '../support/sse.js';
import { FIXED_NOW, ok, startStack, type Stack } from '../support/stack.js';

const BACKUP_MS = 60_000;
let stack: Stack | undefined;
let redis: TestRedis | undefined;
const extra: Gateway[] = [];
const open: SseSubscription<unknown>[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) s.close();
  for (const g of extra.splice(0)) await g.close();
  await stack?.close();
  stack = undefined;
  await redis?.close();
  redis = undefined;
});

const live =
  (settings: Record<string, unknown>, more: (c: ConfigInput) => ConfigInput = (c) => c) =>
  (config: ConfigInput): ConfigInput =>
    more({ ...config, actions: { enabled: true }, live: { fastIntervalSeconds: 0.05, slowIntervalSeconds: 3600, ...settings } });

async function start(settings: Record<string, unknown> = {}, more?: (c: ConfigInput) => ConfigInput) {
  const clock = new ManualClock(FIXED_NOW);
  stack = await startStack({ clock, backupDurationMs: BACKUP_MS, configure: live(settings, more) });
  return { stack, clock, huawei: stack.sims.fleet.huawei.projects[0]!.name };
}

const PROGRESS = `subscription($filter: BackupTaskFilter) {
  backupProgress(filter: $filter) { __typename ... on Backup { id status providerStatus } ... on DcsBackup { progress instance { ... on DcsInstance { id } } } }
}`;
type ProgressData = {
  backupProgress: { __typename: string; id: string; status: string; providerStatus: string; progress?: number | null; instance?: { id: string } };
};

const START = `mutation($t: ID!) { startBackup(input: { target: $t }) { backup { ... on Backup { id status } } } }`;

const inProcess = (s: Stack) => (url: string, init: RequestInit) => s.gateway.yoga.fetch(url, init);
const URL_ = 'http://backupql.test/graphql';

async function sub<T>(s: Stack, query: string, variables: Record<string, unknown> = {}): Promise<SseSubscription<T>> {
  const subscription = await subscribe<T>(inProcess(s), URL_, query, variables);
  open.push(subscription);
  return subscription;
}

async function eventually(test: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  for (const started = Date.now(); !test();) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A DCS instance that can be backed up now (one not OK first: its coverage then changes), and its coverage state. */
async function idleDcs(s: Stack): Promise<{ id: string; state: string }> {
  const idle = (await coverageTargets((q) => s.query(q))).filter((t) => t.typename === 'DcsInstance' && canBackUp(t));
  const chosen = idle.find((t) => t.state !== 'OK') ?? idle[0]!;
  return { id: chosen.id, state: chosen.state };
}

describe('backupProgress and coverageChanged over SSE', () => {
  it('a started backup is seen each time it changes and once more when it ends; its target coverage change is announced; no poll once everyone left', async () => {
    const { stack: s, clock, huawei } = await start();
    const target = await idleDcs(s);
    // Over a real HTTP connection: the client going away is what ends a subscription.
    const endpoint = await s.gateway.listen(0, '127.0.0.1');
    const progress = await subscribe<ProgressData>(fetch, endpoint, PROGRESS, { filter: { sources: [huawei], providers: ['DCS'] } });
    // GraphiQL's WatchBackups tab, as it runs it: the whole fleet.
    const watch = await subscribe<ProgressData>(
      fetch,
      endpoint,
      exampleTabs({ now: FIXED_NOW }).find((t) => t.query!.includes('subscription WatchBackups'))!.query!,
    );
    open.push(watch);
    const coverage = await subscribe<{ coverageChanged: { state: string; target: { id: string } } }>(
      fetch,
      endpoint,
      'subscription($f: CoverageFilter) { coverageChanged(filter: $f) { state target { ... on DcsInstance { id } } } }',
      { f: { sources: [huawei] } },
    );
    open.push(progress, coverage);
    await eventually(() => s.gateway.live.pollCount(huawei) >= 1, 'the first poll');
    await s.gateway.live.settled();

    const started = ok(await s.query<{ startBackup: { backup: { id: string } } }>(START, { t: target.id })).startBackup.backup;
    const first = await progress.waitFor((e) => e.data?.backupProgress.id === started.id);
    expect(['PENDING', 'RUNNING']).toContain(first.data?.backupProgress.status);
    expect(first.data?.backupProgress.instance?.id).toBe(target.id);

    await watch.waitFor((e) => e.data?.backupProgress.id === started.id);
    watch.close();
    // A subscriber that comes later hears what runs now first, as the last poll saw it: the clock stands
    // still here, so no poll sees the backup change and announces it again.
    const late = await subscribe<ProgressData>(fetch, endpoint, PROGRESS, { filter: { sources: [huawei] } });
    const told = await late.waitFor((e) => e.data?.backupProgress.id === started.id);
    expect(['PENDING', 'RUNNING']).toContain(told.data?.backupProgress.status);
    late.close();
    clock.advance(BACKUP_MS / 2);
    await progress.waitFor(
      (e) => e.data?.backupProgress.id === started.id && e.data.backupProgress.status === 'RUNNING' && (e.data.backupProgress.progress ?? 0) > 10,
    );
    clock.advance(BACKUP_MS);
    await progress.waitFor((e) => e.data?.backupProgress.id === started.id && e.data.backupProgress.status === 'SUCCEEDED');
    if (target.state !== 'OK') {
      const changed = await coverage.waitFor((e) => e.data?.coverageChanged.target.id === target.id);
      expect(changed.data?.coverageChanged.state).toBe('OK');
    }

    // The end is announced once: later polls say nothing more of it.
    const polls = s.gateway.live.pollCount(huawei);
    await eventually(() => s.gateway.live.pollCount(huawei) >= polls + 2, 'two more polls');
    const ofIt = progress.events.filter((e) => e.data?.backupProgress.id === started.id);
    expect(ofIt.filter((e) => e.data?.backupProgress.status === 'SUCCEEDED')).toHaveLength(1);
    const statuses = ofIt.map((e) => JSON.stringify(e.data));
    expect(new Set(statuses).size).toBe(statuses.length); // each event is a change

    progress.close();
    coverage.close();
    await eventually(() => s.gateway.live.activePollers() === 0, 'the pollers stop');
    await s.gateway.live.settled(); // a poll under way when the last one left ends
    const after = s.gateway.live.pollCount(huawei);
    s.clearCalls();
    clock.advance(BACKUP_MS);
    await new Promise((r) => setTimeout(r, 200));
    expect(s.gateway.live.pollCount(huawei)).toBe(after);
    expect(s.calls()).toEqual([]);
  });

  it('50 subscribers, one poll: a poll costs the calls of one coverage read of the source, whatever the number of subscribers', async () => {
    const { stack: s, huawei } = await start({ maxSubscriptionsPerClient: 100 });
    const target = await idleDcs(s);
    // What one coverage read of the source costs (the cache is off in tests).
    s.clearCalls();
    ok(await s.query(`{ backupCoverage(first: 100, filter: { sources: ["${huawei}"] }) { totalCount } }`));
    const onePoll = s.calls().length;

    // Each subscriber selects the backup's instance too: read once an event, for all 50 (one operation an event).
    const subscribers = await Promise.all(Array.from({ length: 50 }, () => sub<ProgressData>(s, PROGRESS, { filter: { sources: [huawei] } })));
    await eventually(() => s.gateway.live.pollCount(huawei) >= 1, 'the first poll');
    await s.gateway.live.settled();
    const polls = s.gateway.live.pollCount(huawei);
    const before = subscribers[0]!.events.length;
    s.clearCalls();
    const started = ok(await s.query<{ startBackup: { backup: { id: string } } }>(START, { t: target.id })).startBackup.backup;
    await Promise.all(subscribers.map((x) => x.waitFor((e) => e.data?.backupProgress.id === started.id)));
    await s.gateway.live.settled();
    const pollsMade = s.gateway.live.pollCount(huawei) - polls;
    expect(pollsMade).toBeGreaterThanOrEqual(1);
    const calls = s.calls().filter((c) => c.route !== 'dcs.createBackup');
    // The events whose fields read something: a DcsBackup's instance (one look-up each, whatever the subscribers).
    const events = subscribers[0]!.events.slice(before).filter((e) => e.data?.backupProgress.__typename === 'DcsBackup').length;
    // The mutation's read-back (1 call), per poll the calls of one coverage read, per event one look-up of its instance.
    expect(calls.length).toBe(1 + pollsMade * onePoll + events);
    // The 50 heard the same events.
    const seen = subscribers.map((x) => x.events.filter((e) => e.data?.backupProgress.id === started.id).length);
    expect(new Set(seen).size).toBe(1);
  });

  it('a slow subscriber holds at most its buffer (one event per backup, the oldest dropped); a client past its cap is refused', async () => {
    const { stack: s, huawei } = await start({ bufferPerSubscriber: 1, maxSubscriptionsPerClient: 2 });
    // The hub's own iterator, never read while events come.
    const slow = s.gateway.live.subscribe<{ backup: { id: string } }>('backupProgress', [huawei], 'slow-client', () => true);
    const next = slow.next(); // one reader waiting takes the first event
    await eventually(() => s.gateway.live.pollCount(huawei) >= 1, 'the first poll');
    await s.gateway.live.settled();
    const targets = (await coverageTargets((q) => s.query(q))).filter((t) => t.typename === 'DcsInstance' && canBackUp(t)).slice(0, 3);
    expect(targets.length).toBe(3);
    const dropped = async () => {
      const metrics = await (await s.gateway.yoga.fetch('http://backupql.test/metrics')).text();
      return Number(/backupql_live_events_dropped_total\{topic="backupProgress"\} (\d+)/.exec(metrics)?.[1] ?? 0);
    };
    for (const t of targets) ok(await s.query(START, { t: t.id }));
    await next;
    let count = 0;
    await eventually(() => {
      void dropped().then((n) => (count = n));
      return count >= 1;
    }, 'a dropped event');
    // What it holds now: one event.
    const held = await Promise.race([slow.next(), new Promise((r) => setTimeout(() => r('none'), 100))]);
    expect(held).not.toBe('none');
    await slow.return!();

    // The cap: two subscriptions for this client, the third refused.
    const a = await sub(s, PROGRESS);
    const b = await sub(s, PROGRESS);
    const c = await sub<unknown>(s, PROGRESS);
    await c.until(1);
    expect(JSON.stringify(c.events[0])).toContain('RATE_LIMITED');
    a.close();
    b.close();
  });
});

describe('two replicas on one Redis', () => {
  it('one replica polls each source; every subscriber of each hears every event once', async () => {
    redis = await startRedis();
    const url = redis.url;
    const {
      stack: s,
      clock,
      huawei,
    } = await start({ slowIntervalSeconds: 0.1, leaseSeconds: 2 }, (c) => ({ ...c, cache: { ...c.cache, redis: { url, keyPrefix: 'bq-test:' } } }));
    const b = createGateway(s.gateway.config, { clock });
    extra.push(b);
    const target = await idleDcs(s);
    const onA = await Promise.all([1, 2, 3].map(() => sub<ProgressData>(s, PROGRESS, { filter: { sources: [huawei] } })));
    const onB = await Promise.all(
      [1, 2, 3].map(async () => {
        const x = await subscribe<ProgressData>((u, init) => b.yoga.fetch(u, init), URL_, PROGRESS, { filter: { sources: [huawei] } });
        open.push(x);
        return x;
      }),
    );
    await eventually(() => s.gateway.live.pollCount(huawei) + b.live.pollCount(huawei) >= 2, 'polls');
    const started = ok(await s.query<{ startBackup: { backup: { id: string } } }>(START, { t: target.id })).startBackup.backup;
    clock.advance(BACKUP_MS / 2);
    await new Promise((r) => setTimeout(r, 300));
    clock.advance(BACKUP_MS);
    const all = [...onA, ...onB];
    await Promise.all(all.map((x) => x.waitFor((e) => e.data?.backupProgress.id === started.id && e.data.backupProgress.status === 'SUCCEEDED')));
    // One replica polled; the other never did.
    const counts = [s.gateway.live.pollCount(huawei), b.live.pollCount(huawei)];
    expect(counts.filter((n) => n > 0)).toHaveLength(1);
    // Every subscriber heard the same events of it, each once.
    const sequences = all.map((x) => x.events.filter((e) => e.data?.backupProgress.id === started.id).map((e) => JSON.stringify(e.data)));
    for (const seq of sequences) {
      expect(seq).toEqual(sequences[0]);
      expect(new Set(seq).size).toBe(seq.length);
    }
    expect(sequences[0]!.length).toBeGreaterThanOrEqual(2);
  });
});

describe('graphql-ws over WebSocket', () => {
  it('the same subscription and mutation over a WebSocket on /graphql; with authentication, the key in connectionParams', async () => {
    const { createClient } = await import('graphql-ws');
    const { WebSocket } = await import('ws');
    const { createHash } = await import('node:crypto');
    const KEY = 'bq_ws_operator_0123456789';
    const {
      stack: s,
      clock,
      huawei,
    } = await start({}, (c) => ({
      ...c,
      auth: { apiKeys: [{ name: 'ws-ops', sha256: createHash('sha256').update(KEY).digest('hex'), role: 'operate' }] },
    }));
    const endpoint = (await s.gateway.listen(0, '127.0.0.1')).replace(/^http/, 'ws');
    const open = (connectionParams: Record<string, unknown>) =>
      createClient({ url: endpoint, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });

    // No credential: the connection is closed before any operation runs.
    const refused = open({});
    const closed = await new Promise<unknown>((resolve) => {
      refused.subscribe({ query: '{ viewer { name } }' }, { next: () => undefined, error: resolve, complete: () => resolve('complete') });
    });
    // graphql-ws hands the CloseEvent to `error`.
    expect((closed as { code?: number }).code).toBe(4403);
    await refused.dispose();

    const client = open({ authorization: `Bearer ${KEY}` });
    try {
      const run = <T>(query: string, variables: Record<string, unknown> = {}) =>
        new Promise<T>((resolve, reject) => {
          let result: T | undefined;
          client.subscribe<T>({ query, variables }, { next: (r) => (result = r.data as T), error: reject, complete: () => resolve(result!) });
        });
      expect(await run<{ viewer: { name: string; canOperate: boolean } }>('{ viewer { name canOperate } }')).toEqual({
        viewer: { name: 'ws-ops', canOperate: true },
      });
      const target = (await coverageTargets((q) => run(q))).find((t) => t.typename === 'DcsInstance' && canBackUp(t))!;
      const events: { id: string; status: string }[] = [];
      let resolveDone!: () => void;
      const done = new Promise<void>((r) => (resolveDone = r));
      let startedId = '';
      const stop = client.subscribe<{ backupProgress: { id: string; status: string } }>(
        { query: 'subscription($f: BackupTaskFilter) { backupProgress(filter: $f) { ... on Backup { id status } } }', variables: { f: { sources: [huawei] } } },
        {
          next: (r) => {
            const e = r.data!.backupProgress;
            events.push(e);
            if (e.id === startedId && e.status === 'SUCCEEDED') resolveDone();
          },
          error: (e) => {
            throw e;
          },
          complete: () => undefined,
        },
      );
      await eventually(() => s.gateway.live.pollCount(huawei) >= 1, 'the first poll');
      await s.gateway.live.settled();
      const started = await run<{ startBackup: { backup: { id: string } } }>(START, { t: target.id });
      startedId = started.startBackup.backup.id;
      await eventually(() => events.some((e) => e.id === startedId), 'the started backup');
      clock.advance(2 * BACKUP_MS);
      await done;
      stop();
    } finally {
      await client.dispose();
    }
  });
});
