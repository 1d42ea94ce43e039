/**
 * The canonical operations (issue: performance): the dashboard's queries, one instance's page of
 * backups, 30 instances × their latest 5, tenants with latest backups, 50 mixed IDs, the fleet-wide
 * list's first and a later page; each with the fewest upstream calls and the fewest rounds of
 * dependent calls the upstream APIs allow, computed here from the fleet's rows. The test suite
 * asserts the gateway makes exactly those (test/fleet/canonical.test.ts); the benchmark measures
 * their latency against the critical path (bench/).
 */
import { inProgress } from '../../src/core/models.js';
import { exampleTabs } from '../../src/graphql/examples.js';
import { obBackupStatus } from '../../src/providers/oceanbase/status.js';
import type { Fleet } from '../../src/simulators/fleet.js';
import { obArchiveAt } from '../../src/simulators/recoverability.js';
import { encodeId } from './ids.js';
import { referenceTargets } from './reference.js';

export interface Minimum {
  calls: number;
  rounds: number;
  /** How the minimum is made up. */
  why: string;
}

export interface CanonicalOperation {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Runs first (a page whose cursor the operation pages from); its calls are not counted. */
  prepare?: (run: (query: string, variables?: Record<string, unknown>) => Promise<Record<string, unknown>>) => Promise<Record<string, unknown>>;
  /** With the page cache off: every read goes upstream. */
  minimum: Minimum;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** What a window read costs: one call per upstream page (RDS 100 a page, DCS 1000, obshell one page), and a second round when there is more than one page. */
const pages = (n: number, limit: number) => Math.max(1, Math.ceil(n / limit));

/** The tabs GraphiQL opens with, as the dashboard runs them. */
function tab(name: string, now: number): { query: string; variables?: Record<string, unknown> } {
  const found = exampleTabs({ now }).find((t) => t.query!.includes(`query ${name}`))!;
  return { query: found.query!, ...(found.variables ? { variables: JSON.parse(found.variables) as Record<string, unknown> } : {}) };
}

export function canonicalOperations(fleet: Fleet, now: number): CanonicalOperation[] {
  const clusters = fleet.oceanbase.length;
  const projects = fleet.huawei.projects.length;
  const instances = fleet.huawei.projects.flatMap((p) => [...p.dcs, ...p.rds]);
  const lists = 3 * projects; // per project: the DCS instances, the RDS ones, the FlexusRDS ones
  const project = fleet.huawei.projects[0]!;
  const busiestDcs = [...project.dcs].sort((a, b) => b.backups.length - a.backups.length)[0]!;
  const busiestRds = [...project.rds].sort((a, b) => b.backups.length - a.backups.length)[0]!;
  const dcsId = encodeId({ type: 'DcsInstance', source: project.name, instanceId: busiestDcs.row.instance_id });
  const rdsId = encodeId({ type: 'RdsInstance', source: project.name, instanceId: busiestRds.row.id });
  const overviewTab = tab('FleetOverview', now);
  const failedTab = tab('FailedSinceYesterday', now);

  // FailedSinceYesterday and the fleet-wide list read a window of every target: one page each here.
  const windowRead = (since: number) =>
    referenceTargets(fleet).reduce((n, t) => {
      if (t.provider === 'OCEANBASE') return n + 1;
      const from = t.provider === 'DCS' ? since - 6 * HOUR : since; // DCS filters on created_at: read from 6 h earlier
      const inWindow = t.backups.filter((b) => b.startedAt !== null && b.startedAt >= from).length;
      return n + pages(inWindow, t.provider === 'RDS' ? 100 : 1000);
    }, 0);
  const week = Math.floor((now - 7 * DAY) / 60_000) * 60_000;

  // 50 mixed IDs: 20 backups of 2 DCS instances, 12 backups of one RDS instance (read whole), 2 of
  // another (by ID), 10 jobs of one tenant, 4 DCS instances, 1 RDS instance, 1 tenant.
  const [dcsA, dcsB] = [...project.dcs].filter((i) => i.backups.length >= 10).slice(0, 2);
  const rdsMany = busiestRds;
  const rdsFew = project.rds.find((i) => i !== rdsMany && i.backups.length >= 2)!;
  const cluster = fleet.oceanbase[0]!;
  const jobTenant = [...cluster.tenants].sort((a, b) => b.jobs.length - a.jobs.length)[0]!;
  const otherTenant = cluster.tenants.find((t) => t !== jobTenant && t.row.tenant_name !== 'sys')!;
  const mixed = [
    ...[dcsA!, dcsB!].flatMap((i) =>
      i.backups.slice(0, 10).map((b) => encodeId({ type: 'DcsBackup', source: project.name, instanceId: i.row.instance_id, backupId: b.row.backup_id })),
    ),
    ...rdsMany.backups.slice(0, 12).map((b) => encodeId({ type: 'RdsBackup', source: project.name, instanceId: rdsMany.row.id, backupId: b.row.id })),
    ...rdsFew.backups.slice(0, 2).map((b) => encodeId({ type: 'RdsBackup', source: project.name, instanceId: rdsFew.row.id, backupId: b.row.id })),
    ...jobTenant.jobs
      .slice(-10)
      .map((j) => encodeId({ type: 'ObBackupJob', source: cluster.name, tenantName: jobTenant.row.tenant_name, jobId: j.job.job_id })),
    ...project.dcs.slice(0, 4).map((i) => encodeId({ type: 'DcsInstance', source: project.name, instanceId: i.row.instance_id })),
    encodeId({ type: 'RdsInstance', source: project.name, instanceId: rdsFew.row.id }),
    encodeId({ type: 'ObTenant', source: cluster.name, tenantName: otherTenant.row.tenant_name }),
  ];
  const rdsManyPages = pages(rdsMany.backups.length, 100);

  return [
    {
      name: 'fleet overview (dashboard)',
      ...overviewTab,
      minimum: {
        calls: 3 * clusters + lists + instances.length,
        rounds: 2,
        why: `per cluster its agent info, tenants and backup overview (${3 * clusters}); ${lists} instance lists; then each instance's newest backups (${instances.length})`,
      },
    },
    {
      name: 'coverage: what is not protected (dashboard)',
      ...tab('NotProtected', now),
      minimum: coverageMinimum(fleet, now),
    },
    {
      name: 'failed since yesterday (dashboard)',
      ...failedTab,
      minimum: {
        calls: clusters + lists + windowRead(now - DAY),
        rounds: 2,
        why: `the tenant and instance lists (${clusters + lists}), then one read of the day's window per tenant and instance`,
      },
    },
    {
      name: "one DCS instance's first 20 backups, by node(id)",
      query: `query($id: ID!) { node(id: $id) { ... on DcsInstance { name status backups(first: 20) { totalCount nodes { backupId status startedAt sizeBytes } } } } }`,
      variables: { id: dcsId },
      minimum: {
        calls: 2,
        rounds: 1,
        why: "the project's DCS instance list (name, status; whether it exists) beside the backups page: the ID holds the instance ID",
      },
    },
    {
      name: "one RDS instance's 50 backups after a cursor, by node(id)",
      query: `query($id: ID!, $after: String) { node(id: $id) { ... on RdsInstance { name backups(first: 50, after: $after) { pageInfo { hasNextPage endCursor } nodes { backupId type status startedAt } } } } }`,
      variables: { id: rdsId },
      prepare: async (run) => {
        const first = await run(`query($id: ID!) { node(id: $id) { ... on RdsInstance { backups(first: 50) { pageInfo { endCursor } } } } }`, { id: rdsId });
        const node = first['node'] as { backups: { pageInfo: { endCursor: string } } };
        return { id: rdsId, after: node.backups.pageInfo.endCursor };
      },
      minimum: {
        calls: 3,
        rounds: 1,
        why: 'the RDS instance lists (plain and FlexusRDS: the ID does not say which) beside the page at the offset the cursor holds',
      },
    },
    {
      name: '30 instances × their latest 5 backups',
      query: `{ instances(first: 30, filter: { providers: [DCS, RDS] }) { nodes { __typename ... on DcsInstance { name backups(first: 5) { nodes { status startedAt } } } ... on RdsInstance { name backups(first: 5) { nodes { status startedAt } } } } } }`,
      minimum: {
        calls: lists + Math.min(30, instances.length),
        rounds: 2,
        why: `the ${lists} instance lists, then one page per instance (${Math.min(30, instances.length)})`,
      },
    },
    {
      name: 'tenants of two clusters with their latest backups',
      query: `{ tenants(first: 50, filter: { providers: [OCEANBASE] }) { totalCount nodes { ... on ObTenant { tenantName status latestBackup { status startedAt finishedAt } } } } }`,
      minimum: {
        calls: 2 * clusters,
        rounds: 1,
        why: 'per cluster its tenants and its backup overview (every tenant’s latest task in one call), side by side',
      },
    },
    {
      name: 'nodes of 50 mixed IDs',
      query: `query($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on Backup { status startedAt } ... on DcsInstance { name } ... on RdsInstance { name } ... on ObTenant { tenantName } } }`,
      variables: { ids: mixed },
      minimum: {
        calls: 2 + rdsManyPages + 2 + 1 + 1 + 2 + 1,
        rounds: rdsManyPages > 1 ? 2 : 1,
        why: `each DCS instance's backups read whole (2), the RDS instance with 12 IDs read whole (${rdsManyPages} pages), the one with 2 by ID (2), the tenant's jobs (1), the DCS list (1), the RDS lists (2), the tenant list (1)`,
      },
    },
    {
      name: 'fleet-wide backupTasks, first page of 50',
      query: `{ backupTasks(first: 50) { totalCount pageInfo { hasNextPage endCursor } nodes { ... on Backup { id status startedAt } } } }`,
      minimum: {
        calls: clusters + lists + windowRead(week),
        rounds: 2,
        why: `the tenant and instance lists (${clusters + lists}), then one read of the week's window per tenant and instance`,
      },
    },
    {
      name: 'fleet-wide backupTasks, a later page',
      query: `query($after: String) { backupTasks(first: 50, after: $after) { pageInfo { hasNextPage endCursor } nodes { ... on Backup { id status startedAt } } } }`,
      prepare: async (run) => {
        let after: string | null = null;
        for (let i = 0; i < 3; i++) {
          const page = (await run(`query($after: String) { backupTasks(first: 50, after: $after) { pageInfo { endCursor } } }`, { after }))['backupTasks'] as {
            pageInfo: { endCursor: string };
          };
          after = page.pageInfo.endCursor;
        }
        return { after };
      },
      minimum: {
        calls: clusters + lists + windowRead(week),
        rounds: 2,
        why: 'as the first page (without the cache every window is read again; with it, none is)',
      },
    },
  ];
}

/**
 * The fewest calls for the coverage of every target: per cluster its tenants and backup overview,
 * plus the job history only for a tenant whose latest task did not succeed (and a second read when
 * its 10 newest finished ones hold no success); per DCS and RDS instance a read of its RPO window,
 * then, only while no success and nothing finished is seen, the week before it, then the rest.
 * Rounds: the longest such chain (a read of more than one page takes two: the first tells the total).
 */
export function coverageMinimum(fleet: Fleet, now: number, rpoHours = 24): Minimum {
  let calls = 0;
  let rounds = 1;
  for (const cluster of fleet.oceanbase) {
    calls += 2; // tenants overview, cluster overview
    for (const tenant of cluster.tenants) {
      if (tenant.row.tenant_name === 'sys' || tenant.jobs.length === 0) continue;
      // Its archive (agents ≥ 4.3.2.0): the running rounds, beside the job history; /backup/info
      // after them only when none runs (the checkpoint where it stopped).
      calls += 1;
      rounds = Math.max(rounds, 2);
      const archive = obArchiveAt(tenant, now);
      if (archive === null || !['DOING', 'BEGINNING', 'PREPARE'].includes(archive.status)) {
        calls += 1;
        rounds = Math.max(rounds, 3);
      }
      const running = tenant.jobs.find((j) => j.running);
      const latest = running ?? [...tenant.jobs].sort((a, b) => b.startMs - a.startMs)[0]!;
      if (obBackupStatus(latest.task.status) === 'SUCCEEDED') continue;
      calls += 1;
      rounds = Math.max(rounds, 2);
      if (inProgress(obBackupStatus(latest.task.status))) {
        // The newest finished ones (10): a second read only when none of them succeeded.
        const ended = tenant.jobs.filter((j) => !j.running).sort((a, b) => b.startMs - a.startMs);
        if (ended.length > 10 && !ended.slice(0, 10).some((j) => j.job.status === 'COMPLETED')) {
          calls += 1;
          rounds = Math.max(rounds, 3);
        }
      }
    }
  }
  const since = now - rpoHours * HOUR;
  const week = 7 * DAY;
  for (const target of referenceTargets(fleet).filter((t) => t.provider !== 'OCEANBASE')) {
    if (target.provider === 'RDS') calls += 1; // its restore-time, beside its first backup read
    const limit = target.provider === 'RDS' ? 100 : 1000;
    const seen: typeof target.backups = [];
    let chain = 1; // the instance list
    for (const [from, to] of [
      [since, Infinity],
      [since - week, since - 1],
      [-Infinity, since - week - 1],
    ] as const) {
      const done = seen.some((b) => b.status === 'SUCCEEDED') && seen.some((b) => !inProgress(b.status) && b.status !== 'UNKNOWN');
      if (done) break;
      const inWindow = target.backups.filter((b) => b.startedAt !== null && b.startedAt >= from && b.startedAt <= to);
      const n = pages(inWindow.length, limit);
      calls += n;
      chain += n > 1 ? 2 : 1;
      seen.push(...inWindow);
    }
    rounds = Math.max(rounds, chain);
  }
  calls += 3 * fleet.huawei.projects.length;
  return {
    calls,
    rounds,
    why: 'tenant lists and backup overviews, per tenant its archive rounds (and /backup/info when none runs), job histories only where the latest task did not succeed; per instance its RPO window, then earlier only while no success is seen, and per RDS instance its restore-time',
  };
}
