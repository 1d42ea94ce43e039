/**
 * `npm run bench:compare -- --base REV [--cache 0] [--response-ms 0] [--op NAME,NAME…] [--batch 40] [--rounds 9] [--node-flags="…"]`:
 * the gateway's CPU per request for the canonical operations, this working tree against the commit
 * REV, side by side in one run: both compiled (REV in a temporary git worktree), both serving the
 * same simulated fleet at 0 ms upstreams, batches of sequential requests sent to one then the other
 * in turn (so that a noisy neighbour slows both alike). Prints per operation the medians over the
 * rounds of each gateway's own CPU time per request (from /proc, user + system) and their ratio;
 * `--cache 0`: every request reads upstream, 30 (the default): over cached pages. `--response-ms 1000`:
 * the response cache on as by default (0, the default here: every request is executed). `--node-flags`:
 * Node.js flags for the working tree's gateway only (with `--base HEAD`: the same code, two settings).
 *
 * What a change does to the gateway's cost, before and after, without a whole `npm run bench`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { generateFleet } from '../src/simulators/fleet.js';
import { canonicalOperations } from '../test/support/canonical.js';
import { cpuSecondsOf, percentile, startFleet, startGateway } from './support/processes.js';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    cache: { type: 'string', default: '30' },
    'response-ms': { type: 'string', default: '0' },
    op: { type: 'string', default: '' },
    batch: { type: 'string', default: '40' },
    rounds: { type: 'string', default: '9' },
    'node-flags': { type: 'string', default: '' },
  },
});
if (!values.base) throw new Error('--base REV: the commit to compare the working tree with');
const root = resolve('.');
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
const baseRev = git('rev-parse', '--verify', `${values.base}^{commit}`);

// The base, compiled in a worktree of its own (the dependencies are this tree's).
const baseDir = mkdtempSync(join(tmpdir(), 'backupql-base-'));
git('worktree', 'add', '--detach', baseDir, baseRev);
symlinkSync(join(root, 'node_modules'), join(baseDir, 'node_modules'));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: baseDir, stdio: 'inherit' });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });

const sims = await startFleet();
const fleetConfig = sims.config as { sources: Record<string, unknown>[] };
const config = {
  ...fleetConfig,
  cache: { ttlSeconds: Number(values.cache), responseMilliseconds: Number(values['response-ms']) },
  // The simulated upstreams need no protecting here; otherwise the limit is what is measured.
  sources: fleetConfig.sources.map((s) => ({ ...s, rateLimit: { perSecond: 100_000, burst: 100_000 } })),
};
const start = async (dir: string, flags: string[] = []) => {
  const g = await startGateway(config, { root: dir, nodeFlags: flags });
  return { ...g, name: dir === root ? `working tree${flags.length ? ` (${flags.join(' ')})` : ''}` : baseRev.slice(0, 7) };
};
const gateways = [await start(baseDir), await start(root, values['node-flags'].split(' ').filter(Boolean))] as const;

const agent = new Agent({ connections: 8 });
const post = async (url: string, query: string, variables?: Record<string, unknown>) => {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
    dispatcher: agent,
  });
  return (await res.body.json()) as { data?: Record<string, unknown>; errors?: unknown };
};
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const wanted = values.op ? values.op.split(',') : null;
const operations = canonicalOperations(generateFleet({ now: sims.now }), sims.now).filter((o) => !wanted || wanted.some((w) => o.name.includes(w)));
const batch = Number(values.batch);
console.log(
  `gateway CPU per request, ms (median of ${values.rounds} rounds of ${batch}); cache ${values.cache} s, responses ${values['response-ms']} ms; base ${gateways[0].name}, against ${gateways[1].name}`,
);
try {
  for (const op of operations) {
    const variables = op.prepare ? await op.prepare(async (q, v) => (await post(gateways[0].url, q, v)).data ?? {}) : op.variables;
    const perGateway: number[][] = [[], []];
    // Two rounds unmeasured: both processes reach their steady state (optimized code, filled caches).
    for (let round = 0; round < Number(values.rounds) + 2; round++) {
      for (const [i, gateway] of gateways.entries()) {
        const before = cpuSecondsOf(gateway.pid);
        for (let n = 0; n < batch; n++) {
          const answer = await post(gateway.url, op.query, variables);
          if (answer.errors) throw new Error(`${gateway.name}: ${op.name}: ${JSON.stringify(answer.errors).slice(0, 300)}`);
        }
        if (round >= 2) perGateway[i]!.push(((cpuSecondsOf(gateway.pid) - before) * 1000) / batch);
      }
    }
    const [base, head] = perGateway.map(median) as [number, number];
    console.log(`${op.name.padEnd(60)} base ${base.toFixed(2)}  working tree ${head.toFixed(2)}  ratio ${(head / base).toFixed(2)}`);
  }
} finally {
  await Promise.all(gateways.map((g) => g.stop()));
  await sims.stop();
  await agent.close();
  git('worktree', 'remove', '--force', baseDir);
  if (existsSync(baseDir)) rmSync(baseDir, { recursive: true, force: true });
}
process.exit(0);
