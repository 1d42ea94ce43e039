/**
 * The demo fleet: OceanBase clusters (obshell agents), and a Huawei Cloud account with DCS and RDS
 * instances in two projects, with months of backups. Generated deterministically from a seed and
 * a reference time, so tests and demos see the same data for the same inputs.
 *
 * Rows are kept in the upstreams' wire shapes (snake_case, their own time formats and units);
 * each row also carries the epoch times the simulators filter and sort on.
 */
import { Random } from './random.js';
import { defaultArchivePath, oldestCompletedEndMs } from './recoverability.js';
import { compactLocal, dcsTime, GO_ZERO_TIME, goRfc3339Nano, rdsTime } from './timefmt.js';

export const DEFAULT_SEED = 20241012;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;

// ---- OceanBase (obshell) rows --------------------------------------------------------------------

export interface ObConnectionStringRow {
  type: string;
  obproxy_address: string;
  obproxy_port: number;
  connection_string: string;
}

/** `GET /api/v1/tenants/overview` item (obshell TenantOverview). */
export interface ObTenantRow {
  tenant_id: number;
  tenant_name: string;
  mode: 'MYSQL' | 'ORACLE';
  status: string;
  locked: 'YES' | 'NO';
  primary_zone: string;
  locality: string;
  in_recyclebin: 'YES' | 'NO';
  created_time: string;
  read_only: boolean;
  comment: string;
  connection_strings: ObConnectionStringRow[];
}

/** CdbObBackupTask: what the backup overview endpoints return. SCNs are bigint (> 2^53). */
export interface ObBackupTaskRow {
  tenant_id: number;
  task_id: number;
  job_id: number;
  incarnation: number;
  backup_set_id: number;
  start_timestamp: string;
  end_timestamp: string;
  status: string;
  start_scn: bigint;
  end_scn: bigint;
  user_ls_start_scn: bigint;
  encryption_mode: string;
  input_bytes: number;
  output_bytes: number;
  output_rate_bytes: number;
  extra_meta_bytes: number;
  tablet_count: number;
  finish_tablet_count: number;
  macro_block_count: number;
  finish_macro_block_count: number;
  file_count: number;
  meta_turn_id: number;
  data_turn_id: number;
  result: number;
  comment: string;
  path: string;
}

/** BackupJob: an item of `GET /api/v1/tenant/:name/backup/tasks`. */
export interface ObBackupJobRow {
  tenant_id: number;
  job_id: number;
  backup_set_id: number;
  plus_archivelog: 'ON' | 'OFF';
  backup_type: 'FULL' | 'INC';
  start_timestamp: string;
  end_timestamp?: string;
  status: string;
  result: number;
  comment: string;
  description: string;
  path: string;
}

export interface ObJob {
  job: ObBackupJobRow;
  task: ObBackupTaskRow;
  startMs: number;
  endMs: number | null;
  /** Still in CDB_OB_BACKUP_JOBS / _TASKS (not yet in the history views). */
  running: boolean;
}

/** The tenant's newest log archive round (CDB_OB_ARCHIVELOG_SUMMARY), as `/backup/info` and `/backup/log/tasks` read it. */
export interface ObArchiveSim {
  roundId: number;
  /** The round's status (observer states): DOING, BEGINNING, PREPARE, STOPPING, SUSPEND are listed by /backup/log/tasks; STOP and INTERRUPTED are not. */
  status: 'DOING' | 'BEGINNING' | 'PREPARE' | 'STOPPING' | 'SUSPEND' | 'STOP' | 'INTERRUPTED';
  /** When the round started (epoch ms). */
  startMs: number;
  /** A round that runs: its checkpoint is this far behind the stack clock's now (ms). */
  lagMs?: number;
  /** A round that ended (STOP, INTERRUPTED, or any status when given): where its checkpoint stands (epoch ms). */
  checkpointMs?: number;
  path: string;
}

export interface ObTenantSim {
  row: ObTenantRow;
  /** Oldest first. */
  jobs: ObJob[];
  /**
   * `data_backup_dest` (CDB_OB_BACKUP_PARAMETER). Absent: configured (where the tenant's backups
   * already go); null or '': not set, so a backup start answers `OB.Backup.DataDestEmpty`.
   */
  dataBackupDest?: string | null;
  /** `log_archive_dest` (CDB_OB_ARCHIVE_DEST). Absent: configured; null or '': `OB.Backup.ArchiveDestEmpty`. */
  logArchiveDest?: string | null;
  /**
   * The newest archive round. Absent: a DOING round 1 from the oldest job's start (or 30 days
   * before now), 20 s behind, at `file:///data/archive/<tenant_id>`; null: never archived
   * (recoverability.ts `obArchiveAt`).
   */
  archive?: ObArchiveSim | null;
}

export interface ObClusterSim {
  /** The name demo configurations give this cluster's source. */
  name: string;
  clusterName: string;
  /** root@sys password the agent checks `X-OCS-Header` against. */
  password: string;
  agent: {
    ip: string;
    port: number;
    zone: string;
    version: string;
    obVersion: string;
    homePath: string;
    pid: number;
    startAtNs: bigint;
  };
  tenants: ObTenantSim[];
}

// ---- Huawei Cloud rows --------------------------------------------------------------------------

export interface DcsInstanceRow {
  instance_id: string;
  name: string;
  engine: string;
  engine_version: string;
  status: string;
  sub_status: string;
  description: string;
  enterprise_project_id: string;
  user_id: string;
  user_name: string;
  tags: { key: string; value: string }[];
  capacity: number;
  capacity_minor: string;
  max_memory: number;
  used_memory: number;
  spec_code: string;
  cpu_type: string;
  az_codes: string[];
  features: { support_acl: boolean; support_transparent_client_ip: boolean; support_ssl: boolean; support_audit_log: boolean };
  ip: string;
  port: number;
  domain_name: string;
  readonly_domain_name: string | null;
  access_user: string | null;
  no_password_access: string;
  vpc_id: string;
  vpc_name: string;
  subnet_id: string;
  security_group_id: string;
  publicip_id: string | null;
  publicip_address: string | null;
  enable_publicip: boolean;
  enable_ssl: boolean;
  charging_mode: number;
  order_id: string | null;
  created_at: string;
  updated_at: string;
  maintain_begin: string;
  maintain_end: string;
  service_upgrade: boolean;
  service_task_id: string;
}

export interface DcsBackupRow {
  backup_id: string;
  period: string | null;
  backup_name: string;
  instance_id: string;
  size: number;
  backup_type: 'manual' | 'auto';
  created_at: string;
  updated_at: string;
  progress: string;
  error_code: string | null;
  remark: string | null;
  status: 'waiting' | 'backuping' | 'succeed' | 'failed' | 'expired' | 'deleted';
  is_support_restore: 'TRUE' | 'FALSE';
  execution_at: string | null;
  backup_format: 'aof' | 'rdb';
}

export interface DcsBackupSim {
  row: DcsBackupRow;
  createdMs: number;
}

export interface DcsInstanceSim {
  row: DcsInstanceRow;
  /** Newest first. */
  backups: DcsBackupSim[];
}

export interface RdsInstanceRow {
  id: string;
  name: string;
  status: string;
  alias: string;
  type: 'Single' | 'Ha' | 'Replica';
  region: string;
  enterprise_project_id: string;
  tags: { key: string; value: string }[];
  associated_with_ddm: boolean;
  read_only_by_user: boolean;
  private_ips: string[];
  public_ips: string[];
  private_dns_names: string[];
  public_dns_names: string[];
  port: number;
  enable_ssl: boolean;
  vpc_id: string;
  subnet_id: string;
  security_group_id: string;
  created: string;
  updated: string;
  expiration_time?: string;
  time_zone: string;
  datastore: { type: string; version: string; complete_version: string };
  ha?: { replication_mode: string };
  switch_strategy: string;
  db_user_name: string;
  maintenance_window: string;
  nodes: { id: string; name: string; role: string; status: string; availability_zone: string }[];
  related_instance: { id: string; type: string }[];
  backup_strategy: { start_time: string; keep_days: number };
  backup_used_space: number;
  storage_used_space: number;
  flavor_ref: string;
  cpu: string;
  mem: string;
  volume: { type: string; size: number };
  max_iops: number;
  disk_encryption_id: string;
  charge_info: { charge_mode: 'prePaid' | 'postPaid' };
  order_id?: string;
}

export interface RdsBackupRow {
  id: string;
  name: string;
  instance_id: string;
  type: 'auto' | 'manual' | 'fragment' | 'incremental';
  size: number;
  status: 'BUILDING' | 'COMPLETED' | 'FAILED' | 'DELETING';
  begin_time: string;
  end_time: string;
  datastore: { type: string; version: string };
  databases?: { name: string }[];
  associated_with_ddm?: boolean;
}

export interface RdsBackupSim {
  row: RdsBackupRow;
  beginMs: number;
}

export interface RdsInstanceSim {
  row: RdsInstanceRow;
  /** A FlexusRDS instance: listed only with `group_type=flexus`, and only then. */
  flexus: boolean;
  /** Newest first. */
  backups: RdsBackupSim[];
  /**
   * What `restore-time` answers: each window's end is `endMs ?? now - endLagMs`. Absent: one
   * window from the end of the oldest COMPLETED backup to now − 5 min, none without a completed
   * backup (recoverability.ts `rdsRestoreWindowsAt`).
   */
  restoreWindows?: { startMs: number; endMs?: number; endLagMs?: number }[];
}

export interface HuaweiProjectSim {
  /** The name demo configurations give this project's source. */
  name: string;
  projectId: string;
  region: string;
  dcs: DcsInstanceSim[];
  rds: RdsInstanceSim[];
}

export interface HuaweiAccountSim {
  accessKey: string;
  secretKey: string;
  /** An IAM token scoped to every project of the account. */
  token: string;
  projects: HuaweiProjectSim[];
}

export interface Fleet {
  seed: number;
  now: number;
  oceanbase: ObClusterSim[];
  huawei: HuaweiAccountSim;
}

/**
 * A generated fleet of a given size instead of the hand-written demo fleet: for tests and
 * benchmarks at scale. Every target gets a plan drawn from the seed: most back up on schedule,
 * some fail, run, stopped backing up days ago, or never backed up.
 */
export interface FleetSize {
  /** OceanBase clusters (one obshell agent each). */
  clusters: number;
  /** User tenants per cluster (plus `sys`). */
  tenantsPerCluster: number;
  /** Huawei Cloud projects (one source each). */
  projects: number;
  dcsPerProject: number;
  rdsPerProject: number;
  /** Days of backup history per target. Default 30. */
  historyDays?: number;
}

export interface FleetOptions {
  seed?: number;
  /** Reference time the history ends at (epoch ms), rounded down to the minute. */
  now: number;
  /** Generate a fleet of this size instead of the demo fleet. */
  size?: FleetSize;
}

export function generateFleet(options: FleetOptions): Fleet {
  const seed = options.seed ?? DEFAULT_SEED;
  const now = Math.floor(options.now / MINUTE) * MINUTE;
  const rng = new Random(seed);
  const clusters = options.size ? sizedClusters(new Random(seed + 1), options.size) : OB_CLUSTERS;
  const projects = options.size ? sizedProjects(new Random(seed + 2), options.size) : PROJECTS;
  const fleet: Fleet = {
    seed,
    now,
    oceanbase: clusters.map((plan, i) => generateObCluster(rng, now, plan, i)),
    huawei: generateHuawei(rng, now, projects),
  };
  addRecoverability(fleet);
  return fleet;
}

/**
 * The demo's recoverability troubles, chosen by position (no random draw, so the rest of the
 * fleet stays as it was), on top of the defaults every other tenant and instance keeps:
 * - first cluster: the 2nd user tenant's archive lags 3 h; the 3rd's round is STOP, its
 *   checkpoint 2 days before now;
 * - second cluster: the 1st user tenant's round is INTERRUPTED, checkpoint 5 h before now;
 * - first Huawei project: the 1st RDS instance with a completed backup has a gap (restorable up
 *   to now − 3 d, and again from now − 2 d to now − 5 min); the 2nd one's window ends 3 h
 *   behind now.
 */
function addRecoverability(fleet: Fleet): void {
  const now = fleet.now;
  const round = (tenant: ObTenantSim | undefined, archive: Omit<ObArchiveSim, 'roundId' | 'startMs' | 'path'>) => {
    if (!tenant) return;
    const oldest = tenant.jobs.reduce((min, j) => Math.min(min, j.startMs), Infinity);
    tenant.archive = { roundId: 1, startMs: Number.isFinite(oldest) ? oldest : now - 30 * DAY, path: defaultArchivePath(tenant), ...archive };
  };
  const users = (cluster: ObClusterSim | undefined) => (cluster?.tenants ?? []).filter((t) => t.row.tenant_name !== 'sys');
  const first = users(fleet.oceanbase[0]);
  round(first[1], { status: 'DOING', lagMs: 3 * HOUR });
  round(first[2], { status: 'STOP', checkpointMs: now - 2 * DAY });
  round(users(fleet.oceanbase[1])[0], { status: 'INTERRUPTED', checkpointMs: now - 5 * HOUR });

  const withBackups = (fleet.huawei.projects[0]?.rds ?? []).filter((i) => oldestCompletedEndMs(i) !== undefined);
  const [gap, lagging] = withBackups;
  if (gap) {
    const start = oldestCompletedEndMs(gap)!;
    gap.restoreWindows = [
      { startMs: start, endMs: now - 3 * DAY },
      { startMs: now - 2 * DAY, endLagMs: 5 * MINUTE },
    ];
  }
  if (lagging) lagging.restoreWindows = [{ startMs: oldestCompletedEndMs(lagging)!, endLagMs: 3 * HOUR }];
}

/** A plan's outcome for generated fleets: mostly healthy, with every kind of trouble. */
function draw<T extends string>(rng: Random, weights: Record<T, number>): T {
  const total = Object.values<number>(weights).reduce((a, b) => a + b, 0);
  let x = rng.next() * total;
  for (const [key, w] of Object.entries<number>(weights)) {
    x -= w;
    if (x < 0) return key as T;
  }
  return Object.keys(weights)[0] as T;
}

function sizedClusters(rng: Random, size: FleetSize): ObClusterPlan[] {
  const days = size.historyDays ?? 30;
  return Array.from({ length: size.clusters }, (_, c) => ({
    name: `ob-${String(c + 1).padStart(2, '0')}`,
    clusterName: `obcluster-${c + 1}`,
    ip: `10.${50 + Math.floor(c / 250)}.${c % 250}.11`,
    zone: `zone${(c % 3) + 1}`,
    version: '4.4.2.0',
    obVersion: '4.3.5.2',
    dest: `oss://obbackup-${c + 1}/backup`,
    tenants: Array.from({ length: size.tenantsPerCluster }, (_, t): ObTenantPlan => {
      const outcome = draw(rng, { completed: 70, failed: 8, running: 6, pending: 3, canceled: 3, never: 5, stale: 5 });
      return {
        id: 1002 + 2 * t,
        name: `tenant_${String(t + 1).padStart(3, '0')}`,
        mode: rng.chance(0.2) ? 'ORACLE' : 'MYSQL',
        days: outcome === 'never' ? 0 : days,
        schedule:
          outcome === 'never' ? [] : [{ hour: rng.int(0, 6), type: 'FULL' }, ...(rng.chance(0.4) ? [{ hour: rng.int(12, 18), type: 'INC' as const }] : [])],
        latest: outcome === 'stale' ? 'completed' : outcome,
        ...(outcome === 'running' ? { runningPhase: rng.pick(['BACKUP_USER_DATA', 'BACKUP_SYS_META', 'DOING']) } : {}),
        ...(outcome === 'stale' ? { stoppedDaysAgo: rng.int(2, 10) } : {}),
      };
    }),
  }));
}

function sizedProjects(rng: Random, size: FleetSize): typeof PROJECTS {
  const days = size.historyDays ?? 30;
  const regions = ['cn-north-4', 'cn-east-3', 'cn-south-1', 'ap-southeast-1', 'ap-southeast-3', 'eu-west-101'];
  return Array.from({ length: size.projects }, (_, p) => {
    const region = regions[p % regions.length]!;
    const tag = `p${String(p + 1).padStart(2, '0')}`;
    return {
      name: `hw-${tag}-${region}`,
      region,
      dcs: Array.from({ length: size.dcsPerProject }, (_, i): DcsPlan => {
        const outcome = draw(rng, { ok: 75, failed: 7, backuping: 5, waiting: 3, never: 5, stale: 5 });
        return {
          name: `dcs-${tag}-${String(i + 1).padStart(3, '0')}`,
          engine: 'Redis',
          version: rng.pick(['5.0', '6.0', '7.0']),
          capacity: rng.pick([1, 2, 4, 8]),
          spec: 'redis.ha.xu1.large.r2.4',
          perDay: outcome === 'never' ? 0 : rng.pick([1, 1, 2]),
          days: outcome === 'never' ? 0 : days,
          format: rng.pick(['rdb', 'aof'] as const),
          manual: rng.int(0, 2),
          ...(outcome === 'failed' || outcome === 'backuping' || outcome === 'waiting' ? { now: outcome } : {}),
          ...(outcome === 'stale' ? { stoppedDaysAgo: rng.int(2, 10) } : {}),
        };
      }),
      rds: Array.from({ length: size.rdsPerProject }, (_, i): RdsPlan => {
        const outcome = draw(rng, { ok: 75, failed: 7, building: 6, never: 5, stale: 7 });
        const engine = rng.pick(['MySQL', 'PostgreSQL', 'SQLServer'] as const);
        return {
          name: `rds-${tag}-${String(i + 1).padStart(3, '0')}`,
          engine,
          version: engine === 'SQLServer' ? '2019_SE' : engine === 'MySQL' ? '8.0' : '15',
          complete: engine === 'SQLServer' ? '2019_SE.15.0.4236' : engine === 'MySQL' ? '8.0.32.2' : '15.4.0',
          type: rng.chance(0.7) ? 'Ha' : 'Single',
          days: outcome === 'never' ? 0 : days,
          keepDays: 7,
          incrementalPerDay: engine === 'SQLServer' ? 0 : rng.pick([0, 0, 1, 4]),
          manual: rng.int(0, 1),
          ...(outcome === 'failed' || outcome === 'building' ? { now: outcome } : {}),
          ...(outcome === 'stale' ? { stoppedDaysAgo: rng.int(2, 10) } : {}),
          // One MySQL instance in four is a FlexusRDS one (not drawn: the rest of the fleet stays as it was).
          ...(engine === 'MySQL' && i % 4 === 3 ? { flexus: true } : {}),
        };
      }),
    };
  });
}

// ---- OceanBase generation -----------------------------------------------------------------------

/** How a tenant's newest job stands: finished (completed, failed, canceled), in flight (pending = INIT, running, canceling), or none at all. */
type ObLatest = 'completed' | 'failed' | 'canceled' | 'pending' | 'running' | 'canceling' | 'never';

interface ObTenantPlan {
  id: number;
  name: string;
  mode: 'MYSQL' | 'ORACLE';
  days: number;
  /** Local hours (UTC+8) at which a job starts each day, with its type. */
  schedule: { hour: number; type: 'FULL' | 'INC' }[];
  latest: ObLatest;
  /** Status of the running task when `latest` is `running`. */
  runningPhase?: string;
  comment?: string;
  /** The schedule stopped this many days ago: no job since. */
  stoppedDaysAgo?: number;
}

interface ObClusterPlan {
  name: string;
  clusterName: string;
  ip: string;
  zone: string;
  version: string;
  obVersion: string;
  dest: string;
  tenants: ObTenantPlan[];
}

const OB_CLUSTERS: ObClusterPlan[] = [
  {
    name: 'ob-hangzhou',
    clusterName: 'obcluster-hz',
    ip: '10.12.0.11',
    zone: 'zone1',
    version: '4.4.2.0',
    obVersion: '4.3.5.2',
    dest: 'oss://obbackup-hz/backup',
    tenants: [
      {
        id: 1002,
        name: 'trade',
        mode: 'MYSQL',
        days: 130,
        schedule: [
          { hour: 2, type: 'FULL' },
          { hour: 14, type: 'INC' },
        ],
        latest: 'running',
        runningPhase: 'BACKUP_USER_DATA',
        comment: 'order and payment core',
      },
      { id: 1004, name: 'billing', mode: 'MYSQL', days: 120, schedule: [{ hour: 3, type: 'FULL' }], latest: 'failed', comment: 'invoices' },
      { id: 1006, name: 'analytics', mode: 'MYSQL', days: 0, schedule: [], latest: 'never', comment: 'reporting sandbox' },
      { id: 1008, name: 'crm', mode: 'ORACLE', days: 90, schedule: [{ hour: 1, type: 'FULL' }], latest: 'completed', comment: '' },
      { id: 1010, name: 'audit', mode: 'MYSQL', days: 30, schedule: [{ hour: 6, type: 'FULL' }], latest: 'pending', comment: 'compliance archive' },
    ],
  },
  {
    name: 'ob-shanghai',
    clusterName: 'obcluster-sh',
    ip: '10.34.0.21',
    zone: 'zone2',
    version: '4.4.2.0',
    obVersion: '4.3.5.2',
    dest: 'file:///data/nfs/obbackup-sh',
    tenants: [
      { id: 1002, name: 'orders', mode: 'MYSQL', days: 100, schedule: [{ hour: 0, type: 'FULL' }], latest: 'completed', comment: '' },
      {
        id: 1004,
        name: 'inventory',
        mode: 'MYSQL',
        days: 75,
        schedule: [
          { hour: 4, type: 'FULL' },
          { hour: 16, type: 'INC' },
        ],
        latest: 'running',
        runningPhase: 'DOING',
        comment: 'warehouse stock',
      },
      { id: 1006, name: 'ledger', mode: 'ORACLE', days: 60, schedule: [{ hour: 2, type: 'FULL' }], latest: 'canceled', comment: '' },
      { id: 1008, name: 'staging', mode: 'MYSQL', days: 0, schedule: [], latest: 'never', comment: 'scratch tenant' },
      { id: 1010, name: 'hr', mode: 'MYSQL', days: 45, schedule: [{ hour: 5, type: 'FULL' }], latest: 'failed', comment: '' },
      { id: 1012, name: 'payroll', mode: 'ORACLE', days: 40, schedule: [{ hour: 3, type: 'FULL' }], latest: 'canceling', comment: '' },
    ],
  },
];

const OB_FAILURES = [
  { result: -4012, comment: 'Timeout' },
  { result: -9026, comment: 'backup device is full' },
  { result: -9071, comment: 'io error on backup destination' },
];

function generateObCluster(rng: Random, now: number, plan: ObClusterPlan, index: number): ObClusterSim {
  const sysCreatedUs = (now - 400 * DAY) * 1000 + rng.int(0, 999_999);
  const sys: ObTenantSim = {
    row: tenantRow(plan, { id: 1, name: 'sys', mode: 'MYSQL', comment: 'system tenant' }, sysCreatedUs),
    jobs: [],
  };
  let jobId = 0;
  const tenants = [sys];
  // Job IDs are cluster-wide and chronological: generate every tenant's job times first.
  const planned: { tenant: ObTenantPlan; startMs: number; type: 'FULL' | 'INC'; isLast: boolean }[] = [];
  for (const tenant of plan.tenants) {
    const starts: { startMs: number; type: 'FULL' | 'INC' }[] = [];
    for (let day = tenant.days; day >= 0; day--) {
      for (const slot of tenant.schedule) {
        const startMs = localMidnight(now) - day * DAY + slot.hour * HOUR + rng.int(0, 59) * 1000 + rng.int(0, 999);
        if (startMs < now - Math.max(10 * MINUTE, (tenant.stoppedDaysAgo ?? 0) * DAY)) starts.push({ startMs, type: slot.type });
      }
    }
    starts.forEach((s, i) => planned.push({ tenant, ...s, isLast: i === starts.length - 1 }));
  }
  planned.sort((a, b) => a.startMs - b.startMs);
  const byTenant = new Map<number, ObJob[]>();
  const setIds = new Map<number, number>();
  for (const p of planned) {
    jobId++;
    const backupSetId = (setIds.get(p.tenant.id) ?? 0) + 1;
    setIds.set(p.tenant.id, backupSetId);
    const random = rng.chance(0.04) ? 'failed' : rng.chance(0.01) ? 'canceled' : 'completed';
    const outcome = p.isLast && p.tenant.latest !== 'never' ? p.tenant.latest : random;
    const job = obJob(rng, now, plan, p.tenant, jobId, backupSetId, p.startMs, p.type, outcome);
    const list = byTenant.get(p.tenant.id) ?? [];
    list.push(job);
    byTenant.set(p.tenant.id, list);
  }
  for (const tenant of plan.tenants) {
    const created = (now - (tenant.days + 30) * DAY) * 1000 + rng.int(0, 999_999);
    tenants.push({ row: tenantRow(plan, tenant, created), jobs: byTenant.get(tenant.id) ?? [] });
  }
  return {
    name: plan.name,
    clusterName: plan.clusterName,
    password: `Ob#${rng.hex(12)}`,
    agent: {
      ip: plan.ip,
      port: 2886,
      zone: plan.zone,
      version: plan.version,
      obVersion: plan.obVersion,
      homePath: `/home/admin/oceanbase-${index + 1}`,
      pid: rng.int(2000, 60000),
      startAtNs: BigInt(now - 3 * DAY) * 1_000_000n + BigInt(rng.int(0, 999_999)),
    },
    tenants,
  };
}

function tenantRow(plan: ObClusterPlan, t: { id: number; name: string; mode: 'MYSQL' | 'ORACLE'; comment?: string }, createdUs: number): ObTenantRow {
  return {
    tenant_id: t.id,
    tenant_name: t.name,
    mode: t.mode,
    status: 'NORMAL',
    locked: 'NO',
    primary_zone: 'RANDOM',
    locality: `FULL{1}@${plan.zone}`,
    in_recyclebin: 'NO',
    created_time: goRfc3339Nano(createdUs),
    read_only: false,
    comment: t.comment ?? '',
    connection_strings: [
      {
        type: 'DIRECT',
        obproxy_address: '',
        obproxy_port: 0,
        connection_string: `obclient -h${plan.ip} -P2881 -uroot@${t.name} -p`,
      },
    ],
  };
}

function obJob(
  rng: Random,
  now: number,
  plan: ObClusterPlan,
  tenant: ObTenantPlan,
  jobId: number,
  backupSetId: number,
  startMs: number,
  type: 'FULL' | 'INC',
  outcome: Exclude<ObLatest, 'never'>,
): ObJob {
  const startUs = startMs * 1000 + rng.int(0, 999);
  // In flight: still in CDB_OB_BACKUP_JOBS / _TASKS, with no end yet.
  const running = outcome === 'running' || outcome === 'pending' || outcome === 'canceling';
  const durationMs = (type === 'FULL' ? rng.int(90, 900) : rng.int(20, 200)) * 1000 + rng.int(0, 999);
  const endMs = running ? null : Math.min(startMs + durationMs, now - MINUTE);
  const endUs = endMs === null ? null : endMs * 1000 + rng.int(0, 999);
  const failure = outcome === 'failed' ? rng.pick(OB_FAILURES) : null;
  const jobStatus = { completed: 'COMPLETED', failed: 'FAILED', canceled: 'CANCELED', pending: 'INIT', running: 'DOING', canceling: 'CANCELING' }[outcome];
  const taskStatus = outcome === 'running' ? (tenant.runningPhase ?? 'DOING') : jobStatus;
  const path = `${plan.dest}/${plan.clusterName}/${tenant.id}/data/backup_set_${backupSetId}_${type.toLowerCase()}`;
  const inputBytes = rng.int(50, 900) * 1024 * 1024 + rng.int(0, 1_048_575);
  const ratio = 0.12 + rng.next() * 0.2;
  const complete = outcome === 'completed';
  const progress = complete ? 1 : outcome === 'pending' ? 0 : running ? 0.3 + rng.next() * 0.5 : rng.next() * 0.9;
  const outputBytes = Math.floor(inputBytes * ratio * progress);
  const tablets = rng.int(200, 1200);
  const macro = rng.int(40, 400);
  const elapsedS = ((endMs ?? now) - startMs) / 1000;
  const startScn = BigInt(startUs) * 1000n + BigInt(rng.int(0, 999));
  const endScn = endUs === null ? 0n : BigInt(endUs) * 1000n + BigInt(rng.int(0, 999));
  const task: ObBackupTaskRow = {
    tenant_id: tenant.id,
    task_id: jobId,
    job_id: jobId,
    incarnation: 1,
    backup_set_id: backupSetId,
    start_timestamp: goRfc3339Nano(startUs),
    end_timestamp: endUs === null ? GO_ZERO_TIME : goRfc3339Nano(endUs),
    status: taskStatus,
    start_scn: startScn,
    end_scn: endScn,
    user_ls_start_scn: startScn + BigInt(rng.int(1, 30)) * 1_000_000_000n + BigInt(rng.int(0, 999_999)),
    encryption_mode: 'NONE',
    input_bytes: inputBytes,
    output_bytes: outputBytes,
    output_rate_bytes: Math.round((outputBytes / Math.max(elapsedS, 1)) * 10_000) / 10_000,
    extra_meta_bytes: complete ? rng.int(0, 4096) : 0,
    tablet_count: tablets,
    finish_tablet_count: Math.floor(tablets * progress),
    macro_block_count: macro,
    finish_macro_block_count: Math.floor(macro * progress),
    file_count: complete ? rng.int(10, 80) : rng.int(0, 10),
    meta_turn_id: 1,
    data_turn_id: complete ? 1 : 0,
    result: failure?.result ?? 0,
    comment: failure?.comment ?? '',
    path,
  };
  const job: ObBackupJobRow = {
    tenant_id: tenant.id,
    job_id: jobId,
    backup_set_id: backupSetId,
    plus_archivelog: type === 'FULL' ? 'ON' : 'OFF',
    backup_type: type,
    start_timestamp: task.start_timestamp,
    status: jobStatus,
    result: failure?.result ?? 0,
    comment: failure?.comment ?? '',
    description: type === 'FULL' ? 'daily full backup' : 'incremental backup',
    path,
  };
  if (endUs !== null) job.end_timestamp = goRfc3339Nano(endUs);
  return { job, task, startMs, endMs, running };
}

/** Midnight in UTC+8 (the agents' zone) of the day `now` falls in, as epoch ms. */
function localMidnight(now: number): number {
  return Math.floor((now + 8 * HOUR) / DAY) * DAY - 8 * HOUR;
}

/** Midnight UTC of the day `now` falls in, as epoch ms. */
function utcMidnight(now: number): number {
  return Math.floor(now / DAY) * DAY;
}

// ---- Huawei generation --------------------------------------------------------------------------

interface DcsPlan {
  name: string;
  engine: 'Redis' | 'Memcached';
  version: string;
  capacity: number;
  spec: string;
  status?: string;
  /** Auto backups a day (0: none, e.g. single-node instances that cannot back up). */
  perDay: number;
  days: number;
  format: 'rdb' | 'aof';
  manual: number;
  now?: 'backuping' | 'waiting' | 'failed';
  /** Backups stopped this many days ago: none since. */
  stoppedDaysAgo?: number;
}

interface RdsPlan {
  name: string;
  engine: 'MySQL' | 'PostgreSQL' | 'SQLServer' | 'MariaDB';
  version: string;
  complete: string;
  type: 'Single' | 'Ha' | 'Replica';
  status?: string;
  days: number;
  keepDays: number;
  /** Incremental backups a day (MySQL/PostgreSQL). */
  incrementalPerDay: number;
  /** Weekly differential ("fragment") backups (SQL Server). */
  differential?: boolean;
  manual: number;
  now?: 'building' | 'failed';
  databases?: string[];
  /** Backups stopped this many days ago: none since. */
  stoppedDaysAgo?: number;
  /** A FlexusRDS instance (MySQL). */
  flexus?: boolean;
}

const PROJECTS: { name: string; region: string; dcs: DcsPlan[]; rds: RdsPlan[] }[] = [
  {
    name: 'hw-cn-north-4',
    region: 'cn-north-4',
    dcs: [
      {
        name: 'dcs-session-prod',
        engine: 'Redis',
        version: '6.0',
        capacity: 8,
        spec: 'redis.ha.xu1.large.r2.8',
        perDay: 2,
        days: 150,
        format: 'rdb',
        manual: 6,
      },
      {
        name: 'dcs-cart-prod',
        engine: 'Redis',
        version: '5.0',
        capacity: 4,
        spec: 'redis.ha.xu1.large.r2.4',
        perDay: 1,
        days: 120,
        format: 'aof',
        manual: 3,
        now: 'backuping',
      },
      {
        name: 'dcs-rank-prod',
        engine: 'Redis',
        version: '7.0',
        capacity: 16,
        spec: 'redis.cluster.xu1.large.r2.16',
        perDay: 1,
        days: 90,
        format: 'rdb',
        manual: 2,
      },
      {
        name: 'dcs-feed-cache',
        engine: 'Redis',
        version: '6.0',
        capacity: 2,
        spec: 'redis.ha.xu1.large.r2.2',
        perDay: 1,
        days: 100,
        format: 'rdb',
        manual: 1,
        now: 'failed',
      },
      {
        name: 'dcs-geo',
        engine: 'Redis',
        version: '4.0',
        capacity: 1,
        spec: 'redis.ha.xu1.large.r2.1',
        perDay: 1,
        days: 60,
        format: 'aof',
        manual: 0,
        now: 'waiting',
      },
      { name: 'dcs-lock-svc', engine: 'Redis', version: '5.0', capacity: 0, spec: 'redis.ha.xu1.tiny.r2.128', perDay: 1, days: 45, format: 'rdb', manual: 4 },
      { name: 'dcs-dev-sandbox', engine: 'Redis', version: '6.0', capacity: 1, spec: 'redis.single.xu1.large.1', perDay: 0, days: 0, format: 'rdb', manual: 0 },
      {
        name: 'dcs-memcache-legacy',
        engine: 'Memcached',
        version: '3.0',
        capacity: 2,
        spec: 'dcs.memcached.master_standby',
        perDay: 1,
        days: 30,
        format: 'rdb',
        manual: 0,
      },
      {
        name: 'dcs-metrics-new',
        engine: 'Redis',
        version: '7.0',
        capacity: 4,
        spec: 'redis.ha.xu1.large.r2.4',
        status: 'CREATING',
        perDay: 0,
        days: 0,
        format: 'rdb',
        manual: 0,
      },
    ],
    rds: [
      { name: 'rds-orders-mysql', engine: 'MySQL', version: '8.0', complete: '8.0.32.2', type: 'Ha', days: 120, keepDays: 30, incrementalPerDay: 4, manual: 3 },
      {
        name: 'rds-users-mysql',
        engine: 'MySQL',
        version: '5.7',
        complete: '5.7.41.1',
        type: 'Ha',
        days: 90,
        keepDays: 14,
        incrementalPerDay: 0,
        manual: 2,
        now: 'building',
      },
      {
        name: 'rds-payments-pg',
        engine: 'PostgreSQL',
        version: '14',
        complete: '14.8.1',
        type: 'Ha',
        days: 100,
        keepDays: 30,
        incrementalPerDay: 1,
        manual: 1,
      },
      {
        name: 'rds-gis-pg',
        engine: 'PostgreSQL',
        version: '16',
        complete: '16.2.0',
        type: 'Single',
        days: 60,
        keepDays: 7,
        incrementalPerDay: 0,
        manual: 0,
        now: 'failed',
      },
      {
        name: 'rds-erp-mssql',
        engine: 'SQLServer',
        version: '2019_SE',
        complete: '2019_SE.15.0.4236',
        type: 'Ha',
        days: 90,
        keepDays: 30,
        incrementalPerDay: 0,
        differential: true,
        manual: 2,
        databases: ['erp', 'erp_archive'],
      },
      {
        name: 'rds-report-mssql',
        engine: 'SQLServer',
        version: '2017_EE',
        complete: '2017_EE.14.0.3456',
        type: 'Single',
        days: 45,
        keepDays: 7,
        incrementalPerDay: 0,
        manual: 1,
        databases: ['reports'],
      },
      { name: 'rds-cms-mariadb', engine: 'MariaDB', version: '10.5', complete: '10.5.16', type: 'Ha', days: 70, keepDays: 7, incrementalPerDay: 0, manual: 0 },
      {
        name: 'rds-orders-replica',
        engine: 'MySQL',
        version: '8.0',
        complete: '8.0.32.2',
        type: 'Replica',
        days: 0,
        keepDays: 7,
        incrementalPerDay: 0,
        manual: 0,
      },
      {
        name: 'rds-audit-mysql',
        engine: 'MySQL',
        version: '8.0',
        complete: '8.0.28.3',
        type: 'Single',
        days: 30,
        keepDays: 7,
        incrementalPerDay: 0,
        manual: 5,
        flexus: true,
      },
    ],
  },
  {
    name: 'hw-ap-southeast-3',
    region: 'ap-southeast-3',
    dcs: [
      { name: 'dcs-sg-session', engine: 'Redis', version: '6.0', capacity: 4, spec: 'redis.ha.xu1.large.r2.4', perDay: 1, days: 80, format: 'rdb', manual: 2 },
      { name: 'dcs-sg-queue', engine: 'Redis', version: '5.0', capacity: 2, spec: 'redis.ha.xu1.large.r2.2', perDay: 1, days: 65, format: 'aof', manual: 0 },
      {
        name: 'dcs-sg-ratelimit',
        engine: 'Redis',
        version: '7.0',
        capacity: 1,
        spec: 'redis.ha.xu1.large.r2.1',
        status: 'FROZEN',
        perDay: 1,
        days: 40,
        format: 'rdb',
        manual: 0,
      },
      {
        name: 'dcs-sg-cache',
        engine: 'Redis',
        version: '6.0',
        capacity: 8,
        spec: 'redis.cluster.xu1.large.r2.8',
        perDay: 2,
        days: 30,
        format: 'rdb',
        manual: 1,
      },
      {
        name: 'dcs-sg-pubsub',
        engine: 'Redis',
        version: '5.0',
        capacity: 1,
        spec: 'redis.ha.xu1.large.r2.1',
        status: 'ERROR',
        perDay: 1,
        days: 20,
        format: 'rdb',
        manual: 0,
        // In ERROR since: no backup for four days (STALE in the coverage view).
        stoppedDaysAgo: 4,
      },
    ],
    rds: [
      { name: 'rds-sg-shop-mysql', engine: 'MySQL', version: '8.0', complete: '8.0.32.2', type: 'Ha', days: 90, keepDays: 14, incrementalPerDay: 1, manual: 1 },
      {
        name: 'rds-sg-analytics-pg',
        engine: 'PostgreSQL',
        version: '12',
        complete: '12.13.0',
        type: 'Ha',
        days: 60,
        keepDays: 7,
        incrementalPerDay: 0,
        manual: 0,
      },
      {
        name: 'rds-sg-crm-mssql',
        engine: 'SQLServer',
        version: '2019_EE',
        complete: '2019_EE.15.0.4236',
        type: 'Ha',
        days: 40,
        keepDays: 7,
        incrementalPerDay: 0,
        differential: true,
        manual: 0,
        databases: ['crm'],
      },
      {
        name: 'rds-sg-wiki-mysql',
        engine: 'MySQL',
        version: '5.7',
        complete: '5.7.41.1',
        type: 'Single',
        status: 'FROZEN',
        days: 20,
        keepDays: 7,
        incrementalPerDay: 0,
        manual: 0,
        // Frozen (unpaid) six days ago: no backup since.
        stoppedDaysAgo: 6,
      },
      {
        name: 'rds-sg-logs-pg',
        engine: 'PostgreSQL',
        version: '15',
        complete: '15.4.0',
        type: 'Single',
        days: 25,
        keepDays: 7,
        incrementalPerDay: 2,
        manual: 1,
      },
    ],
  },
];

function generateHuawei(rng: Random, now: number, plans: typeof PROJECTS): HuaweiAccountSim {
  const userId = rng.hex(32);
  return {
    accessKey: `HPUA${rng.hex(16).toUpperCase()}`,
    secretKey: `${rng.hex(20)}${rng.hex(20).toUpperCase()}`,
    token: `MIIZ${Buffer.from(rng.hex(48), 'hex').toString('base64')}`,
    projects: plans.map((plan) => {
      const projectId = rng.hex(32);
      const vpcId = rng.uuid();
      const subnetId = rng.uuid();
      return {
        name: plan.name,
        projectId,
        region: plan.region,
        dcs: plan.dcs.map((p, i) => generateDcsInstance(rng, now, plan.region, userId, vpcId, subnetId, p, i)),
        rds: plan.rds.map((p, i) => generateRdsInstance(rng, now, plan.region, vpcId, subnetId, p, i)),
      };
    }),
  };
}

const DCS_ERRORS = ['dcs.08.0001', 'dcs.08.0002', 'dcs.08.0005', 'dcs.08.0008'];

function generateDcsInstance(
  rng: Random,
  now: number,
  region: string,
  userId: string,
  vpcId: string,
  subnetId: string,
  plan: DcsPlan,
  index: number,
): DcsInstanceSim {
  const instanceId = rng.uuid();
  const createdMs = now - (plan.days + 20) * DAY - rng.int(0, 86_399) * 1000;
  const maxMemory = plan.capacity === 0 ? 128 : plan.capacity * 1024;
  const ip = `192.168.${10 + index}.${rng.int(10, 250)}`;
  const row: DcsInstanceRow = {
    instance_id: instanceId,
    name: plan.name,
    engine: plan.engine,
    engine_version: plan.version,
    status: plan.status ?? 'RUNNING',
    sub_status: 'normal',
    description: `${plan.name.replace(/^dcs-/, '')} cache`,
    enterprise_project_id: '0',
    user_id: userId,
    user_name: 'ops-admin',
    tags: [{ key: 'env', value: plan.name.includes('dev') ? 'dev' : 'prod' }],
    capacity: plan.capacity,
    capacity_minor: plan.capacity === 0 ? '.125' : '',
    max_memory: maxMemory,
    used_memory: Math.floor(maxMemory * (0.1 + rng.next() * 0.6)),
    spec_code: plan.spec,
    cpu_type: 'x86_64',
    az_codes: [`${region}a`, `${region}b`],
    features: { support_acl: plan.engine === 'Redis', support_transparent_client_ip: true, support_ssl: plan.version >= '6.0', support_audit_log: false },
    ip,
    port: plan.engine === 'Redis' ? 6379 : 11211,
    domain_name: `redis-${instanceId}.dcs.huaweicloud.com`,
    readonly_domain_name: null,
    access_user: plan.engine === 'Memcached' ? 'memcached' : null,
    no_password_access: 'false',
    vpc_id: vpcId,
    vpc_name: 'vpc-prod',
    subnet_id: subnetId,
    security_group_id: rng.uuid(),
    publicip_id: null,
    publicip_address: null,
    enable_publicip: false,
    enable_ssl: false,
    charging_mode: index % 3 === 0 ? 1 : 0,
    order_id: index % 3 === 0 ? `CS${compactLocal(createdMs)}${rng.hex(5).toUpperCase()}` : null,
    created_at: dcsTime(createdMs),
    updated_at: dcsTime(createdMs + rng.int(1, 30) * DAY),
    maintain_begin: '18:00:00',
    maintain_end: '19:00:00',
    service_upgrade: false,
    service_task_id: '',
  };

  const backups: DcsBackupSim[] = [];
  const retentionDays = 60;
  const baseSize = maxMemory * 1024 * 1024 * 0.3;
  const add = (createdAt: number, type: 'auto' | 'manual', status: DcsBackupRow['status'], remark: string | null) => {
    const execMs = type === 'auto' ? createdAt : createdAt + rng.int(1, 20) * 1000;
    const doneMs = execMs + rng.int(30, 400) * 1000 + rng.int(0, 999);
    const ended = status !== 'waiting' && status !== 'backuping';
    const size = status === 'succeed' || status === 'expired' || status === 'deleted' ? Math.floor(baseSize * (0.5 + rng.next())) : 0;
    backups.push({
      createdMs: createdAt,
      row: {
        backup_id: rng.uuid(),
        period: type === 'auto' ? `${hh(createdAt)}:00-${hh(createdAt + HOUR)}:00` : null,
        backup_name: `backup_${compactLocal(createdAt)}`,
        instance_id: instanceId,
        size,
        backup_type: type,
        created_at: dcsTime(createdAt),
        updated_at: dcsTime(ended ? Math.min(doneMs, now) : Math.max(createdAt, now - rng.int(1, 50) * 1000)),
        progress: status === 'backuping' ? `${rng.int(5, 95)}.00` : status === 'waiting' || status === 'failed' ? '0.00' : '100.00',
        error_code: status === 'failed' ? rng.pick(DCS_ERRORS) : null,
        remark,
        status,
        is_support_restore: status === 'succeed' ? 'TRUE' : 'FALSE',
        execution_at: status === 'waiting' ? null : dcsTime(execMs),
        backup_format: plan.format,
      },
    });
  };
  // Scheduled backups: `perDay` slots from a nightly hour (UTC, as DCS backup policies are), every day up to now.
  const firstSlot = rng.int(16, 21);
  for (let day = plan.days; day >= 0 && plan.perDay > 0; day--) {
    for (let k = 0; k < plan.perDay; k++) {
      const hour = firstSlot + (k * 24) / plan.perDay;
      const at = utcMidnight(now) - day * DAY + hour * HOUR + rng.int(0, 3599) * 1000 + rng.int(0, 999);
      if (at > now - 10 * MINUTE) continue;
      const status = day > retentionDays ? 'expired' : rng.chance(0.03) ? 'failed' : 'succeed';
      add(at, 'auto', status, null);
    }
  }
  for (let m = 0; m < plan.manual; m++) {
    const at = now - rng.int(1, Math.max(2, plan.days)) * DAY - rng.int(0, 86_399) * 1000;
    add(
      at,
      'manual',
      m === 0 && plan.manual > 2 ? 'deleted' : 'succeed',
      rng.pick(['before upgrade', 'pre-migration snapshot', 'manual check', 'before flushall']),
    );
  }
  if (plan.now === 'backuping') add(now - rng.int(2, 8) * MINUTE, 'auto', 'backuping', null);
  if (plan.now === 'waiting') add(now - rng.int(1, 3) * MINUTE, 'manual', 'waiting', 'queued by ops');
  if (plan.now === 'failed') add(now - rng.int(30, 300) * MINUTE, 'auto', 'failed', null);
  backups.sort((a, b) => b.createdMs - a.createdMs);
  // A schedule that stopped: the newer backups are dropped (drawn all the same, so the rest of the fleet stays as it was).
  const stoppedAt = now - (plan.stoppedDaysAgo ?? 0) * DAY;
  return { row, backups: plan.stoppedDaysAgo ? backups.filter((b) => b.createdMs < stoppedAt) : backups };
}

const RDS_SUFFIX: Record<RdsPlan['engine'], string> = { MySQL: '01', MariaDB: '01', PostgreSQL: '03', SQLServer: '04' };
const RDS_PORT: Record<RdsPlan['engine'], number> = { MySQL: 3306, MariaDB: 3306, PostgreSQL: 5432, SQLServer: 1433 };

function generateRdsInstance(rng: Random, now: number, region: string, vpcId: string, subnetId: string, plan: RdsPlan, index: number): RdsInstanceSim {
  const suffix = RDS_SUFFIX[plan.engine];
  const id = `${rng.hex(32)}in${suffix}`;
  const createdMs = now - (plan.days + 15) * DAY - rng.int(0, 86_399) * 1000;
  const volume = rng.pick([40, 100, 200, 500, 1000]);
  const backupHour = rng.int(16, 22);
  const nodes = (plan.type === 'Ha' ? ['master', 'slave'] : [plan.type === 'Replica' ? 'readreplica' : 'master']).map((role, n) => ({
    id: `${rng.hex(32)}no${suffix}`,
    name: `${plan.name}_node${n}`,
    role,
    status: 'ACTIVE',
    availability_zone: `${region}${n === 0 ? 'a' : 'b'}`,
  }));
  const row: RdsInstanceRow = {
    id,
    name: plan.name,
    status: plan.status ?? 'ACTIVE',
    alias: '',
    type: plan.type,
    region,
    enterprise_project_id: '0',
    tags: [{ key: 'team', value: plan.name.split('-')[1] ?? 'ops' }],
    associated_with_ddm: false,
    read_only_by_user: false,
    private_ips: [`192.168.${40 + index}.${rng.int(10, 250)}`],
    public_ips: [],
    private_dns_names: [`${id.slice(0, 12)}.internal.${region}.mysql.huaweicloud.com`],
    public_dns_names: [],
    port: RDS_PORT[plan.engine],
    enable_ssl: rng.chance(0.5),
    vpc_id: vpcId,
    subnet_id: subnetId,
    security_group_id: rng.uuid(),
    created: rdsTime(createdMs),
    updated: rdsTime(createdMs + rng.int(1, 10) * DAY),
    time_zone: plan.engine === 'SQLServer' ? 'China Standard Time' : '',
    datastore: { type: plan.engine, version: plan.version, complete_version: plan.complete },
    switch_strategy: plan.type === 'Ha' ? 'reliability' : '',
    db_user_name: plan.engine === 'SQLServer' ? 'rdsuser' : 'root',
    maintenance_window: '02:00-06:00',
    nodes,
    related_instance: [],
    backup_strategy: { start_time: `${pad2(backupHour)}:00-${pad2(backupHour + 1)}:00`, keep_days: plan.keepDays },
    backup_used_space: Math.round(rng.next() * 50 * 100) / 100,
    storage_used_space: Math.round(rng.next() * volume * 100) / 100,
    flavor_ref: `rds.${plan.engine.toLowerCase()}.x1.large.2${plan.type === 'Ha' ? '.ha' : ''}`,
    cpu: String(rng.pick([2, 4, 8])),
    mem: String(rng.pick([4, 8, 16, 32])),
    volume: { type: rng.pick(['CLOUDSSD', 'ULTRAHIGH', 'ESSD']), size: volume },
    max_iops: rng.pick([0, 3000, 10000]),
    disk_encryption_id: '',
    charge_info: { charge_mode: index % 4 === 0 ? 'prePaid' : 'postPaid' },
  };
  if (plan.type === 'Ha') row.ha = { replication_mode: plan.engine === 'SQLServer' ? 'sync' : 'async' };
  if (row.charge_info.charge_mode === 'prePaid') {
    row.expiration_time = rdsTime(now + rng.int(30, 300) * DAY);
    row.order_id = `CS${compactLocal(createdMs)}${rng.hex(5).toUpperCase()}`;
  }

  const backups: RdsBackupSim[] = [];
  const datastore = { type: plan.engine, version: plan.version };
  const add = (beginMs: number, type: RdsBackupRow['type'], status: RdsBackupRow['status'], sizeKb: number) => {
    const endMs = beginMs + (type === 'incremental' ? rng.int(5, 120) : rng.int(60, 1800)) * 1000;
    const backup: RdsBackupRow = {
      id: `${rng.hex(32)}br${suffix}`,
      name: `${plan.name}-${type}-${compactLocal(beginMs)}${rng.int(100, 999)}`,
      instance_id: id,
      type,
      size: status === 'COMPLETED' || status === 'DELETING' ? sizeKb : 0,
      status,
      begin_time: rdsTime(beginMs),
      end_time: status === 'BUILDING' ? '' : rdsTime(Math.min(endMs, now)),
      datastore,
    };
    if (plan.engine === 'SQLServer' && plan.databases) backup.databases = plan.databases.map((name) => ({ name }));
    if (plan.engine === 'MySQL') backup.associated_with_ddm = false;
    backups.push({ row: backup, beginMs });
  };
  const fullKb = volume * 1024 * (0.05 + rng.next() * 0.2);
  for (let day = plan.days; day >= 0 && plan.days > 0; day--) {
    const dayStart = utcMidnight(now) - day * DAY;
    // `backup_strategy.start_time` is a UTC window (16:00-22:00 UTC is night in UTC+8).
    const fullAt = dayStart + backupHour * HOUR + rng.int(0, 3599) * 1000;
    const isDiff = plan.differential && day % 7 !== 0;
    if (fullAt < now - 30 * MINUTE) {
      add(fullAt, isDiff ? 'fragment' : 'auto', rng.chance(0.03) ? 'FAILED' : 'COMPLETED', Math.floor(fullKb * (isDiff ? 0.1 : 1) * (0.9 + rng.next() * 0.2)));
    }
    for (let k = 0; k < plan.incrementalPerDay; k++) {
      const at = dayStart + Math.floor(((k + 0.5) * DAY) / plan.incrementalPerDay) + rng.int(0, 600) * 1000;
      if (at < now - 5 * MINUTE) add(at, 'incremental', rng.chance(0.01) ? 'FAILED' : 'COMPLETED', rng.int(1_000, 400_000));
    }
  }
  for (let m = 0; m < plan.manual; m++) {
    const at = now - rng.int(1, Math.max(2, plan.days)) * DAY - rng.int(0, 86_399) * 1000;
    add(at, 'manual', m === 1 ? 'DELETING' : 'COMPLETED', Math.floor(fullKb * (0.9 + rng.next() * 0.2)));
  }
  if (plan.now === 'building') add(now - rng.int(3, 12) * MINUTE, 'manual', 'BUILDING', 0);
  if (plan.now === 'failed') add(now - rng.int(60, 600) * MINUTE, 'auto', 'FAILED', 0);
  backups.sort((a, b) => b.beginMs - a.beginMs);
  const stoppedAt = now - (plan.stoppedDaysAgo ?? 0) * DAY;
  return { row, flexus: plan.flexus === true, backups: plan.stoppedDaysAgo ? backups.filter((b) => b.beginMs < stoppedAt) : backups };
}

const pad2 = (n: number) => String(n % 24).padStart(2, '0');
/** The UTC hour of an instant, as DCS writes backup periods. */
const hh = (ms: number) => pad2(new Date(ms).getUTCHours());
