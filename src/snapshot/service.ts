/**
 * The fleet snapshot: what the fleet views need of every target, kept fresh in the background by
 * one refresher per source (refresher.ts) and answered from memory, so that `backupCoverage`, the
 * merged `backupTasks` within the snapshot's window and the dashboard cost the upstreams nothing
 * per request, whatever the number of viewers or targets. Every answer says how fresh it is
 * (`asOf` per item, the oldest on the connection); `fresh: true` reads the page's targets live,
 * within the source's refresh budget.
 *
 * The views are computed once per change of the snapshot (at most every `viewCacheMs`) and per
 * second of "now", then paged by binary search: a request does no work in the size of the fleet
 * beyond a filter by state.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { BudgetExceededError, CodedError } from '../core/errors.js';
import { RedisLease, SOLE_LEASE } from '../core/lease.js';
import { statusWanted, type BackupCommon, type NodeLike } from '../core/models.js';
import { wants, type KindFilter, type Target } from '../core/provider.js';
import { backupTasksPage, type BackupTaskConnection, type BackupTasksRequest } from '../fleet/backups.js';
import {
  assess,
  base,
  COVERAGE_ORDER,
  coveragePage,
  unknownItem,
  type CoverageConnection,
  type CoverageItem,
  type CoverageKey,
  summarize,
  type CoverageRequest,
  type CoverageSummary,
} from '../fleet/coverage.js';
import { selectRuntimes, type Fleet, type Operation, type SourceFilter } from '../fleet/fleet.js';
import { BACKUP_ORDER, MemoryStream, type SortKey } from '../fleet/streams.js';
import { log } from '../lib/log.js';
import { parseConnectionArgs, type ConnectionArgs } from '../pagination/args.js';
import { paginate, type Connection, type Segment } from '../pagination/connection.js';
import { lazyListKey } from '../pagination/cursor.js';
import { arrayList } from '../pagination/lists.js';
import { registerSecrets } from '../lib/secrets.js';
import { MemoryBucket, RedisBucket, type RefreshBucket, type RefreshBudgetSettings } from './budget.js';
import { RedisSnapshotStore } from './redis-store.js';
import { SourceRefresher, type RefreshObserver, type RefreshSettings } from './refresher.js';
import { MemorySnapshotStore, type SnapshotEntry, type SnapshotStore, type StoredError } from './store.js';

export interface SnapshotSettings extends RefreshSettings {
  /** How often a replica takes in what the others wrote (Redis), ms. */
  syncMs: number;
  /** A view is computed again at most this often while the snapshot changes, ms (0: at every change). */
  viewCacheMs: number;
  /** Targets one `fresh: true` read may read live. */
  maxFreshTargets: number;
}

export interface SnapshotRedis {
  url: string;
  keyPrefix: string;
}

/** `Query.fleetSnapshot`, per source. */
export interface SnapshotSourceStatus {
  source: string;
  targets: number;
  read: number;
  stale: number;
  oldestReadAt: Date | null;
  newestReadAt: Date | null;
  listedAt: Date | null;
  error: string | null;
  callsPerMinute: number;
  available: () => Promise<number>;
  refreshing: boolean;
}

/** A coverage view narrowed to some states, with what every page of it needs (computed once). */
interface CoverageSelection {
  items: CoverageItem[];
  keys: CoverageKey[];
  summary: CoverageSummary;
  asOf: Date | null;
}

interface CoverageView {
  /** Per state filter (`''`: none), computed at its first use. */
  selections: Map<string, CoverageSelection>;
  items: CoverageItem[];
  /** The targets' models per source (sessions are primed with them: no look-up calls). */
  models: Map<string, NodeLike[]>;
  keys: CoverageKey[];
  failures: StoredError[];
}

interface BackupView {
  items: BackupCommon[];
  models: Map<string, NodeLike[]>;
  keys: SortKey[];
  /** When the oldest selected target was read; null when one is not read yet. */
  asOf: Date | null;
  failures: StoredError[];
}

interface Cached<T> {
  version: number;
  /** The fleet clock's "now" it was computed at; null for a view that does not depend on it. */
  now: number | null;
  at: number;
  value: T;
}

export class SnapshotService {
  readonly replicaId = randomBytes(6).toString('hex');
  readonly store: SnapshotStore;
  private readonly refreshers = new Map<string, SourceRefresher>();
  private readonly buckets = new Map<string, RefreshBucket>();
  private readonly budgets = new Map<string, RefreshBudgetSettings>();
  private readonly redis: Redis | null;
  private readonly coverageViews = new Map<string, Cached<CoverageView>>();
  private readonly backupViews = new Map<string, Cached<BackupView>>();
  private syncTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly fleet: Fleet,
    readonly settings: SnapshotSettings,
    budgetOf: (source: string) => RefreshBudgetSettings,
    redis: SnapshotRedis | null,
    observer?: RefreshObserver,
  ) {
    const names = fleet.sources.map((s) => s.name);
    if (redis) {
      const url = new URL(redis.url);
      registerSecrets(url.password, decodeURIComponent(url.password));
      this.redis = new Redis(redis.url, { maxRetriesPerRequest: 2, retryStrategy: (times) => Math.min(2_000, 50 * 2 ** Math.min(times, 6)) });
      this.redis.on('error', (err: Error) => log.warn({ err: err.message }, 'snapshot: Redis unreachable; answering from what this replica holds'));
      this.store = new RedisSnapshotStore(this.redis, redis.keyPrefix, names);
    } else {
      this.redis = null;
      this.store = new MemorySnapshotStore();
    }
    for (const runtime of fleet.sources) {
      const budget = budgetOf(runtime.name);
      this.budgets.set(runtime.name, budget);
      const bucket = this.redis ? new RedisBucket(this.redis, `${redis!.keyPrefix}snapshot:{${runtime.name}}:budget`, budget) : new MemoryBucket(budget);
      this.buckets.set(runtime.name, bucket);
      const lease = this.redis ? new RedisLease(this.redis, `${redis!.keyPrefix}snapshot:lease:${runtime.name}`, this.replicaId, settings.leaseMs) : SOLE_LEASE;
      this.refreshers.set(runtime.name, new SourceRefresher(fleet, runtime, this.store, bucket, lease, settings, observer));
    }
  }

  async start(): Promise<void> {
    await this.store.sync().catch(() => undefined);
    for (const r of this.refreshers.values()) r.start();
    if (this.redis) {
      const loop = () => {
        this.syncTimer = setTimeout(() => {
          void this.store
            .sync()
            .catch(() => undefined)
            .finally(() => {
              if (this.syncTimer) loop();
            });
        }, this.settings.syncMs);
        this.syncTimer.unref();
      };
      loop();
    }
  }

  /** Every source listed and every target read (or failed): the cold start is over. */
  complete(): boolean {
    for (const runtime of this.fleet.sources) {
      const state = this.store.state(runtime.name);
      if (!state || (state.listedAt === null && !state.listError)) return false;
      for (const entry of this.store.entries(runtime.name).values()) if (entry.readAt === null && !entry.error) return false;
    }
    return true;
  }

  /** Resolves once `complete()` (tests and benchmarks; syncs from Redis as it waits). */
  async whenComplete(timeoutMs = 60_000): Promise<void> {
    const until = performance.now() + timeoutMs;
    for (;;) {
      await this.store.sync().catch(() => undefined);
      if (this.complete()) return;
      if (performance.now() > until) throw new Error('the snapshot did not complete in time');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Resolves once no refresh is under way on this replica (tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.refreshers.values()].map((r) => r.settled()));
  }

  /** Sources this replica refreshes now (tests: one replica per source). */
  leading(): string[] {
    return [...this.refreshers.values()].filter((r) => r.isLeader).map((r) => r.source);
  }

  // ---- coverage ------------------------------------------------------------------------------

  async coverage(op: Operation, req: CoverageRequest, fresh: boolean, report: (error: unknown) => void): Promise<CoverageConnection & { asOf: Date | null }> {
    const selected = selectRuntimes(op, req.filter);
    let answer = await this.coverageAnswer(op, req, selected, false);
    if (fresh) {
      const page = answer.connection.edges.map((e) => e.node);
      await this.readLive(
        op,
        page.map((item) => item.targetId),
      );
      answer = await this.coverageAnswer(op, req, selected, true);
    }
    for (const failure of answer.failures) report(new CodedError(failure.code, failure.message, failure.extensions));
    return { ...answer.connection, asOf: answer.asOf };
  }

  private async coverageAnswer(op: Operation, req: CoverageRequest, selected: Selected, recompute: boolean) {
    const view = this.coverageView(op, req.rpoOverride, selected, recompute);
    const states = req.states ? [...req.states].sort().join() : '';
    let selection = view.selections.get(states);
    if (!selection) {
      const items: CoverageItem[] = [];
      const keys: CoverageKey[] = [];
      view.items.forEach((item, i) => {
        if (!req.states || req.states.has(item.state)) {
          items.push(item);
          keys.push(view.keys[i]!);
        }
      });
      let oldest = Infinity;
      for (const item of items) oldest = Math.min(oldest, item.asOf ? item.asOf.getTime() : -Infinity);
      const asOf = items.length === 0 || oldest === -Infinity ? null : new Date(oldest);
      selection = { items, keys, summary: summarize(items), asOf };
      view.selections.set(states, selection);
    }
    primeSessions(op, view.models);
    return { connection: await coveragePage(req, selection.items, selection.keys, selection.summary), asOf: selection.asOf, failures: view.failures };
  }

  private coverageView(op: Operation, rpoOverride: number | null, selected: Selected, recompute: boolean): CoverageView {
    const key = JSON.stringify([selected.map((s) => [s.runtime.name, s.kinds]), rpoOverride]);
    return this.cached(this.coverageViews, key, op.now, recompute, (): CoverageView => {
      const items: CoverageItem[] = [];
      const failures: StoredError[] = [];
      const models = new Map<string, NodeLike[]>();
      for (const { runtime, kinds } of selected) {
        const own: NodeLike[] = [];
        models.set(runtime.name, own);
        const state = this.store.state(runtime.name);
        const rpoHours = rpoOverride ?? runtime.config.rpoHours;
        const tolerance = runtime.config.archiveLagToleranceMinutes;
        let failure: StoredError | null = state?.listError ?? null;
        for (const entry of this.store.entries(runtime.name).values()) {
          if (!wants(kinds, entry.kind)) continue;
          if (entry.error && (!failure || entry.error.at > failure.at)) failure = entry.error;
          items.push(itemOf(entry, op.now, rpoHours, tolerance, Boolean(state?.listError)));
          own.push(entry.model);
        }
        if (failure) failures.push(failure);
      }
      const keyed = items.map((item) => ({ item, key: COVERAGE_ORDER.key(item) })).sort((a, b) => COVERAGE_ORDER.compare(a.key, b.key));
      return { selections: new Map(), items: keyed.map((k) => k.item), keys: keyed.map((k) => k.key), models, failures };
    });
  }

  // ---- backups -------------------------------------------------------------------------------

  /** Whether the snapshot can answer this `backupTasks` (its window within the snapshot's, no `instanceIds`). */
  canAnswer(op: Operation, req: BackupTasksRequest): boolean {
    if (req.filter.instanceIds && req.filter.instanceIds.length > 0) return false;
    // A minute's slack: the default window starts at the whole minute before `now - windowDays`
    // (the refresher keeps an hour more than the window).
    return req.since >= op.now - this.settings.windowMs - 60_000;
  }

  async backupTasks(op: Operation, req: BackupTasksRequest, report: (error: unknown) => void): Promise<BackupTaskConnection & { asOf: Date | null }> {
    const selected = selectRuntimes(op, req.filter);
    const view = this.backupView(req.statuses, selected);
    const { from, to } = req.window;
    // Newest first: the window is one run of the list, found by binary search on the start time.
    const firstAt = (t: number) => lowerBound(view.keys, (k) => (k.t ?? -Infinity) <= t);
    const start = to === null ? 0 : firstAt(to);
    const end = from === null ? view.items.length : firstAt(from - 1);
    const stream = new MemoryStream(view.items, BACKUP_ORDER, view.keys, { from: start, to: Math.max(start, end) });
    for (const failure of view.failures) report(new CodedError(failure.code, failure.message, failure.extensions));
    primeSessions(op, view.models);
    return { ...(await backupTasksPage(req, [stream])), asOf: view.asOf };
  }

  private backupView(statuses: BackupTasksRequest['statuses'], selected: Selected): BackupView {
    const key = JSON.stringify([selected.map((s) => [s.runtime.name, s.kinds]), statuses]);
    // Backups do not depend on "now": this view is computed again only when the snapshot changed.
    return this.cached(this.backupViews, key, null, false, () => {
      const items: BackupCommon[] = [];
      const failures: StoredError[] = [];
      const models = new Map<string, NodeLike[]>();
      let oldest = Infinity;
      for (const { runtime, kinds } of selected) {
        const own: NodeLike[] = [];
        models.set(runtime.name, own);
        let failure: StoredError | null = this.store.state(runtime.name)?.listError ?? null;
        for (const entry of this.store.entries(runtime.name).values()) {
          if (!wants(kinds, entry.kind)) continue;
          if (entry.error && (!failure || entry.error.at > failure.at)) failure = entry.error;
          oldest = Math.min(oldest, entry.readAt ?? -Infinity);
          own.push(entry.model);
          for (const b of entry.recent) if (statusWanted(b.status, statuses)) items.push(b);
        }
        if (failure) failures.push(failure);
      }
      const keyed = items.map((item) => ({ item, key: BACKUP_ORDER.key(item) })).sort((a, b) => BACKUP_ORDER.compare(a.key, b.key));
      return {
        items: keyed.map((k) => k.item),
        keys: keyed.map((k) => k.key),
        models,
        asOf: oldest === Infinity || oldest === -Infinity ? null : new Date(oldest),
        failures,
      };
    });
  }

  /**
   * A view, computed again when the snapshot changed or "now" moved, at most every `viewCacheMs`
   * (real time for changes, the fleet clock for time): at 10,000 targets a view takes tens of ms.
   */
  private cached<T>(map: Map<string, Cached<T>>, key: string, now: number | null, recompute: boolean, compute: () => T): T {
    const version = this.store.version;
    const hit = map.get(key);
    const window = this.settings.viewCacheMs;
    if (!recompute && hit) {
      const sameData = hit.version === version || performance.now() - hit.at < window;
      const sameTime = now === null || hit.now === now || Math.abs(now - hit.now!) < window;
      if (sameData && sameTime) return hit.value;
    }
    const value = compute();
    if (map.size > 256) map.clear();
    map.set(key, { version, now, at: performance.now(), value });
    return value;
  }

  // ---- instances -----------------------------------------------------------------------------

  /** Whether the snapshot holds the `instances` list of every source this filter selects. */
  canAnswerInstances(op: Operation, filter: SourceFilter | null | undefined): boolean {
    return selectRuntimes(op, filter).every(({ runtime }) => Boolean(this.store.state(runtime.name)?.instances));
  }

  /** `instances` as last listed: the live list's segments and order, so cursors carry over. */
  async instances(
    op: Operation,
    args: ConnectionArgs,
    filter: SourceFilter | null | undefined,
    report: (error: unknown) => void,
  ): Promise<Connection<NodeLike> & { asOf: Date | null }> {
    const key = lazyListKey(['instances', filter ?? null]);
    const request = parseConnectionArgs(args, key);
    const segments: Segment<NodeLike>[] = [];
    let oldest = Infinity;
    for (const { runtime, kinds } of selectRuntimes(op, filter)) {
      const state = this.store.state(runtime.name);
      oldest = Math.min(oldest, state?.listedAt ?? -Infinity);
      if (state?.listError) report(new CodedError(state.listError.code, state.listError.message, state.listError.extensions));
      for (const s of state?.instances ?? []) if (wants(kinds, s.kind)) segments.push({ key: s.key, list: arrayList(async () => s.items) });
    }
    const page = await paginate(request, segments, { list: key, onSegmentError: report });
    return { ...page, asOf: Number.isFinite(oldest) ? new Date(oldest) : null };
  }

  // ---- live reads ----------------------------------------------------------------------------

  /**
   * Reads these targets now (`fresh: true`), charged to their sources' refresh budgets and to the
   * operation's call budget: refused with `BUDGET_EXCEEDED`, before any call, when either is short.
   */
  async readLive(op: Operation, targetIds: readonly string[]): Promise<void> {
    if (targetIds.length > this.settings.maxFreshTargets) {
      throw new BudgetExceededError(this.settings.maxFreshTargets, targetIds.length, `a fresh read of ${targetIds.length} targets (snapshot.maxFreshTargets)`);
    }
    const bySource = new Map<string, SnapshotEntry[]>();
    for (const id of targetIds) {
      const ref = op.fleet.codec.decode(id, 'id');
      const entry = this.store.entries(ref.source).get(id);
      if (entry) bySource.set(ref.source, [...(bySource.get(ref.source) ?? []), entry]);
    }
    const plans = [...bySource].map(([source, entries]) => ({ source, entries, estimate: entries.reduce((sum, e) => sum + Math.max(1, e.calls || 2), 0) }));
    op.budget.reserve(
      plans.reduce((sum, p) => sum + p.estimate, 0),
      `a fresh read of ${targetIds.length} targets`,
    );
    const taken: typeof plans = [];
    for (const plan of plans) {
      if (!(await this.buckets.get(plan.source)!.tryTake(plan.estimate))) {
        for (const t of taken) await this.buckets.get(t.source)!.charge(-t.estimate);
        const available = Math.max(0, Math.floor(await this.buckets.get(plan.source)!.available()));
        throw new BudgetExceededError(
          available,
          plan.estimate,
          `a fresh read of source "${plan.source}" (its refresh budget, ${this.budgets.get(plan.source)!.callsPerMinute} calls a minute)`,
        );
      }
      taken.push(plan);
    }
    await Promise.all(
      plans.map(async (plan) => {
        const spent = await this.refreshers.get(plan.source)!.refresh(plan.entries, op.signal, op.requestId);
        op.budget.absorb(spent);
        await this.buckets.get(plan.source)!.charge(spent - plan.estimate);
      }),
    );
  }

  // ---- status --------------------------------------------------------------------------------

  status(op: Operation): SnapshotSourceStatus[] {
    return op.sources().map((runtime) => {
      const state = this.store.state(runtime.name);
      let read = 0;
      let stale = 0;
      let oldest = Infinity;
      let newest = -Infinity;
      const entries = this.store.entries(runtime.name);
      for (const e of entries.values()) {
        if (e.readAt !== null) {
          read++;
          oldest = Math.min(oldest, e.readAt);
          newest = Math.max(newest, e.readAt);
        }
        if (e.error || state?.listError) stale++;
      }
      const error = state?.listError ?? [...entries.values()].find((e) => e.error)?.error ?? null;
      return {
        source: runtime.name,
        targets: entries.size,
        read,
        stale,
        oldestReadAt: oldest === Infinity ? null : new Date(oldest),
        newestReadAt: newest === -Infinity ? null : new Date(newest),
        listedAt: state?.listedAt ? new Date(state.listedAt) : null,
        error: error?.message ?? null,
        callsPerMinute: this.budgets.get(runtime.name)!.callsPerMinute,
        available: () => this.buckets.get(runtime.name)!.available(),
        refreshing: this.refreshers.get(runtime.name)!.isLeader,
      };
    });
  }

  async close(): Promise<void> {
    clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    await Promise.all([...this.refreshers.values()].map((r) => r.stop()));
    await this.redis?.quit().catch(() => undefined);
  }

  /** Stops as a replica that dies would: no lease given back, its Redis connection dropped (tests). */
  async abandon(): Promise<void> {
    clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    this.redis?.disconnect();
    await Promise.all([...this.refreshers.values()].map((r) => r.stop(false)));
  }
}

/** The operation's sessions learn the targets' models: a backup's instance or tenant costs no call. */
function primeSessions(op: Operation, models: ReadonlyMap<string, NodeLike[]>): void {
  for (const [source, list] of models) op.session(source)?.prime?.(list);
}

type Selected = { runtime: { name: string; config: { rpoHours: number; archiveLagToleranceMinutes: number } }; kinds: KindFilter }[];

/** The first index whose key passes `test` (keys ordered so that `test` is false, then true). */
function lowerBound<K>(keys: readonly K[], test: (key: K) => boolean): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (test(keys[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A target's coverage from its entry, assessed at `now` (ages and the RPO are the request's). */
function itemOf(entry: SnapshotEntry, now: number, rpoHours: number, tolerance: number, sourceDown: boolean): CoverageItem {
  const target: Target = { kind: entry.kind, source: entry.source, id: entry.targetId, keys: entry.keys, model: entry.model };
  const stale = sourceDown || entry.error !== null;
  if (!entry.facts) {
    return { ...unknownItem(target, rpoHours, entry.error || sourceDown ? 'SOURCE_UNREACHABLE' : 'NOT_YET_READ'), asOf: null, stale };
  }
  const facts = entry.facts;
  return {
    ...base(target, rpoHours),
    ...assess(facts, now, rpoHours, tolerance),
    lastBackup: facts.lastBackup,
    lastSuccessfulBackup: facts.lastSuccess,
    limitation: facts.limitation ?? null,
    asOf: new Date(entry.readAt!),
    stale,
  };
}
