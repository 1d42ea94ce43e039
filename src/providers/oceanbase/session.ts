/**
 * One obshell source at run time (`ObSource`: the client, what is remembered of the agent) and its
 * view for one operation (`ObSession`: the operation's loaders, so an upstream read asked for twice
 * is sent once, and every call is charged to the operation).
 *
 * What the agent can do is decided from its version (`GET /api/v1/info`), read once and again
 * after `CAPABILITIES_TTL_MS`, never by probing a route: agents from obshell 4.3.2.0 keep a paged,
 * sortable job history (`/backup/tasks`); older ones only the running-or-latest task of each
 * tenant (the cluster overview).
 */
import type DataLoader from 'dataloader';
import { CodedError, UpstreamError } from '../../core/errors.js';
import { encodeId, type NodeRef } from '../../core/ids.js';
import { finished, inProgress, type BackupStatus, type NodeLike, type TimeRangeModel } from '../../core/models.js';
import {
  wants,
  type BackupReader,
  type CoverageFacts,
  type KindFilter,
  type ActionAbilities,
  type ActionOutcome,
  type BackupMode,
  type OperationScope,
  type SourceActions,
  type SourceEnv,
  type SourceRuntime,
  type SourceSession,
  type Target,
  type TargetGroup,
} from '../../core/provider.js';
import { keepMatching, OPEN_RANGE, type MsRange } from '../../core/time-range.js';
import { operationScope, probeScope, upstreamFor, type Upstream } from '../../core/upstream.js';
import type { Clock } from '../../lib/clock.js';
import { log } from '../../lib/log.js';
import { batched, memo, toError } from '../../lib/memo.js';
import { arrayList, pageNumberList, type OffsetList } from '../../pagination/lists.js';
import { ObshellClient, type ObAgentInfo, type ObBackupJobsPage, type ObBackupTask, type ObTenantOverview } from './client.js';
import { mapOnce } from '../../lib/decoded.js';
import { toAgentInfo, toObBackupJob, toObBackupTask, toObCluster, toObTenant } from './mapping.js';
import type { LogArchiveModel, ObAgentInfoModel, ObArchiveLogTaskModel, ObBackupJobModel, ObBackupTaskModel, ObTenantModel } from './models.js';
import type { ObArchiveLogTask, ObBackupInfo } from './wire.js';
import { parseUpstreamTime } from '../../lib/time.js';
import { obJobStatusesFor } from './status.js';
import type { ObSourceConfig } from './config.js';

/** How long what the agent's version says is trusted before it is read again (agents get upgraded). */
export const CAPABILITIES_TTL_MS = 10 * 60_000;
/** The job history arrived in obshell 4.3.2.0 (notes §3). */
const JOB_HISTORY_SINCE = [4, 3, 2, 0];
/** Never ask the agent for more jobs than this in one call (a huge page × size makes it answer 500). */
const MAX_JOBS_PAGE = 1000;

export interface AgentCapabilities {
  version: string;
  /** `/backup/tasks` (paged, sorted, filtered job history). */
  jobHistory: boolean;
}

/** Whether a dotted version is at least `min` (unparseable: no). */
export function versionAtLeast(version: string, min: readonly number[]): boolean {
  const parts = /^\d+(\.\d+)*$/.test(version) ? version.split('.').map(Number) : null;
  if (!parts) return false;
  for (let i = 0; i < min.length; i++) {
    const have = parts[i] ?? 0;
    if (have !== min[i]) return have > min[i]!;
  }
  return true;
}

export class ObSource implements SourceRuntime {
  readonly name: string;
  readonly kinds = ['OCEANBASE'] as const;
  readonly client: ObshellClient;
  private readonly upstream: Upstream;
  private readonly clock: Clock;
  private capabilitiesMemo: { at: number; value: Promise<AgentCapabilities> } | undefined;

  constructor(
    readonly config: ObSourceConfig,
    env: SourceEnv,
  ) {
    this.name = config.name;
    this.clock = env.clock;
    this.upstream = upstreamFor(config, env, `${config.url}\u0000${config.password ?? ''}`);
    this.client = new ObshellClient({
      source: config.name,
      url: config.url,
      transport: this.upstream,
      clock: env.clock,
      ...(config.password === undefined ? {} : { password: config.password }),
      ...(config.agentPassword === undefined ? {} : { agentPassword: config.agentPassword }),
    });
  }

  session(op: OperationScope): ObSession {
    return new ObSession(this, op);
  }

  /** What the agent can do, from its version; the first operation to ask pays the one info call. */
  capabilities(op: OperationScope): Promise<AgentCapabilities> {
    const now = this.clock.now();
    if (!this.capabilitiesMemo || now - this.capabilitiesMemo.at > CAPABILITIES_TTL_MS) {
      const value = this.client.info(operationScope(op)).then((info) => {
        const jobHistory = versionAtLeast(info.version, JOB_HISTORY_SINCE);
        if (!/^\d+(\.\d+)*$/.test(info.version))
          log.warn({ source: this.name, version: info.version }, 'obshell agent version not understood; reading it as one without job history');
        return { version: info.version, jobHistory };
      });
      const memo = { at: now, value };
      // A failed read is not remembered: the next operation asks again.
      value.catch(() => {
        if (this.capabilitiesMemo === memo) this.capabilitiesMemo = undefined;
      });
      this.capabilitiesMemo = memo;
    }
    return this.capabilitiesMemo.value;
  }

  circuit(): 'closed' | 'half-open' | 'open' {
    return this.upstream.circuit;
  }

  /** The tenants' overview, read upstream: the agent answers and accepts the password. */
  async probe(op: OperationScope): Promise<void> {
    await this.client.tenantsOverview(probeScope(op));
  }

  close(): Promise<void> {
    return this.upstream.close();
  }
}

interface JobsKey {
  tenantName: string;
  page: number;
  size: number;
  order: 'asc' | 'desc';
  statuses: string[] | null;
  from: number | null;
  to: number | null;
}

const PRIMED_INDEXES = new WeakMap<readonly NodeLike[], Map<string, ObTenantModel>>();

export class ObSession implements SourceSession {
  readonly source: string;
  private readonly info: DataLoader<string, ObAgentInfo, string>;
  private readonly tenantsOverview: DataLoader<string, ObTenantOverview[], string>;
  private readonly clusterOverview: DataLoader<string, ObBackupTask[], string>;
  private readonly jobPages: DataLoader<JobsKey, ObBackupJobsPage, string>;
  private readonly backupInfo: DataLoader<string, ObBackupInfo | null, string>;
  private readonly archiveTasks: DataLoader<string, ObArchiveLogTask[] | null, string>;
  private readonly nodes: DataLoader<NodeRef, NodeLike | null, string>;

  constructor(
    private readonly src: ObSource,
    private readonly op: OperationScope,
  ) {
    this.source = src.name;
    const scope = operationScope(op);
    const client = src.client;
    this.info = memo(() => client.info(scope));
    this.tenantsOverview = memo(() => client.tenantsOverview(scope));
    this.clusterOverview = memo(() => client.clusterBackupOverview(scope));
    this.jobPages = memo((key) =>
      client.tenantBackupJobs(
        key.tenantName,
        {
          page: key.page,
          size: key.size,
          sort: { field: 'start_timestamp', order: key.order },
          ...(key.statuses ? { statuses: key.statuses } : {}),
          ...(key.from === null ? {} : { startTime: new Date(key.from) }),
          ...(key.to === null ? {} : { endTime: new Date(key.to), endTimeWholeMillisecond: true }),
        },
        scope,
      ),
    );
    this.nodes = batched(
      (refs) => this.lookUp(refs),
      (size) => op.batch?.('oceanbase.nodes', size),
    );
    this.backupInfo = memo((tenantName) => client.tenantBackupInfo(tenantName, scope));
    this.archiveTasks = memo((tenantName) => client.tenantArchiveLogTasks(tenantName, scope));
  }

  // ---- recoverability (obshell ≥ 4.3.2.0: the same version as the job history) -----------------------

  /** The running archive rounds and what the agent says of archiving; null on agents without the routes (no call). */
  private async archive(tenantName: string, withInfo: boolean): Promise<{ tasks: ObArchiveLogTaskModel[]; info: ObBackupInfo | null } | null> {
    if (!(await this.src.capabilities(this.op)).jobHistory) return null;
    const [tasks, info] = await Promise.all([this.archiveTasks.load(tenantName), withInfo ? this.backupInfo.load(tenantName) : Promise.resolve(null)]);
    if (tasks === null) return null;
    return { tasks: tasks.map(toArchiveTask), info };
  }

  /** `ObTenant.logArchive`: the running round (else STOP), its checkpoint and delay, the rounds listed. */
  async logArchive(tenantName: string): Promise<LogArchiveModel | null> {
    const archive = await this.archive(tenantName, true);
    if (!archive) return null;
    const running = newestRound(archive.tasks);
    const checkpoint = running?.checkpoint ?? parseUpstreamTime(archive.info?.lastest_archive_log_checkpoint) ?? null;
    const delay = archive.info?.archive_log_delay ?? (checkpoint && archive.info ? 0 : (running?.delaySeconds ?? null));
    return { status: running?.status ?? 'STOP', checkpoint, delaySeconds: delay, roundId: running?.roundId ?? null, tasks: archive.tasks };
  }

  /**
   * `ObTenant.restorableWindow`, derived (OceanBase's rule: a restore point lies between a usable
   * backup set and the archive checkpoint): from the end of the oldest full backup that succeeded
   * to the checkpoint. Without a checkpoint, the instants of the newest backups that succeeded.
   */
  async restorableWindow(tenantName: string): Promise<TimeRangeModel[] | null> {
    const archive = await this.archive(tenantName, true);
    if (!archive) return null;
    const running = newestRound(archive.tasks);
    const checkpoint = running?.checkpoint ?? parseUpstreamTime(archive.info?.lastest_archive_log_checkpoint) ?? null;
    const oldest = await this.jobs(tenantName, OPEN_RANGE, 'asc', 50, ['COMPLETED']);
    const full = oldest.items.find((j) => /^full$/i.test(j.backupType ?? ''));
    const fullEnd = full ? (full.finishedAt ?? full.startedAt) : null;
    if (checkpoint && fullEnd && fullEnd.getTime() <= checkpoint.getTime()) return [{ from: fullEnd, until: checkpoint, derived: true }];
    const newest = await this.jobs(tenantName, OPEN_RANGE, 'desc', 20, ['COMPLETED']);
    return newest.items
      .map((j) => j.finishedAt ?? j.startedAt)
      .filter((t): t is Date => t !== null)
      .sort((a, b) => a.getTime() - b.getTime())
      .map((t) => ({ from: t, until: t, derived: true }));
  }

  /** What the coverage rules need of archiving: stopped or not, and its checkpoint (one call while a round runs, two when none does). */
  private async archiveFacts(tenantName: string): Promise<CoverageFacts['archive']> {
    const archive = await this.archive(tenantName, false);
    if (!archive) return undefined;
    const running = newestRound(archive.tasks);
    if (running && ARCHIVING.has(running.status)) return { stopped: false, checkpoint: running.checkpoint };
    const info = await this.backupInfo.load(tenantName);
    return { stopped: true, checkpoint: running?.checkpoint ?? parseUpstreamTime(info?.lastest_archive_log_checkpoint) ?? null };
  }

  // ---- what the resolvers of the OceanBase types read ----------------------------------------------

  async agentInfo(): Promise<ObAgentInfoModel> {
    return toAgentInfo(await this.info.load(''));
  }

  async tenantList(): Promise<ObTenantModel[]> {
    return (await this.tenantsOverview.load('')).map((t) => toObTenant(this.source, t));
  }

  async tenantByName(tenantName: string): Promise<ObTenantModel | null> {
    return this.primedTenant(`name:${tenantName}`) ?? (await this.tenantList()).find((t) => t.tenantName === tenantName) ?? null;
  }

  async tenantById(tenantId: number): Promise<ObTenantModel | null> {
    return this.primedTenant(`id:${tenantId}`) ?? (await this.tenantList()).find((t) => t.tenantId === tenantId) ?? null;
  }

  private primedModels: readonly NodeLike[] = [];
  private primedIndex: Map<string, ObTenantModel> | null = null;

  prime(models: readonly NodeLike[]): void {
    this.primedModels = models;
    this.primedIndex = null;
  }

  /** A primed tenant by `name:<tenantName>` or `id:<tenantId>` (indexed at the first look-up). */
  private primedTenant(key: string): ObTenantModel | undefined {
    if (this.primedModels.length === 0) return undefined;
    if (!this.primedIndex) {
      // Indexed once per list (the snapshot hands every operation of a view the same array).
      let index = PRIMED_INDEXES.get(this.primedModels);
      if (!index) {
        index = new Map();
        for (const m of this.primedModels) {
          if (m.kind !== 'ObTenant') continue;
          const t = m as ObTenantModel;
          index.set(`name:${t.tenantName}`, t).set(`id:${t.tenantId}`, t);
        }
        PRIMED_INDEXES.set(this.primedModels, index);
      }
      this.primedIndex = index;
    }
    return this.primedIndex.get(key);
  }

  /** The running-or-latest task of every tenant of the cluster: one call, whoever asks. */
  async backupOverview(): Promise<ObBackupTaskModel[]> {
    return (await this.clusterOverview.load('')).map((t) => mapOnce(t, toObBackupTask, () => toObBackupTask(this.source, t)));
  }

  /** A tenant's running-or-latest task, from the cluster overview (one call for every tenant). */
  async latestBackup(tenantId: number): Promise<ObBackupTaskModel | null> {
    return (await this.backupOverview()).find((t) => t.tenantId === tenantId) ?? null;
  }

  /**
   * A tenant's job history, newest first, paged page/size by the agent (`ObTenant.backupJobs`).
   * Agents without one (before 4.3.2.0) are not asked: their answer is known from their version.
   */
  backupJobs(tenantName: string, filter: { statuses: string[] | null; range: MsRange }): OffsetList<ObBackupJobModel> {
    return pageNumberList(async (page, size) => {
      const caps = await this.src.capabilities(this.op);
      if (!caps.jobHistory) {
        throw new UpstreamError({
          code: 'UPSTREAM_ERROR',
          source: this.source,
          provider: 'OCEANBASE',
          operation: 'GET /api/v1/tenant/{name}/backup/tasks',
          detail: `obshell ${caps.version} keeps no backup job history (obshell 4.3.2.0 and later do); see latestBackup`,
        });
      }
      const res = await this.jobPages.load({ tenantName, page, size, order: 'desc', statuses: filter.statuses, from: filter.range.from, to: filter.range.to });
      return { items: res.contents.map((j) => mapOnce(j, toObBackupJob, () => toObBackupJob(this.source, tenantName, j))), total: res.page.total_elements };
    });
  }

  /** The first `size` jobs of a range in start-time order, and how many the range holds. */
  private async jobs(tenantName: string, range: MsRange, order: 'asc' | 'desc', size: number, statuses: string[] | null) {
    const res = await this.jobPages.load({ tenantName, page: 1, size: Math.min(size, MAX_JOBS_PAGE), order, statuses, from: range.from, to: range.to });
    return { items: res.contents.map((j) => mapOnce(j, toObBackupJob, () => toObBackupJob(this.source, tenantName, j))), total: res.page.total_elements };
  }

  /** Every job of a range (pages of `MAX_JOBS_PAGE`, read in parallel once the total is known). */
  private async allJobs(tenantName: string, range: MsRange, statuses: string[] | null): Promise<ObBackupJobModel[]> {
    return readAllPages((page) =>
      this.jobPages.load({ tenantName, page, size: MAX_JOBS_PAGE, order: 'desc', statuses, from: range.from, to: range.to }).then((res) => ({
        items: res.contents.map((j) => mapOnce(j, toObBackupJob, () => toObBackupJob(this.source, tenantName, j))),
        total: res.page.total_elements,
      })),
    );
  }

  // ---- SourceSession ---------------------------------------------------------------------------------

  instanceSegments(kinds: KindFilter) {
    return wants(kinds, 'OCEANBASE') ? [{ key: this.source, list: arrayList(async () => [toObCluster(this.source)]) }] : [];
  }

  tenantSegments(kinds: KindFilter) {
    return wants(kinds, 'OCEANBASE') ? [{ key: this.source, list: arrayList(() => this.tenantList()) }] : [];
  }

  /** Every user tenant (`sys` cannot be backed up on its own), or those a filter names. */
  targets(kinds: KindFilter, picked?: readonly NodeRef[]): TargetGroup[] {
    if (!wants(kinds, 'OCEANBASE')) return [];
    const wholeCluster = !picked || picked.some((ref) => ref.type === 'ObCluster');
    const names = new Set(picked?.filter((ref) => ref.type === 'ObTenant').map((ref) => String(ref.keys['tenantName'])));
    if (!wholeCluster && names.size === 0) return [];
    return [
      {
        kind: 'OCEANBASE',
        load: async () =>
          (await this.tenantList())
            .filter((t) => !t.isSystemTenant && (wholeCluster || names.has(t.tenantName)))
            .map((t): Target => ({ kind: 'OCEANBASE', source: this.source, id: t.id, keys: { tenantName: t.tenantName }, model: t })),
      },
    ];
  }

  async backups(target: Target, statuses: readonly BackupStatus[] | null): Promise<BackupReader> {
    const tenant = target.model as ObTenantModel;
    const caps = await this.src.capabilities(this.op);
    if (!caps.jobHistory) {
      // No history: the tenant's running-or-latest task stands in, filtered here.
      return { sorted: false, readAll: async (range) => keepMatching(await this.latestAsList(tenant), range, statuses) };
    }
    const upstream = statuses ? obJobStatusesFor(statuses) : null;
    if (statuses && upstream && upstream.length === 0) return { sorted: false, readAll: async () => [] };
    if (statuses && !upstream) {
      // A status the agent cannot filter on (UNKNOWN): the window read whole, filtered here.
      return { sorted: false, readAll: async (range) => keepMatching(await this.allJobs(tenant.tenantName, range, null), range, statuses) };
    }
    return { sorted: true, read: (range, order, size) => this.jobs(tenant.tenantName, range, order, size, upstream) };
  }

  /**
   * The cluster overview (one call for every tenant) says each tenant's running-or-latest task;
   * the job history is asked only for what it does not say: the newest success when the latest
   * task did not succeed, and the newest finished one while a backup runs.
   */
  async coverage(target: Target): Promise<CoverageFacts> {
    const tenant = target.model as ObTenantModel;
    // A tenant never backed up is NEVER whatever its archive says: it is not asked. The others'
    // archive is read beside their job history (the same round).
    const latest = await this.latestBackup(tenant.tenantId);
    const archive = latest ? this.archiveFacts(tenant.tenantName) : Promise.resolve(undefined);
    archive.catch(() => undefined);
    const facts = await this.backupFacts(tenant);
    const known = await archive;
    return known === undefined ? facts : { ...facts, archive: known };
  }

  private async backupFacts(tenant: ObTenantModel): Promise<CoverageFacts> {
    const latest = await this.latestBackup(tenant.tenantId);
    if (!latest) return { lastBackup: null, lastSuccess: null, newestFinished: null, running: false, hasAny: false };
    const running = inProgress(latest.status);
    if (latest.status === 'SUCCEEDED') return { lastBackup: latest, lastSuccess: latest, newestFinished: latest, running: false, hasAny: true };
    const caps = await this.src.capabilities(this.op);
    if (!caps.jobHistory) {
      return {
        lastBackup: latest,
        lastSuccess: null,
        newestFinished: running ? null : latest,
        running,
        hasAny: true,
        limitation: `obshell ${caps.version} keeps no job history (4.3.2.0 and later do): the last success is known only while it is the latest task`,
      };
    }
    if (!running) {
      const success = await this.jobs(tenant.tenantName, OPEN_RANGE, 'desc', 1, ['COMPLETED']);
      return {
        lastBackup: latest,
        lastSuccess: success.items[0] ?? null,
        newestFinished: finished(latest.status) ? latest : null,
        running: false,
        hasAny: true,
      };
    }
    const ended = await this.jobs(tenant.tenantName, OPEN_RANGE, 'desc', 10, ['COMPLETED', 'FAILED', 'CANCELED']);
    let lastSuccess = ended.items.find((j) => j.status === 'SUCCEEDED') ?? null;
    if (!lastSuccess && ended.total > ended.items.length)
      lastSuccess = (await this.jobs(tenant.tenantName, OPEN_RANGE, 'desc', 1, ['COMPLETED'])).items[0] ?? null;
    return { lastBackup: latest, lastSuccess, newestFinished: ended.items[0] ?? null, running: true, hasAny: true };
  }

  node(ref: NodeRef): Promise<NodeLike | null> {
    return this.nodes.load(ref);
  }

  /**
   * Starting and cancelling backups of a tenant or of the whole cluster (obshell ≥ 4.2.4.0). After
   * the write, the running task is read back past the cache: the agent starts the backup from an
   * asynchronous task, so it may not show yet (then `backups` is empty).
   */
  readonly actions: SourceActions = {
    abilities: (ref: NodeRef): ActionAbilities =>
      (ref.type === 'ObTenant' && ref.keys['tenantName'] !== 'sys') || ref.type === 'ObCluster'
        ? { start: ['FULL', 'INCREMENTAL'], cancel: true, delete: false }
        : { start: [], cancel: false, delete: false },
    start: async (ref: NodeRef, input: { mode: BackupMode }): Promise<ActionOutcome> => {
      const scope = operationScope(this.op);
      const mode = input.mode === 'INCREMENTAL' ? 'incremental' : 'full';
      // The agent accepts a start while a backup runs, and its asynchronous task fails later
      // (OB_BACKUP_IN_PROGRESS, docs/upstreams.md): what runs is read first, and a start refused here.
      if (ref.type === 'ObCluster') {
        const running = await this.runningTasks();
        if (running.length > 0) throw alreadyRunning(this.source, running);
        await this.src.client.startClusterBackup({ mode }, scope);
        return { targetId: encodeId('ObCluster', this.source), backups: await this.runningTasks() };
      }
      const tenantName = String(ref.keys['tenantName']);
      const running = await this.runningTask(tenantName);
      if (running.length > 0) throw alreadyRunning(this.source, running);
      await this.src.client.startTenantBackup(tenantName, { mode }, scope);
      return { targetId: encodeId('ObTenant', this.source, tenantName), backups: await this.runningTask(tenantName) };
    },
    cancel: async (ref: NodeRef): Promise<ActionOutcome> => {
      const scope = operationScope(this.op);
      if (ref.type === 'ObCluster') {
        await this.src.client.cancelClusterBackup(scope);
        return { targetId: encodeId('ObCluster', this.source), backups: await this.runningTasks() };
      }
      const tenantName = String(ref.keys['tenantName']);
      await this.src.client.cancelTenantBackup(tenantName, scope);
      return { targetId: encodeId('ObTenant', this.source, tenantName), backups: await this.runningTask(tenantName) };
    },
    delete: () => Promise.reject(new Error('obshell backups are not deleted through the API')),
  };

  /** A tenant's task right after a write, read past the cache; only a running one is the one just started or cancelled. */
  private async runningTask(tenantName: string): Promise<ObBackupTaskModel[]> {
    const task = await this.src.client.tenantBackupOverview(tenantName, { ...operationScope(this.op), fresh: true });
    const model = task ? toObBackupTask(this.source, task) : null;
    return model && inProgress(model.status) ? [model] : [];
  }

  private async runningTasks(): Promise<ObBackupTaskModel[]> {
    const tasks = await this.src.client.clusterBackupOverview({ ...operationScope(this.op), fresh: true });
    return tasks.map((t) => toObBackupTask(this.source, t)).filter((t) => inProgress(t.status));
  }

  warm(wanted: ReadonlySet<string>): void {
    const any = (...coordinates: string[]) => coordinates.some((c) => wanted.has(c));
    const start = (read: () => Promise<unknown>) => void read().catch(() => undefined);
    // Every tenant's latest task is in the cluster overview, which needs no tenant list first.
    if (any('ObTenant.latestBackup', 'ObCluster.backupOverview', 'Query.backupCoverage')) start(() => this.clusterOverview.load(''));
    if (any('ObCluster.agent')) start(() => this.info.load(''));
    if (any('ObCluster.tenants', 'ObTenant.latestBackup', 'ObTenant.backupJobs')) start(() => this.tenantsOverview.load(''));
    if (any('Query.backupTasks', 'Query.backupCoverage', 'ObTenant.backupJobs')) start(() => this.src.capabilities(this.op));
  }

  private async latestAsList(tenant: ObTenantModel): Promise<ObBackupTaskModel[]> {
    const task = await this.latestBackup(tenant.tenantId);
    return task ? [task] : [];
  }

  /** The look-ups of one operation, grouped: one job history read per tenant, one overview per cluster. */
  private async lookUp(refs: readonly NodeRef[]): Promise<(NodeLike | null | Error)[]> {
    const jobsOf = new Map<string, Promise<Map<number, ObBackupJobModel> | null>>();
    const jobsByTenant = (tenantName: string) => {
      let found = jobsOf.get(tenantName);
      if (!found) {
        found = (async () => {
          if (!(await this.tenantByName(tenantName))) return null;
          if (!(await this.src.capabilities(this.op)).jobHistory) return new Map();
          return new Map((await this.allJobs(tenantName, OPEN_RANGE, null)).map((j) => [j.jobId, j]));
        })();
        jobsOf.set(tenantName, found);
      }
      return found;
    };
    return Promise.all(
      refs.map(async (ref): Promise<NodeLike | null | Error> => {
        try {
          switch (ref.type) {
            case 'ObCluster':
              return toObCluster(this.source);
            case 'ObTenant':
              return await this.tenantByName(String(ref.keys['tenantName']));
            case 'ObBackupTask': {
              // Only a tenant's running-or-latest task can be read back: the agent exposes no other.
              const task = await this.latestBackup(Number(ref.keys['tenantId']));
              return task && task.taskId === Number(ref.keys['taskId']) ? task : null;
            }
            case 'ObBackupJob':
              return (await jobsByTenant(String(ref.keys['tenantName'])))?.get(Number(ref.keys['jobId'])) ?? null;
            default:
              return null;
          }
        } catch (error) {
          return toError(error);
        }
      }),
    );
  }
}

/** Round statuses in which logs are being archived (STOPPING and SUSPEND are on their way out, or paused). */
const ARCHIVING = new Set(['DOING', 'BEGINNING', 'PREPARE']);

function toArchiveTask(t: ObArchiveLogTask): ObArchiveLogTaskModel {
  return {
    roundId: t.round_id,
    status: t.status,
    path: t.path ?? null,
    delaySeconds: t.delay ?? null,
    checkpoint: parseUpstreamTime(t.checkpoint),
    startTime: parseUpstreamTime(t.start_time ?? undefined),
  };
}

/** The newest round listed (the agent lists them in no order). */
function newestRound(tasks: readonly ObArchiveLogTaskModel[]): ObArchiveLogTaskModel | undefined {
  return [...tasks].sort((a, b) => b.roundId - a.roundId)[0];
}

/** A start refused because a backup runs: obshell would accept it, then fail it. */
function alreadyRunning(source: string, running: readonly ObBackupTaskModel[]): CodedError {
  const tenants = running.map((t) => t.tenantId).join(', ');
  return new CodedError('CONFLICT', `A backup is already running on source "${source}" (tenant ID ${tenants}): wait for it to end, or cancel it first.`, {
    source,
    provider: 'OCEANBASE',
    runningBackupIds: running.map((t) => t.id),
  });
}

/** Every item of a page-numbered list: page 1 gives the total, the other pages are read at once. */
async function readAllPages<T>(fetchPage: (page: number) => Promise<{ items: T[]; total: number }>): Promise<T[]> {
  const first = await fetchPage(1);
  if (first.items.length >= first.total || first.items.length === 0) return first.items;
  const pages = Math.ceil(first.total / first.items.length);
  const rest = await Promise.all(Array.from({ length: pages - 1 }, (_, i) => fetchPage(i + 2)));
  return first.items.concat(...rest.map((r) => r.items));
}
