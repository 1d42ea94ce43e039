/**
 * A simulated obshell agent over a demo `ObClusterSim` (notes: /work/shared/upstreams/obshell.md):
 * the exact envelope, the hybrid-encryption auth as the server checks it, the backup overview,
 * cluster overview, tenant listing, backup job and recoverability (`/backup/info`, `/backup/log/tasks`)
 * routes, in the current (≥ 4.3.1.0) or legacy
 * (≤ 4.3.0.0) error style. Built on `SimServer`, so tests get its call log and faults.
 *
 * Request pipeline, as obshell's gin middlewares run it (notes §4.3):
 *   HeaderDecrypt (every route, unknown ones too) → Verify (protected routes) → handler.
 */
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../../lib/clock.js';
import { stringifyJson } from '../../lib/json.js';
import type { ObClusterSim, ObJob, ObTenantSim } from '../fleet.js';
import { SimServer, type RouteDef, type SimRequest, type SimResponse } from '../harness.js';
import { goRfc3339Nano } from '../timefmt.js';
import { AgentKeyPair, decodeHeaderJson, GoError, type DecodedHeader } from './crypto.js';
import { errorBody, obErrors, type ErrorDef, type ErrorStyle } from './errors.js';
import { BackupProgress, DEFAULT_BACKUP_DURATION_MS } from '../progress.js';
import { bindJson, cancelJob, dagDetail, decryptBody, runningJob, startJob, type BackupMode } from './actions.js';
import { listBackupJobs } from './tasks.js';
import { archiveDelaySeconds, LISTED_ARCHIVE_STATUSES, obArchiveAt } from '../recoverability.js';

export type { ErrorStyle } from './errors.js';

export interface ObshellSimulatorOptions {
  cluster: ObClusterSim;
  /** The root@sys password `X-OCS-Header` is checked against. Default `cluster.password`; null: none set. */
  password?: string | null;
  /**
   * The obshell agent password (4.2.6.0+), checked on `X-OCS-Agent-Header`. With it set and no
   * root password, the agent wants that header (as sdk-py switches to).
   */
  agentPassword?: string | null;
  latencyMs?: number;
  /** current = obshell ≥ 4.3.1.0 (errCode); legacy = ≤ 4.3.0.0 bodies and codes. Default current. */
  errorStyle?: ErrorStyle;
  /** RSA key size: 1024 from 4.4.2.0 (default), 512 before. */
  keyBits?: 512 | 1024;
  /** Default 'CLUSTER AGENT'; anything else → Agent.Identify.NotSupportOperation on backup/tenant routes. */
  identity?: string;
  /** The stack's clock: the `Ts` check, the envelope's `timestamp`, backups in progress. Default: the system clock. */
  clock?: Clock;
  /** How long a backup started through the API takes to complete (progress.ts). Default 60 000. */
  backupDurationMs?: number;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface ObshellSimulator {
  readonly server: SimServer;
  readonly url: string;
  readonly cluster: ObClusterSim;
  /** What `/api/v1/secret` serves right now. */
  readonly publicKeyBase64: string;
  /** Backups started or cancelled through the API; `tick()` applies the clock's now (done before each request). */
  readonly progress: BackupProgress;
  /** New RSA key pair, as after an agent restart or upgrade. */
  rotateKey(): void;
  close(): Promise<void>;
}

export const OBSHELL_ROUTES = {
  info: 'obshell.info',
  secret: 'obshell.secret',
  tenantsOverview: 'obshell.tenantsOverview',
  tenantBackupOverview: 'obshell.tenantBackupOverview',
  clusterBackupOverview: 'obshell.clusterBackupOverview',
  tenantBackupTasks: 'obshell.tenantBackupTasks',
  tenantBackupInfo: 'obshell.tenantBackupInfo',
  tenantArchiveLogTasks: 'obshell.tenantArchiveLogTasks',
  startTenantBackup: 'obshell.startTenantBackup',
  startClusterBackup: 'obshell.startClusterBackup',
  cancelTenantBackup: 'obshell.cancelTenantBackup',
  cancelClusterBackup: 'obshell.cancelClusterBackup',
} as const;

export async function startObshellSimulator(options: ObshellSimulatorOptions): Promise<ObshellSimulator> {
  const sim = new SimulatedAgent(options);
  await sim.server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return sim;
}

/** What a handler decides: data to send, or an error (`dataNull`: the handler passed a typed nil). */
type Outcome = { data: unknown } | { error: ErrorDef; dataNull?: boolean } | { panic: string };

const CLUSTER_AGENT = 'CLUSTER AGENT';

class SimulatedAgent implements ObshellSimulator {
  readonly server: SimServer;
  readonly cluster: ObClusterSim;
  private readonly password: string | null;
  private readonly agentPassword: string | null;
  private readonly style: ErrorStyle;
  private readonly keyBits: 512 | 1024;
  private readonly identity: string;
  private key: AgentKeyPair;
  readonly progress: BackupProgress;
  /** The task engine's DAG ids, per agent. */
  private nextDagId = 1001;

  constructor(options: ObshellSimulatorOptions) {
    this.cluster = options.cluster;
    this.password = options.password === undefined ? options.cluster.password : options.password;
    this.agentPassword = options.agentPassword ?? null;
    this.style = options.errorStyle ?? 'current';
    this.keyBits = options.keyBits ?? 1024;
    this.identity = options.identity ?? CLUSTER_AGENT;
    this.key = new AgentKeyPair(this.keyBits);
    const clock = options.clock ?? systemClock;
    this.progress = new BackupProgress(clock, options.backupDurationMs ?? DEFAULT_BACKUP_DURATION_MS);

    const routes: RouteDef[] = [
      this.route(OBSHELL_ROUTES.info, '/api/v1/info', false, () => ({ data: this.agentStatus() })),
      this.route(OBSHELL_ROUTES.secret, '/api/v1/secret', false, () => ({
        data: { ip: this.cluster.agent.ip, port: this.cluster.agent.port, public_key: this.key.publicKeyBase64 },
      })),
      this.route(OBSHELL_ROUTES.tenantsOverview, '/api/v1/tenants/overview', true, () => this.tenantsOverview()),
      this.route(OBSHELL_ROUTES.tenantBackupOverview, '/api/v1/tenant/:name/backup/overview', true, (req) => this.tenantBackupOverview(req)),
      this.route(OBSHELL_ROUTES.clusterBackupOverview, '/api/v1/obcluster/backup/overview', true, () => this.clusterBackupOverview()),
      // The actions (obshell ≥ 4.2.4.0, so in both error styles): docs/upstreams.md §1.1, §1.2.
      this.route(OBSHELL_ROUTES.startTenantBackup, '/api/v1/tenant/:name/backup', true, (req, body) => this.startTenantBackup(req, body), 'POST'),
      this.route(OBSHELL_ROUTES.startClusterBackup, '/api/v1/obcluster/backup', true, (_req, body) => this.startClusterBackup(body), 'POST'),
      this.route(OBSHELL_ROUTES.cancelTenantBackup, '/api/v1/tenant/:name/backup', true, (req, body) => this.cancelTenantBackup(req, body), 'PATCH'),
      this.route(OBSHELL_ROUTES.cancelClusterBackup, '/api/v1/obcluster/backup', true, (_req, body) => this.cancelClusterBackup(body), 'PATCH'),
    ];
    // `/backup/tasks`, `/backup/info` and `/backup/log/tasks` arrived in 4.3.2.0 (a3463f6; docs/upstreams.md
    // R1, R2, R5): an older agent answers them with gin's NoRoute — 404 Common.NotFound from 4.3.1.0,
    // 400 code 1000 on a legacy (≤ 4.3.0.0) agent. The version is the one /api/v1/info reports.
    if (versionAtLeast(this.reportedVersion(), '4.3.2.0')) {
      routes.push(
        this.route(OBSHELL_ROUTES.tenantBackupTasks, '/api/v1/tenant/:name/backup/tasks', true, (req) => this.tenantBackupTasks(req)),
        this.route(OBSHELL_ROUTES.tenantBackupInfo, '/api/v1/tenant/:name/backup/info', true, (req) => this.tenantBackupInfo(req)),
        this.route(OBSHELL_ROUTES.tenantArchiveLogTasks, '/api/v1/tenant/:name/backup/log/tasks', true, (req) => this.tenantArchiveLogTasks(req)),
      );
    }
    this.server = new SimServer({
      name: 'obshell',
      routes,
      latencyMs: options.latencyMs,
      clock,
      beforeRequest: () => this.progress.tick(),
      // gin's NoRoute (unknown path or method) still runs the global HeaderDecrypt middleware.
      notFound: (req) => this.pipeline(req, false, () => ({ error: obErrors.routeNotFound() })),
    });
  }

  get url(): string {
    return this.server.url;
  }

  get publicKeyBase64(): string {
    return this.key.publicKeyBase64;
  }

  rotateKey(): void {
    this.key = new AgentKeyPair(this.keyBits);
  }

  close(): Promise<void> {
    return this.server.close();
  }

  // ---- pipeline -----------------------------------------------------------------------------------

  private route(name: string, pattern: string, isProtected: boolean, handler: Handler, method: 'GET' | 'POST' | 'PATCH' = 'GET'): RouteDef {
    return { name, method, pattern, handle: (req) => this.pipeline(req, isProtected, handler) };
  }

  private pipeline(req: SimRequest, isProtected: boolean, handler: Handler): SimResponse {
    let header: DecodedHeader | undefined;
    // `HeaderDecrypt` reads either header; the agent one wins when both are sent.
    const agentRaw = headerValue(req, 'x-ocs-agent-header');
    const raw = agentRaw ?? headerValue(req, 'x-ocs-header');
    const kind = agentRaw ? 'agent' : 'ob';
    if (raw) {
      try {
        header = decodeHeaderJson(this.key.decrypt(raw));
      } catch (err) {
        const goError = err instanceof GoError ? err.message : 'crypto/rsa: decryption error';
        return this.answer(req, { error: obErrors.decryptFailed(goError, this.keyBits === 1024) });
      }
    }
    // `BodyDecrypt` (global, after HeaderDecrypt): a body sent with a header must be base64 of its
    // AES-128-CBC ciphertext under the header's Keys. Running it before `Verify` is an assumption.
    let body = req.body;
    if (header && body.length > 0) {
      const plain = decryptBody(body, header.keys);
      if (!plain) return this.answer(req, { error: obErrors.bodyDecryptFailed() });
      body = plain;
    }
    if (isProtected) {
      const denied = this.verify(req, header, kind);
      if (denied) return this.answer(req, { error: denied });
    }
    return this.answer(req, handler(req, body));
  }

  /**
   * `common.Verify` + `VerifyObRouters` + `secure.VerifyAuth` (notes §4.3; obshell
   * `ob/agent/api/common/middleware.go`, `ob/agent/secure/auth.go`), in their order.
   *
   * A protected route without either header is refused (400 `Request.Header.NotFound`) whether
   * or not a password is set; with none set the header's Auth is the empty string.
   */
  private verify(req: SimRequest, header: DecodedHeader | undefined, kind: 'agent' | 'ob'): ErrorDef | undefined {
    if (!header) return obErrors.headerNotFound();
    if (header.uri !== req.rawUrl) return obErrors.uriMismatch();
    // A SINGLE agent (no OceanBase yet) passes without a password: no token, no agent password set.
    if (this.identity === 'SINGLE') return undefined;
    if (header.auth !== '') {
      // The Ts check is skipped when Auth is empty; now = when the request was received.
      const ts = goParseInt64(header.ts);
      if (typeof ts === 'string') return obErrors.timestampInvalid(header.ts, ts);
      if (BigInt(Math.floor(req.receivedAt / 1000)) > ts) return obErrors.expired();
    }
    if (kind === 'agent') {
      // X-OCS-Agent-Header: the agent password; with none set it passes, unless only the OceanBase password is.
      if (this.agentPassword === null) return this.password === null ? undefined : obErrors.withOceanBasePassword();
      return header.auth === this.agentPassword ? undefined : obErrors.wrongAgentPassword();
    }
    // X-OCS-Header on an agent that has only an agent password: it wants the other header.
    if (this.password === null && this.agentPassword !== null) return obErrors.withAgentPassword();
    if (header.auth !== (this.password ?? '')) return obErrors.wrongPassword();
    return undefined;
  }

  /** The envelope (notes §1), written with `stringifyJson` so bigints stay raw integer literals. */
  private answer(req: SimRequest, outcome: Outcome): SimResponse {
    // A handler that panics: gin's Recovery middleware answers 500 with an empty body.
    if ('panic' in outcome) return { status: 500, body: '' };
    const traceId = headerValue(req, 'x-obshell-trace-id') || randomBytes(8).toString('hex');
    const now = this.server.clock.now();
    const envelope: Record<string, unknown> = {
      successful: !('error' in outcome),
      timestamp: goRfc3339Nano(now * 1000 + Math.floor(Math.random() * 1000)),
      duration: now - req.receivedAt,
      status: 200,
      traceId,
    };
    if ('error' in outcome) {
      const { status, body } = errorBody(outcome.error, this.style);
      envelope.status = status;
      if (outcome.dataNull) envelope.data = null;
      envelope.error = body;
    } else {
      // A Go slice is wrapped as {"contents": […]} by `buildResponseData`; nil data is omitted.
      if (outcome.data !== undefined) envelope.data = Array.isArray(outcome.data) ? { contents: outcome.data } : outcome.data;
    }
    return { status: envelope.status as number, headers: { 'content-type': 'application/json' }, body: stringifyJson(envelope) };
  }

  // ---- handlers -----------------------------------------------------------------------------------

  /** `meta.AgentStatus` in its Go field order (notes §3.3). */
  private agentStatus(): Record<string, unknown> {
    const agent = this.cluster.agent;
    return {
      pid: agent.pid,
      state: 2, // inferred: the agent's "running" state constant
      startAt: agent.startAtNs,
      homePath: agent.homePath,
      obVersion: agent.obVersion,
      architecture: 'x86_64',
      ip: agent.ip,
      port: agent.port,
      zone: agent.zone,
      identity: this.identity,
      version: this.reportedVersion(),
      isObproxyAgent: false,
      security: false,
      supportedAuth: ['v2'],
    };
  }

  /** The version the agent reports: one consistent with the behaviour simulated. */
  private reportedVersion(): string {
    return this.style === 'legacy' ? '4.3.0.0' : this.keyBits === 512 ? '4.4.1.0' : this.cluster.agent.version;
  }

  private notClusterAgent(): ErrorDef | undefined {
    if (this.identity === CLUSTER_AGENT) return undefined;
    return obErrors.notClusterAgent(`${this.cluster.agent.ip}:${this.cluster.agent.port}`, this.identity);
  }

  /** `DBA_OB_TENANTS WHERE TENANT_TYPE != 'META' AND IN_RECYCLEBIN = 'NO'`: sys included (notes §3.3). */
  private tenantsOverview(): Outcome {
    const denied = this.notClusterAgent();
    if (denied) return { error: denied };
    const rows = this.cluster.tenants.filter((t) => t.row.in_recyclebin === 'NO').map((t) => t.row);
    // `comment` is 4.4.1.0+ (notes §6): a legacy agent does not send it.
    return { data: this.style === 'legacy' ? rows.map(({ comment: _comment, ...rest }) => rest) : rows };
  }

  /** `checkTenantAndGetName`: identity, empty name, sys, existence — in that order (notes §2.1). */
  private checkTenant(req: SimRequest): { tenant: ObTenantSim } | { error: ErrorDef } {
    const denied = this.notClusterAgent();
    if (denied) return { error: denied };
    // An empty name (OB.Tenant.Name.Empty) cannot reach a handler: the router answers 404 first.
    const name = req.params.name ?? '';
    if (name === 'sys') return { error: obErrors.sysTenant() };
    const tenant = this.cluster.tenants.find((t) => t.row.tenant_name === name);
    return tenant ? { tenant } : { error: obErrors.tenantNotExist(name) };
  }

  private tenantBackupOverview(req: SimRequest): Outcome {
    const checked = this.checkTenant(req);
    if ('error' in checked) return checked;
    const task = currentOrLatestTask(checked.tenant);
    // `SendResponse(c, overview, err)` with a nil *TenantBackupOverview: "data": null (notes §1).
    return task ? { data: { status: task } } : { error: obErrors.tenantTaskNotFound(), dataNull: true };
  }

  /** Every USER tenant's current-or-latest task; 404 when none has one (notes §3.1). */
  private clusterBackupOverview(): Outcome {
    const denied = this.notClusterAgent();
    if (denied) return { error: denied };
    const statuses = this.cluster.tenants
      .filter((t) => t.row.tenant_name !== 'sys')
      .map(currentOrLatestTask)
      .filter((task) => task !== undefined);
    return statuses.length > 0 ? { data: { statuses } } : { error: obErrors.clusterTaskNotFound(), dataNull: true };
  }

  private tenantBackupTasks(req: SimRequest): Outcome {
    const checked = this.checkTenant(req);
    if ('error' in checked) return checked;
    const result = listBackupJobs(checked.tenant.jobs, req.query);
    if ('bindError' in result) return { error: obErrors.bindFailed(result.bindError) };
    if ('panic' in result) return result;
    return { data: result.page };
  }

  /**
   * `GET /api/v1/tenant/:name/backup/info` (docs/upstreams.md R1): `bo.TenantBackupInfo`. The data
   * backup time is the START of the running task, else of the newest task (any status); the
   * checkpoint is the newest round's, whatever its status; the delay (seconds, 4 decimals) is
   * omitted when 0 (omitempty), as every field but `tenant_id` is when there is nothing to show.
   */
  private tenantBackupInfo(req: SimRequest): Outcome {
    const checked = this.checkTenant(req);
    if ('error' in checked) return checked;
    const { tenant } = checked;
    const now = this.server.clock.now();
    const data: Record<string, unknown> = { tenant_id: tenant.row.tenant_id };
    const round = obArchiveAt(tenant, now);
    if (round) data.lastest_archive_log_checkpoint = goRfc3339Nano(round.checkpointMs * 1000);
    const task = currentOrLatestTask(tenant);
    if (task) data.lastest_data_backup_time = task.start_timestamp;
    if (round) {
      const delay = archiveDelaySeconds(round.checkpointMs, now);
      if (delay !== 0) data.archive_log_delay = delay;
    }
    return { data };
  }

  /**
   * `GET /api/v1/tenant/:name/backup/log/tasks` (docs/upstreams.md R2): the rounds in BEGINNING,
   * DOING, STOPPING, PREPARE or SUSPEND, as `bo.ArchiveLogTask` (`tenant_name` never filled in;
   * `delay` always present). A STOP or INTERRUPTED round, or none: `{"contents":[]}`.
   */
  private tenantArchiveLogTasks(req: SimRequest): Outcome {
    const checked = this.checkTenant(req);
    if ('error' in checked) return checked;
    const { tenant } = checked;
    const now = this.server.clock.now();
    const round = obArchiveAt(tenant, now);
    if (!round || !LISTED_ARCHIVE_STATUSES.includes(round.status)) return { data: [] };
    return {
      data: [
        {
          tenant_id: tenant.row.tenant_id,
          tenant_name: '',
          round_id: round.roundId,
          status: round.status,
          path: round.path,
          delay: archiveDelaySeconds(round.checkpointMs, now),
          checkpoint: goRfc3339Nano(round.checkpointMs * 1000),
          start_time: goRfc3339Nano(round.startMs * 1000),
        },
      ],
    };
  }

  // ---- actions ------------------------------------------------------------------------------------

  /** `POST /api/v1/tenant/:name/backup`: checks in the order of docs/upstreams.md §1.1. */
  private startTenantBackup(req: SimRequest, body: Buffer): Outcome {
    const checked = this.checkTenant(req);
    if ('error' in checked) return checked;
    const param = bindBackupParam(body);
    if ('error' in param) return param;
    const denied = destinationError(checked.tenant) ?? modeError(param);
    if (denied) return { error: denied };
    this.startOne(checked.tenant, param);
    return { data: this.newDag(`${dagName(param.mode)} for ${checked.tenant.row.tenant_name}`) };
  }

  /** `POST /api/v1/obcluster/backup`: every user tenant. */
  private startClusterBackup(body: Buffer): Outcome {
    const denied = this.notClusterAgent();
    if (denied) return { error: denied };
    const param = bindBackupParam(body);
    if ('error' in param) return param;
    const tenants = this.userTenants();
    if (tenants.length === 0) return { error: obErrors.noUserTenants() };
    for (const tenant of tenants) {
      const error = destinationError(tenant);
      if (error) return { error };
    }
    const invalid = modeError(param);
    if (invalid) return { error: invalid };
    for (const tenant of tenants) this.startOne(tenant, param);
    return { data: this.newDag(dagName(param.mode)) };
  }

  /**
   * The DAG's `Start backup` node. The agent does not check for a backup already running: OceanBase
   * refuses the `ALTER SYSTEM BACKUP` (OB_BACKUP_IN_PROGRESS) and the DAG goes FAILED later, while
   * the POST has answered 200. So here: 200, and no second job (the DAG itself is not simulated).
   */
  private startOne(tenant: ObTenantSim, param: BackupParam): void {
    if (runningJob(tenant)) return;
    startJob(this.cluster, tenant, { mode: param.mode as BackupMode, plusArchive: param.plusArchive, encrypted: param.encryption !== '' }, this.progress);
  }

  /** `PATCH /api/v1/tenant/:name/backup`: the tenant route checks the tenant before binding. */
  private cancelTenantBackup(req: SimRequest, body: Buffer): Outcome {
    const checked = this.checkTenant(req);
    if ('error' in checked) return checked;
    const denied = bindStatusParam(body);
    if (denied) return { error: denied };
    // No row in CDB_OB_BACKUP_JOBS: nothing to do, and still a success.
    const job = runningJob(checked.tenant);
    if (job) cancelJob(job, this.progress);
    return { data: undefined };
  }

  /** `PATCH /api/v1/obcluster/backup`: the cancel for each user tenant. */
  private cancelClusterBackup(body: Buffer): Outcome {
    const denied = this.notClusterAgent() ?? bindStatusParam(body);
    if (denied) return { error: denied };
    for (const tenant of this.userTenants()) {
      const job = runningJob(tenant);
      if (job) cancelJob(job, this.progress);
    }
    return { data: undefined };
  }

  private userTenants(): ObTenantSim[] {
    return this.cluster.tenants.filter((t) => t.row.tenant_name !== 'sys' && t.row.in_recyclebin === 'NO');
  }

  private newDag(name: string): Record<string, unknown> {
    return dagDetail(this.nextDagId++, name, this.server.clock.now());
  }
}

type Handler = (req: SimRequest, body: Buffer) => Outcome;

interface BackupParam {
  /** Lower-cased; '' is full. */
  mode: string;
  encryption: string;
  plusArchive: boolean;
}

/** `param.BackupParam` (`mode`, `encryption`, `plus_archive`), bound and `Format()`ted. */
function bindBackupParam(body: Buffer): BackupParam | { error: ErrorDef } {
  const bound = bindJson(body, 'BackupParam', { mode: 'string', encryption: 'string', plus_archive: 'bool' });
  if ('bindError' in bound) return { error: obErrors.bindFailed(bound.bindError) };
  const mode = (bound.values.mode ?? '').toLowerCase();
  return { mode: mode === '' ? 'full' : mode, encryption: bound.values.encryption ?? '', plusArchive: bound.values.plus_archive ?? false };
}

function modeError(param: BackupParam): ErrorDef | undefined {
  return param.mode === 'full' || param.mode === 'incremental' ? undefined : obErrors.backupModeInvalid(param.mode);
}

/** `param.BackupStatusParam`: `status` lower-cased, '' (or absent) is canceled. */
function bindStatusParam(body: Buffer): ErrorDef | undefined {
  const bound = bindJson(body, 'BackupStatusParam', { status: 'string' });
  if ('bindError' in bound) return obErrors.bindFailed(bound.bindError);
  const status = (bound.values.status ?? '').toLowerCase();
  return status === '' || status === 'canceled' ? undefined : obErrors.backupStatusInvalid(status);
}

/** CDB_OB_ARCHIVE_DEST, then CDB_OB_BACKUP_PARAMETER `data_backup_dest` (absent on the sim: configured). */
function destinationError(tenant: ObTenantSim): ErrorDef | undefined {
  const unset = (dest: string | null | undefined) => dest === null || dest === '';
  if (unset(tenant.logArchiveDest)) return obErrors.archiveDestEmpty(tenant.row.tenant_name, tenant.row.tenant_id);
  if (unset(tenant.dataBackupDest)) return obErrors.dataDestEmpty(tenant.row.tenant_name, tenant.row.tenant_id);
  return undefined;
}

/** The DAG names of `executor/ob/enter.go` (the tenant route appends " for <tenant>"). */
function dagName(mode: string): string {
  return mode === 'incremental' ? 'Obcluster start increment backup' : 'Obcluster start full backup';
}

/**
 * `getTenantBackupTask`: the row of CDB_OB_BACKUP_TASKS (a running task) if any, else the latest
 * of CDB_OB_BACKUP_TASK_HISTORY by START_TIMESTAMP (notes §2.1).
 */
function currentOrLatestTask(tenant: ObTenantSim) {
  const running = tenant.jobs.find((j) => j.running);
  if (running) return running.task;
  let latest: ObJob | undefined;
  for (const job of tenant.jobs) if (!latest || job.startMs > latest.startMs) latest = job;
  return latest?.task;
}

/** Dotted versions compared numerically, part by part (`4.3.10.0` > `4.3.2.0`). */
function versionAtLeast(version: string, min: string): boolean {
  const a = version.split('.').map((part) => parseInt(part, 10) || 0);
  const b = min.split('.').map((part) => parseInt(part, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

function headerValue(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Go's `strconv.ParseInt(s, 10, 64)`: the value, or the error text. */
function goParseInt64(text: string): bigint | string {
  if (!/^[+-]?[0-9]+$/.test(text)) return `strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax`;
  const value = BigInt(text);
  if (value > 2n ** 63n - 1n || value < -(2n ** 63n)) return `strconv.ParseInt: parsing ${JSON.stringify(text)}: value out of range`;
  return value;
}
