/**
 * `backupTasks`: every backup of every selected target, merged into one list ordered by start
 * time (newest first, ties by global ID, no start time last), paged with keyset cursors.
 *
 * What it reads: the targets of each selected source (one listing per service), then, per
 * target, only what the page can hold within the time window, through the upstream's own time
 * filter (see `streams.ts`). A status filter goes to the upstreams that take one; the provider
 * applies it for those that do not. One failing source, service or target is left out and reported.
 */
import type { NodeRef } from '../core/ids.js';
import type { BackupCommon, BackupStatus } from '../core/models.js';
import { checkTimeRange, type MsRange } from '../core/time-range.js';
import type { ConnectionArgs } from '../pagination/args.js';
import { listKey } from '../pagination/cursor.js';
import { rethrowIfFatal, selectSources, type Operation, type Report, type SourceFilter } from './fleet.js';
import { encodeCursor, pageOfStreams, parseKeysetArgs, type CursorCodec, type KeysetConnection, type KeysetRequest } from './keyset.js';
import { BACKUP_ORDER, streamOf, type BackupStream, type SortKey } from './streams.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface BackupTaskFilter extends SourceFilter {
  statuses?: readonly BackupStatus[] | null;
  since?: Date | null;
  until?: Date | null;
  instanceIds?: readonly string[] | null;
}

export interface BackupTaskConnection extends KeysetConnection<BackupCommon> {
  /** The window read: `since` as given or the default; `until` null when open (up to now). */
  window: { since: Date | null; until: Date | null };
  /** From the snapshot: when its oldest target was read (null: not all read yet). Absent: read by this operation. */
  asOf?: Date | null;
}

/** A backup cursor: the edge's start time and ID, and the window's start the list was first read with. */
const BACKUP_CURSOR: CursorCodec<SortKey, { since: number }> = {
  write: (key, context) => [key.t, key.id, context.since],
  read([t, id, since, ...rest]) {
    const time = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
    if (rest.length > 0 || !(t === null || time(t)) || typeof id !== 'string' || !time(since)) return undefined;
    return { key: { t, id }, context: { since } };
  },
};

/** What a `backupTasks` request asks for, checked and decoded before anything is read. */
export interface BackupTasksRequest {
  filter: BackupTaskFilter;
  statuses: BackupStatus[] | null;
  list: string;
  request: KeysetRequest<SortKey, { since: number }>;
  /** The window's start (ms): the filter's, the first page's, or the default. */
  since: number;
  window: MsRange;
}

export function backupTasksRequest(op: Operation, args: ConnectionArgs, filter: BackupTaskFilter | null | undefined): BackupTasksRequest {
  const f = filter ?? {};
  checkTimeRange(f.since, f.until, 'filter');
  const statuses = f.statuses && f.statuses.length > 0 ? [...new Set(f.statuses)] : null;
  const list = listKey(['backupTasks', { ...f, statuses, since: f.since ?? null, until: f.until ?? null }]);
  const request = parseKeysetArgs(args, list, BACKUP_CURSOR);
  // Without `since`: the last `defaultWindowDays`, to the minute; later pages keep the first page's window.
  const since = f.since?.getTime() ?? request.context?.since ?? Math.floor((op.now - op.fleet.settings.defaultWindowDays * DAY) / MINUTE) * MINUTE;
  return { filter: f, statuses, list, request, since, window: { from: since, to: f.until?.getTime() ?? null } };
}

/** One page of the merge of `streams`, with its cursors and window. */
export async function backupTasksPage(req: BackupTasksRequest, streams: readonly BackupStream[]): Promise<BackupTaskConnection> {
  const page = await pageOfStreams(streams, BACKUP_ORDER, req.request, (item) =>
    encodeCursor(req.list, BACKUP_CURSOR.write(BACKUP_ORDER.key(item), { since: req.since })),
  );
  return { ...page, window: { since: new Date(req.since), until: req.filter.until ?? null } };
}

export async function backupTasks(
  op: Operation,
  args: ConnectionArgs,
  filter: BackupTaskFilter | null | undefined,
  report: Report,
): Promise<BackupTaskConnection> {
  const req = backupTasksRequest(op, args, filter);
  const f = req.filter;
  const picked = pickedTargets(op, f.instanceIds);
  const selected = selectSources(op, f).filter(({ session }) => !picked || picked.has(session.source));
  const groups = selected.flatMap(({ session, kinds }) => session.targets(kinds, picked?.get(session.source)).map((group) => ({ session, group })));
  const listed = await Promise.all(
    groups.map(({ session, group }) =>
      group.load().then(
        (targets) => targets.map((target) => ({ session, target })),
        (error: unknown) => {
          rethrowIfFatal(error);
          report(error);
          return [];
        },
      ),
    ),
  );
  const targets = listed.flat();
  op.budget.reserve(targets.length, `the backups of ${targets.length} targets`);

  const streams = targets.map(({ session, target }) =>
    guarded(() => session.backups(target, req.statuses).then((reader) => streamOf(reader, req.window)), report),
  );
  return backupTasksPage(req, streams);
}

/** The targets an `instanceIds` filter names, by source; undefined without the filter. */
function pickedTargets(op: Operation, ids: readonly string[] | null | undefined): Map<string, NodeRef[]> | undefined {
  if (!ids || ids.length === 0) return undefined;
  const bySource = new Map<string, NodeRef[]>();
  for (const id of ids) {
    const ref = op.fleet.codec.decode(id, 'filter', op.fleet.filterableIdTypes);
    // An ID of a source no longer configured names nothing.
    if (!op.source(ref.source)) continue;
    bySource.set(ref.source, [...(bySource.get(ref.source) ?? []), ref]);
  }
  return bySource;
}

/**
 * A target's stream that fails alone: its first failure is reported (once) and it then reads as
 * empty, so the merge goes on with the others.
 */
function guarded(make: () => Promise<BackupStream>, report: Report): BackupStream {
  let stream: Promise<BackupStream> | undefined;
  let failed = false;
  return {
    async slice(between, n, side) {
      if (failed) return { items: [], count: 0 };
      try {
        stream ??= make();
        return await (await stream).slice(between, n, side);
      } catch (error) {
        rethrowIfFatal(error);
        if (!failed) report(error);
        failed = true;
        return { items: [], count: 0 };
      }
    },
  };
}
