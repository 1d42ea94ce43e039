/**
 * DCS v2 wire shapes (notes §A): what `GET /v2/{project_id}/instances` and
 * `GET /v2/{project_id}/instances/{instance_id}/backups` answer. Lenient: unknown fields pass
 * through, optional fields may be absent or null, enum-like fields stay strings (a new upstream
 * value must reach the gateway's `UNKNOWN` mapping, not fail the whole list).
 */
import { z } from 'zod';
import { tolerate } from '../../core/drift.js';
import { int64, nullableString, tag } from './wire-common.js';

/**
 * Instance statuses a `status` filter may name (HW-DOC, and the Go SDK's model, which adds PAYING,
 * FREEZING, MIGRATING and UPGRADING); the schema does not restrict what comes back to them.
 */
export const DCS_INSTANCE_STATUSES = [
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
] as const;

/** InstanceListInfo (notes A.2, GO `model_instance_list_info.go`). */
export const dcsInstanceSchema = tolerate(
  'dcs.instance',
  z.looseObject({
    instance_id: z.string(),
    name: z.string(),
    status: z.string(),
    sub_status: z.string().nullish(),
    description: z.string().nullish(),
    enterprise_project_id: z.string().nullish(),
    user_id: z.string().nullish(),
    user_name: z.string().nullish(),
    tags: z.array(tag).nullish(),
    engine: z.string().nullish(),
    engine_version: z.string().nullish(),
    /** GB. */
    capacity: z.number().nullish(),
    /** Fraction of a GB as a string, e.g. `".125"`. */
    capacity_minor: z.string().nullish(),
    /** MB. */
    max_memory: z.number().nullish(),
    /** MB. */
    used_memory: z.number().nullish(),
    spec_code: z.string().nullish(),
    cpu_type: z.string().nullish(),
    az_codes: z.array(z.string()).nullish(),
    features: z
      .looseObject({
        support_acl: z.boolean().nullish(),
        support_transparent_client_ip: z.boolean().nullish(),
        support_ssl: z.boolean().nullish(),
        support_audit_log: z.boolean().nullish(),
      })
      .nullish(),
    /** Comma-separated for clusters. */
    ip: z.string().nullish(),
    port: z.number().nullish(),
    domain_name: z.string().nullish(),
    readonly_domain_name: z.string().nullish(),
    access_user: z.string().nullish(),
    /**
     * The model says string `"true"`/`"false"`; the OTC example sends a boolean (notes A.2). Both are
     * accepted and normalized to the documented string.
     */
    no_password_access: z
      .union([z.string(), z.boolean()])
      .transform((v) => (typeof v === 'boolean' ? String(v) : v))
      .nullish(),
    vpc_id: z.string().nullish(),
    vpc_name: z.string().nullish(),
    subnet_id: z.string().nullish(),
    /** The literal `"securityGroupId"` when no group is set (TF). */
    security_group_id: z.string().nullish(),
    publicip_id: z.string().nullish(),
    publicip_address: z.string().nullish(),
    enable_publicip: z.boolean().nullish(),
    enable_ssl: z.boolean().nullish(),
    /** 0 = pay-per-use, 1 = yearly/monthly. */
    charging_mode: z.number().nullish(),
    order_id: z.string().nullish(),
    created_at: z.string().nullish(),
    updated_at: z.string().nullish(),
    /** UTC `HH:mm:ss`. */
    maintain_begin: z.string().nullish(),
    maintain_end: z.string().nullish(),
    service_upgrade: z.boolean().nullish(),
    service_task_id: z.string().nullish(),
  }),
  ['instance_id'],
);

/** Both fields are optional in the Go SDK's model: an empty answer is an empty list. */
export const dcsInstanceListSchema = z
  .looseObject({
    /** Total matching instances (not the page size). */
    instance_num: z.number().int().nonnegative().nullish(),
    instances: z.array(dcsInstanceSchema).nullish(),
  })
  .transform((v) => ({ instance_num: v.instance_num ?? v.instances?.length ?? 0, instances: v.instances ?? [] }));

/** BackupRecordResponse (notes A.1, GO `model_backup_record_response.go`). */
export const dcsBackupSchema = tolerate(
  'dcs.backup',
  z.looseObject({
    backup_id: z.string(),
    instance_id: z.string(),
    status: z.string(),
    /** `2019-05-10T08:31:16.166Z` (UTC, ms): when the backup task was created (what DCS filters on; a start when `execution_at` is absent). */
    created_at: z.string().nullish(),
    /** Backup execution period; `{}` in doc examples → null. */
    period: nullableString,
    backup_name: z.string().nullish(),
    /** Bytes. */
    size: int64.nullish(),
    backup_type: z.string().nullish(),
    /** When the backup finished. */
    updated_at: z.string().nullish(),
    /** e.g. `"100.00"`. */
    progress: z.string().nullish(),
    /** `dcs.08.000x` on failure; `{}` in doc examples → null. */
    error_code: nullableString,
    remark: z.string().nullish(),
    /** `"TRUE"` or `"FALSE"`: a string (any case); another word is drift (null, warned). */
    is_support_restore: z
      .string()
      .regex(/^(true|false)$/i)
      .nullish(),
    execution_at: z.string().nullish(),
    backup_format: z.string().nullish(),
  }),
  // What the list sorts on, and what identifies a backup.
  ['backup_id', 'instance_id', 'status', 'created_at', 'execution_at'],
);

/** Both fields are optional in the Go SDK's model: an empty answer is an empty list. */
export const dcsBackupListSchema = z
  .looseObject({
    /** Total matching records (TF pages until its running count reaches it), not the page size. */
    total_num: z.number().int().nonnegative().nullish(),
    backup_record_response: z.array(dcsBackupSchema).nullish(),
  })
  .transform((v) => ({ total_num: v.total_num ?? v.backup_record_response?.length ?? 0, backup_record_response: v.backup_record_response ?? [] }));

export type DcsInstance = z.infer<typeof dcsInstanceSchema>;
export type DcsInstanceList = z.infer<typeof dcsInstanceListSchema>;
export type DcsBackup = z.infer<typeof dcsBackupSchema>;
export type DcsBackupList = z.infer<typeof dcsBackupListSchema>;
