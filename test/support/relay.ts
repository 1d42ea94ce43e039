/**
 * The Relay spec's algorithm (ApplyCursorsToEdges, then `first`, then `last`) over a whole list,
 * with hasNextPage/hasPreviousPage exact in both directions as the contract requires: what every
 * connection test compares against. `after`/`before` are indexes into the list.
 */
export function relayReference<T>(all: readonly T[], args: { first?: number; last?: number; after?: number; before?: number }) {
  let lo = args.after === undefined ? 0 : args.after + 1;
  let hi = args.before === undefined ? all.length : args.before;
  if (hi < lo) hi = lo;
  if (args.first !== undefined) hi = Math.min(hi, lo + args.first);
  if (args.last !== undefined) lo = Math.max(lo, hi - args.last);
  return { nodes: all.slice(lo, hi), hasPreviousPage: lo > 0, hasNextPage: hi < all.length, totalCount: all.length };
}
