/**
 * Simulated RDS v3 listing APIs (notes §B), behind the gateway. Error bodies in RDS's own shape:
 * `{"error_code": "DBS.xxxxxx", "error_msg": "..."}` (no `error_ext_msg`).
 *
 * The per-parameter error codes are not documented (notes, Uncertainties 5); every invalid or
 * missing parameter answers 400 `DBS.200001` "Parameter error.".
 */
import type { RouteDef, SimRequest, SimResponse } from '../harness.js';
import type { HuaweiAccountSim, HuaweiProjectSim, RdsInstanceRow } from '../fleet.js';
import type { Caller, Gateway } from './gateway.js';
import { enumParam, inRange, json, page, pageParams, PROJECT_ID, projectFor, utcFromFields } from './params.js';

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

export function rdsRoutes(account: HuaweiAccountSim, gateway: Gateway): RouteDef[] {
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
