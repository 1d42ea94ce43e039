/** Huawei Cloud types: projects, DCS and RDS instances and their backups. */
import type {
  DcsBackupResolvers,
  DcsInstanceResolvers,
  HuaweiProjectResolvers,
  RdsBackupResolvers,
  RdsInstanceResolvers,
} from '../../generated/resolvers-types.js';
import type { HuaweiProjectModel } from '../../domain/models.js';
import type { RdsBackupType } from '../../providers/huawei/rds-client.js';
import type { GraphQLContext } from '../context.js';
import { encodeId } from '../ids.js';
import { checkRange, huaweiInstanceSegments, huaweiProjectModel, ofSegments, single } from '../lists.js';

function project(ctx: GraphQLContext, source: string): HuaweiProjectModel {
  const hw = ctx.sources.huawei(source);
  if (!hw) throw new Error(`no Huawei Cloud source named ${source}`);
  return huaweiProjectModel(hw);
}

export const HuaweiProject: HuaweiProjectResolvers = {
  id: (p) => encodeId({ type: 'HuaweiProject', source: p.source }),
  // The project's own instances: DCS then RDS; a failing service fails the field.
  instances: (p, { providers, ...args }, ctx) =>
    ofSegments(args, ['HuaweiProject.instances', p.source, providers ?? null], huaweiInstanceSegments(ctx, p.source, { providers: providers ?? null })),
};

export const DcsInstance: DcsInstanceResolvers = {
  id: (i) => encodeId({ type: 'DcsInstance', source: i.source, instanceId: i.instanceId }),
  project: (i, _args, ctx) => project(ctx, i.source),
  backups: (i, { since, until, ...args }, ctx) => {
    checkRange(since, until, 'since');
    const range = { since: since ?? null, until: until ?? null };
    return single(args, ['DcsInstance.backups', i.source, i.instanceId, range], ctx.data.dcsBackups(i.source, i.instanceId, range));
  },
};

export const DcsBackup: DcsBackupResolvers = {
  id: (b) => encodeId({ type: 'DcsBackup', source: b.source, instanceId: b.instanceId, backupId: b.backupId }),
  instance: (b, _args, ctx) => ctx.data.dcsInstance(b.source, b.instanceId),
};

const RDS_TYPES: Record<string, RdsBackupType> = { AUTO: 'auto', MANUAL: 'manual', FRAGMENT: 'fragment', INCREMENTAL: 'incremental' };

export const RdsInstance: RdsInstanceResolvers = {
  id: (i) => encodeId({ type: 'RdsInstance', source: i.source, instanceId: i.instanceId }),
  project: (i, _args, ctx) => project(ctx, i.source),
  backups: (i, { since, until, type, ...args }, ctx) => {
    checkRange(since, until, 'since');
    const filter = { since: since ?? null, until: until ?? null, type: type ? RDS_TYPES[type]! : null };
    return single(args, ['RdsInstance.backups', i.source, i.instanceId, filter], ctx.data.rdsBackups(i.source, i.instanceId, filter));
  },
};

export const RdsBackup: RdsBackupResolvers = {
  id: (b) => encodeId({ type: 'RdsBackup', source: b.source, instanceId: b.instanceId, backupId: b.backupId }),
  instance: (b, _args, ctx) => ctx.data.rdsInstance(b.source, b.instanceId),
};
