/**
 * `nodes(ids)` batched by provider and target (a read per target, not per ID) and capped; the page
 * cache keyed by source, credential identity and the exact request, expiring by the stack's clock;
 * and the fleet-wide list's calls on the demo fleet, cold and warm.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryPageCache } from '../../src/core/cache.js';
import { Upstream } from '../../src/core/upstream.js';
import { ManualClock } from '../../src/lib/clock.js';
import { HttpTransport } from '../../src/lib/http.js';
import { TokenAuth } from '../../src/providers/huawei/auth.js';
import { DcsClient } from '../../src/providers/huawei/dcs-client.js';
import { encodeId } from '../support/ids.js';
import { FIXED_NOW, ok, startStack, type Stack } from '../support/stack.js';

describe('nodes(ids)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });
  const count = (route: string) => stack.calls().filter((c) => c.route === route).length;

  it('batches look-ups by target: one read per instance or tenant, whatever the number of IDs', async () => {
    stack.clearCalls();
    const fleet = stack.sims.fleet;
    const [hz] = fleet.oceanbase;
    const [project] = fleet.huawei.projects;
    const dcs = project!.dcs.slice(0, 3);
    const manyRds = project!.rds[0]!;
    const fewRds = project!.rds[1]!;
    const trade = hz!.tenants.find((t) => t.row.tenant_name === 'trade')!;
    const ids = [
      ...dcs.flatMap((i) =>
        i.backups.slice(0, 15).map((b) => encodeId({ type: 'DcsBackup', source: project!.name, instanceId: i.row.instance_id, backupId: b.row.backup_id })),
      ),
      ...manyRds.backups.slice(0, 20).map((b) => encodeId({ type: 'RdsBackup', source: project!.name, instanceId: manyRds.row.id, backupId: b.row.id })),
      ...fewRds.backups.slice(0, 2).map((b) => encodeId({ type: 'RdsBackup', source: project!.name, instanceId: fewRds.row.id, backupId: b.row.id })),
      ...trade.jobs.slice(-10).map((j) => encodeId({ type: 'ObBackupJob', source: hz!.name, tenantName: 'trade', jobId: j.job.job_id })),
      ...dcs.map((i) => encodeId({ type: 'DcsInstance', source: project!.name, instanceId: i.row.instance_id })),
      encodeId({ type: 'ObTenant', source: hz!.name, tenantName: 'billing' }),
      encodeId({ type: 'HuaweiProject', source: project!.name }),
    ];
    expect(ids.length).toBe(45 + 20 + 2 + 10 + 3 + 2);
    const data = ok(await stack.query<{ nodes: ({ id: string } | null)[] }>('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids }));
    expect(data.nodes.map((n) => n?.id)).toEqual(ids);
    // DCS: one whole-list read per instance (each fits one call) and one instance list.
    expect(count('dcs.listBackups')).toBe(3);
    expect(count('dcs.listInstances')).toBe(1);
    // RDS: the instance with many IDs read whole (pages of 100), the one with two by ID.
    expect(count('rds.listBackups')).toBe(Math.ceil(manyRds.backups.length / 100) + 2);
    // OceanBase: the tenant's job history once (one page of up to 1000), the tenant list once.
    expect(count('obshell.tenantBackupTasks')).toBe(Math.ceil(trade.jobs.length / 1000));
    expect(count('obshell.tenantsOverview')).toBe(1);
  });

  it('refuses more than fleet.maxNodeIds IDs before any upstream call', async () => {
    stack.clearCalls();
    const id = encodeId({ type: 'ObCluster', source: 'ob-hangzhou' });
    const result = await stack.query('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array.from({ length: 101 }, () => id) });
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'ids' });
    expect(stack.calls()).toEqual([]);
  });
});

describe('backupTasks on the demo fleet: calls', () => {
  it("a first page costs one call per target and per listing (plus, once, each agent's key and version)", async () => {
    const stack = await startStack();
    try {
      const fleet = stack.sims.fleet;
      const userTenants = fleet.oceanbase.flatMap((c) => c.tenants.filter((t) => t.row.tenant_name !== 'sys')).length;
      const instances = fleet.huawei.projects.flatMap((p) => [...p.dcs, ...p.rds]).length;
      // Per project: the DCS list, the RDS list and the FlexusRDS list.
      const warm = fleet.oceanbase.length + userTenants + 3 * fleet.huawei.projects.length + instances;
      await stack.query('{ backupTasks(first: 20) { totalCount } }');
      expect(stack.calls()).toHaveLength(warm + 2 * fleet.oceanbase.length);
      stack.clearCalls();
      await stack.query('{ backupTasks(first: 20) { totalCount } }');
      expect(stack.calls()).toHaveLength(warm);
      expect(warm).toBe(47);
    } finally {
      await stack.close();
    }
  });
});

describe('the page cache', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('is keyed by source, credential identity and the exact request, and expires by the clock', async () => {
    const clock = new ManualClock(FIXED_NOW);
    const cache = new MemoryPageCache({ clock });
    const project = stack.sims.fleet.huawei.projects[0]!;
    const transport = new HttpTransport();
    const client = (credentialId: string, source = 'hw-one') =>
      new DcsClient({
        source,
        projectId: project.projectId,
        endpoint: stack.sims.huawei.url,
        auth: new TokenAuth({ token: stack.sims.fleet.huawei.token }),
        transport: new Upstream({ source, credentialId, transport, cache, cacheTtlMs: 30_000 }),
      });
    const calls = () => stack.sims.huawei.server.callsTo('dcs.listInstances').length;
    stack.clearCalls();
    const a = client('credential-a');
    await a.listInstances({ limit: 5 });
    await a.listInstances({ limit: 5 });
    expect(calls()).toBe(1);
    await a.listInstances({ limit: 6 }); // another request
    expect(calls()).toBe(2);
    await client('credential-b').listInstances({ limit: 5 }); // another credential
    expect(calls()).toBe(3);
    await client('credential-a', 'hw-two').listInstances({ limit: 5 }); // another source
    expect(calls()).toBe(4);
    clock.advance(29_000);
    await a.listInstances({ limit: 5 });
    expect(calls()).toBe(4);
    clock.advance(2_000);
    await a.listInstances({ limit: 5 });
    expect(calls()).toBe(5);
    // Error answers are not kept.
    stack.sims.huawei.server.addFault({ route: 'dcs.listInstances', kind: 'status', status: 500, body: '{"error_code":"DCS.5000","error_msg":"x"}', times: 1 });
    await expect(a.listInstances({ limit: 7 })).rejects.toThrow();
    await a.listInstances({ limit: 7 });
    expect(calls()).toBe(7);
    await transport.close();
  });

  it('in a gateway: a dashboard refresh within the TTL sends nothing; turned off, everything again', async () => {
    const on = await startStack({ cache: true });
    try {
      const query = '{ backupCoverage { summary { total ok } } backupTasks(first: 10) { totalCount } instances(first: 50) { totalCount } }';
      ok(await on.query(query));
      on.clearCalls();
      ok(await on.query(query));
      expect(on.calls()).toEqual([]);
    } finally {
      await on.close();
    }
    const query = '{ backupTasks(first: 10) { totalCount } }';
    ok(await stack.query(query));
    stack.clearCalls();
    ok(await stack.query(query));
    expect(stack.calls().length).toBe(47);
  });
});
