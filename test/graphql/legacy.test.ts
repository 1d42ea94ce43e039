/**
 * An OceanBase cluster whose agent predates obshell 4.3.2.0 (older error bodies, no backup job
 * history): the API still answers for it, and the fleet-wide list shows each tenant's running or
 * latest task instead of its job history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../support/ids.js';
import type { ObshellSimulator } from '../../src/simulators/obshell/server.js';
import { startLegacyStack } from '../support/legacy.js';
import { obBackupStatus } from '../../src/providers/oceanbase/status.js';
import { ok, type Stack } from '../support/stack.js';

describe('an obshell agent older than 4.3.2.0', () => {
  let legacy: ObshellSimulator;
  let stack: Stack;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ stack, legacy, close } = await startLegacyStack());
  });
  afterAll(async () => {
    await close();
  });

  it("lists each tenant's latest task in backupTasks, filtered here", async () => {
    const cluster = stack.sims.fleet.oceanbase[0]!;
    const data = ok(
      await stack.query<{ backupTasks: { totalCount: number; nodes: { __typename: string; providerStatus: string; tenant: { tenantName: string } }[] } }>(
        `{ backupTasks(first: 50, filter: { sources: ["ob-hangzhou"] }) { totalCount nodes { __typename ... on ObBackupTask { providerStatus tenant { tenantName } } } } }`,
      ),
    );
    // Newest first, like every backup of the fleet.
    const withTasks = cluster.tenants.filter((t) => t.jobs.length > 0).sort((a, b) => b.jobs.at(-1)!.startMs - a.jobs.at(-1)!.startMs);
    expect(data.backupTasks.nodes.map((n) => [n.__typename, n.tenant.tenantName, n.providerStatus])).toEqual(
      withTasks.map((t) => ['ObBackupTask', t.row.tenant_name, t.jobs.at(-1)!.task.status]),
    );
    const failed = ok(
      await stack.query<{ backupTasks: { nodes: { tenant: { tenantName: string } }[] } }>(
        `{ backupTasks(first: 50, filter: { sources: ["ob-hangzhou"], statuses: [FAILED] }) { nodes { ... on ObBackupTask { tenant { tenantName } } } } }`,
      ),
    );
    expect(failed.backupTasks.nodes.map((n) => n.tenant.tenantName)).toEqual(
      withTasks.filter((t) => obBackupStatus(t.jobs.at(-1)!.task.status) === 'FAILED').map((t) => t.row.tenant_name),
    );
  });

  it('answers the rest of the API, and says plainly that job history is not available', async () => {
    const data = ok(
      await stack.query<{ node: { agent: { version: string }; tenants: { nodes: { tenantName: string; comment: string | null }[] } } }>(
        `query($id: ID!) { node(id: $id) { ... on ObCluster { agent { version } tenants(first: 50) { nodes { tenantName comment } } } } }`,
        { id: encodeId({ type: 'ObCluster', source: 'ob-hangzhou' }) },
      ),
    );
    expect(data.node.agent.version).toBe('4.3.0.0');
    expect(data.node.tenants.nodes.every((t) => t.comment === null)).toBe(true);
    stack.clearCalls();
    legacy.server.clearCalls();
    const jobs = await stack.query(`query($id: ID!) { node(id: $id) { ... on ObTenant { backupJobs { totalCount } } } }`, {
      id: encodeId({ type: 'ObTenant', source: 'ob-hangzhou', tenantName: 'trade' }),
    });
    expect(jobs.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', source: 'ob-hangzhou', provider: 'OCEANBASE' });
    expect(jobs.errors?.[0]?.message).toMatch(/obshell 4\.3\.0\.0 keeps no backup job history/);
    // Known from the agent's version: the route that older agents answer with 400 is never called.
    expect(legacy.server.callsTo('obshell.tenantBackupTasks')).toEqual([]);
    expect(legacy.server.calls.filter((c) => c.route === null)).toEqual([]);
  });
});
