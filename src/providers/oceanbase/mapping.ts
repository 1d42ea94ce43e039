/** obshell wire shapes → the domain (contract §4 names and types, §5 statuses). */
import { obBackupJobId, obBackupTaskId, obClusterId, obTenantId } from './ids.js';
import type { ObAgentInfoModel, ObBackupJobModel, ObBackupTaskModel, ObClusterModel, ObTenantModel } from './models.js';
import { obBackupStatus } from './status.js';
import { nanosToDate, parseUpstreamTime } from '../../lib/time.js';
import type { ObAgentInfo, ObBackupJob, ObBackupTask, ObTenantOverview } from './wire.js';

const yesNo = (value: string | undefined | null): boolean | null => (value === 'YES' ? true : value === 'NO' ? false : null);

export function toAgentInfo(info: ObAgentInfo): ObAgentInfoModel {
  return {
    pid: info.pid ?? null,
    state: info.state ?? null,
    startAt: nanosToDate(info.startAt),
    homePath: info.homePath ?? null,
    obVersion: info.obVersion ?? null,
    architecture: info.architecture ?? null,
    ip: info.ip ?? null,
    port: info.port ?? null,
    zone: info.zone ?? null,
    identity: info.identity ?? null,
    version: info.version ?? null,
    isObproxyAgent: info.isObproxyAgent ?? null,
    security: info.security ?? null,
    supportedAuth: info.supportedAuth ?? null,
  };
}

export const toObCluster = (source: string): ObClusterModel => ({ kind: 'ObCluster', id: obClusterId(source), provider: 'OCEANBASE', source });

export function toObTenant(source: string, t: ObTenantOverview): ObTenantModel {
  return {
    kind: 'ObTenant',
    id: obTenantId(source, t.tenant_name),
    provider: 'OCEANBASE',
    source,
    tenantId: t.tenant_id ?? null,
    tenantName: t.tenant_name ?? null,
    isSystemTenant: t.tenant_id === 1 || t.tenant_name === 'sys',
    mode: t.mode ?? null,
    status: t.status ?? null,
    locked: yesNo(t.locked),
    primaryZone: t.primary_zone ?? null,
    locality: t.locality ?? null,
    inRecyclebin: yesNo(t.in_recyclebin),
    createdTime: parseUpstreamTime(t.created_time),
    readOnly: t.read_only ?? null,
    comment: t.comment ?? null,
    connectionStrings: (t.connection_strings ?? []).map((c) => ({
      type: c.type,
      obproxyAddress: c.obproxy_address ?? null,
      obproxyPort: c.obproxy_port ?? null,
      connectionString: c.connection_string,
    })),
  };
}

export function toObBackupTask(source: string, t: ObBackupTask): ObBackupTaskModel {
  const startedAt = parseUpstreamTime(t.start_timestamp);
  const finishedAt = parseUpstreamTime(t.end_timestamp);
  return {
    kind: 'ObBackupTask',
    id: obBackupTaskId(source, t.tenant_id, t.task_id),
    provider: 'OCEANBASE',
    source,
    status: obBackupStatus(t.status),
    providerStatus: t.status ?? null,
    startedAt,
    finishedAt,
    sizeBytes: t.output_bytes ?? null,
    tenantId: t.tenant_id ?? null,
    taskId: t.task_id ?? null,
    jobId: t.job_id ?? null,
    incarnation: t.incarnation ?? null,
    backupSetId: t.backup_set_id ?? null,
    startTimestamp: startedAt,
    endTimestamp: finishedAt,
    startScn: t.start_scn ?? null,
    endScn: t.end_scn ?? null,
    userLsStartScn: t.user_ls_start_scn ?? null,
    encryptionMode: t.encryption_mode ?? null,
    inputBytes: t.input_bytes ?? null,
    outputBytes: t.output_bytes ?? null,
    outputRateBytes: t.output_rate_bytes ?? null,
    extraMetaBytes: t.extra_meta_bytes ?? null,
    tabletCount: t.tablet_count ?? null,
    finishTabletCount: t.finish_tablet_count ?? null,
    macroBlockCount: t.macro_block_count ?? null,
    finishMacroBlockCount: t.finish_macro_block_count ?? null,
    fileCount: t.file_count ?? null,
    metaTurnId: t.meta_turn_id ?? null,
    dataTurnId: t.data_turn_id ?? null,
    result: t.result ?? null,
    comment: t.comment ?? null,
    path: t.path ?? null,
  };
}

export function toObBackupJob(source: string, tenantName: string, j: ObBackupJob): ObBackupJobModel {
  const startedAt = parseUpstreamTime(j.start_timestamp);
  const finishedAt = parseUpstreamTime(j.end_timestamp);
  return {
    kind: 'ObBackupJob',
    id: obBackupJobId(source, tenantName, j.job_id),
    provider: 'OCEANBASE',
    source,
    status: obBackupStatus(j.status),
    providerStatus: j.status ?? null,
    startedAt,
    finishedAt,
    sizeBytes: null,
    tenantName,
    tenantId: j.tenant_id ?? null,
    jobId: j.job_id ?? null,
    backupSetId: j.backup_set_id ?? null,
    plusArchivelog: j.plus_archivelog === 'ON' ? true : j.plus_archivelog === 'OFF' ? false : null,
    backupType: j.backup_type ?? null,
    startTimestamp: startedAt,
    endTimestamp: finishedAt,
    result: j.result ?? null,
    comment: j.comment ?? null,
    description: j.description ?? null,
    path: j.path ?? null,
  };
}
