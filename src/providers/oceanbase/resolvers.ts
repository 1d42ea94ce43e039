/** Resolvers of the OceanBase types: clusters, tenants, backup tasks and jobs. */
import { checkTimeRange, rangeOf } from '../../core/time-range.js';
import type { ObBackupJobResolvers, ObBackupTaskResolvers, ObClusterResolvers, ObTenantResolvers, Resolvers } from '../../generated/resolvers-types.js';
import { sessionOf, type GraphQLContext } from '../../graphql/context.js';
import type { Speculative } from '../../graphql/lookahead.js';
import { pageOfList } from '../../pagination/connection.js';
import { arrayList, emptyList, filteredList } from '../../pagination/lists.js';
import { toObCluster } from './mapping.js';
import { ObSession } from './session.js';
import { obJobStatusesFor } from './status.js';

const session = (ctx: GraphQLContext, source: string) => sessionOf(ctx, source, ObSession);

const ObCluster: ObClusterResolvers = {
  agent: (c, _args, ctx) => session(ctx, c.source).agentInfo(),
  tenants: (c, args, ctx) =>
    pageOfList(
      args,
      ['ObCluster.tenants', c.source],
      arrayList(() => session(ctx, c.source).tenantList()),
    ),
  backupOverview: (c, args, ctx) =>
    pageOfList(
      args,
      ['ObCluster.backupOverview', c.source],
      arrayList(() => session(ctx, c.source).backupOverview()),
    ),
};

const ObTenant: ObTenantResolvers = {
  cluster: (t) => toObCluster(t.source),
  // `sys` cannot be backed up on its own: the agent refuses it, so it is not asked.
  latestBackup: (t, _args, ctx) => (t.isSystemTenant ? null : session(ctx, t.source).latestBackup(t.tenantId)),
  restorableWindow: (t, _args, ctx) => (t.isSystemTenant ? null : session(ctx, t.source).restorableWindow(t.tenantName)),
  logArchive: (t, _args, ctx) => (t.isSystemTenant ? null : session(ctx, t.source).logArchive(t.tenantName)),
  backupJobs: (t, { statuses, since, until, ...args }, ctx) => {
    checkTimeRange(since, until, 'since');
    const wanted = statuses && statuses.length > 0 ? statuses : null;
    const identity = ['ObTenant.backupJobs', t.source, t.tenantName, { statuses: wanted, since: since ?? null, until: until ?? null }];
    if (t.isSystemTenant) return pageOfList(args, identity, emptyList);
    // Passed to the agent where the statuses map onto job statuses, applied here where they cannot
    // (UNKNOWN), and known empty when no job status matches (e.g. only EXPIRED).
    const upstream = wanted ? obJobStatusesFor(wanted) : null;
    if (upstream && upstream.length === 0) return pageOfList(args, identity, emptyList);
    const jobs = session(ctx, t.source).backupJobs(t.tenantName, { statuses: upstream, range: rangeOf(since, until) });
    return pageOfList(args, identity, wanted && !upstream ? filteredList(jobs, (j) => wanted.includes(j.status)) : jobs);
  },
};

const ObBackupTask: ObBackupTaskResolvers = {
  instance: (b) => toObCluster(b.source),
  tenant: (b, _args, ctx) => session(ctx, b.source).tenantById(b.tenantId),
};

const ObBackupJob: ObBackupJobResolvers = {
  instance: (b) => toObCluster(b.source),
  tenant: (b, _args, ctx) => session(ctx, b.source).tenantByName(b.tenantName),
};

export const oceanbaseResolvers: Resolvers = { ObCluster, ObTenant, ObBackupTask, ObBackupJob };

/** What the resolvers above compute from an ID alone (src/graphql/lookahead.ts). */
export const oceanbaseSpeculative: Record<string, Speculative> = {
  ObCluster: { fields: ['agent', 'tenants', 'backupOverview'], stub: (ref) => toObCluster(ref.source) },
  ObTenant: {
    fields: ['backupJobs', 'restorableWindow', 'logArchive'],
    stub: (ref) => ({ kind: 'ObTenant', source: ref.source, tenantName: ref.keys['tenantName'], isSystemTenant: ref.keys['tenantName'] === 'sys' }),
  },
};
