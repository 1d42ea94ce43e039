/**
 * `npm run bench:profile -- [--cache 30] [--seconds 5] [--op NAME] [--clients 20] [--latency-ms 0] [--response-ms 1000]`:
 * a CPU profile of the compiled gateway while the clients run one canonical operation (upstream
 * calls taking `--latency-ms`; `--clients 1 --latency-ms 20`: the latency runs' case); prints the
 * functions with the most self time and the gateway's CPU time per request, and writes the
 * .cpuprofile (open it in Chrome's DevTools) to a temporary folder.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { generateFleet } from '../src/simulators/fleet.js';
import { canonicalOperations } from '../test/support/canonical.js';
import { cpuSecondsOf, startFleet, startGateway } from './support/processes.js';

const { values } = parseArgs({
  options: {
    cache: { type: 'string', default: '30' },
    seconds: { type: 'string', default: '5' },
    op: { type: 'string', default: 'fleet overview' },
    clients: { type: 'string', default: '20' },
    'latency-ms': { type: 'string', default: '0' },
    'response-ms': { type: 'string', default: '1000' },
  },
});
const sims = await startFleet(['--latency-ms', values['latency-ms']]);
const op = canonicalOperations(generateFleet({ now: sims.now }), sims.now).find((o) => o.name.includes(values.op))!;
const dir = mkdtempSync(join(tmpdir(), 'backupql-prof-'));
const config = sims.config as { sources: object[] };
const gateway = await startGateway(
  {
    ...config,
    cache: { ttlSeconds: Number(values.cache), responseMilliseconds: Number(values['response-ms']) },
    sources: config.sources.map((s) => ({ ...s, rateLimit: { perSecond: 100_000, burst: 100_000 } })),
  },
  { nodeFlags: ['--cpu-prof', '--cpu-prof-dir', dir] },
);
const agent = new Agent({ connections: 32 });
const post = async (query: string, variables?: Record<string, unknown>) => {
  const res = await request(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
    dispatcher: agent,
  });
  return (await res.body.json()) as { data: Record<string, unknown> };
};
const variables = op.prepare ? await op.prepare(async (q, v) => (await post(q, v)).data) : op.variables;
// Warm (V8 optimizes the hot path), then measure.
for (let i = 0; i < 30; i++) await post(op.query, variables);
const cpuBefore = cpuSecondsOf(gateway.pid);
const until = performance.now() + Number(values.seconds) * 1000;
let done = 0;
await Promise.all(
  Array.from({ length: Number(values.clients) }, async () => {
    while (performance.now() < until) {
      await post(op.query, variables);
      done++;
    }
  }),
);
const cpuMs = ((cpuSecondsOf(gateway.pid) - cpuBefore) * 1000) / done;
console.log(`${op.name}: ${(done / Number(values.seconds)).toFixed(0)} req/s, gateway CPU ${cpuMs.toFixed(2)} ms a request`);
await gateway.stop();
await sims.stop();
await agent.close();
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: ProfileNode[] };
const self = new Map<string, number>();
let total = 0;
for (const n of profile.nodes) {
  if (!n.hitCount || n.callFrame.functionName === '(idle)') continue;
  total += n.hitCount;
  const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/')}:${n.callFrame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + n.hitCount);
}
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`);
console.log(`profile: ${join(dir, file)}`);
process.exit(0);
