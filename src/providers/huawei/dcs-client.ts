/**
 * Typed client for the DCS v2 listing APIs (notes §A). Arguments are validated before any call;
 * failures come out as `BadInputError` (ours) or `UpstreamError` (theirs).
 */
import { z } from 'zod';
import { BadInputError } from '../../core/errors.js';
import type { CallScope } from '../../core/upstream.js';
import { validateDate, validateDcsInstanceId, validateInt, validateOneOf, validateText } from './ids.js';
import { HuaweiApi, type HuaweiClientOptions } from './request.js';
import { DCS_INSTANCE_STATUSES, dcsBackupListSchema, dcsInstanceListSchema, type DcsBackupList, type DcsInstanceList } from './wire-dcs.js';

export type { HuaweiClientOptions } from './request.js';
export type { DcsBackupList, DcsInstance, DcsInstanceList } from './wire-dcs.js';

/** DCS `limit` bounds, both APIs: 1–1000 (2025 HW-DOC; GO comment for ListInstances). */
export const DCS_MAX_LIMIT = 1000;

export interface DcsListInstancesQuery {
  offset?: number;
  /** 1–1000; upstream default 10. */
  limit?: number;
  instanceId?: string;
  /** Fuzzy match upstream. */
  name?: string;
  /** One of `DCS_INSTANCE_STATUSES`. */
  status?: string;
}

export interface DcsListBackupsQuery {
  offset?: number;
  /** 1–1000; upstream default 10. */
  limit?: number;
  /** Records created at or after this second (UTC). */
  beginTime?: Date;
  /** Records created at or before this second (UTC). */
  endTime?: Date;
}

export class DcsClient {
  private readonly api: HuaweiApi;

  constructor(options: HuaweiClientOptions) {
    this.api = new HuaweiApi(options, 'DCS', 'v2');
  }

  /** `GET /v2/{project_id}/instances`. `instance_num` is the total number of matches. */
  async listInstances(query: DcsListInstancesQuery = {}, scope?: CallScope): Promise<DcsInstanceList> {
    const offset = query.offset === undefined ? undefined : validateInt(query.offset, 'offset', 0);
    const limit = query.limit === undefined ? undefined : validateInt(query.limit, 'limit', 1, DCS_MAX_LIMIT);
    const instanceId = query.instanceId === undefined ? undefined : validateDcsInstanceId(query.instanceId, 'instanceId');
    const name = query.name === undefined ? undefined : validateText(query.name, 'name', 64);
    const status = query.status === undefined ? undefined : validateOneOf(query.status, 'status', DCS_INSTANCE_STATUSES);
    return this.api.get({
      operation: 'GET /v2/{project_id}/instances',
      segments: ['instances'],
      query: [
        ['instance_id', instanceId],
        ['name', name],
        ['status', status],
        ['offset', offset],
        ['limit', limit],
      ],
      schema: dcsInstanceListSchema,
      scope,
    });
  }

  /**
   * `GET /v2/{project_id}/instances/{instance_id}/backups`. `total_num` is the total number of
   * matches. DCS answers 204 with no body when no record matches (notes A.1); that, and any empty
   * body, is returned as `{ total_num: 0, backup_record_response: [] }`. Order is not documented.
   */
  async listBackups(instanceId: string, query: DcsListBackupsQuery = {}, scope?: CallScope): Promise<DcsBackupList> {
    const id = validateDcsInstanceId(instanceId, 'instanceId');
    const offset = query.offset === undefined ? undefined : validateInt(query.offset, 'offset', 0);
    const limit = query.limit === undefined ? undefined : validateInt(query.limit, 'limit', 1, DCS_MAX_LIMIT);
    const begin = query.beginTime === undefined ? undefined : validateDate(query.beginTime, 'beginTime');
    const end = query.endTime === undefined ? undefined : validateDate(query.endTime, 'endTime');
    if (begin && end && Math.floor(end.getTime() / 1000) < Math.floor(begin.getTime() / 1000)) {
      throw new BadInputError('endTime must not be before beginTime', 'endTime');
    }
    return this.api.get({
      operation: 'GET /v2/{project_id}/instances/{instance_id}/backups',
      segments: ['instances', id, 'backups'],
      query: [
        ['begin_time', begin && dcsQueryTime(begin)],
        ['end_time', end && dcsQueryTime(end)],
        ['offset', offset],
        ['limit', limit],
      ],
      schema: dcsBackupListSchema,
      whenEmpty: () => ({ total_num: 0, backup_record_response: [] }),
      scope,
    });
  }

  /** `POST /v2/{project_id}/instances/{instance_id}/backups`: a manual backup now; 200 `{"backup_id"}` (docs/upstreams.md). */
  async createBackup(instanceId: string, input: DcsCreateBackup, scope?: CallScope): Promise<{ backup_id: string }> {
    const id = validateDcsInstanceId(instanceId, 'instanceId');
    const body: Record<string, string> = {};
    if (input.remark !== undefined) body['remark'] = validateText(input.remark, 'remark', 256);
    if (input.backupFormat !== undefined) body['backup_format'] = validateOneOf(input.backupFormat, 'backupFormat', ['rdb', 'aof'] as const);
    return this.api.write({
      operation: 'POST /v2/{project_id}/instances/{instance_id}/backups',
      method: 'POST',
      segments: ['instances', id, 'backups'],
      body,
      schema: dcsCreatedSchema,
      scope,
    });
  }

  /** `DELETE /v2/{project_id}/instances/{instance_id}/backups/{backup_id}`: 204, no body. */
  async deleteBackup(instanceId: string, backupId: string, scope?: CallScope): Promise<void> {
    const id = validateDcsInstanceId(instanceId, 'instanceId');
    const backup = validateDcsInstanceId(backupId, 'backupId');
    await this.api.write({
      operation: 'DELETE /v2/{project_id}/instances/{instance_id}/backups/{backup_id}',
      method: 'DELETE',
      segments: ['instances', id, 'backups', backup],
      schema: nothing,
      whenEmpty: () => undefined,
      scope,
    });
  }
}

/** `POST …/backups` answers the new record's ID. */
const dcsCreatedSchema = z.looseObject({ backup_id: z.string() });
const nothing = z.unknown();

export interface DcsCreateBackup {
  remark?: string;
  /** `rdb` (the default) or `aof` (Redis 4.0 and later). */
  backupFormat?: 'rdb' | 'aof';
}

/** DCS query time: `yyyyMMddHHmmss` in UTC (notes A.1), e.g. `20170718235959`. */
export function dcsQueryTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/[-T:]/g, '');
}
