/** DCS and RDS wire shapes → the domain (contract §4 names and types, §5 statuses). */
import { dcsBackupId, dcsInstanceId, huaweiProjectId, rdsBackupId, rdsInstanceId } from './ids.js';
import type { DcsBackupModel, DcsInstanceModel, HuaweiProjectModel, RdsBackupModel, RdsInstanceModel, TagModel } from './models.js';
import { dcsBackupEnded, dcsBackupStatus, rdsBackupStatus } from './status.js';
import { parseUpstreamTime } from '../../lib/time.js';
import type { DcsBackup, DcsInstance } from './wire-dcs.js';
import type { RdsBackup, RdsInstance } from './wire-rds.js';

const orNull = <T>(value: T | null | undefined): T | null => value ?? null;

/** `"TRUE"`/`"FALSE"` (any case) → boolean; anything else → null. */
function flag(value: string | null | undefined): boolean | null {
  const v = value?.toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : null;
}

function number(value: string | null | undefined): number | null {
  if (value == null || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

const tags = (list: { key: string; value?: string | null }[] | null | undefined): TagModel[] | null =>
  list ? list.map((t) => ({ key: t.key, value: t.value ?? null })) : null;

export const toHuaweiProject = (source: { name: string; projectId: string; region: string }): HuaweiProjectModel => ({
  kind: 'HuaweiProject',
  id: huaweiProjectId(source.name),
  source: source.name,
  projectId: source.projectId,
  region: source.region,
});

export function toDcsInstance(source: string, i: DcsInstance): DcsInstanceModel {
  return {
    kind: 'DcsInstance',
    id: dcsInstanceId(source, i.instance_id),
    provider: 'DCS',
    source,
    instanceId: i.instance_id,
    name: orNull(i.name),
    status: orNull(i.status),
    subStatus: orNull(i.sub_status),
    description: orNull(i.description),
    engine: orNull(i.engine),
    engineVersion: orNull(i.engine_version),
    capacity: orNull(i.capacity),
    capacityMinor: orNull(i.capacity_minor),
    maxMemory: orNull(i.max_memory),
    usedMemory: orNull(i.used_memory),
    specCode: orNull(i.spec_code),
    cpuType: orNull(i.cpu_type),
    azCodes: orNull(i.az_codes),
    features: i.features
      ? {
          supportAcl: orNull(i.features.support_acl),
          supportTransparentClientIp: orNull(i.features.support_transparent_client_ip),
          supportSsl: orNull(i.features.support_ssl),
          supportAuditLog: orNull(i.features.support_audit_log),
        }
      : null,
    ip: orNull(i.ip),
    port: orNull(i.port),
    domainName: orNull(i.domain_name),
    readonlyDomainName: orNull(i.readonly_domain_name),
    accessUser: orNull(i.access_user),
    noPasswordAccess: flag(i.no_password_access),
    vpcId: orNull(i.vpc_id),
    vpcName: orNull(i.vpc_name),
    subnetId: orNull(i.subnet_id),
    securityGroupId: orNull(i.security_group_id),
    publicipId: orNull(i.publicip_id),
    publicipAddress: orNull(i.publicip_address),
    enablePublicip: orNull(i.enable_publicip),
    enableSsl: orNull(i.enable_ssl),
    chargingMode: orNull(i.charging_mode),
    orderId: orNull(i.order_id),
    enterpriseProjectId: orNull(i.enterprise_project_id),
    userId: orNull(i.user_id),
    userName: orNull(i.user_name),
    tags: tags(i.tags),
    createdAt: parseUpstreamTime(i.created_at),
    updatedAt: parseUpstreamTime(i.updated_at),
    maintainBegin: orNull(i.maintain_begin),
    maintainEnd: orNull(i.maintain_end),
    serviceUpgrade: orNull(i.service_upgrade),
    serviceTaskId: orNull(i.service_task_id),
  };
}

export function toDcsBackup(source: string, b: DcsBackup): DcsBackupModel {
  const createdAt = parseUpstreamTime(b.created_at);
  const executionAt = parseUpstreamTime(b.execution_at);
  const updatedAt = parseUpstreamTime(b.updated_at);
  return {
    kind: 'DcsBackup',
    id: dcsBackupId(source, b.instance_id, b.backup_id),
    provider: 'DCS',
    source,
    status: dcsBackupStatus(b.status),
    providerStatus: b.status,
    startedAt: executionAt ?? createdAt,
    finishedAt: dcsBackupEnded(b.status) ? updatedAt : null,
    sizeBytes: orNull(b.size),
    backupId: b.backup_id,
    instanceId: b.instance_id,
    backupName: orNull(b.backup_name),
    period: orNull(b.period),
    size: orNull(b.size),
    backupType: orNull(b.backup_type),
    backupFormat: orNull(b.backup_format),
    createdAt,
    updatedAt,
    executionAt,
    progress: number(b.progress),
    errorCode: orNull(b.error_code),
    remark: orNull(b.remark),
    isSupportRestore: flag(b.is_support_restore),
  };
}

export function toRdsInstance(source: string, i: RdsInstance, flexus = false): RdsInstanceModel {
  return {
    kind: 'RdsInstance',
    id: rdsInstanceId(source, i.id),
    provider: 'RDS',
    source,
    instanceId: i.id,
    flexus,
    name: orNull(i.name),
    status: orNull(i.status),
    alias: orNull(i.alias),
    type: orNull(i.type),
    region: orNull(i.region),
    datastore: i.datastore ? { type: i.datastore.type, version: orNull(i.datastore.version), completeVersion: orNull(i.datastore.complete_version) } : null,
    ha: i.ha ? { replicationMode: orNull(i.ha.replication_mode) } : null,
    nodes: i.nodes
      ? i.nodes.map((n) => ({ id: n.id, name: orNull(n.name), role: orNull(n.role), status: orNull(n.status), availabilityZone: orNull(n.availability_zone) }))
      : null,
    relatedInstance: i.related_instance ? i.related_instance.map((r) => ({ id: r.id, type: orNull(r.type) })) : null,
    backupStrategy: i.backup_strategy ? { startTime: orNull(i.backup_strategy.start_time), keepDays: orNull(i.backup_strategy.keep_days) } : null,
    backupUsedSpace: orNull(i.backup_used_space),
    storageUsedSpace: orNull(i.storage_used_space),
    privateIps: orNull(i.private_ips),
    publicIps: orNull(i.public_ips),
    privateDnsNames: orNull(i.private_dns_names),
    publicDnsNames: orNull(i.public_dns_names),
    port: orNull(i.port),
    enableSsl: orNull(i.enable_ssl),
    vpcId: orNull(i.vpc_id),
    subnetId: orNull(i.subnet_id),
    securityGroupId: orNull(i.security_group_id),
    flavorRef: orNull(i.flavor_ref),
    cpu: orNull(i.cpu),
    mem: orNull(i.mem),
    volume: i.volume ? { type: orNull(i.volume.type), size: orNull(i.volume.size) } : null,
    maxIops: orNull(i.max_iops),
    diskEncryptionId: orNull(i.disk_encryption_id),
    dbUserName: orNull(i.db_user_name),
    switchStrategy: orNull(i.switch_strategy),
    maintenanceWindow: orNull(i.maintenance_window),
    timeZone: orNull(i.time_zone),
    chargeInfo: i.charge_info ? { chargeMode: orNull(i.charge_info.charge_mode) } : null,
    orderId: orNull(i.order_id),
    enterpriseProjectId: orNull(i.enterprise_project_id),
    tags: tags(i.tags),
    associatedWithDdm: orNull(i.associated_with_ddm),
    readOnlyByUser: orNull(i.read_only_by_user),
    created: parseUpstreamTime(i.created),
    updated: parseUpstreamTime(i.updated),
    expirationTime: parseUpstreamTime(i.expiration_time),
  };
}

export function toRdsBackup(source: string, b: RdsBackup): RdsBackupModel {
  const beginTime = parseUpstreamTime(b.begin_time);
  const endTime = parseUpstreamTime(b.end_time);
  return {
    kind: 'RdsBackup',
    id: rdsBackupId(source, b.instance_id, b.id),
    provider: 'RDS',
    source,
    status: rdsBackupStatus(b.status),
    providerStatus: b.status,
    startedAt: beginTime,
    finishedAt: endTime,
    sizeBytes: typeof b.size === 'number' ? b.size * 1024 : null,
    backupId: b.id,
    instanceId: b.instance_id,
    name: orNull(b.name),
    type: orNull(b.type),
    size: orNull(b.size),
    beginTime,
    endTime,
    datastore: b.datastore ? { type: b.datastore.type, version: b.datastore.version ?? null, completeVersion: null } : null,
    minDataVolumeCapacityForRestore: orNull(b.min_data_volume_capacity_for_restore),
    databases: b.databases ? b.databases.map((d) => ({ name: d.name })) : null,
    associatedWithDdm: orNull(b.associated_with_ddm),
  };
}
