/**
 * The Huawei Cloud models (projects, DCS and RDS instances and backups) the GraphQL types are
 * resolved from (codegen mappers point here). Field names match the GraphQL fields.
 */
import type { BackupCommon } from '../../core/models.js';

export interface HuaweiProjectModel {
  kind: 'HuaweiProject';
  id: string;
  source: string;
  projectId: string;
  region: string | null;
}

export interface TagModel {
  key: string;
  value: string | null;
}

export interface DcsInstanceModel {
  kind: 'DcsInstance';
  id: string;
  provider: 'DCS';
  source: string;
  instanceId: string;
  name: string | null;
  status: string | null;
  subStatus: string | null;
  description: string | null;
  engine: string | null;
  engineVersion: string | null;
  capacity: number | null;
  capacityMinor: string | null;
  maxMemory: number | null;
  usedMemory: number | null;
  specCode: string | null;
  cpuType: string | null;
  azCodes: string[] | null;
  features: {
    supportAcl: boolean | null;
    supportTransparentClientIp: boolean | null;
    supportSsl: boolean | null;
    supportAuditLog: boolean | null;
  } | null;
  ip: string | null;
  port: number | null;
  domainName: string | null;
  readonlyDomainName: string | null;
  accessUser: string | null;
  noPasswordAccess: boolean | null;
  vpcId: string | null;
  vpcName: string | null;
  subnetId: string | null;
  securityGroupId: string | null;
  publicipId: string | null;
  publicipAddress: string | null;
  enablePublicip: boolean | null;
  enableSsl: boolean | null;
  chargingMode: number | null;
  orderId: string | null;
  enterpriseProjectId: string | null;
  userId: string | null;
  userName: string | null;
  tags: TagModel[] | null;
  createdAt: Date | null;
  updatedAt: Date | null;
  maintainBegin: string | null;
  maintainEnd: string | null;
  serviceUpgrade: boolean | null;
  serviceTaskId: string | null;
}

export interface DcsBackupModel extends BackupCommon {
  kind: 'DcsBackup';
  provider: 'DCS';
  backupId: string;
  instanceId: string;
  backupName: string | null;
  period: string | null;
  size: number | null;
  backupType: string | null;
  backupFormat: string | null;
  createdAt: Date | null;
  updatedAt: Date | null;
  executionAt: Date | null;
  progress: number | null;
  errorCode: string | null;
  remark: string | null;
  isSupportRestore: boolean | null;
}

export interface RdsDatastoreModel {
  type: string | null;
  version: string | null;
  completeVersion: string | null;
}

export interface RdsInstanceModel {
  kind: 'RdsInstance';
  id: string;
  provider: 'RDS';
  source: string;
  instanceId: string;
  /** Listed with `group_type=flexus`. */
  flexus: boolean;
  name: string | null;
  status: string | null;
  alias: string | null;
  type: string | null;
  region: string | null;
  datastore: RdsDatastoreModel | null;
  ha: { replicationMode: string | null } | null;
  nodes: { id: string | null; name: string | null; role: string | null; status: string | null; availabilityZone: string | null }[] | null;
  relatedInstance: { id: string | null; type: string | null }[] | null;
  backupStrategy: { startTime: string | null; keepDays: number | null } | null;
  backupUsedSpace: number | null;
  storageUsedSpace: number | null;
  privateIps: string[] | null;
  publicIps: string[] | null;
  privateDnsNames: string[] | null;
  publicDnsNames: string[] | null;
  port: number | null;
  enableSsl: boolean | null;
  vpcId: string | null;
  subnetId: string | null;
  securityGroupId: string | null;
  flavorRef: string | null;
  cpu: string | null;
  mem: string | null;
  volume: { type: string | null; size: number | null } | null;
  maxIops: number | null;
  diskEncryptionId: string | null;
  dbUserName: string | null;
  switchStrategy: string | null;
  maintenanceWindow: string | null;
  timeZone: string | null;
  chargeInfo: { chargeMode: string | null } | null;
  orderId: string | null;
  enterpriseProjectId: string | null;
  tags: TagModel[] | null;
  associatedWithDdm: boolean | null;
  readOnlyByUser: boolean | null;
  created: Date | null;
  updated: Date | null;
  expirationTime: Date | null;
}

export interface RdsBackupModel extends BackupCommon {
  kind: 'RdsBackup';
  provider: 'RDS';
  backupId: string;
  instanceId: string;
  name: string | null;
  type: string | null;
  size: number | null;
  beginTime: Date | null;
  endTime: Date | null;
  datastore: RdsDatastoreModel | null;
  databases: { name: string | null }[] | null;
  associatedWithDdm: boolean | null;
  minDataVolumeCapacityForRestore: number | null;
}
