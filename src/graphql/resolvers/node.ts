/** `node(id:)` and `nodes(ids:)`: every global ID back to its object, or null once it is gone. */
import type { NodeModel } from '../../domain/models.js';
import type { GraphQLContext } from '../context.js';
import { decodeId, type NodeRef } from '../ids.js';
import { huaweiProjectModel, obClusterModel } from '../lists.js';

export async function resolveNode(ctx: GraphQLContext, ref: NodeRef): Promise<NodeModel | null> {
  const { data } = ctx;
  const ob = ctx.sources.oceanbase(ref.source);
  const hw = ctx.sources.huawei(ref.source);
  switch (ref.type) {
    case 'ObCluster':
      return ob ? obClusterModel(ob.name) : null;
    case 'ObTenant':
      return ob ? data.obTenantByName(ob.name, ref.tenantName) : null;
    case 'ObBackupTask':
      return ob ? data.obBackupTask(ob.name, ref.tenantId, ref.taskId) : null;
    case 'ObBackupJob':
      return ob ? data.obBackupJob(ob.name, ref.tenantName, ref.jobId) : null;
    case 'HuaweiProject':
      return hw ? huaweiProjectModel(hw) : null;
    case 'DcsInstance':
      return hw ? data.dcsInstance(hw.name, ref.instanceId) : null;
    case 'DcsBackup':
      return hw ? data.dcsBackup(hw.name, ref.instanceId, ref.backupId) : null;
    case 'RdsInstance':
      return hw ? data.rdsInstance(hw.name, ref.instanceId) : null;
    case 'RdsBackup':
      return hw ? data.rdsBackup(hw.name, ref.instanceId, ref.backupId) : null;
  }
}

export function node(ctx: GraphQLContext, id: string): Promise<NodeModel | null> {
  return resolveNode(ctx, decodeId(id, 'id'));
}

/**
 * Every ID is validated before any look-up; each look-up then fails or succeeds on its own: a
 * failed one is an `Error` in its place, which GraphQL reports with that item's path.
 */
export function nodes(ctx: GraphQLContext, ids: readonly string[]): Promise<(NodeModel | null | Error)[]> {
  const refs = ids.map((id) => decodeId(id, 'ids'));
  return Promise.all(refs.map((ref) => resolveNode(ctx, ref).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))));
}
