/**
 * A benchmark's upstreams: the simulated fleet (the demo fleet, or a generated one with the
 * simulator CLI's size flags) on ephemeral loopback ports; prints one JSON line (the gateway
 * configuration for it, the instant the fleet was generated at, each simulator's URL for the
 * `/__sim/*` knobs), then serves until stopped.
 */
import { parseArgs } from 'node:util';
import { systemClock } from '../../src/lib/clock.js';
import { startFleetSimulators } from '../../src/simulators/index.js';

const { values } = parseArgs({
  options: {
    'latency-ms': { type: 'string' },
    clusters: { type: 'string' },
    'tenants-per-cluster': { type: 'string' },
    projects: { type: 'string' },
    'dcs-per-project': { type: 'string' },
    'rds-per-project': { type: 'string' },
    'history-days': { type: 'string' },
    'rate-limit': { type: 'string' },
  },
});
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const size =
  values.clusters === undefined
    ? undefined
    : {
        clusters: num(values.clusters)!,
        tenantsPerCluster: num(values['tenants-per-cluster'])!,
        projects: num(values.projects)!,
        dcsPerProject: num(values['dcs-per-project'])!,
        rdsPerProject: num(values['rds-per-project'])!,
        historyDays: num(values['history-days']) ?? 30,
      };
const now = systemClock.now();
const rate = num(values['rate-limit']);
const sims = await startFleetSimulators({
  clock: systemClock,
  now,
  ...(size ? { size } : {}),
  latencyMs: num(values['latency-ms']) ?? 0,
  ...(rate === undefined ? {} : { huaweiRateLimit: { requestsPerSecond: rate } }),
});
console.log(JSON.stringify({ config: sims.config(), now, simulators: [...sims.obshell.map((s) => s.url), sims.huawei.url] }));
const stop = () => void sims.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
