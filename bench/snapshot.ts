/**
 * `npm run bench` (its second part), or `npm run bench:snapshot` alone: the fleet snapshot at
 * 10,000 targets over 20 sources (issue 14), written to docs/benchmarks.md (its "Fleet snapshot"
 * section, between markers; the rest of the file is bench/run.ts's).
 *
 * Processes: the simulated fleet in one child (10 obshell agents of 200 user tenants, 10 Huawei
 * projects of 400 DCS and 400 RDS instances, 8 days of history, 50 ms per upstream call, the Huawei
 * endpoint throttled per credential), the compiled gateway (`dist/main.js`, as `npm start`) with
 * the snapshot on in another; this process is the clients. Measured:
 *
 * 1. cold start: from the gateway's start to `fleetSnapshot.complete`, the calls it took (the
 *    simulators' call log) and the throttled answers among them;
 * 2. steady state: upstream calls a minute per source over a window, against its refresh budget
 *    (`targetIntervalSeconds` set so that the wish to re-read exceeds the budget: the budget paces);
 * 3. `backupCoverage(first: 50)` and the dashboard's queries (web/src/queries.ts) at 50 concurrent
 *    clients: p50/p99, the request path's upstream calls (the gateway's
 *    `backupql_graphql_operation_upstream_calls_total`), RSS.
 *
 * Nothing here asserts. `--quick`: a smaller fleet and shorter windows (a check that it works).
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import type { CallRecord } from '../src/simulators/harness.js';
import { dashboardDocument } from '../test/support/dashboard.js';
import { percentile, rssOf, startFleet, startGateway } from './support/processes.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, out: { type: 'string', default: 'docs/benchmarks.md' } } });
const QUICK = values.quick;
const SIZE = QUICK ? { clusters: 2, tenants: 50, projects: 2, dcs: 100, rds: 100 } : { clusters: 10, tenants: 200, projects: 10, dcs: 400, rds: 400 };
const TARGETS = SIZE.clusters * SIZE.tenants + SIZE.projects * (SIZE.dcs + SIZE.rds);
const LATENCY_MS = 50;
/** The simulated Huawei endpoint's throttle, per credential (every project here signs with one AK). */
const THROTTLE_RPS = 1_000;
const BUDGET_PER_MINUTE = 1_200;
const TARGET_INTERVAL_SECONDS = 30;
/** One whole target interval: the re-reads come in waves (the cold start's order), a shorter window sees part of one. */
const STEADY_SECONDS = QUICK ? 5 : TARGET_INTERVAL_SECONDS;
/** Each load runs this long per round, the rounds interleaved (A B C D, A B C D, …): a refresh wave falls on all alike. */
const LOAD_SECONDS = QUICK ? 1 : 3;
const ROUNDS = 2;
const CLIENTS = 50;
/** The gateway's heap limit (`BACKUPQL_HEAP_MB` of `npm start`): the snapshot of 10,000 targets does not fit the default 256 MB. */
const HEAP_MB = 1_024;
/**
 * A larger young generation (V8's default semi-space is 16 MB at most): the request path allocates
 * fast, and with a heap this size every scavenge is costlier (measured side by side: the dashboard's
 * coverage page p50 133 ms without it, 50 ms with it). `SNAPSHOT_NODE_FLAGS` overrides it.
 */
const GC_FLAGS = '--max-semi-space-size=64';
const started = performance.now();
const log = (line: string) => console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] snapshot: ${line}`);
const agent = new Agent({ connections: 128, pipelining: 1 });

log(`starting a simulated fleet of ${TARGETS} targets`);
const sims = await startFleet([
  ...['--clusters', String(SIZE.clusters), '--tenants-per-cluster', String(SIZE.tenants)],
  ...['--projects', String(SIZE.projects), '--dcs-per-project', String(SIZE.dcs), '--rds-per-project', String(SIZE.rds)],
  ...['--history-days', '8', '--latency-ms', String(LATENCY_MS), '--rate-limit', String(THROTTLE_RPS)],
]);
const baseConfig = sims.config as { sources: Record<string, unknown>[] } & Record<string, unknown>;
const sourceNames = baseConfig.sources.map((s) => String(s['name']));
const projectSource = new Map(baseConfig.sources.filter((s) => s['projectId']).map((s) => [String(s['projectId']), String(s['name'])]));
const obSourceAt = baseConfig.sources.filter((s) => s['provider'] === 'oceanbase').map((s) => String(s['name']));

const admin = (path: string, method: string) =>
  Promise.all(
    sims.simulators.map(async (base) => {
      const res = await request(new URL(path, base), { method, dispatcher: agent });
      return (await res.body.json()) as { calls?: CallRecord[] };
    }),
  );
const clearCalls = () => admin('/__sim/calls', 'DELETE');
/** The calls each simulator logged, attributed to their sources (the obshell agents in order, then the Huawei endpoint by project). */
async function callsBySource(): Promise<{ total: number; throttled: number; bySource: Map<string, number> }> {
  const logs = await admin('/__sim/calls', 'GET');
  const bySource = new Map<string, number>(sourceNames.map((n) => [n, 0]));
  let total = 0;
  let throttled = 0;
  logs.forEach((entry, i) => {
    for (const call of entry.calls ?? []) {
      total++;
      if (call.status === 429) throttled++;
      const name = i < obSourceAt.length ? obSourceAt[i]! : projectSource.get(/^\/v\d+\/([^/]+)\//.exec(call.path)?.[1] ?? '');
      if (name) bySource.set(name, (bySource.get(name) ?? 0) + 1);
    }
  });
  return { total, throttled, bySource };
}

const config = {
  ...baseConfig,
  cache: { ttlSeconds: 0 },
  operations: { collectorIntervalSeconds: 0 },
  snapshot: { enabled: true, targetIntervalSeconds: TARGET_INTERVAL_SECONDS },
  sources: baseConfig.sources.map((s) => ({ ...s, refreshBudget: { callsPerMinute: BUDGET_PER_MINUTE } })),
};

await clearCalls();
log('starting the gateway (snapshot on)');
const coldStart = performance.now();
const gateway = await startGateway(config, {
  heapMb: HEAP_MB,
  nodeFlags: [
    ...(process.env.SNAPSHOT_NODE_FLAGS ?? GC_FLAGS).split(' ').filter(Boolean),
    ...(process.env.SNAPSHOT_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SNAPSHOT_PROFILE}`] : []),
  ],
});
const metricsUrl = gateway.url.replace(/\/graphql$/, '/metrics');

async function post(body: { query: string; variables?: Record<string, unknown> }): Promise<{ data?: Record<string, unknown>; errors?: { message: string }[] }> {
  const res = await request(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), dispatcher: agent });
  return (await res.body.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
}

interface SourceStatus {
  source: string;
  targets: number;
  read: number;
  oldestReadAt: string | null;
  callsPerMinute: number;
}
const STATUS = '{ fleetSnapshot { complete asOf sources { source targets read oldestReadAt callsPerMinute } } }';
const status = async () => (await post({ query: STATUS })).data!['fleetSnapshot'] as { complete: boolean; asOf: string | null; sources: SourceStatus[] };

for (;;) {
  const s = await status();
  if (s.complete) break;
  if (performance.now() - coldStart > 300_000) throw new Error('the snapshot did not complete in 5 minutes');
  await new Promise((r) => setTimeout(r, 100));
}
const coldMs = performance.now() - coldStart;
const cold = await callsBySource();
const coldStatus = await status();
const targetsListed = coldStatus.sources.reduce((n, s) => n + s.targets, 0);
log(`complete in ${(coldMs / 1000).toFixed(1)} s, ${cold.total} calls (${cold.throttled} throttled)`);
const rssIdle = rssOf(gateway.pid);

// Steady state: what the refreshers spend a minute per source.
await clearCalls();
const steadyStart = performance.now();
await new Promise((r) => setTimeout(r, STEADY_SECONDS * 1000));
const steady = await callsBySource();
const steadyMinutes = (performance.now() - steadyStart) / 60_000;
// The bucket's bound: since the start a source can have spent at most its burst (a minute's worth)
// plus its rate over the time gone by.
const sinceStartMinutes = (performance.now() - coldStart) / 60_000;
const bound = BUDGET_PER_MINUTE + BUDGET_PER_MINUTE * sinceStartMinutes;
const sinceStart = sourceNames.map((source) => ({ source, calls: (cold.bySource.get(source) ?? 0) + (steady.bySource.get(source) ?? 0) }));
const busiestSinceStart = sinceStart.reduce((a, b) => (b.calls > a.calls ? b : a));
const steadyStatus = await status();
const perMinute = [...steady.bySource].map(([source, n]) => ({ source, perMinute: n / steadyMinutes }));
const maxAgeSeconds = Math.max(...steadyStatus.sources.map((s) => (s.oldestReadAt ? (Date.now() - Date.parse(s.oldestReadAt)) / 1000 : Infinity)));
log(`steady: ${(steady.total / steadyMinutes).toFixed(0)} calls a minute in all`);

async function requestPathCalls(): Promise<number> {
  const res = await request(metricsUrl, { dispatcher: agent });
  const text = await res.body.text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith('backupql_graphql_operation_upstream_calls_total{')) sum += Number(line.split(' ').pop());
  return sum;
}

/** `CLIENTS` clients sending `body` for `seconds`: latencies, errors, the gateway's peak RSS, the request path's upstream calls. */
async function load(make: () => { query: string; variables?: Record<string, unknown> }, seconds: number) {
  const body = make();
  await post(body); // warm
  const before = await requestPathCalls();
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let rssPeak = 0;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssOf(gateway.pid))), 100);
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        const json = await post(make());
        latencies.push(performance.now() - t);
        if (json.errors) {
          errors++;
          firstError ??= json.errors[0]!.message;
        }
      }
    }),
  );
  clearInterval(sampler);
  const sorted = latencies.sort((a, b) => a - b);
  return {
    requests: sorted.length,
    rps: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    latencies: sorted,
    errors,
    firstError: firstError as string | null,
    rssPeak,
    calls: (await requestPathCalls()) - before,
  };
}

const COVERAGE_50 = `query Coverage50 { backupCoverage(first: 50) { totalCount asOf summary { total ok failing never unknown }
  nodes { state reasons asOf stale lastSuccessAt target { __typename ... on ObTenant { id tenantName } ... on DcsInstance { id name } ... on RdsInstance { id name } } } } }`;
let unique = 0;
const loads = [
  { name: '`backupCoverage(first: 50)`', make: () => ({ query: COVERAGE_50 }) },
  {
    name: '`backupCoverage(first: 50)`, never the same document (no response cache: parsed, validated, executed each time)',
    make: () => ({ query: COVERAGE_50.replace('backupCoverage(', `c${unique++}: backupCoverage(`) }),
  },
  { name: 'dashboard: coverage, first 100 (`DashboardCoverage`)', make: () => ({ query: dashboardDocument('DashboardCoverage'), variables: { first: 100 } }) },
  { name: 'dashboard: newest 50 backups (`DashboardRecent`)', make: () => ({ query: dashboardDocument('DashboardRecent'), variables: { first: 50 } }) },
];
// Not measured: each load briefly first, so that the rounds see the request path's optimized code
// (a process's first requests of a kind run before V8 has compiled them; bench/run.ts does the same).
log('warming the request path up');
for (const l of loads) await load(l.make, QUICK ? 0.2 : 0.5);
const rounds = loads.map(() => [] as Awaited<ReturnType<typeof load>>[]);
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, l] of loads.entries()) {
    log(`load, round ${round + 1}: ${l.name}`);
    const result = await load(l.make, LOAD_SECONDS);
    if (result.firstError) log(`  first error: ${result.firstError}`);
    rounds[i]!.push(result);
  }
}
const loadResults = loads.map((l, i) => {
  const rs = rounds[i]!;
  const all = rs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  return {
    name: l.name,
    requests: all.length,
    rps: all.length / (LOAD_SECONDS * ROUNDS),
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    roundP50s: rs.map((r) => r.p50),
    errors: rs.reduce((n, r) => n + r.errors, 0),
    calls: rs.reduce((n, r) => n + r.calls, 0),
    rssPeak: Math.max(...rs.map((r) => r.rssPeak)),
  };
});
const backupsHeld = ((await post({ query: '{ backupTasks(first: 1) { totalCount } }' })).data!['backupTasks'] as { totalCount: number }).totalCount;

await gateway.stop();
await sims.stop();
await agent.close();

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const budgetAll = BUDGET_PER_MINUTE * sourceNames.length;
const steadyTotal = steady.total / steadyMinutes;
const maxSource = perMinute.reduce((a, b) => (b.perMinute > a.perMinute ? b : a));
const section = `<!-- snapshot:begin (bench/snapshot.ts writes this section) -->
## Fleet snapshot: ${TARGETS.toLocaleString('en')} targets over ${sourceNames.length} sources${QUICK ? ' (--quick: not figures)' : ''}

Run ${new Date().toISOString().slice(0, 10)} (bench/snapshot.ts took ${((performance.now() - started) / 1000).toFixed(0)} s) on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${mb(totalmem())} memory, Linux ${release()}, Node.js ${process.version}.
The simulated fleet: ${SIZE.clusters} obshell agents × ${SIZE.tenants} user tenants, ${SIZE.projects} Huawei projects × (${SIZE.dcs} DCS + ${SIZE.rds} RDS), 8 days of
history (${backupsHeld.toLocaleString('en')} backups in the default 7-day window), ${LATENCY_MS} ms per upstream call, the Huawei endpoint throttled
at ${THROTTLE_RPS} requests a second per credential (429 \`APIGW.0308\`; Huawei publishes no figure, see docs/snapshot.md). The gateway: compiled, heap limit ${HEAP_MB} MB (\`BACKUPQL_HEAP_MB\`; 256 MB, the default, runs out at this size), \`${process.env.SNAPSHOT_NODE_FLAGS ?? GC_FLAGS}\`,
\`snapshot.enabled\`, \`targetIntervalSeconds: ${TARGET_INTERVAL_SECONDS}\`, each source's \`refreshBudget.callsPerMinute: ${BUDGET_PER_MINUTE}\` (the default), page cache off.

| measure | figure |
|---|---|
| cold start to a complete snapshot | ${(coldMs / 1000).toFixed(1)} s (gateway start included), ${targetsListed.toLocaleString('en')} targets listed and read |
| cold start calls | ${cold.total.toLocaleString('en')} (${(cold.total / TARGETS).toFixed(2)} a target; ${cold.throttled} answered 429) |
| steady state, all sources | ${steadyTotal.toFixed(0)} calls a minute against a budget of ${budgetAll.toLocaleString('en')} (${((steadyTotal / budgetAll) * 100).toFixed(0)} %), over ${STEADY_SECONDS} s |
| steady state, busiest source | ${maxSource.perMinute.toFixed(0)} calls a minute (${maxSource.source}) against its ${BUDGET_PER_MINUTE} |
| the bucket's bound, busiest source | ${busiestSinceStart.calls.toLocaleString('en')} calls in the ${(sinceStartMinutes * 60).toFixed(0)} s since the start (${busiestSinceStart.source}); its budget allows at most ${bound.toFixed(0)} (a minute's burst + ${BUDGET_PER_MINUTE} a minute): within the first minutes the burst carries over, so a 30 s window can show more than 1,200 a minute |
| steady state, throttled answers | ${steady.throttled} |
| oldest read at the end of the window | ${maxAgeSeconds.toFixed(0)} s ago (a target is due every ${TARGET_INTERVAL_SECONDS} s; the budget paces the re-reads) |
| gateway RSS after the cold start | ${mb(rssIdle)} |

At ${CLIENTS} concurrent clients, ${ROUNDS} interleaved rounds of ${LOAD_SECONDS} s each (after a brief unmeasured run of each), while the refreshers run (answers shared per principal for \`snapshot.responseCacheMilliseconds\`, 1 s, except where said):

| query | requests | req/s | p50 (each round's) | p99 | errors | upstream calls on the request path | gateway RSS peak |
|---|---|---|---|---|---|---|---|
${loadResults
  .map(
    (r) =>
      `| ${r.name} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} ms (${r.roundP50s.map((p) => p.toFixed(0)).join(', ')}) | ${r.p99.toFixed(1)} ms | ${r.errors} | ${r.calls} | ${mb(r.rssPeak)} |`,
  )
  .join('\n')}

Per source, steady state (calls a minute): ${perMinute.map((p) => `${p.source} ${p.perMinute.toFixed(0)}`).join(', ')}.
<!-- snapshot:end -->
`;

const doc = existsSync(values.out) ? readFileSync(values.out, 'utf8') : '# Benchmarks\n';
const begin = doc.indexOf('<!-- snapshot:begin');
const end = doc.indexOf('<!-- snapshot:end -->');
const next = begin >= 0 && end > begin ? doc.slice(0, begin) + section + doc.slice(end + '<!-- snapshot:end -->\n'.length) : `${doc.trimEnd()}\n\n${section}`;
writeFileSync(values.out, next);
log(`wrote ${values.out}`);
process.exit(0);
