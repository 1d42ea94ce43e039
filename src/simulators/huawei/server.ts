/**
 * The simulated Huawei Cloud endpoint: DCS v2 and RDS v3 listing APIs behind one simulated API
 * gateway, on one port (as `npm run simulators` promises). Route names: `dcs.listInstances`,
 * `dcs.listBackups`, `rds.listInstances`, `rds.listBackups`; faults, latency and the call log come
 * from `SimServer`.
 */
import { systemClock, type Clock } from '../../lib/clock.js';
import type { HuaweiAccountSim } from '../fleet.js';
import { SimServer } from '../harness.js';
import { dcsRoutes } from './dcs.js';
import { Gateway } from './gateway.js';
import { rdsRoutes } from './rds.js';

export interface HuaweiSimulatorOptions {
  account: HuaweiAccountSim;
  latencyMs?: number;
  /** Per credential (AK, or token); absent → unlimited. `burst` defaults to ceil(requestsPerSecond). */
  rateLimit?: { requestsPerSecond: number; burst?: number };
  /** The stack's clock (the `X-Sdk-Date` check). Default: the system clock. */
  clock?: Clock;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface HuaweiSimulator {
  readonly server: SimServer;
  readonly url: string;
  readonly account: HuaweiAccountSim;
  close(): Promise<void>;
}

export function createHuaweiServer(options: HuaweiSimulatorOptions): SimServer {
  const gateway = new Gateway({
    account: options.account,
    clock: options.clock ?? systemClock,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
  });
  return new SimServer({
    name: 'huawei',
    routes: [...dcsRoutes(options.account, gateway), ...rdsRoutes(options.account, gateway)],
    notFound: () => gateway.notFound(),
    ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
  });
}

export async function startHuaweiSimulator(options: HuaweiSimulatorOptions): Promise<HuaweiSimulator> {
  const server = createHuaweiServer(options);
  const url = await server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return {
    server,
    url,
    account: options.account,
    close: () => server.close(),
  };
}
