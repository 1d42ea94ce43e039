/**
 * The error answers the simulated agent gives, in both error styles:
 * - `current`: obshell ≥ 4.3.1.0, `error: {code?, errCode, message}` (notes §2.7, §4.6, §5);
 * - `legacy`: obshell ≤ 4.3.0.0, `error: {code, message}` with the old int codes (notes §2.7
 *   "Older builds", §4.6 last paragraph, §5 legacy table).
 */

export type ErrorStyle = 'current' | 'legacy';

export interface WireError {
  status: number;
  /** String code; current style only. */
  errCode?: string;
  /** Int code: the only one in legacy style, the deprecated extra (omitted when 0) in current. */
  code?: number;
  message: string;
}

export interface ErrorDef {
  current: WireError;
  legacy: WireError;
}

/** `error` as the agent serializes it (Go `ApiError`; `code` is omitempty only in current builds). */
export function errorBody(def: ErrorDef, style: ErrorStyle): { status: number; body: Record<string, unknown> } {
  const e = def[style];
  const body: Record<string, unknown> =
    style === 'legacy' ? { code: e.code ?? 0, message: e.message } : { ...(e.code ? { code: e.code } : {}), errCode: e.errCode, message: e.message };
  return { status: e.status, body };
}

/** ≤ 4.3.0.0: every auth failure is 401, code 10008, "Verification failed: <reason>" (notes §4.6). */
const legacyAuth = (reason: string): WireError => ({ status: 401, code: 10008, message: `Verification failed: ${reason}` });

export const obErrors = {
  /**
   * gin NoRoute, also for wrong methods. From 4.3.1.0 `errors.Occur(ErrCommonNotFound, "404 not found")`;
   * 4.2.4.0 – 4.3.0.0 used `ErrBadRequest` (obshell@4.3.0.0 `agent/api/agent_route.go`): HTTP 400, code 1000.
   */
  routeNotFound: (): ErrorDef => ({
    current: { status: 404, errCode: 'Common.NotFound', message: 'Element not found: 404 not found' },
    legacy: { status: 400, code: 1000, message: 'Bad request: 404 not found' },
  }),

  // ---- auth (notes §4.6) ----
  headerNotFound: (): ErrorDef => ({
    current: { status: 400, errCode: 'Request.Header.NotFound', message: 'X-OCS-Agent-Header or X-OCS-Header not found in http request header' },
    legacy: legacyAuth('header not found'),
  }),
  /** `code: 1` only from 4.4.2.0, the release that also moved to 1024-bit keys (notes §4.6, §6). */
  decryptFailed: (goError: string, withLegacyCode: boolean): ErrorDef => ({
    current: {
      status: 401,
      errCode: 'Security.Authentication.Header.DecryptFailed',
      ...(withLegacyCode ? { code: 1 } : {}),
      message: `Decrypt http header failed: ${goError}`,
    },
    legacy: legacyAuth('header decrypt failed'),
  }),
  uriMismatch: (): ErrorDef => ({
    current: { status: 401, errCode: 'Security.Authentication.Header.UriMismatch', code: 10008, message: 'URI mismatch' },
    legacy: legacyAuth('uri mismatch'),
  }),
  /** Wrapped by `WrapRetain(ErrCommonUnauthorized, …)`: inner code, "Unauthorized: " prefix. */
  timestampInvalid: (ts: string, goError: string): ErrorDef => ({
    current: {
      status: 401,
      errCode: 'Security.Authentication.Timestamp.Invalid',
      code: 10008,
      message: `Unauthorized: Invalid timestamp: ${ts}, err: ${goError}`,
    },
    legacy: legacyAuth(goError), // 4.3.0.0 `VerifyAuth` returned the strconv error itself
  }),
  expired: (): ErrorDef => ({
    current: { status: 401, errCode: 'Security.Authentication.Expired', code: 10008, message: 'Unauthorized: Authentication expired' },
    legacy: legacyAuth('auth expired'),
  }),
  wrongAgentPassword: (): ErrorDef => ({
    current: { status: 401, errCode: 'Security.Authentication.IncorrectAgentPassword', code: 10008, message: 'Unauthorized: Agent password is incorrect' },
    legacy: legacyAuth('access denied'),
  }),
  withAgentPassword: (): ErrorDef => ({
    current: {
      status: 401,
      errCode: 'Security.Authentication.WithAgentPassword',
      code: 10008,
      message: 'Unauthorized: Should use agent_password to verify: X-OCS-Agent-Header is required',
    },
    legacy: legacyAuth('access denied'),
  }),
  withOceanBasePassword: (): ErrorDef => ({
    current: {
      status: 401,
      errCode: 'Security.Authentication.WithOceanBasePassword',
      code: 10008,
      message: 'Unauthorized: Should use oceanbase password to verify: X-OCS-Header is required',
    },
    legacy: legacyAuth('access denied'),
  }),
  wrongPassword: (): ErrorDef => ({
    current: {
      status: 401,
      errCode: 'Security.Authentication.IncorrectOceanbasePassword',
      code: 10008,
      message: 'Unauthorized: OceanBase password is incorrect',
    },
    legacy: legacyAuth('access denied'),
  }),

  // ---- tenant checks, in `checkTenantAndGetName` order (notes §2.1) ----
  notClusterAgent: (agent: string, identity: string): ErrorDef => ({
    current: {
      status: 400,
      errCode: 'Agent.Identify.NotSupportOperation',
      message: `'${agent}' is '${identity}', instead of 'CLUSTER AGENT', does not support this operation`,
    },
    legacy: { status: 500, code: 1010, message: `Known error: agent identity is ${identity}.` },
  }),
  sysTenant: (): ErrorDef => ({
    current: { status: 400, errCode: 'OB.Tenant.SysOperationNotAllowed', message: 'System tenant is not allowed to perform this operation' },
    legacy: { status: 400, code: 1001, message: 'Illegal argument: tenant sys is system tenant, cannot backup' },
  }),
  tenantNotExist: (name: string): ErrorDef => ({
    current: { status: 400, errCode: 'OB.Tenant.NotExist', message: `Tenant '${name}' does not exist.` },
    legacy: { status: 400, code: 1001, message: `Illegal argument: tenant ${name} not found` },
  }),

  // ---- backup ----
  tenantTaskNotFound: (): ErrorDef => ({
    current: { status: 404, errCode: 'Task.NotFound', message: 'Task not found: no backup task' },
    legacy: { status: 404, code: 2300, message: 'Task not found: no backup task found' },
  }),
  clusterTaskNotFound: (): ErrorDef => ({
    current: { status: 404, errCode: 'Common.NotFound', message: 'Element not found: backup task' },
    legacy: { status: 404, code: 2300, message: 'Task not found: no backup task found' },
  }),
  /**
   * A query gin cannot bind (`c.BindQuery` → `ErrorTypeBind`), which `getOcsResponseFromContext`
   * turns into `Common.BindJsonFailed` (obshell `ob/agent/api/common/middleware.go`). Legacy builds
   * used `ErrIllegalArgument` there; they have no route that binds a query, so it is unused.
   */
  bindFailed: (goError: string): ErrorDef => ({
    current: { status: 400, errCode: 'Common.BindJsonFailed', message: `Bind JSON failed: ${goError}` },
    legacy: { status: 400, code: 1001, message: `Illegal argument: ${goError}` },
  }),

  // ---- backup actions (docs/upstreams.md §1.1, §1.2). Legacy (≤ 4.3.0.0) texts are not confirmed:
  // they follow that era's "<kind>: <detail>" pattern with its int codes. ----
  /** `BodyDecrypt`: a body that does not decrypt under the header's keys (`code` 10008 like the other auth errors). */
  bodyDecryptFailed: (): ErrorDef => ({
    current: { status: 401, errCode: 'Common.Unauthorized', code: 10008, message: 'Unauthorized' },
    legacy: legacyAuth('body decrypt failed'),
  }),
  noUserTenants: (): ErrorDef => ({
    current: { status: 400, errCode: 'OB.Backup.NoUserTenants', message: 'No user tenants found' },
    legacy: { status: 400, code: 1001, message: 'Illegal argument: no user tenants found' },
  }),
  archiveDestEmpty: (name: string, id: number): ErrorDef => ({
    current: { status: 400, errCode: 'OB.Backup.ArchiveDestEmpty', message: `Archive destination is empty, tenant: ${name}(${id})` },
    legacy: { status: 400, code: 1001, message: `Illegal argument: archive destination is empty, tenant: ${name}(${id})` },
  }),
  dataDestEmpty: (name: string, id: number): ErrorDef => ({
    current: { status: 400, errCode: 'OB.Backup.DataDestEmpty', message: `Data destination is empty, tenant: ${name}(${id})` },
    legacy: { status: 400, code: 1001, message: `Illegal argument: data destination is empty, tenant: ${name}(${id})` },
  }),
  backupModeInvalid: (mode: string): ErrorDef => ({
    current: { status: 400, errCode: 'OB.Backup.Mode.Invalid', message: `Invalid backup mode: ${mode}, must be full or incremental` },
    legacy: { status: 400, code: 1001, message: `Illegal argument: invalid backup mode: ${mode}` },
  }),
  backupStatusInvalid: (status: string): ErrorDef => ({
    current: { status: 400, errCode: 'OB.Backup.Status.Invalid', message: `Invalid backup status: '${status}', must be 'canceled'` },
    legacy: { status: 400, code: 1001, message: `Illegal argument: invalid backup status: ${status}` },
  }),
};
