/**
 * Upstream faults, through the gateway over real HTTP: retries of idempotent reads (429 with
 * `Retry-After` in seconds or as a date, 502/503/504, reset connections) capped in count and time,
 * the circuit breaker per source (open, half-open probe, closed), the operation's deadline
 * covering the wait for a concurrency slot, and cancellation when the client goes away.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config.js';
import { ManualClock } from '../../src/lib/clock.js';
import { sleep } from '../../src/simulators/harness.js';
import { encodeId } from '../support/ids.js';
import { FIXED_NOW, startStack, type Stack } from '../support/stack.js';

type Tuning = Record<string, unknown>;
const tuned =
  (sourceTuning: Tuning, fleet: Tuning = {}) =>
  (config: ConfigInput): ConfigInput => ({
    ...config,
    fleet: { ...config.fleet, ...fleet },
    sources: config.sources.map((s) => ({ ...s, ...sourceTuning })),
  });

const INSTANCES = '{ instances(first: 100, filter: { providers: [DCS] }) { totalCount } }';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('retries', () => {
  it('a 429 with Retry-After (seconds, or an HTTP date): waits, asks again, answers', async () => {
    stack = await startStack({ configure: tuned({ retry: { maxRetries: 2, initialDelayMs: 10, maxDelayMs: 50, maxTotalMs: 10_000 } }) });
    const server = stack.sims.huawei.server;
    for (const retryAfter of ['1', new Date(FIXED_NOW + 1_000).toUTCString()]) {
      stack.clearCalls();
      server.addFault({
        route: 'dcs.listInstances',
        kind: 'status',
        status: 429,
        body: '{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached."}',
        headers: { 'retry-after': retryAfter },
        times: 2,
      });
      const result = await stack.query<{ instances: { totalCount: number } }>(INSTANCES);
      expect(result.errors).toBeUndefined();
      expect(result.data!.instances.totalCount).toBe(stack.sims.fleet.huawei.projects.reduce((n, p) => n + p.dcs.length, 0));
      // Two projects: the first two calls were throttled, and each was asked again.
      const calls = stack.calls().filter((c) => c.route === 'dcs.listInstances');
      expect(calls.map((c) => c.status)).toEqual([429, 429, 200, 200]);
      // Each retry is signed again (the simulator checks every signature).
      expect(calls.every((c) => c.status !== 401)).toBe(true);
    }
  });

  it('502, 503, 504 and reset connections are retried; other errors are not', async () => {
    stack = await startStack({ configure: tuned({ retry: { maxRetries: 3, initialDelayMs: 5, maxDelayMs: 20, maxTotalMs: 10_000 } }) });
    const server = stack.sims.huawei.server;
    const params = { project_id: stack.sims.fleet.huawei.projects[0]!.projectId };
    for (const fault of [
      { kind: 'status' as const, status: 502, body: '<html>bad gateway</html>', headers: { 'content-type': 'text/html' } },
      { kind: 'status' as const, status: 503, body: '' },
      { kind: 'status' as const, status: 504, body: '' },
      { kind: 'reset' as const },
    ]) {
      stack.clearCalls();
      server.addFault({ route: 'dcs.listInstances', params, ...fault, times: 2 });
      const result = await stack.query(INSTANCES);
      expect(result.errors, JSON.stringify(fault)).toBeUndefined();
      expect(stack.calls().filter((c) => c.route === 'dcs.listInstances')).toHaveLength(4);
    }
    // A 500 with an error body is the upstream's answer: no retry.
    stack.clearCalls();
    server.addFault({
      route: 'dcs.listInstances',
      params,
      kind: 'status',
      status: 500,
      body: '{"error_code":"DCS.5000","error_msg":"Internal error."}',
      times: 1,
    });
    const failed = await stack.query(INSTANCES);
    expect(failed.errors!.map((e) => e.extensions['code'])).toEqual(['UPSTREAM_ERROR']);
    expect(stack.calls().filter((c) => c.route === 'dcs.listInstances')).toHaveLength(2);
  });

  it('capped: at most maxRetries more calls, and none whose wait would pass the time cap', async () => {
    stack = await startStack({ configure: tuned({ retry: { maxRetries: 2, initialDelayMs: 5, maxDelayMs: 10, maxTotalMs: 2_000 } }) });
    const server = stack.sims.huawei.server;
    const params = { project_id: stack.sims.fleet.huawei.projects[0]!.projectId };
    server.addFault({ route: 'dcs.listInstances', params, kind: 'status', status: 503, body: '' });
    const result = await stack.query(INSTANCES);
    // Retries spent: unavailable (contract §6), with the last answer's status and the attempts made.
    expect(result.errors!.map((e) => [e.extensions['code'], e.extensions['httpStatus'], e.extensions['attempts']])).toEqual([['UPSTREAM_UNAVAILABLE', 503, 3]]);
    // The first project: the first call and 2 retries; the second project answers at once.
    expect(stack.calls().filter((c) => c.route === 'dcs.listInstances')).toHaveLength(3 + 1);
    server.clearFaults();
    stack.clearCalls();
    // A Retry-After beyond the cap: answered at once, with the delay in the error.
    server.addFault({
      route: 'dcs.listInstances',
      params,
      kind: 'status',
      status: 429,
      body: '{"error_code":"APIGW.0308","error_msg":"x"}',
      headers: { 'retry-after': '60' },
    });
    const throttled = await stack.query(INSTANCES);
    expect(throttled.errors![0]!.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      httpStatus: 429,
      upstreamCode: 'APIGW.0308',
      retryAfterSeconds: 60,
    });
    expect(stack.calls().filter((c) => c.route === 'dcs.listInstances' && c.params['project_id'] === params.project_id)).toHaveLength(1);
  });
});

describe('the circuit breaker', () => {
  it('opens after consecutive failures (nothing is sent while open), lets a probe through, closes on success', async () => {
    stack = await startStack({
      configure: tuned({ retry: { maxRetries: 0 }, circuitBreaker: { consecutiveFailures: 2, halfOpenAfterMs: 300 } }),
    });
    const server = stack.sims.obshell[0]!.server;
    const source = stack.sims.fleet.oceanbase[0]!.name;
    const query = `{ tenants(first: 50, filter: { sources: ["${source}"] }) { totalCount } }`;
    await stack.query(query); // warm: the agent's key
    server.addFault({ route: 'obshell.tenantsOverview', kind: 'status', status: 500, body: '' });
    for (let i = 0; i < 2; i++) expect((await stack.query(query)).errors![0]!.extensions['code']).toBe('UPSTREAM_ERROR');
    stack.clearCalls();
    const open = await stack.query(query);
    expect(open.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source, provider: 'OCEANBASE' });
    expect(open.errors![0]!.message).toMatch(/circuit open/);
    expect(stack.calls()).toEqual([]);
    // Another source is not affected.
    expect((await stack.query('{ tenants(first: 50, filter: { sources: ["ob-shanghai"] }) { totalCount } }')).errors).toBeUndefined();
    server.clearFaults();
    await sleep(350);
    const probe = await stack.query<{ tenants: { totalCount: number } }>(query);
    expect(probe.errors).toBeUndefined();
    expect((await stack.query(query)).errors).toBeUndefined();
  });
});

describe('the operation deadline and cancellation', () => {
  it('one deadline covers the wait for a slot: queued calls behind a stalled one end with the operation', async () => {
    stack = await startStack({ configure: tuned({ maxConcurrency: 1, timeoutMs: 60_000, retry: { maxRetries: 0 } }, { operationTimeoutMs: 400 }) });
    const project = stack.sims.fleet.huawei.projects[0]!;
    stack.sims.huawei.server.addFault({ route: 'dcs.listBackups', kind: 'stall' });
    const ids = project.dcs.slice(0, 4).map((i) => i.row.instance_id);
    const result = await stack.query<{ backupTasks: { totalCount: number } }>(
      'query($ids: [ID!]) { backupTasks(filter: { instanceIds: $ids }) { totalCount } }',
      {
        ids: ids.map((instanceId) => encodeId({ type: 'DcsInstance', source: project.name, instanceId })),
      },
    );
    expect(result.data!.backupTasks.totalCount).toBe(0);
    expect(result.errors!.map((e) => e.extensions['code'])).toEqual([
      'UPSTREAM_UNAVAILABLE',
      'UPSTREAM_UNAVAILABLE',
      'UPSTREAM_UNAVAILABLE',
      'UPSTREAM_UNAVAILABLE',
    ]);
    expect(result.errors!.every((e) => /deadline|ran out of time/.test(e.message))).toBe(true);
    // One call was sent; the three queued behind it never were.
    expect(stack.sims.huawei.server.callsTo('dcs.listBackups')).toHaveLength(1);
  });

  it("a source's rate limit: a burst goes out at once; a call whose turn would come after the deadline fails at once, unsent", async () => {
    stack = await startStack({
      configure: tuned({ rateLimit: { perSecond: 0.01, burst: 3 }, retry: { maxRetries: 0 } }, { operationTimeoutMs: 2_000 }),
    });
    const project = stack.sims.fleet.huawei.projects[0]!;
    const ids = project.dcs.slice(0, 5).map((i) => encodeId({ type: 'DcsInstance', source: project.name, instanceId: i.row.instance_id }));
    const result = await stack.query<{ backupTasks: { totalCount: number } }>(
      'query($ids: [ID!]) { backupTasks(filter: { instanceIds: $ids }) { totalCount } }',
      { ids },
    );
    // Three calls fit the burst; the next token comes in 100 s, after the deadline: those fail at
    // once (coded, naming the limit) instead of waiting, and are never sent.
    expect(stack.calls().filter((c) => c.route?.startsWith('dcs.'))).toHaveLength(3);
    expect(result.errors!.length).toBeGreaterThan(0);
    expect(result.errors!.every((e) => e.extensions['code'] === 'UPSTREAM_UNAVAILABLE' && /rate limit/.test(e.message))).toBe(true);
    // Another source has its own bucket.
    const other = await stack.query<{ tenants: { totalCount: number } }>('{ tenants(filter: { providers: [OCEANBASE] }) { totalCount } }');
    expect(other.errors).toBeUndefined();
  });

  it('a call is signed when it leaves the queue: one that waited past the signature lifetime (obshell: 60 s) is still accepted', async () => {
    const clock = new ManualClock(FIXED_NOW);
    stack = await startStack({ clock, configure: tuned({ maxConcurrency: 1, timeoutMs: 60_000, retry: { maxRetries: 0 } }) });
    const cluster = stack.sims.fleet.oceanbase[0]!;
    const server = stack.sims.obshell[0]!.server;
    const tenants = cluster.tenants.filter((t) => t.row.tenant_name !== 'sys').slice(0, 3);
    // The first job history stalls; while the others wait for the slot, two minutes pass.
    server.addFault({ route: 'obshell.tenantBackupTasks', kind: 'stall', ms: 300, times: 1 });
    setTimeout(() => clock.advance(120_000), 100);
    const result = await stack.query<{ backupTasks: { totalCount: number } }>(
      'query($ids: [ID!]) { backupTasks(filter: { instanceIds: $ids }) { totalCount } }',
      {
        ids: tenants.map((t) => encodeId({ type: 'ObTenant', source: cluster.name, tenantName: t.row.tenant_name })),
      },
    );
    expect(result.errors).toBeUndefined();
    const histories = server.callsTo('obshell.tenantBackupTasks');
    expect(histories).toHaveLength(tenants.length);
    expect(histories.every((c) => c.status === 200)).toBe(true);
  });

  it('a client that goes away: the call in flight is cut and the queued ones are never sent', async () => {
    stack = await startStack({ configure: tuned({ maxConcurrency: 1, timeoutMs: 60_000, retry: { maxRetries: 0 } }) });
    const server = stack.sims.huawei.server;
    server.addFault({ route: 'dcs.listBackups', kind: 'stall' });
    const client = new AbortController();
    const pending = Promise.resolve(
      stack.gateway.yoga.fetch('http://backupql.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          query: `{ backupTasks(first: 5, filter: { providers: [DCS], sources: ["${stack.sims.fleet.huawei.projects[0]!.name}"] }) { totalCount } }`,
        }),
        signal: client.signal,
      }),
    ).catch((error: unknown) => error);
    for (let i = 0; i < 100 && server.stats.inFlight === 0; i++) await sleep(10);
    expect(server.stats.inFlight).toBe(1);
    client.abort();
    await pending;
    for (let i = 0; i < 100 && server.stats.inFlight > 0; i++) await sleep(10);
    expect(server.stats.inFlight).toBe(0);
    await sleep(50);
    expect(server.callsTo('dcs.listBackups')).toHaveLength(1);
  });
});
