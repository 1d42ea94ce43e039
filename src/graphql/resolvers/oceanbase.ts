/** OceanBase types: clusters, tenants, backup tasks and jobs. */
import type { ObBackupJobResolvers, ObBackupTaskResolvers, ObClusterResolvers, ObTenantResolvers } from '../../generated/resolvers-types.js';
import { arrayList, emptyList } from '../../pagination/lists.js';
import { encodeId } from '../ids.js';
import { checkRange, obClusterModel, obJobList, single } from '../lists.js';

export const ObCluster: ObClusterResolvers = {
  id: (c) => encodeId({ type: 'ObCluster', source: c.source }),
  agent: (c, _args, ctx) => ctx.data.obAgentInfo(c.source),
  tenants: (c, args, ctx) =>
    single(
      args,
      ['ObCluster.tenants', c.source],
      arrayList(() => ctx.data.obTenants(c.source)),
    ),
  backupOverview: (c, args, ctx) =>
    single(
      args,
      ['ObCluster.backupOverview', c.source],
      arrayList(() => ctx.data.obBackupOverview(c.source)),
    ),
};

export const ObTenant: ObTenantResolvers = {
  id: (t) => encodeId({ type: 'ObTenant', source: t.source, tenantName: t.tenantName }),
  cluster: (t) => obClusterModel(t.source),
  // `sys` cannot be backed up on its own: the agent refuses it, so it is not asked.
  latestBackup: (t, _args, ctx) => (t.isSystemTenant ? null : ctx.data.obLatestBackup(t.source, t.tenantId)),
  backupJobs: (t, { statuses, since, until, ...args }, ctx) => {
    checkRange(since, until, 'since');
    const filter = { statuses: statuses ?? null, since: since ?? null, until: until ?? null };
    const list = t.isSystemTenant ? emptyList : obJobList(ctx, t.source, t.tenantName, filter);
    return single(args, ['ObTenant.backupJobs', t.source, t.tenantName, filter], list);
  },
};

export const ObBackupTask: ObBackupTaskResolvers = {
  id: (b) => encodeId({ type: 'ObBackupTask', source: b.source, tenantId: b.tenantId, taskId: b.taskId }),
  instance: (b) => obClusterModel(b.source),
  tenant: (b, _args, ctx) => ctx.data.obTenantById(b.source, b.tenantId),
};

export const ObBackupJob: ObBackupJobResolvers = {
  id: (b) => encodeId({ type: 'ObBackupJob', source: b.source, tenantName: b.tenantName, jobId: b.jobId }),
  instance: (b) => obClusterModel(b.source),
  tenant: (b, _args, ctx) => ctx.data.obTenantByName(b.source, b.tenantName),
};
