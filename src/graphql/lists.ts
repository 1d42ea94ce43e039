/**
 * The lists behind the connections: which segments (upstream lists) make up each one. Root lists
 * merge every source; nested ones read one upstream list. All are paginated by `paginate`.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type {
  BackupModel,
  HuaweiProjectModel,
  InstanceModel,
  ObBackupJobModel,
  ObClusterModel,
  ObTenantModel,
  Provider,
  TenantModel,
} from '../domain/models.js';
import { obJobStatusesFor, type BackupStatus } from '../domain/status.js';
import { BadInputError, UpstreamError } from '../errors.js';
import { parseConnectionArgs, type ConnectionArgs } from '../pagination/args.js';
import { paginate, type Connection, type Segment } from '../pagination/connection.js';
import { listKey } from '../pagination/cursor.js';
import { arrayList, emptyList, filteredList, type OffsetList } from '../pagination/lists.js';
import type { Source } from '../sources.js';
import type { GraphQLContext } from './context.js';
import { reportPartialFailure } from './errors.js';
import { decodeId } from './ids.js';

export const obClusterModel = (source: string): ObClusterModel => ({ kind: 'ObCluster', provider: 'OCEANBASE', source });

export const huaweiProjectModel = (source: { name: string; projectId: string; region: string }): HuaweiProjectModel => ({
  kind: 'HuaweiProject',
  source: source.name,
  projectId: source.projectId,
  region: source.region,
});

/** Pages a list of one source's segments; a failure fails the field (it is nullable). */
export function ofSegments<T>(args: ConnectionArgs, identity: unknown, segments: readonly Segment<T>[]): Promise<Connection<T>> {
  const key = listKey(identity);
  return paginate(parseConnectionArgs(args, key), segments, { list: key });
}

/** Pages one upstream list; a failure fails the field (it is nullable). */
export function single<T>(args: ConnectionArgs, identity: unknown, list: OffsetList<T>): Promise<Connection<T>> {
  return ofSegments(args, identity, [{ key: '', list }]);
}

/**
 * Pages a list merged from several sources. Segments are built per source (which may itself
 * need an upstream call); a source or segment that fails is left out and reported with the
 * field's path, and the others are returned.
 */
export async function merged<T>(
  ctx: GraphQLContext,
  info: GraphQLResolveInfo,
  args: ConnectionArgs,
  identity: unknown,
  perSource: readonly (() => Promise<Segment<T>[]>)[],
): Promise<Connection<T>> {
  const key = listKey(identity);
  const request = parseConnectionArgs(args, key); // validated before any upstream call
  const report = (error: unknown) => reportPartialFailure(ctx, info, error);
  const groups = await Promise.all(
    perSource.map((build) =>
      build().catch((error: unknown) => {
        report(error);
        return [] as Segment<T>[];
      }),
    ),
  );
  return paginate(request, groups.flat(), { list: key, onSegmentError: report });
}

// ---- filters ----------------------------------------------------------------------------------------

export interface SourceFilter {
  providers?: readonly Provider[] | null;
  sources?: readonly string[] | null;
}

/** The configured sources a filter selects, in configuration order; unknown names are refused. */
export function selectSources(ctx: GraphQLContext, filter: SourceFilter | null | undefined): Source[] {
  for (const name of filter?.sources ?? []) {
    if (!ctx.sources.get(name)) throw new BadInputError(`\`filter.sources\` names no configured source: "${name}".`, 'filter');
  }
  const names = filter?.sources ? new Set(filter.sources) : null;
  return ctx.sources.list.filter((s) => !names || names.has(s.name));
}

export function allows(filter: SourceFilter | null | undefined, provider: Provider): boolean {
  return !filter?.providers || filter.providers.length === 0 || filter.providers.includes(provider);
}

export function checkRange(since: Date | null | undefined, until: Date | null | undefined, argumentName: string): void {
  if (since && until && since.getTime() > until.getTime()) {
    throw new BadInputError(`\`${argumentName}\`: \`since\` must not be later than \`until\`.`, argumentName);
  }
}

// ---- instances --------------------------------------------------------------------------------------

/** The DCS and RDS instances of a Huawei project, DCS first. */
export function huaweiInstanceSegments(ctx: GraphQLContext, source: string, filter: SourceFilter | null | undefined): Segment<InstanceModel>[] {
  const segments: Segment<InstanceModel>[] = [];
  if (allows(filter, 'DCS')) segments.push({ key: `${source}/dcs`, list: arrayList(() => ctx.data.dcsInstances(source)) });
  if (allows(filter, 'RDS')) segments.push({ key: `${source}/rds`, list: arrayList(() => ctx.data.rdsInstances(source)) });
  return segments;
}

export function instanceSegments(ctx: GraphQLContext, filter: SourceFilter | null | undefined): (() => Promise<Segment<InstanceModel>[]>)[] {
  return selectSources(ctx, filter).map((source) => async () => {
    if (source.provider === 'oceanbase') {
      return allows(filter, 'OCEANBASE') ? [{ key: source.name, list: arrayList(async () => [obClusterModel(source.name)]) }] : [];
    }
    return huaweiInstanceSegments(ctx, source.name, filter);
  });
}

// ---- tenants ----------------------------------------------------------------------------------------

/** The tenants of each OceanBase source (one listing call) and each Huawei project (no call). */
export function tenantSegments(ctx: GraphQLContext, filter: SourceFilter | null | undefined): (() => Promise<Segment<TenantModel>[]>)[] {
  return selectSources(ctx, filter).map((source) => async () => {
    if (source.provider === 'oceanbase') {
      return allows(filter, 'OCEANBASE') ? [{ key: source.name, list: arrayList(() => ctx.data.obTenants(source.name)) }] : [];
    }
    const wanted = allows(filter, 'DCS') || allows(filter, 'RDS');
    return wanted ? [{ key: source.name, list: arrayList(async () => [huaweiProjectModel(source)]) }] : [];
  });
}

// ---- backups ----------------------------------------------------------------------------------------

export interface BackupFilter extends SourceFilter {
  statuses?: readonly BackupStatus[] | null;
  since?: Date | null;
  until?: Date | null;
  instanceIds?: readonly string[] | null;
}

/** Keeps items whose status is wanted: for upstreams that cannot filter by status themselves. */
function byStatus<T extends BackupModel>(list: OffsetList<T>, statuses: readonly BackupStatus[] | null | undefined): OffsetList<T> {
  if (!statuses || statuses.length === 0) return list;
  return filteredList(list, (b) => statuses.includes(b.status));
}

/**
 * The job list of an OceanBase tenant under a status filter: passed to the agent when the
 * statuses map onto job statuses, applied here when they cannot (`UNKNOWN`), and known empty
 * when no job status matches (e.g. only `EXPIRED`).
 */
export function obJobList(ctx: GraphQLContext, source: string, tenantName: string, filter: BackupFilter): OffsetList<ObBackupJobModel> {
  const statuses = filter.statuses && filter.statuses.length > 0 ? filter.statuses : null;
  const upstream = statuses ? obJobStatusesFor(statuses) : null;
  if (upstream && upstream.length === 0) return emptyList;
  const range = { since: filter.since ?? null, until: filter.until ?? null };
  const jobs = ctx.data.obBackupJobs(source, tenantName, { ...range, statuses: upstream });
  return statuses && !upstream ? byStatus(jobs, statuses) : jobs;
}

/**
 * A tenant's backups for the fleet-wide list: its job history, or, from agents older than
 * obshell 4.3.2.0 that have no `/backup/tasks` (it answers 404 `Common.NotFound`, legacy 1003),
 * its running-or-latest task from the cluster overview, filtered here.
 */
function obTenantBackups(ctx: GraphQLContext, tenant: ObTenantModel, filter: BackupFilter): OffsetList<BackupModel> {
  const jobs: OffsetList<BackupModel> = obJobList(ctx, tenant.source, tenant.tenantName, filter);
  let fallback: OffsetList<BackupModel> | undefined;
  return {
    async read(offset, limit) {
      if (fallback) return fallback.read(offset, limit);
      try {
        return await jobs.read(offset, limit);
      } catch (error) {
        if (!isMissingRoute(error)) throw error;
        const latest = arrayList(async () => {
          const task = await ctx.data.obLatestBackup(tenant.source, tenant.tenantId);
          return task ? [task] : [];
        });
        fallback = filteredList(latest, (b) => matches(b, filter));
        return fallback.read(offset, limit);
      }
    },
  };
}

/** An obshell answer saying the route itself does not exist (not that a record is missing). */
function isMissingRoute(error: unknown): boolean {
  return error instanceof UpstreamError && error.httpStatus === 404 && (error.upstreamCode === 'Common.NotFound' || error.upstreamCode === '1003');
}

/** Whether a backup passes a filter's statuses and time range (for lists filtered here). */
function matches(backup: BackupModel, filter: BackupFilter): boolean {
  const started = backup.startedAt?.getTime();
  if (filter.statuses && filter.statuses.length > 0 && !filter.statuses.includes(backup.status)) return false;
  if (filter.since && (started === undefined || started < filter.since.getTime())) return false;
  if (filter.until && (started === undefined || started > filter.until.getTime())) return false;
  return true;
}

export function dcsBackupList(ctx: GraphQLContext, source: string, instanceId: string, filter: BackupFilter): OffsetList<BackupModel> {
  return byStatus(ctx.data.dcsBackups(source, instanceId, { since: filter.since ?? null, until: filter.until ?? null }), filter.statuses);
}

export function rdsBackupList(ctx: GraphQLContext, source: string, instanceId: string, filter: BackupFilter): OffsetList<BackupModel> {
  return byStatus(ctx.data.rdsBackups(source, instanceId, { since: filter.since ?? null, until: filter.until ?? null }), filter.statuses);
}

/**
 * Segments of the fleet-wide backup list: per source in configuration order, the jobs of each
 * OceanBase user tenant, then the backups of each DCS and each RDS instance.
 */
export function backupSegments(ctx: GraphQLContext, filter: BackupFilter | null | undefined): (() => Promise<Segment<BackupModel>[]>)[] {
  const f: BackupFilter = filter ?? {};
  checkRange(f.since, f.until, 'filter');
  const wanted = (f.instanceIds ?? []).map((id) => decodeId(id, 'filter', ['ObCluster', 'DcsInstance', 'RdsInstance']));
  const picked = (source: string, type: 'ObCluster' | 'DcsInstance' | 'RdsInstance'): string[] | null => {
    if (wanted.length === 0) return null; // no instance filter: every instance
    return wanted.filter((r) => r.source === source && r.type === type).map((r) => ('instanceId' in r ? r.instanceId : r.source));
  };

  const builders: (() => Promise<Segment<BackupModel>[]>)[] = [];
  for (const source of selectSources(ctx, f)) {
    const name = source.name;
    if (source.provider === 'oceanbase') {
      const clusters = picked(name, 'ObCluster');
      if (!allows(f, 'OCEANBASE') || (clusters && clusters.length === 0)) continue;
      builders.push(async () => {
        const tenants = (await ctx.data.obTenants(name)).filter((t) => !t.isSystemTenant);
        return tenants.map((t) => ({ key: `${name}/${t.tenantName}`, list: obTenantBackups(ctx, t, f) }));
      });
      continue;
    }
    // DCS and RDS separately: one service failing to list its instances does not hide the other.
    for (const [provider, type, all, list] of [
      ['DCS', 'DcsInstance', () => ctx.data.dcsInstances(name), dcsBackupList],
      ['RDS', 'RdsInstance', () => ctx.data.rdsInstances(name), rdsBackupList],
    ] as const) {
      if (!allows(f, provider)) continue;
      const ids = picked(name, type);
      builders.push(async () => {
        const instanceIds = ids ?? (await all()).map((i) => i.instanceId);
        return instanceIds.map((id) => ({ key: `${name}/${provider.toLowerCase()}/${id}`, list: list(ctx, name, id, f) }));
      });
    }
  }
  return builders;
}
