/**
 * Validation of every value we put into a Huawei request path or query from input. A bad value is
 * the caller's mistake, found before any call: `BadInputError` naming the argument.
 */
import { BadInputError } from '../../core/errors.js';
import { encodeId, type IdLayout } from '../../core/ids.js';

/** IAM project ID: 32 lower-case hex digits. */
export const PROJECT_ID = /^[0-9a-f]{32}$/;
/** DCS instance ID: a UUID (Huawei writes them lower-case; upper-case hex is accepted). */
export const DCS_INSTANCE_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** RDS instance ID: 32 lower-case hex, `in`, two digits (`…in01` MySQL, `…in03` PostgreSQL, `…in04` SQL Server). */
export const RDS_INSTANCE_ID = /^[0-9a-f]{32}in\d{2}$/;
/** RDS backup ID: 32 lower-case hex, `br`, two digits. */
export const RDS_BACKUP_ID = /^[0-9a-f]{32}br\d{2}$/;

function check(value: unknown, pattern: RegExp, what: string, argumentName: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new BadInputError(`${argumentName} is not a valid ${what}`, argumentName);
  }
  return value;
}

export function validateProjectId(value: unknown, argumentName = 'projectId'): string {
  return check(value, PROJECT_ID, 'Huawei Cloud project ID (32 lower-case hex digits)', argumentName);
}

export function validateDcsInstanceId(value: unknown, argumentName = 'instanceId'): string {
  return check(value, DCS_INSTANCE_ID, 'DCS instance ID (a UUID)', argumentName);
}

export function validateRdsInstanceId(value: unknown, argumentName = 'instanceId'): string {
  return check(value, RDS_INSTANCE_ID, 'RDS instance ID (32 hex digits, "in", 2 digits)', argumentName);
}

export function validateRdsBackupId(value: unknown, argumentName = 'backupId'): string {
  return check(value, RDS_BACKUP_ID, 'RDS backup ID (32 hex digits, "br", 2 digits)', argumentName);
}

/** An integer in [min, max] (max optional). */
export function validateInt(value: unknown, argumentName: string, min: number, max?: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || (max !== undefined && value > max)) {
    const range = max === undefined ? `≥ ${min}` : `between ${min} and ${max}`;
    throw new BadInputError(`${argumentName} must be an integer ${range}`, argumentName);
  }
  return value;
}

/** A string that is one of `allowed`. */
export function validateOneOf<T extends string>(value: unknown, argumentName: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new BadInputError(`${argumentName} must be one of ${allowed.join(', ')}`, argumentName);
  }
  return value as T;
}

/** A non-empty string of at most `maxLength` characters (free-text filters such as names). */
export function validateText(value: unknown, argumentName: string, maxLength = 255): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw new BadInputError(`${argumentName} must be a non-empty string of at most ${maxLength} characters`, argumentName);
  }
  return value;
}

/** A valid `Date` whose year fits the four-digit upstream time formats. */
export function validateDate(value: unknown, argumentName: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new BadInputError(`${argumentName} must be a valid date`, argumentName);
  }
  const year = value.getUTCFullYear();
  if (year < 1970 || year > 9999) throw new BadInputError(`${argumentName} must be between 1970 and 9999`, argumentName);
  return value;
}

/** Encodes one path segment. The value has been validated already; encoding is defence in depth. */
export function encodeSegment(value: string): string {
  return encodeURIComponent(value);
}

/** The global ID layouts of the Huawei Cloud types. */
export const HUAWEI_ID_LAYOUTS: readonly IdLayout[] = [
  { type: 'HuaweiProject', parts: [] },
  { type: 'DcsInstance', parts: [{ name: 'instanceId', check: (v) => DCS_INSTANCE_ID.test(v) }] },
  {
    type: 'DcsBackup',
    parts: [
      { name: 'instanceId', check: (v) => DCS_INSTANCE_ID.test(v) },
      { name: 'backupId', check: (v) => DCS_INSTANCE_ID.test(v) },
    ],
  },
  { type: 'RdsInstance', parts: [{ name: 'instanceId', check: (v) => RDS_INSTANCE_ID.test(v) }] },
  {
    type: 'RdsBackup',
    parts: [
      { name: 'instanceId', check: (v) => RDS_INSTANCE_ID.test(v) },
      { name: 'backupId', check: (v) => RDS_BACKUP_ID.test(v) },
    ],
  },
];

export const huaweiProjectId = (source: string) => encodeId('HuaweiProject', source);
export const dcsInstanceId = (source: string, instanceId: string) => encodeId('DcsInstance', source, instanceId);
export const dcsBackupId = (source: string, instanceId: string, backupId: string) => encodeId('DcsBackup', source, instanceId, backupId);
export const rdsInstanceId = (source: string, instanceId: string) => encodeId('RdsInstance', source, instanceId);
export const rdsBackupId = (source: string, instanceId: string, backupId: string) => encodeId('RdsBackup', source, instanceId, backupId);
