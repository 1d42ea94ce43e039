/**
 * Lists the pagination module reads from: every upstream list is turned into an `OffsetList`,
 * whatever its own paging (offset/limit, page/size, or one whole answer).
 */

/** Items read from a list: `items[k]` is the item at `offset + k`; `total` is the list's length. */
export interface Chunk<T> {
  offset: number;
  items: T[];
  total: number;
}

export interface OffsetList<T> {
  /**
   * Reads the items at `[offset, offset + limit)` that exist, and the list's length. May return
   * more than asked (a chunk starting before `offset` or ending after), never less of what exists.
   */
  read(offset: number, limit: number): Promise<Chunk<T>>;
}

/**
 * An upstream with offset/limit paging (DCS: up to 1000 a call, RDS: up to 100). A read wider
 * than `maxLimit` costs one call to learn the total, then the rest in parallel.
 */
export function offsetLimitList<T>(maxLimit: number, fetch: (offset: number, limit: number) => Promise<{ items: T[]; total: number }>): OffsetList<T> {
  return {
    async read(offset, limit) {
      const head = await fetch(offset, Math.min(limit, maxLimit));
      const end = Math.min(offset + limit, head.total);
      const rest: Promise<{ items: T[]; total: number }>[] = [];
      for (let start = offset + maxLimit; start < end; start += maxLimit) {
        rest.push(fetch(start, Math.min(maxLimit, end - start)));
      }
      const tail = await Promise.all(rest);
      return {
        offset,
        items: head.items.concat(...tail.map((r) => r.items)),
        total: tail.at(-1)?.total ?? head.total,
      };
    },
  };
}

/**
 * Page size and page covering `[offset, offset + limit)` in one page of at most twice the
 * window, or `null` when no such page exists.
 */
export function coveringPage(offset: number, limit: number): { page: number; size: number } | null {
  for (let size = limit; size <= 2 * limit; size++) {
    const first = Math.floor(offset / size);
    if (first === Math.floor((offset + limit - 1) / size)) return { page: first + 1, size };
  }
  return null;
}

/**
 * An upstream with page-number paging (obshell backup jobs: `page` from 1 and `size`). A window
 * costs one call when a page of at most twice its size covers it, else two calls (the two pages
 * of the window's own size it straddles).
 */
export function pageNumberList<T>(fetchPage: (page: number, size: number) => Promise<{ items: T[]; total: number }>): OffsetList<T> {
  return {
    async read(offset, limit) {
      const single = coveringPage(offset, limit);
      if (single) {
        const res = await fetchPage(single.page, single.size);
        return { offset: (single.page - 1) * single.size, items: res.items, total: res.total };
      }
      const page = Math.floor(offset / limit) + 1;
      const [a, b] = await Promise.all([fetchPage(page, limit), fetchPage(page + 1, limit)]);
      return { offset: (page - 1) * limit, items: a.items.concat(b.items), total: b.total };
    },
  };
}

/** A list the upstream returns whole (tenants overview, instances of a project): sliced locally. */
export function arrayList<T>(load: () => Promise<readonly T[]>): OffsetList<T> {
  return {
    async read() {
      const items = await load();
      return { offset: 0, items: [...items], total: items.length };
    },
  };
}

/** Every item of a list, in order. */
export async function readAll<T>(list: OffsetList<T>, chunk = 1000): Promise<T[]> {
  const first = await list.read(0, chunk); // a read at 0 always starts at 0
  const have = first.items.length;
  if (have >= first.total) return first.items;
  const rest = await list.read(have, first.total - have);
  return first.items.concat(rest.items.slice(have - rest.offset));
}

/**
 * A list filtered here rather than upstream (e.g. by status where the upstream cannot): reads
 * the whole inner list once, then behaves as an array.
 */
export function filteredList<T>(inner: OffsetList<T>, keep: (item: T) => boolean): OffsetList<T> {
  let loaded: Promise<T[]> | undefined;
  return arrayList(() => (loaded ??= readAll(inner).then((items) => items.filter(keep))));
}

/** A list that is known to be empty without asking anyone. */
export const emptyList: OffsetList<never> = { read: async () => ({ offset: 0, items: [], total: 0 }) };
