/** One tenant's or instance's backup history: numbered pages, and its size and duration over time. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiUnavailable, Unauthenticated } from '../api';
import { messageOf, type CoverageItem } from '../fleet';
import { formatBytes, formatDuration, formatSeconds, formatSecondsShort, formatShortTime, formatTime } from '../format';
import { historyRow, loadChart, loadHistory, type ChartPoint, type HistoryPage, type HistoryRow } from '../history';
import { inProgress, mergeLive, progressOf, type LiveBackup, type LiveEntries, type Merged } from '../live';
import { viewSearch, type View } from '../route';
import { follow, go } from '../router';
import { BackupActions } from './actions';
import { Ago, LiveStatus, REASONS, StateBadge, TableWrap } from './bits';
import { Chart } from './chart';
import { Recoverability } from './recoverability';

interface Loaded<T> {
  loading: boolean;
  value: T | undefined;
  error: string | null;
  /** When the request that got `value` was sent (live news from before it is not laid over it). */
  loadedAt?: number;
}

export function TargetView({
  view,
  coverage,
  now,
  refreshKey,
  onUnavailable,
  live,
  canOperate,
  onBackup,
  onChanged,
}: {
  view: View & { target: string };
  coverage: CoverageItem | undefined;
  now: number;
  refreshKey: number;
  onUnavailable: (message: string | null) => void;
  /** What the live stream told of backups (laid over the history). */
  live: LiveEntries;
  /** Whether the actions show (`viewer.canOperate`). */
  canOperate: boolean;
  onBackup: (backup: LiveBackup, target: string) => void;
  onChanged: () => void;
}) {
  const [history, setHistory] = useState<Loaded<HistoryPage | null>>({ loading: true, value: undefined, error: null });
  const [chart, setChart] = useState<Loaded<ChartPoint[]>>({ loading: true, value: undefined, error: null });
  const { target: id, page } = view;

  useEffect(() => {
    const abort = new AbortController();
    setHistory((h) => ({ ...h, loading: true }));
    const sentAt = Date.now();
    loadHistory(id, page, abort.signal).then(
      (value) => {
        setHistory({ loading: false, value, error: null, loadedAt: sentAt });
        onUnavailable(null);
      },
      (error: unknown) => {
        if (abort.signal.aborted) return;
        setHistory((h) => ({ ...h, loading: false, error: messageOf(error) }));
        // Unauthenticated: the sign-in form shows instead.
        if (error instanceof ApiUnavailable && !(error instanceof Unauthenticated)) onUnavailable(error.message);
      },
    );
    return () => abort.abort();
  }, [id, page, refreshKey]);

  useEffect(() => {
    const abort = new AbortController();
    setChart((c) => ({ ...c, loading: true }));
    loadChart(id, abort.signal).then(
      (value) => setChart({ loading: false, value, error: null }),
      (error: unknown) => {
        if (!abort.signal.aborted) setChart((c) => ({ ...c, loading: false, error: messageOf(error) }));
      },
    );
    return () => abort.abort();
  }, [id, refreshKey]);

  const fleet = { ...view, target: null, page: 1 };
  const data = history.value;
  const c = data?.connection;
  // The rows as the live stream tells since they were read; a backup started since comes first on page 1.
  const rows = useMemo(
    () =>
      c
        ? mergeLive(c.rows, {
            entries: live,
            loadedAt: history.loadedAt ?? 0,
            keyOf: (r) => r.key,
            insert: c.page === 1 && { belongs: (e) => e.targetId === id, create: historyRow },
          })
        : [],
    [c, live, history.loadedAt, id],
  );
  // No history to lay them over (the agent keeps none, or it could not be read): the backups heard of live, alone.
  const liveOnly = useMemo(
    () =>
      data && !c
        ? mergeLive<HistoryRow>([], {
            entries: live,
            loadedAt: history.loadedAt ?? 0,
            keyOf: (r) => r.key,
            insert: { belongs: (e) => e.targetId === id, create: historyRow },
          })
        : [],
    [data, c, live, history.loadedAt, id],
  );
  const running =
    [...rows, ...liveOnly].some(({ row }) => row.status === 'PENDING' || row.status === 'RUNNING') ||
    [...live.values()].some((e) => e.targetId === id && (e.backup.status === 'PENDING' || e.backup.status === 'RUNNING')) ||
    (coverage?.lastBackup ? inProgress(coverage.lastBackup.status) && coverage.lastBackup.status !== 'CANCELING' : false);
  return (
    <section aria-labelledby="target-title" class="target" aria-busy={history.loading}>
      <p class="back">
        <a href={viewSearch(fleet) || location.pathname} onClick={(e) => follow(e, fleet)}>
          ← The whole fleet
        </a>
      </p>
      <h2 id="target-title">{data ? data.name : 'Backup history'}</h2>
      {data ? (
        <p class="target-facts">
          {data.provider} · {data.source}
          {c ? ` · ${c.totalCount} backups` : ''}
          {coverage ? (
            <>
              {' '}
              · <StateBadge state={coverage.state} /> last success <Ago iso={coverage.lastSuccessAt} now={now} fallback="never" />
              {coverage.reasons.length ? (
                <span class="target-reasons" data-reasons={coverage.reasons.join(' ')}>
                  {' '}
                  ({coverage.reasons.map((r) => REASONS[r] ?? r).join(', ')})
                </span>
              ) : null}
            </>
          ) : null}
        </p>
      ) : null}
      {history.error ? (
        <p class="error" role="alert">
          The history could not be loaded: {history.error}
        </p>
      ) : null}
      {data === null ? <p class="empty">No tenant or instance has this ID (it may no longer exist).</p> : null}
      {data && !c ? (
        <p class="error" role="alert">
          The backup history could not be read{data.errors[0] ? `: ${data.errors[0].message}` : ' (this source keeps none).'}
        </p>
      ) : null}
      {data && c && data.errors.length ? (
        <p class="error" role="alert">
          Partly read: {data.errors.map((e) => e.message).join('; ')}
        </p>
      ) : null}

      {canOperate && data && !data.system ? (
        <BackupActions target={data.id} kind={data.kind} running={running} onBackup={(b) => onBackup(b, data.id)} onChanged={onChanged} />
      ) : null}

      {liveOnly.length ? (
        <>
          <h3 id="live-title">Running now</h3>
          <HistoryTable rows={liveOnly} now={now} label="Backups running now" titleId="live-title" />
        </>
      ) : null}

      {data ? (
        <Recoverability
          kind={data.kind}
          provider={data.provider}
          system={data.system}
          window={data.restorableWindow}
          logArchive={data.logArchive}
          reasons={coverage?.reasons ?? []}
          now={now}
        />
      ) : null}

      <Charts chart={chart} />

      {c ? (
        <>
          <h3 id="history-title">
            Backups, page {c.page} of {c.pages}
          </h3>
          <HistoryTable rows={rows} now={now} label="Backup history" titleId="history-title" />
          {rows.length === 0 ? <p class="empty">No backups.</p> : null}
          <Pager view={view} connection={c} />
        </>
      ) : null}
    </section>
  );
}

/** Backups of the target, newest first, each as the live stream last told it. */
function HistoryTable({ rows, now, label, titleId }: { rows: Merged<HistoryRow>[]; now: number; label: string; titleId: string }) {
  return (
    <TableWrap label={label}>
      <table class="data history-table" aria-labelledby={titleId}>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Status</th>
            <th scope="col">Type</th>
            <th scope="col" class="num">
              Size
            </th>
            <th scope="col" class="num">
              Duration
            </th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ row, live: news }) => (
            <tr key={row.key} data-id={row.id} data-status={row.status} class={row.status === 'FAILED' ? 'failed' : undefined}>
              <td>
                {row.startedAt ? (
                  <>
                    <time dateTime={row.startedAt} title={formatTime(row.startedAt)}>
                      {formatShortTime(row.startedAt)}
                    </time>{' '}
                    <span class="muted">
                      (<Ago iso={row.startedAt} now={now} />)
                    </span>
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td>
                <LiveStatus status={row.status} detail={row.providerStatus} progress={news ? progressOf(news) : row.progress} />
              </td>
              <td>{row.type ?? '—'}</td>
              <td class="num">{formatBytes(row.sizeBytes)}</td>
              <td class="num">{row.startedAt && !row.finishedAt ? <span class="muted">running</span> : formatDuration(row.startedAt, row.finishedAt)}</td>
              <td class="detail">{row.detail ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function Pager({ view, connection }: { view: View; connection: NonNullable<HistoryPage['connection']> }) {
  const { pageCursors, page, pages } = connection;
  const to = (n: number) => ({ ...view, page: n });
  const link = (n: number, label: string, rel?: string, current = false) => {
    const next = to(n);
    return (
      <a
        href={viewSearch(next)}
        rel={rel}
        aria-current={current ? 'page' : undefined}
        aria-label={rel ? undefined : `Page ${n}`}
        data-page={n}
        onClick={(e) => follow(e, next, false)}
      >
        {label}
      </a>
    );
  };
  const disabled = (label: string) => (
    <span class="disabled" aria-disabled="true">
      {label}
    </span>
  );
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label="Pages of the backup history">
      <ul>
        <li>{pageCursors.previous ? link(pageCursors.previous.page, '‹ Previous', 'prev') : disabled('‹ Previous')}</li>
        {pageCursors.first ? (
          <>
            <li>{link(pageCursors.first.page, String(pageCursors.first.page))}</li>
            {(pageCursors.around[0]?.page ?? 2) > 2 ? <li class="gap">…</li> : null}
          </>
        ) : null}
        {pageCursors.around.map((p) => (
          <li key={p.page}>{link(p.page, String(p.page), undefined, p.isCurrent)}</li>
        ))}
        {pageCursors.last ? (
          <>
            {(pageCursors.around.at(-1)?.page ?? pages) < pages - 1 ? <li class="gap">…</li> : null}
            <li>{link(pageCursors.last.page, String(pageCursors.last.page))}</li>
          </>
        ) : null}
        <li>{connection.hasNextPage ? link(page + 1, 'Next ›', 'next') : disabled('Next ›')}</li>
      </ul>
      <JumpTo view={view} pages={pages} current={page} />
    </nav>
  );
}

/** Any page by number: its cursor is found through the pages around the known ones. */
function JumpTo({ view, pages, current }: { view: View; pages: number; current: number }) {
  const [value, setValue] = useState(String(current));
  useEffect(() => setValue(String(current)), [current]);
  return (
    <form
      class="jump"
      onSubmit={(e) => {
        e.preventDefault();
        const n = Math.min(pages, Math.max(1, Math.round(Number(value)) || 1));
        go({ ...view, page: n }, 'push');
      }}
    >
      <label>
        <span>Go to page</span>
        <input type="number" name="page" min={1} max={pages} value={value} onInput={(e) => setValue(e.currentTarget.value)} inputMode="numeric" />
      </label>
      <button type="submit">Go</button>
    </form>
  );
}

function Charts({ chart }: { chart: Loaded<ChartPoint[]> }) {
  const sizes = useMemo(() => (chart.value ?? []).map((p) => ({ t: p.t, value: p.sizeBytes })), [chart.value]);
  const durations = useMemo(() => (chart.value ?? []).map((p) => ({ t: p.t, value: p.seconds })), [chart.value]);
  if (chart.error) return <p class="error">The charts could not be loaded: {chart.error}</p>;
  if (!chart.value) return <p class="muted">Loading the charts…</p>;
  if (chart.value.length === 0) return <p class="muted">No successful backup to chart.</p>;
  return (
    <div class="charts">
      <Chart title={`Size of the last ${chart.value.length} successful backups`} points={sizes} format={formatBytes} color="#0b57d0" />
      <Chart
        title={`Duration of the last ${chart.value.length} successful backups`}
        points={durations}
        format={formatSeconds}
        axisFormat={formatSecondsShort}
        color="#8a3ffc"
      />
    </div>
  );
}
