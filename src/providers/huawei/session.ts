/**
 * One Huawei Cloud source (a project in a region: DCS and RDS) at run time, and its view for one
 * operation: the operation's loaders, so an upstream read asked for twice is sent once, look-ups
 * by ID are batched onto list calls, and every call is charged to the operation.
 *
 * DCS and RDS document no order and no status filter for backups: a target's backups are read
 * whole over a time range (their own time filter: DCS on `created_at`, RDS on `begin_time`, both
 * to the second) and sorted and filtered by the fleet core.
 */
import type DataLoader from 'dataloader';
import { factsFromWindows } from '../../core/coverage-facts.js';
import { UpstreamError } from '../../core/errors.js';
import type { NodeRef } from '../../core/ids.js';
import type { BackupCommon, BackupStatus, NodeLike, TimeRangeModel } from '../../core/models.js';
import {
  wants,
  type BackupReader,
  type CoverageFacts,
  type KindFilter,
  type ActionAbilities,
  type ActionOutcome,
  type OperationScope,
  type SourceActions,
  type SourceEnv,
  type SourceRuntime,
  type SourceSession,
  type Target,
  type TargetGroup,
} from '../../core/provider.js';
import { ceilSeconds, floorSeconds, keepMatching, OPEN_RANGE, type MsRange } from '../../core/time-range.js';
import { operationScope, probeScope, upstreamFor, type CallScope, type Upstream } from '../../core/upstream.js';
import { batched, memo, toError } from '../../lib/memo.js';
import type { Segment } from '../../pagination/connection.js';
import { arrayList, offsetLimitList, readAll, type OffsetList } from '../../pagination/lists.js';
import { AkSkAuth, TokenAuth, type HuaweiAuth } from './auth.js';
import { dcsEndpoint, rdsEndpoint, type HuaweiSourceConfig } from './config.js';
import { DCS_MAX_LIMIT, DcsClient, type DcsBackupList, type DcsInstance } from './dcs-client.js';
import { dcsInstanceId, rdsInstanceId } from './ids.js';
import { mapOnce } from '../../lib/decoded.js';
import { toDcsBackup, toDcsInstance, toHuaweiProject, toRdsBackup, toRdsInstance } from './mapping.js';
import type { DcsBackupModel, DcsInstanceModel, HuaweiProjectModel, RdsBackupModel, RdsInstanceModel } from './models.js';
import { RDS_MAX_LIMIT, RdsClient, type RdsBackupList, type RdsBackupType, type RdsInstance } from './rds-client.js';

/**
 * DCS filters backups on `created_at`, but a backup's start is its `execution_at`, which can come
 * later (a queued backup). A range read from DCS starts this much earlier, then is cut here.
 */
export const DCS_EXECUTION_MARGIN_MS = 6 * 3_600_000;
/** Up to this many backups of one RDS instance are looked up by ID one call each; more read the list. */
const RDS_LOOKUPS_PER_INSTANCE = 3;

export class HuaweiSource implements SourceRuntime {
  readonly name: string;
  readonly kinds = ['DCS', 'RDS'] as const;
  readonly dcs: DcsClient;
  readonly rds: RdsClient;
  readonly project: HuaweiProjectModel;
  private readonly upstream: Upstream;

  constructor(
    readonly config: HuaweiSourceConfig,
    env: SourceEnv,
  ) {
    this.name = config.name;
    const credentials = config.credentials;
    const auth: HuaweiAuth =
      'token' in credentials
        ? new TokenAuth({ token: credentials.token })
        : new AkSkAuth({
            accessKey: credentials.accessKey,
            secretKey: credentials.secretKey,
            projectId: config.projectId,
            clock: env.clock,
            ...(credentials.securityToken ? { securityToken: credentials.securityToken } : {}),
          });
    const identity = 'token' in credentials ? `token\u0000${credentials.token}` : `aksk\u0000${credentials.accessKey}\u0000${credentials.secretKey}`;
    this.upstream = upstreamFor(config, env, `${config.projectId}\u0000${identity}`);
    const common = { source: config.name, projectId: config.projectId, auth, transport: this.upstream, clock: env.clock };
    this.dcs = new DcsClient({ ...common, endpoint: dcsEndpoint(config) });
    this.rds = new RdsClient({ ...common, endpoint: rdsEndpoint(config) });
    this.project = toHuaweiProject(config);
  }

  session(op: OperationScope): HuaweiSession {
    return new HuaweiSession(this, op);
  }

  circuit(): 'closed' | 'half-open' | 'open' {
    return this.upstream.circuit;
  }

  /** One instance of each service, read upstream: both endpoints answer and accept the credentials. */
  async probe(op: OperationScope): Promise<void> {
    const scope = probeScope(op);
    await Promise.all([this.dcs.listInstances({ limit: 1 }, scope), this.rds.listInstances({ limit: 1 }, scope)]);
  }

  close(): Promise<void> {
    return this.upstream.close();
  }
}

interface BackupsKey {
  instanceId: string;
  offset: number;
  limit: number;
  /** Query bounds, whole seconds (epoch ms), or null. */
  begin: number | null;
  end: number | null;
}

interface RdsBackupsKey extends BackupsKey {
  type: RdsBackupType | null;
  backupId: string | null;
}

const PRIMED_INDEXES = new WeakMap<readonly NodeLike[], Map<string, NodeLike>>();

export class HuaweiSession implements SourceSession {
  readonly source: string;
  private readonly scope: CallScope;
  private readonly dcsInstanceList: DataLoader<string, DcsInstance[], string>;
  private readonly rdsInstanceList: DataLoader<string, { instance: RdsInstance; flexus: boolean }[], string>;
  private readonly dcsBackupPage: DataLoader<BackupsKey, DcsBackupList, string>;
  private readonly rdsBackupPage: DataLoader<RdsBackupsKey, RdsBackupList, string>;
  private readonly nodes: DataLoader<NodeRef, NodeLike | null, string>;
  private readonly restoreTimes: DataLoader<string, { start_time: number; end_time: number }[], string>;

  constructor(
    private readonly src: HuaweiSource,
    private readonly op: OperationScope,
  ) {
    this.source = src.name;
    const scope = operationScope(op);
    this.scope = scope;
    const { dcs, rds } = src;
    // One list call per service per operation, whatever asks (lists, look-ups, a backup's instance).
    this.dcsInstanceList = memo(() =>
      readAll(
        offsetLimitList(DCS_MAX_LIMIT, (offset, limit) =>
          dcs.listInstances({ offset, limit }, scope).then((r) => ({ items: r.instances, total: r.instance_num })),
        ),
        DCS_MAX_LIMIT,
      ),
    );
    // RDS leaves FlexusRDS instances out of a plain list: they come from a second list, read alongside.
    const rdsGroup = (groupType: 'flexus' | undefined) =>
      readAll(
        offsetLimitList(RDS_MAX_LIMIT, (offset, limit) =>
          rds.listInstances({ offset, limit, ...(groupType ? { groupType } : {}) }, scope).then((r) => ({ items: r.instances, total: r.total_count })),
        ),
        RDS_MAX_LIMIT,
      );
    this.rdsInstanceList = memo(async () => {
      const [plain, flexus] = await Promise.all([rdsGroup(undefined), rdsGroup('flexus')]);
      const seen = new Set(plain.map((i) => i.id));
      return [
        ...plain.map((instance) => ({ instance, flexus: false })),
        ...flexus.filter((i) => !seen.has(i.id)).map((instance) => ({ instance, flexus: true })),
      ];
    });
    this.dcsBackupPage = memo((key) =>
      dcs.listBackups(
        key.instanceId,
        {
          offset: key.offset,
          limit: key.limit,
          ...(key.begin === null ? {} : { beginTime: new Date(key.begin) }),
          ...(key.end === null ? {} : { endTime: new Date(key.end) }),
        },
        scope,
      ),
    );
    this.rdsBackupPage = memo((key) =>
      rds.listBackups(
        {
          instanceId: key.instanceId,
          offset: key.offset,
          limit: key.limit,
          ...(key.begin === null ? {} : { beginTime: new Date(key.begin) }),
          ...(key.end === null ? {} : { endTime: new Date(key.end) }),
          ...(key.type ? { backupType: key.type } : {}),
          ...(key.backupId ? { backupId: key.backupId } : {}),
        },
        scope,
      ),
    );
    this.nodes = batched(
      (refs) => this.lookUp(refs),
      (size) => op.batch?.('huaweicloud.nodes', size),
    );
    this.restoreTimes = memo((instanceId) => rds.listRestoreTimes(instanceId, scope));
  }

  warm(wanted: ReadonlySet<string>): void {
    const start = (read: () => Promise<unknown>) => void read().catch(() => undefined);
    if (wanted.has('HuaweiProject.instances') || wanted.has('DcsBackup.instance')) start(() => this.dcsInstanceList.load(''));
    if (wanted.has('HuaweiProject.instances') || wanted.has('RdsBackup.instance')) start(() => this.rdsInstanceList.load(''));
  }

  // ---- what the resolvers of the Huawei types read -------------------------------------------------

  project(): HuaweiProjectModel {
    return this.src.project;
  }

  async dcsInstances(): Promise<DcsInstanceModel[]> {
    return (await this.dcsInstanceList.load('')).map((i) => mapOnce(i, toDcsInstance, () => toDcsInstance(this.source, i)));
  }

  async rdsInstances(): Promise<RdsInstanceModel[]> {
    return (await this.rdsInstanceList.load('')).map((i) => mapOnce(i.instance, toRdsInstance, () => toRdsInstance(this.source, i.instance, i.flexus)));
  }

  async dcsInstance(instanceId: string): Promise<DcsInstanceModel | null> {
    const primed = this.primedModel('DcsInstance', instanceId) as DcsInstanceModel | undefined;
    return primed ?? (await this.dcsInstances()).find((i) => i.instanceId === instanceId) ?? null;
  }

  async rdsInstance(instanceId: string): Promise<RdsInstanceModel | null> {
    const primed = this.primedModel('RdsInstance', instanceId) as RdsInstanceModel | undefined;
    return primed ?? (await this.rdsInstances()).find((i) => i.instanceId === instanceId) ?? null;
  }

  private primedModels: readonly NodeLike[] = [];
  private primedIndex: Map<string, NodeLike> | null = null;

  prime(models: readonly NodeLike[]): void {
    this.primedModels = models;
    this.primedIndex = null;
  }

  /** A primed instance by kind and instance ID (indexed at the first look-up). */
  private primedModel(kind: 'DcsInstance' | 'RdsInstance', instanceId: string): NodeLike | undefined {
    if (this.primedModels.length === 0) return undefined;
    // Indexed once per list (the snapshot hands every operation of a view the same array).
    this.primedIndex ??=
      PRIMED_INDEXES.get(this.primedModels) ??
      PRIMED_INDEXES.set(
        this.primedModels,
        new Map(
          this.primedModels
            .filter((m): m is DcsInstanceModel | RdsInstanceModel => m.kind === 'DcsInstance' || m.kind === 'RdsInstance')
            .map((m) => [`${m.kind}:${m.instanceId}`, m]),
        ),
      ).get(this.primedModels)!;
    return this.primedIndex.get(`${kind}:${instanceId}`);
  }

  /** A DCS instance's backups in the upstream's order, time-filtered by DCS (`created_at`, offset/limit up to 1000). */
  dcsBackups(instanceId: string, range: MsRange): OffsetList<DcsBackupModel> {
    const begin = range.from === null ? null : floorSeconds(range.from);
    const end = range.to === null ? null : ceilSeconds(range.to);
    return offsetLimitList(DCS_MAX_LIMIT, async (offset, limit) => {
      const res = await this.dcsBackupPage.load({ instanceId, offset, limit, begin, end });
      return { items: res.backup_record_response.map((b) => mapOnce(b, toDcsBackup, () => toDcsBackup(this.source, b))), total: res.total_num };
    });
  }

  /** An RDS instance's backups in the upstream's order, filtered by RDS (`begin_time`, type; offset/limit up to 100). */
  rdsBackups(instanceId: string, filter: { range: MsRange; type: RdsBackupType | null }): OffsetList<RdsBackupModel> {
    const begin = filter.range.from === null ? null : floorSeconds(filter.range.from);
    const end = filter.range.to === null ? null : ceilSeconds(filter.range.to);
    return offsetLimitList(RDS_MAX_LIMIT, async (offset, limit) => {
      const res = await this.rdsBackupPage.load({ instanceId, offset, limit, begin, end, type: filter.type, backupId: null });
      return { items: res.backups.map((b) => mapOnce(b, toRdsBackup, () => toRdsBackup(this.source, b))), total: res.total_count };
    });
  }

  /** Every backup of a DCS instance whose start lies in the range (read from `DCS_EXECUTION_MARGIN_MS` earlier). */
  private async dcsBackupsIn(instanceId: string, range: MsRange): Promise<DcsBackupModel[]> {
    const read = { from: range.from === null ? null : range.from - DCS_EXECUTION_MARGIN_MS, to: range.to };
    return keepMatching(await readAll(this.dcsBackups(instanceId, read)), range);
  }

  /**
   * Every backup of an RDS instance whose start lies in the range. RDS takes both ends or none;
   * an open end is sent as the next hour plus a day, so the request (and its cache entry) stays
   * the same for an hour.
   */
  private async rdsBackupsIn(instanceId: string, range: MsRange): Promise<RdsBackupModel[]> {
    const openEnd = Math.ceil(this.op.now / 3_600_000) * 3_600_000 + 24 * 3_600_000;
    const read = range.from === null && range.to === null ? range : { from: range.from, to: range.to ?? openEnd };
    return keepMatching(await readAll(this.rdsBackups(instanceId, { range: read, type: null })), range);
  }

  // ---- SourceSession ---------------------------------------------------------------------------------

  instanceSegments(kinds: KindFilter): Segment<DcsInstanceModel | RdsInstanceModel>[] {
    return [
      ...(wants(kinds, 'DCS') ? [{ key: `${this.source}/dcs`, list: arrayList(() => this.dcsInstances()) }] : []),
      ...(wants(kinds, 'RDS') ? [{ key: `${this.source}/rds`, list: arrayList(() => this.rdsInstances()) }] : []),
    ];
  }

  tenantSegments(kinds: KindFilter) {
    return wants(kinds, 'DCS') || wants(kinds, 'RDS') ? [{ key: this.source, list: arrayList(async () => [this.project()]) }] : [];
  }

  /** DCS and RDS separately: one service failing to list its instances does not hide the other. */
  targets(kinds: KindFilter, picked?: readonly NodeRef[]): TargetGroup[] {
    const groups: TargetGroup[] = [];
    for (const [kind, type, list] of [
      ['DCS', 'DcsInstance', () => this.dcsInstances()],
      ['RDS', 'RdsInstance', () => this.rdsInstances()],
    ] as const) {
      if (!wants(kinds, kind)) continue;
      if (!picked) {
        groups.push({
          kind,
          load: async () => (await list()).map((i): Target => ({ kind, source: this.source, id: i.id, keys: { instanceId: i.instanceId }, model: i })),
        });
        continue;
      }
      // Instances an `instanceIds` filter names are read directly: their IDs hold what the backups call needs.
      const ids = picked.filter((ref) => ref.type === type).map((ref) => String(ref.keys['instanceId']));
      const idOf = kind === 'DCS' ? dcsInstanceId : rdsInstanceId;
      if (ids.length > 0)
        groups.push({
          kind,
          load: async () =>
            ids.map((instanceId): Target => ({ kind, source: this.source, id: idOf(this.source, instanceId), keys: { instanceId }, model: null })),
        });
    }
    return groups;
  }

  async backups(target: Target, statuses: readonly BackupStatus[] | null): Promise<BackupReader> {
    const read = this.readerOf(target);
    return { sorted: false, readAll: async (range) => keepMatching(await read(range), range, statuses) };
  }

  /**
   * DCS: the facts from its backup windows. RDS: the same, and where its reported restorable window
   * ends (one more call, beside the backups' reads).
   */
  async coverage(target: Target, since: number, known?: CoverageFacts | null): Promise<CoverageFacts> {
    const read = this.readerOf(target);
    if (target.kind !== 'RDS') return factsFromWindows((from, to) => read({ from, to }), since, known);
    const windows = this.rdsRestorableWindow(String(target.keys['instanceId']));
    windows.catch(() => undefined);
    const facts = await factsFromWindows((from, to) => read({ from, to }), since, known);
    const spans = await windows;
    const until = spans.reduce<Date | null>((end, w) => (end === null || w.until > end ? w.until : end), null);
    return { ...facts, restorableUntil: until };
  }

  /** `RdsInstance.restorableWindow`: exact, as RDS reports it, oldest first. */
  async rdsRestorableWindow(instanceId: string): Promise<TimeRangeModel[]> {
    const spans = await this.restoreTimes.load(instanceId);
    return spans
      .map((s) => ({ from: new Date(s.start_time), until: new Date(s.end_time), derived: false }))
      .sort((a, b) => a.from.getTime() - b.from.getTime());
  }

  /** `DcsInstance.restorableWindow`, derived: each restorable backup is one instant (its end), oldest first. */
  async dcsRestorableWindow(instanceId: string): Promise<TimeRangeModel[]> {
    const backups = await this.dcsBackupsIn(instanceId, OPEN_RANGE);
    return backups
      .filter((b) => b.isSupportRestore === true)
      .map((b) => b.finishedAt ?? b.startedAt)
      .filter((t): t is Date => t !== null)
      .sort((a, b) => a.getTime() - b.getTime())
      .map((t) => ({ from: t, until: t, derived: true }));
  }

  /** A target's backups in a range, from the service the target belongs to. */
  private readerOf(target: Target): (range: MsRange) => Promise<BackupCommon[]> {
    const instanceId = String(target.keys['instanceId']);
    return target.kind === 'DCS' ? (range) => this.dcsBackupsIn(instanceId, range) : (range) => this.rdsBackupsIn(instanceId, range);
  }

  node(ref: NodeRef): Promise<NodeLike | null> {
    return this.nodes.load(ref);
  }

  /**
   * Manual backups of a DCS or RDS instance, and deleting them. After a start, the new backup is
   * read back past the cache (DCS answers only its ID; RDS its first fields): two calls a start.
   */
  readonly actions: SourceActions = {
    abilities: (ref: NodeRef): ActionAbilities => {
      if (ref.type === 'DcsInstance' || ref.type === 'RdsInstance') return { start: ['FULL'], cancel: false, delete: false };
      if (ref.type === 'DcsBackup' || ref.type === 'RdsBackup') return { start: [], cancel: false, delete: true };
      return { start: [], cancel: false, delete: false };
    },
    start: async (ref: NodeRef, input: { remark: string | null }): Promise<ActionOutcome> => {
      const instanceId = String(ref.keys['instanceId']);
      const fresh = { ...this.scope, fresh: true };
      const now = this.op.clock.now();
      if (ref.type === 'DcsInstance') {
        const { backup_id } = await this.src.dcs.createBackup(instanceId, input.remark === null ? {} : { remark: input.remark }, this.scope);
        // DCS documents no order: the record is found by its ID among those created around now.
        const list = await this.src.dcs.listBackups(
          instanceId,
          { beginTime: new Date(now - 600_000), endTime: new Date(now + 600_000), limit: DCS_MAX_LIMIT },
          fresh,
        );
        const row = list.backup_record_response.find((b) => b.backup_id === backup_id);
        return { targetId: dcsInstanceId(this.source, instanceId), backups: row ? [toDcsBackup(this.source, row)] : [] };
      }
      const name = `backupql-${new Date(now).toISOString().slice(0, 19).replace(/[-T:]/g, '')}`;
      const created = await this.src.rds.createManualBackup({ instanceId, name, ...(input.remark === null ? {} : { description: input.remark }) }, this.scope);
      const list = await this.src.rds.listBackups({ instanceId, backupId: created.backup.id }, fresh);
      return { targetId: rdsInstanceId(this.source, instanceId), backups: list.backups.map((b) => toRdsBackup(this.source, b)) };
    },
    cancel: () => Promise.reject(new Error('DCS and RDS backups cannot be cancelled')),
    delete: async (ref: NodeRef): Promise<{ targetId: string }> => {
      const instanceId = String(ref.keys['instanceId']);
      const backupId = String(ref.keys['backupId']);
      if (ref.type === 'DcsBackup') {
        await this.src.dcs.deleteBackup(instanceId, backupId, this.scope);
        return { targetId: dcsInstanceId(this.source, instanceId) };
      }
      await this.src.rds.deleteManualBackup(backupId, this.scope);
      return { targetId: rdsInstanceId(this.source, instanceId) };
    },
  };

  /**
   * The look-ups of one operation, grouped by target: instances from one list call per service,
   * a DCS instance's backups from one read of its list, an RDS instance's from one call per backup
   * (up to three) or one read of its list.
   */
  private async lookUp(refs: readonly NodeRef[]): Promise<(NodeLike | null | Error)[]> {
    const dcsLists = new Map<string, Promise<Map<string, DcsBackupModel>>>();
    const rdsLists = new Map<string, Promise<Map<string, RdsBackupModel>>>();
    const rdsWanted = new Map<string, number>();
    for (const ref of refs)
      if (ref.type === 'RdsBackup') rdsWanted.set(String(ref.keys['instanceId']), (rdsWanted.get(String(ref.keys['instanceId'])) ?? 0) + 1);
    const dcsBackup = (instanceId: string, backupId: string) => {
      let list = dcsLists.get(instanceId);
      if (!list) {
        list = goneIsEmpty(this.dcsBackupsIn(instanceId, OPEN_RANGE)).then((all) => new Map(all.map((b) => [b.backupId, b])));
        dcsLists.set(instanceId, list);
      }
      return list.then((m) => m.get(backupId) ?? null);
    };
    const rdsBackup = async (instanceId: string, backupId: string) => {
      if ((rdsWanted.get(instanceId) ?? 0) <= RDS_LOOKUPS_PER_INSTANCE) {
        const res = await goneIsEmpty(
          this.rdsBackupPage.load({ instanceId, offset: 0, limit: 1, begin: null, end: null, type: null, backupId }).then((r) => r.backups),
        );
        const found = res.find((b) => b.id === backupId);
        return found ? toRdsBackup(this.source, found) : null;
      }
      let list = rdsLists.get(instanceId);
      if (!list) {
        list = goneIsEmpty(this.rdsBackupsIn(instanceId, OPEN_RANGE)).then((all) => new Map(all.map((b) => [b.backupId, b])));
        rdsLists.set(instanceId, list);
      }
      return (await list).get(backupId) ?? null;
    };
    return Promise.all(
      refs.map(async (ref): Promise<NodeLike | null | Error> => {
        const key = (name: string) => String(ref.keys[name]);
        try {
          switch (ref.type) {
            case 'HuaweiProject':
              return this.project();
            case 'DcsInstance':
              return await this.dcsInstance(key('instanceId'));
            case 'RdsInstance':
              return await this.rdsInstance(key('instanceId'));
            case 'DcsBackup':
              return await dcsBackup(key('instanceId'), key('backupId'));
            case 'RdsBackup':
              return await rdsBackup(key('instanceId'), key('backupId'));
            default:
              return null;
          }
        } catch (error) {
          return toError(error);
        }
      }),
    );
  }
}

/** For look-ups by ID: an instance that is gone has no backups, so its NOT_FOUND answer reads as an empty list. */
async function goneIsEmpty<T>(read: Promise<T[]>): Promise<T[]> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof UpstreamError && error.code === 'NOT_FOUND') return [];
    throw error;
  }
}
