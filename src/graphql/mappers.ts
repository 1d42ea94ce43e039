/**
 * The TypeScript types each GraphQL type is resolved from (codegen `mappers`): the provider
 * modules' models, the fleet core's results, and the pagination module's connections over them.
 */
import type { CoverageItem } from '../fleet/coverage.js';
import type { CoverageConnection } from '../fleet/coverage.js';
import type { BackupTaskConnection } from '../fleet/backups.js';
import type { KeysetPageInfo } from '../fleet/keyset.js';
import type { SnapshotSourceStatus } from '../snapshot/service.js';
import type { Connection, Edge, PageInfo } from '../pagination/connection.js';
import type { DcsBackupModel, DcsInstanceModel, HuaweiProjectModel, RdsBackupModel, RdsInstanceModel } from '../providers/huawei/models.js';
import type { ObBackupJobModel, ObBackupTaskModel, ObClusterModel, ObTenantModel } from '../providers/oceanbase/models.js';

export type { ObAgentInfoModel, ObBackupJobModel, ObBackupTaskModel, ObClusterModel, ObTenantModel } from '../providers/oceanbase/models.js';
export type { DcsBackupModel, DcsInstanceModel, HuaweiProjectModel, RdsBackupModel, RdsInstanceModel } from '../providers/huawei/models.js';

export type InstanceModel = ObClusterModel | DcsInstanceModel | RdsInstanceModel;
export type TenantModel = ObTenantModel | HuaweiProjectModel;
export type BackupModel = ObBackupTaskModel | ObBackupJobModel | DcsBackupModel | RdsBackupModel;
export type NodeModel = InstanceModel | TenantModel | BackupModel;

export type PageInfoModel = PageInfo | KeysetPageInfo;
export type InstanceConnectionModel = Connection<InstanceModel> & { asOf?: Date | null };
export type InstanceEdgeModel = Edge<InstanceModel>;
export type TenantConnectionModel = Connection<TenantModel>;
export type TenantEdgeModel = Edge<TenantModel>;
export type BackupTaskConnectionModel = Omit<BackupTaskConnection, 'edges'> & { edges: Edge<BackupModel>[] };
export type BackupTaskEdgeModel = Edge<BackupModel>;
export type BackupCoverageModel = CoverageItem;
export type BackupCoverageConnectionModel = CoverageConnection & { asOf?: Date | null };
export type BackupCoverageEdgeModel = Edge<CoverageItem>;
export type SnapshotSourceModel = SnapshotSourceStatus;
export interface FleetSnapshotModel {
  enabled: boolean;
  complete: boolean;
  asOf: Date | null;
  sources: SnapshotSourceStatus[];
}
export type ObTenantConnectionModel = Connection<ObTenantModel>;
export type ObTenantEdgeModel = Edge<ObTenantModel>;
export type ObBackupTaskConnectionModel = Connection<ObBackupTaskModel>;
export type ObBackupTaskEdgeModel = Edge<ObBackupTaskModel>;
export type ObBackupJobConnectionModel = Connection<ObBackupJobModel>;
export type ObBackupJobEdgeModel = Edge<ObBackupJobModel>;
export type DcsBackupConnectionModel = Connection<DcsBackupModel>;
export type DcsBackupEdgeModel = Edge<DcsBackupModel>;
export type RdsBackupConnectionModel = Connection<RdsBackupModel>;
export type RdsBackupEdgeModel = Edge<RdsBackupModel>;
