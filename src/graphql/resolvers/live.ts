/** The mutations, the subscriptions and `viewer`: thin calls into the action service and the live hub. */
import { CodedError } from '../../core/errors.js';
import type { NodeRef } from '../../core/ids.js';
import { statusWanted } from '../../core/models.js';
import { selectSources } from '../../fleet/fleet.js';
import { node } from '../../fleet/nodes.js';
import type { CoverageItem } from '../../fleet/coverage.js';
import type { MutationResolvers, QueryResolvers, Resolvers, SubscriptionResolvers } from '../../generated/resolvers-types.js';
import type { ProgressEvent } from '../../live/hub.js';
import type { GraphQLContext, Services } from '../context.js';
import type { BackupModel, NodeModel } from '../mappers.js';

function services(ctx: GraphQLContext): Services {
  if (!ctx.services) throw new CodedError('UNAVAILABLE', 'Mutations and subscriptions are not served here.');
  return ctx.services;
}

export const Mutation: MutationResolvers = {
  startBackup: (_root, { input }, ctx) => services(ctx).actions.startBackup(ctx.op, ctx.principal, input),
  cancelBackup: (_root, { input }, ctx) => services(ctx).actions.cancelBackup(ctx.op, ctx.principal, input),
  deleteBackup: (_root, { input }, ctx) => services(ctx).actions.deleteBackup(ctx.op, ctx.principal, input),
};

export const viewer: QueryResolvers['viewer'] = (_root, _args, ctx) => ({
  name: ctx.principal.name,
  role: ctx.principal.role,
  sources: ctx.principal.sources ? [...ctx.principal.sources] : null,
  canOperate: ctx.services?.actions.canOperate(ctx.principal) ?? false,
});

/** A payload's target, read only when selected. */
const target = (payload: { targetId: string }, _args: unknown, ctx: GraphQLContext) => node(ctx.op, payload.targetId) as Promise<NodeModel | null>;

export const payloads: Resolvers = {
  StartBackupPayload: {
    target: target as never,
    backup: (p) => (p.backups[0] ?? null) as BackupModel | null,
    backups: (p) => p.backups as BackupModel[],
  },
  CancelBackupPayload: { target: target as never, backup: (p) => p.backup as BackupModel | null },
  DeleteBackupPayload: { target },
};

/**
 * Each event is resolved in an operation of its own (its budget, deadline and loaders are the
 * event's, not the subscription's), shared by every subscriber who sees the same sources.
 */
function freshOperation(ctx: GraphQLContext, event: object): void {
  ctx.op = services(ctx).live.operationFor(event, ctx.principal.sources, ctx.op.requestId);
}

export const Subscription: SubscriptionResolvers = {
  backupProgress: {
    subscribe: (_root, { filter }, ctx) => {
      const f = filter ?? {};
      let sources = selectSources(ctx.op, f).map(({ session }) => session.source);
      const ids = f.instanceIds?.length ? f.instanceIds : null;
      const refs: NodeRef[] | null = ids ? ids.map((id) => ctx.op.fleet.codec.decode(id, 'filter.instanceIds', ctx.op.fleet.filterableIdTypes)) : null;
      if (refs) sources = sources.filter((s) => refs.some((r) => r.source === s));
      const since = f.since?.getTime() ?? null;
      const until = f.until?.getTime() ?? null;
      const accept = ({ backup, targetId }: ProgressEvent) => {
        if (f.providers?.length && !(f.providers as readonly string[]).includes(backup.provider)) return false;
        if (!statusWanted(backup.status, f.statuses)) return false;
        const started = backup.startedAt?.getTime() ?? null;
        if ((since !== null || until !== null) && started === null) return false;
        if (since !== null && started! < since) return false;
        if (until !== null && started! > until) return false;
        // An ID without keys (an ObCluster) names its whole source.
        if (refs && !refs.some((r, i) => (Object.keys(r.keys).length === 0 ? r.source === backup.source : ids![i] === targetId))) return false;
        return true;
      };
      return services(ctx).live.subscribe('backupProgress', sources, clientKey(ctx), accept);
    },
    resolve: (event: unknown, _args: unknown, ctx: GraphQLContext) => {
      freshOperation(ctx, event as object);
      return (event as ProgressEvent).backup as BackupModel;
    },
  },
  coverageChanged: {
    subscribe: (_root, { filter }, ctx) => {
      const f = filter ?? {};
      const sources = selectSources(ctx.op, f).map(({ session }) => session.source);
      const accept = (item: CoverageItem) =>
        (!f.providers?.length || (f.providers as readonly string[]).includes(item.provider)) && (!f.states?.length || f.states.includes(item.state));
      return services(ctx).live.subscribe('coverageChanged', sources, clientKey(ctx), accept);
    },
    resolve: (event: unknown, _args: unknown, ctx: GraphQLContext) => {
      freshOperation(ctx, event as object);
      return event as CoverageItem;
    },
  },
};

function clientKey(ctx: GraphQLContext): string {
  return ctx.services?.clientKey ?? `principal:${ctx.principal.name}`;
}
