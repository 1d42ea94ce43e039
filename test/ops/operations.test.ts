/**
 * What operators run the gateway with, over the simulators (real HTTP, real auth): `/health` costs
 * no upstream call; `/readiness` probes each source once (past the page cache), says which are
 * down and why, without a secret, and is kept for its cache time; `/metrics` counts operations,
 * upstream calls, retries, cache look-ups and circuit states, and the backup-state collector
 * turns the coverage view into per-target series (the alerts in deploy/prometheus read them).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config.js';
import { tapLogs } from '../../src/lib/log.js';
import { encodeId } from '../support/ids.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const withOps =
  (operations: Record<string, unknown>, more: (c: ConfigInput) => ConfigInput = (c) => c) =>
  (config: ConfigInput): ConfigInput =>
    more({ ...config, operations: { ...config.operations, ...operations } });

async function get(s: Stack, path: string): Promise<{ status: number; type: string | null; text: string }> {
  const res = await s.gateway.yoga.fetch(`http://backupql.test${path}`);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** The value of one series in a Prometheus text exposition (labels in any order), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}
const series = (text: string, name: string) => text.split('\n').filter((l) => l.startsWith(`${name}{`));

describe('/health and /readiness', () => {
  it('/health answers without any upstream call', async () => {
    stack = await startStack();
    stack.clearCalls();
    const res = await get(stack, '/health');
    expect(res.status).toBe(200);
    expect(stack.calls()).toEqual([]);
  });

  it('/readiness probes each source once, past the page cache, and keeps the report for its cache time', async () => {
    stack = await startStack({ cache: true, configure: withOps({ readinessCacheSeconds: 3600 }) });
    // A page the cache holds is no answer to "is the source up?": the probe reads upstream anyway.
    await stack.query('{ tenants(first: 1) { totalCount } instances(first: 1) { totalCount } }');
    stack.clearCalls();
    const res = await get(stack, '/readiness');
    expect(res.status).toBe(200);
    const report = JSON.parse(res.text) as { status: string; sources: { source: string; ok: boolean; circuit: string }[] };
    expect(report.status).toBe('ready');
    const names = stack.sims.fleet.oceanbase.map((c) => c.name).concat(stack.sims.fleet.huawei.projects.map((p) => p.name));
    expect(report.sources.map((s) => s.source)).toEqual(names);
    expect(report.sources.every((s) => s.ok && s.circuit === 'closed')).toBe(true);
    const routes = stack.calls().map((c) => c.route);
    expect(routes.filter((r) => r === 'obshell.tenantsOverview')).toHaveLength(stack.sims.fleet.oceanbase.length);
    expect(routes.filter((r) => r === 'dcs.listInstances')).toHaveLength(stack.sims.fleet.huawei.projects.length);
    expect(routes.filter((r) => r === 'rds.listInstances')).toHaveLength(stack.sims.fleet.huawei.projects.length);
    // Probes behind a load balancer every few seconds never reach the upstreams more than once per cache time.
    stack.clearCalls();
    for (let i = 0; i < 5; i++) expect((await get(stack, '/readiness')).status).toBe(200);
    expect(stack.calls()).toEqual([]);
  });

  it('a source down or refusing its credentials: degraded (still 200), named, with the reason and no secret; all down: 503', async () => {
    const wrong = 'not-the-password-1234';
    stack = await startStack({
      configure: withOps({ readinessCacheSeconds: 0 }, (c) => ({
        ...c,
        sources: c.sources.map((s, i) => (i === 0 ? { ...s, password: wrong } : s)),
      })),
    });
    const [first] = stack.sims.fleet.oceanbase;
    stack.sims.huawei.server.addFault({ route: 'rds.listInstances', kind: 'status', status: 503, body: '' });
    const res = await get(stack, '/readiness');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(wrong);
    const report = JSON.parse(res.text) as { status: string; sources: { source: string; ok: boolean; error?: { code: string } }[] };
    expect(report.status).toBe('degraded');
    const bySource = new Map(report.sources.map((s) => [s.source, s]));
    expect(bySource.get(first!.name)).toMatchObject({ ok: false, error: { code: 'UPSTREAM_AUTH_FAILED' } });
    for (const p of stack.sims.fleet.huawei.projects) expect(bySource.get(p.name)).toMatchObject({ ok: false, error: { code: 'UPSTREAM_UNAVAILABLE' } });
    expect(report.sources.filter((s) => s.ok).map((s) => s.source)).toEqual(stack.sims.fleet.oceanbase.slice(1).map((c) => c.name));

    for (const sim of stack.sims.obshell) sim.server.addFault({ kind: 'reset' });
    const none = await get(stack, '/readiness');
    expect(none.status).toBe(503);
    expect((JSON.parse(none.text) as { status: string }).status).toBe('unavailable');
  });
});

describe('/metrics', () => {
  it('counts operations by name and outcome, upstream calls by source, route and status, cache look-ups and circuit states', async () => {
    stack = await startStack({ cache: true });
    const q = 'query Fleet { instances(first: 5) { totalCount } }';
    expect((await stack.query(q)).errors).toBeUndefined();
    // The same again: answered from the response cache (counted, nothing executed).
    expect((await stack.query(q)).errors).toBeUndefined();
    // Another document over the same pages: executed, every page from the page cache.
    expect((await stack.query('query Fleet { instances(first: 5) { totalCount pageInfo { hasNextPage } } }')).errors).toBeUndefined();
    expect((await stack.query('query Broken { nope }')).errors).toBeDefined();
    const calls = stack.calls();
    const res = await get(stack, '/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(sample(text, 'backupql_graphql_operations_total', { operation: 'Fleet', outcome: 'success' })).toBe(3);
    expect(sample(text, 'backupql_graphql_response_cache_total', { event: 'hit' })).toBe(1);
    expect(sample(text, 'backupql_graphql_response_cache_total', { event: 'stored' })).toBe(2);
    expect(sample(text, 'backupql_graphql_operations_total', { operation: 'Broken', outcome: 'invalid' })).toBe(1);
    // Durations are of executions: the cached answer ran none.
    expect(sample(text, 'backupql_graphql_operation_duration_seconds_count', { operation: 'Fleet', outcome: 'success' })).toBe(2);
    // The request path's upstream calls, per operation: every call of this test (the later runs were cached).
    expect(calls.length).toBeGreaterThan(0);
    expect(sample(text, 'backupql_graphql_operation_upstream_calls_total', { operation: 'Fleet' })).toBe(calls.length);
    // Every call the simulators received is counted under its source, route and status.
    const source = stack.sims.fleet.huawei.projects[0]!.name;
    const dcsLists = calls.filter((c) => c.route === 'dcs.listInstances' && c.server.startsWith('huawei')).length;
    expect(dcsLists).toBeGreaterThan(0);
    const counted = series(text, 'backupql_upstream_requests_total')
      .filter((l) => l.includes('route="GET /v2/{project_id}/instances"') && l.includes('status="200"'))
      .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    expect(counted).toBe(dcsLists);
    expect(sample(text, 'backupql_upstream_requests_total', { source, provider: 'huaweicloud', status: '200' })).toBeGreaterThan(0);
    expect(sample(text, 'backupql_upstream_request_duration_seconds_count', { source })).toBeGreaterThan(0);
    // The third run was answered from the page cache.
    expect(sample(text, 'backupql_cache_requests_total', { result: 'hit' })).toBeGreaterThan(0);
    expect(sample(text, 'backupql_cache_requests_total', { result: 'miss' })).toBe(calls.length);
    expect(sample(text, 'backupql_circuit_state', { source, provider: 'huaweicloud' })).toBe(0);
    expect(sample(text, 'backupql_process_cpu_seconds_total')).toBeGreaterThan(0);
    // Scraping costs the upstreams nothing.
    stack.clearCalls();
    await get(stack, '/metrics');
    expect(stack.calls()).toEqual([]);
  });

  it('retries, failures and an open circuit show up per source', async () => {
    stack = await startStack({
      configure: (c) => ({
        ...c,
        sources: c.sources.map((s) => ({
          ...s,
          retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 2, maxTotalMs: 1000 },
          circuitBreaker: { consecutiveFailures: 2, halfOpenAfterMs: 600_000 },
        })),
      }),
    });
    const project = stack.sims.fleet.huawei.projects[0]!;
    stack.sims.huawei.server.addFault({ route: 'dcs.listInstances', params: {}, kind: 'status', status: 503, body: '' });
    await stack.query(`{ instances(first: 5, filter: { providers: [DCS], sources: ["${project.name}"] }) { totalCount } }`);
    const text = (await get(stack, '/metrics')).text;
    expect(sample(text, 'backupql_upstream_retries_total', { source: project.name })).toBe(1);
    expect(sample(text, 'backupql_upstream_requests_total', { source: project.name, status: '503' })).toBe(2);
    expect(sample(text, 'backupql_circuit_state', { source: project.name })).toBe(2);
    expect(sample(text, 'backupql_graphql_operations_total', { operation: 'anonymous', outcome: 'partial' })).toBe(1);
  });

  it('DataLoader batches: the IDs of one nodes(ids:) are looked up in one batch per source', async () => {
    stack = await startStack();
    const project = stack.sims.fleet.huawei.projects[0]!;
    const ids = project.dcs.slice(0, 4).map((i) => encodeId({ type: 'DcsInstance', source: project.name, instanceId: i.row.instance_id }));
    expect((await stack.query('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids })).errors).toBeUndefined();
    const text = (await get(stack, '/metrics')).text;
    expect(sample(text, 'backupql_dataloader_batch_size_count', { loader: 'huaweicloud.nodes' })).toBe(1);
    expect(sample(text, 'backupql_dataloader_batch_size_sum', { loader: 'huaweicloud.nodes' })).toBe(4);
  });

  it('operation names chosen by clients cannot grow the series without bound', async () => {
    stack = await startStack();
    for (let i = 0; i < 230; i++) await stack.query(`query Op${i} { __typename }`);
    const lines = series((await get(stack, '/metrics')).text, 'backupql_graphql_operations_total');
    expect(lines.length).toBeLessThanOrEqual(201);
    expect(sample((await get(stack, '/metrics')).text, 'backupql_graphql_operations_total', { operation: 'other' })).toBe(30);
  });
});

describe('backup state as metrics', () => {
  it('a pass of the collector sets, per target, its state, last success, RPO and last size, as the coverage view says', async () => {
    stack = await startStack({ configure: withOps({ collectorIntervalSeconds: 300 }) });
    const coverage = await stack.query<{
      backupCoverage: { nodes: { state: string; source: string; provider: string; lastSuccessAt: string | null; rpoHours: number; target: { id: string } }[] };
    }>('{ backupCoverage(first: 100) { nodes { state source provider lastSuccessAt rpoHours target { ... on Node { id } } } } }');
    const items = coverage.data!.backupCoverage.nodes;
    stack.clearCalls();
    await stack.gateway.collector!.run();
    expect(stack.calls().length).toBeGreaterThan(0);
    const text = (await get(stack, '/metrics')).text;
    for (const item of items) {
      const labels = { id: item.target.id, source: item.source, provider: item.provider };
      expect(sample(text, 'backupql_backup_coverage_state', { ...labels, state: item.state }), item.target.id).toBe(1);
      for (const other of ['OK', 'STALE', 'FAILING', 'RUNNING', 'NEVER', 'UNKNOWN'].filter((s) => s !== item.state))
        expect(sample(text, 'backupql_backup_coverage_state', { ...labels, state: other })).toBe(0);
      expect(sample(text, 'backupql_backup_rpo_seconds', labels)).toBe(item.rpoHours * 3600);
      const last = sample(text, 'backupql_backup_last_success_timestamp_seconds', labels);
      if (item.lastSuccessAt === null) expect(last).toBeUndefined();
      else expect(last).toBe(Date.parse(item.lastSuccessAt) / 1000);
    }
    expect(series(text, 'backupql_backup_rpo_seconds')).toHaveLength(items.length);
    expect(series(text, 'backupql_backup_last_size_bytes').length).toBeGreaterThan(0);
    for (const name of [...stack.sims.fleet.oceanbase.map((c) => c.name), ...stack.sims.fleet.huawei.projects.map((p) => p.name)])
      expect(sample(text, 'backupql_source_up', { source: name })).toBe(1);
  });

  it('a source that cannot be read: source_up 0, its targets UNKNOWN; the others unchanged', async () => {
    stack = await startStack({
      configure: withOps({ collectorIntervalSeconds: 300 }, (c) => ({ ...c, sources: c.sources.map((s) => ({ ...s, retry: { maxRetries: 0 } })) })),
    });
    const [down, up] = stack.sims.fleet.oceanbase;
    // A pass while it is up (its targets are then known), then one while it is down.
    await stack.gateway.collector!.run();
    stack.sims.obshell[0]!.server.addFault({ kind: 'status', status: 503, body: '' });
    await stack.gateway.collector!.run();
    const text = (await get(stack, '/metrics')).text;
    expect(sample(text, 'backupql_source_up', { source: down!.name })).toBe(0);
    expect(sample(text, 'backupql_source_up', { source: up!.name })).toBe(1);
    const downStates = series(text, 'backupql_backup_coverage_state').filter((l) => l.includes(`source="${down!.name}"`) && l.endsWith(' 1'));
    expect(downStates.length).toBe(down!.tenants.filter((t) => t.row.tenant_name !== 'sys').length);
    expect(downStates.every((l) => l.includes('state="UNKNOWN"'))).toBe(true);
    const upStates = series(text, 'backupql_backup_coverage_state').filter((l) => l.includes(`source="${up!.name}"`) && l.endsWith(' 1'));
    expect(upStates.some((l) => !l.includes('state="UNKNOWN"'))).toBe(true);
  });
});

describe('request IDs', () => {
  it("each operation has one: the client's X-Request-Id or its own, in the response, its header and its log lines", async () => {
    stack = await startStack();
    const lines: string[] = [];
    const untap = tapLogs((line) => lines.push(line));
    try {
      const project = stack.sims.fleet.huawei.projects[0]!;
      stack.sims.huawei.server.addFault({ route: 'dcs.listInstances', kind: 'status', status: 500, body: '{"error_code":"DCS.5000","error_msg":"boom"}' });
      const ask = (headers: Record<string, string>) =>
        stack!.gateway.yoga.fetch('http://backupql.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query: `{ instances(first: 1, filter: { providers: [DCS], sources: ["${project.name}"] }) { totalCount } }` }),
        });
      const given = await ask({ 'x-request-id': 'client-req-0001' });
      const body = (await given.json()) as { errors?: unknown[]; extensions?: { requestId?: string } };
      expect(body.errors).toBeDefined();
      expect(body.extensions?.requestId).toBe('client-req-0001');
      expect(given.headers.get('x-request-id')).toBe('client-req-0001');
      expect(lines.some((l) => l.includes('"requestId":"client-req-0001"') && l.includes('DCS.5000'))).toBe(true);
      // Not an ID we can pass on: the operation makes its own (16 hex digits, as obshell's trace IDs).
      const own = await ask({ 'x-request-id': 'bad id with spaces' });
      const id = ((await own.json()) as { extensions?: { requestId?: string } }).extensions?.requestId;
      expect(id).toMatch(/^[0-9a-f]{16}$/);
      expect(own.headers.get('x-request-id')).toBe(id);
    } finally {
      untap();
    }
  });
});
