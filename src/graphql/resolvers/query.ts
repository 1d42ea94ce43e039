/** The root fields: thin calls into the fleet core, with partial failures reported at the field's path. */
import type { GraphQLResolveInfo } from 'graphql';
import type { QueryResolvers } from '../../generated/resolvers-types.js';
import { backupCoverage, coverageRequest } from '../../fleet/coverage.js';
import { backupTasks, backupTasksRequest } from '../../fleet/backups.js';
import { selectSources, type Report, type SourceFilter } from '../../fleet/fleet.js';
import { mergedList } from '../../fleet/lists.js';
import { node, nodes } from '../../fleet/nodes.js';
import type { GraphQLContext } from '../context.js';
import { reportPartialFailure } from '../errors.js';
import { selectedCoordinates, speculate } from '../lookahead.js';
import { speculativeFor } from '../../providers/index.js';
import type { BackupTaskConnectionModel, InstanceConnectionModel, NodeModel, TenantConnectionModel } from '../mappers.js';

const reporter =
  (ctx: GraphQLContext, info: GraphQLResolveInfo): Report =>
  (error) =>
    reportPartialFailure(ctx, info, error);

/** Starts the source-wide reads the selection below a root field will need (lookahead.ts). */
function warm(ctx: GraphQLContext, info: GraphQLResolveInfo, filter: SourceFilter | null | undefined): void {
  let selected;
  try {
    selected = selectSources(ctx.op, filter);
  } catch {
    return; // the root field reports the bad filter
  }
  const wanted = selectedCoordinates(info);
  wanted.add(`Query.${info.fieldName}`);
  ctx.op.budget.onFirstCall(() => {
    for (const { session } of selected) session.warm?.(wanted);
  });
}

/** Starts the reads of what the selection asks of objects known by their IDs alone (lookahead.ts). */
function speculateIds(ctx: GraphQLContext, info: GraphQLResolveInfo, ids: readonly string[]): void {
  const refs = [];
  for (const id of ids.slice(0, ctx.op.fleet.settings.maxNodeIds)) {
    try {
      const ref = ctx.op.fleet.codec.decode(id, 'id');
      if (ctx.op.source(ref.source)) refs.push(ref);
    } catch {
      // the root field reports it
    }
  }
  speculate(info, ctx, refs, speculativeFor);
}

export const Query: QueryResolvers = {
  node: (_root, { id }, ctx, info) => {
    speculateIds(ctx, info, [id]);
    return node(ctx.op, id) as Promise<NodeModel | null>;
  },
  // Errors in the list are thrown by GraphQL at their item's path (graphql-js completeValue).
  nodes: (_root, { ids }, ctx, info) => {
    if (ids.length <= ctx.op.fleet.settings.maxNodeIds) speculateIds(ctx, info, ids);
    return nodes(ctx.op, ids) as Promise<(NodeModel | null)[]>;
  },

  instances: (_root, { filter, fresh, ...args }, ctx, info) => {
    if (ctx.snapshot && !fresh && ctx.snapshot.canAnswerInstances(ctx.op, filter))
      return ctx.snapshot.instances(ctx.op, args, filter, reporter(ctx, info)) as Promise<InstanceConnectionModel>;
    warm(ctx, info, filter);
    return mergedList(
      ctx.op,
      args,
      ['instances', filter ?? null],
      filter,
      (s, kinds) => s.instanceSegments(kinds),
      reporter(ctx, info),
    ) as Promise<InstanceConnectionModel>;
  },

  tenants: (_root, { filter, ...args }, ctx, info) => {
    warm(ctx, info, filter);
    return mergedList(
      ctx.op,
      args,
      ['tenants', filter ?? null],
      filter,
      (s, kinds) => s.tenantSegments(kinds),
      reporter(ctx, info),
    ) as Promise<TenantConnectionModel>;
  },

  backupTasks: (_root, { filter, fresh, ...args }, ctx, info) => {
    // From the snapshot when it holds the window asked for; else (and with `fresh`) read live.
    if (ctx.snapshot && !fresh) {
      const req = backupTasksRequest(ctx.op, args, filter);
      if (ctx.snapshot.canAnswer(ctx.op, req)) return ctx.snapshot.backupTasks(ctx.op, req, reporter(ctx, info)) as Promise<BackupTaskConnectionModel>;
    }
    warm(ctx, info, filter);
    return backupTasks(ctx.op, args, filter, reporter(ctx, info)) as Promise<BackupTaskConnectionModel>;
  },

  backupCoverage: (_root, { filter, rpoHours, fresh, ...args }, ctx, info) => {
    if (ctx.snapshot) return ctx.snapshot.coverage(ctx.op, coverageRequest(args, filter, rpoHours), fresh === true, reporter(ctx, info));
    warm(ctx, info, filter);
    return backupCoverage(ctx.op, args, filter, rpoHours, reporter(ctx, info));
  },

  fleetSnapshot: (_root, _args, ctx) => {
    const snapshot = ctx.snapshot;
    if (!snapshot) return { enabled: false, complete: false, asOf: null, sources: [] };
    const sources = snapshot.status(ctx.op);
    const oldest = sources.reduce((min, s) => Math.min(min, s.read < s.targets ? -Infinity : (s.oldestReadAt?.getTime() ?? Infinity)), Infinity);
    return { enabled: true, complete: snapshot.complete(), asOf: Number.isFinite(oldest) ? new Date(oldest) : null, sources };
  },
};
