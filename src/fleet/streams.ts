/**
 * A target's backups as the merge reads them: a stream in list order (start time descending,
 * ties by global ID ascending, no start time last) that answers "the first or last n items
 * strictly between two positions, and how many there are". Built over a provider's reader:
 *
 * - an upstream that sorts (`sorted: true`) is read from its head once (one call, the same
 *   request for every page of a list, so the page cache serves it again); when the head holds the
 *   whole window, everything is answered from memory, otherwise positions further in are read
 *   with the upstream's own time filter from the cursor's start time on;
 * - an upstream without order (`sorted: false`) is read whole over the window, then sorted here.
 *
 * Positions are keys, not offsets: a backup that starts between two requests moves nothing.
 */
import type { BackupCommon } from '../core/models.js';
import type { BackupReader } from '../core/provider.js';
import type { MsRange } from '../core/time-range.js';

/** A position in the list: a start time (ms, or null) and a global ID. */
export interface SortKey {
  t: number | null;
  id: string;
}

/** How a list is ordered: each item's key, and which of two keys comes first (negative: `a`). */
export interface Order<T, K> {
  key: (item: T) => K;
  compare: (a: K, b: K) => number;
}

/** The fleet-wide backup list's order: start time descending, ties by global ID, no start time last. */
export const BACKUP_ORDER: Order<BackupCommon, SortKey> = {
  key: (item) => ({ t: item.startedAt ? item.startedAt.getTime() : null, id: item.id }),
  compare(a, b) {
    if (a.t !== b.t) {
      if (a.t === null) return 1;
      if (b.t === null) return -1;
      return b.t - a.t;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  },
};

const keyOf = BACKUP_ORDER.key;
const compareKeys = BACKUP_ORDER.compare;
const compareItems = (a: BackupCommon, b: BackupCommon) => compareKeys(keyOf(a), keyOf(b));

/** Items strictly after `lo` and strictly before `hi` (either null: open). */
export interface Between<K> {
  lo: K | null;
  hi: K | null;
}

export interface Slice<T> {
  /** The first (`side: 'lo'`) or last (`side: 'hi'`) `n` items between, in list order. */
  items: T[];
  /** How many items lie between. */
  count: number;
}

export interface KeyedStream<T, K> {
  slice(between: Between<K>, n: number, side: 'lo' | 'hi'): Promise<Slice<T>>;
}

export type BackupStream = KeyedStream<BackupCommon, SortKey>;

const isBetween = (key: SortKey, { lo, hi }: Between<SortKey>) => (lo === null || compareKeys(key, lo) > 0) && (hi === null || compareKeys(key, hi) < 0);

/** A stream over items held in memory. */
export class MemoryStream<T, K> implements KeyedStream<T, K> {
  private readonly items: T[];
  private readonly keys: K[];
  /** The stream is `items[from, to)` (a run of a larger sorted list, not copied). */
  private readonly from: number;
  private readonly to: number;

  constructor(
    items: readonly T[],
    private readonly order: Order<T, K>,
    /** The items' keys, when `items` are already in `order` (not sorted again). */
    sortedKeys?: readonly K[],
    range?: { from: number; to: number },
  ) {
    if (sortedKeys) {
      this.items = items as T[];
      this.keys = sortedKeys as K[];
    } else {
      const keyed = items.map((item) => ({ item, key: order.key(item) })).sort((a, b) => order.compare(a.key, b.key));
      this.items = keyed.map((k) => k.item);
      this.keys = keyed.map((k) => k.key);
    }
    this.from = range?.from ?? 0;
    this.to = range?.to ?? this.items.length;
  }

  async slice(between: Between<K>, n: number, side: 'lo' | 'hi'): Promise<Slice<T>> {
    const start = between.lo === null ? this.from : this.search(between.lo, true);
    const end = between.hi === null ? this.to : this.search(between.hi, false);
    const count = Math.max(0, end - start);
    if (count === 0) return { items: [], count: 0 };
    const items = side === 'lo' ? this.items.slice(start, Math.min(end, start + n)) : this.items.slice(Math.max(start, end - n), end);
    return { items, count };
  }

  /** Index of the first item strictly after `key` (`after`), or at or after it. */
  private search(key: K, after: boolean): number {
    let lo = this.from;
    let hi = this.to;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = this.order.compare(this.keys[mid]!, key);
      if (c < 0 || (after && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The head read of a sorted upstream: as many items as the largest page, so one read usually holds a whole window. */
export const HEAD_SIZE = 100;
/** Never ask a sorted upstream for more than this in one call (obshell answers 500 to a huge page × size). */
const MAX_READ = 1000;

/** A stream over a sorted upstream (`BackupReader` with `sorted: true`) within a window. */
export class SortedStream implements BackupStream {
  private head: Promise<{ items: BackupCommon[]; total: number }> | undefined;

  constructor(
    private readonly reader: Extract<BackupReader, { sorted: true }>,
    private readonly window: MsRange,
  ) {}

  async slice(between: Between<SortKey>, n: number, side: 'lo' | 'hi'): Promise<Slice<BackupCommon>> {
    const head = await this.readHead();
    if (head.items.length >= head.total) return new MemoryStream(head.items, BACKUP_ORDER).slice(between, n, side);
    if (side === 'lo' && between.hi === null) {
      // The head is a prefix of the list: it answers when it reaches past `lo` and n items further.
      const known = completeGroups(head.items, head.total);
      const after = between.lo === null ? known : known.filter((item) => compareKeys(keyOf(item), between.lo!) > 0);
      if (after.length > 0 && after.length >= n) return { items: after.slice(0, n), count: head.total - (known.length - after.length) };
    }
    return this.readBetween(between, n, side);
  }

  private readHead() {
    this.head ??= this.reader.read(this.window, 'desc', HEAD_SIZE).then((page) => ({ items: [...page.items].sort(compareItems), total: page.total }));
    return this.head;
  }

  /**
   * Reads the items between two positions with the upstream's time filter, from the `side`
   * boundary inwards in the upstream's sort order, at least `n` of them. The upstream's time
   * filter includes the boundaries' own milliseconds; the items there that are not strictly
   * between are dropped and counted out of the upstream's total.
   */
  private async readBetween(between: Between<SortKey>, n: number, side: 'lo' | 'hi'): Promise<Slice<BackupCommon>> {
    const range = narrow(this.window, between);
    if (range.from !== null && range.to !== null && range.from > range.to) return { items: [], count: 0 };
    const near = side === 'lo' ? between.lo : between.hi;
    const far = side === 'lo' ? between.hi : between.lo;
    for (let size = Math.min(MAX_READ, n + 8); ; size = Math.min(MAX_READ, size * 4)) {
      const page = await this.reader.read(range, side === 'lo' ? 'desc' : 'asc', size);
      const whole = page.items.length >= page.total;
      const sorted = [...page.items].sort(compareItems);
      // In reading order, the last millisecond of a partial read may continue upstream.
      const known = whole ? sorted : side === 'lo' ? completeGroups(sorted, page.total) : completeGroups(sorted.reverse(), page.total).reverse();
      const inside = known.filter((item) => isBetween(keyOf(item), between));
      // The near boundary's millisecond is read first; it is complete once the read goes past it.
      const pastNear = near === null || near.t === null || known.some((item) => item.startedAt?.getTime() !== near.t);
      if (!whole && size < MAX_READ && (!pastNear || inside.length < n)) continue;
      const nearTies = near === null ? 0 : known.filter((item) => item.startedAt?.getTime() === near.t && !isBetween(keyOf(item), between)).length;
      // (Both boundaries in one millisecond: the near one's count already holds every item there.)
      const farTies =
        far === null || far.t === near?.t
          ? 0
          : whole
            ? known.filter((item) => item.startedAt?.getTime() === far.t && !isBetween(keyOf(item), between)).length
            : await this.tiesAt(far, between);
      const items = side === 'lo' ? inside.slice(0, n) : inside.slice(Math.max(0, inside.length - n));
      return { items, count: page.total - nearTies - farTies };
    }
  }

  /** Items of the window at `key`'s own millisecond that are not strictly between (one read of that millisecond). */
  private async tiesAt(key: SortKey, between: Between<SortKey>): Promise<number> {
    const { from, to } = this.window;
    if (key.t === null || (from !== null && key.t < from) || (to !== null && key.t > to)) return 0;
    const page = await this.reader.read({ from: key.t, to: key.t }, 'desc', MAX_READ);
    return page.items.filter((item) => !isBetween(keyOf(item), between)).length;
  }
}

/**
 * The items of a partial read (`total` more than it holds) that are known to be complete: a
 * millisecond at the end of the read may have more items upstream, so its group is left out.
 */
function completeGroups(sorted: readonly BackupCommon[], total: number): BackupCommon[] {
  if (sorted.length >= total || sorted.length === 0) return [...sorted];
  const lastT = sorted.at(-1)!.startedAt?.getTime() ?? null;
  let end = sorted.length;
  while (end > 0 && (sorted[end - 1]!.startedAt?.getTime() ?? null) === lastT) end--;
  return sorted.slice(0, end);
}

/** The window narrowed to the start times that can lie between two positions. */
function narrow(window: MsRange, { lo, hi }: Between<SortKey>): MsRange {
  // Later in the list is older: `lo` bounds the start times from above, `hi` from below.
  const to = lo?.t ?? null;
  const from = hi?.t ?? null;
  return {
    from: from === null ? window.from : window.from === null ? from : Math.max(window.from, from),
    to: to === null ? window.to : window.to === null ? to : Math.min(window.to, to),
  };
}

/** The stream of a reader over a window. */
export function streamOf(reader: BackupReader, window: MsRange): BackupStream {
  if (reader.sorted) return new SortedStream(reader, window);
  let all: Promise<MemoryStream<BackupCommon, SortKey>> | undefined;
  return {
    async slice(between, n, side) {
      all ??= reader.readAll(window).then((items) => new MemoryStream(items, BACKUP_ORDER));
      return (await all).slice(between, n, side);
    },
  };
}
