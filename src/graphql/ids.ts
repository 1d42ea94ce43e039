/**
 * Global object IDs: opaque (base64url) strings naming the GraphQL type, the configured source
 * and the upstream's own keys. Every part is validated on the way in, so a decoded ID is safe to
 * put into an upstream path; a malformed ID is the caller's error (`BAD_USER_INPUT`).
 */
import { BadInputError } from '../errors.js';
import { DCS_INSTANCE_ID, RDS_BACKUP_ID, RDS_INSTANCE_ID } from '../providers/huawei/ids.js';
import { validateTenantName } from '../providers/oceanbase/ids.js';

export type NodeRef =
  | { type: 'ObCluster'; source: string }
  | { type: 'ObTenant'; source: string; tenantName: string }
  | { type: 'ObBackupTask'; source: string; tenantId: number; taskId: number }
  | { type: 'ObBackupJob'; source: string; tenantName: string; jobId: number }
  | { type: 'HuaweiProject'; source: string }
  | { type: 'DcsInstance'; source: string; instanceId: string }
  | { type: 'DcsBackup'; source: string; instanceId: string; backupId: string }
  | { type: 'RdsInstance'; source: string; instanceId: string }
  | { type: 'RdsBackup'; source: string; instanceId: string; backupId: string };

export type NodeType = NodeRef['type'];

const SOURCE = /^[a-z0-9-]{1,63}$/;
const UUID = DCS_INSTANCE_ID;
const COUNTER = /^(0|[1-9]\d{0,15})$/;

/** The parts after the source, in order, with how each is checked and read back. */
const LAYOUT: { [T in NodeType]: readonly (readonly [name: string, check: (value: string) => boolean, numeric?: boolean])[] } = {
  ObCluster: [],
  ObTenant: [['tenantName', isTenantName]],
  ObBackupTask: [
    ['tenantId', (v) => COUNTER.test(v), true],
    ['taskId', (v) => COUNTER.test(v), true],
  ],
  ObBackupJob: [
    ['tenantName', isTenantName],
    ['jobId', (v) => COUNTER.test(v), true],
  ],
  HuaweiProject: [],
  DcsInstance: [['instanceId', (v) => UUID.test(v)]],
  DcsBackup: [
    ['instanceId', (v) => UUID.test(v)],
    ['backupId', (v) => UUID.test(v)],
  ],
  RdsInstance: [['instanceId', (v) => RDS_INSTANCE_ID.test(v)]],
  RdsBackup: [
    ['instanceId', (v) => RDS_INSTANCE_ID.test(v)],
    ['backupId', (v) => RDS_BACKUP_ID.test(v)],
  ],
};

function isTenantName(value: string): boolean {
  try {
    validateTenantName(value);
    return true;
  } catch {
    return false;
  }
}

export function encodeId(ref: NodeRef): string {
  const parts = [ref.type, ref.source, ...LAYOUT[ref.type].map(([name]) => String((ref as unknown as Record<string, unknown>)[name]))];
  return Buffer.from(parts.join(':'), 'utf8').toString('base64url');
}

/**
 * Decodes and validates an ID. `types` restricts which types are acceptable here (e.g. instance
 * IDs in a filter); anything else is a `BadInputError` naming `argumentName`.
 */
export function decodeId(id: string, argumentName = 'id', types?: readonly NodeType[]): NodeRef {
  const fail = (why: string): never => {
    throw new BadInputError(`\`${argumentName}\` is not a valid ID${why}.`, argumentName);
  };
  if (typeof id !== 'string' || id.length === 0 || id.length > 512 || !/^[A-Za-z0-9_-]+$/.test(id)) fail('');
  const parts = Buffer.from(id, 'base64url').toString('utf8').split(':');
  const [type, source, ...rest] = parts;
  if (!type || !(type in LAYOUT)) return fail('');
  const layout = LAYOUT[type as NodeType];
  if (!source || !SOURCE.test(source) || rest.length !== layout.length) return fail('');
  const ref: Record<string, unknown> = { type, source };
  layout.forEach(([name, check, numeric], i) => {
    const value = rest[i]!;
    if (!check(value)) fail('');
    ref[name] = numeric ? Number(value) : value;
  });
  // One ID per object: a non-canonical spelling of the same bytes is refused.
  if (encodeId(ref as NodeRef) !== id) fail('');
  if (types && !types.includes(type as NodeType)) fail(` of ${types.join(' or ')}`);
  return ref as NodeRef;
}
