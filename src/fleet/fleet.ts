/**
 * The fleet: every configured source at run time, and the operations run over them. Knows no
 * provider: sources come from the provider modules through `SourceRuntime`, and everything the
 * fleet views need is asked through `SourceSession`.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Span } from '@opentelemetry/api';
import { CallBudget } from '../core/budget.js';
import { BadInputError, BudgetExceededError, type ProviderKind } from '../core/errors.js';
import type { IdCodec } from '../core/ids.js';
import type { KindFilter, OperationScope, SourceRuntime, SourceSession, Target } from '../core/provider.js';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../lib/clock.js';

export interface FleetSettings {
  /** The window of `backupTasks` without `since`, days. */
  defaultWindowDays: number;
  /** How long one operation may take, upstream calls and their retries included, ms. */
  operationTimeoutMs: number;
  /** Upstream calls one operation may make. */
  callBudget: number;
  /** Most IDs one `nodes(ids:)` may ask for. */
  maxNodeIds: number;
}

export const DEFAULT_FLEET_SETTINGS: FleetSettings = { defaultWindowDays: 7, operationTimeoutMs: 30_000, callBudget: 500, maxNodeIds: 100 };

/** Reports a failure of one source, service or target while the rest of an answer stands. */
export type Report = (error: unknown) => void;

/** A failure that is the whole operation's, never one part's: it is not reported as partial. */
export function rethrowIfFatal(error: unknown): void {
  if (error instanceof BudgetExceededError || error instanceof BadInputError) throw error;
}

export class Fleet {
  private readonly byName = new Map<string, SourceRuntime>();
  /** The targets of each source's group as last read: what `UNKNOWN` coverage lists while a source is down. */
  private readonly knownTargets = new Map<string, Target[]>();

  constructor(
    readonly sources: readonly SourceRuntime[],
    readonly codec: IdCodec,
    readonly settings: FleetSettings,
    readonly clock: Clock,
    /** Node types an `instanceIds` filter may name. */
    readonly filterableIdTypes: readonly string[],
  ) {
    for (const source of sources) this.byName.set(source.name, source);
  }

  get(name: string): SourceRuntime | undefined {
    return this.byName.get(name);
  }

  /**
   * A new operation; `signal`: the client's (aborted when it goes away); `visible`: the sources the
   * client may see (absent: all).
   */
  /** Hears each DataLoader batch's size (the gateway's metrics). */
  batchObserver: ((loader: string, size: number) => void) | undefined;

  /** `fresh`: every cacheable read goes upstream (what it reads refreshes the cache): the live pollers. */
  operation(signal?: AbortSignal, visible?: readonly string[] | null, requestId?: string, fresh = false): Operation {
    return new Operation(this, signal, visible, requestId, fresh);
  }

  remember(source: string, kind: ProviderKind, targets: Target[]): void {
    this.knownTargets.set(`${source}\u0000${kind}`, targets);
  }

  remembered(source: string, kind: ProviderKind): Target[] {
    return this.knownTargets.get(`${source}\u0000${kind}`) ?? [];
  }

  async close(): Promise<void> {
    await Promise.all(this.sources.map((s) => s.close()));
  }
}

/** One GraphQL operation over the fleet: one "now", one call budget, one session per source. */
export class Operation implements OperationScope {
  readonly now: number;
  readonly clock: Clock;
  readonly budget: CallBudget;
  readonly signal: AbortSignal;
  readonly deadline: number;
  /** Names the operation in logs, in the upstream calls that carry one (obshell's trace ID) and in the response. */
  readonly requestId: string;
  span: Span | undefined;
  private readonly sessions = new Map<string, SourceSession>();
  /** The sources this operation's client may see; null: all. Others do not exist for it. */
  private readonly visible: ReadonlySet<string> | null;

  constructor(
    readonly fleet: Fleet,
    clientSignal?: AbortSignal,
    visible?: readonly string[] | null,
    requestId?: string,
    readonly fresh = false,
  ) {
    this.requestId = requestId ?? randomBytes(8).toString('hex');
    this.visible = visible ? new Set(visible) : null;
    this.clock = fleet.clock;
    this.now = fleet.clock.now();
    this.budget = new CallBudget(fleet.settings.callBudget);
    const timeoutMs = fleet.settings.operationTimeoutMs;
    this.deadline = performance.now() + timeoutMs;
    const expiry = AbortSignal.timeout(timeoutMs);
    this.signal = clientSignal ? AbortSignal.any([clientSignal, expiry]) : expiry;
    // Every queued or rate-limited call of the operation listens to it: hundreds are normal, not a leak.
    setMaxListeners(0, this.signal);
  }

  batch(loader: string, size: number): void {
    this.fleet.batchObserver?.(loader, size);
  }

  /** A configured source this operation may see. */
  source(name: string): SourceRuntime | undefined {
    return this.visible && !this.visible.has(name) ? undefined : this.fleet.get(name);
  }

  /** The sources this operation may see, in configuration order. */
  sources(): SourceRuntime[] {
    return this.visible ? this.fleet.sources.filter((s) => this.visible!.has(s.name)) : [...this.fleet.sources];
  }

  /** The session of a configured source (created on first use, shared by the whole operation). */
  session(name: string): SourceSession | undefined {
    let session = this.sessions.get(name);
    if (!session) {
      const runtime = this.source(name);
      if (!runtime) return undefined;
      session = runtime.session(this);
      this.sessions.set(name, session);
    }
    return session;
  }
}

export interface SourceFilter {
  providers?: readonly ProviderKind[] | null;
  sources?: readonly string[] | null;
}

/**
 * The sources a filter selects, in configuration order, each with the kinds wanted of it; a
 * source none of whose kinds is wanted is left out. Unknown source names are refused.
 */
export function selectRuntimes(op: Operation, filter: SourceFilter | null | undefined): { runtime: SourceRuntime; kinds: KindFilter }[] {
  for (const name of filter?.sources ?? []) {
    if (!op.source(name)) throw new BadInputError(`\`filter.sources\` names no configured source: "${name}".`, 'filter');
  }
  const names = filter?.sources ? new Set(filter.sources) : null;
  const providers = filter?.providers && filter.providers.length > 0 ? filter.providers : null;
  const selected: { runtime: SourceRuntime; kinds: KindFilter }[] = [];
  for (const runtime of op.sources()) {
    if (names && !names.has(runtime.name)) continue;
    const kinds = providers ? runtime.kinds.filter((k) => providers.includes(k)) : null;
    if (kinds && kinds.length === 0) continue;
    selected.push({ runtime, kinds });
  }
  return selected;
}

/** `selectRuntimes`, with each source's session of the operation. */
export function selectSources(op: Operation, filter: SourceFilter | null | undefined): { session: SourceSession; kinds: KindFilter }[] {
  return selectRuntimes(op, filter).map(({ runtime, kinds }) => ({ session: op.session(runtime.name)!, kinds }));
}
