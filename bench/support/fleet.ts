/**
 * A benchmark's upstreams: the simulated fleet (the demo fleet, or a generated one with the
 * simulator CLI's size flags) on ephemeral loopback ports; prints the gateway configuration for it
 * as one JSON line, then serves until stopped.
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
const sims = await startFleetSimulators({ clock: systemClock, ...(size ? { size } : {}), latencyMs: num(values['latency-ms']) ?? 0 });
console.log(JSON.stringify(sims.config()));
const stop = () => void sims.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
