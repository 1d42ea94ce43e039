/**
 * The one pagination algorithm every connection uses: Relay arguments over a list made of one or
 * more segments (an upstream list each), read through `OffsetList`s.
 *
 * Round 1 reads, in parallel, from every segment what the page most likely needs, which also
 * gives each segment's length; round 2 reads only what is still missing once the window's exact
 * place in the whole list is known. A single-segment list costs one upstream read for
 * `first`/`after` and `last`/`before`, and at most two for `last` alone (the length comes first).
 */
import { BadInputError } from '../core/errors.js';
import { parseConnectionArgs, type ConnectionArgs, type PageRequest } from './args.js';
import { encodeCursor, lazyListKey, type CursorPosition } from './cursor.js';
import type { OffsetList } from './lists.js';

export interface Segment<T> {
  /** Stable key of the segment within its list (goes into cursors). */
  key: string;
  list: OffsetList<T>;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface PageCursor {
  cursor: string;
  page: number;
  isCurrent: boolean;
}

export interface PageCursors {
  first: PageCursor | null;
  last: PageCursor | null;
  around: PageCursor[];
  previous: PageCursor | null;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: number;
  /** Computed when asked (GraphQL's default resolver calls it). */
  pageCursors: () => PageCursors;
}

/** Pages shown around the current one. */
const AROUND = 5;

export interface PaginateOptions {
  /** The list's key (see `listKey`), written into every cursor; a function: computed when a cursor is first needed. */
  list: string | (() => string);
  /**
   * Called when reading a segment fails; the segment then counts as empty. Without it the
   * failure rejects the whole connection.
   */
  onSegmentError?: (error: unknown, segmentKey: string) => void;
}

interface SegmentState<T> {
  segment: Segment<T>;
  items: Map<number, T>;
  total: number | undefined;
  failed: boolean;
}

export async function paginate<T>(request: PageRequest, segments: readonly Segment<T>[], options: PaginateOptions): Promise<Connection<T>> {
  const states: SegmentState<T>[] = segments.map((segment) => ({ segment, items: new Map(), total: undefined, failed: false }));
  const size = request.first ?? request.last ?? 0;
  const forward = request.first !== undefined;
  const ia = request.after ? indexOf(segments, request.after, 'after') : -1;
  const ib = request.before ? indexOf(segments, request.before, 'before') : segments.length;

  const load = async (i: number, offset: number, limit: number): Promise<void> => {
    const state = states[i]!;
    if (state.failed) return;
    let start = Math.max(offset, 0);
    let end = start + Math.max(limit, 0);
    if (state.total !== undefined) end = Math.min(end, state.total);
    while (start < end && state.items.has(start)) start++;
    while (end > start && state.items.has(end - 1)) end--;
    if (start >= end && state.total !== undefined) return;
    try {
      const chunk = await state.segment.list.read(start, Math.max(end - start, 1));
      state.total = chunk.total;
      chunk.items.forEach((item, k) => state.items.set(chunk.offset + k, item));
    } catch (error) {
      state.failed = true;
      state.total = 0;
      if (!options.onSegmentError) throw error;
      options.onSegmentError(error, state.segment.key);
    }
  };

  // Round 1: a probe per segment, anchored at the cursor in the cursor's segment.
  await Promise.all(
    states.map((_, i) => {
      if (i === ib && !forward) {
        const end = request.before!.offset;
        return load(i, end - size, Math.min(size, end));
      }
      if (i === ia) return load(i, request.after!.offset + 1, size);
      const outside = i < ia || i > ib;
      return load(i, 0, outside ? 1 : size);
    }),
  );

  // The window's place in the whole list, now that every segment's length is known.
  const totals = states.map((s) => s.total ?? 0);
  const starts: number[] = [];
  let totalCount = 0;
  for (const t of totals) {
    starts.push(totalCount);
    totalCount += t;
  }
  let lo = request.after ? starts[ia]! + Math.min(request.after.offset + 1, totals[ia]!) : 0;
  let hi = request.before ? starts[ib]! + Math.min(request.before.offset, totals[ib]!) : totalCount;
  if (hi < lo) hi = lo;
  if (request.first !== undefined) hi = Math.min(hi, lo + request.first);
  if (request.last !== undefined) lo = Math.max(lo, hi - request.last);

  // Round 2: whatever the window still lacks.
  await Promise.all(
    states.map((_, i) => {
      const from = Math.max(lo, starts[i]!);
      const to = Math.min(hi, starts[i]! + totals[i]!);
      return from < to ? load(i, from - starts[i]!, to - from) : Promise.resolve();
    }),
  );

  // Cursors are encoded when read: most pages are shown, not paged from.
  const list = options.list;
  const key = typeof list === 'string' ? () => list : list;
  const edges: Edge<T>[] = [];
  for (let i = 0; i < states.length; i++) {
    const from = Math.max(lo, starts[i]!);
    const to = Math.min(hi, starts[i]! + totals[i]!);
    for (let g = from; g < to; g++) {
      const offset = g - starts[i]!;
      const state = states[i]!;
      if (!state.items.has(offset)) continue; // the segment failed in round 2, or shrank
      edges.push(lazyEdge(key, state.segment.key, offset, state.items.get(offset)!));
    }
  }
  return {
    edges,
    totalCount,
    pageCursors: () => pageCursors(key(), segments, starts, totals, totalCount, size, lo),
    pageInfo: {
      hasPreviousPage: lo > 0,
      hasNextPage: hi < totalCount,
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges.at(-1)?.cursor ?? null;
      },
    },
  };
}

function lazyEdge<T>(key: () => string, segment: string, offset: number, node: T): Edge<T> {
  let cursor: string | undefined;
  return {
    node,
    get cursor() {
      return (cursor ??= encodeCursor(key(), { segment, offset }));
    },
  };
}

/**
 * Numbered pages at `size` a page (artsy/metaphysics' page cursors): page p starts after the item
 * at index (p − 1) × size − 1 of the whole list, whose cursor is that item's (page 1's points just
 * before the first segment's first item).
 */
function pageCursors(
  list: string,
  segments: readonly Segment<unknown>[],
  starts: readonly number[],
  totals: readonly number[],
  totalCount: number,
  size: number,
  lo: number,
): PageCursors {
  if (size <= 0) return { first: null, last: null, around: [], previous: null };
  const pages = Math.max(1, Math.ceil(totalCount / size));
  const current = Math.min(pages, Math.floor(lo / size) + 1);
  const cursorAfter = (index: number): string => {
    if (index < 0) return encodeCursor(list, { segment: segments[0]?.key ?? '', offset: -1 });
    for (let i = 0; i < segments.length; i++) {
      if (index < starts[i]! + totals[i]!) return encodeCursor(list, { segment: segments[i]!.key, offset: index - starts[i]! });
    }
    return encodeCursor(list, { segment: segments.at(-1)?.key ?? '', offset: Math.max(0, totals.at(-1) ?? 0) - 1 });
  };
  const page = (p: number): PageCursor => ({ cursor: cursorAfter((p - 1) * size - 1), page: p, isCurrent: p === current });
  const from = Math.max(1, Math.min(current - Math.floor(AROUND / 2), pages - AROUND + 1));
  const to = Math.min(pages, from + AROUND - 1);
  const around: PageCursor[] = [];
  for (let p = from; p <= to; p++) around.push(page(p));
  return {
    first: from > 1 ? page(1) : null,
    last: to < pages ? page(pages) : null,
    around,
    previous: current > 1 ? page(current - 1) : null,
  };
}

function indexOf(segments: readonly Segment<unknown>[], position: CursorPosition, argumentName: string): number {
  const index = segments.findIndex((s) => s.key === position.segment);
  if (index === -1) {
    throw new BadInputError(
      `\`${argumentName}\` points into a part of this list that is no longer available (its instance or source is gone); start again without a cursor.`,
      argumentName,
    );
  }
  return index;
}

/** Pages a list made of one source's segments; a failure fails the field. `identity` names the list (its cursors). */
export function pageOfSegments<T>(args: ConnectionArgs, identity: unknown, segments: readonly Segment<T>[]): Promise<Connection<T>> {
  const key = lazyListKey(identity);
  return paginate(parseConnectionArgs(args, key), segments, { list: key });
}

/** Pages one upstream list; a failure fails the field. */
export function pageOfList<T>(args: ConnectionArgs, identity: unknown, list: OffsetList<T>): Promise<Connection<T>> {
  return pageOfSegments(args, identity, [{ key: '', list }]);
}
