/**
 * Keeps one source's part of the snapshot fresh: lists its targets now and then, and re-reads the
 * targets whose entries are oldest, as fast as the source's refresh budget allows. One replica
 * refreshes a source at a time (with Redis: the holder of `<prefix>snapshot:lease:<source>`,
 * `SET NX PX`, renewed while it works); each target's entry is written as soon as it was read.
 *
 * A refresh is incremental: a target is read from a little before its last read (or from the
 * start of a backup that was running then) and what was known of the older backups is kept
 * (DCS and RDS: one time-filtered list; OceanBase: the cluster overview, shared by the batch, and
 * the job history only when the latest task moved). Every `fullRefreshMs` its window is read whole.
 *
 * Knows no provider: everything goes through `SourceSession`.
 */
import { UpstreamError, upstreamExtensions, type ProviderKind } from '../core/errors.js';
import { inProgress, type BackupCommon } from '../core/models.js';
import type { BackupReader, CoverageFacts, SourceRuntime, Target } from '../core/provider.js';
import type { Fleet } from '../fleet/fleet.js';
import { BACKUP_ORDER } from '../fleet/streams.js';
import { log } from '../lib/log.js';
import { readAll } from '../pagination/lists.js';
import type { RefreshBucket } from './budget.js';
import type { SnapshotEntry, SnapshotStore, SourceState, StoredError } from './store.js';

export interface RefreshSettings {
  /** Backups kept per target: those that started within this much of now, ms. */
  windowMs: number;
  /** A target is re-read at most this often (the fleet clock), ms. */
  targetIntervalMs: number;
  /** A target's window is read whole (not incrementally) this often, ms. */
  fullRefreshMs: number;
  /** The source's targets are listed again this often, ms. */
  listIntervalMs: number;
  /** Targets read in one operation (their source-wide reads shared). */
  batchSize: number;
  leaseMs: number;
  /** How often a refresher looks for work (real time), ms. */
  tickMs: number;
}

/** An incremental read starts this much before the last one (what was written meanwhile is read again). */
const OVERLAP_MS = 5 * 60_000;
/**
 * Backups kept beyond `windowDays`: a query's default window starts at a whole minute before
 * `now - windowDays`, and an entry read a while ago must still cover any window the snapshot answers.
 */
const KEEP_MARGIN_MS = 60 * 60_000;
/** Pages of a sorted upstream read for one window, at most (100 backups each). */
const MAX_WINDOW_PAGES = 10;

export interface Lease {
  /** Takes or renews the source's lease; true while this replica holds it. */
  hold(): Promise<boolean>;
  release(): Promise<void>;
}

export interface RefreshObserver {
  refreshed(source: string, outcome: 'success' | 'error', calls: number): void;
}

export class SourceRefresher {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private stopped = false;
  /** Targets being read now (a `fresh: true` read skips them). */
  private readonly reading = new Set<string>();
  private leader = false;

  constructor(
    private readonly fleet: Fleet,
    private readonly runtime: SourceRuntime,
    private readonly store: SnapshotStore,
    private readonly bucket: RefreshBucket,
    private readonly lease: Lease,
    private readonly settings: RefreshSettings,
    private readonly observer?: RefreshObserver,
  ) {}

  get source(): string {
    return this.runtime.name;
  }

  get isLeader(): boolean {
    return this.leader;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.current ??= this.tick()
        .catch((error: unknown) => log.warn({ source: this.source, err: error instanceof Error ? error.message : String(error) }, 'snapshot: a refresh failed'))
        .finally(() => {
          this.current = undefined;
          this.schedule(this.settings.tickMs);
        });
    }, ms);
    this.timer.unref();
  }

  /** Resolves once the refresh under way, if any, is done (tests). */
  settled(): Promise<void> {
    return this.current ?? Promise.resolve();
  }

  async stop(release = true): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.current?.catch(() => undefined);
    if (release && this.leader) await this.lease.release().catch(() => undefined);
    this.leader = false;
  }

  /** One look: list when due, then read the due targets, oldest first, while the budget lasts. */
  private async tick(): Promise<void> {
    this.leader = await this.lease.hold();
    if (!this.leader || this.stopped) return;
    const now = this.fleet.clock.now();
    const state = this.store.state(this.source);
    if (!state || state.listedAt === null || now - state.listedAt >= this.settings.listIntervalMs || state.listError) {
      const retryAt = state?.listError ? state.listError.at + Math.min(this.settings.targetIntervalMs, this.settings.listIntervalMs) : -Infinity;
      if (!state?.listError || now >= retryAt) await this.list(now);
    }
    for (;;) {
      if (this.stopped) return;
      const due = this.due(this.fleet.clock.now());
      if (due.length === 0) return;
      // As many of the oldest as the budget holds now (the batch shrinks to fit it): the rest waits
      // for the bucket to refill, at a later tick.
      const available = await this.bucket.available();
      const batch: SnapshotEntry[] = [];
      let estimate = 0;
      for (const entry of due) {
        const cost = Math.max(1, entry.calls || 2);
        if (batch.length >= this.settings.batchSize || estimate + cost > available) break;
        batch.push(entry);
        estimate += cost;
      }
      if (batch.length === 0 || !(await this.bucket.tryTake(estimate))) return;
      if (!(await this.lease.hold())) {
        this.leader = false;
        await this.bucket.charge(-estimate);
        return;
      }
      const spent = await this.refresh(batch);
      await this.bucket.charge(spent - estimate);
    }
  }

  /** The entries due for a read, oldest first (never read first). */
  private due(now: number): SnapshotEntry[] {
    const interval = this.settings.targetIntervalMs;
    const last = (e: SnapshotEntry) => Math.max(e.readAt ?? -Infinity, e.error?.at ?? -Infinity);
    return [...this.store.entries(this.source).values()]
      .filter((e) => !this.reading.has(e.targetId) && now - last(e) >= interval)
      .sort((a, b) => (a.readAt ?? -Infinity) - (b.readAt ?? -Infinity) || (a.targetId < b.targetId ? -1 : 1));
  }

  /** Lists the source's targets: new ones get an entry (not yet read), gone ones lose theirs. */
  private async list(now: number): Promise<void> {
    const op = this.fleet.operation(undefined, [this.source], undefined, true);
    const session = op.session(this.source)!;
    const known = this.store.entries(this.source);
    const added: SnapshotEntry[] = [];
    const gone: string[] = [];
    let failure: StoredError | null = null;
    for (const group of session.targets(null)) {
      let targets: Target[];
      try {
        targets = await group.load();
      } catch (error) {
        failure ??= stored(error, this.source, group.kind, now);
        continue;
      }
      const listed = new Set(targets.map((t) => t.id));
      for (const target of targets) {
        if (!target.model) continue;
        const entry = known.get(target.id);
        if (!entry) added.push(newEntry(target, target.model));
        else if (JSON.stringify(entry.model) !== JSON.stringify(target.model)) added.push({ ...entry, model: target.model, keys: target.keys });
      }
      for (const entry of known.values()) if (entry.kind === group.kind && !listed.has(entry.targetId)) gone.push(entry.targetId);
    }
    // The `instances` list, per kind (the same list reads as the targets', shared by the operation).
    const previous = this.store.state(this.source);
    let instances: NonNullable<SourceState['instances']> | null = [];
    for (const kind of this.runtime.kinds) {
      for (const segment of session.instanceSegments([kind])) {
        try {
          instances?.push({ kind, key: segment.key, items: await readAll(segment.list) });
        } catch (error) {
          failure ??= stored(error, this.source, kind, now);
          instances = null;
        }
      }
    }
    await this.bucket.charge(op.budget.spent);
    this.observer?.refreshed(this.source, failure ? 'error' : 'success', op.budget.spent);
    await this.store.put(this.source, added);
    await this.store.remove(this.source, gone);
    await this.store.putState({
      source: this.source,
      listedAt: failure ? (previous?.listedAt ?? null) : now,
      listError: failure,
      instances: instances ?? previous?.instances ?? null,
    });
  }

  /**
   * Reads these targets now, in one operation (their source-wide reads shared), writing each
   * entry as soon as it is read; resolves to the upstream calls made.
   */
  async refresh(batch: readonly SnapshotEntry[], signal?: AbortSignal, requestId?: string): Promise<number> {
    const op = this.fleet.operation(signal, [this.source], requestId, true);
    const session = op.session(this.source)!;
    const now = op.now;
    for (const e of batch) this.reading.add(e.targetId);
    let failures = 0;
    try {
      const written = await Promise.all(
        batch.map(async (prev) => {
          let next: SnapshotEntry;
          try {
            next = await this.read(session, prev, now);
          } catch (error) {
            failures++;
            next = { ...prev, error: stored(error, this.source, prev.kind, now) };
          }
          // Written as soon as it is read: a replica that dies now loses only what it had not read.
          await this.store.put(this.source, [next]);
          return next;
        }),
      );
      const calls = op.budget.spent;
      // What each read cost, for the next estimate (the batch's source-wide reads spread over it).
      const each = Math.max(1, Math.round(calls / Math.max(1, written.length)));
      for (const entry of written) entry.calls = each;
      this.observer?.refreshed(this.source, failures > 0 ? 'error' : 'success', calls);
      return calls;
    } finally {
      for (const e of batch) this.reading.delete(e.targetId);
    }
  }

  private async read(session: ReturnType<SourceRuntime['session']>, prev: SnapshotEntry, now: number): Promise<SnapshotEntry> {
    const target: Target = { kind: prev.kind, source: prev.source, id: prev.targetId, keys: prev.keys, model: prev.model };
    const windowStart = now - this.settings.windowMs - KEEP_MARGIN_MS;
    const full = !prev.facts || prev.fullAt === null || prev.readAt === null || now - prev.fullAt >= this.settings.fullRefreshMs;
    const since = full ? windowStart : Math.max(windowStart, Math.min(prev.readAt! - OVERLAP_MS, oldestRunning(prev)));
    const facts = await session.coverage(target, since, full ? null : prev.facts);

    let fresh: BackupCommon[];
    let from = since;
    if (facts.recent) {
      fresh = facts.recent.items;
      from = facts.recent.from;
    } else if (!full && unchanged(prev.facts!, facts)) {
      fresh = [];
      from = Infinity; // nothing read again: every backup held is kept
    } else {
      const read = await readWindow(await session.backups(target, null), since);
      fresh = read.items;
      if (read.truncatedAt !== null) from = read.truncatedAt;
    }
    const kept = full ? [] : prev.recent.filter((b) => startOf(b) < from);
    const recent = [...kept, ...fresh.filter((b) => startOf(b) >= from && startOf(b) !== -Infinity)]
      .filter((b) => startOf(b) >= windowStart)
      .sort((a, b) => BACKUP_ORDER.compare(BACKUP_ORDER.key(a), BACKUP_ORDER.key(b)));
    const { recent: _seen, ...rest } = facts;
    void _seen;
    return {
      ...prev,
      facts: rest,
      recent,
      recentFrom: full ? from : Math.max(prev.recentFrom ?? windowStart, windowStart),
      readAt: now,
      fullAt: full ? now : prev.fullAt,
      error: null,
    };
  }
}

function startOf(b: BackupCommon): number {
  return b.startedAt?.getTime() ?? -Infinity;
}

/** The start of the oldest backup that ran at the last read (its status may have changed since). */
function oldestRunning(prev: SnapshotEntry): number {
  let oldest = Infinity;
  for (const b of prev.recent) if (inProgress(b.status)) oldest = Math.min(oldest, startOf(b));
  if (prev.facts?.lastBackup && inProgress(prev.facts.lastBackup.status)) oldest = Math.min(oldest, startOf(prev.facts.lastBackup));
  return oldest;
}

/** Nothing new since the last read: the same latest backup in the same state, and nothing running. */
function unchanged(before: CoverageFacts, now: CoverageFacts): boolean {
  const a = before.lastBackup;
  const b = now.lastBackup;
  if (before.running || now.running) return false;
  if (a === null || b === null) return a === b;
  return a.id === b.id && a.status === b.status && startOf(a) === startOf(b);
}

/** Every backup of a target that started at or after `from` (a sorted upstream read page by page, newest first). */
async function readWindow(reader: BackupReader, from: number): Promise<{ items: BackupCommon[]; truncatedAt: number | null }> {
  if (!reader.sorted) return { items: await reader.readAll({ from, to: null }), truncatedAt: null };
  const items: BackupCommon[] = [];
  let to: number | null = null;
  for (let page = 0; page < MAX_WINDOW_PAGES; page++) {
    const read = await reader.read({ from, to }, 'desc', 100);
    items.push(...read.items);
    const oldest = read.items.at(-1);
    if (read.items.length >= read.total || !oldest || oldest.startedAt === null) return { items, truncatedAt: null };
    to = oldest.startedAt.getTime() - 1;
  }
  // More than the pages allow: the window held starts at the oldest backup read.
  return { items, truncatedAt: to === null ? null : to + 1 };
}

function newEntry(target: Target, model: NonNullable<Target['model']>): SnapshotEntry {
  return {
    targetId: target.id,
    source: target.source,
    kind: target.kind,
    keys: target.keys,
    model,
    facts: null,
    recent: [],
    recentFrom: null,
    readAt: null,
    fullAt: null,
    calls: 0,
    error: null,
  };
}

/** A failure as the snapshot keeps it (its message and extensions are what a client would see). */
export function stored(error: unknown, source: string, provider: ProviderKind, at: number): StoredError {
  if (error instanceof UpstreamError) return { code: error.code, message: error.message, extensions: upstreamExtensions(error), source, provider, at };
  return {
    code: 'UPSTREAM_UNAVAILABLE',
    message: `${provider} source "${source}" could not be read.`,
    extensions: { code: 'UPSTREAM_UNAVAILABLE', source, provider },
    source,
    provider,
    at,
  };
}
