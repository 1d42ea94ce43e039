/**
 * Recoverability over the simulators (real HTTP, real auth): to what point each database can be
 * restored. OceanBase tenants' log archiving (`logArchive`) and derived windows, RDS's reported
 * windows (exact, with gaps), DCS's restorable backups (derived instants); the coverage reasons
 * `ARCHIVE_LAG` and `ARCHIVE_STOPPED`; old agents (null, no error, no call); the calls a
 * fleet-wide coverage query makes; the metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObTenantSim, RdsInstanceSim } from '../../src/simulators/fleet.js';
import type { ObshellSimulator } from '../../src/simulators/obshell/server.js';
import { startLegacyStack } from '../support/legacy.js';
import { obArchiveAt, rdsRestoreWindowsAt } from '../../src/simulators/recoverability.js';
import { encodeId } from '../support/ids.js';
import { FIXED_NOW, ok, startStack, type Stack } from '../support/stack.js';

const iso = (ms: number) => new Date(ms).toISOString();
const MINUTE = 60_000;

interface Window {
  from: string;
  until: string;
  derived: boolean;
}

const TENANT = `query($id: ID!) { node(id: $id) { ... on ObTenant {
  tenantName
  logArchive { status checkpoint delaySeconds roundId tasks { roundId status checkpoint path } }
  restorableWindow { from until derived }
} } }`;
type TenantData = {
  node: {
    tenantName: string;
    logArchive: {
      status: string;
      checkpoint: string | null;
      delaySeconds: number | null;
      roundId: number | null;
      tasks: { roundId: number; status: string }[];
    } | null;
    restorableWindow: Window[] | null;
  };
};

const COVERAGE = `{ backupCoverage(first: 100) { nodes { state reasons restorableUntil target { __typename ... on ObTenant { id } ... on DcsInstance { id } ... on RdsInstance { id } } } } }`;
type CoverageData = {
  backupCoverage: { nodes: { state: string; reasons: string[]; restorableUntil: string | null; target: { __typename: string; id: string } }[] };
};

describe('restorableWindow, logArchive and the archive coverage reasons', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  const userTenants = () =>
    stack.sims.fleet.oceanbase.flatMap((c) =>
      c.tenants.filter((t) => t.row.tenant_name !== 'sys' && t.jobs.length > 0).map((t) => ({ cluster: c, tenant: t })),
    );
  const tenantId = (source: string, t: ObTenantSim) => encodeId({ type: 'ObTenant', source, tenantName: t.row.tenant_name });

  it('an OceanBase tenant: its archive round and checkpoint as the agent says, its window from the oldest full backup to the checkpoint (derived)', async () => {
    const { cluster, tenant } = userTenants().find(({ tenant }) => obArchiveAt(tenant, FIXED_NOW)?.status === 'DOING')!;
    const archive = obArchiveAt(tenant, FIXED_NOW)!;
    const data = ok(await stack.query<TenantData>(TENANT, { id: tenantId(cluster.name, tenant) })).node;
    expect(data.logArchive).toMatchObject({ status: 'DOING', checkpoint: iso(archive.checkpointMs), roundId: archive.roundId });
    expect(data.logArchive!.delaySeconds).toBeCloseTo((FIXED_NOW - archive.checkpointMs) / 1000, 0);
    expect(data.logArchive!.tasks.map((t) => t.roundId)).toEqual([archive.roundId]);
    const fulls = tenant.jobs.filter((j) => j.job.status === 'COMPLETED' && j.job.backup_type === 'FULL').sort((a, b) => a.startMs - b.startMs);
    expect(data.restorableWindow).toEqual([{ from: iso(fulls[0]!.endMs!), until: iso(archive.checkpointMs), derived: true }]);
  });

  it('a lagging archive is ARCHIVE_LAG, a stopped one ARCHIVE_STOPPED: neither is OK, whatever the backups say', async () => {
    const items = new Map(ok(await stack.query<CoverageData>(COVERAGE)).backupCoverage.nodes.map((n) => [n.target.id, n]));
    let lagging = 0;
    let stopped = 0;
    for (const { cluster, tenant } of userTenants()) {
      const archive = obArchiveAt(tenant, FIXED_NOW);
      const item = items.get(tenantId(cluster.name, tenant))!;
      const isStopped = archive === null || !['DOING', 'BEGINNING', 'PREPARE'].includes(archive.status);
      const isLagging = !isStopped && FIXED_NOW - archive.checkpointMs > 60 * MINUTE;
      expect(item.reasons.includes('ARCHIVE_STOPPED'), tenant.row.tenant_name).toBe(isStopped);
      expect(item.reasons.includes('ARCHIVE_LAG'), tenant.row.tenant_name).toBe(isLagging);
      if (isStopped || isLagging) expect(item.state).not.toBe('OK');
      if (archive) expect(item.restorableUntil).toBe(iso(archive.checkpointMs));
      if (isLagging) lagging++;
      if (isStopped) stopped++;
    }
    expect(lagging).toBeGreaterThanOrEqual(1);
    expect(stopped).toBeGreaterThanOrEqual(1);
  });

  it('a stopped archive: logArchive says STOP with the last checkpoint (from /backup/info), and no round', async () => {
    const all = stack.sims.fleet.oceanbase.flatMap((c) => c.tenants.filter((t) => t.row.tenant_name !== 'sys').map((t) => ({ cluster: c, tenant: t })));
    const { cluster, tenant } = all.find(({ tenant }) => obArchiveAt(tenant, FIXED_NOW)?.status === 'STOP')!;
    const archive = obArchiveAt(tenant, FIXED_NOW)!;
    const data = ok(await stack.query<TenantData>(TENANT, { id: tenantId(cluster.name, tenant) })).node;
    expect(data.logArchive).toMatchObject({ status: 'STOP', checkpoint: iso(archive.checkpointMs), roundId: null, tasks: [] });
  });

  it('RDS: the windows exactly as reported (a gap is two spans); its end past the tolerance is ARCHIVE_LAG', async () => {
    const project = stack.sims.fleet.huawei.projects[0]!;
    const withGap = project.rds.find((i) => rdsRestoreWindowsAt(i, FIXED_NOW).length > 1)!;
    const id = (i: RdsInstanceSim) => encodeId({ type: 'RdsInstance', source: project.name, instanceId: i.row.id });
    const data = ok(
      await stack.query<{ node: { restorableWindow: Window[] } }>(
        'query($id: ID!) { node(id: $id) { ... on RdsInstance { restorableWindow { from until derived } } } }',
        { id: id(withGap) },
      ),
    );
    expect(data.node.restorableWindow).toEqual(
      rdsRestoreWindowsAt(withGap, FIXED_NOW).map((w) => ({ from: iso(w.startMs), until: iso(w.endMs), derived: false })),
    );

    const items = new Map(ok(await stack.query<CoverageData>(COVERAGE)).backupCoverage.nodes.map((n) => [n.target.id, n]));
    let lagging = 0;
    for (const instance of project.rds) {
      const windows = rdsRestoreWindowsAt(instance, FIXED_NOW);
      const item = items.get(id(instance))!;
      const end = windows.length ? Math.max(...windows.map((w) => w.endMs)) : null;
      expect(item.restorableUntil).toBe(end === null ? null : iso(end));
      const lags = end !== null && FIXED_NOW - end > 60 * MINUTE;
      expect(item.reasons.includes('ARCHIVE_LAG'), instance.row.name).toBe(lags);
      if (lags) lagging++;
    }
    expect(lagging).toBeGreaterThanOrEqual(1);
  });

  it('DCS: the restorable backups as instants (derived), oldest first; no archive reason ever', async () => {
    const project = stack.sims.fleet.huawei.projects[0]!;
    const instance = project.dcs.find((i) => i.backups.some((b) => b.row.is_support_restore === 'TRUE'))!;
    const data = ok(
      await stack.query<{ node: { restorableWindow: Window[] } }>(
        'query($id: ID!) { node(id: $id) { ... on DcsInstance { restorableWindow { from until derived } } } }',
        {
          id: encodeId({ type: 'DcsInstance', source: project.name, instanceId: instance.row.instance_id }),
        },
      ),
    );
    const restorable = instance.backups.filter((b) => b.row.is_support_restore === 'TRUE');
    expect(data.node.restorableWindow).toHaveLength(restorable.length);
    for (const w of data.node.restorableWindow) {
      expect(w.derived).toBe(true);
      expect(w.from).toBe(w.until);
    }
    const sorted = [...data.node.restorableWindow].sort((a, b) => a.from.localeCompare(b.from));
    expect(data.node.restorableWindow).toEqual(sorted);
    const items = ok(await stack.query<CoverageData>(COVERAGE)).backupCoverage.nodes.filter((n) => n.target.__typename === 'DcsInstance');
    expect(items.every((n) => n.restorableUntil === null && !n.reasons.some((r) => r.startsWith('ARCHIVE')))).toBe(true);
  });

  it('the metrics export where a restore reaches and how far behind that is', async () => {
    const s = await startStack({ configure: (c) => ({ ...c, operations: { ...c.operations, collectorIntervalSeconds: 3600 } }) });
    try {
      await s.gateway.collector!.run();
      const text = await (await s.gateway.yoga.fetch('http://backupql.test/metrics')).text();
      const { cluster, tenant } = userTenants().find(({ tenant }) => obArchiveAt(tenant, FIXED_NOW)?.status === 'DOING')!;
      const archive = obArchiveAt(tenant, FIXED_NOW)!;
      const labels = `source="${cluster.name}",provider="OCEANBASE",target="${tenant.row.tenant_name}"`;
      expect(text).toContain(
        `backupql_backup_restorable_until_timestamp_seconds{${labels},id="${tenantId(cluster.name, tenant)}"} ${archive.checkpointMs / 1000}`,
      );
      expect(text).toContain(
        `backupql_backup_archive_lag_seconds{${labels},id="${tenantId(cluster.name, tenant)}"} ${(FIXED_NOW - archive.checkpointMs) / 1000}`,
      );
    } finally {
      await s.close();
    }
  });
});

describe('agents older than obshell 4.3.2.0', () => {
  let legacy: ObshellSimulator;
  let stack: Stack;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ stack, legacy, close } = await startLegacyStack());
  });
  afterAll(async () => {
    await close();
  });

  it('logArchive and restorableWindow are null with no error, and the routes are never asked (known from the version)', async () => {
    const id = encodeId({ type: 'ObTenant', source: 'ob-hangzhou', tenantName: 'trade' });
    await stack.query(TENANT, { id }); // the agent's version, once
    legacy.server.clearCalls();
    for (let i = 0; i < 3; i++) {
      const res = await stack.query<TenantData>(TENANT, { id });
      expect(res.errors).toBeUndefined();
      expect(res.data!.node).toMatchObject({ logArchive: null, restorableWindow: null });
    }
    const coverage = ok(
      await stack.query<CoverageData>(
        `{ backupCoverage(first: 100, filter: { sources: ["ob-hangzhou"] }) { nodes { state reasons restorableUntil target { __typename ... on ObTenant { id } } } } }`,
      ),
    );
    expect(coverage.backupCoverage.nodes.every((n) => n.restorableUntil === null && !n.reasons.some((r) => r.startsWith('ARCHIVE')))).toBe(true);
    const routes = legacy.server.calls.map((c) => c.route);
    expect(routes).not.toContain('obshell.tenantBackupInfo');
    expect(routes).not.toContain('obshell.tenantArchiveLogTasks');
    expect(routes).not.toContain(null);
  });
});
