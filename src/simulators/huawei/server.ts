/**
 * The simulated Huawei Cloud endpoint: DCS v2 and RDS v3 listing APIs and backup actions behind one
 * simulated API gateway, on one port (as `npm run simulators` promises). Route names:
 * `dcs.listInstances`, `dcs.listBackups`, `dcs.createBackup`, `dcs.deleteBackup`,
 * `rds.listInstances`, `rds.listBackups`, `rds.listRestoreTimes`, `rds.createBackup`, `rds.deleteBackup`; faults, latency
 * and the call log come from `SimServer`; backups started move along with the clock (progress.ts).
 */
import { systemClock, type Clock } from '../../lib/clock.js';
import type { HuaweiAccountSim } from '../fleet.js';
import { SimServer } from '../harness.js';
import { BackupProgress, DEFAULT_BACKUP_DURATION_MS } from '../progress.js';
import { dcsRoutes } from './dcs.js';
import { Gateway } from './gateway.js';
import { rdsRoutes } from './rds.js';

export interface HuaweiSimulatorOptions {
  account: HuaweiAccountSim;
  latencyMs?: number;
  /** Per credential (AK, or token); absent → unlimited. `burst` defaults to ceil(requestsPerSecond). */
  rateLimit?: { requestsPerSecond: number; burst?: number };
  /** The stack's clock (the `X-Sdk-Date` check, backups in progress). Default: the system clock. */
  clock?: Clock;
  /** How long a backup created through the API takes to succeed (progress.ts). Default 60 000. */
  backupDurationMs?: number;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface HuaweiSimulator {
  readonly server: SimServer;
  readonly url: string;
  readonly account: HuaweiAccountSim;
  /** Backups created or deleted through the API; `tick()` applies the clock's now (done before each request). */
  readonly progress: BackupProgress;
  close(): Promise<void>;
}

export function createHuaweiServer(options: HuaweiSimulatorOptions, progress?: BackupProgress): SimServer {
  const clock = options.clock ?? systemClock;
  const moving = progress ?? new BackupProgress(clock, options.backupDurationMs ?? DEFAULT_BACKUP_DURATION_MS);
  const gateway = new Gateway({
    account: options.account,
    clock,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
  });
  return new SimServer({
    name: 'huawei',
    routes: [...dcsRoutes(options.account, gateway, moving), ...rdsRoutes(options.account, gateway, moving)],
    notFound: () => gateway.notFound(),
    clock,
    beforeRequest: () => moving.tick(),
    ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
  });
}

export async function startHuaweiSimulator(options: HuaweiSimulatorOptions): Promise<HuaweiSimulator> {
  const progress = new BackupProgress(options.clock ?? systemClock, options.backupDurationMs ?? DEFAULT_BACKUP_DURATION_MS);
  const server = createHuaweiServer(options, progress);
  const url = await server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return {
    server,
    url,
    account: options.account,
    progress,
    close: () => server.close(),
  };
}
