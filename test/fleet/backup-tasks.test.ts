/**
 * The fleet-wide `backupTasks` on a generated fleet of 3 sources × 40 targets (one OceanBase
 * cluster with 40 user tenants, two Huawei projects with 20 DCS and 20 RDS instances each): one
 * list, newest first, exact totals and page info in both directions, every filter, keyset cursors
 * that stay right while backups start, partial results, the call budget, and the upstream calls
 * a first and a follow-up page cost with and without the page cache.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/clock.js';
import { addDcsBackup, addObJob, addRdsBackup } from '../../src/simulators/mutate.js';
import { encodeId } from '../support/ids.js';
import { referenceBackups, type RefFilter } from '../support/reference.js';
import { FIXED_NOW, ok, SIZE_3X40, startStack, type Stack } from '../support/stack.js';

const DAY = 86_400_000;
const WEEK_AGO = Math.floor((FIXED_NOW - 7 * DAY) / 60_000) * 60_000;

interface Page {
  totalCount: number;
  window: { since: string | null; until: string | null };
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { cursor: string; node: { id: string; startedAt: string | null; status: string } }[];
}

const PAGE = `query($first: Int, $last: Int, $after: String, $before: String, $filter: BackupTaskFilter) {
  backupTasks(first: $first, last: $last, after: $after, before: $before, filter: $filter) {
    totalCount
    window { since until }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ... on Backup { id startedAt status } } }
  }
}`;

async function page(stack: Stack, variables: Record<string, unknown>): Promise<Page> {
  return ok(await stack.query<{ backupTasks: Page }>(PAGE, variables)).backupTasks;
}

/** Walks the whole list forward (`first`/`after`) or backward (`last`/`before`); checks each page against the reference. */
async function walk(stack: Stack, size: number, direction: 'forward' | 'backward', filter: Record<string, unknown> | undefined, expected: string[]) {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const p: Page = await page(stack, direction === 'forward' ? { first: size, after: cursor, filter } : { last: size, before: cursor, filter });
    expect(p.totalCount).toBe(expected.length);
    const ids = p.edges.map((e) => e.node.id);
    if (direction === 'forward') {
      const at = seen.length;
      expect(ids).toEqual(expected.slice(at, at + size));
      expect(p.pageInfo.hasPreviousPage).toBe(at > 0);
      expect(p.pageInfo.hasNextPage).toBe(at + ids.length < expected.length);
      seen.push(...ids);
      if (!p.pageInfo.hasNextPage) break;
    } else {
      const end = expected.length - seen.length;
      expect(ids).toEqual(expected.slice(Math.max(0, end - size), end));
      expect(p.pageInfo.hasNextPage).toBe(end < expected.length);
      expect(p.pageInfo.hasPreviousPage).toBe(end - ids.length > 0);
      seen.unshift(...ids);
      if (!p.pageInfo.hasPreviousPage) break;
    }
    cursor = direction === 'forward' ? p.pageInfo.endCursor : p.pageInfo.startCursor;
  }
  expect(seen).toEqual(expected);
  expect(new Set(seen).size).toBe(seen.length);
}

describe('backupTasks over 3 sources × 40 targets', { timeout: 120_000 }, () => {
  let cached: Stack;
  let uncached: Stack;
  beforeAll(async () => {
    [cached, uncached] = await Promise.all([startStack({ size: SIZE_3X40, cache: true }), startStack({ size: SIZE_3X40 })]);
  });
  afterAll(async () => {
    await Promise.all([cached.close(), uncached.close()]);
  });

  const ref = (stack: Stack, filter: Partial<RefFilter> = {}) => referenceBackups(stack.sims.fleet, { since: WEEK_AGO, ...filter }).map((b) => b.id);

  it('is one list of every backup of the window, newest first: forward and backward walks visit each once, with exact totals and page info', async () => {
    const expected = ref(cached);
    expect(expected.length).toBeGreaterThan(1000);
    // Every provider is in it, interleaved by time rather than grouped by source.
    const providers = referenceBackups(cached.sims.fleet, { since: WEEK_AGO })
      .slice(0, 60)
      .map((b) => b.provider);
    expect(new Set(providers)).toEqual(new Set(['OCEANBASE', 'DCS', 'RDS']));
    await walk(cached, 97, 'forward', undefined, expected);
    await walk(cached, 89, 'backward', undefined, expected);
  });

  it('says the window it read: the last 7 days to the minute without `since`', async () => {
    const p = await page(cached, { first: 1 });
    expect(p.window).toEqual({ since: new Date(WEEK_AGO).toISOString(), until: null });
    const given = await page(cached, { first: 1, filter: { since: '2026-11-01T00:00:00.000Z', until: '2026-11-10T00:00:00.000Z' } });
    expect(given.window).toEqual({ since: '2026-11-01T00:00:00.000Z', until: '2026-11-10T00:00:00.000Z' });
  });

  it('applies every filter: statuses, providers, sources, since/until and targets', async () => {
    const fleet = cached.sims.fleet;
    const cluster = fleet.oceanbase[0]!;
    const [p1, p2] = fleet.huawei.projects;
    const tenant = cluster.tenants[3]!.row.tenant_name;
    const targets = [
      encodeId({ type: 'ObTenant', source: cluster.name, tenantName: tenant }),
      encodeId({ type: 'DcsInstance', source: p1!.name, instanceId: p1!.dcs[2]!.row.instance_id }),
      encodeId({ type: 'RdsInstance', source: p2!.name, instanceId: p2!.rds[5]!.row.id }),
    ];
    const since = Date.parse('2026-11-05T00:00:00.000Z');
    const until = Date.parse('2026-11-15T12:00:00.000Z');
    const cases: [Record<string, unknown>, Partial<RefFilter>][] = [
      [{ statuses: ['FAILED'] }, { statuses: ['FAILED'] }],
      [{ statuses: ['RUNNING', 'PENDING'] }, { statuses: ['RUNNING', 'PENDING'] }],
      [{ providers: ['RDS'] }, { providers: ['RDS'] }],
      [
        { providers: ['OCEANBASE', 'DCS'], statuses: ['SUCCEEDED'] },
        { providers: ['OCEANBASE', 'DCS'], statuses: ['SUCCEEDED'] },
      ],
      [{ sources: [p2!.name] }, { sources: [p2!.name] }],
      [
        { since: new Date(since).toISOString(), until: new Date(until).toISOString() },
        { since, until },
      ],
      [{ instanceIds: targets }, { targets }],
      [
        { instanceIds: [encodeId({ type: 'ObCluster', source: cluster.name })], statuses: ['FAILED', 'CANCELED'] },
        { sources: [cluster.name], statuses: ['FAILED', 'CANCELED'] },
      ],
    ];
    for (const [filter, expectedFilter] of cases) {
      const expected = ref(cached, expectedFilter);
      expect(expected.length, JSON.stringify(filter)).toBeGreaterThan(0);
      const p = await page(cached, { first: 100, filter });
      expect(p.totalCount, JSON.stringify(filter)).toBe(expected.length);
      expect(
        p.edges.map((e) => e.node.id),
        JSON.stringify(filter),
      ).toEqual(expected.slice(0, 100));
    }
    // A status filter across several pages (OceanBase filters upstream, DCS and RDS here).
    await walk(cached, 40, 'forward', { statuses: ['FAILED', 'RUNNING'] }, ref(cached, { statuses: ['FAILED', 'RUNNING'] }));
  });

  it('keyset cursors: backups that start between two requests neither repeat nor shift the next page', async () => {
    const before = ref(uncached);
    const first = await page(uncached, { first: 25 });
    expect(first.edges.map((e) => e.node.id)).toEqual(before.slice(0, 25));
    // Three backups start now, one per provider.
    const fleet = uncached.sims.fleet;
    const now = FIXED_NOW - 30_000;
    addDcsBackup(fleet.huawei.projects[0]!.dcs[0]!, now);
    addRdsBackup(fleet.huawei.projects[1]!.rds[0]!, now - 1000);
    addObJob(fleet.oceanbase[0]!, fleet.oceanbase[0]!.tenants[1]!.row.tenant_name, now - 2000);
    const second = await page(uncached, { first: 25, after: first.pageInfo.endCursor });
    expect(second.edges.map((e) => e.node.id)).toEqual(before.slice(25, 50));
    expect(second.totalCount).toBe(before.length + 3);
    // They are at the head of the list now, and a page back from the second page shows them.
    const fresh = await page(uncached, { first: 5 });
    expect(fresh.edges.slice(0, 3).map((e) => e.node.status)).toEqual(['RUNNING', 'RUNNING', 'RUNNING']);
    const back = await page(uncached, { last: 30, before: second.pageInfo.startCursor });
    expect(back.edges.map((e) => e.node.id)).toEqual([...fresh.edges.slice(0, 3).map((e) => e.node.id), ...before.slice(0, 25)].slice(-30));
    expect(back.pageInfo.hasPreviousPage).toBe(false);
  });

  it('one source down: the others, and an error naming it at the field', async () => {
    const cluster = uncached.sims.fleet.oceanbase[0]!;
    uncached.sims.obshell[0]!.server.addFault({ kind: 'status', status: 503, body: '<html>down</html>', headers: { 'content-type': 'text/html' } });
    try {
      const result = await uncached.query<{ backupTasks: Page }>(PAGE, { first: 30, filter: { statuses: ['FAILED'] } });
      const expected = ref(uncached, { statuses: ['FAILED'], sources: uncached.sims.fleet.huawei.projects.map((p) => p.name) });
      expect(result.data!.backupTasks.totalCount).toBe(expected.length);
      expect(result.data!.backupTasks.edges.map((e) => e.node.id)).toEqual(expected.slice(0, 30));
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]).toMatchObject({
        path: ['backupTasks'],
        extensions: { code: 'UPSTREAM_UNAVAILABLE', source: cluster.name, provider: 'OCEANBASE', httpStatus: 503 },
      });
    } finally {
      uncached.clearFaults();
    }
  });

  it('the call budget: an operation that would need more upstream calls fails before sending them', async () => {
    const small = await startStack({ size: SIZE_3X40, configure: (c) => ({ ...c, fleet: { callBudget: 50 } }) });
    try {
      const result = await small.query(PAGE, { first: 10 });
      expect(result.data).toBeNull();
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]!.extensions).toMatchObject({ code: 'BUDGET_EXCEEDED', budget: 50 });
      expect(result.errors![0]!.extensions['estimate']).toBeGreaterThanOrEqual(120);
      // Only the listings went out (the agent's public key, version and tenants, each project's DCS and RDS instances, plain and FlexusRDS).
      expect(
        small
          .calls()
          .map((c) => c.route)
          .sort(),
      ).toEqual([
        'dcs.listInstances',
        'dcs.listInstances',
        'obshell.info',
        'obshell.secret',
        'obshell.tenantsOverview',
        ...Array<string>(4).fill('rds.listInstances'),
      ]);
      // A narrower query fits.
      expect((await small.query(PAGE, { first: 10, filter: { providers: ['DCS'] } })).errors).toBeUndefined();
    } finally {
      await small.close();
    }
  });

  it('upstream calls: one per target and per listing for a page; a follow-up page costs none with the cache', async () => {
    for (const stack of [uncached, cached]) {
      // A fresh stack's first operation also reads the agent's version once.
      stack.clearCalls();
      const first = await page(stack, { first: 20 });
      const firstCalls = stack.calls().length;
      stack.clearCalls();
      await page(stack, { first: 20, after: first.pageInfo.endCursor });
      const followUp = stack.calls();
      stack.clearCalls();
      await page(stack, { first: 20 });
      const refresh = stack.calls().length;
      const byRoute = (calls: { route: string | null }[]) =>
        Object.fromEntries([...new Set(calls.map((c) => c.route))].map((r) => [r, calls.filter((c) => c.route === r).length]));
      if (stack === uncached) {
        // 1 tenant listing + 40 job histories + 2 × (DCS list + RDS list + FlexusRDS list + 20 + 20 instances).
        expect(firstCalls).toBe(1 + 40 + 2 * (3 + 40));
        expect(byRoute(followUp)).toEqual({
          'obshell.tenantsOverview': 1,
          'obshell.tenantBackupTasks': 40,
          'dcs.listInstances': 2,
          'rds.listInstances': 4,
          'dcs.listBackups': 40,
          'rds.listBackups': 40,
        });
        expect(refresh).toBe(firstCalls);
      } else {
        expect(firstCalls).toBeLessThanOrEqual(1 + 40 + 2 * (3 + 40));
        expect(followUp).toEqual([]);
        expect(refresh).toBe(0);
      }
    }
  });

  it("a later page keeps the first page's window when the clock moves on", async () => {
    const clock = new ManualClock(FIXED_NOW);
    const moving = await startStack({ clock });
    try {
      const first = await page(moving, { first: 10 });
      clock.advance(2 * DAY);
      const second = await page(moving, { first: 10, after: first.pageInfo.endCursor });
      expect(second.window).toEqual(first.window);
      expect(second.totalCount).toBe(first.totalCount);
      expect((await page(moving, { first: 10 })).window.since).toBe(new Date(WEEK_AGO + 2 * DAY).toISOString());
    } finally {
      await moving.close();
    }
  });
});
