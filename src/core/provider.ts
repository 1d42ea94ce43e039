/**
 * The one small interface between the provider-agnostic fleet core and a provider module. A module
 * (src/providers/<name>/) owns everything about its upstream: its schema file, resolvers, client,
 * auth, ID layouts, status map, mapping and loaders. The core asks it only what this file lists:
 * the targets of a source, a target's backups in a time range (sorted where the upstream can sort,
 * else whole), look-ups by key, and the facts the coverage rules need.
 */
import type { z } from 'zod';
import type { Clock } from '../lib/clock.js';
import type { Segment } from '../pagination/connection.js';
import type { CallBudget } from './budget.js';
import type { PageCache } from './cache.js';
import type { ProviderKind } from './errors.js';
import type { IdLayout, NodeRef } from './ids.js';
import type { BackupCommon, BackupStatus, NodeLike } from './models.js';
import type { MsRange } from './time-range.js';
import type { RateSettings } from './rate.js';
import type { Span, Tracer } from '@opentelemetry/api';
import type { BreakerSettings, RetrySettings, UpstreamObserver } from './upstream.js';

/** Which of a source's provider kinds an operation wants (`null`: all). */
export type KindFilter = readonly ProviderKind[] | null;

export function wants(filter: KindFilter, kind: ProviderKind): boolean {
  return filter === null || filter.length === 0 || filter.includes(kind);
}

/** What every configured source has, whatever its provider (the module adds the rest). */
export interface SourceConfigBase {
  name: string;
  provider: string;
  timeoutMs: number;
  connectTimeoutMs: number;
  maxConcurrency: number;
  retry: RetrySettings;
  circuitBreaker: BreakerSettings;
  rateLimit: RateSettings;
  /** The snapshot's refresh budget: calls a minute, and at once (default a minute's worth). */
  refreshBudget: { callsPerMinute: number; burst?: number | undefined };
  /** Recovery point objective for the coverage view, hours. */
  rpoHours: number;
  /** How far behind now archiving or a reported restorable window may end, minutes (contract §7). */
  archiveLagToleranceMinutes: number;
}

/** What a module gets to build a source's runtime. */
export interface SourceEnv {
  clock: Clock;
  /** The process's page cache (null: off), and how long a page is served. */
  cache: PageCache | null;
  cacheTtlMs: number;
  /** Told of each upstream attempt, retry and cache look-up (metrics). */
  observer?: UpstreamObserver;
  /** Traces each upstream attempt (tracing on). */
  tracer?: Tracer;
}

/** What a session's calls are charged to: one GraphQL operation. */
export interface OperationScope {
  /** "Now" for the whole operation (epoch ms): every window and age in one answer agrees. */
  readonly now: number;
  readonly clock: Clock;
  readonly budget: CallBudget;
  /** Aborted when the client goes away or the operation's deadline passes: queued and sent calls stop. */
  readonly signal: AbortSignal;
  /** `performance.now()` by which every upstream call of the operation must be done. */
  readonly deadline: number;
  /** The operation's request ID (16 hex digits, or the client's `X-Request-Id`). */
  readonly requestId: string;
  /** The operation's trace span, when tracing is on: the parent of its upstream spans. */
  span?: Span | undefined;
  /** Hears the size of each batch of a DataLoader that batches (metrics). */
  batch?(loader: string, size: number): void;
  /** Read past the page cache (what is read refreshes it): the live pollers. */
  readonly fresh?: boolean;
}

/** A protected object: an OceanBase user tenant, a DCS or an RDS instance. */
export interface Target {
  kind: ProviderKind;
  source: string;
  /** The target's global ID (an `ObTenant`, `DcsInstance`, `RdsInstance`). */
  id: string;
  /** The upstream keys in that ID (the module's own: a tenant name, an instance ID). */
  keys: Readonly<Record<string, string | number>>;
  /** The GraphQL object (`BackupTarget` member), when known without another call. */
  model: NodeLike | null;
}

/** A group of a source's targets that is read (and may fail) on its own, e.g. one service. */
export interface TargetGroup {
  kind: ProviderKind;
  load(): Promise<Target[]>;
}

/**
 * How the core reads a target's backups in a time range (`MsRange`, on `startedAt`). What comes
 * back is exactly the backups in the range that pass the status filter the reader was made for.
 */
export type BackupReader =
  /** The upstream sorts by start time: the first `size` backups of the range in `order`, and how many the range holds. */
  | { sorted: true; read(range: MsRange, order: 'desc' | 'asc', size: number): Promise<{ items: BackupCommon[]; total: number }> }
  /** The upstream promises no order: everything in the range, whole. */
  | { sorted: false; readAll(range: MsRange): Promise<BackupCommon[]> };

/** What the coverage rules (contract §7) need to know of one target. */
export interface CoverageFacts {
  /** The newest backup by start time, whatever its status. */
  lastBackup: BackupCommon | null;
  /** The newest backup that succeeded, in the whole history (null: none, or not knowable). */
  lastSuccess: BackupCommon | null;
  /** The newest backup that ended (any terminal status). */
  newestFinished: BackupCommon | null;
  /** A backup of the target is running or pending. */
  running: boolean;
  /** The target has at least one backup record. */
  hasAny: boolean;
  /** Set when the upstream cannot say what the rules need (e.g. agents without job history). */
  limitation?: string;
  /** Log archiving, where the upstream reports it (OceanBase): whether it is stopped, and its checkpoint. */
  archive?: { stopped: boolean; checkpoint: Date | null } | null;
  /** The end of the restorable window the upstream reports (RDS); a window derived here is not given. */
  restorableUntil?: Date | null;
  /**
   * Every backup that started at or after `from` (epoch ms), when the facts were read from such a
   * whole time-range read (DCS, RDS): the snapshot keeps them without reading them again.
   */
  recent?: { from: number; items: BackupCommon[] };
}

/** One configured source, seen by one operation: its calls are charged to that operation. */
export interface SourceSession {
  readonly source: string;
  /** Segments of the `instances` list (one per service). */
  instanceSegments(kinds: KindFilter): Segment<NodeLike>[];
  /** Segments of the `tenants` list. */
  tenantSegments(kinds: KindFilter): Segment<NodeLike>[];
  /** The source's backup targets, per group; `picked` narrows them to IDs decoded from a filter. */
  targets(kinds: KindFilter, picked?: readonly NodeRef[]): TargetGroup[];
  /** How to read a target's backups of these statuses. */
  backups(target: Target, statuses: readonly BackupStatus[] | null): Promise<BackupReader>;
  /**
   * The coverage facts of a target; `since` is the start of the window read first (epoch ms: its
   * RPO window). `known`: the facts of an earlier read that are still true of the backups that
   * started before `since` (the snapshot's incremental refresh); with them, nothing before `since`
   * is read again.
   */
  coverage(target: Target, since: number, known?: CoverageFacts | null): Promise<CoverageFacts>;
  /** An object by its decoded ID; null when it no longer exists. Batched per operation. */
  node(ref: NodeRef): Promise<NodeLike | null>;
  /**
   * Starts, without waiting, the source-wide reads the operation will need: `wanted` holds the
   * `Type.field` coordinates selected below a root field, and `Query.<root>` itself. Reads that do
   * not depend on a list's answer then go out beside it, not after it.
   */
  warm?(wanted: ReadonlySet<string>): void;
  /**
   * Models of this source's targets the operation already holds (the snapshot's list): a look-up
   * of one of them by its keys (a backup's instance or tenant) answers from these, without a call.
   * One not among them is looked up as usual.
   */
  prime?(models: readonly NodeLike[]): void;
  /** What the source can do besides reading (the mutations); absent: nothing. */
  readonly actions?: SourceActions;
}

/** What a backup started now copies (`BackupMode`). */
export type BackupMode = 'FULL' | 'INCREMENTAL';

/** What an action did: the object it was done on (its global ID), and the backups it touched as the upstream lists them right after. */
export interface ActionOutcome {
  targetId: string;
  /** The backups started or being cancelled, as far as the upstream already shows them. */
  backups: BackupCommon[];
}

/** What the source can do to an object of this ID, decided from the ID alone (no call). */
export interface ActionAbilities {
  /** The modes a backup of it can be started in ([]: none). */
  start: readonly BackupMode[];
  cancel: boolean;
  delete: boolean;
}

/**
 * The write side of a source (src/fleet/actions.ts checks the input, the role, the idempotency key
 * and writes the audit line; the module only speaks to its upstream). Writes are sent once, never
 * retried, never cached; what they return is read past the page cache.
 */
export interface SourceActions {
  abilities(ref: NodeRef): ActionAbilities;
  start(ref: NodeRef, input: { mode: BackupMode; remark: string | null }): Promise<ActionOutcome>;
  cancel(ref: NodeRef): Promise<ActionOutcome>;
  /** Deletes a backup; resolves to the global ID of the object it belonged to. */
  delete(ref: NodeRef): Promise<{ targetId: string }>;
}

/** One configured source at run time (process-wide: clients, connection pools, what is remembered). */
export interface SourceRuntime {
  readonly name: string;
  readonly config: SourceConfigBase;
  /** The provider kinds this source serves (`['OCEANBASE']`, `['DCS', 'RDS']`). */
  readonly kinds: readonly ProviderKind[];
  session(op: OperationScope): SourceSession;
  /** The circuit breaker's state of its upstream path (metrics). */
  circuit(): 'closed' | 'half-open' | 'open';
  /**
   * One cheap authenticated read that says whether the source answers and accepts the
   * credentials (readiness); throws the upstream's error when not.
   */
  probe(op: OperationScope): Promise<void>;
  close(): Promise<void>;
}

/** A provider module, as the registry (src/providers/index.ts) lists it. */
export interface ProviderModule<C extends SourceConfigBase = SourceConfigBase> {
  /** `provider:` in the configuration. */
  readonly name: string;
  /** The values it adds to the GraphQL `Provider` enum. */
  readonly kinds: readonly ProviderKind[];
  /** The zod schema of one of its sources in the configuration file. */
  readonly configSchema: z.ZodType<C>;
  /** Its SDL files, relative to `schema/`. */
  readonly typeDefs: readonly string[];
  /** Its global ID layouts. */
  readonly ids: readonly IdLayout[];
  /** Which node types are its backup targets (for `instanceIds` filters: what a filter may name). */
  readonly filterableIdTypes: readonly string[];
  createSource(config: C, env: SourceEnv): SourceRuntime;
}
