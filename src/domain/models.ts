/**
 * The domain: what the GraphQL types are resolved from (codegen mappers point here). Each model
 * carries `kind`, the GraphQL type it is, set where the object is built from a known upstream
 * answer; unions and interfaces resolve from it, never from an object's shape. Field names match
 * the GraphQL fields so that most fields need no resolver.
 */
import type { ProviderKind } from '../errors.js';
import type { BackupStatus } from './status.js';

export type { BackupStatus } from './status.js';
export type Provider = ProviderKind;

/** What every backup model has (the `Backup` interface). */
export interface BackupCommon {
  provider: Provider;
  source: string;
  status: BackupStatus;
  providerStatus: string;
  startedAt: Date | null;
  finishedAt: Date | null;
  sizeBytes: number | null;
}

// ---- OceanBase ----------------------------------------------------------------------------------

export interface ObClusterModel {
  kind: 'ObCluster';
  provider: 'OCEANBASE';
  source: string;
}

export interface ObAgentInfoModel {
  pid: number | null;
  state: number | null;
  startAt: Date | null;
  homePath: string | null;
  obVersion: string | null;
  architecture: string | null;
  ip: string | null;
  port: number | null;
  zone: string | null;
  identity: string | null;
  version: string | null;
  isObproxyAgent: boolean | null;
  security: boolean | null;
  supportedAuth: string[] | null;
}

export interface ObConnectionStringModel {
  type: string | null;
  obproxyAddress: string | null;
  obproxyPort: number | null;
  connectionString: string | null;
}

export interface ObTenantModel {
  kind: 'ObTenant';
  provider: 'OCEANBASE';
  source: string;
  tenantId: number;
  tenantName: string;
  isSystemTenant: boolean;
  mode: string | null;
  status: string | null;
  locked: boolean | null;
  primaryZone: string | null;
  locality: string | null;
  inRecyclebin: boolean | null;
  createdTime: Date | null;
  readOnly: boolean | null;
  comment: string | null;
  connectionStrings: ObConnectionStringModel[];
}

export interface ObBackupTaskModel extends BackupCommon {
  kind: 'ObBackupTask';
  provider: 'OCEANBASE';
  tenantId: number;
  taskId: number;
  jobId: number;
  incarnation: number | null;
  backupSetId: number | null;
  startTimestamp: Date | null;
  endTimestamp: Date | null;
  startScn: string | null;
  endScn: string | null;
  userLsStartScn: string | null;
  encryptionMode: string | null;
  inputBytes: number | null;
  outputBytes: number | null;
  outputRateBytes: number | null;
  extraMetaBytes: number | null;
  tabletCount: number | null;
  finishTabletCount: number | null;
  macroBlockCount: number | null;
  finishMacroBlockCount: number | null;
  fileCount: number | null;
  metaTurnId: number | null;
  dataTurnId: number | null;
  result: number | null;
  comment: string | null;
  path: string | null;
}

export interface ObBackupJobModel extends BackupCommon {
  kind: 'ObBackupJob';
  provider: 'OCEANBASE';
  /** The tenant's name as it was asked for (jobs carry only `tenant_id`). */
  tenantName: string;
  tenantId: number;
  jobId: number;
  backupSetId: number | null;
  plusArchivelog: boolean | null;
  backupType: string | null;
  startTimestamp: Date | null;
  endTimestamp: Date | null;
  result: number | null;
  comment: string | null;
  description: string | null;
  path: string | null;
}

// ---- Huawei Cloud -------------------------------------------------------------------------------

export interface HuaweiProjectModel {
  kind: 'HuaweiProject';
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
  provider: 'RDS';
  source: string;
  instanceId: string;
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
}

// ---- unions -------------------------------------------------------------------------------------

export type InstanceModel = ObClusterModel | DcsInstanceModel | RdsInstanceModel;
export type TenantModel = ObTenantModel | HuaweiProjectModel;
export type BackupModel = ObBackupTaskModel | ObBackupJobModel | DcsBackupModel | RdsBackupModel;
export type NodeModel = InstanceModel | TenantModel | BackupModel;
