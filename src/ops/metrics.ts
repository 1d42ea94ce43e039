/**
 * Prometheus metrics (prom-client), one registry per gateway, names as in contract §7: GraphQL
 * operations, upstream calls, retries, circuit states, the page cache, Redis errors, DataLoader
 * batch sizes, the process, and the backup state the collector (collector.ts) reads.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SourceRuntime } from '../core/provider.js';
import type { UpstreamObserver } from '../core/upstream.js';

const CIRCUIT_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/** Operation names are the client's to choose: past this many distinct ones, the rest are counted as `other`. */
const MAX_OPERATION_NAMES = 200;

export class Metrics implements UpstreamObserver {
  readonly registry = new Registry();
  private readonly operations: Counter<'operation' | 'outcome'>;
  private readonly operationSeconds: Histogram<'operation' | 'outcome'>;
  private readonly operationCalls: Counter<'operation'>;
  private readonly upstreamRequests: Counter<'source' | 'provider' | 'route' | 'status'>;
  private readonly upstreamSeconds: Histogram<'source' | 'provider' | 'route'>;
  private readonly retries: Counter<'source' | 'provider'>;
  private readonly cacheRequests: Counter<'result'>;
  private readonly responseCacheEvents: Counter<'event'>;
  readonly redisErrors: Counter<'op'>;
  readonly lastSuccess: Gauge<'source' | 'provider' | 'target' | 'id'>;
  readonly rpo: Gauge<'source' | 'provider' | 'target' | 'id'>;
  readonly coverageState: Gauge<'source' | 'provider' | 'target' | 'id' | 'state'>;
  readonly lastSize: Gauge<'source' | 'provider' | 'target' | 'id'>;
  readonly restorableUntil: Gauge<'source' | 'provider' | 'target' | 'id'>;
  readonly archiveLag: Gauge<'source' | 'provider' | 'target' | 'id'>;
  readonly sourceUp: Gauge<'source' | 'provider'>;
  readonly collectorRuns: Counter<'outcome'>;
  private readonly batchSizes: Histogram<'loader'>;
  readonly collectorLastRun: Gauge;
  readonly actions: Counter<'action' | 'source' | 'provider' | 'outcome'>;
  private readonly livePolls: Counter<'source' | 'outcome'>;
  private readonly liveEvents: Counter<'topic'>;
  private readonly liveDropped: Counter<'topic'>;
  private readonly liveSubscriptions: Gauge<'topic'>;
  private readonly snapshotCalls: Counter<string>;
  private readonly snapshotOldest: Gauge<string>;
  /** Per source, when the snapshot's least recently read target was read (ms); set by the gateway. */
  snapshotAges: (() => { source: string; oldestReadAt: number | null }[]) | undefined;
  private readonly names = new Set<string>();

  /** `sources`: read at each scrape (the circuit states). */
  constructor(sources: () => readonly SourceRuntime[]) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'backupql_' });
    this.operations = new Counter({
      name: 'backupql_graphql_operations_total',
      help: 'GraphQL operations by operation name and outcome (success, partial, error, invalid).',
      labelNames: ['operation', 'outcome'],
      registers,
    });
    this.operationSeconds = new Histogram({
      name: 'backupql_graphql_operation_duration_seconds',
      help: 'Time from the start of execution to its result.',
      labelNames: ['operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.operationCalls = new Counter({
      name: 'backupql_graphql_operation_upstream_calls_total',
      help: 'Upstream calls made on the request path of GraphQL operations, by operation name (the snapshot refreshes are counted apart).',
      labelNames: ['operation'],
      registers,
    });
    this.upstreamRequests = new Counter({
      name: 'backupql_upstream_requests_total',
      help: 'Upstream attempts by source, provider, route and HTTP status (or the failure: timeout, refused, reset, circuit-open, …).',
      labelNames: ['source', 'provider', 'route', 'status'],
      registers,
    });
    this.upstreamSeconds = new Histogram({
      name: 'backupql_upstream_request_duration_seconds',
      help: 'Time of one upstream attempt on the wire.',
      labelNames: ['source', 'provider', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.retries = new Counter({ name: 'backupql_upstream_retries_total', help: 'Upstream retries.', labelNames: ['source', 'provider'], registers });
    new Gauge({
      name: 'backupql_circuit_state',
      help: "The circuit breaker's state per source: 0 closed, 1 half-open, 2 open.",
      labelNames: ['source', 'provider'],
      registers,
      collect() {
        for (const s of sources()) this.set({ source: s.name, provider: s.config.provider }, CIRCUIT_VALUE[s.circuit()]);
      },
    });
    this.cacheRequests = new Counter({
      name: 'backupql_cache_requests_total',
      help: 'Page cache look-ups by result (hit, miss).',
      labelNames: ['result'],
      registers,
    });
    this.responseCacheEvents = new Counter({
      name: 'backupql_graphql_response_cache_total',
      help: 'Whole answers served again from the response cache (hit) and answers kept (stored); a hit is not counted in backupql_graphql_operations_total.',
      labelNames: ['event'],
      registers,
    });
    this.redisErrors = new Counter({
      name: 'backupql_redis_errors_total',
      help: 'Failed Redis commands of the shared page cache (the query goes on without the cache).',
      labelNames: ['op'],
      registers,
    });
    this.actions = new Counter({
      name: 'backupql_actions_total',
      help: 'Mutations (startBackup, cancelBackup, deleteBackup) by outcome: succeeded, failed (upstream), refused (before any call), replayed (idempotency key).',
      labelNames: ['action', 'source', 'provider', 'outcome'],
      registers,
    });
    this.livePolls = new Counter({
      name: 'backupql_live_polls_total',
      help: "The live pollers' reads of a source, by outcome.",
      labelNames: ['source', 'outcome'],
      registers,
    });
    this.liveEvents = new Counter({
      name: 'backupql_live_events_total',
      help: 'Subscription events published (once per event, whatever the subscribers).',
      labelNames: ['topic'],
      registers,
    });
    this.liveDropped = new Counter({
      name: 'backupql_live_events_dropped_total',
      help: "Events dropped from a slow subscriber's full buffer (live.bufferPerSubscriber).",
      labelNames: ['topic'],
      registers,
    });
    this.liveSubscriptions = new Gauge({
      name: 'backupql_subscriptions_active',
      help: 'Open subscriptions on this replica.',
      labelNames: ['topic'],
      registers,
    });
    this.snapshotCalls = new Counter({
      name: 'backupql_snapshot_refresh_calls_total',
      help: "Upstream calls the snapshot's refreshers made, per source and outcome (against `refreshBudget.callsPerMinute`).",
      labelNames: ['source', 'outcome'],
      registers,
    });
    const ages = () => this.snapshotAges?.() ?? [];
    this.snapshotOldest = new Gauge({
      name: 'backupql_snapshot_oldest_read_timestamp_seconds',
      help: "Unix time the snapshot's least recently read target of a source was read (how stale the fleet views can be).",
      labelNames: ['source'],
      registers,
      collect() {
        this.reset();
        for (const { source, oldestReadAt } of ages()) if (oldestReadAt !== null) this.set({ source }, oldestReadAt / 1000);
      },
    });
    const target = ['source', 'provider', 'target', 'id'] as const;
    this.restorableUntil = new Gauge({
      name: 'backupql_backup_restorable_until_timestamp_seconds',
      help: "Unix time a restore can reach: the tenant's archive checkpoint (OceanBase), the end of the reported restorable window (RDS); absent where not reported.",
      labelNames: target,
      registers,
    });
    this.archiveLag = new Gauge({
      name: 'backupql_backup_archive_lag_seconds',
      help: "How far behind now that point is (the archive delay), seconds; `ARCHIVE_LAG` past the source's archiveLagToleranceMinutes.",
      labelNames: target,
      registers,
    });
    this.lastSuccess = new Gauge({
      name: 'backupql_backup_last_success_timestamp_seconds',
      help: "Unix time of the target's last successful backup (absent when it never had one).",
      labelNames: target,
      registers,
    });
    this.rpo = new Gauge({
      name: 'backupql_backup_rpo_seconds',
      help: 'The recovery point objective the target is assessed against.',
      labelNames: target,
      registers,
    });
    this.coverageState = new Gauge({
      name: 'backupql_backup_coverage_state',
      help: "The target's coverage state: 1 for the current one (OK STALE FAILING RUNNING NEVER UNKNOWN), 0 for the others.",
      labelNames: [...target, 'state'],
      registers,
    });
    this.lastSize = new Gauge({ name: 'backupql_backup_last_size_bytes', help: "Size of the target's newest backup.", labelNames: target, registers });
    this.sourceUp = new Gauge({
      name: 'backupql_source_up',
      help: 'Whether the collector could read the source on its last pass (1) or not (0).',
      labelNames: ['source', 'provider'],
      registers,
    });
    this.batchSizes = new Histogram({
      name: 'backupql_dataloader_batch_size',
      help: 'Keys per DataLoader batch (look-ups by ID grouped per operation).',
      labelNames: ['loader'],
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
      registers,
    });
    this.collectorRuns = new Counter({
      name: 'backupql_collector_runs_total',
      help: 'Passes of the backup-state collector by outcome.',
      labelNames: ['outcome'],
      registers,
    });
    this.collectorLastRun = new Gauge({
      name: 'backupql_collector_last_run_timestamp_seconds',
      help: "Unix time of the collector's last finished pass.",
      registers,
    });
  }

  /** The label an operation is counted under. */
  private operationLabel(name: string | null | undefined): string {
    const label = name || 'anonymous';
    if (this.names.has(label)) return label;
    if (this.names.size >= MAX_OPERATION_NAMES) return 'other';
    this.names.add(label);
    return label;
  }

  operation(name: string | null | undefined, outcome: 'success' | 'partial' | 'error' | 'invalid', seconds?: number, upstreamCalls?: number): void {
    const operation = this.operationLabel(name);
    this.operations.inc({ operation, outcome });
    if (seconds !== undefined) this.operationSeconds.observe({ operation, outcome }, seconds);
    if (upstreamCalls !== undefined) this.operationCalls.inc({ operation }, upstreamCalls);
  }

  request(source: string, provider: string, route: string, status: string, seconds: number): void {
    this.upstreamRequests.inc({ source, provider, route, status });
    this.upstreamSeconds.observe({ source, provider, route }, seconds);
  }

  retry(source: string, provider: string): void {
    this.retries.inc({ source, provider });
  }

  batch(loader: string, size: number): void {
    this.batchSizes.observe({ loader }, size);
  }

  cache(result: 'hit' | 'miss'): void {
    this.cacheRequests.inc({ result });
  }

  responseCache(event: 'hit' | 'stored'): void {
    this.responseCacheEvents.inc({ event });
  }

  /** What the snapshot's refreshers tell (src/snapshot/refresher.ts). */
  get snapshot() {
    return { refreshed: (source: string, outcome: 'success' | 'error', calls: number) => this.snapshotCalls.inc({ source, outcome }, calls) };
  }

  /** What the live hub tells (src/live/hub.ts). */
  get live() {
    return {
      poll: (source: string, outcome: string) => this.livePolls.inc({ source, outcome }),
      event: (topic: string) => this.liveEvents.inc({ topic }),
      dropped: (topic: string) => this.liveDropped.inc({ topic }),
      subscriptions: (topic: string, delta: number) => this.liveSubscriptions.inc({ topic }, delta),
    };
  }
}
