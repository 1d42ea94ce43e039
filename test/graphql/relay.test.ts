/**
 * Relay semantics over simulated upstream data, tested the way graphql-relay-js tests its
 * connections: every combination of first/after/last/before on lists of known length, for each
 * kind of upstream paging (offset/limit, page/size, whole answers, lists merged from sources).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../support/ids.js';
import { relayReference } from '../support/relay.js';
import { FIXED_NOW, ok, startStack, type Stack } from '../support/stack.js';

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { cursor: string; node: { key: string } }[];
}

/**
 * Runs every combination against `fetch` (which runs one GraphQL query) and compares with the
 * reference over `expected`, the list's known contents.
 */
async function everyCombination(
  fetch: (args: Record<string, unknown>) => Promise<Page>,
  expected: string[],
  options: { positions?: number[]; sizes?: number[] } = {},
) {
  const n = expected.length;
  const whole = await fetch({ first: Math.min(n + 1, 100) });
  expect(whole.edges.map((e) => e.node.key)).toEqual(expected);
  const cursors = whole.edges.map((e) => e.cursor);
  const positions = [undefined, ...(options.positions ?? [...cursors.keys()])];
  const sizes = (options.sizes ?? [1, 3, n - 1, n, n + 2]).filter((s, i, all) => s >= 1 && s <= 100 && all.indexOf(s) === i);
  const jobs: Promise<void>[] = [];
  for (const after of positions) {
    for (const before of positions) {
      for (const size of sizes) {
        for (const dir of ['first', 'last'] as const) {
          const args: Record<string, unknown> = { [dir]: size };
          if (after !== undefined) args.after = cursors[after];
          if (before !== undefined) args.before = cursors[before];
          jobs.push(
            fetch(args).then((page) => {
              const { nodes, ...want } = relayReference(expected, { [dir]: size, after, before });
              expect(
                {
                  keys: page.edges.map((e) => e.node.key),
                  hasPreviousPage: page.pageInfo.hasPreviousPage,
                  hasNextPage: page.pageInfo.hasNextPage,
                  totalCount: page.totalCount,
                },
                JSON.stringify({ dir, size, after, before }),
              ).toEqual({ keys: nodes, ...want });
              expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
              expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
            }),
          );
        }
      }
    }
    await Promise.all(jobs.splice(0));
  }
  return positions.length * positions.length * sizes.length * 2;
}

const PAGE = `totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;

describe('Relay connections over the simulated fleet', { timeout: 120_000 }, () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('RDS backups (offset/limit upstream): every combination on a time-filtered list', async () => {
    const project = stack.sims.fleet.huawei.projects[0]!;
    const instance = project.rds.find((i) => i.row.name === 'rds-orders-mysql')!;
    const since = new Date(FIXED_NOW - 3 * 86_400_000);
    const expected = instance.backups.filter((b) => b.beginMs >= since.getTime() - 999).map((b) => b.row.id);
    expect(expected.length).toBeGreaterThanOrEqual(8);
    const id = encodeId({ type: 'RdsInstance', source: project.name, instanceId: instance.row.id });
    const q = `query($id: ID!, $since: DateTime, $first: Int, $last: Int, $after: String, $before: String) {
      node(id: $id) { ... on RdsInstance { backups(since: $since, first: $first, last: $last, after: $after, before: $before) {
        ${PAGE} edges { cursor node { key: backupId } } } } } }`;
    const checked = await everyCombination(
      async (args) => ok(await stack.query<{ node: { backups: Page } }>(q, { id, since: since.toISOString(), ...args })).node.backups,
      expected,
    );
    expect(checked).toBeGreaterThan(500);
  });

  it('OceanBase backup jobs (page/size upstream): every combination', async () => {
    const cluster = stack.sims.fleet.oceanbase[1]!;
    const tenant = cluster.tenants.find((t) => t.row.tenant_name === 'hr')!;
    const since = new Date(FIXED_NOW - 12 * 86_400_000);
    const expected = [...tenant.jobs]
      .filter((j) => j.startMs >= since.getTime())
      .sort((a, b) => b.startMs - a.startMs)
      .map((j) => String(j.job.job_id));
    expect(expected.length).toBeGreaterThanOrEqual(8);
    const id = encodeId({ type: 'ObTenant', source: cluster.name, tenantName: 'hr' });
    const q = `query($id: ID!, $since: DateTime, $first: Int, $last: Int, $after: String, $before: String) {
      node(id: $id) { ... on ObTenant { backupJobs(since: $since, first: $first, last: $last, after: $after, before: $before) {
        ${PAGE} edges { cursor node { key: jobId } } } } } }`;
    await everyCombination(async (args) => {
      const page = ok(await stack.query<{ node: { backupJobs: Page } }>(q, { id, since: since.toISOString(), ...args })).node.backupJobs;
      return { ...page, edges: page.edges.map((e) => ({ ...e, node: { key: String(e.node.key) } })) };
    }, expected);
  });

  it('instances (merged from every source): every combination around each source boundary', async () => {
    const fleet = stack.sims.fleet;
    const expected = [
      ...fleet.oceanbase.map((c) => `ob:${c.name}`),
      ...fleet.huawei.projects.flatMap((p) => [...p.dcs.map((i) => `dcs:${i.row.name}`), ...p.rds.map((i) => `rds:${i.row.name}`)]),
    ];
    const q = `query($first: Int, $last: Int, $after: String, $before: String) {
      instances(first: $first, last: $last, after: $after, before: $before) { ${PAGE}
        edges { cursor node { __typename ... on ObCluster { source } ... on DcsInstance { name } ... on RdsInstance { name } } } } }`;
    type Raw = Omit<Page, 'edges'> & { edges: { cursor: string; node: { __typename: string; source?: string; name?: string } }[] };
    const prefix: Record<string, string> = { ObCluster: 'ob', DcsInstance: 'dcs', RdsInstance: 'rds' };
    // Cursors at both ends and on either side of every boundary between segments (a source's
    // clusters, DCS or RDS instances), where merged paging can go wrong.
    const boundaries = [0, fleet.oceanbase.length];
    for (const p of fleet.huawei.projects) boundaries.push(boundaries.at(-1)! + p.dcs.length, boundaries.at(-1)! + p.dcs.length + p.rds.length);
    const positions = [...new Set(boundaries.flatMap((b) => [b - 1, b, b + 1]))].filter((p) => p >= 0 && p < expected.length).sort((a, b) => a - b);
    await everyCombination(
      async (args) => {
        const page = ok(await stack.query<{ instances: Raw }>(q, args)).instances;
        return {
          ...page,
          edges: page.edges.map((e) => ({ cursor: e.cursor, node: { key: `${prefix[e.node.__typename]}:${e.node.source ?? e.node.name}` } })),
        };
      },
      expected,
      { positions, sizes: [1, 4, expected.length] },
    );
  });

  it('walks an instance with more than 250 backups forward and backward, visiting each once', async () => {
    const project = stack.sims.fleet.huawei.projects[0]!;
    for (const [type, instance, field] of [
      ['DcsInstance', project.dcs.find((i) => i.backups.length > 250)!, 'backupId'],
      ['RdsInstance', project.rds.find((i) => i.backups.length > 250)!, 'backupId'],
    ] as const) {
      const instanceId = 'instance_id' in instance.row ? instance.row.instance_id : instance.row.id;
      const expected = instance.backups.map((b) => ('backup_id' in b.row ? b.row.backup_id : b.row.id));
      expect(expected.length).toBeGreaterThan(250);
      const id = encodeId({ type, source: project.name, instanceId });
      const q = `query($id: ID!, $first: Int, $last: Int, $after: String, $before: String) { node(id: $id) {
        ... on ${type} { backups(first: $first, last: $last, after: $after, before: $before) { ${PAGE} edges { cursor node { key: ${field} } } } } } }`;
      const page = async (args: Record<string, unknown>) => ok(await stack.query<{ node: { backups: Page } }>(q, { id, ...args })).node.backups;

      const forward: string[] = [];
      let after: string | null = null;
      for (;;) {
        const p: Page = await page({ first: 37, after });
        forward.push(...p.edges.map((e) => e.node.key));
        expect(p.totalCount).toBe(expected.length);
        if (!p.pageInfo.hasNextPage) break;
        after = p.pageInfo.endCursor;
      }
      expect(forward).toEqual(expected);

      const backward: string[] = [];
      let before: string | null = null;
      for (;;) {
        const p: Page = await page({ last: 41, before });
        backward.unshift(...p.edges.map((e) => e.node.key));
        if (!p.pageInfo.hasPreviousPage) break;
        before = p.pageInfo.startCursor;
      }
      expect(backward).toEqual(expected);
    }
  });
});
