/**
 * `npm run simulators`: only the simulated upstreams, for frontend work and tests (contract §2).
 * Flags: --obshell-port N (default 2886; further clusters on the next ports), --huawei-port N
 * (default 8686), --latency-ms N, --rate-limit N (Huawei requests per second per credential, then
 * 429 APIGW.0308), --seed N, --host H. Prints one JSON line when ready.
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
    seed: { type: 'string' },
    host: { type: 'string' },
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
const seed = values.seed === undefined ? undefined : Number(values.seed);
if (seed !== undefined && !Number.isInteger(seed)) {
  console.error(`--seed must be an integer; got ${values.seed}`);
  process.exit(2);
}

const sims = await startFleetSimulators({
  obshellPort: port(values['obshell-port'], 2886, '--obshell-port'),
  huaweiPort: port(values['huawei-port'], 8686, '--huawei-port'),
  host: values.host ?? '127.0.0.1',
  latencyMs,
  ...(rateLimit === undefined ? {} : { huaweiRateLimit: { requestsPerSecond: rateLimit } }),
  ...(seed === undefined ? {} : { seed }),
});
process.stdout.write(`${JSON.stringify(sims.describe())}\n`);

const stop = () => {
  void sims.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
