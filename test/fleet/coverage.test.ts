/**
 * `backupCoverage`: is everything protected? On the 3 × 40 fleet and the demo fleet: every target
 * once, in the state the contract's rules give (checked against the fleet's own rows), worst
 * first, the summary over the filtered list, filters, the RPO override, a source that goes down
 * (its targets stay, `UNKNOWN`), and the fewest upstream calls the upstreams allow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fleet } from '../../src/simulators/fleet.js';
import { coverageMinimum } from '../support/canonical.js';
import { byCoverageOrder, referenceCoverage, type RefCoverage } from '../support/reference.js';
import { FIXED_NOW, ok, SIZE_3X40, startStack, type Stack } from '../support/stack.js';

interface Item {
  state: string;
  reasons: string[];
  source: string;
  provider: string;
  rpoHours: number;
  lastSuccessAt: string | null;
  ageSeconds: number | null;
  target: { __typename: string; id: string };
  lastBackup: { __typename: string; id: string; status: string } | null;
  lastSuccessfulBackup: { __typename: string; status: string } | null;
}

interface Coverage {
  totalCount: number;
  summary: Record<'total' | 'ok' | 'stale' | 'failing' | 'running' | 'never' | 'unknown', number>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  nodes: Item[];
}

const QUERY = `query($first: Int, $last: Int, $after: String, $before: String, $filter: CoverageFilter, $rpo: Float) {
  backupCoverage(first: $first, last: $last, after: $after, before: $before, filter: $filter, rpoHours: $rpo) {
    totalCount
    summary { total ok stale failing running never unknown }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes {
      state reasons source provider rpoHours lastSuccessAt ageSeconds
      target { __typename ... on ObTenant { id } ... on DcsInstance { id } ... on RdsInstance { id } }
      lastBackup { __typename ... on Backup { id status } }
      lastSuccessfulBackup { __typename ... on Backup { status } }
    }
  }
}`;

async function coverage(stack: Stack, variables: Record<string, unknown> = {}): Promise<Coverage> {
  return ok(await stack.query<{ backupCoverage: Coverage }>(QUERY, { first: 100, ...variables })).backupCoverage;
}

/** Every item, page by page. */
async function all(stack: Stack, variables: Record<string, unknown> = {}, size = 37): Promise<Item[]> {
  const items: Item[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Coverage = await coverage(stack, { ...variables, first: size, after });
    items.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) return items;
    after = page.pageInfo.endCursor;
  }
}

function summaryOf(refs: RefCoverage[]) {
  const count = (state: string) => refs.filter((r) => r.state === state).length;
  return {
    total: refs.length,
    ok: count('OK'),
    stale: count('STALE'),
    failing: count('FAILING'),
    running: count('RUNNING'),
    never: count('NEVER'),
    unknown: count('UNKNOWN'),
  };
}

const fewestCalls = (fleet: Fleet, now: number, rpoHours = 24) => coverageMinimum(fleet, now, rpoHours).calls;

describe('backupCoverage on 3 sources × 40 targets', { timeout: 120_000 }, () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ size: SIZE_3X40 });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('lists every target once, in its state by the rules, worst first, with the summary of the whole list', async () => {
    const expected = referenceCoverage(stack.sims.fleet, FIXED_NOW).sort(byCoverageOrder);
    expect(expected).toHaveLength(120);
    for (const state of ['OK', 'STALE', 'FAILING', 'RUNNING', 'NEVER'])
      expect(
        expected.some((r) => r.state === state),
        state,
      ).toBe(true);
    const items = await all(stack);
    expect(items.map((i) => [i.target.id, i.state])).toEqual(expected.map((r) => [r.target, r.state]));
    const first = await coverage(stack, { first: 5 });
    expect(first.totalCount).toBe(120);
    expect(first.summary).toEqual(summaryOf(expected));
    // Backward, from the end: the same list.
    const back: Item[] = [];
    let before: string | null = null;
    for (;;) {
      const page: Coverage = await coverage(stack, { first: undefined, last: 23, before });
      back.unshift(...page.nodes);
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(back.map((i) => i.target.id)).toEqual(expected.map((r) => r.target));
  });

  it('says why, when, and how old: reasons, the last backups, the last success and its age', async () => {
    const items = await all(stack);
    const refs = new Map(referenceCoverage(stack.sims.fleet, FIXED_NOW).map((r) => [r.target, r]));
    for (const item of items) {
      const ref = refs.get(item.target.id)!;
      expect(item.rpoHours).toBe(24);
      expect(item.lastSuccessAt === null ? null : Date.parse(item.lastSuccessAt)).toBe(ref.lastSuccessAt);
      expect(item.ageSeconds).toBe(ref.lastSuccessAt === null ? null : (FIXED_NOW - ref.lastSuccessAt) / 1000);
      expect(item.reasons).toEqual(ref.reasons);
      if (item.state === 'NEVER') expect(item.reasons).toEqual(['NEVER_BACKED_UP', 'NO_SUCCESS_WITHIN_RPO']);
      if (item.state === 'OK') expect(item.reasons).toEqual([]);
      if (item.state === 'FAILING') expect(item.reasons).toContain('LAST_BACKUP_FAILED');
      if (item.state === 'STALE' || item.state === 'RUNNING') expect(item.reasons.length).toBeGreaterThan(0);
      if (item.state !== 'NEVER') expect(item.lastBackup).not.toBeNull();
      if (item.lastSuccessAt !== null) expect(item.lastSuccessfulBackup?.status).toBe('SUCCEEDED');
      const types = { ObTenant: 'OCEANBASE', DcsInstance: 'DCS', RdsInstance: 'RDS' } as Record<string, string>;
      expect(types[item.target.__typename]).toBe(item.provider);
    }
  });

  it('filters by state, provider and source; the summary counts the filtered list', async () => {
    const refs = referenceCoverage(stack.sims.fleet, FIXED_NOW);
    const project = stack.sims.fleet.huawei.projects[1]!.name;
    const cases: [Record<string, unknown>, (r: RefCoverage) => boolean][] = [
      [{ states: ['FAILING', 'NEVER'] }, (r) => r.state === 'FAILING' || r.state === 'NEVER'],
      [{ providers: ['RDS'] }, (r) => r.provider === 'RDS'],
      [{ sources: [project], states: ['OK'] }, (r) => r.source === project && r.state === 'OK'],
    ];
    for (const [filter, keep] of cases) {
      const expected = refs.filter(keep).sort(byCoverageOrder);
      const page = await coverage(stack, { filter });
      expect(
        page.nodes.map((i) => i.target.id),
        JSON.stringify(filter),
      ).toEqual(expected.map((r) => r.target));
      expect(page.summary).toEqual(summaryOf(expected));
    }
  });

  it("assesses against the query's rpoHours when given", async () => {
    const expected = referenceCoverage(stack.sims.fleet, FIXED_NOW, 2).sort(byCoverageOrder);
    const items = await all(stack, { rpo: 2 });
    expect(items.map((i) => [i.target.id, i.state])).toEqual(expected.map((r) => [r.target, r.state]));
    expect(items.every((i) => i.rpoHours === 2)).toBe(true);
    expect(summaryOf(expected).ok).toBeLessThan(summaryOf(referenceCoverage(stack.sims.fleet, FIXED_NOW)).ok);
    const bad = await stack.query(QUERY, { rpo: 0 });
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'rpoHours' });
  });

  it('costs the fewest calls the upstreams allow', async () => {
    stack.clearCalls();
    await coverage(stack, { first: 5 });
    expect(stack.calls().length).toBe(fewestCalls(stack.sims.fleet, FIXED_NOW));
  });

  it('a source that goes down keeps its targets, UNKNOWN, with an error naming it', async () => {
    await coverage(stack); // seen up
    const project = stack.sims.fleet.huawei.projects[0]!;
    stack.sims.huawei.server.addFault({ route: 'dcs.listInstances', kind: 'reset' });
    try {
      const result = await stack.query<{ backupCoverage: Coverage }>(QUERY, { first: 100, filter: { states: ['UNKNOWN'] } });
      const unknown = result.data!.backupCoverage.nodes;
      expect(unknown).toHaveLength(project.dcs.length * 2);
      expect(new Set(unknown.map((i) => `${i.source}/${i.provider}`))).toEqual(new Set(stack.sims.fleet.huawei.projects.map((p) => `${p.name}/DCS`)));
      expect(unknown.every((i) => i.reasons.join() === 'SOURCE_UNREACHABLE' && i.lastBackup === null)).toBe(true);
      expect(result.errors!.map((e) => [e.path, e.extensions['code'], e.extensions['provider']])).toEqual([
        [['backupCoverage'], 'UPSTREAM_UNAVAILABLE', 'DCS'],
        [['backupCoverage'], 'UPSTREAM_UNAVAILABLE', 'DCS'],
      ]);
      expect(result.data!.backupCoverage.summary.unknown).toBe(40);
    } finally {
      stack.clearFaults();
    }
  });
});

describe('backupCoverage on the demo fleet', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('shows every state of the demo fleet, at the fewest calls (the agents read once for their version and key)', async () => {
    const expected = referenceCoverage(stack.sims.fleet, FIXED_NOW).sort(byCoverageOrder);
    const page = await coverage(stack);
    expect(page.nodes.map((i) => [i.target.id, i.state])).toEqual(expected.map((r) => [r.target, r.state]));
    expect(new Set(expected.map((r) => r.state))).toEqual(new Set(['OK', 'STALE', 'FAILING', 'RUNNING', 'NEVER']));
    // A fresh gateway also reads each agent's public key once (and its version, when it is first needed).
    const cold = stack.calls();
    const keys = cold.filter((c) => c.route === 'obshell.secret' || c.route === 'obshell.info').length;
    expect(cold.length - keys).toBe(fewestCalls(stack.sims.fleet, FIXED_NOW));
    expect(keys).toBeLessThanOrEqual(2 * stack.sims.fleet.oceanbase.length);
    stack.clearCalls();
    await coverage(stack);
    expect(stack.calls().length).toBe(fewestCalls(stack.sims.fleet, FIXED_NOW));
  });
});
