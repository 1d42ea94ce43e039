/**
 * The root lists that are plain concatenations of what each source has (`instances`, `tenants`):
 * one segment per source and service in configuration order, paged by the pagination module. A
 * segment that cannot be read is left out and reported.
 */
import type { NodeLike } from '../core/models.js';
import type { KindFilter, SourceSession } from '../core/provider.js';
import { parseConnectionArgs, type ConnectionArgs } from '../pagination/args.js';
import { paginate, type Connection, type Segment } from '../pagination/connection.js';
import { lazyListKey } from '../pagination/cursor.js';
import { selectSources, type Operation, type Report, type SourceFilter } from './fleet.js';

export function mergedList(
  op: Operation,
  args: ConnectionArgs,
  identity: unknown,
  filter: SourceFilter | null | undefined,
  segmentsOf: (session: SourceSession, kinds: KindFilter) => Segment<NodeLike>[],
  report: Report,
): Promise<Connection<NodeLike>> {
  const key = lazyListKey(identity);
  const request = parseConnectionArgs(args, key); // validated before any upstream call
  const segments = selectSources(op, filter).flatMap(({ session, kinds }) => segmentsOf(session, kinds));
  return paginate(request, segments, { list: key, onSegmentError: report });
}
