/**
 * Tenant names before they go into an obshell path.
 *
 * The rule is the union of what can exist: OceanBase's own `CREATE TENANT` rule (letters, digits and
 * underscores, at most 64 bytes) and obshell's, which also lets tenants be created with `- ~ # +`
 * (obshell `checkTenantName`: `^[a-zA-Z0-9-_~#+]+$`, no `$`). Anything else cannot name a tenant,
 * so it is refused before a call is made; the segment is percent-encoded all the same.
 */
import { BadInputError } from '../../core/errors.js';
import { COUNTER, encodeId, type IdLayout } from '../../core/ids.js';

export const TENANT_NAME_MAX_LENGTH = 64;
const TENANT_NAME_PATTERN = /^[A-Za-z0-9_\-~#+]+$/;

/** Returns the name unchanged if it can name a tenant; throws `BadInputError` otherwise. */
export function validateTenantName(name: unknown, argumentName = 'tenantName'): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new BadInputError('A tenant name must be a non-empty string', argumentName);
  }
  if (name.length > TENANT_NAME_MAX_LENGTH) {
    throw new BadInputError(`A tenant name has at most ${TENANT_NAME_MAX_LENGTH} characters`, argumentName);
  }
  if (!TENANT_NAME_PATTERN.test(name)) {
    throw new BadInputError('A tenant name may only contain letters, digits and the characters _ - ~ # +', argumentName);
  }
  return name;
}

/** The tenant name as a validated, percent-encoded path segment. */
export function tenantPathSegment(name: unknown, argumentName = 'tenantName'): string {
  return encodeURIComponent(validateTenantName(name, argumentName));
}

/** The global ID layouts of the OceanBase types. */
export const OB_ID_LAYOUTS: readonly IdLayout[] = [
  { type: 'ObCluster', parts: [] },
  { type: 'ObTenant', parts: [{ name: 'tenantName', check: isTenantName }] },
  {
    type: 'ObBackupTask',
    parts: [
      { name: 'tenantId', check: COUNTER, numeric: true },
      { name: 'taskId', check: COUNTER, numeric: true },
    ],
  },
  {
    type: 'ObBackupJob',
    parts: [
      { name: 'tenantName', check: isTenantName },
      { name: 'jobId', check: COUNTER, numeric: true },
    ],
  },
];

function isTenantName(value: string): boolean {
  return value.length > 0 && value.length <= TENANT_NAME_MAX_LENGTH && TENANT_NAME_PATTERN.test(value);
}

export const obClusterId = (source: string) => encodeId('ObCluster', source);
export const obTenantId = (source: string, tenantName: string) => encodeId('ObTenant', source, tenantName);
export const obBackupTaskId = (source: string, tenantId: number, taskId: number) => encodeId('ObBackupTask', source, tenantId, taskId);
export const obBackupJobId = (source: string, tenantName: string, jobId: number) => encodeId('ObBackupJob', source, tenantName, jobId);
