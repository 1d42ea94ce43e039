/**
 * The obshell agent's wire shapes (notes: /work/shared/upstreams/obshell.md), as zod schemas and
 * the types inferred from them. Every body is parsed with `parseJsonLossless` first, so integers
 * above 2^53 arrive as `bigint`.
 *
 * Lenient where real agents differ (unknown fields are dropped, fields that older agents lack are
 * optional); strict where the gateway's correctness depends on a value (IDs, statuses, times,
 * SCNs). SCNs and `startAt` come out as exact decimal strings, never through a float.
 */
import { z } from 'zod';
import { tolerantObject, wireCount } from '../../core/drift.js';

// ---- scalars ---------------------------------------------------------------------------------------

/**
 * An unsigned 64-bit integer kept exact: a safe `number` or a `bigint` (what `parseJsonLossless`
 * gives above 2^53), written out as its decimal string. OceanBase SCNs are ns timestamps (~1.7e18,
 * notes §2.4); a float would lose the last digits.
 */
export const exactUint64 = z
  .union([
    z.number().int().nonnegative(),
    z
      .bigint()
      .nonnegative()
      .max((1n << 64n) - 1n),
  ])
  .transform((value) => value.toString());

/** An int64 counter that only needs to be approximately right (bytes, counts): a plain number. */
const counter = wireCount;

/** Go `time.Time` as JSON: RFC 3339 with optional fraction (`0001-01-01T00:00:00Z` is the zero time). */
export const goTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/, 'not an RFC 3339 time');

// ---- the envelope (notes §1) -----------------------------------------------------------------------

/**
 * `error` of the envelope. Current agents (≥ 4.3.1.0) send `errCode` (string) plus the deprecated
 * int `code` when one is defined; older ones (≤ 4.3.0.0) send only `code` (notes §1).
 */
export const apiErrorSchema = z.object({
  code: z.number().int().optional(),
  errCode: z.string().optional(),
  message: z.string().optional(),
  subErrors: z.array(z.unknown()).nullish(),
});

/**
 * Every `/api/v1` answer. `data` is kept as unknown here and parsed with the route's own schema;
 * `'data' in envelope` tells an omitted `data` from a typed-nil `"data": null` (notes §1).
 */
export const envelopeSchema = z.object({
  successful: z.boolean(),
  timestamp: z.string().optional(),
  duration: z.number().optional(),
  status: z.number().int().optional(),
  traceId: z.string().optional(),
  data: z.unknown().optional(),
  error: apiErrorSchema.nullish(),
});

// ---- GET /api/v1/info (meta.AgentStatus, notes §3.3) ---------------------------------------------

/** What decides behaviour (`version`) is strict; the rest is passed through. */
export const agentInfoSchema = tolerantObject(
  'info',
  {
    pid: z.number().int(),
    state: z.number().int(),
    /** ns since the epoch, above 2^53. */
    startAt: exactUint64,
    homePath: z.string(),
    obVersion: z.string(),
    architecture: z.string(),
    ip: z.string(),
    port: z.number().int(),
    zone: z.string(),
    /** `CLUSTER AGENT`, `SINGLE`, `MASTER`, `FOLLOWER`, `TAKE OVER MASTER`, … */
    identity: z.string(),
    version: z.string(),
    isObproxyAgent: z.boolean(),
    /** Whether an agent password is set (4.2.6.0+). */
    security: z.boolean(),
    supportedAuth: z.array(z.string()),
  },
  ['version'],
);
export type ObAgentInfo = z.output<typeof agentInfoSchema>;

// ---- GET /api/v1/secret (meta.AgentSecret, notes §4.1) ---------------------------------------------

export const secretSchema = z.object({
  ip: z.string().optional(),
  port: z.number().int().optional(),
  /** Standard base64 of the DER PKCS#1 RSAPublicKey. */
  public_key: z.string().min(1),
});

// ---- GET /api/v1/tenants/overview (TenantOverview, notes §3.3) ----------------------------------

export const connectionStringSchema = z.object({
  type: z.string(),
  obproxy_address: z.string().optional(),
  obproxy_port: z.number().int().optional(),
  connection_string: z.string(),
});

/**
 * One tenant. Agents 4.2.4–4.2.6 send only the first nine fields; `read_only` and
 * `connection_strings` come with 4.3.0.0 and `comment` with 4.4.1.0. A Go nil slice is `null`.
 */
export const tenantOverviewSchema = tolerantObject(
  'tenant',
  {
    tenant_id: z.number().int(),
    tenant_name: z.string().min(1),
    mode: z.string(),
    status: z.string(),
    /** `YES`/`NO`; another word is drift (null, warned). */
    locked: z.enum(['YES', 'NO']),
    primary_zone: z.string(),
    locality: z.string(),
    in_recyclebin: z.enum(['YES', 'NO']),
    created_time: goTime,
    read_only: z.boolean(),
    comment: z.string(),
    connection_strings: z.array(connectionStringSchema),
  },
  ['tenant_id', 'tenant_name'],
);
export type ObTenantOverview = z.output<typeof tenantOverviewSchema>;

export const tenantsOverviewDataSchema = z.object({
  contents: z
    .array(tenantOverviewSchema)
    .nullable()
    .transform((value) => value ?? []),
});

// ---- CdbObBackupTask (notes §2.3) ------------------------------------------------------------------

export const backupTaskSchema = tolerantObject(
  'task',
  {
    tenant_id: z.number().int(),
    task_id: z.number().int(),
    job_id: z.number().int(),
    incarnation: z.number().int(),
    backup_set_id: z.number().int(),
    /** What the lists sort on: strict when present. */
    start_timestamp: goTime.nullish(),
    /** `0001-01-01T00:00:00Z` while the task runs. */
    end_timestamp: goTime,
    /** Open vocabulary (notes §2.5): INIT, DOING, COMPLETED, FAILED, CANCELING, CANCELED, BACKUP_*, … */
    status: z.string().min(1),
    start_scn: exactUint64,
    /** `"0"` while the task runs. */
    end_scn: exactUint64,
    user_ls_start_scn: exactUint64,
    encryption_mode: z.string(),
    input_bytes: counter,
    output_bytes: counter,
    /** A float64 rate. */
    output_rate_bytes: z.number(),
    extra_meta_bytes: counter,
    tablet_count: counter,
    finish_tablet_count: counter,
    macro_block_count: counter,
    finish_macro_block_count: counter,
    file_count: counter,
    meta_turn_id: counter,
    data_turn_id: counter,
    /** OceanBase error code, 0 = OK. */
    result: z.number().int(),
    comment: z.string(),
    path: z.string(),
  },
  ['tenant_id', 'task_id', 'job_id', 'start_timestamp', 'status'],
);
export type ObBackupTask = z.output<typeof backupTaskSchema>;

/** `data` of the tenant overview: the task really is wrapped in `status` (notes §2.2). */
export const tenantBackupOverviewDataSchema = z.object({ status: backupTaskSchema });

/** `data` of the cluster overview: one task per user tenant that has one (notes §3.1). */
export const clusterBackupOverviewDataSchema = z.object({
  statuses: z
    .array(backupTaskSchema)
    .nullable()
    .transform((value) => value ?? []),
});

// ---- BackupJob and its page (notes §3, §3.2) -------------------------------------------------------

export const backupJobSchema = tolerantObject(
  'job',
  {
    tenant_id: z.number().int(),
    job_id: z.number().int(),
    backup_set_id: z.number().int(),
    /** `ON`/`OFF`. */
    plus_archivelog: z.enum(['ON', 'OFF']),
    backup_type: z.string(),
    /** What the lists sort on: strict when present; `null` on some agents (the job sorts last). */
    start_timestamp: goTime.nullish(),
    /** Absent while the job runs (a nil pointer with `omitempty`). */
    end_timestamp: goTime,
    status: z.string().min(1),
    result: z.number().int(),
    comment: z.string(),
    description: z.string(),
    path: z.string(),
  },
  ['tenant_id', 'job_id', 'start_timestamp', 'status'],
);
export type ObBackupJob = z.output<typeof backupJobSchema>;

export const pageInfoSchema = tolerantObject(
  'page',
  {
    number: counter,
    size: counter,
    total_pages: counter,
    total_elements: counter,
  },
  ['total_elements'],
);

export const backupJobsPageSchema = z.object({
  contents: z
    .array(backupJobSchema)
    .nullable()
    .transform((value) => value ?? []),
  page: pageInfoSchema,
});
export type ObBackupJobsPage = z.output<typeof backupJobsPageSchema>;

// ---- the actions (notes §3; docs/upstreams.md) -------------------------------------------------------

/**
 * `DagDetailDTO`: the agent's asynchronous task that runs a start (`POST …/backup`). Only passed
 * through (its ID and state are shown, never relied on): every field optional, unknown ones dropped.
 */
export const dagDetailSchema = z
  .object({
    id: z.string().optional(),
    dag_id: z.number().optional(),
    name: z.string().optional(),
    state: z.string().optional(),
    operator: z.string().optional(),
    start_time: z.string().optional(),
    end_time: z.string().optional(),
  })
  .nullish();
export type ObDagDetail = z.output<typeof dagDetailSchema>;

/** What an answer without `data` (a cancel) parses to. */
export const noDataSchema = z.unknown();

// ---- recoverability (obshell ≥ 4.3.2.0; docs/upstreams.md "Upstream recoverability endpoints") -------

/**
 * `GET /api/v1/tenant/:name/backup/info`. The "lastest" spelling is the agent's. Every field but
 * the tenant's ID is omitted when there is nothing to say (no backup, no archive round; a delay of 0).
 */
export const backupInfoSchema = z.looseObject({
  tenant_id: z.number().int(),
  /** The newest archive round's checkpoint, whatever its status. */
  lastest_archive_log_checkpoint: goTime.optional(),
  /** The START of the running or newest backup task, whatever its status. */
  lastest_data_backup_time: goTime.optional(),
  /** Seconds behind now (4 decimals). */
  archive_log_delay: z.number().nonnegative().optional(),
});
export type ObBackupInfo = z.output<typeof backupInfoSchema>;

/** One running archive round (`CDB_OB_ARCHIVELOG_SUMMARY`, statuses BEGINNING, DOING, STOPPING, PREPARE, SUSPEND). */
export const archiveLogTaskSchema = tolerantObject(
  'archiveLogTask',
  {
    tenant_id: z.number().int(),
    round_id: z.number().int(),
    status: z.string().min(1),
    path: z.string(),
    /** Seconds behind now. */
    delay: z.number(),
    checkpoint: goTime,
    start_time: goTime,
  },
  ['tenant_id', 'round_id', 'status', 'checkpoint'],
);
export type ObArchiveLogTask = z.output<typeof archiveLogTaskSchema>;

/** `GET /api/v1/tenant/:name/backup/log/tasks`: a Go slice, wrapped. */
export const archiveLogTasksSchema = z.object({
  contents: z
    .array(archiveLogTaskSchema)
    .nullish()
    .transform((value) => value ?? []),
});
