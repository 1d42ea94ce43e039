/**
 * All resolvers: the fleet-wide types here, each provider module's own from the registry. Unions
 * and interfaces resolve from each model's `kind`, set where it was built.
 */
import { force } from '../../fleet/keyset.js';
import type { Resolvers } from '../../generated/resolvers-types.js';
import { PROVIDER_RESOLVERS } from '../../providers/index.js';
import { DateTimeScalar } from '../scalars.js';
import { Mutation, payloads, Subscription, viewer } from './live.js';
import { Query } from './query.js';

const byKind = { __resolveType: (model: { kind: string }) => model.kind } as const;
const connection = { nodes: <T>(c: { edges: { node: T }[] }) => c.edges.map((e) => e.node) };
const counted = { ...connection, totalCount: (c: { totalCount: number | (() => Promise<number>) }) => force(c.totalCount) };

const core: Resolvers = {
  DateTime: DateTimeScalar,
  Query: { ...Query, viewer },
  Mutation,
  Subscription,
  Node: byKind as Resolvers['Node'],
  Backup: byKind as Resolvers['Backup'],
  Instance: byKind as Resolvers['Instance'],
  Tenant: byKind as Resolvers['Tenant'],
  BackupTask: byKind as Resolvers['BackupTask'],
  BackupTarget: byKind as Resolvers['BackupTarget'],
  PageInfo: {
    hasNextPage: (p) => force(p.hasNextPage),
    hasPreviousPage: (p) => force(p.hasPreviousPage),
  },
  InstanceConnection: { ...connection, asOf: (c, _args, ctx) => (c.asOf === undefined ? new Date(ctx.op.now) : c.asOf) },
  TenantConnection: connection,
  // `asOf`: the snapshot's (null: not all read yet); an answer read live is as of this operation's "now".
  BackupTaskConnection: { ...counted, asOf: (c, _args, ctx) => (c.asOf === undefined ? new Date(ctx.op.now) : c.asOf) },
  BackupCoverageConnection: { ...counted, asOf: (c, _args, ctx) => (c.asOf === undefined ? new Date(ctx.op.now) : c.asOf) },
  BackupCoverage: {
    asOf: (item, _args, ctx) => (item.asOf === undefined ? new Date(ctx.op.now) : item.asOf),
    // The snapshot's views are shared for a while (`viewCacheMilliseconds`): the age is this request's.
    ageSeconds: (item, _args, ctx) =>
      item.asOf === undefined ? item.ageSeconds : item.lastSuccessAt ? Math.max(0, (ctx.op.now - item.lastSuccessAt.getTime()) / 1000) : null,
    stale: (item) => item.stale ?? false,
  },
  SnapshotSource: { callsAvailable: (s) => s.available() },
  ObTenantConnection: connection,
  ObBackupTaskConnection: connection,
  ObBackupJobConnection: connection,
  DcsBackupConnection: connection,
  RdsBackupConnection: connection,
};

export const resolvers: Resolvers[] = [core, payloads, ...PROVIDER_RESOLVERS];
