/**
 * Keyset paging: Relay arguments over lists ordered by a key, merged from many streams. A cursor
 * holds the key of its edge (not an offset), bound to its list (connection and filter) and to
 * what the list was first read with (the backups' time window), so a page reached with `after`
 * stays right when items arrive between two requests: nothing is skipped or repeated.
 *
 * Counts that only some answers need (`totalCount`, `hasPreviousPage` after a cursor) are lazy:
 * computed, and possibly costing upstream calls, only when the query selects them.
 */
import { BadInputError } from '../core/errors.js';
import { parseRelayArgs, type ConnectionArgs } from '../pagination/args.js';
import type { Between, KeyedStream, Order } from './streams.js';

const VERSION = 'k1';

/** A value now, or one computed when first asked for. */
export type Lazy<T> = T | (() => Promise<T>);

export async function force<T>(value: Lazy<T>): Promise<T> {
  return typeof value === 'function' ? (value as () => Promise<T>)() : value;
}

function once<T>(compute: () => Promise<T>): () => Promise<T> {
  let memo: Promise<T> | undefined;
  return () => (memo ??= compute());
}

export interface KeysetPageInfo {
  hasNextPage: Lazy<boolean>;
  hasPreviousPage: Lazy<boolean>;
  startCursor: string | null;
  endCursor: string | null;
}

export interface KeysetConnection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: KeysetPageInfo;
  totalCount: Lazy<number>;
}

/** The scalar values a cursor holds: its edge's key, then what the list keeps across pages. */
export type CursorValue = string | number | null;

/**
 * How one list writes its cursors: the key and context as plain values, and back. `read` returns
 * undefined for values that cannot be this list's (a forged or damaged cursor).
 */
export interface CursorCodec<K, C> {
  write(key: K, context: C): CursorValue[];
  read(values: readonly CursorValue[]): { key: K; context: C } | undefined;
}

export interface KeysetRequest<K, C> {
  first?: number;
  last?: number;
  after?: K;
  before?: K;
  /** From the cursors given; undefined when none was. */
  context?: C;
}

export function encodeCursor(list: string, values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify([VERSION, list, ...values]), 'utf8').toString('base64url');
}

function decodeCursor<K, C>(cursor: string, list: string, argumentName: string, codec: CursorCodec<K, C>): { key: K; context: C } {
  const invalid = () => new BadInputError(`\`${argumentName}\` is not a valid cursor.`, argumentName);
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw invalid();
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') throw invalid();
  // An offset cursor (`c1`) is a real cursor, of a list paged by offsets.
  if (parsed[1] !== list || parsed[0] !== VERSION)
    throw new BadInputError(`\`${argumentName}\` is a cursor from another list (another connection or filter).`, argumentName);
  const values = parsed.slice(2) as unknown[];
  const scalar = (v: unknown) => v === null || (typeof v === 'string' && v.length <= 512) || (typeof v === 'number' && Number.isFinite(v));
  const read = values.every(scalar) ? codec.read(values as CursorValue[]) : undefined;
  if (!read) throw invalid();
  return read;
}

/** Validates Relay arguments and decodes `list`'s keyset cursors (before any upstream call). */
export function parseKeysetArgs<K, C>(args: ConnectionArgs, list: string, codec: CursorCodec<K, C>): KeysetRequest<K, C> {
  const relay = parseRelayArgs(args);
  const after = args.after == null ? undefined : decodeCursor(args.after, list, 'after', codec);
  const before = args.before == null ? undefined : decodeCursor(args.before, list, 'before', codec);
  const request: KeysetRequest<K, C> = {};
  const context = after?.context ?? before?.context;
  if (context !== undefined) request.context = context;
  if (relay.first !== undefined) request.first = relay.first;
  if (relay.last !== undefined) request.last = relay.last;
  if (after) request.after = after.key;
  if (before) request.before = before.key;
  if (request.first === undefined && request.last === undefined) {
    // The default page, counted back from `before` when only `before` is given.
    if (before && !after) request.last = relay.defaultSize;
    else request.first = relay.defaultSize;
  }
  return request;
}

/**
 * One page of the merge of `streams` (each in `order`). Reads, per stream, at most the page size
 * from the cursor on; the rest is lazy.
 */
export async function pageOfStreams<T, K>(
  streams: readonly KeyedStream<T, K>[],
  order: Order<T, K>,
  request: KeysetRequest<K, unknown>,
  cursorOf: (item: T) => string,
): Promise<KeysetConnection<T>> {
  const between: Between<K> = { lo: request.after ?? null, hi: request.before ?? null };
  const forward = request.first !== undefined;
  const size = request.first ?? request.last!;
  const slices = await Promise.all(streams.map((s) => s.slice(between, size, forward ? 'lo' : 'hi')));
  const merged = slices.flatMap((s) => s.items).sort((a, b) => order.compare(order.key(a), order.key(b)));
  const page = forward ? merged.slice(0, size) : merged.slice(Math.max(0, merged.length - size));
  const inWindow = count(slices);

  const countAll = (b: Between<K>, side: 'lo' | 'hi') => async () => count(await Promise.all(streams.map((s) => s.slice(b, 0, side))));
  const total = once(countAll({ lo: null, hi: null }, 'lo'));
  // Something at or before `after` / at or after `before` exists when not everything lies beyond it.
  const anyUpTo = request.after === undefined ? false : once(async () => (await total()) > (await countAll({ lo: request.after!, hi: null }, 'lo')()));
  const anyFrom = request.before === undefined ? false : once(async () => (await total()) > (await countAll({ lo: null, hi: request.before! }, 'hi')()));

  const edges = page.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    totalCount: total,
    pageInfo: {
      hasNextPage: forward && inWindow > size ? true : anyFrom,
      hasPreviousPage: !forward && inWindow > size ? true : anyUpTo,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

function count(slices: readonly { count: number }[]): number {
  return slices.reduce((acc, s) => acc + s.count, 0);
}
