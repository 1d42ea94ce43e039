/**
 * The OceanBase models the GraphQL types are resolved from (codegen mappers point here). Field
 * names match the GraphQL fields, so most fields need no resolver; `kind` is the GraphQL type.
 */
import type { BackupCommon } from '../../core/models.js';

export interface ObClusterModel {
  kind: 'ObCluster';
  id: string;
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
  id: string;
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

/** One running archive round of a tenant (`/backup/log/tasks`). */
export interface ObArchiveLogTaskModel {
  roundId: number;
  status: string;
  path: string | null;
  delaySeconds: number | null;
  checkpoint: Date | null;
  startTime: Date | null;
}

/** A tenant's log archiving (`LogArchive`): the running round, else what `/backup/info` says of the last one. */
export interface LogArchiveModel {
  /** The running round's status (DOING, BEGINNING, PREPARE, STOPPING, SUSPEND), or STOP when none runs (stopped or interrupted). */
  status: string;
  checkpoint: Date | null;
  delaySeconds: number | null;
  roundId: number | null;
  tasks: ObArchiveLogTaskModel[];
}
