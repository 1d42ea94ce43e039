/** The fleet at a glance: counts by coverage state, and whether each source could be read. */
import type { SourceStatus, Summary } from '../fleet';
import type { CoverageState } from '../gql/graphql';
import { Ago } from './bits';

const FIGURES: { state: CoverageState; key: Exclude<keyof Summary, 'total'>; label: string }[] = [
  { state: 'OK', key: 'ok', label: 'OK' },
  { state: 'STALE', key: 'stale', label: 'Stale' },
  { state: 'FAILING', key: 'failing', label: 'Failing' },
  { state: 'RUNNING', key: 'running', label: 'Running' },
  { state: 'NEVER', key: 'never', label: 'Never backed up' },
  { state: 'UNKNOWN', key: 'unknown', label: 'Unknown' },
];

export function FleetSummary({
  summary,
  stateHref,
  asOf,
  now,
}: {
  summary: Summary | null;
  stateHref: (state: CoverageState) => string;
  /** When the oldest target shown was read upstream (undefined: not known yet). */
  asOf?: string | null;
  now: number;
}) {
  return (
    <section aria-labelledby="summary-title" class="summary">
      <h2 id="summary-title">Fleet summary{summary ? <span class="muted"> · {summary.total} targets</span> : null}</h2>
      {summary && asOf !== undefined ? (
        <p class="muted as-of" data-as-of={asOf ?? ''}>
          {asOf === null ? (
            'Some targets have not been read yet.'
          ) : (
            <>
              Read upstream <Ago iso={asOf} now={now} /> at the oldest.
            </>
          )}
        </p>
      ) : null}
      <ul class="figures">
        {FIGURES.map(({ state, key, label }) => (
          <li key={state} class={`figure state-${state.toLowerCase()}`}>
            <a href={stateHref(state)} title={`Show the ${label.toLowerCase()} targets`}>
              <span class="figure-value" data-summary={key}>
                {summary ? summary[key] : '–'}
              </span>{' '}
              <span class="figure-label">{label}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function SourceList({ sources, loading }: { sources: SourceStatus[] | null; loading: boolean }) {
  return (
    <section aria-labelledby="sources-title" class="sources">
      <h2 id="sources-title">Sources</h2>
      {!sources ? (
        <p class="muted">{loading ? 'Loading…' : 'Not available.'}</p>
      ) : sources.length === 0 ? (
        <p class="muted">No source answered with any target.</p>
      ) : (
        <ul class="source-list">
          {sources.map((s) => (
            <li key={s.name} class={s.reachable ? 'source source-up' : 'source source-down'} data-source={s.name}>
              <span class="source-mark" aria-hidden="true">
                {s.reachable ? '●' : '▲'}
              </span>{' '}
              <strong>{s.name}</strong>
              {s.providers.length ? <span class="muted"> ({[...s.providers].sort().join(', ')})</span> : null}:{' '}
              {s.reachable ? (
                <span class="source-state">
                  reachable, {s.targets} {s.targets === 1 ? 'target' : 'targets'}
                </span>
              ) : (
                <span class="source-state">
                  <strong>unreachable</strong> — <code>{s.error?.code}</code> {s.error?.message}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
