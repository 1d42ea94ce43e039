/**
 * The ≤ 4.3.0.0 error style (notes §1 "Older builds", §2.7 older table, §4.6 last paragraph, §5):
 * `error: {code, message}` with int codes only, and how the client normalizes it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpTransport } from '../../../src/lib/http.js';
import type { ObshellClient } from '../../../src/providers/oceanbase/client.js';
import { OBSHELL_ROUTES, startObshellSimulator, type ObshellSimulator } from '../../../src/simulators/obshell/server.js';
import { CLOCK, authHeader, clientFor, everything, expectUpstreamError, hangzhou, raw, rawAuthed, withoutJobs } from './helpers.js';

const cluster = hangzhou();
let sim: ObshellSimulator;
let empty: ObshellSimulator;
let single: ObshellSimulator;
let transport: HttpTransport;
let client: ObshellClient;

beforeAll(async () => {
  [sim, empty, single] = await Promise.all([
    startObshellSimulator({ clock: CLOCK, cluster, errorStyle: 'legacy', keyBits: 512 }),
    startObshellSimulator({ clock: CLOCK, cluster: withoutJobs(cluster), errorStyle: 'legacy', keyBits: 512 }),
    startObshellSimulator({ clock: CLOCK, cluster, errorStyle: 'legacy', keyBits: 512, identity: 'SINGLE' }),
  ]);
  transport = new HttpTransport({ timeoutMs: 5000 });
  client = clientFor(sim, transport);
});
afterAll(async () => {
  await transport.close();
  await Promise.all([sim.close(), empty.close(), single.close()]);
});
beforeEach(() => {
  sim.server.clearCalls();
  sim.server.clearFaults();
});

describe('data from a legacy agent', () => {
  it('reads tenants without the 4.4.1.0 comment field, and backup tasks as before', async () => {
    expect((await client.info()).version).toBe('4.3.0.0');
    const tenants = await client.tenantsOverview();
    expect(tenants.map((t) => t.tenant_name)).toEqual(cluster.tenants.map((t) => t.row.tenant_name));
    expect(tenants[1]!.comment).toBeUndefined();
    expect((await client.tenantBackupOverview('crm'))!.status).toBe('COMPLETED');
  });
});

describe('legacy tenant and backup errors', () => {
  it('unknown tenant: 400/1001 "Illegal argument: tenant foo not found" → NOT_FOUND', async () => {
    const answer = await rawAuthed(sim, '/api/v1/tenant/foo/backup/overview');
    expect(answer.status).toBe(400);
    expect(answer.error).toEqual({ code: 1001, message: 'Illegal argument: tenant foo not found' });
    await expectUpstreamError(client.tenantBackupOverview('foo'), {
      code: 'NOT_FOUND',
      httpStatus: 400,
      upstreamCode: '1001',
      upstreamMessage: 'Illegal argument: tenant foo not found',
    });
  });

  it('sys: 400/1001 → UPSTREAM_ERROR', async () => {
    await expectUpstreamError(client.tenantBackupOverview('sys'), {
      code: 'UPSTREAM_ERROR',
      httpStatus: 400,
      upstreamCode: '1001',
      upstreamMessage: 'Illegal argument: tenant sys is system tenant, cannot backup',
    });
  });

  it('never backed up: 404/2300 → null', async () => {
    const answer = await rawAuthed(sim, '/api/v1/tenant/analytics/backup/overview');
    expect(answer.status).toBe(404);
    expect(answer.error).toEqual({ code: 2300, message: 'Task not found: no backup task found' });
    expect(await client.tenantBackupOverview('analytics')).toBeNull();
  });

  it('no tenant backed up: 404/2300 → []', async () => {
    const answer = await rawAuthed(empty, '/api/v1/obcluster/backup/overview');
    expect(answer.status).toBe(404);
    expect(answer.error).toEqual({ code: 2300, message: 'Task not found: no backup task found' });
    expect(await clientFor(empty, transport).clusterBackupOverview()).toEqual([]);
  });

  it('not a cluster agent: 500/1010 "Known error: agent identity is SINGLE." → UPSTREAM_ERROR', async () => {
    await expectUpstreamError(clientFor(single, transport).tenantBackupOverview('trade'), {
      code: 'UPSTREAM_ERROR',
      httpStatus: 500,
      upstreamCode: '1010',
      upstreamMessage: 'Known error: agent identity is SINGLE.',
    });
  });

  it('unexpected: 500/1002 → UPSTREAM_ERROR', async () => {
    const body = JSON.stringify({
      successful: false,
      timestamp: '2025-05-10T10:00:00+08:00',
      duration: 2,
      status: 500,
      traceId: '0011223344556677',
      error: { code: 1002, message: 'Unexpected error: boom' },
    });
    sim.server.addFault({ route: OBSHELL_ROUTES.tenantsOverview, kind: 'status', status: 500, body, times: 1 });
    await expectUpstreamError(client.tenantsOverview(), { code: 'UPSTREAM_ERROR', httpStatus: 500, upstreamCode: '1002', traceId: '0011223344556677' });
  });

  it('/backup/tasks does not exist before 4.3.2.0: an unknown route is 400 Bad request (code 1000) there, not 404', async () => {
    // obshell 4.2.4.0 – 4.3.0.0: r.NoRoute → errors.Occur(errors.ErrBadRequest, "404 not found").
    const answer = await rawAuthed(sim, '/api/v1/tenant/trade/backup/tasks');
    expect(answer.status).toBe(400);
    expect(answer.error).toEqual({ code: 1000, message: 'Bad request: 404 not found' });
    await expectUpstreamError(client.tenantBackupJobs('trade'), { code: 'UPSTREAM_ERROR', httpStatus: 400, upstreamCode: '1000' });
  });
});

describe('legacy auth errors: all 401/10008 "Verification failed: …"', () => {
  const path = '/api/v1/tenants/overview';

  it('missing header, Uri mismatch, expired, wrong password, undecryptable', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'Verification failed: header not found'],
      [{ 'X-OCS-Header': authHeader(sim, path, { uriInHeader: '/api/v1/info' }) }, 'Verification failed: uri mismatch'],
      [{ 'X-OCS-Header': authHeader(sim, path, { expiresAt: 1000 }) }, 'Verification failed: auth expired'],
      [{ 'X-OCS-Header': authHeader(sim, path, { password: 'nope' }) }, 'Verification failed: access denied'],
      [{ 'X-OCS-Header': 'AAAA' }, 'Verification failed: header decrypt failed'],
    ];
    for (const [headers, message] of cases) {
      const answer = await raw(sim, path, headers);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ successful: false, status: 401 });
      expect(answer.error).toEqual({ code: 10008, message });
    }
  });

  it('wrong password through the client → UPSTREAM_AUTH_FAILED with code "10008", no secret', async () => {
    const err = await expectUpstreamError(clientFor(sim, transport, { password: 'Legacy-Wrong-1' }).tenantsOverview(), {
      code: 'UPSTREAM_AUTH_FAILED',
      httpStatus: 401,
      upstreamCode: '10008',
      upstreamMessage: 'Verification failed: access denied',
    });
    expect(everything(err)).not.toContain('Legacy-Wrong-1');
  });

  it('"header decrypt failed" after a key change makes the client re-fetch the key once', async () => {
    const c = clientFor(sim, transport);
    await c.tenantsOverview();
    sim.rotateKey();
    expect((await c.tenantsOverview()).length).toBe(cluster.tenants.length);
    expect(sim.server.callsTo(OBSHELL_ROUTES.secret)).toHaveLength(2);
    expect(sim.server.callsTo(OBSHELL_ROUTES.tenantsOverview).map((call) => call.status)).toEqual([200, 401, 200]);
  });
});
