/**
 * Everything resolvers read, for one GraphQL request: upstream calls go through DataLoaders built
 * per request, so a call asked for twice in one operation (aliases, fragments, repeated subtrees)
 * is sent once, look-ups by ID are batched onto list calls, and answers come back as domain models.
 *
 * Dependency direction: resolvers → this layer → provider clients → HTTP.
 */
import DataLoader from 'dataloader';
import type {
  DcsBackupModel,
  DcsInstanceModel,
  ObAgentInfoModel,
  ObBackupJobModel,
  ObBackupTaskModel,
  ObTenantModel,
  RdsBackupModel,
  RdsInstanceModel,
} from '../domain/models.js';
import { UpstreamError } from '../errors.js';
import { stableJson } from '../pagination/cursor.js';
import { offsetLimitList, pageNumberList, readAll, type OffsetList } from '../pagination/lists.js';
import type { DcsBackupList, DcsInstance } from '../providers/huawei/dcs-client.js';
import { DCS_MAX_LIMIT } from '../providers/huawei/dcs-client.js';
import { toDcsBackup, toDcsInstance, toRdsBackup, toRdsInstance } from '../providers/huawei/mapping.js';
import type { RdsBackupList, RdsBackupType, RdsInstance } from '../providers/huawei/rds-client.js';
import { RDS_MAX_LIMIT } from '../providers/huawei/rds-client.js';
import type { ObAgentInfo, ObBackupJobsPage, ObBackupTask, ObTenantOverview } from '../providers/oceanbase/client.js';
import { toAgentInfo, toObBackupJob, toObBackupTask, toObTenant } from '../providers/oceanbase/mapping.js';
import type { HuaweiSource, ObshellSource, Sources } from '../sources.js';

/** A DataLoader that only memoizes: each distinct key is one call, its answer shared by every asker. */
function memo<K, V>(load: (key: K) => Promise<V>): DataLoader<K, V, string> {
  return new DataLoader<K, V, string>(
    (keys) => Promise.all(keys.map((key) => load(key).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))))),
    { cacheKeyFn: (key) => stableJson(key) },
  );
}

/** `null` instead of a NOT_FOUND error: for look-ups by ID, where "gone" is an answer. */
async function orNullIfGone<T>(promise: Promise<T | null>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof UpstreamError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

export interface TimeRange {
  since?: Date | null;
  until?: Date | null;
}

interface ObJobsKey {
  source: string;
  tenantName: string;
  page: number;
  size: number;
  statuses: string[] | null;
  since: string | null;
  until: string | null;
}

interface DcsBackupsKey {
  source: string;
  instanceId: string;
  offset: number;
  limit: number;
  since: string | null;
  until: string | null;
}

interface RdsBackupsKey {
  source: string;
  instanceId: string;
  offset: number;
  limit: number;
  since: string | null;
  until: string | null;
  type: RdsBackupType | null;
  backupId: string | null;
}

const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);
const date = (text: string | null): Date | undefined => (text ? new Date(text) : undefined);

export class RequestData {
  private readonly obInfo: DataLoader<string, ObAgentInfo, string>;
  private readonly obTenantsOverview: DataLoader<string, ObTenantOverview[], string>;
  private readonly obClusterOverview: DataLoader<string, ObBackupTask[], string>;
  private readonly obJobs: DataLoader<ObJobsKey, ObBackupJobsPage, string>;
  private readonly dcsInstanceList: DataLoader<string, DcsInstance[], string>;
  private readonly rdsInstanceList: DataLoader<string, RdsInstance[], string>;
  private readonly dcsBackupPage: DataLoader<DcsBackupsKey, DcsBackupList, string>;
  private readonly rdsBackupPage: DataLoader<RdsBackupsKey, RdsBackupList, string>;

  constructor(readonly sources: Sources) {
    this.obInfo = memo((source) => this.ob(source).client.info());
    this.obTenantsOverview = memo((source) => this.ob(source).client.tenantsOverview());
    this.obClusterOverview = memo((source) => this.ob(source).client.clusterBackupOverview());
    this.obJobs = memo((key) =>
      this.ob(key.source).client.tenantBackupJobs(key.tenantName, {
        page: key.page,
        size: key.size,
        ...(key.statuses ? { statuses: key.statuses } : {}),
        ...(key.since ? { startTime: new Date(key.since) } : {}),
        ...(key.until ? { endTime: new Date(key.until) } : {}),
      }),
    );
    // One list call per project and service per request, whatever asks (lists, node look-ups, a backup's instance).
    this.dcsInstanceList = memo((source) => {
      const { dcs } = this.hw(source);
      return readAll(
        offsetLimitList(DCS_MAX_LIMIT, (offset, limit) => dcs.listInstances({ offset, limit }).then((r) => ({ items: r.instances, total: r.instance_num }))),
        DCS_MAX_LIMIT,
      );
    });
    this.rdsInstanceList = memo((source) => {
      const { rds } = this.hw(source);
      return readAll(
        offsetLimitList(RDS_MAX_LIMIT, (offset, limit) => rds.listInstances({ offset, limit }).then((r) => ({ items: r.instances, total: r.total_count }))),
        RDS_MAX_LIMIT,
      );
    });
    this.dcsBackupPage = memo((key) =>
      this.hw(key.source).dcs.listBackups(key.instanceId, {
        offset: key.offset,
        limit: key.limit,
        ...(key.since ? { beginTime: new Date(key.since) } : {}),
        ...(key.until ? { endTime: new Date(key.until) } : {}),
      }),
    );
    this.rdsBackupPage = memo((key) =>
      this.hw(key.source).rds.listBackups({
        instanceId: key.instanceId,
        offset: key.offset,
        limit: key.limit,
        ...(key.since ? { beginTime: date(key.since)! } : {}),
        ...(key.until ? { endTime: date(key.until)! } : {}),
        ...(key.type ? { backupType: key.type } : {}),
        ...(key.backupId ? { backupId: key.backupId } : {}),
      }),
    );
  }

  private ob(name: string): ObshellSource {
    const source = this.sources.oceanbase(name);
    if (!source) throw new Error(`no OceanBase source named ${name}`);
    return source;
  }

  private hw(name: string): HuaweiSource {
    const source = this.sources.huawei(name);
    if (!source) throw new Error(`no Huawei Cloud source named ${name}`);
    return source;
  }

  // ---- OceanBase ---------------------------------------------------------------------------------

  async obAgentInfo(source: string): Promise<ObAgentInfoModel> {
    return toAgentInfo(await this.obInfo.load(source));
  }

  async obTenants(source: string): Promise<ObTenantModel[]> {
    return (await this.obTenantsOverview.load(source)).map((t) => toObTenant(source, t));
  }

  async obTenantByName(source: string, tenantName: string): Promise<ObTenantModel | null> {
    return (await this.obTenants(source)).find((t) => t.tenantName === tenantName) ?? null;
  }

  async obTenantById(source: string, tenantId: number): Promise<ObTenantModel | null> {
    return (await this.obTenants(source)).find((t) => t.tenantId === tenantId) ?? null;
  }

  /** The running-or-latest task of every tenant of a cluster: one call, whoever asks. */
  async obBackupOverview(source: string): Promise<ObBackupTaskModel[]> {
    return (await this.obClusterOverview.load(source)).map((t) => toObBackupTask(source, t));
  }

  /** A tenant's running-or-latest task, read from the cluster overview (batched for all tenants). */
  async obLatestBackup(source: string, tenantId: number): Promise<ObBackupTaskModel | null> {
    return (await this.obBackupOverview(source)).find((t) => t.tenantId === tenantId) ?? null;
  }

  /** A task by ID: only the running-or-latest task of a tenant can be read back. */
  async obBackupTask(source: string, tenantId: number, taskId: number): Promise<ObBackupTaskModel | null> {
    const task = await this.obLatestBackup(source, tenantId);
    return task && task.taskId === taskId ? task : null;
  }

  /** A tenant's backup jobs, newest first, filtered by the agent (page/size paging). */
  obBackupJobs(source: string, tenantName: string, filter: TimeRange & { statuses?: string[] | null }): OffsetList<ObBackupJobModel> {
    return pageNumberList(async (page, size) => {
      const res = await this.obJobs.load({
        source,
        tenantName,
        page,
        size,
        statuses: filter.statuses ?? null,
        since: iso(filter.since),
        until: iso(filter.until),
      });
      return { items: res.contents.map((j) => toObBackupJob(source, tenantName, j)), total: res.page.total_elements };
    });
  }

  async obBackupJob(source: string, tenantName: string, jobId: number): Promise<ObBackupJobModel | null> {
    return orNullIfGone(readAll(this.obBackupJobs(source, tenantName, {})).then((jobs) => jobs.find((j) => j.jobId === jobId) ?? null));
  }

  // ---- Huawei Cloud ------------------------------------------------------------------------------

  async dcsInstances(source: string): Promise<DcsInstanceModel[]> {
    return (await this.dcsInstanceList.load(source)).map((i) => toDcsInstance(source, i));
  }

  async dcsInstance(source: string, instanceId: string): Promise<DcsInstanceModel | null> {
    return (await this.dcsInstances(source)).find((i) => i.instanceId === instanceId) ?? null;
  }

  async rdsInstances(source: string): Promise<RdsInstanceModel[]> {
    return (await this.rdsInstanceList.load(source)).map((i) => toRdsInstance(source, i));
  }

  async rdsInstance(source: string, instanceId: string): Promise<RdsInstanceModel | null> {
    return (await this.rdsInstances(source)).find((i) => i.instanceId === instanceId) ?? null;
  }

  /** A DCS instance's backups, newest first, time-filtered by DCS (offset/limit, up to 1000 a call). */
  dcsBackups(source: string, instanceId: string, range: TimeRange): OffsetList<DcsBackupModel> {
    return offsetLimitList(DCS_MAX_LIMIT, async (offset, limit) => {
      const res = await this.dcsBackupPage.load({ source, instanceId, offset, limit, since: iso(range.since), until: iso(range.until) });
      return { items: res.backup_record_response.map((b) => toDcsBackup(source, b)), total: res.total_num };
    });
  }

  async dcsBackup(source: string, instanceId: string, backupId: string): Promise<DcsBackupModel | null> {
    return orNullIfGone(readAll(this.dcsBackups(source, instanceId, {})).then((all) => all.find((b) => b.backupId === backupId) ?? null));
  }

  /** An RDS instance's backups, newest first, filtered by RDS (offset/limit, up to 100 a call). */
  rdsBackups(source: string, instanceId: string, filter: TimeRange & { type?: RdsBackupType | null }): OffsetList<RdsBackupModel> {
    return offsetLimitList(RDS_MAX_LIMIT, async (offset, limit) => {
      const res = await this.rdsBackupPage.load({
        source,
        instanceId,
        offset,
        limit,
        since: iso(filter.since),
        until: iso(filter.until),
        type: filter.type ?? null,
        backupId: null,
      });
      return { items: res.backups.map((b) => toRdsBackup(source, b)), total: res.total_count };
    });
  }

  async rdsBackup(source: string, instanceId: string, backupId: string): Promise<RdsBackupModel | null> {
    return orNullIfGone(
      this.rdsBackupPage.load({ source, instanceId, offset: 0, limit: 1, since: null, until: null, type: null, backupId }).then((res) => {
        const found = res.backups.find((b) => b.id === backupId);
        return found ? toRdsBackup(source, found) : null;
      }),
    );
  }
}
