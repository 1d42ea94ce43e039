/** Resolvers of the Huawei Cloud types: projects, DCS and RDS instances and their backups. */
import { checkTimeRange, rangeOf } from '../../core/time-range.js';
import type {
  DcsBackupResolvers,
  DcsInstanceResolvers,
  HuaweiProjectResolvers,
  RdsBackupResolvers,
  RdsInstanceResolvers,
  Resolvers,
} from '../../generated/resolvers-types.js';
import { sessionOf, type GraphQLContext } from '../../graphql/context.js';
import type { Speculative } from '../../graphql/lookahead.js';
import { pageOfList, pageOfSegments } from '../../pagination/connection.js';
import type { RdsBackupType } from './rds-client.js';
import { HuaweiSession } from './session.js';

const session = (ctx: GraphQLContext, source: string) => sessionOf(ctx, source, HuaweiSession);

const HuaweiProject: HuaweiProjectResolvers = {
  // The project's own instances: DCS then RDS; a failing service fails the field.
  instances: (p, { providers, ...args }, ctx) =>
    pageOfSegments(args, ['HuaweiProject.instances', p.source, providers ?? null], session(ctx, p.source).instanceSegments(providers ?? null)),
};

const DcsInstance: DcsInstanceResolvers = {
  project: (i, _args, ctx) => session(ctx, i.source).project(),
  restorableWindow: (i, _args, ctx) => session(ctx, i.source).dcsRestorableWindow(i.instanceId),
  backups: (i, { since, until, ...args }, ctx) => {
    checkTimeRange(since, until, 'since');
    const range = { since: since ?? null, until: until ?? null };
    return pageOfList(args, ['DcsInstance.backups', i.source, i.instanceId, range], session(ctx, i.source).dcsBackups(i.instanceId, rangeOf(since, until)));
  },
};

const DcsBackup: DcsBackupResolvers = {
  instance: (b, _args, ctx) => session(ctx, b.source).dcsInstance(b.instanceId),
};

const RDS_TYPES: Record<string, RdsBackupType> = { AUTO: 'auto', MANUAL: 'manual', FRAGMENT: 'fragment', INCREMENTAL: 'incremental' };

const RdsInstance: RdsInstanceResolvers = {
  project: (i, _args, ctx) => session(ctx, i.source).project(),
  restorableWindow: (i, _args, ctx) => session(ctx, i.source).rdsRestorableWindow(i.instanceId),
  backups: (i, { since, until, type, ...args }, ctx) => {
    checkTimeRange(since, until, 'since');
    const filter = { since: since ?? null, until: until ?? null, type: type ? RDS_TYPES[type]! : null };
    return pageOfList(
      args,
      ['RdsInstance.backups', i.source, i.instanceId, filter],
      session(ctx, i.source).rdsBackups(i.instanceId, { range: rangeOf(since, until), type: filter.type }),
    );
  },
};

const RdsBackup: RdsBackupResolvers = {
  instance: (b, _args, ctx) => session(ctx, b.source).rdsInstance(b.instanceId),
};

export const huaweiResolvers: Resolvers = { HuaweiProject, DcsInstance, DcsBackup, RdsInstance, RdsBackup };

/** What the resolvers above compute from an ID alone (src/graphql/lookahead.ts): an instance's backups. */
export const huaweiSpeculative: Record<string, Speculative> = {
  DcsInstance: { fields: ['backups', 'restorableWindow'], stub: (ref) => ({ kind: 'DcsInstance', source: ref.source, instanceId: ref.keys['instanceId'] }) },
  RdsInstance: { fields: ['backups', 'restorableWindow'], stub: (ref) => ({ kind: 'RdsInstance', source: ref.source, instanceId: ref.keys['instanceId'] }) },
};
