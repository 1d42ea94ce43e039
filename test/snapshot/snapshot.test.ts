/**
 * The fleet snapshot (issue 14): `backupCoverage` and `backupTasks` answered from a snapshot kept
 * fresh in the background, on the 3 × 40 fleet over real loopback HTTP. Exact against the fleet's
 * own rows with no upstream call on the request path; honest about freshness (`asOf`, `stale`,
 * `NOT_YET_READ`); incremental re-reads on the stack's clock; a source outage keeps the last known
 * states; `fresh: true` within the call and refresh budgets; and with a real Redis, two replicas
 * sharing one snapshot and one refresher per source, a restart that reads nothing again, and a
 * replica killed mid-refresh losing nothing.
 */
import { createHash } from 'node:crypto';
import type { ExecutionResult } from 'graphql';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { ManualClock, type Clock } from '../../src/lib/clock.js';
import { createIdCodec } from '../../src/providers/index.js';
import { startFleetSimulators, type FleetSimulators } from '../../src/simulators/index.js';
import { addDcsBackup } from '../../src/simulators/mutate.js';
import { coverageMinimum } from '../support/canonical.js';
import { dashboardDocument } from '../support/dashboard.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { byCoverageOrder, referenceBackups, referenceCoverage } from '../support/reference.js';
import { FIXED_CLOCK, FIXED_NOW, ok, SIZE_3X40, startStack, type Stack } from '../support/stack.js';

const DAY = 86_400_000;
const codec = createIdCodec();

type Configure = (config: ConfigInput) => ConfigInput;
const withSnapshot =
  (snapshot: Record<string, unknown> = {}, more: Configure = (c) => c): Configure =>
  (config) =>
    more({ ...config, snapshot: { enabled: true, tickSeconds: 0.02, syncIntervalSeconds: 0.05, ...snapshot } });

interface CoverageNode {
  state: string;
  reasons: string[];
  asOf: string | null;
  stale: boolean;
  source: string;
  provider: string;
  target: { id: string };
}
interface CoveragePage {
  totalCount: number;
  asOf: string | null;
  summary: Record<string, number>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: CoverageNode[];
}
const COVERAGE = `query($first: Int, $after: String, $filter: CoverageFilter, $fresh: Boolean) {
  backupCoverage(first: $first, after: $after, filter: $filter, fresh: $fresh) {
    totalCount asOf
    summary { total ok stale failing running never unknown }
    pageInfo { hasNextPage endCursor }
    nodes { state reasons asOf stale source provider target { ... on ObTenant { id } ... on DcsInstance { id } ... on RdsInstance { id } } }
  }
}`;

interface TasksPage {
  totalCount: number;
  asOf: string | null;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: { id: string; status: string }[];
}
const TASKS = `query($first: Int, $after: String, $filter: BackupTaskFilter, $fresh: Boolean) {
  backupTasks(first: $first, after: $after, filter: $filter, fresh: $fresh) {
    totalCount asOf
    pageInfo { hasNextPage endCursor }
    nodes { ... on Backup { id status } }
  }
}`;

const SNAPSHOT = `{ fleetSnapshot { enabled complete asOf sources { source targets read stale oldestReadAt newestReadAt listedAt error callsPerMinute callsAvailable refreshing } } }`;
interface SnapshotStatus {
  enabled: boolean;
  complete: boolean;
  asOf: string | null;
  sources: {
    source: string;
    targets: number;
    read: number;
    stale: number;
    oldestReadAt: string | null;
    newestReadAt: string | null;
    listedAt: string | null;
    error: string | null;
    callsPerMinute: number;
    callsAvailable: number;
    refreshing: boolean;
  }[];
}

type Query = <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) => Promise<ExecutionResult<T>>;

async function coverageAll(
  query: Query,
  variables: Record<string, unknown> = {},
  size = 37,
): Promise<CoveragePage & { all: CoverageNode[]; pages: CoveragePage[] }> {
  const pages: CoveragePage[] = [];
  let after: string | null = null;
  for (;;) {
    const page: CoveragePage = ok(await query<{ backupCoverage: CoveragePage }>(COVERAGE, { ...variables, first: size, after })).backupCoverage;
    pages.push(page);
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { ...pages[0]!, all: pages.flatMap((p) => p.nodes), pages };
}

async function tasksAll(query: Query, variables: Record<string, unknown> = {}, size = 100): Promise<{ ids: string[]; pages: TasksPage[] }> {
  const pages: TasksPage[] = [];
  let after: string | null = null;
  for (;;) {
    const page: TasksPage = ok(await query<{ backupTasks: TasksPage }>(TASKS, { ...variables, first: size, after })).backupTasks;
    pages.push(page);
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { ids: pages.flatMap((p) => p.nodes.map((n) => n.id)), pages };
}

const status = async (query: Query) => ok(await query<{ fleetSnapshot: SnapshotStatus }>(SNAPSHOT)).fleetSnapshot;
const iso = (ms: number) => new Date(ms).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, test: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A stack's query as a plain function. */
const q =
  (stack: Stack): Query =>
  (query, variables) =>
    stack.query(query, variables);

/** The raw instance IDs a global ID names (what the upstream calls carry in their path or query). */
function rawKeys(id: string): string[] {
  const ref = codec.decode(id, 'id');
  return Object.values(ref.keys).map(String);
}

describe('the snapshot in memory, on 3 sources × 40 targets', { timeout: 120_000 }, () => {
  let stack: Stack;
  let coldCalls = 0;
  let coldRoutes = new Map<string, number>();
  beforeAll(async () => {
    stack = await startStack({ size: SIZE_3X40, configure: withSnapshot() });
    await stack.gateway.snapshot!.whenComplete();
    await stack.gateway.snapshot!.settled();
    coldCalls = stack.calls().length;
    coldRoutes = new Map<string, number>();
    for (const c of stack.calls()) coldRoutes.set(c.route ?? '', (coldRoutes.get(c.route ?? '') ?? 0) + 1);
  });
  afterAll(async () => {
    await stack.close();
  });

  it('is complete after a cold start that read every target once, and says so', async () => {
    // The source-wide reads once per source (one batch each), and per target no more than what a
    // live coverage read costs plus one read of its window: no target is read twice.
    const projects = stack.sims.fleet.huawei.projects.length;
    expect(coldRoutes.get('dcs.listInstances')).toBe(projects);
    expect(coldRoutes.get('rds.listInstances')).toBe(2 * projects); // RDS and FlexusRDS
    expect(coldRoutes.get('obshell.tenantsOverview')).toBe(1);
    expect(coldRoutes.get('obshell.clusterBackupOverview')).toBe(1);
    expect(coldRoutes.get('rds.listRestoreTimes')).toBe(40);
    expect(coldCalls).toBeLessThanOrEqual(coverageMinimum(stack.sims.fleet, FIXED_NOW).calls + 120);
    const s = await status(q(stack));
    expect(s.enabled).toBe(true);
    expect(s.complete).toBe(true);
    expect(s.asOf).toBe(iso(FIXED_NOW));
    expect(s.sources.map((x) => [x.source, x.targets, x.read, x.stale, x.error, x.refreshing])).toEqual(
      [stack.sims.fleet.oceanbase[0]!.name, ...stack.sims.fleet.huawei.projects.map((p) => p.name)].map((name) => [name, 40, 40, 0, null, true]),
    );
    expect(s.sources.every((x) => x.callsPerMinute === 1200 && x.oldestReadAt === iso(FIXED_NOW) && x.listedAt === iso(FIXED_NOW))).toBe(true);
    // Nothing is due again on a clock that stands still.
    stack.clearCalls();
    await sleep(150);
    expect(stack.calls()).toHaveLength(0);
  });

  it('answers backupCoverage exactly, page by page, with no upstream call, each item saying when it was read', async () => {
    stack.clearCalls();
    const expected = referenceCoverage(stack.sims.fleet, FIXED_NOW).sort(byCoverageOrder);
    const answer = await coverageAll(q(stack));
    expect(answer.all.map((i) => [i.target.id, i.state, i.reasons])).toEqual(expected.map((r) => [r.target, r.state, r.reasons]));
    expect(answer.totalCount).toBe(120);
    expect(answer.summary['total']).toBe(120);
    expect(answer.summary['unknown']).toBe(0);
    expect(answer.pages.every((p) => p.asOf === iso(FIXED_NOW))).toBe(true);
    expect(answer.all.every((i) => i.asOf === iso(FIXED_NOW) && i.stale === false)).toBe(true);
    // Filters over the snapshot: by state and provider, exact.
    const failing = await coverageAll(q(stack), { filter: { states: ['FAILING', 'NEVER'], providers: ['RDS', 'OCEANBASE'] } }, 7);
    expect(failing.all.map((i) => i.target.id)).toEqual(
      expected.filter((r) => ['FAILING', 'NEVER'].includes(r.state) && ['RDS', 'OCEANBASE'].includes(r.provider)).map((r) => r.target),
    );
    expect(stack.calls()).toHaveLength(0);
  });

  it('answers backupTasks within its window exactly, with no upstream call; a longer window reads live', async () => {
    stack.clearCalls();
    const weekAgo = Math.floor((FIXED_NOW - 7 * DAY) / 60_000) * 60_000;
    const expected = referenceBackups(stack.sims.fleet, { since: weekAgo }).map((b) => b.id);
    expect(expected.length).toBeGreaterThan(500);
    const walked = await tasksAll(q(stack), {}, 97);
    expect(walked.ids).toEqual(expected);
    expect(walked.pages.every((p) => p.totalCount === expected.length && p.asOf === iso(FIXED_NOW))).toBe(true);
    const failed = await tasksAll(q(stack), { filter: { statuses: ['FAILED'], sources: [stack.sims.fleet.huawei.projects[1]!.name] } });
    expect(failed.ids).toEqual(
      referenceBackups(stack.sims.fleet, { since: weekAgo, statuses: ['FAILED'], sources: [stack.sims.fleet.huawei.projects[1]!.name] }).map((b) => b.id),
    );
    expect(stack.calls()).toHaveLength(0);

    const tenDays = iso(FIXED_NOW - 10 * DAY);
    const live = ok(await stack.query<{ backupTasks: TasksPage }>(TASKS, { first: 20, filter: { since: tenDays } }));
    expect(live.backupTasks.nodes.map((n) => n.id)).toEqual(
      referenceBackups(stack.sims.fleet, { since: FIXED_NOW - 10 * DAY })
        .slice(0, 20)
        .map((b) => b.id),
    );
    expect(stack.calls().length).toBeGreaterThan(0);
    // A live answer is as fresh as the request.
    expect(live.backupTasks.asOf).toBe(iso(FIXED_NOW));
  });

  it('lists instances from the snapshot, as the live list does (cursors carry over), with no upstream call', async () => {
    const INSTANCES = `query($first: Int, $after: String, $filter: InstanceFilter, $fresh: Boolean) {
      instances(first: $first, after: $after, filter: $filter, fresh: $fresh) {
        totalCount asOf pageInfo { hasNextPage endCursor }
        nodes { __typename ... on ObCluster { id } ... on DcsInstance { id name } ... on RdsInstance { id name } }
      }
    }`;
    type Instances = {
      instances: { totalCount: number; asOf: string | null; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { id: string }[] };
    };
    const walk = async (fresh: boolean, filter?: Record<string, unknown>) => {
      const ids: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: Instances['instances'] = ok(await stack.query<Instances>(INSTANCES, { first: 13, after, fresh, filter })).instances;
        ids.push(...page.nodes.map((n) => n.id));
        expect(page.asOf).toBe(iso(FIXED_NOW));
        if (!page.pageInfo.hasNextPage) return ids;
        after = page.pageInfo.endCursor;
      }
    };
    const live = await walk(true);
    expect(live).toHaveLength(1 + 80);
    stack.clearCalls();
    expect(await walk(false)).toEqual(live);
    expect(await walk(false, { providers: ['RDS'] })).toEqual(live.filter((id) => codec.decode(id, 'id').type === 'RdsInstance'));
    expect(stack.calls()).toHaveLength(0);
    // A cursor of the snapshot's list pages the live one on from the same place.
    const first = ok(await stack.query<Instances>(INSTANCES, { first: 30 })).instances;
    const next = ok(await stack.query<Instances>(INSTANCES, { first: 30, after: first.pageInfo.endCursor, fresh: true })).instances;
    expect([...first.nodes, ...next.nodes].map((n) => n.id)).toEqual(live.slice(0, 60));
  });

  it("serves the dashboard's queries (coverage, newest backups) with no upstream call, nested instances and tenants included", async () => {
    stack.clearCalls();
    const coverage = ok(await stack.query<{ backupCoverage: { nodes: unknown[] } }>(dashboardDocument('DashboardCoverage'), { first: 100 }));
    expect(coverage.backupCoverage.nodes).toHaveLength(100);
    const recent = ok(
      await stack.query<{ backupTasks: { nodes: { instance?: { name: string }; tenant?: { tenantName: string } }[] } }>(dashboardDocument('DashboardRecent'), {
        first: 50,
      }),
    );
    expect(recent.backupTasks.nodes).toHaveLength(50);
    expect(recent.backupTasks.nodes.every((n) => (n.instance?.name ?? n.tenant?.tenantName ?? '').length > 0)).toBe(true);
    expect(stack.calls()).toHaveLength(0);
  });

  it('fresh: true reads only the page’s targets, within the budget; more targets than allowed are refused before any call', async () => {
    stack.clearCalls();
    const page = ok(
      await stack.query<{ backupCoverage: CoveragePage }>(COVERAGE, { first: 5, filter: { providers: ['DCS', 'RDS'] }, fresh: true }),
    ).backupCoverage;
    expect(page.nodes).toHaveLength(5);
    const keys = page.nodes.flatMap((n) => rawKeys(n.target.id)).filter((k) => k.length > 8);
    const calls = stack.calls();
    expect(calls.length).toBeGreaterThanOrEqual(5);
    expect(calls.length).toBeLessThanOrEqual(10);
    for (const call of calls) expect(keys.some((k) => `${call.path}?${JSON.stringify(call.query)}`.includes(k))).toBe(true);
    expect(page.nodes.every((n) => n.asOf === iso(FIXED_NOW) && !n.stale)).toBe(true);

    stack.clearCalls();
    const refused = await stack.query<{ backupCoverage: CoveragePage }>(COVERAGE, { first: 21, fresh: true });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BUDGET_EXCEEDED' });
    expect(stack.calls()).toHaveLength(0);
  });
});

describe("the snapshot's answers, shared for a moment per principal (the response cache)", { timeout: 60_000 }, () => {
  let stack: Stack;
  const READ = 'bq_read_0123456789abcdef0123456789';
  const ALL = 'bq_all_0123456789abcdef0123456789ab';
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  beforeAll(async () => {
    stack = await startStack({
      size: SIZE_3X40,
      configure: withSnapshot({ responseCacheMilliseconds: 60_000 }, (c) => ({
        ...c,
        auth: {
          apiKeys: [
            { name: 'one-source', sha256: sha256(READ), role: 'read', sources: [c.sources[0]!.name] },
            { name: 'everything', sha256: sha256(ALL), role: 'read' },
          ],
        },
      })),
    });
    await stack.gateway.snapshot!.whenComplete();
  });
  afterAll(async () => {
    await stack.close();
  });

  const ask = async (key: string, query: string) => {
    const res = await stack.gateway.yoga.fetch('http://backupql.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query }),
    });
    return { etag: res.headers.get('etag'), body: (await res.json()) as ExecutionResult<{ backupCoverage: { totalCount: number } }> };
  };

  it('keeps an answer per principal (what it may see), never across them, and never one that asks for fresh', async () => {
    const query = '{ backupCoverage(first: 5) { totalCount } }';
    const one = await ask(READ, query);
    const all = await ask(ALL, query);
    expect(ok(one.body).backupCoverage.totalCount).toBe(40);
    expect(ok(all.body).backupCoverage.totalCount).toBe(120);
    expect(one.etag).toBeTruthy();
    expect(all.etag).toBeTruthy();
    expect(one.etag).not.toBe(all.etag);
    // Asked again, each gets its own answer back.
    expect(ok((await ask(READ, query)).body).backupCoverage.totalCount).toBe(40);
    expect(ok((await ask(ALL, query)).body).backupCoverage.totalCount).toBe(120);
    // An unauthenticated request is refused as ever, cached answers or not.
    const denied = await stack.gateway.yoga.fetch('http://backupql.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query }),
    });
    expect(denied.status).toBe(401);
    // fresh: true reads live every time.
    stack.clearCalls();
    const freshQuery = '{ backupCoverage(first: 2, fresh: true) { totalCount } }';
    const first = await ask(ALL, freshQuery);
    const afterFirst = stack.calls().length;
    const second = await ask(ALL, freshQuery);
    expect(first.etag).toBeNull();
    expect(second.etag).toBeNull();
    expect(afterFirst).toBeGreaterThan(0);
    expect(stack.calls().length).toBe(2 * afterFirst);
  });
});

describe('the snapshot on a tiny refresh budget', { timeout: 60_000 }, () => {
  let stack: Stack;
  const BURST = 6;
  beforeAll(async () => {
    stack = await startStack({
      size: SIZE_3X40,
      configure: withSnapshot({ responseCacheMilliseconds: 0 }, (c) => ({
        ...c,
        sources: c.sources.map((s) => ({ ...s, refreshBudget: { callsPerMinute: 0.01, burst: BURST } })),
      })),
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('spends no more than its budget, and says which targets it has not read', async () => {
    await until('the first reads', async () => (await status(q(stack))).sources.every((s) => s.listedAt !== null && s.read > 0));
    await sleep(300); // many ticks: the bucket does not refill at 0.01 calls a minute
    await stack.gateway.snapshot!.settled();
    const calls = stack.calls();
    // Per source at most the burst, plus what the last batch read past its estimate.
    const perSource = new Map<string, number>();
    for (const call of calls) {
      const name = call.server.startsWith('huawei')
        ? stack.sims.fleet.huawei.projects.find((p) => call.path.includes(p.projectId))!.name
        : stack.sims.fleet.oceanbase[0]!.name;
      perSource.set(name, (perSource.get(name) ?? 0) + 1);
    }
    for (const [name, n] of perSource) expect(n, name).toBeLessThanOrEqual(BURST + 3);

    const s = await status(q(stack));
    expect(s.complete).toBe(false);
    expect(s.asOf).toBeNull();
    expect(s.sources.every((x) => x.targets === 40 && x.read < 40 && x.callsAvailable < 2)).toBe(true);
    const answer = await coverageAll(q(stack), {}, 100);
    expect(answer.totalCount).toBe(120);
    expect(answer.asOf).toBeNull();
    const unread = answer.all.filter((i) => i.asOf === null);
    expect(unread.length).toBe(120 - s.sources.reduce((n, x) => n + x.read, 0));
    expect(unread.every((i) => i.state === 'UNKNOWN' && i.reasons.join() === 'NOT_YET_READ')).toBe(true);
    expect(answer.summary['unknown']).toBe(unread.length);

    // fresh: true is charged to the same budget: refused, before any call.
    stack.clearCalls();
    const refused = await stack.query(COVERAGE, { first: 5, fresh: true });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BUDGET_EXCEEDED' });
    expect(stack.calls()).toHaveLength(0);
  });
});

describe('the snapshot over time (a manual clock)', { timeout: 60_000 }, () => {
  let stack: Stack;
  let clock: ManualClock;
  const waitRead = (at: number) =>
    until(`every target read at ${iso(at)}`, async () => {
      const s = await status(q(stack));
      return s.sources.every((x) => x.oldestReadAt === iso(at) || x.error !== null);
    });
  beforeAll(async () => {
    clock = new ManualClock(FIXED_NOW);
    stack = await startStack({
      size: SIZE_3X40,
      clock,
      configure: withSnapshot({ viewCacheMilliseconds: 0, responseCacheMilliseconds: 0 }, (c) => ({
        ...c,
        sources: c.sources.map((s) => ({ ...s, retry: { maxRetries: 0 } })),
      })),
    });
    await stack.gateway.snapshot!.whenComplete();
    await stack.gateway.snapshot!.settled();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('re-reads a target only when due, incrementally (since its last read, not the whole window), and asOf moves', async () => {
    stack.clearCalls();
    clock.advance(30_000);
    await sleep(150);
    expect(stack.calls()).toHaveLength(0); // not due before targetIntervalSeconds (60)

    // A backup that starts meanwhile appears at the next refresh.
    const instance = stack.sims.fleet.huawei.projects[0]!.dcs[3]!;
    const added = addDcsBackup(instance, clock.now(), 'backuping');
    clock.advance(31_000);
    const now = clock.now();
    await waitRead(now);
    await stack.gateway.snapshot!.settled();

    const dcs = stack.calls().filter((c) => c.route === 'dcs.listBackups');
    expect(dcs).toHaveLength(40);
    for (const call of dcs) {
      const begin = call.query['begin_time']!;
      const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(begin)!;
      const at = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
      // From a little before the last read, or the start of a backup running then: never the 7 days.
      expect(at).toBeGreaterThan(now - 2 * DAY);
    }
    stack.clearCalls();
    const tasks = await tasksAll(q(stack));
    expect(tasks.ids).toEqual(referenceBackups(stack.sims.fleet, { since: Math.floor((now - 7 * DAY) / 60_000) * 60_000 }).map((b) => b.id));
    expect(tasks.pages[0]!.asOf).toBe(iso(now));
    const cov = await coverageAll(q(stack), {}, 100);
    expect(cov.asOf).toBe(iso(now));
    expect(cov.all.map((i) => [i.target.id, i.state])).toEqual(
      referenceCoverage(stack.sims.fleet, now)
        .sort(byCoverageOrder)
        .map((r) => [r.target, r.state]),
    );
    // The backup started meanwhile is in the list, as the reference (the simulator's rows) says.
    expect(tasks.ids.filter((id) => rawKeys(id).includes(added.backup_id))).toHaveLength(1);
    expect(stack.calls()).toHaveLength(0);
  });

  it('a source that goes down keeps its targets’ last known states, marked stale, with its error', async () => {
    const before = await coverageAll(q(stack), {}, 100);
    const cluster = stack.sims.fleet.oceanbase[0]!;
    const lastRead = before.asOf!;
    stack.sims.obshell[0]!.server.addFault({ kind: 'status', status: 503 });
    try {
      clock.advance(61_000);
      await until('the cluster’s refresh to fail', async () => (await status(q(stack))).sources.find((s) => s.source === cluster.name)!.stale === 40);
      await waitRead(clock.now());
      const s = (await status(q(stack))).sources.find((x) => x.source === cluster.name)!;
      expect(s.error).toBeTruthy();
      expect(s.oldestReadAt).toBe(lastRead);
      const result = await stack.query<{ backupCoverage: CoveragePage }>(COVERAGE, { first: 100, filter: { providers: ['OCEANBASE'] } });
      const nodes = result.data!.backupCoverage.nodes;
      expect(nodes).toHaveLength(40);
      expect(nodes.every((n) => n.stale && n.asOf === lastRead)).toBe(true);
      const was = new Map(before.all.map((i) => [i.target.id, i.state]));
      expect(nodes.every((n) => n.state === was.get(n.target.id))).toBe(true);
      expect(result.data!.backupCoverage.asOf).toBe(lastRead);
      expect(result.errors!.map((e) => [e.extensions['code'], e.extensions['source']])).toEqual([['UPSTREAM_UNAVAILABLE', cluster.name]]);
      // The other sources are read on and are not stale.
      const others = await coverageAll(q(stack), { filter: { providers: ['DCS', 'RDS'] } }, 100);
      expect(others.all.every((n) => !n.stale && n.asOf === iso(clock.now()))).toBe(true);
    } finally {
      stack.clearFaults();
    }
  });
});

describe('the snapshot in a real Redis, shared by replicas', { timeout: 120_000 }, () => {
  let redis: TestRedis;
  let sims: FleetSimulators;
  const gateways: Gateway[] = [];
  const servers = () => [...sims.obshell.map((s) => s.server), sims.huawei.server];
  const calls = () => servers().flatMap((s) => s.calls);
  const clearCalls = () => servers().forEach((s) => s.clearCalls());
  const gateway = (prefix: string, clock: Clock = FIXED_CLOCK, snapshot: Record<string, unknown> = {}): Gateway => {
    const base = sims.config({ credentials: 'aksk' });
    const g = createGateway(
      withSnapshot(snapshot)({ ...base, cache: { ttlSeconds: 0, redis: { url: redis.url, keyPrefix: prefix } }, operations: { collectorIntervalSeconds: 0 } }),
      { clock },
    );
    gateways.push(g);
    return g;
  };
  const queryOf =
    (g: Gateway): Query =>
    async (query, variables) => {
      const res = await g.yoga.fetch('http://backupql.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as ExecutionResult<never>;
    };

  beforeAll(async () => {
    redis = await startRedis();
    sims = await startFleetSimulators({ clock: FIXED_CLOCK, size: SIZE_3X40 });
  });
  afterAll(async () => {
    for (const g of gateways) await g.close().catch(() => undefined);
    await sims.close();
    await redis.close();
  });

  it('two replicas share one snapshot and one refresher per source: the calls of one cold start, not two', async () => {
    clearCalls();
    const single = gateway('one:');
    await single.snapshot!.whenComplete();
    await single.snapshot!.settled();
    const singleCalls = calls().length;
    await single.close();
    expect(singleCalls).toBeGreaterThan(120);

    clearCalls();
    const a = gateway('two:');
    const b = gateway('two:');
    await Promise.all([a.snapshot!.whenComplete(), b.snapshot!.whenComplete()]);
    await Promise.all([a.snapshot!.settled(), b.snapshot!.settled()]);
    expect(calls().length).toBe(singleCalls);
    const leading = [...a.snapshot!.leading(), ...b.snapshot!.leading()].sort();
    expect(leading).toEqual([sims.fleet.oceanbase[0]!.name, ...sims.fleet.huawei.projects.map((p) => p.name)].sort());

    clearCalls();
    const expected = referenceCoverage(sims.fleet, FIXED_NOW)
      .sort(byCoverageOrder)
      .map((r) => [r.target, r.state]);
    for (const g of [a, b]) {
      const answer = await coverageAll(queryOf(g), {}, 50);
      expect(answer.all.map((i) => [i.target.id, i.state])).toEqual(expected);
      const s = await status(queryOf(g));
      expect(s.complete).toBe(true);
      expect(s.sources.map((x) => x.refreshing)).toEqual(s.sources.map((x) => g.snapshot!.leading().includes(x.source)));
    }
    expect(calls()).toHaveLength(0);

    // A replica that restarts takes the snapshot from Redis: nothing is read again.
    await a.close();
    const c = gateway('two:');
    await c.snapshot!.whenComplete();
    const answer = await coverageAll(queryOf(c), {}, 50);
    expect(answer.all.map((i) => [i.target.id, i.state])).toEqual(expected);
    expect(answer.asOf).toBe(iso(FIXED_NOW));
    await sleep(200);
    await c.snapshot!.settled();
    expect(calls()).toHaveLength(0);
  });

  it('a replica killed mid-refresh loses nothing: the next one takes the lease and reads only what was not written', async () => {
    for (const s of servers()) s.latencyMs = 40;
    try {
      clearCalls();
      const a = gateway('kill:', FIXED_CLOCK, { leaseSeconds: 1, batchSize: 5 });
      await until(
        'a part of the snapshot written',
        () =>
          a.snapshot!.store.entries(sims.fleet.huawei.projects[0]!.name).size > 0 &&
          [...a.snapshot!.store.entries(sims.fleet.huawei.projects[0]!.name).values()].some((e) => e.readAt !== null),
      );
      await a.snapshot!.abandon();
      // What the dead replica wrote, as Redis holds it.
      const raw = new Redis(redis.url);
      const written = new Set<string>();
      let total = 0;
      for (const source of [sims.fleet.oceanbase[0]!.name, ...sims.fleet.huawei.projects.map((p) => p.name)]) {
        const entries = await raw.hgetall(`kill:snapshot:{${source}}:e`);
        for (const text of Object.values(entries)) {
          const entry = JSON.parse(text) as { targetId: string; readAt: number | null; kind: string };
          total++;
          if (entry.readAt !== null && entry.kind !== 'OCEANBASE') written.add(entry.targetId);
        }
      }
      await raw.quit();
      expect(written.size).toBeGreaterThan(0);
      expect(total).toBeLessThanOrEqual(120);

      await sleep(100); // what the dead replica had in flight reaches the simulators
      clearCalls();
      const b = gateway('kill:');
      await b.snapshot!.whenComplete();
      await b.snapshot!.settled();
      expect(b.snapshot!.leading().length).toBe(3); // the lease expired; B took every source
      // B read no target A had written.
      const writtenKeys = [...written].flatMap((id) => rawKeys(id).filter((k) => k.length > 8));
      for (const call of calls()) {
        const where = `${call.path}?${JSON.stringify(call.query)}`;
        expect(
          writtenKeys.some((k) => where.includes(k)),
          where,
        ).toBe(false);
      }
      const answer = await coverageAll(queryOf(b), {}, 60);
      expect(answer.all.map((i) => [i.target.id, i.state])).toEqual(
        referenceCoverage(sims.fleet, FIXED_NOW)
          .sort(byCoverageOrder)
          .map((r) => [r.target, r.state]),
      );
      expect(answer.asOf).toBe(iso(FIXED_NOW));
    } finally {
      for (const s of servers()) s.latencyMs = 0;
    }
  });
});
