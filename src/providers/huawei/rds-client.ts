/**
 * Typed client for the RDS v3 listing APIs (notes §B). Arguments are validated before any call;
 * failures come out as `BadInputError` (ours) or `UpstreamError` (theirs).
 */
import { z } from 'zod';
import { BadInputError } from '../../core/errors.js';
import type { CallScope } from '../../core/upstream.js';
import { validateDate, validateInt, validateOneOf, validateRdsBackupId, validateRdsInstanceId, validateText } from './ids.js';
import { HuaweiApi, type HuaweiClientOptions } from './request.js';
import {
  RDS_BACKUP_TYPES,
  RDS_DATASTORE_TYPES,
  RDS_INSTANCE_TYPES,
  rdsBackupListSchema,
  rdsInstanceListSchema,
  type RdsBackupList,
  type RdsBackupType,
  type RdsInstanceList,
} from './wire-rds.js';

export type { HuaweiClientOptions } from './request.js';
export type { RdsBackupList, RdsBackupType, RdsInstance, RdsInstanceList } from './wire-rds.js';

/** RDS `limit` bounds, both APIs: 1–100, upstream default 100 (notes B.1, B.2). */
export const RDS_MAX_LIMIT = 100;

/** Filled in for a missing `begin_time` when only `endTime` is given. */
export const RDS_OPEN_BEGIN = new Date(0);
/** How far past "now" a missing `end_time` is filled when only `beginTime` is given. */
export const RDS_OPEN_END_MARGIN_MS = 24 * 3_600_000;

export interface RdsListInstancesQuery {
  offset?: number;
  /** 1–100; upstream default 100. */
  limit?: number;
  /** An RDS instance ID (exact match). */
  id?: string;
  /** Exact match; a leading `*` makes it a fuzzy match on the rest (`*` alone is refused). */
  name?: string;
  /** `Single`, `Ha` or `Replica`. */
  type?: string;
  /** `MySQL`, `PostgreSQL`, `SQLServer` or `MariaDB` (case-sensitive upstream). */
  datastoreType?: string;
  /** `flexus`: list the FlexusRDS instances, which a list without it leaves out. */
  groupType?: 'flexus';
}

export interface RdsListBackupsQuery {
  instanceId: string;
  backupId?: string;
  backupType?: RdsBackupType;
  offset?: number;
  /** 1–100; upstream default 100. */
  limit?: number;
  /** Backups that began at or after this second. */
  beginTime?: Date;
  /** Backups that began at or before this second; must be after `beginTime`. */
  endTime?: Date;
}

export class RdsClient {
  private readonly api: HuaweiApi;

  constructor(options: HuaweiClientOptions) {
    this.api = new HuaweiApi(options, 'RDS', 'v3');
  }

  /** `GET /v3/{project_id}/instances`. `total_count` is the total number of matches. */
  async listInstances(query: RdsListInstancesQuery = {}, scope?: CallScope): Promise<RdsInstanceList> {
    const offset = query.offset === undefined ? undefined : validateInt(query.offset, 'offset', 0);
    const limit = query.limit === undefined ? undefined : validateInt(query.limit, 'limit', 1, RDS_MAX_LIMIT);
    const id = query.id === undefined ? undefined : validateRdsInstanceId(query.id, 'id');
    const name = query.name === undefined ? undefined : validateText(query.name, 'name', 64);
    if (name === '*') throw new BadInputError('name must not be only "*"', 'name');
    const type = query.type === undefined ? undefined : validateOneOf(query.type, 'type', RDS_INSTANCE_TYPES);
    const datastoreType = query.datastoreType === undefined ? undefined : validateOneOf(query.datastoreType, 'datastoreType', RDS_DATASTORE_TYPES);
    const groupType = query.groupType === undefined ? undefined : validateOneOf(query.groupType, 'groupType', ['flexus'] as const);
    return this.api.get({
      operation: 'GET /v3/{project_id}/instances',
      segments: ['instances'],
      query: [
        ['id', id],
        ['name', name],
        ['type', type],
        ['datastore_type', datastoreType],
        ['group_type', groupType],
        ['offset', offset],
        ['limit', limit],
      ],
      schema: rdsInstanceListSchema,
      scope,
    });
  }

  /**
   * `GET /v3/{project_id}/backups?instance_id=…`. `total_count` is the total number of matches.
   *
   * RDS takes `begin_time` and `end_time` only together (notes B.1). When the caller gives one
   * end, the client fills the other so the range stays open on that side:
   * - only `beginTime`: `end_time` = now + 1 day (and at least one second after `beginTime`);
   * - only `endTime`: `begin_time` = `1970-01-01T00:00:00+0000`.
   */
  async listBackups(query: RdsListBackupsQuery, scope?: CallScope): Promise<RdsBackupList> {
    if (typeof query !== 'object' || query === null) throw new BadInputError('a query with instanceId is required', 'instanceId');
    const instanceId = validateRdsInstanceId(query.instanceId, 'instanceId');
    const backupId = query.backupId === undefined ? undefined : validateRdsBackupId(query.backupId, 'backupId');
    const backupType = query.backupType === undefined ? undefined : validateOneOf(query.backupType, 'backupType', RDS_BACKUP_TYPES);
    const offset = query.offset === undefined ? undefined : validateInt(query.offset, 'offset', 0);
    const limit = query.limit === undefined ? undefined : validateInt(query.limit, 'limit', 1, RDS_MAX_LIMIT);
    const range = this.timeRange(query.beginTime, query.endTime);
    return this.api.get({
      operation: 'GET /v3/{project_id}/backups',
      segments: ['backups'],
      query: [
        ['instance_id', instanceId],
        ['backup_id', backupId],
        ['backup_type', backupType],
        ['begin_time', range && rdsQueryTime(range.begin)],
        ['end_time', range && rdsQueryTime(range.end)],
        ['offset', offset],
        ['limit', limit],
      ],
      schema: rdsBackupListSchema,
      scope,
    });
  }

  /** `GET /v3/{project_id}/instances/{instance_id}/restore-time`: the spans a point-in-time restore can reach (no `date`: all of them). */
  async listRestoreTimes(instanceId: string, scope?: CallScope): Promise<{ start_time: number; end_time: number }[]> {
    const id = validateRdsInstanceId(instanceId, 'instanceId');
    return this.api.get({
      operation: 'GET /v3/{project_id}/instances/{instance_id}/restore-time',
      segments: ['instances', id, 'restore-time'],
      schema: restoreTimesSchema,
      whenEmpty: () => [],
      scope,
    });
  }

  /** `POST /v3/{project_id}/backups`: a manual full backup of the instance now. */
  async createManualBackup(input: { instanceId: string; name: string; description?: string }, scope?: CallScope): Promise<{ backup: { id: string } }> {
    const instanceId = validateRdsInstanceId(input.instanceId, 'instanceId');
    if (!RDS_BACKUP_NAME.test(input.name)) throw new BadInputError('an RDS backup name is 4–64 characters: a letter, then letters, digits, - and _', 'name');
    const body: Record<string, string> = { instance_id: instanceId, name: input.name };
    if (input.description !== undefined) {
      if (/[>!<"&'=]/.test(input.description)) throw new BadInputError('an RDS backup description may not hold > ! < " & \' =', 'remark');
      body['description'] = validateText(input.description, 'description', 256);
    }
    return this.api.write({ operation: 'POST /v3/{project_id}/backups', method: 'POST', segments: ['backups'], body, schema: rdsCreatedSchema, scope });
  }

  /** `DELETE /v3/{project_id}/backups/{backup_id}`: deletes a manual backup (200, an empty body or `{}`). */
  async deleteManualBackup(backupId: string, scope?: CallScope): Promise<void> {
    const id = validateRdsBackupId(backupId, 'backupId');
    await this.api.write({
      operation: 'DELETE /v3/{project_id}/backups/{backup_id}',
      method: 'DELETE',
      segments: ['backups', id],
      schema: nothing,
      whenEmpty: () => undefined,
      scope,
    });
  }

  private timeRange(beginTime: Date | undefined, endTime: Date | undefined): { begin: Date; end: Date } | undefined {
    if (beginTime === undefined && endTime === undefined) return undefined;
    const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
    const begin = beginTime === undefined ? RDS_OPEN_BEGIN : validateDate(beginTime, 'beginTime');
    let end: Date;
    if (endTime === undefined) {
      end = new Date(Math.max(this.api.now().getTime() + RDS_OPEN_END_MARGIN_MS, (seconds(begin) + 1) * 1000));
    } else {
      end = validateDate(endTime, 'endTime');
    }
    // "end_time … must be later than begin_time" (notes B.1), at the format's one-second precision.
    if (seconds(end) <= seconds(begin)) throw new BadInputError('endTime must be later than beginTime', 'endTime');
    return { begin, end };
  }
}

/** `POST /v3/{project_id}/backups` answers the backup as it begins (docs/upstreams.md); only its ID is relied on. */
const rdsCreatedSchema = z.looseObject({ backup: z.looseObject({ id: z.string() }) });
const nothing = z.unknown();
/** `GET …/restore-time`: epoch-millisecond spans, UTC; `restore_time` omitted, `[]` or `null` when there is none. */
const restoreTimesSchema = z
  .looseObject({
    restore_time: z.array(z.looseObject({ start_time: z.number().int().nonnegative(), end_time: z.number().int().nonnegative() })).nullish(),
  })
  .transform((v) => v.restore_time ?? []);

/** RDS backup names: 4–64 characters, a letter first, then letters, digits, `-` and `_`. */
export const RDS_BACKUP_NAME = /^[A-Za-z][A-Za-z0-9_-]{3,63}$/;

/** RDS query time: `yyyy-mm-ddThh:mm:ss+0000` (UTC); the `+` is sent as `%2B` by `buildQuery`. */
export function rdsQueryTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}+0000`;
}
