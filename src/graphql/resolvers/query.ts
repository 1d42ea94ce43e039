/** The root fields. */
import type { QueryResolvers } from '../../generated/resolvers-types.js';
import { huaweiProjectModel, merged, selectSources, allows, instanceSegments, backupSegments } from '../lists.js';
import { arrayList } from '../../pagination/lists.js';
import type { NodeModel, TenantModel } from '../../domain/models.js';
import type { Segment } from '../../pagination/connection.js';
import { node, nodes } from './node.js';

export const Query: QueryResolvers = {
  node: (_root, { id }, ctx) => node(ctx, id),
  // Errors in the list are thrown by GraphQL at their item's path (graphql-js completeValue).
  nodes: (_root, { ids }, ctx) => nodes(ctx, ids) as Promise<(NodeModel | null)[]>,

  instances: (_root, { filter, ...args }, ctx, info) =>
    merged(ctx, info, args, ['instances', filter ?? null], instanceSegments(ctx, filter)),

  tenants: (_root, { filter, ...args }, ctx, info) =>
    merged(
      ctx,
      info,
      args,
      ['tenants', filter ?? null],
      selectSources(ctx, filter).map((source) => async (): Promise<Segment<TenantModel>[]> => {
        if (source.provider === 'oceanbase') {
          return allows(filter, 'OCEANBASE') ? [{ key: source.name, list: arrayList(() => ctx.data.obTenants(source.name)) }] : [];
        }
        const wanted = allows(filter, 'DCS') || allows(filter, 'RDS');
        return wanted ? [{ key: source.name, list: arrayList(async () => [huaweiProjectModel(source)]) }] : [];
      }),
    ),

  backupTasks: (_root, { filter, ...args }, ctx, info) =>
    merged(ctx, info, args, ['backupTasks', filter ?? null], backupSegments(ctx, filter)),
};
