/**
 * Simulated RDS v3 listing APIs (notes §B) and manual backup actions (docs/upstreams.md §3), behind the gateway. Error bodies in RDS's own shape:
 * `{"error_code": "DBS.xxxxxx", "error_msg": "..."}` (no `error_ext_msg`).
 *
 * The per-parameter error codes are not documented (notes, Uncertainties 5); every invalid or
 * missing parameter answers 400 `DBS.200001` "Parameter error.".
 */
import { randomBytes } from 'node:crypto';
import type { RouteDef, SimRequest, SimResponse } from '../harness.js';
import type { HuaweiAccountSim, HuaweiProjectSim, RdsBackupRow, RdsInstanceRow, RdsInstanceSim } from '../fleet.js';
import type { BackupProgress } from '../progress.js';
import { clipWindowsToDay, rdsRestoreWindowsAt, utcDayRange } from '../recoverability.js';
import { rdsTime } from '../timefmt.js';
import type { Caller, Gateway } from './gateway.js';
import { enumParam, inRange, json, objectBody, page, pageParams, PROJECT_ID, projectFor, utcFromFields } from './params.js';

const INSTANCE_ID = /^[0-9a-f]{32}in\d{2}$/;
const BACKUP_ID = /^[0-9a-f]{32}br\d{2}$/;
/** `limit`: 1–100, default 100, both APIs (notes B.1, B.2). */
const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 100;
const INSTANCE_TYPES = ['Single', 'Ha', 'Replica'];
const DATASTORE_TYPES = ['MySQL', 'PostgreSQL', 'SQLServer', 'MariaDB'];
const BACKUP_TYPES = ['auto', 'manual', 'fragment', 'incremental'];
/** GO-only `status` filter (notes B.1). */
const BACKUP_STATUS_FILTER = ['BUILDING', 'COMPLETED', 'FAILED'];

export function rdsRoutes(account: HuaweiAccountSim, gateway: Gateway, progress: BackupProgress): RouteDef[] {
  return [
    {
      name: 'rds.listInstances',
      method: 'GET',
      pattern: '/v3/:project_id/instances',
      handle: gateway.route((req, caller) => listInstances(account, req, caller)),
    },
    {
      name: 'rds.listBackups',
      method: 'GET',
      pattern: '/v3/:project_id/backups',
      handle: gateway.route((req, caller) => listBackups(account, req, caller)),
    },
    {
      name: 'rds.listRestoreTimes',
      method: 'GET',
      pattern: '/v3/:project_id/instances/:instance_id/restore-time',
      handle: gateway.route((req, caller) => listRestoreTimes(account, req, caller, progress.clock.now())),
    },
    {
      name: 'rds.createBackup',
      method: 'POST',
      pattern: '/v3/:project_id/backups',
      handle: gateway.route((req, caller) => createBackup(account, req, caller, progress)),
    },
    {
      name: 'rds.deleteBackup',
      method: 'DELETE',
      pattern: '/v3/:project_id/backups/:backup_id',
      handle: gateway.route((req, caller) => deleteBackup(account, req, caller, progress)),
    },
  ];
}

function rdsError(status: number, code: string, message: string): SimResponse {
  return json(status, { error_code: code, error_msg: message });
}

const parameterError = () => rdsError(400, 'DBS.200001', 'Parameter error.');

/**
 * A project the caller may not use (malformed, not the account's, or not its `X-Project-Id`):
 * 403 `DBS.200010`, RDS's "not authorized" answer.
 */
function project(account: HuaweiAccountSim, req: SimRequest, caller: Caller): HuaweiProjectSim | SimResponse {
  const projectId = req.params['project_id']!;
  const found = PROJECT_ID.test(projectId) ? projectFor(account, projectId, caller) : undefined;
  return found ?? rdsError(403, 'DBS.200010', 'The DB instance ID or user ID may be null, or the operation is not authorized.');
}

/** `id`/`name` filter: exact, or with a leading `*` a substring match on the rest; `*` alone is invalid. */
function matcher(req: SimRequest, name: string): ((value: string) => boolean) | null | undefined {
  const raw = req.query.get(name);
  if (raw === null) return undefined;
  if (raw === '' || raw === '*') return null;
  if (raw.startsWith('*')) return (value) => value.includes(raw.slice(1));
  return (value) => value === raw;
}

/**
 * `GET /v3/{project_id}/instances`: filters `id`, `name`, `type`, `datastore_type`; fleet order.
 * FlexusRDS instances are listed only with `group_type=flexus`, and then only they (the one group
 * the API documents; any other value is refused here, a choice).
 */
function listInstances(account: HuaweiAccountSim, req: SimRequest, caller: Caller): SimResponse {
  const paging = pageParams(req, MAX_LIMIT, DEFAULT_LIMIT);
  const type = enumParam(req, 'type', INSTANCE_TYPES);
  const datastoreType = enumParam(req, 'datastore_type', DATASTORE_TYPES);
  const group = enumParam(req, 'group_type', ['flexus']);
  const id = matcher(req, 'id');
  const name = matcher(req, 'name');
  if (!paging.ok || !type.ok || !datastoreType.ok || !group.ok || id === null || name === null) return parameterError();
  const proj = project(account, req, caller);
  if ('status' in proj) return proj;

  const flexus = group.value === 'flexus';
  const matches = proj.rds
    .filter((i) => i.flexus === flexus)
    .map((i) => i.row)
    .filter(
      (row: RdsInstanceRow) =>
        (!id || id(row.id)) &&
        (!name || name(row.name)) &&
        (type.value === undefined || row.type === type.value) &&
        (datastoreType.value === undefined || row.datastore.type === datastoreType.value),
    );
  return json(200, { instances: page(matches, paging.value.offset, paging.value.limit), total_count: matches.length });
}

/**
 * `GET /v3/{project_id}/backups` (notes B.1): `instance_id` mandatory (and well-formed); `limit`
 * 1–100, `offset` ≥ 0; `backup_id`, `backup_type`, `status` filters; `begin_time` and `end_time`
 * only together, end later than begin, filtering on the backup's `begin_time` inclusively.
 * Unknown instance: 404 `DBS.200002`. Newest first (undocumented order: a choice). Nothing
 * matching answers 200 with an empty list.
 */
function listBackups(account: HuaweiAccountSim, req: SimRequest, caller: Caller): SimResponse {
  const instanceId = req.query.get('instance_id');
  if (instanceId === null || !INSTANCE_ID.test(instanceId)) return parameterError();
  const backupId = req.query.get('backup_id');
  if (backupId !== null && !BACKUP_ID.test(backupId)) return parameterError();
  const backupType = enumParam(req, 'backup_type', BACKUP_TYPES);
  const status = enumParam(req, 'status', BACKUP_STATUS_FILTER);
  const paging = pageParams(req, MAX_LIMIT, DEFAULT_LIMIT);
  if (!backupType.ok || !status.ok || !paging.ok) return parameterError();
  const rawBegin = req.query.get('begin_time');
  const rawEnd = req.query.get('end_time');
  // "If begin_time is set, end_time is mandatory, and the reverse."
  if ((rawBegin === null) !== (rawEnd === null)) return parameterError();
  let range: { begin: number; end: number } | undefined;
  if (rawBegin !== null && rawEnd !== null) {
    const begin = parseRdsTime(rawBegin);
    const end = parseRdsTime(rawEnd);
    if (begin === undefined || end === undefined || end <= begin) return parameterError();
    range = { begin, end };
  }
  const proj = project(account, req, caller);
  if ('status' in proj) return proj;
  const instance = proj.rds.find((i) => i.row.id === instanceId);
  if (!instance) return rdsError(404, 'DBS.200002', 'The DB instance does not exist.');

  const matches = instance.backups.filter(
    (b) =>
      (backupId === null || b.row.id === backupId) &&
      (backupType.value === undefined || b.row.type === backupType.value) &&
      (status.value === undefined || b.row.status === status.value) &&
      inRange(b.beginMs, range),
  ); // fleet keeps them newest first
  return json(200, { backups: page(matches, paging.value.offset, paging.value.limit).map((b) => b.row), total_count: matches.length });
}

/**
 * `GET /v3/{project_id}/instances/{instance_id}/restore-time[?date=yyyy-mm-dd]` (`ListRestoreTimes`,
 * docs/upstreams.md R6): 200 `{"restore_time":[{"start_time","end_time"}]}`, int epoch ms (UTC),
 * sorted by start; several entries are gaps. With `date` (a UTC day), only the windows' parts
 * within that day, clipped to it. Checks: the instance ID's format and the date (400
 * `DBS.200001` "Parameter error." — the code RDS uses for parameter errors; for this API it is not
 * confirmed), the project (403), the instance (404 `DBS.200002`, as the other routes; not
 * confirmed for this API). No window: `[]` (not confirmed either).
 */
function listRestoreTimes(account: HuaweiAccountSim, req: SimRequest, caller: Caller, now: number): SimResponse {
  const instanceId = req.params['instance_id']!;
  if (!INSTANCE_ID.test(instanceId)) return parameterError();
  const date = req.query.get('date');
  const day = date === null ? undefined : utcDayRange(date);
  if (date !== null && !day) return parameterError();
  const proj = project(account, req, caller);
  if ('status' in proj) return proj;
  const instance = proj.rds.find((i) => i.row.id === instanceId);
  if (!instance) return rdsError(404, 'DBS.200002', 'The DB instance does not exist.');
  const windows = rdsRestoreWindowsAt(instance, now);
  const shown = day ? clipWindowsToDay(windows, day) : windows;
  return json(200, { restore_time: shown.map((w) => ({ start_time: w.startMs, end_time: w.endMs })) });
}

/**
 * `yyyy-mm-ddThh:mm:ss` with an offset `±hhmm` (documented), `±hh:mm` or `Z` (both seen in
 * examples; notes, Uncertainties 6) → epoch ms. A `+` sent raw arrives as a space and fails here.
 */
export function parseRdsTime(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:(Z)|([+-])(\d{2}):?(\d{2}))$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const local = utcFromFields(y, mo, d, h, mi, s);
  if (local === undefined) return undefined;
  if (m[7] === 'Z') return local;
  const offH = Number(m[9]);
  const offM = Number(m[10]);
  if (offH > 14 || offM > 59) return undefined;
  const offset = (offH * 60 + offM) * 60_000 * (m[8] === '-' ? -1 : 1);
  return local - offset;
}

// ---- actions (docs/upstreams.md §3) ------------------------------------------------------------------

/** ^[A-Za-z][A-Za-z0-9_-]{3,63}$: 4–64 characters, a letter first (docs/upstreams.md §3.1). */
const BACKUP_NAME = /^[A-Za-z][A-Za-z0-9_-]{3,63}$/;
const DESCRIPTION_FORBIDDEN = /[>!<"&'=]/;
/** "Another operation is being performed on the DB instance or the DB instance is faulty." (tf-hw retries it). */
const busy = () => rdsError(409, 'DBS.200019', 'Another operation is being performed on the DB instance or the DB instance is faulty.');
/** Not confirmed (docs/upstreams.md §3.2 names no code): an invented DBS code with RDS's 404. */
const backupNotFound = () => rdsError(404, 'DBS.201007', 'The backup does not exist.');
/** Not confirmed (only manual backups can be deleted; no code documented): an invented DBS code, 400. */
const notManual = () => rdsError(400, 'DBS.201210', 'Only manual backups can be deleted.');

/** The instance of the project that holds the backup, and the backup's place in its list. */
function findBackup(proj: HuaweiProjectSim, backupId: string): { instance: RdsInstanceSim; index: number } | undefined {
  for (const instance of proj.rds) {
    const index = instance.backups.findIndex((b) => b.row.id === backupId);
    if (index !== -1) return { instance, index };
  }
  return undefined;
}

/**
 * `POST /v3/{project_id}/backups` (`CreateManualBackup`): 200 `{"backup": {…, "status": "BUILDING",
 * "type": "manual"}}`. Checks: the body — a JSON object with `instance_id` (well-formed) and a valid,
 * unused `name`, a `description` of at most 256 characters without `>!<"&'=` — else 400
 * `DBS.200001` "Parameter error." (the codes for a bad or duplicate name are not confirmed; this is
 * the code RDS uses for every parameter error, notes Uncertainties 5); the project (403); the
 * instance (404 `DBS.200002`); the instance ACTIVE and no backup BUILDING, else 409 `DBS.200019`.
 *
 * The backup is BUILDING until the backup duration, then COMPLETED with a size and `end_time`.
 */
function createBackup(account: HuaweiAccountSim, req: SimRequest, caller: Caller, progress: BackupProgress): SimResponse {
  const body = objectBody(req);
  if (!body) return parameterError();
  const { instance_id: instanceId, name, description = '' } = body;
  if (typeof instanceId !== 'string' || !INSTANCE_ID.test(instanceId)) return parameterError();
  if (typeof name !== 'string' || !BACKUP_NAME.test(name)) return parameterError();
  if (typeof description !== 'string' || description.length > 256 || DESCRIPTION_FORBIDDEN.test(description)) return parameterError();
  const proj = project(account, req, caller);
  if ('status' in proj) return proj;
  const instance = proj.rds.find((i) => i.row.id === instanceId);
  if (!instance) return rdsError(404, 'DBS.200002', 'The DB instance does not exist.');
  if (instance.backups.some((b) => b.row.name === name)) return parameterError();
  if (instance.row.status !== 'ACTIVE' || instance.backups.some((b) => b.row.status === 'BUILDING')) return busy();

  const at = progress.clock.now();
  const row: RdsBackupRow = {
    id: `${randomBytes(16).toString('hex')}br${instance.row.id.slice(-2)}`,
    name,
    instance_id: instance.row.id,
    type: 'manual',
    size: 0,
    status: 'BUILDING',
    begin_time: rdsTime(at),
    end_time: '',
    datastore: { type: instance.row.datastore.type, version: instance.row.datastore.version },
  };
  instance.backups.push({ row, beginMs: at });
  instance.backups.sort((a, b) => b.beginMs - a.beginMs);

  const doneAt = at + progress.durationMs;
  // `size` in KB, as the listing reports it: about a third of the used storage (GB).
  const sizeKb = Math.max(1024, Math.floor(instance.row.storage_used_space * 1024 * 1024 * 0.3));
  progress.add((now) => {
    if (row.status !== 'BUILDING') return true; // deleted meanwhile (not allowed while BUILDING, but cheap)
    if (now < doneAt) return false;
    row.status = 'COMPLETED';
    row.size = sizeKb;
    row.end_time = rdsTime(doneAt);
    return true;
  });
  return json(200, {
    backup: { id: row.id, instance_id: row.instance_id, name, description, begin_time: row.begin_time, status: 'BUILDING', type: 'manual' },
  });
}

/**
 * `DELETE /v3/{project_id}/backups/{backup_id}` (`DeleteManualBackup`): 200 `{}` (the docs leave
 * open whether the body is empty or `{}`). The backup is then DELETING for a short time (5% of the
 * backup duration, at least 1 s) and then leaves the list. Not found: 404; an automated (or other
 * non-manual) backup: 400; one BUILDING or already DELETING: 409 `DBS.200019` (codes of the first
 * two not confirmed).
 */
function deleteBackup(account: HuaweiAccountSim, req: SimRequest, caller: Caller, progress: BackupProgress): SimResponse {
  const backupId = req.params['backup_id']!;
  if (!BACKUP_ID.test(backupId)) return backupNotFound();
  const proj = project(account, req, caller);
  if ('status' in proj) return proj;
  const found = findBackup(proj, backupId);
  if (!found) return backupNotFound();
  const backup = found.instance.backups[found.index]!;
  if (backup.row.type !== 'manual') return notManual();
  if (backup.row.status === 'BUILDING' || backup.row.status === 'DELETING') return busy();

  backup.row.status = 'DELETING';
  const goneAt = progress.clock.now() + progress.shortMs;
  const { instance } = found;
  progress.add((now) => {
    if (now < goneAt) return false;
    const index = instance.backups.indexOf(backup);
    if (index !== -1) instance.backups.splice(index, 1);
    return true;
  });
  return json(200, {});
}
