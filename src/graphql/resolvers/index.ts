/** All resolvers. Unions and interfaces resolve from each model's `kind`, set where it was built. */
import type { Resolvers } from '../../generated/resolvers-types.js';
import type { Connection } from '../../pagination/connection.js';
import { DateTimeScalar } from '../scalars.js';
import { DcsBackup, DcsInstance, HuaweiProject, RdsBackup, RdsInstance } from './huawei.js';
import { ObBackupJob, ObBackupTask, ObCluster, ObTenant } from './oceanbase.js';
import { Query } from './query.js';

const byKind = { __resolveType: (model: { kind: string }) => model.kind } as const;
const connection = { nodes: <T>(c: Connection<T>) => c.edges.map((e) => e.node) };

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Node: byKind as Resolvers['Node'],
  Backup: byKind as Resolvers['Backup'],
  Instance: byKind as Resolvers['Instance'],
  Tenant: byKind as Resolvers['Tenant'],
  BackupTask: byKind as Resolvers['BackupTask'],
  ObCluster,
  ObTenant,
  ObBackupTask,
  ObBackupJob,
  HuaweiProject,
  DcsInstance,
  DcsBackup,
  RdsInstance,
  RdsBackup,
  InstanceConnection: connection,
  TenantConnection: connection,
  BackupTaskConnection: connection,
  ObTenantConnection: connection,
  ObBackupTaskConnection: connection,
  ObBackupJobConnection: connection,
  DcsBackupConnection: connection,
  RdsBackupConnection: connection,
};
