/**
 * The agent's backup actions (docs/upstreams.md §1.1, §1.2): the encrypted request body, gin's JSON
 * binding of `param.BackupParam` / `param.BackupStatusParam`, and the backup jobs a start creates
 * and a cancel ends, as they then show in CDB_OB_BACKUP_JOBS / _TASKS and their history views.
 *
 * A started job is INIT at once, DOING (task phases `BACKUP_SYS_META` … `BACKUP_LOG`, counts rising)
 * from 10% of the duration, COMPLETED at the duration. A cancel makes a running job CANCELING at once
 * and CANCELED after 5% of the duration (at least 1 s). The exact order OceanBase moves a job through
 * is not confirmed (docs/upstreams.md §1.1, last paragraph); this is the normal course it describes.
 */
import { createDecipheriv } from 'node:crypto';
import type { ObClusterSim, ObJob, ObTenantSim } from '../fleet.js';
import { fraction, type BackupProgress } from '../progress.js';
import { Random } from '../random.js';
import { GO_ZERO_TIME, goRfc3339Nano } from '../timefmt.js';
import { goBase64Decode } from './crypto.js';

// ---- the body -----------------------------------------------------------------------------------

/**
 * `BodyDecrypt`: base64 → AES-128-CBC under key = Keys[0:16], iv = Keys[16:] → PKCS#7 unpadded.
 * Undefined when it does not decrypt (→ 401 `Common.Unauthorized`). An empty body is left alone
 * (obshell's `PaddingBody` then makes it `{}`); that it is not decrypted is a choice, unconfirmed.
 */
export function decryptBody(body: Buffer, keys: Buffer | null): Buffer | undefined {
  if (body.length === 0) return body;
  if (!keys || keys.length < 32) return undefined;
  try {
    const cipherText = goBase64Decode(body.toString('latin1'));
    if (cipherText.length === 0 || cipherText.length % 16 !== 0) return undefined;
    const decipher = createDecipheriv('aes-128-cbc', keys.subarray(0, 16), keys.subarray(16, 32));
    return Buffer.concat([decipher.update(cipherText), decipher.final()]);
  } catch {
    return undefined;
  }
}

type GoFieldType = 'string' | 'bool';

/**
 * gin's `ShouldBindJSON` into a Go struct of string/bool fields (names matched case-insensitively,
 * unknown ones ignored, `null` leaves the zero value): the values, or the Go error text.
 */
export function bindJson<F extends Record<string, GoFieldType>>(
  body: Buffer,
  goType: string,
  fields: F,
): { values: { [K in keyof F]?: F[K] extends 'bool' ? boolean : string } } | { bindError: string } {
  const text = body.length === 0 ? '{}' : body.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const first = text.trimStart()[0];
    return {
      bindError: first === undefined || '{["-0123456789tfn'.includes(first) ? 'unexpected EOF' : `invalid character '${first}' looking for beginning of value`,
    };
  }
  const values: Record<string, string | boolean> = {};
  if (value === null) return { values: values as never };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { bindError: `json: cannot unmarshal ${goKind(value)} into Go value of type param.${goType}` };
  }
  for (const [key, fieldValue] of Object.entries(value)) {
    const name = Object.keys(fields).find((f) => f.toLowerCase() === key.toLowerCase());
    if (name === undefined || fieldValue === null) continue;
    const type = fields[name]!;
    if (goKind(fieldValue) !== type)
      return { bindError: `json: cannot unmarshal ${goKind(fieldValue)} into Go struct field ${goType}.${name} of type ${type}` };
    values[name] = fieldValue as string | boolean;
  }
  return { values: values as never };
}

function goKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value; // 'string' | 'number' | 'object'
}

// ---- the jobs -------------------------------------------------------------------------------------

export type BackupMode = 'full' | 'incremental';

/** Still in CDB_OB_BACKUP_JOBS: what `ALTER SYSTEM BACKUP` would refuse and `CANCEL BACKUP` acts on. */
export function runningJob(tenant: ObTenantSim): ObJob | undefined {
  return tenant.jobs.find((j) => j.running);
}

/** Where the tenant's backup sets go: `data_backup_dest`, or that of its existing backups. */
function dataDest(cluster: ObClusterSim, tenant: ObTenantSim): string {
  if (typeof tenant.dataBackupDest === 'string' && tenant.dataBackupDest !== '') return tenant.dataBackupDest.replace(/\/+$/, '');
  const latest = tenant.jobs.at(-1);
  if (latest) return latest.job.path.replace(/\/backup_set_[^/]*$/, '');
  return `file:///data/backup/${cluster.clusterName}/${tenant.row.tenant_id}/data`;
}

/** Sub-states of a DOING task, in order, each from this fraction of the DOING stretch. */
const PHASES: [number, string][] = [
  [0, 'BACKUP_SYS_META'],
  [0.1, 'BACKUP_USER_META'],
  [0.2, 'BACKUP_META_FINISH'],
  [0.25, 'BACKUP_DATA_SYS'],
  [0.35, 'BACKUP_DATA_MINOR'],
  [0.6, 'BACKUP_DATA_MAJOR'],
  [0.9, 'BEFORE_BACKUP_LOG'],
  [0.95, 'BACKUP_LOG'],
];

function phaseAt(p: number): string {
  let phase = PHASES[0]![1];
  for (const [from, name] of PHASES) if (p >= from) phase = name;
  return phase;
}

const CANCEL_STATES = new Set(['CANCELING', 'CANCELED']);

/**
 * `ALTER SYSTEM BACKUP [INCREMENTAL] TENANT = t`: a new job (INIT), moved along by `progress`.
 * The row shapes are those of `addObJob` (mutate.ts) and the demo fleet.
 */
export function startJob(
  cluster: ObClusterSim,
  tenant: ObTenantSim,
  options: { mode: BackupMode; plusArchive: boolean; encrypted: boolean },
  progress: BackupProgress,
): ObJob {
  const at = progress.clock.now();
  const jobId = Math.max(0, ...cluster.tenants.flatMap((t) => t.jobs.map((j) => j.job.job_id))) + 1;
  const backupSetId = Math.max(0, ...tenant.jobs.map((j) => j.job.backup_set_id)) + 1;
  const type = options.mode === 'incremental' ? 'INC' : 'FULL';
  const rng = new Random(at + jobId * 7919);
  const startUs = at * 1000 + rng.int(0, 999);
  const startScn = BigInt(startUs) * 1000n + BigInt(rng.int(0, 999));
  const path = `${dataDest(cluster, tenant)}/backup_set_${backupSetId}_${type.toLowerCase()}`;
  const inputBytes = (type === 'FULL' ? rng.int(50, 900) : rng.int(5, 90)) * 1024 * 1024 + rng.int(0, 1_048_575);
  const ratio = 0.12 + rng.next() * 0.2;
  const tablets = rng.int(200, 1200);
  const macro = rng.int(40, 400);
  const files = rng.int(10, 80);
  const extraMeta = rng.int(0, 4096);
  const job: ObJob = {
    startMs: at,
    endMs: null,
    running: true,
    job: {
      tenant_id: tenant.row.tenant_id,
      job_id: jobId,
      backup_set_id: backupSetId,
      plus_archivelog: options.plusArchive ? 'ON' : 'OFF',
      backup_type: type,
      start_timestamp: goRfc3339Nano(startUs),
      status: 'INIT',
      result: 0,
      comment: '',
      description: '',
      path,
    },
    task: {
      tenant_id: tenant.row.tenant_id,
      task_id: jobId,
      job_id: jobId,
      incarnation: 1,
      backup_set_id: backupSetId,
      start_timestamp: goRfc3339Nano(startUs),
      end_timestamp: GO_ZERO_TIME,
      status: 'INIT',
      start_scn: startScn,
      end_scn: 0n,
      user_ls_start_scn: startScn + BigInt(rng.int(1, 30)) * 1_000_000_000n,
      encryption_mode: options.encrypted ? 'PASSWORD' : 'NONE',
      input_bytes: inputBytes,
      output_bytes: 0,
      output_rate_bytes: 0,
      extra_meta_bytes: 0,
      tablet_count: tablets,
      finish_tablet_count: 0,
      macro_block_count: macro,
      finish_macro_block_count: 0,
      file_count: 0,
      meta_turn_id: 1,
      data_turn_id: 0,
      result: 0,
      comment: '',
      path,
    },
  };
  tenant.jobs.push(job);

  const doingAt = at + progress.queuedMs;
  const doneAt = at + progress.durationMs;
  progress.add((now) => {
    // A cancel took the job over (its own timeline ends it).
    if (CANCEL_STATES.has(job.job.status)) return true;
    const { task } = job;
    if (now < doingAt) return false;
    const done = now >= doneAt;
    const p = fraction(now, doingAt, doneAt);
    const elapsedS = Math.max((Math.min(now, doneAt) - at) / 1000, 1);
    task.output_bytes = Math.floor(inputBytes * ratio * p);
    task.output_rate_bytes = Math.round((task.output_bytes / elapsedS) * 10_000) / 10_000;
    task.finish_tablet_count = Math.floor(tablets * p);
    task.finish_macro_block_count = Math.floor(macro * p);
    task.file_count = Math.floor(files * p);
    if (!done) {
      job.job.status = 'DOING';
      task.status = phaseAt(p);
      return false;
    }
    const endUs = doneAt * 1000 + rng.int(0, 999);
    job.running = false;
    job.endMs = doneAt;
    job.job.status = 'COMPLETED';
    job.job.end_timestamp = goRfc3339Nano(endUs);
    task.status = 'COMPLETED';
    task.end_timestamp = goRfc3339Nano(endUs);
    task.end_scn = BigInt(endUs) * 1000n + BigInt(rng.int(0, 999));
    task.extra_meta_bytes = extraMeta;
    task.data_turn_id = 1;
    return true;
  });
  return job;
}

/**
 * `ALTER SYSTEM CANCEL BACKUP TENANT = t` on the tenant's running job: CANCELING now, CANCELED a
 * short time later. A job already CANCELING is left as it is (the demo fleet's stays so).
 */
export function cancelJob(job: ObJob, progress: BackupProgress): void {
  if (CANCEL_STATES.has(job.job.status)) return;
  const at = progress.clock.now();
  const canceledAt = at + progress.shortMs;
  job.job.status = 'CANCELING';
  job.task.status = 'CANCELING';
  progress.add((now) => {
    if (now < canceledAt) return false;
    const endUs = canceledAt * 1000;
    job.running = false;
    job.endMs = canceledAt;
    job.job.status = 'CANCELED';
    job.job.end_timestamp = goRfc3339Nano(endUs);
    job.task.status = 'CANCELED';
    job.task.end_timestamp = goRfc3339Nano(endUs);
    job.task.end_scn = BigInt(endUs) * 1000n;
    return true;
  });
}

// ---- the DAG ----------------------------------------------------------------------------------------

/**
 * `task.DagDetailDTO` of a new DAG (`NewDagDetailDTO`): stage 1 of 4, READY, RUN; `nodes` and
 * `additional_data` null. The times in this first answer are not confirmed: `start_time` is now
 * (the table's CURRENT_TIMESTAMP default) and `end_time` Go's zero time (not finished), a choice.
 */
export function dagDetail(dagId: number, name: string, now: number): Record<string, unknown> {
  return {
    id: `1${dagId}`,
    dag_id: dagId,
    name,
    stage: 1,
    max_stage: 4,
    maintenance_type: 1,
    maintenance_key: '',
    state: 'READY',
    operator: 'RUN',
    start_time: goRfc3339Nano(now * 1000),
    end_time: GO_ZERO_TIME,
    additional_data: null,
    nodes: null,
  };
}
