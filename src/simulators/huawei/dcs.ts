/**
 * Simulated DCS v2 listing APIs (notes §A) and backup actions (docs/upstreams.md §2), behind the
 * gateway. Error bodies in DCS's own shape:
 * `{"error_code": "DCS.xxxx", "error_msg": "...", "error_ext_msg": null}`.
 */
import { randomUUID } from 'node:crypto';
import type { RouteDef, SimRequest, SimResponse } from '../harness.js';
import type { DcsBackupRow, DcsInstanceSim, HuaweiAccountSim, HuaweiProjectSim } from '../fleet.js';
import { fraction, type BackupProgress } from '../progress.js';
import { compactLocal, dcsTime } from '../timefmt.js';
import type { Caller, Gateway } from './gateway.js';
import { enumParam, inRange, json, objectBody, page, pageParams, PROJECT_ID, projectFor, utcFromFields } from './params.js';

const INSTANCE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** `limit`: 1–1000, default 10, both APIs (notes A.1, A.2). */
const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 10;
/** HW-DOC's list and the Go SDK's additions. */
const INSTANCE_STATUSES = [
  'CREATING',
  'CREATEFAILED',
  'RUNNING',
  'ERROR',
  'RESTARTING',
  'FROZEN',
  'EXTENDING',
  'RESTORING',
  'FLUSHING',
  'PAYING',
  'FREEZING',
  'MIGRATING',
  'UPGRADING',
];

export function dcsRoutes(account: HuaweiAccountSim, gateway: Gateway, progress: BackupProgress): RouteDef[] {
  return [
    {
      name: 'dcs.listInstances',
      method: 'GET',
      pattern: '/v2/:project_id/instances',
      handle: gateway.route((req, caller) => listInstances(account, req, caller)),
    },
    {
      name: 'dcs.listBackups',
      method: 'GET',
      pattern: '/v2/:project_id/instances/:instance_id/backups',
      handle: gateway.route((req, caller) => listBackups(account, req, caller)),
    },
    {
      name: 'dcs.createBackup',
      method: 'POST',
      pattern: '/v2/:project_id/instances/:instance_id/backups',
      handle: gateway.route((req, caller) => createBackup(account, req, caller, progress)),
    },
    {
      name: 'dcs.deleteBackup',
      method: 'DELETE',
      pattern: '/v2/:project_id/instances/:instance_id/backups/:backup_id',
      handle: gateway.route((req, caller) => deleteBackup(account, req, caller)),
    },
  ];
}

function dcsError(status: number, code: string, message: string): SimResponse {
  return json(status, { error_code: code, error_msg: message, error_ext_msg: null });
}

const invalidParam = (name: string) => dcsError(400, 'DCS.4800', `Invalid ${name} in the request.`);

/** Project checks both APIs share: 400 `DCS.4002` for a malformed ID, 401 `DCS.1004` otherwise. */
function project(account: HuaweiAccountSim, req: SimRequest, caller: Caller): HuaweiProjectSim | SimResponse {
  const projectId = req.params['project_id']!;
  if (!PROJECT_ID.test(projectId)) return dcsError(400, 'DCS.4002', 'Invalid project ID format.');
  return projectFor(account, projectId, caller) ?? dcsError(401, 'DCS.1004', 'The project ID does not match the token.');
}

/**
 * `GET /v2/{project_id}/instances`: filters `instance_id` (exact), `name` (substring; exact with
 * `name_equal=true`), `status`; instances in `CREATEFAILED` only with `include_failure=true`.
 * `instance_num` is the number of matches; instances in fleet order.
 */
function listInstances(account: HuaweiAccountSim, req: SimRequest, caller: Caller): SimResponse {
  const paging = pageParams(req, MAX_LIMIT, DEFAULT_LIMIT);
  if (!paging.ok) return invalidParam(paging.param);
  const status = enumParam(req, 'status', INSTANCE_STATUSES);
  if (!status.ok) return invalidParam(status.param);
  const proj = project(account, req, caller);
  if ('status' in proj) return proj;

  const instanceId = req.query.get('instance_id');
  const name = req.query.get('name');
  const nameEqual = req.query.get('name_equal') === 'true';
  const includeFailure = req.query.get('include_failure') === 'true';
  const matches = proj.dcs
    .map((i) => i.row)
    .filter(
      (row) =>
        (instanceId === null || row.instance_id === instanceId) &&
        (name === null || (nameEqual ? row.name === name : row.name.includes(name))) &&
        (status.value === undefined || row.status === status.value) &&
        (includeFailure || row.status !== 'CREATEFAILED'),
    );
  return json(200, { instance_num: matches.length, instances: page(matches, paging.value.offset, paging.value.limit) });
}

/**
 * `GET /v2/{project_id}/instances/{instance_id}/backups` (notes A.1). Checks in order: instance ID
 * format (400 `DCS.4061`), `offset`/`limit` and times (400 `DCS.4800`, `DCS.4025`), project, then
 * the instance (404 `DCS.3022`). Times filter `created_at` inclusively at one-second precision.
 *
 * Choice where the docs are silent (notes, Uncertainties 1–2): newest first; **204 with no body
 * when nothing matches** (an instance without backups, or a time range with none); an `offset`
 * past the end of a non-empty match set answers 200 with an empty page and the real `total_num`.
 */
function listBackups(account: HuaweiAccountSim, req: SimRequest, caller: Caller): SimResponse {
  const instanceId = req.params['instance_id']!;
  if (!INSTANCE_ID.test(instanceId)) return dcsError(400, 'DCS.4061', 'Invalid instance ID format.');
  const paging = pageParams(req, MAX_LIMIT, DEFAULT_LIMIT);
  if (!paging.ok) return invalidParam(paging.param);
  const begin = dcsTimeParam(req, 'begin_time');
  if (begin === null) return invalidParam('begin_time');
  const end = dcsTimeParam(req, 'end_time');
  if (end === null) return invalidParam('end_time');
  if (begin !== undefined && end !== undefined && end < begin) return dcsError(400, 'DCS.4025', 'The end time must be after the start time.');
  const proj = project(account, req, caller);
  if ('status' in proj) return proj;
  const instance = proj.dcs.find((i) => i.row.instance_id === instanceId);
  if (!instance) return dcsError(404, 'DCS.3022', 'This DCS instance does not exist.');

  const range = begin === undefined && end === undefined ? undefined : { begin: begin ?? 0, end: end ?? Number.MAX_SAFE_INTEGER };
  const matches = instance.backups.filter((b) => inRange(b.createdMs, range)); // fleet keeps them newest first
  if (matches.length === 0) return { status: 204, headers: {} };
  return json(200, {
    total_num: matches.length,
    backup_record_response: page(matches, paging.value.offset, paging.value.limit).map((b) => b.row),
  });
}

/** `yyyyMMddHHmmss` in UTC → epoch ms; absent → undefined; malformed → null. */
function dcsTimeParam(req: SimRequest, name: string): number | undefined | null {
  const raw = req.query.get(name);
  if (raw === null) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(raw);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return utcFromFields(y, mo, d, h, mi, s) ?? null;
}

// ---- actions (docs/upstreams.md §2) ------------------------------------------------------------------

/**
 * The error texts of the state codes are not confirmed (docs/upstreams.md §2.1): these say what
 * tf-hw's comments say the codes mean.
 */
const notRunning = () => dcsError(400, 'DCS.4049', 'The instance status is not RUNNING.');
const backupInProgress = () => dcsError(400, 'DCS.4096', 'A backup of the instance is in progress.');
/** Single-node instances cannot be backed up (all DCS docs); the code for it is not confirmed: DCS.4026 ("current state not support"). */
const singleNode = () => dcsError(400, 'DCS.4026', 'The current instance state does not support this operation: single-node instances cannot be backed up.');

const RUNNING_BACKUP = new Set<DcsBackupRow['status']>(['waiting', 'backuping']);

/** A single-node instance, by its spec code (`redis.single.…`): the row has no cache-mode field. */
function isSingleNode(instance: DcsInstanceSim): boolean {
  return /(^|\.)single(\.|$)/.test(instance.row.spec_code);
}

/** The instance named in the path: format (400 `DCS.4061`), project, existence (404 `DCS.3022`). */
function instanceOf(account: HuaweiAccountSim, req: SimRequest, caller: Caller): DcsInstanceSim | SimResponse {
  const instanceId = req.params['instance_id']!;
  if (!INSTANCE_ID.test(instanceId)) return dcsError(400, 'DCS.4061', 'Invalid instance ID format.');
  const proj = project(account, req, caller);
  if ('status' in proj) return proj;
  return proj.dcs.find((i) => i.row.instance_id === instanceId) ?? dcsError(404, 'DCS.3022', 'This DCS instance does not exist.');
}

/**
 * `POST /v2/{project_id}/instances/{instance_id}/backups` (`CopyInstance`): 200 `{"backup_id"}`.
 * Checks after the instance: the body (400 `DCS.4800` for a body that is not a JSON object or a
 * field of the wrong kind, a choice), instance RUNNING (`DCS.4049`), not single-node (`DCS.4026`),
 * no backup waiting or backuping (`DCS.4096`). The state checks' order is not documented.
 *
 * The new record (manual) is `waiting` until 10% of the backup duration, then `backuping` with
 * `progress` rising from "10.00", then `succeed` (with a size, restorable) at the duration.
 */
function createBackup(account: HuaweiAccountSim, req: SimRequest, caller: Caller, progress: BackupProgress): SimResponse {
  const instance = instanceOf(account, req, caller);
  if ('status' in instance) return instance;
  const body = objectBody(req);
  if (!body) return invalidParam('request body');
  const remark = body['remark'] ?? null;
  if (remark !== null && typeof remark !== 'string') return invalidParam('remark');
  const format = body['backup_format'] ?? 'rdb'; // the docs' default (not confirmed)
  if (format !== 'rdb' && format !== 'aof') return invalidParam('backup_format');
  if (instance.row.status !== 'RUNNING') return notRunning();
  if (isSingleNode(instance)) return singleNode();
  if (instance.backups.some((b) => RUNNING_BACKUP.has(b.row.status))) return backupInProgress();

  const at = progress.clock.now();
  const row: DcsBackupRow = {
    backup_id: randomUUID(),
    period: null,
    backup_name: `backup_${compactLocal(at)}`,
    instance_id: instance.row.instance_id,
    size: 0,
    backup_type: 'manual',
    created_at: dcsTime(at),
    updated_at: dcsTime(at),
    progress: '0.00',
    error_code: null,
    remark,
    status: 'waiting',
    is_support_restore: 'FALSE',
    execution_at: null,
    backup_format: format,
  };
  instance.backups.unshift({ row, createdMs: at });
  instance.backups.sort((a, b) => b.createdMs - a.createdMs);

  const startAt = at + progress.queuedMs;
  const doneAt = at + progress.durationMs;
  const size = Math.floor(instance.row.max_memory * 1024 * 1024 * (0.2 + (at % 1000) / 5000));
  progress.add((now) => {
    // Deleted meanwhile (only possible once it succeeded, but cheap to check).
    if (!instance.backups.some((b) => b.row === row)) return true;
    if (now < startAt) return false;
    if (now < doneAt) {
      if (row.status === 'waiting') {
        row.status = 'backuping';
        row.execution_at = dcsTime(startAt);
      }
      row.progress = (10 + 90 * fraction(now, startAt, doneAt)).toFixed(2);
      row.updated_at = dcsTime(now);
      return false;
    }
    row.status = 'succeed';
    row.execution_at ??= dcsTime(startAt);
    row.progress = '100.00';
    row.size = size;
    row.is_support_restore = 'TRUE';
    row.updated_at = dcsTime(doneAt);
    return true;
  });
  return json(200, { backup_id: row.backup_id });
}

/**
 * `DELETE /v2/{project_id}/instances/{instance_id}/backups/{backup_id}` (`DeleteBackupFile`): 204,
 * no body. A backup that is not there: **400** `DCS.4031`, as DCS answers it (tf-hw turns that into
 * a 404 itself, docs/upstreams.md §2.2). One waiting or backuping: 400 `DCS.4096`. The record
 * leaves the list at once (the real deletion is asynchronous; a choice to keep it simple).
 */
function deleteBackup(account: HuaweiAccountSim, req: SimRequest, caller: Caller): SimResponse {
  const instance = instanceOf(account, req, caller);
  if ('status' in instance) return instance;
  const backupId = req.params['backup_id']!;
  const index = instance.backups.findIndex((b) => b.row.backup_id === backupId);
  if (index === -1) return dcsError(400, 'DCS.4031', 'The backup record does not exist.');
  if (RUNNING_BACKUP.has(instance.backups[index]!.row.status)) return backupInProgress();
  instance.backups.splice(index, 1);
  return { status: 204, headers: {} };
}
