/**
 * The backup state as metrics, so that Prometheus and Alertmanager can page someone: a background
 * pass on an interval (never per scrape) runs the coverage query in process, through the same
 * resolvers, loaders and page cache as a client's, and sets per target its last success, RPO,
 * coverage state and last backup's size, and per source whether it could be read.
 */
import { execute, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Fleet } from '../fleet/fleet.js';
import { createContext } from '../graphql/context.js';
import type { Principal } from '../graphql/auth.js';
import { log } from '../lib/log.js';
import type { Metrics } from './metrics.js';
import type { SnapshotService } from '../snapshot/service.js';

const COVERAGE = parse(`query BackupStateCollector($after: String) {
  backupCoverage(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      provider source state rpoHours lastSuccessAt restorableUntil
      target { __typename ... on ObTenant { id tenantName } ... on DcsInstance { id name } ... on RdsInstance { id name } }
      lastBackup { ... on Backup { sizeBytes } }
    }
  }
}`);

const STATES = ['OK', 'STALE', 'FAILING', 'RUNNING', 'NEVER', 'UNKNOWN'] as const;
const COLLECTOR: Principal = { name: 'backup-state collector', via: 'open', role: 'read', sources: null };
/** At most this many pages a pass (100 targets each: a page stays within the call budget). */
const MAX_PAGES = 200;

interface CoverageItem {
  provider: string;
  source: string;
  state: (typeof STATES)[number];
  rpoHours: number;
  lastSuccessAt: string | null;
  restorableUntil: string | null;
  target: { id: string; tenantName?: string; name?: string };
  lastBackup: { sizeBytes?: number | null } | null;
}
interface CoveragePage {
  backupCoverage: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: CoverageItem[] };
}

export class BackupStateCollector {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fleet: Fleet,
    private readonly metrics: Metrics,
    /** The fleet snapshot, when on: the pass reads it instead of the upstreams. */
    private readonly snapshot: SnapshotService | null = null,
  ) {}

  /** Runs a pass now and then every `intervalMs`. */
  start(intervalMs: number): void {
    void this.run();
    this.timer = setInterval(() => void this.run(), intervalMs);
    this.timer.unref();
  }

  /** One pass (a pass already running is joined, not doubled). */
  run(): Promise<void> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<void> {
    const items: CoverageItem[] = [];
    const down = new Set<string>();
    try {
      let after: string | null = null;
      for (let page = 0; page < MAX_PAGES; page++) {
        const contextValue = createContext(
          this.fleet,
          COLLECTOR,
          AbortSignal.timeout(this.fleet.settings.operationTimeoutMs),
          undefined,
          undefined,
          this.snapshot,
        );
        const result = (await execute({
          schema: this.schema,
          document: COVERAGE,
          variableValues: { after },
          contextValue,
        })) as unknown as ExecutionResult<CoveragePage>;
        for (const error of [...(result.errors ?? []), ...contextValue.partialErrors]) {
          const source = error.extensions?.['source'];
          if (typeof source === 'string') down.add(source);
        }
        if (!result.data) throw new Error(result.errors?.[0]?.message ?? 'no data');
        items.push(...result.data.backupCoverage.nodes);
        const { hasNextPage, endCursor } = result.data.backupCoverage.pageInfo;
        if (!hasNextPage || !endCursor) break;
        after = endCursor;
      }
    } catch (error) {
      this.metrics.collectorRuns.inc({ outcome: 'error' });
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'backup-state collector: the pass failed; the metrics keep the previous pass');
      return;
    }
    this.publish(items, down);
    this.metrics.collectorRuns.inc({ outcome: down.size > 0 ? 'partial' : 'success' });
    this.metrics.collectorLastRun.set(this.fleet.clock.now() / 1000);
  }

  /** Replaces the previous pass's series at once (one synchronous block: a scrape never sees half). */
  private publish(items: readonly CoverageItem[], down: ReadonlySet<string>): void {
    const m = this.metrics;
    m.lastSuccess.reset();
    m.rpo.reset();
    m.coverageState.reset();
    m.lastSize.reset();
    m.restorableUntil.reset();
    m.archiveLag.reset();
    m.sourceUp.reset();
    const now = this.fleet.clock.now();
    for (const item of items) {
      const labels = { source: item.source, provider: item.provider, target: item.target.tenantName ?? item.target.name ?? item.target.id, id: item.target.id };
      if (item.lastSuccessAt !== null) m.lastSuccess.set(labels, Date.parse(item.lastSuccessAt) / 1000);
      m.rpo.set(labels, item.rpoHours * 3600);
      for (const state of STATES) m.coverageState.set({ ...labels, state }, state === item.state ? 1 : 0);
      if (item.restorableUntil !== null) {
        const until = Date.parse(item.restorableUntil);
        m.restorableUntil.set(labels, until / 1000);
        m.archiveLag.set(labels, Math.max(0, (now - until) / 1000));
      }
      const size = item.lastBackup?.sizeBytes;
      if (typeof size === 'number') m.lastSize.set(labels, size);
    }
    for (const runtime of this.fleet.sources) m.sourceUp.set({ source: runtime.name, provider: runtime.config.provider }, down.has(runtime.name) ? 0 : 1);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
