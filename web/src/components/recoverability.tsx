/**
 * How far back a target can be restored: its restorable window as a timeline (each span a bar, each
 * restorable instant a tick, the gaps empty, "now" marked), the same spans as text, the latest
 * restorable point, and an OceanBase tenant's log archiving.
 */
import { formatAge, formatSeconds, formatShortTime, formatTime } from '../format';
import type { CoverageReason } from '../gql/graphql';
import type { LogArchive, TimeRange } from '../history';
import { REASONS } from './bits';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MIN_SPAN = 7 * DAY;
const MAX_SPAN = 30 * DAY;
/** Ranges listed open under the timeline; more and the list starts folded. */
const OPEN_LIST = 6;

interface Span {
  from: number;
  until: number;
  derived: boolean;
  range: TimeRange;
}

const instant = (s: { from: number; until: number }) => s.from === s.until;

/** "3 h ago" / "just now": how long before `now` an instant was. */
function ago(iso: string, now: number): string {
  return formatAge(iso, now);
}

function When({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatTime(iso)}>
      {formatTime(iso)}
    </time>
  );
}

function sourceOf(span: { derived: boolean }, provider: string): string {
  return span.derived ? 'derived by backupql' : `reported by ${provider}`;
}

export function Recoverability({
  kind,
  provider,
  system,
  window,
  logArchive,
  reasons,
  now,
}: {
  kind: 'ObTenant' | 'DcsInstance' | 'RdsInstance';
  provider: string;
  system: boolean;
  window: TimeRange[] | null;
  logArchive: LogArchive | null;
  reasons: readonly CoverageReason[];
  now: number;
}) {
  const archiveReasons = reasons.filter((r) => r === 'ARCHIVE_LAG' || r === 'ARCHIVE_STOPPED');
  return (
    <section class="restorable" aria-labelledby="restorable-title">
      <h3 id="restorable-title">Restorable window</h3>
      {window === null ? (
        <p class="muted restorable-none">
          {kind === 'ObTenant'
            ? system
              ? 'Not assessed for the sys tenant.'
              : 'Not reported by this agent (obshell older than 4.3.2.0).'
            : `Not reported by ${provider}.`}
        </p>
      ) : window.length === 0 ? (
        <p class="restorable-none warn">Nothing to restore from: no restorable backup.</p>
      ) : (
        <Timeline window={window} provider={provider} now={now} lagging={archiveReasons.length > 0} />
      )}
      {archiveReasons.length ? (
        <p class="restorable-reasons warn" data-reasons={archiveReasons.join(' ')}>
          {archiveReasons.map((r) => REASONS[r]).join('; ')}
        </p>
      ) : null}
      {kind === 'ObTenant' && !system ? <Archive archive={logArchive} now={now} /> : null}
    </section>
  );
}

function Timeline({ window, provider, now, lagging }: { window: TimeRange[]; provider: string; now: number; lagging: boolean }) {
  const spans: Span[] = window
    .map((range) => ({ from: Date.parse(range.from), until: Date.parse(range.until), derived: range.derived, range }))
    .filter((s) => Number.isFinite(s.from) && Number.isFinite(s.until))
    .sort((a, b) => a.from - b.from);
  const earliest = Math.min(...spans.map((s) => s.from));
  const latest = spans.reduce<Span | null>((best, s) => (!best || s.until > best.until ? s : best), null);
  const span = Math.min(MAX_SPAN, Math.max(MIN_SPAN, Number.isFinite(earliest) ? now - earliest : 0));
  const start = now - span;
  // A little room after "now" so its marker is not on the edge.
  const end = now + span * 0.03;
  const x = (t: number) => `${(Math.min(Math.max((t - start) / (end - start), 0), 1) * 100).toFixed(3)}%`;
  const shown = spans.filter((s) => s.until >= start && s.from <= end);
  const ranges = shown.filter((s) => !instant(s));
  const instants = shown.filter(instant);
  const before = spans.length - shown.length;
  const days = Math.round(span / DAY);
  const hasDerived = shown.some((s) => s.derived);
  const hasReported = shown.some((s) => !s.derived);
  const labels = [0, 0.25, 0.5, 0.75].map((f) => start + f * span);

  const latestIso = latest?.range.until;
  const summary = [
    `Restorable window over the last ${days} days:`,
    ranges.length ? `${ranges.length} ${ranges.length === 1 ? 'range' : 'ranges'}` : '',
    instants.length ? `${instants.length} restorable ${instants.length === 1 ? 'instant' : 'instants'}` : '',
    ranges.length > 1 ? `with ${ranges.length - 1} ${ranges.length === 2 ? 'gap' : 'gaps'}` : '',
    !shown.length ? 'nothing restorable in this period' : '',
    hasReported && !hasDerived ? `(reported by ${provider})` : hasDerived && !hasReported ? '(derived by backupql)' : '',
    latestIso ? `; restorable until ${formatTime(latestIso)} (${ago(latestIso, now)})` : '',
  ]
    .filter(Boolean)
    .join(' ')
    .replace(' ;', ';');

  return (
    <>
      {latestIso ? (
        <p class={`restorable-until${lagging ? ' warn' : ''}`}>
          Restorable until <When iso={latestIso} /> ({ago(latestIso, now)})
        </p>
      ) : null}
      <figure class="timeline">
        <svg class="timeline-svg" role="img" aria-label={summary} width="100%" height="66" data-start={new Date(start).toISOString()} data-days={days}>
          <defs>
            <pattern id="tl-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="6" height="6" fill="#d6e6ff" />
              <line x1="0" y1="0" x2="0" y2="6" stroke="#0d3d8a" stroke-width="3" />
            </pattern>
          </defs>
          <rect class="tl-lane" x="0" y="14" width="100%" height="24" />
          {ranges.map((s) => (
            <rect
              key={`${s.range.from}-${s.range.until}`}
              class={`tl-range ${s.derived ? 'tl-derived' : 'tl-reported'}`}
              data-from={s.range.from}
              data-until={s.range.until}
              data-derived={String(s.derived)}
              x={x(s.from)}
              y="14"
              width={`${Math.max(0.4, parseFloat(x(s.until)) - parseFloat(x(s.from))).toFixed(3)}%`}
              height="24"
              fill={s.derived ? 'url(#tl-hatch)' : '#0b57d0'}
            />
          ))}
          {instants.map((s) => (
            <line
              key={s.range.from}
              class={`tl-instant ${s.derived ? 'tl-derived' : 'tl-reported'}`}
              data-at={s.range.from}
              data-derived={String(s.derived)}
              x1={x(s.from)}
              x2={x(s.from)}
              y1="12"
              y2="40"
              stroke={s.derived ? '#0d3d8a' : '#0b57d0'}
              stroke-width="2"
            />
          ))}
          <line class="tl-axis" x1="0" x2="100%" y1="44" y2="44" stroke="#4f5965" />
          {labels.map((t, i) => (
            <text key={t} x={x(t)} y="60" text-anchor={i === 0 ? 'start' : 'middle'} class="tl-label">
              {new Date(t).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })}
            </text>
          ))}
          <line class="tl-now" x1={x(now)} x2={x(now)} y1="4" y2="48" stroke="#8a1010" stroke-width="2" />
          <text x={x(now)} dx="-4" y="10" text-anchor="end" class="tl-label tl-now-label">
            now
          </text>
        </svg>
        <figcaption class="timeline-legend">
          {hasReported ? (
            <span class="legend-item">
              <span class="swatch swatch-reported" aria-hidden="true" /> reported by {provider}
            </span>
          ) : null}
          {hasDerived ? (
            <span class="legend-item">
              <span class="swatch swatch-derived" aria-hidden="true" /> derived by backupql
            </span>
          ) : null}
          {instants.length ? (
            <span class="legend-item">
              <span class="swatch swatch-instant" aria-hidden="true" /> restorable instant (a backup)
            </span>
          ) : null}
          <span class="legend-item">
            <span class="swatch swatch-now" aria-hidden="true" /> now
          </span>
          {before ? (
            <span class="legend-item muted">
              {before} more before {formatShortTime(new Date(start).toISOString())}
            </span>
          ) : null}
        </figcaption>
      </figure>
      <details class="tl-details" open={spans.length <= OPEN_LIST}>
        <summary>{spans.length === 1 ? 'The restorable range as text' : `All ${spans.length} restorable ranges as text, newest first`}</summary>
        <ol class="tl-list">
          {[...spans].reverse().map((s) => (
            <li key={`${s.range.from}-${s.range.until}`} data-from={s.range.from} data-until={s.range.until} data-derived={String(s.derived)}>
              {instant(s) ? (
                <>
                  at <When iso={s.range.from} />
                </>
              ) : (
                <>
                  from <When iso={s.range.from} /> until <When iso={s.range.until} />
                </>
              )}{' '}
              <span class="muted">({sourceOf(s, provider)})</span>
            </li>
          ))}
        </ol>
      </details>
    </>
  );
}

function Archive({ archive, now }: { archive: LogArchive | null; now: number }) {
  if (!archive)
    return (
      <p class="archive muted" data-archive="none">
        Log archive: not reported by this agent (obshell older than 4.3.2.0).
      </p>
    );
  const healthy = archive.status === 'DOING';
  return (
    <dl class="archive" data-archive={archive.status}>
      <div>
        <dt>Log archive</dt>
        <dd>
          <span class={`badge archive-status ${healthy ? 'state-ok' : 'state-failing'}`}>{archive.status}</span>{' '}
          <span class={healthy ? 'muted' : 'warn'}>{healthy ? 'healthy' : 'not archiving'}</span>
        </dd>
      </div>
      <div>
        <dt>Checkpoint</dt>
        <dd class="archive-checkpoint">
          {archive.checkpoint ? (
            <>
              <When iso={archive.checkpoint} /> ({ago(archive.checkpoint, now)})
            </>
          ) : (
            <span class="muted">none</span>
          )}
        </dd>
      </div>
      <div>
        <dt>Delay</dt>
        <dd class="archive-delay">{archive.delaySeconds === null ? <span class="muted">unknown</span> : formatSeconds(archive.delaySeconds)}</dd>
      </div>
    </dl>
  );
}
