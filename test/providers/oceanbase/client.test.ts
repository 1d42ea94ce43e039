/**
 * ObshellClient against the simulated agent over loopback: data fidelity (exact SCNs, envelope
 * shapes), every error case of notes §2.7 / §3.1 (current style), faults, and secret hygiene.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BadInputError, UpstreamError } from '../../../src/core/errors.js';
import { HttpTransport } from '../../../src/lib/http.js';
import { ObshellClient } from '../../../src/providers/oceanbase/client.js';
import { OBSHELL_ROUTES, startObshellSimulator, type ObshellSimulator } from '../../../src/simulators/obshell/server.js';
import { CLOCK, clientFor, currentErrorBody, everything, expectUpstreamError, hangzhou, raw, rawAuthed, tenantOf, withoutJobs } from './helpers.js';

const cluster = hangzhou();
let sim: ObshellSimulator;
let empty: ObshellSimulator;
let single: ObshellSimulator;
let transport: HttpTransport;
let client: ObshellClient;

beforeAll(async () => {
  [sim, empty, single] = await Promise.all([
    startObshellSimulator({ clock: CLOCK, cluster }),
    startObshellSimulator({ clock: CLOCK, cluster: withoutJobs(cluster) }),
    startObshellSimulator({ clock: CLOCK, cluster, identity: 'SINGLE' }),
  ]);
  transport = new HttpTransport({ timeoutMs: 5000 });
  client = clientFor(sim, transport);
});
afterAll(async () => {
  await transport.close();
  await Promise.all([sim.close(), empty.close(), single.close()]);
});
beforeEach(() => {
  sim.server.clearFaults();
  sim.server.clearCalls();
});

describe('data', () => {
  it('info: the AgentStatus fields, startAt exact (ns, above 2^53)', async () => {
    const info = await client.info();
    expect(info).toMatchObject({ identity: 'CLUSTER AGENT', ip: cluster.agent.ip, port: 2886, version: '4.4.2.0', supportedAuth: ['v2'] });
    expect(info.startAt).toBe(String(cluster.agent.startAtNs));
    const answer = await raw(sim, '/api/v1/info');
    expect(answer.text).toContain(`"startAt":${cluster.agent.startAtNs}`);
    expect(answer.body).toMatchObject({ successful: true, status: 200 });
    expect(answer.body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/);
    expect(answer.body.traceId).toMatch(/^[0-9a-f]{16}$/);
    expect(answer.body).not.toHaveProperty('error');
  });

  it('echoes X-OBSHELL-Trace-ID as traceId', async () => {
    const answer = await raw(sim, '/api/v1/info', { 'X-OBSHELL-Trace-ID': 'my-trace-0001' });
    expect(answer.body.traceId).toBe('my-trace-0001');
  });

  it('tenantsOverview: every tenant, sys included, wrapped as {contents}', async () => {
    const tenants = await client.tenantsOverview();
    expect(tenants.map((t) => t.tenant_name)).toEqual(cluster.tenants.map((t) => t.row.tenant_name));
    expect(tenants[0]).toMatchObject({ tenant_id: 1, tenant_name: 'sys', mode: 'MYSQL', read_only: false });
    expect(tenants[1]!.connection_strings![0]).toMatchObject({ type: 'DIRECT', connection_string: expect.stringContaining('-uroot@trade') });
    const answer = await rawAuthed(sim, '/api/v1/tenants/overview');
    expect(Object.keys(answer.body.data as object)).toEqual(['contents']);
  });

  it('tenantBackupOverview: the running task, SCNs exact to the last digit, end zero while running', async () => {
    const trade = tenantOf(cluster, 'trade');
    const running = trade.jobs.find((j) => j.running)!.task;
    const task = (await client.tenantBackupOverview('trade'))!;
    expect(task).toMatchObject({ tenant_id: 1002, job_id: running.job_id, status: running.status, end_timestamp: '0001-01-01T00:00:00Z' });
    expect(task.start_scn).toBe(String(running.start_scn));
    expect(task.user_ls_start_scn).toBe(String(running.user_ls_start_scn));
    expect(task.end_scn).toBe('0');
    expect(running.start_scn).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    expect(task.start_timestamp).toBe(running.start_timestamp);

    const answer = await rawAuthed(sim, '/api/v1/tenant/trade/backup/overview');
    expect(answer.text).toContain(`"start_scn":${running.start_scn},`);
    expect(answer.text).toContain(`"user_ls_start_scn":${running.user_ls_start_scn},`);
    expect(Object.keys(answer.body.data as object)).toEqual(['status']);
  });

  it('tenantBackupOverview: the latest finished task when nothing runs (failed, completed)', async () => {
    for (const name of ['billing', 'crm']) {
      const jobs = tenantOf(cluster, name).jobs;
      const latest = jobs[jobs.length - 1]!.task;
      const task = (await client.tenantBackupOverview(name))!;
      expect(task.job_id).toBe(latest.job_id);
      expect(task.status).toBe(latest.status);
      expect(task.start_scn).toBe(String(latest.start_scn));
      expect(task.end_scn).toBe(String(latest.end_scn));
      expect(task.result).toBe(latest.result);
    }
    expect((await client.tenantBackupOverview('billing'))!.status).toBe('FAILED');
    expect((await client.tenantBackupOverview('crm'))!.status).toBe('COMPLETED');
  });

  it('tenantBackupOverview: null for a tenant never backed up (404 Task.NotFound, "data": null)', async () => {
    expect(await client.tenantBackupOverview('analytics')).toBeNull();
    const answer = await rawAuthed(sim, '/api/v1/tenant/analytics/backup/overview');
    expect(answer.status).toBe(404);
    expect(answer.body.data).toBeNull();
    expect(answer.text).toContain('"data":null');
    expect(answer.error).toEqual({ errCode: 'Task.NotFound', message: 'Task not found: no backup task' });
  });

  it('clusterBackupOverview: one task per user tenant that has one, SCNs exact', async () => {
    const tasks = await client.clusterBackupOverview();
    const withJobs = cluster.tenants.filter((t) => t.row.tenant_name !== 'sys' && t.jobs.length > 0);
    expect(tasks.map((t) => t.tenant_id)).toEqual(withJobs.map((t) => t.row.tenant_id));
    for (const task of tasks) {
      const expected = (await client.tenantBackupOverview(cluster.tenants.find((t) => t.row.tenant_id === task.tenant_id)!.row.tenant_name))!;
      expect(task).toEqual(expected);
    }
    const answer = await rawAuthed(sim, '/api/v1/obcluster/backup/overview');
    expect(Object.keys(answer.body.data as object)).toEqual(['statuses']);
    for (const t of withJobs) expect(answer.text).toContain(`"start_scn":${(t.jobs.find((j) => j.running) ?? t.jobs[t.jobs.length - 1]!).task.start_scn}`);
  });

  it('clusterBackupOverview: [] when no tenant was ever backed up (404 Common.NotFound, "data": null)', async () => {
    expect(await clientFor(empty, transport).clusterBackupOverview()).toEqual([]);
    const answer = await rawAuthed(empty, '/api/v1/obcluster/backup/overview');
    expect(answer.status).toBe(404);
    expect(answer.body.data).toBeNull();
    expect(answer.error).toEqual({ errCode: 'Common.NotFound', message: 'Element not found: backup task' });
  });
});

describe('errors the simulator produces (notes §2.7)', () => {
  it('unknown tenant → NOT_FOUND (400 OB.Tenant.NotExist, data omitted)', async () => {
    await expectUpstreamError(client.tenantBackupOverview('nosuch'), {
      code: 'NOT_FOUND',
      httpStatus: 400,
      upstreamCode: 'OB.Tenant.NotExist',
      upstreamMessage: "Tenant 'nosuch' does not exist.",
      operation: 'GET /api/v1/tenant/{name}/backup/overview',
    });
    await expectUpstreamError(client.tenantBackupJobs('nosuch'), { code: 'NOT_FOUND', operation: 'GET /api/v1/tenant/{name}/backup/tasks' });
    const answer = await rawAuthed(sim, '/api/v1/tenant/nosuch/backup/overview');
    expect(answer.body).not.toHaveProperty('data');
  });

  it('sys → UPSTREAM_ERROR (400 OB.Tenant.SysOperationNotAllowed)', async () => {
    await expectUpstreamError(client.tenantBackupOverview('sys'), {
      code: 'UPSTREAM_ERROR',
      httpStatus: 400,
      upstreamCode: 'OB.Tenant.SysOperationNotAllowed',
      upstreamMessage: 'System tenant is not allowed to perform this operation',
    });
  });

  it('not a cluster agent → UPSTREAM_ERROR (400 Agent.Identify.NotSupportOperation) on every tenant/backup route', async () => {
    const c = clientFor(single, transport);
    const message = `'${cluster.agent.ip}:2886' is 'SINGLE', instead of 'CLUSTER AGENT', does not support this operation`;
    for (const call of [() => c.tenantBackupOverview('trade'), () => c.clusterBackupOverview(), () => c.tenantsOverview(), () => c.tenantBackupJobs('trade')]) {
      await expectUpstreamError(call(), {
        code: 'UPSTREAM_ERROR',
        httpStatus: 400,
        upstreamCode: 'Agent.Identify.NotSupportOperation',
        upstreamMessage: message,
      });
    }
    expect((await c.info()).identity).toBe('SINGLE');
  });

  it('the identity check runs before the sys and existence checks', async () => {
    await expectUpstreamError(clientFor(single, transport).tenantBackupOverview('sys'), { upstreamCode: 'Agent.Identify.NotSupportOperation' });
  });

  it('unknown routes and wrong methods → 404 Common.NotFound "Element not found: 404 not found", data omitted', async () => {
    for (const [path, method] of [
      ['/api/v1/tenants', 'GET'],
      ['/api/v1/tenants/overview', 'POST'],
    ] as const) {
      const answer = await raw(sim, path, {}, method);
      expect(answer.status).toBe(404);
      expect(answer.body).not.toHaveProperty('data');
      expect(answer.error).toEqual({ errCode: 'Common.NotFound', message: 'Element not found: 404 not found' });
    }
  });
});

describe('errors injected with the real body shape', () => {
  it('MySQL.Error → UPSTREAM_ERROR with status, code, message and traceId', async () => {
    const body = currentErrorBody(400, 'MySQL.Error', 'MySQL error: Error 4012 (HY000): Timeout, query execution time exceeded');
    sim.server.addFault({ route: OBSHELL_ROUTES.tenantBackupOverview, params: { name: 'crm' }, kind: 'status', status: 400, body, times: 1 });
    await expectUpstreamError(client.tenantBackupOverview('crm'), {
      code: 'UPSTREAM_ERROR',
      httpStatus: 400,
      upstreamCode: 'MySQL.Error',
      upstreamMessage: 'MySQL error: Error 4012 (HY000): Timeout, query execution time exceeded',
      traceId: 'feedc0de12345678',
    });
    expect(await client.tenantBackupOverview('crm')).not.toBeNull();
  });

  it('Common.Unexpected (500) → UPSTREAM_ERROR', async () => {
    const body = currentErrorBody(500, 'Common.Unexpected', 'Unexpected error: Internal Server Error');
    sim.server.addFault({ route: OBSHELL_ROUTES.clusterBackupOverview, kind: 'status', status: 500, body, times: 1 });
    await expectUpstreamError(client.clusterBackupOverview(), { code: 'UPSTREAM_ERROR', httpStatus: 500, upstreamCode: 'Common.Unexpected' });
  });

  it('an unknown-route 404 on the cluster overview is an error, not "no tenant backed up"', async () => {
    const body = currentErrorBody(404, 'Common.NotFound', 'Element not found: 404 not found');
    sim.server.addFault({ route: OBSHELL_ROUTES.clusterBackupOverview, kind: 'status', status: 404, body, times: 1 });
    await expectUpstreamError(client.clusterBackupOverview(), { code: 'UPSTREAM_ERROR', httpStatus: 404, upstreamCode: 'Common.NotFound' });
  });

  it('Task.NotFound on the tenant overview of an agent is null only for that code', async () => {
    const body = currentErrorBody(404, 'Common.NotFound', 'Element not found: 404 not found');
    sim.server.addFault({ route: OBSHELL_ROUTES.tenantBackupOverview, kind: 'status', status: 404, body, times: 1 });
    await expectUpstreamError(client.tenantBackupOverview('crm'), { code: 'UPSTREAM_ERROR', httpStatus: 404 });
  });

  it('successful:false with HTTP 200 → UPSTREAM_ERROR', async () => {
    const body = currentErrorBody(200, 'Common.Unexpected', 'Unexpected error: odd');
    sim.server.addFault({ route: OBSHELL_ROUTES.tenantsOverview, kind: 'status', status: 200, body, times: 1 });
    await expectUpstreamError(client.tenantsOverview(), { code: 'UPSTREAM_ERROR', httpStatus: 200, upstreamCode: 'Common.Unexpected' });
  });

  const answer = (task: Record<string, unknown>) =>
    JSON.stringify({ successful: true, timestamp: 'x', duration: 1, status: 200, traceId: 'abcdabcdabcdabcd', data: { status: task } }, (_k, v: unknown) =>
      typeof v === 'bigint' ? Number(v) : v,
    );

  it('schema drift in a field only passed through (an SCN as a string, a count past 2^64): that field is null, the rest stands', async () => {
    const task = { ...tenantOf(cluster, 'crm').jobs[0]!.task, start_scn: '1746813600118276000', end_scn: 0, user_ls_start_scn: 1 };
    const body = answer(task).replace('"input_bytes":', '"input_bytes":123456789012345678901234567890,"_":');
    sim.server.addFault({ route: OBSHELL_ROUTES.tenantBackupOverview, kind: 'status', status: 200, body, times: 1 });
    const read = await client.tenantBackupOverview('crm');
    expect(read).toMatchObject({ task_id: task.task_id, status: task.status, start_scn: null, end_scn: '0', input_bytes: null });
  });

  it('schema drift in what the gateway needs (an ID, a status, a start time) → UPSTREAM_ERROR', async () => {
    const task = { ...tenantOf(cluster, 'crm').jobs[0]!.task, end_scn: 0, user_ls_start_scn: 1, start_scn: 1 };
    for (const [field, value] of [
      ['task_id', 'seven'],
      ['status', 42],
      ['start_timestamp', 1746813600],
    ] as const) {
      sim.server.addFault({ route: OBSHELL_ROUTES.tenantBackupOverview, kind: 'status', status: 200, body: answer({ ...task, [field]: value }), times: 1 });
      const err = await expectUpstreamError(client.tenantBackupOverview('crm'), { code: 'UPSTREAM_ERROR', httpStatus: 200, traceId: 'abcdabcdabcdabcd' });
      expect(err.message).toContain(`status.${field}`);
    }
  });

  it('JSON that is not an envelope → UPSTREAM_ERROR; a 401 that is not JSON → UPSTREAM_AUTH_FAILED', async () => {
    sim.server.addFault({ route: OBSHELL_ROUTES.tenantsOverview, kind: 'status', status: 500, body: '{"message":"internal"}', times: 1 });
    await expectUpstreamError(client.tenantsOverview(), { code: 'UPSTREAM_ERROR', httpStatus: 500 });
    sim.server.addFault({ route: OBSHELL_ROUTES.tenantsOverview, kind: 'status', status: 502, body: '{"message":"bad gateway"}', times: 1 });
    await expectUpstreamError(client.tenantsOverview(), { code: 'UPSTREAM_UNAVAILABLE', httpStatus: 502 });
    sim.server.addFault({ route: OBSHELL_ROUTES.tenantsOverview, kind: 'status', status: 401, body: '<html>401</html>', times: 1 });
    await expectUpstreamError(client.tenantsOverview(), { code: 'UPSTREAM_AUTH_FAILED', httpStatus: 401 });
  });

  it('malformed body (200, invalid JSON) → UPSTREAM_ERROR', async () => {
    sim.server.addFault({ route: OBSHELL_ROUTES.tenantsOverview, kind: 'malformed', times: 1 });
    const err = await expectUpstreamError(client.tenantsOverview(), { code: 'UPSTREAM_ERROR', httpStatus: 200 });
    expect(err.message).toContain('not JSON');
  });

  it('truncated body → UPSTREAM_UNAVAILABLE', async () => {
    sim.server.addFault({ route: OBSHELL_ROUTES.tenantsOverview, kind: 'truncated', times: 1 });
    const err = await expectUpstreamError(client.tenantsOverview(), { code: 'UPSTREAM_UNAVAILABLE', operation: 'GET /api/v1/tenants/overview' });
    expect(err.message).toMatch(/truncated|reset/);
    expect((await client.tenantsOverview()).length).toBe(cluster.tenants.length);
  });

  it('connection reset → UPSTREAM_UNAVAILABLE (reset)', async () => {
    sim.server.addFault({ route: OBSHELL_ROUTES.tenantBackupOverview, kind: 'reset', times: 1 });
    const err = await expectUpstreamError(client.tenantBackupOverview('crm'), { code: 'UPSTREAM_UNAVAILABLE' });
    expect(err.message).toContain('reset');
  });

  it('a stalled answer → UPSTREAM_UNAVAILABLE (timeout) with the trace id that was sent', async () => {
    const quick = new HttpTransport({ timeoutMs: 150 });
    try {
      const c = clientFor(sim, quick);
      await c.tenantsOverview(); // key fetched
      sim.server.addFault({ route: OBSHELL_ROUTES.tenantsOverview, kind: 'stall', ms: 1500, times: 1 });
      const err = await expectUpstreamError(c.tenantsOverview(), { code: 'UPSTREAM_UNAVAILABLE', httpStatus: undefined });
      expect(err.message).toContain('timeout');
      expect(err.traceId).toMatch(/^[0-9a-f]{16}$/);
    } finally {
      await quick.close();
    }
  });

  it('a stalled key fetch fails the call with the secret operation', async () => {
    const quick = new HttpTransport({ timeoutMs: 150 });
    try {
      sim.server.addFault({ route: OBSHELL_ROUTES.secret, kind: 'stall', ms: 1500, times: 1 });
      const c = clientFor(sim, quick);
      await expectUpstreamError(c.tenantsOverview(), { code: 'UPSTREAM_UNAVAILABLE', operation: 'GET /api/v1/secret' });
      expect((await c.tenantsOverview()).length).toBe(cluster.tenants.length); // a failed fetch is not cached
    } finally {
      await quick.close();
    }
  });

  it('refused connection → UPSTREAM_UNAVAILABLE (refused)', async () => {
    const gone = await startObshellSimulator({ clock: CLOCK, cluster });
    const url = gone.url;
    await gone.close();
    const err = await expectUpstreamError(new ObshellClient({ source: 'ob-test', url, transport }).info(), {
      code: 'UPSTREAM_UNAVAILABLE',
      operation: 'GET /api/v1/info',
    });
    expect(err.message).toContain('refused');
  });
});

describe('input and secrets', () => {
  it('refuses impossible tenant names before any call', async () => {
    for (const name of ['', 'a/b', '../obcluster', 'tenant name', 'x'.repeat(65), 'dollar$']) {
      await expect(client.tenantBackupOverview(name)).rejects.toBeInstanceOf(BadInputError);
      await expect(client.tenantBackupJobs(name)).rejects.toBeInstanceOf(BadInputError);
    }
    expect(sim.server.calls).toHaveLength(0);
  });

  it('refuses bad job queries before any call', async () => {
    const bad = [
      { page: 0 },
      { size: -1 },
      { page: 1.5 },
      { statuses: ['DOING,FAILED'] },
      { startTime: new Date('nope') },
      { sort: { field: 'job_id', order: 'asc' } },
    ];
    for (const query of bad) {
      await expect(client.tenantBackupJobs('trade', query as never)).rejects.toBeInstanceOf(BadInputError);
    }
    expect(sim.server.calls).toHaveLength(0);
  });

  it('percent-encodes tenant names allowed by obshell (# + ~)', async () => {
    await expectUpstreamError(client.tenantBackupOverview('odd#name+1~'), { code: 'NOT_FOUND', upstreamMessage: "Tenant 'odd#name+1~' does not exist." });
    expect(sim.server.callsTo(OBSHELL_ROUTES.tenantBackupOverview)[0]!.path).toBe('/api/v1/tenant/odd%23name%2B1~/backup/overview');
  });

  it('an upstream message that echoes the password is redacted; no error carries a secret', async () => {
    const password = cluster.password;
    const body = currentErrorBody(400, 'MySQL.Error', `MySQL error: Error 1045: Access denied for user 'root'@'%' (using password: ${password})`);
    sim.server.addFault({ route: OBSHELL_ROUTES.tenantsOverview, kind: 'status', status: 400, body, times: 1 });
    const errors: unknown[] = [];
    errors.push(await client.tenantsOverview().catch((e: unknown) => e));
    errors.push(
      await clientFor(sim, transport, { password: password + 'x' })
        .tenantsOverview()
        .catch((e: unknown) => e),
    );
    sim.server.addFault({ route: OBSHELL_ROUTES.tenantsOverview, kind: 'reset', times: 1 });
    errors.push(await client.tenantsOverview().catch((e: unknown) => e));
    sim.server.addFault({ route: OBSHELL_ROUTES.tenantsOverview, kind: 'malformed', times: 1 });
    errors.push(await client.tenantsOverview().catch((e: unknown) => e));
    expect((errors[0] as UpstreamError).upstreamMessage).toContain('(using password: ***)');
    for (const err of errors) {
      expect(err).toBeInstanceOf(UpstreamError);
      const text = everything(err) + String(err) + (err as Error).stack;
      expect(text).not.toContain(password);
      expect(text).not.toMatch(/[A-Za-z0-9+/]{100,}/);
    }
  });
});
