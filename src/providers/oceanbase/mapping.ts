/** obshell wire shapes → the domain (contract §4 names and types, §5 statuses). */
import { obBackupJobId, obBackupTaskId, obClusterId, obTenantId } from './ids.js';
import type { ObAgentInfoModel, ObBackupJobModel, ObBackupTaskModel, ObClusterModel, ObTenantModel } from './models.js';
import { obBackupStatus } from './status.js';
import { nanosToDate, parseUpstreamTime } from '../../lib/time.js';
import type { ObAgentInfo, ObBackupJob, ObBackupTask, ObTenantOverview } from './wire.js';

const yesNo = (value: string | undefined | null): boolean | null => (value === 'YES' ? true : value === 'NO' ? false : null);

export function toAgentInfo(info: ObAgentInfo): ObAgentInfoModel {
  return {
    pid: info.pid,
    state: info.state,
    startAt: nanosToDate(info.startAt),
    homePath: info.homePath,
    obVersion: info.obVersion,
    architecture: info.architecture ?? null,
    ip: info.ip,
    port: info.port,
    zone: info.zone,
    identity: info.identity,
    version: info.version,
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
    tenantId: t.tenant_id,
    tenantName: t.tenant_name,
    isSystemTenant: t.tenant_id === 1 || t.tenant_name === 'sys',
    mode: t.mode,
    status: t.status,
    locked: yesNo(t.locked),
    primaryZone: t.primary_zone,
    locality: t.locality,
    inRecyclebin: yesNo(t.in_recyclebin),
    createdTime: parseUpstreamTime(t.created_time),
    readOnly: t.read_only ?? null,
    comment: t.comment ?? null,
    connectionStrings: t.connection_strings.map((c) => ({
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
    providerStatus: t.status,
    startedAt,
    finishedAt,
    sizeBytes: t.output_bytes,
    tenantId: t.tenant_id,
    taskId: t.task_id,
    jobId: t.job_id,
    incarnation: t.incarnation,
    backupSetId: t.backup_set_id,
    startTimestamp: startedAt,
    endTimestamp: finishedAt,
    startScn: t.start_scn,
    endScn: t.end_scn,
    userLsStartScn: t.user_ls_start_scn,
    encryptionMode: t.encryption_mode,
    inputBytes: t.input_bytes,
    outputBytes: t.output_bytes,
    outputRateBytes: t.output_rate_bytes,
    extraMetaBytes: t.extra_meta_bytes,
    tabletCount: t.tablet_count,
    finishTabletCount: t.finish_tablet_count,
    macroBlockCount: t.macro_block_count,
    finishMacroBlockCount: t.finish_macro_block_count,
    fileCount: t.file_count,
    metaTurnId: t.meta_turn_id,
    dataTurnId: t.data_turn_id,
    result: t.result,
    comment: t.comment,
    path: t.path,
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
    providerStatus: j.status,
    startedAt,
    finishedAt,
    sizeBytes: null,
    tenantName,
    tenantId: j.tenant_id,
    jobId: j.job_id,
    backupSetId: j.backup_set_id,
    plusArchivelog: j.plus_archivelog === 'ON' ? true : j.plus_archivelog === 'OFF' ? false : null,
    backupType: j.backup_type,
    startTimestamp: startedAt,
    endTimestamp: finishedAt,
    result: j.result,
    comment: j.comment,
    description: j.description,
    path: j.path,
  };
}
