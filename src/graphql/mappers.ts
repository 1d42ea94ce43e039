/**
 * The TypeScript types each GraphQL type is resolved from (codegen `mappers`): the domain models,
 * and the pagination module's connections over them.
 */
import type { Connection, Edge, PageInfo } from '../pagination/connection.js';
import type {
  BackupModel,
  DcsBackupModel,
  InstanceModel,
  ObBackupJobModel,
  ObBackupTaskModel,
  ObTenantModel,
  RdsBackupModel,
  TenantModel,
} from '../domain/models.js';

export type {
  BackupModel,
  DcsBackupModel,
  DcsInstanceModel,
  HuaweiProjectModel,
  InstanceModel,
  NodeModel,
  ObAgentInfoModel,
  ObBackupJobModel,
  ObBackupTaskModel,
  ObClusterModel,
  ObTenantModel,
  RdsBackupModel,
  RdsInstanceModel,
  TenantModel,
} from '../domain/models.js';

export type PageInfoModel = PageInfo;
export type InstanceConnectionModel = Connection<InstanceModel>;
export type InstanceEdgeModel = Edge<InstanceModel>;
export type TenantConnectionModel = Connection<TenantModel>;
export type TenantEdgeModel = Edge<TenantModel>;
export type BackupTaskConnectionModel = Connection<BackupModel>;
export type BackupTaskEdgeModel = Edge<BackupModel>;
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
