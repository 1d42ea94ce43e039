/**
 * Numbered pages on every offset connection (`pageCursors`): up to five pages around the current
 * one, the first and last when outside them, the previous; each cursor, passed as `after` with the
 * same `first`, returns exactly that page of the list, on one upstream list and on lists merged
 * from several sources, and costs no upstream call of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../support/ids.js';
import { ok, startStack, type Stack } from '../support/stack.js';

interface PageCursor {
  cursor: string;
  page: number;
  isCurrent: boolean;
}
interface PageCursors {
  first: PageCursor | null;
  last: PageCursor | null;
  around: PageCursor[];
  previous: PageCursor | null;
}
const PC = 'pageCursors { first { cursor page isCurrent } last { cursor page isCurrent } around { cursor page isCurrent } previous { cursor page isCurrent } }';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

describe('pageCursors', () => {
  it("walks an instance's history by page number: each page's cursor gives exactly that page", async () => {
    const project = stack.sims.fleet.huawei.projects[0]!;
    const busiest = [...project.dcs].sort((a, b) => b.backups.length - a.backups.length)[0]!;
    const id = encodeId({ type: 'DcsInstance', source: project.name, instanceId: busiest.row.instance_id });
    const size = 20;
    type Page = { node: { backups: { totalCount: number; nodes: { backupId: string }[]; pageCursors: PageCursors } } };
    const page = async (after: string | null) =>
      ok(
        await stack.query<Page>(
          `query($id: ID!, $after: String) { node(id: $id) { ... on DcsInstance { backups(first: ${size}, after: $after) { totalCount nodes { backupId } ${PC} } } } }`,
          { id, after },
        ),
      ).node.backups;
    // The whole list, 100 at a time (the most one page may hold).
    const all = { totalCount: 0, nodes: [] as { backupId: string }[] };
    for (let after: string | null = null; ;) {
      const chunk: { totalCount: number; nodes: { backupId: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = ok(
        await stack.query<{ node: { backups: { totalCount: number; nodes: { backupId: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } }>(
          `query($id: ID!, $after: String) { node(id: $id) { ... on DcsInstance { backups(first: 100, after: $after) { totalCount nodes { backupId } pageInfo { hasNextPage endCursor } } } } }`,
          { id, after },
        ),
      ).node.backups;
      all.totalCount = chunk.totalCount;
      all.nodes.push(...chunk.nodes);
      if (!chunk.pageInfo.hasNextPage) break;
      after = chunk.pageInfo.endCursor;
    }
    expect(all.nodes).toHaveLength(all.totalCount);
    const pages = Math.ceil(all.totalCount / size);
    expect(pages).toBeGreaterThan(7);

    const first = await page(null);
    expect(first.pageCursors.around.map((p) => p.page)).toEqual([1, 2, 3, 4, 5]);
    expect(first.pageCursors.around.map((p) => p.isCurrent)).toEqual([true, false, false, false, false]);
    expect(first.pageCursors.first).toBeNull();
    expect(first.pageCursors.previous).toBeNull();
    expect(first.pageCursors.last).toMatchObject({ page: pages, isCurrent: false });

    // Page 3 from page 1's cursors; then 1 again from page 3's `first`... each exactly its slice.
    const third = await page(first.pageCursors.around[2]!.cursor);
    expect(third.nodes.map((n) => n.backupId)).toEqual(all.nodes.slice(2 * size, 3 * size).map((n) => n.backupId));
    expect(third.pageCursors.around.map((p) => p.page)).toEqual([1, 2, 3, 4, 5]);
    expect(third.pageCursors.around.find((p) => p.isCurrent)!.page).toBe(3);
    expect(third.pageCursors.previous!.page).toBe(2);
    const second = await page(third.pageCursors.previous!.cursor);
    expect(second.nodes.map((n) => n.backupId)).toEqual(all.nodes.slice(size, 2 * size).map((n) => n.backupId));

    const last = await page(first.pageCursors.last!.cursor);
    expect(last.nodes.map((n) => n.backupId)).toEqual(all.nodes.slice((pages - 1) * size).map((n) => n.backupId));
    expect(last.pageCursors.around.map((p) => p.page)).toEqual([pages - 4, pages - 3, pages - 2, pages - 1, pages]);
    expect(last.pageCursors.last).toBeNull();
    expect(last.pageCursors.first).toMatchObject({ page: 1 });
    const again = await page(last.pageCursors.first!.cursor);
    expect(again.nodes).toEqual(first.nodes);

    // Page 6: pages 4..8 around it, 1 and the last outside.
    const fifth = await page(third.pageCursors.around[4]!.cursor);
    const sixth = await page(fifth.pageCursors.around.find((p) => p.page === 6)!.cursor);
    expect(sixth.nodes.map((n) => n.backupId)).toEqual(all.nodes.slice(5 * size, 6 * size).map((n) => n.backupId));
    expect(sixth.pageCursors.around.map((p) => p.page)).toEqual([4, 5, 6, 7, 8]);
  });

  it('over a list merged from several sources: page boundaries that fall between sources', async () => {
    type Page = { instances: { totalCount: number; nodes: { id: string }[]; pageCursors: PageCursors } };
    const all = ok(await stack.query<Page>(`{ instances(first: 100) { totalCount nodes { ... on Node { id } } ${PC} } }`)).instances;
    const size = 3;
    const pages = Math.ceil(all.totalCount / size);
    let after: string | null = null;
    const seen: string[] = [];
    for (let p = 1; p <= pages; p++) {
      const got: Page['instances'] = ok(
        await stack.query<Page>(`query($after: String) { instances(first: ${size}, after: $after) { totalCount nodes { ... on Node { id } } ${PC} } }`, {
          after,
        }),
      ).instances;
      expect(got.pageCursors.around.find((c) => c.isCurrent)!.page, `page ${p}`).toBe(p);
      expect(got.nodes.map((n) => n.id)).toEqual(all.nodes.slice((p - 1) * size, p * size).map((n) => n.id));
      seen.push(...got.nodes.map((n) => n.id));
      const next = [...got.pageCursors.around, ...(got.pageCursors.last ? [got.pageCursors.last] : [])].find((c) => c.page === p + 1);
      if (p < pages) after = next!.cursor;
    }
    expect(seen).toEqual(all.nodes.map((n) => n.id));
  });

  it('costs no upstream call of its own', async () => {
    ok(await stack.query('{ tenants(first: 5) { totalCount } }')); // each agent's key, read once per process
    stack.clearCalls();
    ok(await stack.query('{ tenants(first: 5) { totalCount } }'));
    const without = stack.calls().length;
    stack.clearCalls();
    ok(await stack.query(`{ tenants(first: 5) { totalCount ${PC} } }`));
    expect(stack.calls().length).toBe(without);
  });
});
