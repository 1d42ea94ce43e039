/**
 * Upstream call counts, read from the simulators' call logs: DataLoaders batch look-ups onto list
 * calls, the same request in one operation is sent once, and each source's concurrency is capped.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeId } from '../support/ids.js';
import { ok, startStack, type Stack } from '../support/stack.js';

describe('batching and de-duplication of upstream calls', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(() => stack.clearCalls());

  const routes = () => stack.calls().map((c) => c.route);
  const count = (route: string) => routes().filter((r) => r === route).length;

  it('latestBackup of every tenant of a cluster: one cluster overview call, not one per tenant', async () => {
    const data = ok(
      await stack.query<{
        instances: {
          nodes: {
            source: string;
            backupOverview: { totalCount: number; nodes: { tenant: { tenantName: string } }[] };
            tenants: { nodes: { tenantName: string; latestBackup: { status: string } | null }[] };
          }[];
        };
      }>(
        `{ instances(filter: { providers: [OCEANBASE] }) { nodes { ... on ObCluster { source
            backupOverview(first: 50) { totalCount nodes { tenant { tenantName } } }
            tenants(first: 50) { nodes { tenantName latestBackup { status providerStatus } } } } } } }`,
      ),
    );
    const tenants = data.instances.nodes.flatMap((c) => c.tenants.nodes);
    expect(tenants.length).toBe(stack.sims.fleet.oceanbase.flatMap((c) => c.tenants).length);
    const backedUp = tenants.filter((t) => t.latestBackup).map((t) => t.tenantName);
    expect(backedUp).toEqual(stack.sims.fleet.oceanbase.flatMap((c) => c.tenants.filter((t) => t.jobs.length > 0).map((t) => t.row.tenant_name)));
    // The cluster overview lists the same tenants: the same call serves both fields.
    expect(data.instances.nodes.flatMap((c) => c.backupOverview.nodes.map((n) => n.tenant.tenantName))).toEqual(backedUp);
    // Two clusters: one overview and one tenant listing each; never the per-tenant overview.
    expect(count('obshell.clusterBackupOverview')).toBe(2);
    expect(count('obshell.tenantsOverview')).toBe(2);
    expect(count('obshell.tenantBackupOverview')).toBe(0);
  });

  it("instance look-ups by ID (node, nodes, a backup's instance): one list call per project and service (RDS: and one for FlexusRDS)", async () => {
    const project = stack.sims.fleet.huawei.projects[0]!;
    const rdsPicked = [...project.rds.slice(0, 3), project.rds.find((i) => i.flexus)!];
    const dcsIds = project.dcs.slice(0, 5).map((i) => encodeId({ type: 'DcsInstance', source: project.name, instanceId: i.row.instance_id }));
    const rdsIds = rdsPicked.map((i) => encodeId({ type: 'RdsInstance', source: project.name, instanceId: i.row.id }));
    const data = ok(
      await stack.query<{ nodes: ({ name: string; flexus?: boolean } | null)[]; one: { name: string } }>(
        `query($ids: [ID!]!, $one: ID!) {
          nodes(ids: $ids) { ... on DcsInstance { name } ... on RdsInstance { name flexus } }
          one: node(id: $one) { ... on DcsInstance { name } }
        }`,
        { ids: [...dcsIds, ...rdsIds], one: dcsIds[2] },
      ),
    );
    expect(data.nodes.map((n) => n?.name)).toEqual([...project.dcs.slice(0, 5), ...rdsPicked].map((i) => i.row.name));
    expect(data.nodes.slice(5).map((n) => n?.flexus)).toEqual([false, false, false, true]);
    expect(count('dcs.listInstances')).toBe(1);
    expect(
      stack
        .calls()
        .filter((c) => c.route === 'rds.listInstances')
        .map((c) => c.query),
    ).toEqual([
      { offset: '0', limit: '100' },
      { group_type: 'flexus', offset: '0', limit: '100' },
    ]);
    expect(stack.calls()).toHaveLength(3);

    // Each backup's `instance` of one page resolves from that same single list call.
    stack.clearCalls();
    ok(
      await stack.query(`query($id: ID!) { node(id: $id) { ... on DcsInstance { backups(first: 30) { nodes { instance { name } } } } } }`, {
        id: dcsIds[0],
      }),
    );
    expect(count('dcs.listInstances')).toBe(1);
    expect(count('dcs.listBackups')).toBe(1);
  });

  it('the same upstream request asked twice in one operation (aliases, fragments, repeats) is sent once', async () => {
    const project = stack.sims.fleet.huawei.projects[0]!;
    const id = encodeId({ type: 'RdsInstance', source: project.name, instanceId: project.rds[0]!.row.id });
    ok(
      await stack.query(
        `query($id: ID!) {
          a: node(id: $id) { ...B }
          b: node(id: $id) { ...B ... on RdsInstance { again: backups(first: 5) { totalCount } } }
          tenants { nodes { ... on ObTenant { latestBackup { status } again: latestBackup { status } } } }
        }
        fragment B on RdsInstance { name backups(first: 5) { nodes { backupId } } }`,
        { id },
      ),
    );
    const keys = stack.calls().map((c) => `${c.server} ${c.route} ${c.path} ${JSON.stringify(c.query)}`);
    expect(new Set(keys).size, keys.join('\n')).toBe(keys.length);
    expect(count('rds.listBackups')).toBe(1);
    expect(count('rds.listInstances')).toBe(2); // the plain list and the FlexusRDS one
    expect(count('obshell.clusterBackupOverview')).toBe(2);
  });

  it('pages onto the upstream paging with the fewest calls', async () => {
    const project = stack.sims.fleet.huawei.projects[0]!;
    const big = project.rds.find((i) => i.backups.length > 250)!;
    const id = encodeId({ type: 'RdsInstance', source: project.name, instanceId: big.row.id });
    const page = (args: string) =>
      stack.query<{ node: { backups: { pageInfo: { endCursor: string; startCursor: string } } } }>(
        `query($id: ID!) { node(id: $id) { ... on RdsInstance { backups(${args}) { pageInfo { endCursor startCursor } } } } }`,
        { id },
      );
    // (`node(id:)` also lists the project's RDS instances once, to return the instance.)
    const backupCalls = () =>
      stack
        .calls()
        .filter((c) => c.route === 'rds.listBackups')
        .map((c) => [c.query.offset, c.query.limit]);
    const first = ok(await page('first: 100'));
    expect(backupCalls()).toEqual([['0', '100']]);
    stack.clearCalls();
    ok(await page(`first: 20, after: "${first.node.backups.pageInfo.endCursor}"`));
    expect(backupCalls()).toEqual([['100', '20']]);
    stack.clearCalls();
    ok(await page('last: 20'));
    // `last` alone: the total comes with the first call, then the tail.
    expect(backupCalls()).toEqual([
      ['0', '20'],
      [String(big.backups.length - 20), '20'],
    ]);

    // obshell pages by page number: a window straddling two pages is still one call here.
    const cluster = stack.sims.fleet.oceanbase[0]!;
    const tenantId = encodeId({ type: 'ObTenant', source: cluster.name, tenantName: 'trade' });
    const jobs = (args: string) =>
      stack.query<{ node: { backupJobs: { pageInfo: { endCursor: string } } } }>(
        `query($id: ID!) { node(id: $id) { ... on ObTenant { backupJobs(${args}) { pageInfo { endCursor } } } } }`,
        { id: tenantId },
      );
    stack.clearCalls();
    const firstJobs = ok(await jobs('first: 25'));
    stack.clearCalls();
    ok(await jobs(`first: 20, after: "${firstJobs.node.backupJobs.pageInfo.endCursor}"`));
    const taskCalls = stack.calls().filter((c) => c.route === 'obshell.tenantBackupTasks');
    expect(taskCalls).toHaveLength(1);
    const { page: p, size } = taskCalls[0]!.query as { page: string; size: string };
    expect((Number(p) - 1) * Number(size)).toBeLessThanOrEqual(25);
    expect(Number(p) * Number(size)).toBeGreaterThanOrEqual(45);
  });

  it('caps the upstream calls in flight to each source', async () => {
    const capped = await startStack({
      configure: (config) => ({ ...config, sources: config.sources.map((s) => ({ ...s, maxConcurrency: 3 })) }),
    });
    try {
      capped.sims.huawei.server.latencyMs = 30;
      capped.sims.huawei.server.resetStats();
      const project = capped.sims.fleet.huawei.projects[0]!;
      const ids = project.dcs.map((i) => encodeId({ type: 'DcsInstance', source: project.name, instanceId: i.row.instance_id }));
      ok(await capped.query(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on DcsInstance { backups(first: 1) { totalCount } } } }`, { ids }));
      const listCalls = capped.sims.huawei.server.calls.filter((c) => c.route === 'dcs.listBackups');
      expect(listCalls.length).toBe(project.dcs.length);
      expect(capped.sims.huawei.server.stats.maxInFlight).toBe(3);
    } finally {
      await capped.close();
    }
  });
});
