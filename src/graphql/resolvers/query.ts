/** The root fields. */
import type { QueryResolvers } from '../../generated/resolvers-types.js';
import type { NodeModel } from '../../domain/models.js';
import { backupSegments, instanceSegments, merged, tenantSegments } from '../lists.js';
import { node, nodes } from './node.js';

export const Query: QueryResolvers = {
  node: (_root, { id }, ctx) => node(ctx, id),
  // Errors in the list are thrown by GraphQL at their item's path (graphql-js completeValue).
  nodes: (_root, { ids }, ctx) => nodes(ctx, ids) as Promise<(NodeModel | null)[]>,

  instances: (_root, { filter, ...args }, ctx, info) => merged(ctx, info, args, ['instances', filter ?? null], instanceSegments(ctx, filter)),

  tenants: (_root, { filter, ...args }, ctx, info) => merged(ctx, info, args, ['tenants', filter ?? null], tenantSegments(ctx, filter)),

  backupTasks: (_root, { filter, ...args }, ctx, info) => merged(ctx, info, args, ['backupTasks', filter ?? null], backupSegments(ctx, filter)),
};
