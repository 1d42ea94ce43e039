/**
 * Changing a running simulated fleet: a backup that starts now, as the upstream would then list it.
 * Tests use these to show that cursors stay right while the fleet changes between two requests.
 */
import type { DcsBackupRow, DcsInstanceSim, ObClusterSim, ObJob, RdsBackupRow, RdsInstanceSim } from './fleet.js';
import { Random } from './random.js';
import { compactLocal, dcsTime, GO_ZERO_TIME, goRfc3339Nano, rdsTime } from './timefmt.js';

/** A new DCS backup record (auto, running unless `status` says otherwise), listed newest first. */
export function addDcsBackup(instance: DcsInstanceSim, at: number, status: DcsBackupRow['status'] = 'backuping'): DcsBackupRow {
  const rng = new Random(at);
  const ended = status !== 'waiting' && status !== 'backuping';
  const row: DcsBackupRow = {
    backup_id: rng.uuid(),
    period: null,
    backup_name: `backup_${compactLocal(at)}`,
    instance_id: instance.row.instance_id,
    size: status === 'succeed' ? 1_048_576 : 0,
    backup_type: 'manual',
    created_at: dcsTime(at),
    updated_at: dcsTime(ended ? at + 60_000 : at),
    progress: ended ? '100.00' : '10.00',
    error_code: status === 'failed' ? 'dcs.08.0002' : null,
    remark: 'added by a test',
    status,
    is_support_restore: status === 'succeed' ? 'TRUE' : 'FALSE',
    execution_at: status === 'waiting' ? null : dcsTime(at),
    backup_format: 'rdb',
  };
  instance.backups.unshift({ row, createdMs: at });
  instance.backups.sort((a, b) => b.createdMs - a.createdMs);
  return row;
}

/** A new RDS manual backup (building unless `status` says otherwise). */
export function addRdsBackup(instance: RdsInstanceSim, at: number, status: RdsBackupRow['status'] = 'BUILDING'): RdsBackupRow {
  const rng = new Random(at);
  const suffix = instance.row.id.slice(-2);
  const row: RdsBackupRow = {
    id: `${rng.hex(32)}br${suffix}`,
    name: `${instance.row.name}-manual-${compactLocal(at)}`,
    instance_id: instance.row.id,
    type: 'manual',
    size: status === 'COMPLETED' ? 2048 : 0,
    status,
    begin_time: rdsTime(at),
    end_time: status === 'BUILDING' ? '' : rdsTime(at + 60_000),
    datastore: { type: instance.row.datastore.type, version: instance.row.datastore.version },
  };
  instance.backups.push({ row, beginMs: at });
  instance.backups.sort((a, b) => b.beginMs - a.beginMs);
  return row;
}

/** A new OceanBase backup job of a tenant, running (in CDB_OB_BACKUP_JOBS) unless `status` is terminal. */
export function addObJob(cluster: ObClusterSim, tenantName: string, at: number, status = 'DOING'): ObJob {
  const tenant = cluster.tenants.find((t) => t.row.tenant_name === tenantName);
  if (!tenant) throw new Error(`no tenant ${tenantName}`);
  const jobId = Math.max(0, ...cluster.tenants.flatMap((t) => t.jobs.map((j) => j.job.job_id))) + 1;
  const backupSetId = Math.max(0, ...tenant.jobs.map((j) => j.job.backup_set_id)) + 1;
  const running = !['COMPLETED', 'FAILED', 'CANCELED'].includes(status);
  const startUs = at * 1000;
  const endUs = running ? null : startUs + 60_000_000;
  const path = `file:///tmp/backup/${tenant.row.tenant_id}/backup_set_${backupSetId}_full`;
  const job: ObJob = {
    startMs: at,
    endMs: endUs === null ? null : endUs / 1000,
    running,
    job: {
      tenant_id: tenant.row.tenant_id,
      job_id: jobId,
      backup_set_id: backupSetId,
      plus_archivelog: 'ON',
      backup_type: 'FULL',
      start_timestamp: goRfc3339Nano(startUs),
      ...(endUs === null ? {} : { end_timestamp: goRfc3339Nano(endUs) }),
      status,
      result: status === 'FAILED' ? -9026 : 0,
      comment: status === 'FAILED' ? 'backup device is full' : '',
      description: 'added by a test',
      path,
    },
    task: {
      tenant_id: tenant.row.tenant_id,
      task_id: jobId,
      job_id: jobId,
      incarnation: 1,
      backup_set_id: backupSetId,
      start_timestamp: goRfc3339Nano(startUs),
      end_timestamp: endUs === null ? GO_ZERO_TIME : goRfc3339Nano(endUs),
      status: status === 'DOING' ? 'BACKUP_USER_DATA' : status,
      start_scn: BigInt(startUs) * 1000n,
      end_scn: endUs === null ? 0n : BigInt(endUs) * 1000n,
      user_ls_start_scn: BigInt(startUs) * 1000n + 1_000_000_000n,
      encryption_mode: 'NONE',
      input_bytes: 1_048_576,
      output_bytes: running ? 0 : 262_144,
      output_rate_bytes: 0,
      extra_meta_bytes: 0,
      tablet_count: 100,
      finish_tablet_count: running ? 10 : 100,
      macro_block_count: 10,
      finish_macro_block_count: running ? 1 : 10,
      file_count: running ? 0 : 12,
      meta_turn_id: 1,
      data_turn_id: running ? 0 : 1,
      result: status === 'FAILED' ? -9026 : 0,
      comment: '',
      path,
    },
  };
  tenant.jobs.push(job);
  return job;
}
