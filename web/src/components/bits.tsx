/** Small pieces every table uses: a state's badge, a backup's status, an age with its exact time. */
import type { ComponentChildren } from 'preact';
import { formatAge, formatTime } from '../format';
import type { BackupStatus, CoverageReason, CoverageState } from '../gql/graphql';

const STATE_HINT: Record<CoverageState, string> = {
  OK: 'backed up within the RPO',
  STALE: 'no success within the RPO',
  FAILING: 'the last backup failed',
  RUNNING: 'a backup is running',
  NEVER: 'never backed up',
  UNKNOWN: 'its source could not be read, or it was not read yet',
};

/** Why a target is not OK, in words (the coverage table and a target's view). */
export const REASONS: Record<CoverageReason, string> = {
  NEVER_BACKED_UP: 'never backed up',
  LAST_BACKUP_FAILED: 'last backup failed',
  NO_SUCCESS_WITHIN_RPO: 'no success within the RPO',
  ARCHIVE_LAG: 'log archiving lags',
  ARCHIVE_STOPPED: 'log archiving stopped',
  SOURCE_UNREACHABLE: 'source unreachable',
  NOT_YET_READ: 'not read yet',
};

/** The state in words and colour (never colour alone). */
export function StateBadge({ state }: { state: CoverageState }) {
  return (
    <span class={`badge state-${state.toLowerCase()}`} title={STATE_HINT[state]}>
      {state}
    </span>
  );
}

/** A backup's status; FAILED is marked out (class and text). */
export function StatusText({ status, detail }: { status: BackupStatus; detail?: string | null }) {
  return (
    <span class={`status status-${status.toLowerCase()}`} title={detail ?? undefined}>
      {status}
    </span>
  );
}

/** "3 h ago", the exact time in the title (and in the machine-readable `datetime`). */
export function Ago({ iso, now, fallback = '—' }: { iso: string | null | undefined; now: number; fallback?: string }) {
  if (!iso) return <span class="muted">{fallback}</span>;
  return (
    <time dateTime={iso} title={formatTime(iso)}>
      {formatAge(iso, now)}
    </time>
  );
}

/** A table in its own horizontally scrolling, keyboard-reachable container. */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** How far a running backup got: a bar and the figure (the bar is named for screen readers). */
export function ProgressBar({ percent }: { percent: number }) {
  const value = Math.max(0, Math.min(100, percent));
  const text = `${value < 10 && value > 0 ? value.toFixed(1) : Math.round(value)} %`;
  return (
    <span class="progress">
      <progress max={100} value={value} aria-label={`${text} done`} />
      <span class="progress-text" aria-hidden="true">
        {text}
      </span>
    </span>
  );
}

/** A backup's status and, while it runs, how far it got. */
export function LiveStatus({ status, detail, progress }: { status: BackupStatus; detail?: string | null; progress: number | null }) {
  const running = status === 'RUNNING' || status === 'PENDING' || status === 'CANCELING';
  return (
    <>
      <StatusText status={status} detail={detail} />
      {running && progress !== null ? (
        <>
          {' '}
          <ProgressBar percent={progress} />
        </>
      ) : null}
    </>
  );
}
