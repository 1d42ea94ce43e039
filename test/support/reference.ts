/**
 * What the fleet-wide views must answer, computed straight from the simulated fleet's rows (not
 * through the gateway): every backup of every target with its start time, status and global ID,
 * and every target's coverage by the rules of contract §7. Tests compare the API against these.
 */
import { finished, inProgress, type BackupStatus } from '../../src/core/models.js';
import { parseUpstreamTime } from '../../src/lib/time.js';
import { dcsBackupStatus, rdsBackupStatus } from '../../src/providers/huawei/status.js';
import { obBackupStatus } from '../../src/providers/oceanbase/status.js';
import type { Fleet, ObTenantSim, RdsInstanceSim } from '../../src/simulators/fleet.js';
import { obArchiveAt, rdsRestoreWindowsAt } from '../../src/simulators/recoverability.js';
import { encodeId } from './ids.js';

export interface RefBackup {
  id: string;
  source: string;
  provider: 'OCEANBASE' | 'DCS' | 'RDS';
  /** The target's global ID (ObTenant, DcsInstance, RdsInstance). */
  target: string;
  startedAt: number | null;
  finishedAt: number | null;
  status: BackupStatus;
}

export interface RefTarget {
  id: string;
  source: string;
  provider: 'OCEANBASE' | 'DCS' | 'RDS';
  backups: RefBackup[];
  /** The simulated tenant or RDS instance, for what archiving and restore windows say. */
  obTenant?: ObTenantSim;
  rdsInstance?: RdsInstanceSim;
}

const ms = (text: string | null | undefined) => parseUpstreamTime(text)?.getTime() ?? null;

/** Every backup target of the fleet with its whole history. */
export function referenceTargets(fleet: Fleet): RefTarget[] {
  const targets: RefTarget[] = [];
  for (const cluster of fleet.oceanbase) {
    for (const tenant of cluster.tenants) {
      if (tenant.row.tenant_name === 'sys') continue;
      const target = encodeId({ type: 'ObTenant', source: cluster.name, tenantName: tenant.row.tenant_name });
      targets.push({
        id: target,
        source: cluster.name,
        provider: 'OCEANBASE',
        obTenant: tenant,
        backups: tenant.jobs.map((j) => ({
          id: encodeId({ type: 'ObBackupJob', source: cluster.name, tenantName: tenant.row.tenant_name, jobId: j.job.job_id }),
          source: cluster.name,
          provider: 'OCEANBASE',
          target,
          startedAt: ms(j.job.start_timestamp),
          finishedAt: ms(j.job.end_timestamp),
          status: obBackupStatus(j.job.status),
        })),
      });
    }
  }
  for (const project of fleet.huawei.projects) {
    for (const instance of project.dcs) {
      const target = encodeId({ type: 'DcsInstance', source: project.name, instanceId: instance.row.instance_id });
      targets.push({
        id: target,
        source: project.name,
        provider: 'DCS',
        backups: instance.backups.map(({ row }) => {
          const status = dcsBackupStatus(row.status);
          return {
            id: encodeId({ type: 'DcsBackup', source: project.name, instanceId: row.instance_id, backupId: row.backup_id }),
            source: project.name,
            provider: 'DCS',
            target,
            startedAt: ms(row.execution_at ?? row.created_at),
            finishedAt: finished(status) ? ms(row.updated_at) : null,
            status,
          };
        }),
      });
    }
    for (const instance of project.rds) {
      const target = encodeId({ type: 'RdsInstance', source: project.name, instanceId: instance.row.id });
      targets.push({
        id: target,
        source: project.name,
        provider: 'RDS',
        rdsInstance: instance,
        backups: instance.backups.map(({ row }) => ({
          id: encodeId({ type: 'RdsBackup', source: project.name, instanceId: row.instance_id, backupId: row.id }),
          source: project.name,
          provider: 'RDS',
          target,
          startedAt: ms(row.begin_time),
          finishedAt: ms(row.end_time),
          status: rdsBackupStatus(row.status),
        })),
      });
    }
  }
  return targets;
}

/** The fleet-wide list's order: start time descending, ties by ID, no start time last. */
export function byListOrder(a: RefBackup, b: RefBackup): number {
  if (a.startedAt !== b.startedAt) {
    if (a.startedAt === null) return 1;
    if (b.startedAt === null) return -1;
    return b.startedAt - a.startedAt;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface RefFilter {
  since: number;
  until?: number;
  statuses?: BackupStatus[];
  providers?: string[];
  sources?: string[];
  targets?: string[];
}

/** The fleet-wide backup list for a filter, in list order. */
export function referenceBackups(fleet: Fleet, filter: RefFilter): RefBackup[] {
  return referenceTargets(fleet)
    .filter(
      (t) =>
        (!filter.providers || filter.providers.includes(t.provider)) &&
        (!filter.sources || filter.sources.includes(t.source)) &&
        (!filter.targets || filter.targets.includes(t.id)),
    )
    .flatMap((t) => t.backups)
    .filter((b) => b.startedAt !== null && b.startedAt >= filter.since && (filter.until === undefined || b.startedAt <= filter.until))
    .filter((b) => !filter.statuses || filter.statuses.includes(b.status))
    .sort(byListOrder);
}

export type RefState = 'OK' | 'STALE' | 'FAILING' | 'RUNNING' | 'NEVER' | 'UNKNOWN';

export interface RefCoverage {
  target: string;
  source: string;
  provider: string;
  state: RefState;
  reasons: string[];
  lastSuccessAt: number | null;
  /** The archive checkpoint (OceanBase) or the reported window's end (RDS). */
  restorableUntil: number | null;
}

const newest = (backups: RefBackup[], keep: (b: RefBackup) => boolean) => backups.filter(keep).sort(byListOrder)[0] ?? null;
const ARCHIVING = ['DOING', 'BEGINNING', 'PREPARE'];

/**
 * Every target's coverage by the rules of contract §7, log archiving included: an OceanBase tenant
 * with backups whose archive is not running (or runs more than `toleranceMinutes` behind) is not
 * OK, nor an RDS instance whose reported window ends that far behind.
 */
export function referenceCoverage(fleet: Fleet, now: number, rpoHours = 24, toleranceMinutes = 60): RefCoverage[] {
  return referenceTargets(fleet).map((t) => {
    const success = newest(t.backups, (b) => b.status === 'SUCCEEDED');
    const lastSuccessAt = success ? (success.finishedAt ?? success.startedAt) : null;
    const last = newest(t.backups, (b) => finished(b.status));
    const hasAny = t.backups.length > 0;
    let stopped = false;
    let restorableUntil: number | null = null;
    let reported = false;
    if (t.obTenant && hasAny) {
      const archive = obArchiveAt(t.obTenant, now);
      reported = true;
      stopped = archive === null || !ARCHIVING.includes(archive.status);
      restorableUntil = archive?.checkpointMs ?? null;
    }
    if (t.rdsInstance) {
      const windows = rdsRestoreWindowsAt(t.rdsInstance, now);
      if (windows.length > 0) {
        reported = true;
        restorableUntil = Math.max(...windows.map((w) => w.endMs));
      }
    }
    const lagging = reported && !stopped && (restorableUntil === null || now - restorableUntil > toleranceMinutes * 60_000);
    const withinRpo = lastSuccessAt !== null && now - lastSuccessAt <= rpoHours * 3_600_000;
    const failed = last?.status === 'FAILED';
    const reasons: string[] = [];
    if (!hasAny) reasons.push('NEVER_BACKED_UP');
    if (failed) reasons.push('LAST_BACKUP_FAILED');
    if (!withinRpo) reasons.push('NO_SUCCESS_WITHIN_RPO');
    if (stopped) reasons.push('ARCHIVE_STOPPED');
    if (lagging) reasons.push('ARCHIVE_LAG');
    const state: RefState = !hasAny
      ? 'NEVER'
      : failed
        ? 'FAILING'
        : withinRpo && !stopped && !lagging
          ? 'OK'
          : t.backups.some((b) => inProgress(b.status))
            ? 'RUNNING'
            : 'STALE';
    return { target: t.id, source: t.source, provider: t.provider, state, reasons, lastSuccessAt, restorableUntil };
  });
}

const RANK: Record<RefState, number> = { NEVER: 0, FAILING: 1, STALE: 2, UNKNOWN: 3, RUNNING: 4, OK: 5 };

/** The coverage list's order: worst state first, then the oldest last success (none first), then the target's ID. */
export function byCoverageOrder(a: RefCoverage, b: RefCoverage): number {
  if (RANK[a.state] !== RANK[b.state]) return RANK[a.state] - RANK[b.state];
  if (a.lastSuccessAt !== b.lastSuccessAt) {
    if (a.lastSuccessAt === null) return -1;
    if (b.lastSuccessAt === null) return 1;
    return a.lastSuccessAt - b.lastSuccessAt;
  }
  return a.target < b.target ? -1 : 1;
}
