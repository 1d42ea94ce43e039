/**
 * Simulated DCS v2 listing APIs (notes §A), behind the gateway. Error bodies in DCS's own shape:
 * `{"error_code": "DCS.xxxx", "error_msg": "...", "error_ext_msg": null}`.
 */
import type { RouteDef, SimRequest, SimResponse } from '../harness.js';
import type { HuaweiAccountSim, HuaweiProjectSim } from '../fleet.js';
import type { Caller, Gateway } from './gateway.js';
import { enumParam, inRange, json, page, pageParams, PROJECT_ID, projectFor, utcFromFields } from './params.js';

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

export function dcsRoutes(account: HuaweiAccountSim, gateway: Gateway): RouteDef[] {
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
