/**
 * RDS v3 wire shapes (notes §B): what `GET /v3/{project_id}/instances` and
 * `GET /v3/{project_id}/backups` answer. Lenient like the DCS ones: unknown fields pass through,
 * enum-like fields stay strings.
 */
import { z } from 'zod';
import { tolerate } from '../../core/drift.js';
import { int64, tag } from './wire-common.js';

/** Documented values; the schemas do not restrict to them. */
export const RDS_INSTANCE_TYPES = ['Single', 'Ha', 'Replica'] as const;
export const RDS_DATASTORE_TYPES = ['MySQL', 'PostgreSQL', 'SQLServer', 'MariaDB'] as const;
export const RDS_BACKUP_TYPES = ['auto', 'manual', 'fragment', 'incremental'] as const;
export type RdsBackupType = (typeof RDS_BACKUP_TYPES)[number];

/** InstanceResponse (notes B.2, GO `model_instance_response.go`). */
export const rdsInstanceSchema = tolerate(
  'rds.instance',
  z.looseObject({
    id: z.string(),
    name: z.string(),
    status: z.string(),
    alias: z.string().nullish(),
    type: z.string().nullish(),
    region: z.string().nullish(),
    enterprise_project_id: z.string().nullish(),
    tags: z.array(tag).nullish(),
    associated_with_ddm: z.boolean().nullish(),
    read_only_by_user: z.boolean().nullish(),
    private_ips: z.array(z.string()).nullish(),
    public_ips: z.array(z.string()).nullish(),
    private_dns_names: z.array(z.string()).nullish(),
    public_dns_names: z.array(z.string()).nullish(),
    port: z.number().nullish(),
    enable_ssl: z.boolean().nullish(),
    vpc_id: z.string().nullish(),
    subnet_id: z.string().nullish(),
    security_group_id: z.string().nullish(),
    /** `yyyy-mm-ddThh:mm:ss±hhmm`; empty while creating. */
    created: z.string().nullish(),
    updated: z.string().nullish(),
    expiration_time: z.string().nullish(),
    time_zone: z.string().nullish(),
    datastore: z.looseObject({ type: z.string(), version: z.string().nullish(), complete_version: z.string().nullish() }).nullish(),
    ha: z.looseObject({ replication_mode: z.string().nullish() }).nullish(),
    switch_strategy: z.string().nullish(),
    db_user_name: z.string().nullish(),
    maintenance_window: z.string().nullish(),
    nodes: z
      .array(
        z.looseObject({
          id: z.string(),
          name: z.string().nullish(),
          role: z.string().nullish(),
          status: z.string().nullish(),
          availability_zone: z.string().nullish(),
        }),
      )
      .nullish(),
    related_instance: z.array(z.looseObject({ id: z.string(), type: z.string().nullish() })).nullish(),
    backup_strategy: z.looseObject({ start_time: z.string().nullish(), keep_days: z.number().nullish() }).nullish(),
    backup_used_space: z.number().nullish(),
    storage_used_space: z.number().nullish(),
    flavor_ref: z.string().nullish(),
    cpu: z.string().nullish(),
    mem: z.string().nullish(),
    volume: z.looseObject({ type: z.string().nullish(), size: z.number().nullish() }).nullish(),
    max_iops: z.number().nullish(),
    disk_encryption_id: z.string().nullish(),
    charge_info: z.looseObject({ charge_mode: z.string().nullish() }).nullish(),
    order_id: z.string().nullish(),
    serverless_info: z.unknown().optional(),
  }),
  ['id'],
);

export const rdsInstanceListSchema = z
  .looseObject({
    total_count: z.number().int().nonnegative().nullish(),
    instances: z.array(rdsInstanceSchema).nullish(),
  })
  .transform((v) => ({ total_count: v.total_count ?? v.instances?.length ?? 0, instances: v.instances ?? [] }));

/**
 * BackupForList (notes B.1, GO `model_backup_for_list.go`). GO marks id, instance_id, name,
 * begin_time, end_time, status, type, size and datastore as required.
 */
export const rdsBackupSchema = tolerate(
  'rds.backup',
  z.looseObject({
    id: z.string(),
    name: z.string(),
    instance_id: z.string(),
    type: z.string(),
    /** KB. */
    size: int64,
    status: z.string(),
    /** `yyyy-mm-ddThh:mm:ss±hhmm` (a literal `Z` also appears): what the list sorts on. May be missing (Go SDK). */
    begin_time: z.string().nullish(),
    /** Same format; empty while the backup is building. MySQL incremental: last transaction's commit time. */
    end_time: z.string(),
    /** May be `null` (Go SDK). */
    datastore: z.looseObject({ type: z.string(), version: z.string().nullish() }),
    /** SQL Server partial backups only. */
    databases: z.array(z.looseObject({ name: z.string() })),
    /** MySQL only. */
    associated_with_ddm: z.boolean(),
    /** GB of data volume a restore of this backup needs (newer RDS). */
    min_data_volume_capacity_for_restore: z.number(),
  }),
  ['id', 'instance_id', 'status', 'begin_time'],
);

/** Both fields are optional in the Go SDK's model. */
export const rdsBackupListSchema = z
  .looseObject({
    /** Total number of matching records. */
    total_count: z.number().int().nonnegative().nullish(),
    backups: z.array(rdsBackupSchema).nullish(),
  })
  .transform((v) => ({ total_count: v.total_count ?? v.backups?.length ?? 0, backups: v.backups ?? [] }));

export type RdsInstance = z.infer<typeof rdsInstanceSchema>;
export type RdsInstanceList = z.infer<typeof rdsInstanceListSchema>;
export type RdsBackup = z.infer<typeof rdsBackupSchema>;
export type RdsBackupList = z.infer<typeof rdsBackupListSchema>;
