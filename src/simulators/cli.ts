/**
 * `npm run simulators`: only the simulated upstreams, for frontend work and tests (contract §2).
 * Flags: --obshell-port N (default 2886; further clusters on the next ports), --huawei-port N
 * (default 8686), --latency-ms N, --rate-limit N (Huawei requests per second per credential, then
 * 429 APIGW.0308), --seed N, --host H, --backup-seconds N (how long a backup started through the
 * simulated APIs takes to finish; default 60). Prints one JSON line when ready.
 *
 * A generated fleet of any size instead of the demo fleet: --clusters N --tenants-per-cluster N
 * --projects N --dcs-per-project N --rds-per-project N [--history-days N] (all five, or none).
 */
import { parseArgs } from 'node:util';
import { startFleetSimulators } from './index.js';

function port(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`${flag} must be a port number (0-65535); got ${value}`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  options: {
    'obshell-port': { type: 'string' },
    'huawei-port': { type: 'string' },
    'latency-ms': { type: 'string' },
    'rate-limit': { type: 'string' },
    'backup-seconds': { type: 'string' },
    seed: { type: 'string' },
    host: { type: 'string' },
    clusters: { type: 'string' },
    'tenants-per-cluster': { type: 'string' },
    projects: { type: 'string' },
    'dcs-per-project': { type: 'string' },
    'rds-per-project': { type: 'string' },
    'history-days': { type: 'string' },
  },
  strict: true,
});

const latencyMs = values['latency-ms'] === undefined ? 0 : Number(values['latency-ms']);
if (!Number.isFinite(latencyMs) || latencyMs < 0) {
  console.error(`--latency-ms must be a non-negative number; got ${values['latency-ms']}`);
  process.exit(2);
}
const rateLimit = values['rate-limit'] === undefined ? undefined : Number(values['rate-limit']);
if (rateLimit !== undefined && !(Number.isFinite(rateLimit) && rateLimit > 0)) {
  console.error(`--rate-limit must be a positive number of requests per second; got ${values['rate-limit']}`);
  process.exit(2);
}
const backupSeconds = values['backup-seconds'] === undefined ? undefined : Number(values['backup-seconds']);
if (backupSeconds !== undefined && !(Number.isFinite(backupSeconds) && backupSeconds > 0)) {
  console.error(`--backup-seconds must be a positive number; got ${values['backup-seconds']}`);
  process.exit(2);
}
const seed = values.seed === undefined ? undefined : Number(values.seed);
if (seed !== undefined && !Number.isInteger(seed)) {
  console.error(`--seed must be an integer; got ${values.seed}`);
  process.exit(2);
}

const SIZE_FLAGS = ['clusters', 'tenants-per-cluster', 'projects', 'dcs-per-project', 'rds-per-project'] as const;
const given = SIZE_FLAGS.filter((flag) => values[flag] !== undefined);
if (given.length > 0 && given.length < SIZE_FLAGS.length) {
  console.error(`a generated fleet needs all of ${SIZE_FLAGS.map((f) => `--${f}`).join(' ')}`);
  process.exit(2);
}
const count = (flag: (typeof SIZE_FLAGS)[number] | 'history-days', min: number): number => {
  const n = Number(values[flag]);
  if (!Number.isInteger(n) || n < min || n > 100_000) {
    console.error(`--${flag} must be an integer from ${min}; got ${values[flag]}`);
    process.exit(2);
  }
  return n;
};
const size =
  given.length === 0
    ? undefined
    : {
        clusters: count('clusters', 1),
        tenantsPerCluster: count('tenants-per-cluster', 0),
        projects: count('projects', 1),
        dcsPerProject: count('dcs-per-project', 0),
        rdsPerProject: count('rds-per-project', 0),
        ...(values['history-days'] === undefined ? {} : { historyDays: count('history-days', 1) }),
      };

const sims = await startFleetSimulators({
  ...(size ? { size } : {}),
  obshellPort: port(values['obshell-port'], 2886, '--obshell-port'),
  huaweiPort: port(values['huawei-port'], 8686, '--huawei-port'),
  host: values.host ?? '127.0.0.1',
  latencyMs,
  ...(rateLimit === undefined ? {} : { huaweiRateLimit: { requestsPerSecond: rateLimit } }),
  ...(seed === undefined ? {} : { seed }),
  ...(backupSeconds === undefined ? {} : { backupDurationMs: backupSeconds * 1000 }),
});
process.stdout.write(`${JSON.stringify(sims.describe())}\n`);

const stop = () => {
  void sims.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
