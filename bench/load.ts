/**
 * `npm run bench:load -- [--clients 50] [--seconds 60] [--latency-ms 5] [--warmup 10]`
 *
 * N concurrent clients for T seconds against the gateway (its own process, `npm start --config`)
 * over the simulated demo fleet (another process), with a realistic mix: the dashboard's coverage
 * and failure views, paging through backupTasks, node look-ups, instance lists, and some client
 * errors. Reports requests, unexpected errors, p50/p90/p99 latency per kind, and the gateway's RSS
 * over time (memory flat after warm-up is the claim). Prints a JSON report and a Markdown table.
 */
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { cpuSecondsOf, percentile, rssOf, startFleetAndGateway } from './support/processes.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '60' },
    'latency-ms': { type: 'string', default: '5' },
    warmup: { type: 'string', default: '10' },
  },
});
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);

interface Kind {
  name: string;
  weight: number;
  /** Whether the answer is expected to carry errors (the client mistakes). */
  expectErrors: boolean;
  body(ctx: Pools): { query: string; variables?: Record<string, unknown> };
}
interface Pools {
  ids: string[];
  cursors: string[];
  day: string;
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
const KINDS: Kind[] = [
  {
    name: 'dashboard: coverage',
    weight: 25,
    expectErrors: false,
    body: () => ({
      query:
        '{ backupCoverage(first: 20, filter: { states: [NEVER, FAILING, STALE, UNKNOWN] }) { summary { total ok stale failing running never unknown } nodes { state reasons ageSeconds target { __typename } } } }',
    }),
  },
  {
    name: 'dashboard: failed since yesterday',
    weight: 20,
    expectErrors: false,
    body: (p) => ({
      query:
        'query($since: DateTime) { backupTasks(first: 20, filter: { statuses: [FAILED], since: $since }) { totalCount nodes { ... on Backup { id provider source status startedAt } } } }',
      variables: { since: p.day },
    }),
  },
  {
    name: 'paging backupTasks',
    weight: 15,
    expectErrors: false,
    body: (p) => ({
      query:
        'query($after: String) { backupTasks(first: 20, after: $after) { pageInfo { hasNextPage endCursor } nodes { ... on Backup { id status sizeBytes } } } }',
      variables: { after: p.cursors.length && Math.random() < 0.7 ? pick(p.cursors) : null },
    }),
  },
  {
    name: 'node look-ups',
    weight: 15,
    expectErrors: false,
    body: (p) => ({
      query:
        'query($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on Backup { status startedAt } ... on DcsInstance { name instanceStatus: status } ... on RdsInstance { name instanceStatus: status } } }',
      variables: { ids: Array.from({ length: 10 }, () => pick(p.ids)) },
    }),
  },
  {
    name: 'instances',
    weight: 15,
    expectErrors: false,
    body: () => ({
      query:
        '{ instances(first: 50) { totalCount nodes { __typename ... on DcsInstance { name status } ... on RdsInstance { name status } ... on ObCluster { source } } } }',
    }),
  },
  {
    name: 'client errors',
    weight: 10,
    expectErrors: true,
    body: () =>
      pick([
        { query: '{ instances(first: 1000) { totalCount } }' },
        { query: '{ node(id: "not-an-id") { id } }' },
        { query: '{ backupTasks(first: 5 { totalCount } }' },
      ]),
  },
];
const TOTAL_WEIGHT = KINDS.reduce((n, k) => n + k.weight, 0);
const drawKind = () => {
  let r = Math.random() * TOTAL_WEIGHT;
  for (const k of KINDS) if ((r -= k.weight) < 0) return k;
  return KINDS[0]!;
};

const stack = await startFleetAndGateway({ simulatorArgs: ['--latency-ms', values['latency-ms']] });
const agent = new Agent({ connections: CLIENTS, keepAliveTimeout: 30_000 });
const post = async (body: unknown) => {
  const res = await request(stack.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), dispatcher: agent });
  return { status: res.statusCode, json: (await res.body.json()) as { data?: Record<string, unknown>; errors?: unknown[] } };
};

try {
  // Pools of real IDs and cursors, as a UI would have them from earlier answers.
  const seed = await post({
    query: '{ backupTasks(first: 100) { edges { cursor node { ... on Backup { id } } } } instances(first: 100) { nodes { ... on Node { id } } } }',
  });
  const tasks = (seed.json.data!['backupTasks'] as { edges: { cursor: string; node: { id: string } }[] }).edges;
  const instances = (seed.json.data!['instances'] as { nodes: { id: string }[] }).nodes;
  const pools: Pools = {
    ids: [...tasks.map((e) => e.node.id), ...instances.map((i) => i.id)],
    cursors: tasks.map((e) => e.cursor),
    day: new Date(Date.now() - 86_400_000).toISOString(),
  };

  const latencies = new Map<string, number[]>(KINDS.map((k) => [k.name, []]));
  const unexpected: string[] = [];
  let requests = 0;
  let transportErrors = 0;
  const rss: { t: number; mb: number }[] = [];
  const started = performance.now();
  const cpuStart = cpuSecondsOf(stack.gatewayPid);
  const sampler = setInterval(() => rss.push({ t: Math.round((performance.now() - started) / 1000), mb: Math.round(rssOf(stack.gatewayPid) / 1048576) }), 1000);
  const end = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < end) {
        const kind = drawKind();
        const t0 = performance.now();
        try {
          const { status, json } = await post(kind.body(pools));
          const ms = performance.now() - t0;
          requests++;
          latencies.get(kind.name)!.push(ms);
          const hasErrors = (json.errors?.length ?? 0) > 0;
          if (hasErrors !== kind.expectErrors || (!kind.expectErrors && status !== 200))
            unexpected.push(`${kind.name}: ${status} ${JSON.stringify(json.errors ?? null).slice(0, 200)}`);
        } catch (err) {
          transportErrors++;
          unexpected.push(`${kind.name}: ${String(err)}`);
        }
      }
    }),
  );
  clearInterval(sampler);
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuSecondsOf(stack.gatewayPid) - cpuStart;
  const all = [...latencies.values()].flat().sort((a, b) => a - b);
  const row = (name: string, xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return {
      kind: name,
      requests: s.length,
      p50: +percentile(s, 50).toFixed(1),
      p90: +percentile(s, 90).toFixed(1),
      p99: +percentile(s, 99).toFixed(1),
      max: +(s.at(-1) ?? NaN).toFixed(1),
    };
  };
  const afterWarmup = rss.filter((r) => r.t >= WARMUP);
  const report = {
    clients: CLIENTS,
    seconds: SECONDS,
    upstreamLatencyMs: Number(values['latency-ms']),
    requests,
    requestsPerSecond: +(requests / elapsed).toFixed(1),
    unexpectedErrors: unexpected.length,
    transportErrors,
    gatewayCpuSeconds: +cpu.toFixed(1),
    latencyMs: [row('all', all), ...KINDS.map((k) => row(k.name, latencies.get(k.name)!))],
    rssMb: {
      atWarmup: afterWarmup[0]?.mb,
      min: Math.min(...afterWarmup.map((r) => r.mb)),
      max: Math.max(...afterWarmup.map((r) => r.mb)),
      end: rss.at(-1)?.mb,
      every10s: rss.filter((r) => r.t % 10 === 0).map((r) => `${r.t}s ${r.mb}`),
    },
    firstUnexpected: unexpected.slice(0, 5),
  };
  console.log(JSON.stringify(report, null, 2));
  console.log('\n| kind | requests | p50 ms | p90 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|');
  for (const r of report.latencyMs) console.log(`| ${r.kind} | ${r.requests} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} |`);
  if (unexpected.length > 0) process.exitCode = 1;
} finally {
  await agent.close();
  await stack.stop();
}
