/** The root fields: thin calls into the fleet core, with partial failures reported at the field's path. */
import type { GraphQLResolveInfo } from 'graphql';
import type { QueryResolvers } from '../../generated/resolvers-types.js';
import { backupCoverage } from '../../fleet/coverage.js';
import { backupTasks } from '../../fleet/backups.js';
import type { Report } from '../../fleet/fleet.js';
import { mergedList } from '../../fleet/lists.js';
import { node, nodes } from '../../fleet/nodes.js';
import type { GraphQLContext } from '../context.js';
import { reportPartialFailure } from '../errors.js';
import type { BackupTaskConnectionModel, InstanceConnectionModel, NodeModel, TenantConnectionModel } from '../mappers.js';

const reporter =
  (ctx: GraphQLContext, info: GraphQLResolveInfo): Report =>
  (error) =>
    reportPartialFailure(ctx, info, error);

export const Query: QueryResolvers = {
  node: (_root, { id }, ctx) => node(ctx.op, id) as Promise<NodeModel | null>,
  // Errors in the list are thrown by GraphQL at their item's path (graphql-js completeValue).
  nodes: (_root, { ids }, ctx) => nodes(ctx.op, ids) as Promise<(NodeModel | null)[]>,

  instances: (_root, { filter, ...args }, ctx, info) =>
    mergedList(
      ctx.op,
      args,
      ['instances', filter ?? null],
      filter,
      (s, kinds) => s.instanceSegments(kinds),
      reporter(ctx, info),
    ) as Promise<InstanceConnectionModel>,

  tenants: (_root, { filter, ...args }, ctx, info) =>
    mergedList(ctx.op, args, ['tenants', filter ?? null], filter, (s, kinds) => s.tenantSegments(kinds), reporter(ctx, info)) as Promise<TenantConnectionModel>,

  backupTasks: (_root, { filter, ...args }, ctx, info) => backupTasks(ctx.op, args, filter, reporter(ctx, info)) as Promise<BackupTaskConnectionModel>,

  backupCoverage: (_root, { filter, rpoHours, ...args }, ctx, info) => backupCoverage(ctx.op, args, filter, rpoHours, reporter(ctx, info)),
};
