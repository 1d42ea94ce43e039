import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../src/core/errors.js';
import { parseConnectionArgs, type ConnectionArgs } from '../../src/pagination/args.js';
import { paginate, type Segment } from '../../src/pagination/connection.js';
import { decodeCursor, encodeCursor, listKey } from '../../src/pagination/cursor.js';
import { arrayList, coveringPage, filteredList, offsetLimitList, pageNumberList, readAll } from '../../src/pagination/lists.js';
import { relayReference as reference } from '../support/relay.js';

/** An in-memory upstream with offset/limit paging that counts its calls. */
function offsetUpstream(items: number[], maxLimit: number) {
  const calls: [number, number][] = [];
  const list = offsetLimitList(maxLimit, async (offset, limit) => {
    expect(limit).toBeLessThanOrEqual(maxLimit);
    calls.push([offset, limit]);
    return { items: items.slice(offset, offset + limit), total: items.length };
  });
  return { list, calls };
}

/** An in-memory upstream with page-number paging (page from 1) that counts its calls. */
function pageUpstream(items: number[]) {
  const calls: [number, number][] = [];
  const list = pageNumberList(async (page, size) => {
    calls.push([page, size]);
    return { items: items.slice((page - 1) * size, page * size), total: items.length };
  });
  return { list, calls };
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

describe('connection arguments', () => {
  const list = listKey(['test']);
  const bad = (args: ConnectionArgs, argumentName: string) => {
    let error: unknown;
    try {
      parseConnectionArgs(args, list);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as BadInputError).argumentName).toBe(argumentName);
  };

  it('defaults to first: 20, or last: 20 when only before is given', () => {
    expect(parseConnectionArgs({}, list)).toEqual({ first: 20 });
    const before = encodeCursor(list, { segment: '', offset: 30 });
    expect(parseConnectionArgs({ before }, list)).toMatchObject({ last: 20 });
  });

  it('refuses both first and last, out-of-range sizes and foreign or malformed cursors', () => {
    bad({ first: 1, last: 1 }, 'last');
    bad({ first: 0 }, 'first');
    bad({ first: 101 }, 'first');
    bad({ last: -1 }, 'last');
    bad({ after: 'not a cursor!' }, 'after');
    bad({ after: Buffer.from('["c1","x","",1]').toString('base64url') }, 'after');
    bad({ before: encodeCursor(listKey(['other']), { segment: '', offset: 1 }) }, 'before');
    bad({ after: Buffer.from('["c1","' + list + '","",-4]').toString('base64url') }, 'after');
  });

  it('round-trips cursors', () => {
    const cursor = encodeCursor(list, { segment: 'hw/dcs/x', offset: 7 });
    expect(decodeCursor(cursor, list, 'after')).toEqual({ segment: 'hw/dcs/x', offset: 7 });
  });
});

describe('paginate over one segment: every combination of first/after/last/before', () => {
  const N = 9;
  const all = range(N, 100);
  const list = listKey(['one']);
  const sizes = [undefined, 1, 2, 5, 9, 10];
  const cursors = [undefined, ...range(N)];

  it('matches the reference algorithm for every combination', async () => {
    let checked = 0;
    for (const after of cursors) {
      for (const before of cursors) {
        for (const first of sizes) {
          for (const last of first === undefined ? sizes : [undefined]) {
            if (first === undefined && last === undefined) continue;
            const { list: upstream } = offsetUpstream(all, 4);
            const request = parseConnectionArgs(
              {
                first,
                last,
                after: after === undefined ? undefined : encodeCursor(list, { segment: '', offset: after }),
                before: before === undefined ? undefined : encodeCursor(list, { segment: '', offset: before }),
              },
              list,
            );
            const conn = await paginate(request, [{ key: '', list: upstream }], { list });
            const expected = reference(all, { first, last, after, before });
            expect({
              nodes: conn.edges.map((e) => e.node),
              hasPreviousPage: conn.pageInfo.hasPreviousPage,
              hasNextPage: conn.pageInfo.hasNextPage,
              totalCount: conn.totalCount,
            }).toEqual(expected);
            expect(conn.pageInfo.startCursor).toBe(conn.edges[0]?.cursor ?? null);
            checked++;
          }
        }
      }
    }
    expect(checked).toBe((N + 1) * (N + 1) * 10);
  });

  it('costs one upstream call for first/after and last/before, two at most for last alone', async () => {
    const items = range(300);
    const cases: [ConnectionArgs, number][] = [
      [{ first: 20 }, 1],
      [{ first: 20, after: encodeCursor(list, { segment: '', offset: 150 }) }, 1],
      [{ last: 20, before: encodeCursor(list, { segment: '', offset: 150 }) }, 1],
      [{ last: 20 }, 2],
    ];
    for (const [args, calls] of cases) {
      const upstream = offsetUpstream(items, 100);
      await paginate(parseConnectionArgs(args, list), [{ key: '', list: upstream.list }], { list });
      expect(upstream.calls).toHaveLength(calls);
    }
    const small = offsetUpstream(range(5), 100);
    await paginate(parseConnectionArgs({ last: 20 }, list), [{ key: '', list: small.list }], { list });
    expect(small.calls).toHaveLength(1);
  });

  it('walks a 250+ list forward and backward, visiting every item once', async () => {
    const items = range(263);
    const upstream = offsetUpstream(items, 100);
    const seen: number[] = [];
    let after: string | undefined;
    for (;;) {
      const conn = await paginate(parseConnectionArgs({ first: 17, after }, list), [{ key: '', list: upstream.list }], { list });
      seen.push(...conn.edges.map((e) => e.node));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor!;
    }
    expect(seen).toEqual(items);
    const back: number[] = [];
    let before: string | undefined;
    for (;;) {
      const conn = await paginate(parseConnectionArgs({ last: 23, before }, list), [{ key: '', list: upstream.list }], { list });
      back.unshift(...conn.edges.map((e) => e.node));
      if (!conn.pageInfo.hasPreviousPage) break;
      before = conn.pageInfo.startCursor!;
    }
    expect(back).toEqual(items);
  });
});

describe('paginate over several segments', () => {
  const list = listKey(['many']);
  const parts = [range(4, 0), [], range(7, 10), range(1, 20), range(5, 30)];
  const all = parts.flat();
  const segKeys = parts.map((_, i) => `seg${i}`);
  const position = (g: number) => {
    let rest = g;
    for (let i = 0; i < parts.length; i++) {
      if (rest < parts[i]!.length) return { segment: segKeys[i]!, offset: rest };
      rest -= parts[i]!.length;
    }
    throw new Error('out of range');
  };

  it('matches the reference for every combination across segment boundaries', async () => {
    const cursors = [undefined, ...range(all.length)];
    for (const after of cursors) {
      for (const before of cursors) {
        for (const [first, last] of [
          [3, undefined],
          [undefined, 3],
          [20, undefined],
          [undefined, 20],
          [1, undefined],
          [undefined, 1],
        ] as const) {
          const segments: Segment<number>[] = parts.map((items, i) => ({ key: segKeys[i]!, list: offsetUpstream(items, 2).list }));
          const request = parseConnectionArgs(
            {
              first,
              last,
              after: after === undefined ? undefined : encodeCursor(list, position(after)),
              before: before === undefined ? undefined : encodeCursor(list, position(before)),
            },
            list,
          );
          const conn = await paginate(request, segments, { list });
          const expected = reference(all, { first, last, after, before });
          expect({
            nodes: conn.edges.map((e) => e.node),
            hasPreviousPage: conn.pageInfo.hasPreviousPage,
            hasNextPage: conn.pageInfo.hasNextPage,
            totalCount: conn.totalCount,
          }).toEqual(expected);
        }
      }
    }
  });

  it('leaves out a failing segment and reports it, or fails whole without a handler', async () => {
    const failing = { read: async () => Promise.reject(new Error('upstream down')) };
    const segments: Segment<number>[] = [
      { key: 'a', list: arrayList(async () => [1, 2]) },
      { key: 'b', list: failing },
      { key: 'c', list: arrayList(async () => [3]) },
    ];
    const reported: string[] = [];
    const conn = await paginate({ first: 10 }, segments, { list, onSegmentError: (_e, key) => reported.push(key) });
    expect(conn.edges.map((e) => e.node)).toEqual([1, 2, 3]);
    expect(conn.totalCount).toBe(3);
    expect(reported).toEqual(['b']);
    await expect(paginate({ first: 10 }, segments, { list })).rejects.toThrow('upstream down');
  });

  it('refuses a cursor into a segment that is gone', async () => {
    const cursor = encodeCursor(list, { segment: 'gone', offset: 0 });
    await expect(
      paginate(parseConnectionArgs({ first: 2, after: cursor }, list), [{ key: 'a', list: arrayList(async () => [1]) }], { list }),
    ).rejects.toBeInstanceOf(BadInputError);
  });
});

describe('upstream list adapters', () => {
  it('page-number lists read any window in at most two calls, usually one', async () => {
    const items = range(1000);
    for (let offset = 0; offset < 400; offset += 7) {
      for (const limit of [1, 5, 20, 100]) {
        const upstream = pageUpstream(items);
        const chunk = await upstream.list.read(offset, limit);
        expect(upstream.calls.length).toBeLessThanOrEqual(2);
        const got = chunk.items.slice(offset - chunk.offset, offset - chunk.offset + limit);
        expect(got).toEqual(items.slice(offset, offset + limit));
      }
    }
    expect(coveringPage(21, 20)).toEqual({ page: 2, size: 21 });
    expect(coveringPage(0, 20)).toEqual({ page: 1, size: 20 });
  });

  it('offset lists split reads wider than the upstream allows', async () => {
    const upstream = offsetUpstream(range(250), 100);
    expect(await readAll(upstream.list)).toEqual(range(250));
    expect(upstream.calls).toEqual([
      [0, 100],
      [100, 100],
      [200, 50],
    ]);
  });

  it('filtered lists read the whole inner list once', async () => {
    const upstream = offsetUpstream(range(30), 10);
    const evens = filteredList(upstream.list, (n) => n % 2 === 0);
    const a = await evens.read(0, 5);
    const b = await evens.read(5, 5);
    expect(a.items).toEqual(range(15).map((n) => n * 2));
    expect(b.total).toBe(15);
    expect(upstream.calls).toHaveLength(3);
  });
});
