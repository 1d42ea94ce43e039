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
import { encodeCursor, pageOfStreams, parseKeysetArgs, type CursorCodec, type KeysetConnection } from './keyset.js';
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

export async function backupTasks(
  op: Operation,
  args: ConnectionArgs,
  filter: BackupTaskFilter | null | undefined,
  report: Report,
): Promise<BackupTaskConnection> {
  const f = filter ?? {};
  checkTimeRange(f.since, f.until, 'filter');
  const statuses = f.statuses && f.statuses.length > 0 ? [...new Set(f.statuses)] : null;
  const list = listKey(['backupTasks', { ...f, statuses, since: f.since ?? null, until: f.until ?? null }]);
  const request = parseKeysetArgs(args, list, BACKUP_CURSOR);
  const picked = pickedTargets(op, f.instanceIds);

  // Without `since`: the last `defaultWindowDays`, to the minute; later pages keep the first page's window.
  const since = f.since?.getTime() ?? request.context?.since ?? Math.floor((op.now - op.fleet.settings.defaultWindowDays * DAY) / MINUTE) * MINUTE;
  const window: MsRange = { from: since, to: f.until?.getTime() ?? null };

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

  const streams = targets.map(({ session, target }) => guarded(() => session.backups(target, statuses).then((reader) => streamOf(reader, window)), report));
  const page = await pageOfStreams(streams, BACKUP_ORDER, request, (item) => encodeCursor(list, BACKUP_CURSOR.write(BACKUP_ORDER.key(item), { since })));
  return { ...page, window: { since: new Date(since), until: f.until ?? null } };
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
