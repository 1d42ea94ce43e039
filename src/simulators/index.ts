/**
 * Starts the simulated upstreams of a whole fleet: one obshell agent per OceanBase cluster (on
 * consecutive ports) and one Huawei Cloud endpoint serving DCS and RDS for every project. Used by
 * `npm run simulators`, by demo mode, by tests and by benchmarks.
 */
import type { ConfigInput } from '../config.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { generateFleet, type Fleet, type FleetOptions } from './fleet.js';
import { startHuaweiSimulator, type HuaweiSimulator } from './huawei/server.js';
import { startObshellSimulator, type ObshellSimulator } from './obshell/server.js';

export interface FleetSimulatorOptions extends Partial<FleetOptions> {
  /**
   * The stack's clock: the fleet's history ends at its "now" (unless `now` or `fleet` is given),
   * and the simulated servers check auth timestamps against it. Default: the system clock.
   */
  clock?: Clock;
  /** A fleet to serve; generated from `seed`/`now` when absent. */
  fleet?: Fleet;
  /** Port of the first obshell agent; the next clusters take the following ports. 0: ephemeral. */
  obshellPort?: number;
  /** Port of the Huawei endpoint (DCS and RDS). 0: ephemeral. */
  huaweiPort?: number;
  host?: string;
  latencyMs?: number;
  /** Throttling of the Huawei endpoint, per credential (429 `APIGW.0308` beyond it). */
  huaweiRateLimit?: { requestsPerSecond: number; burst?: number };
  /**
   * How long a backup started through the simulated APIs takes to finish, by the stack's clock
   * (obshell jobs, DCS and RDS backups; progress.ts). Default 60 000.
   */
  backupDurationMs?: number;
}

/** What `npm run simulators` prints (contract §2), plus every cluster and project. */
export interface SimulatorDescription {
  obshell: { url: string; password: string };
  huawei: { url: string; projectId: string; accessKey: string; secretKey: string; token: string };
  clusters: { name: string; url: string; password: string }[];
  projects: { name: string; projectId: string; region: string }[];
}

export interface FleetSimulators {
  fleet: Fleet;
  obshell: ObshellSimulator[];
  huawei: HuaweiSimulator;
  describe(): SimulatorDescription;
  /** A gateway configuration with one source per simulated cluster and project (AK/SK auth). */
  config(options?: { credentials?: 'aksk' | 'token' }): ConfigInput;
  close(): Promise<void>;
}

export async function startFleetSimulators(options: FleetSimulatorOptions = {}): Promise<FleetSimulators> {
  const clock = options.clock ?? systemClock;
  const fleet =
    options.fleet ??
    generateFleet({
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.size ? { size: options.size } : {}),
      now: options.now ?? clock.now(),
    });
  const host = options.host ?? '127.0.0.1';
  const latencyMs = options.latencyMs ?? 0;
  const obshell: ObshellSimulator[] = [];
  let huawei: HuaweiSimulator | undefined;
  try {
    for (const [i, cluster] of fleet.oceanbase.entries()) {
      const port = options.obshellPort ? options.obshellPort + i : 0;
      obshell.push(
        await startObshellSimulator({
          cluster,
          port,
          host,
          latencyMs,
          clock,
          ...(options.backupDurationMs === undefined ? {} : { backupDurationMs: options.backupDurationMs }),
        }),
      );
    }
    huawei = await startHuaweiSimulator({
      account: fleet.huawei,
      port: options.huaweiPort ?? 0,
      host,
      latencyMs,
      clock,
      ...(options.huaweiRateLimit ? { rateLimit: options.huaweiRateLimit } : {}),
      ...(options.backupDurationMs === undefined ? {} : { backupDurationMs: options.backupDurationMs }),
    });
  } catch (err) {
    await Promise.all([...obshell.map((s) => s.close()), huawei?.close()]);
    throw err;
  }
  const hw = huawei;

  return {
    fleet,
    obshell,
    huawei: hw,
    describe() {
      const first = fleet.huawei.projects[0]!;
      return {
        obshell: { url: obshell[0]!.url, password: fleet.oceanbase[0]!.password },
        huawei: { url: hw.url, projectId: first.projectId, accessKey: fleet.huawei.accessKey, secretKey: fleet.huawei.secretKey, token: fleet.huawei.token },
        clusters: fleet.oceanbase.map((c, i) => ({ name: c.name, url: obshell[i]!.url, password: c.password })),
        projects: fleet.huawei.projects.map((p) => ({ name: p.name, projectId: p.projectId, region: p.region })),
      };
    },
    config({ credentials = 'aksk' } = {}) {
      const tuning = { timeoutMs: 10_000 };
      return {
        server: { graphiql: true },
        sources: [
          ...fleet.oceanbase.map((c, i) => ({ name: c.name, provider: 'oceanbase' as const, url: obshell[i]!.url, password: c.password, ...tuning })),
          ...fleet.huawei.projects.map((p) => ({
            name: p.name,
            provider: 'huaweicloud' as const,
            projectId: p.projectId,
            region: p.region,
            dcsEndpoint: hw.url,
            rdsEndpoint: hw.url,
            credentials: credentials === 'token' ? { token: fleet.huawei.token } : { accessKey: fleet.huawei.accessKey, secretKey: fleet.huawei.secretKey },
            ...tuning,
          })),
        ],
      };
    },
    async close() {
      await Promise.all([...obshell.map((s) => s.close()), hw.close()]);
    },
  };
}
