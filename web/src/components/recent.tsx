/** The newest backups of the whole fleet, failed ones marked out, with the window that was read. */
import { useMemo } from 'preact/hooks';
import { backupTarget, RECENT_COUNT, type Recent } from '../fleet';
import { formatBytes, formatDuration, formatTime, formatWindow } from '../format';
import { backupKey, mergeLive, progressOf, type LiveEntries } from '../live';
import { viewSearch, type View } from '../route';
import { follow } from '../router';
import { Ago, LiveStatus, TableWrap } from './bits';

export function RecentBackups({
  recent,
  loadedAt,
  live,
  loading,
  view,
  now,
}: {
  recent: Recent | null;
  /** When the request that read `recent` was sent. */
  loadedAt: number;
  /** What the live stream told since: rows follow it, and backups started since come first. */
  live: LiveEntries;
  loading: boolean;
  view: View;
  now: number;
}) {
  const { rows, added } = useMemo(() => {
    if (!recent) return { rows: [], added: 0 };
    const merged = mergeLive(recent.nodes, { entries: live, loadedAt, keyOf: backupKey, insert: { belongs: () => true, create: (b) => b } });
    return { rows: merged.slice(0, Math.max(RECENT_COUNT, recent.nodes.length)), added: merged.length - recent.nodes.length };
  }, [recent, live, loadedAt]);
  const window = recent?.window;
  const windowTitle = window
    ? [window.since ? `since ${formatTime(window.since)}` : null, window.until ? `until ${formatTime(window.until)}` : 'until now'].filter(Boolean).join(' ')
    : undefined;
  return (
    <section aria-labelledby="recent-title" class="recent">
      <h2 id="recent-title">Recent backups</h2>
      <p class="count">
        {recent && window ? (
          <>
            The {rows.length} newest of {recent.totalCount + added} backups in the{' '}
            <span class="window" title={windowTitle} data-since={window.since ?? ''} data-until={window.until ?? ''}>
              {formatWindow(window, now)}
            </span>
            , across the fleet.
          </>
        ) : loading ? (
          'Loading the newest backups…'
        ) : (
          'The newest backups are not available.'
        )}
      </p>
      {recent ? (
        <TableWrap label="The newest backups of the fleet">
          <table class="data recent-table">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Target</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Size
                </th>
                <th scope="col" class="num">
                  Duration
                </th>
                <th scope="col">Provider</th>
                <th scope="col">Source</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ row: backup, live: news }) => {
                const target = backupTarget(backup);
                const link = target.id ? { ...view, target: target.id, page: 1 } : null;
                const detail = backup.__typename === 'DcsBackup' ? backup.errorCode : 'comment' in backup ? backup.comment : null;
                const failed = backup.status === 'FAILED';
                return (
                  <tr key={backup.id} data-id={backup.id} data-status={backup.status} class={failed ? 'failed' : undefined}>
                    <td>
                      <Ago iso={backup.startedAt} now={now} />
                    </td>
                    <th scope="row">
                      {link ? (
                        <a href={viewSearch(link)} onClick={(e) => follow(e, link)}>
                          {target.name}
                        </a>
                      ) : (
                        target.name
                      )}
                    </th>
                    <td>
                      {failed ? (
                        <span class="failed-mark" aria-hidden="true">
                          ✖{' '}
                        </span>
                      ) : null}
                      <LiveStatus status={backup.status} detail={backup.providerStatus} progress={progressOf(news ?? backup)} />
                    </td>
                    <td class="num">{formatBytes(backup.sizeBytes)}</td>
                    <td class="num">
                      {backup.startedAt && !backup.finishedAt ? <span class="muted">running</span> : formatDuration(backup.startedAt, backup.finishedAt)}
                    </td>
                    <td class="provider">{backup.provider}</td>
                    <td class="source">{backup.source}</td>
                    <td class="detail">{detail && detail !== '0' ? detail : ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </section>
  );
}
