/**
 * The fleet backup dashboard: the summary by coverage state and the sources at the top, then the
 * coverage table and the newest backups, or one target's history. Everything comes from the public
 * GraphQL API (`/graphql`); it reloads every 60 s and on "Refresh". When the API asks for a
 * credential, a sign-in form takes the place of all of it (auth.ts).
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ask, ApiUnavailable, Unauthenticated } from './api';
import { signOut, useAuth } from './auth';
import { CoverageTable } from './components/coverage';
import { RecentBackups } from './components/recent';
import { SignInForm } from './components/signin';
import { FleetSummary, SourceList } from './components/summary';
import { TargetView } from './components/target';
import { loadCoverage, loadRecent, messageOf, otherErrors, sourcesOf, type Coverage, type Recent } from './fleet';
import type { ApiError } from './api';
import { useLiveBackups } from './live';
import { ViewerQuery } from './queries';
import { viewSearch, type View } from './route';
import { useView } from './router';

const REFRESH_MS = 60_000;
/** Backups that end together bring one coverage read. */
const ENDED_DEBOUNCE_MS = 300;

interface FleetState {
  loading: boolean;
  coverage: Coverage | null;
  coverageError: string | null;
  recent: Recent | null;
  recentErrors: ApiError[];
  recentError: string | null;
  /** When the request that read `recent` was sent. */
  recentLoadedAt: number;
  /** Why the API gave nothing at all, when it did not. */
  unavailable: string | null;
  updatedAt: number | null;
}

const INITIAL: FleetState = {
  loading: true,
  coverage: null,
  coverageError: null,
  recent: null,
  recentErrors: [],
  recentError: null,
  recentLoadedAt: 0,
  unavailable: null,
  updatedAt: null,
};

export function App() {
  const view = useView();
  const auth = useAuth();
  const signingIn = auth.signIn !== 'none';
  const [fleet, setFleet] = useState<FleetState>(INITIAL);
  const [refreshKey, setRefreshKey] = useState(0);
  const [detailUnavailable, setDetailUnavailable] = useState<string | null>(null);
  /** The API's clock minus the browser's: ages are counted from the API's "now". */
  const [offset, setOffset] = useState(0);
  const refresh = useCallback(() => setRefreshKey((k) => k + 1), []);
  /** Whether this credential may start and cancel backups (the actions show only then). */
  const [canOperate, setCanOperate] = useState(false);
  /** Bumped to read the coverage again alone (a backup ended, an action was taken). */
  const [coverageKey, setCoverageKey] = useState(0);
  const refreshCoverage = useCallback(() => setCoverageKey((k) => k + 1), []);
  const endedTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const backupEnded = useCallback(() => {
    clearTimeout(endedTimer.current);
    endedTimer.current = setTimeout(refreshCoverage, ENDED_DEBOUNCE_MS);
  }, [refreshCoverage]);
  useEffect(() => () => clearTimeout(endedTimer.current), []);

  useEffect(() => {
    const timer = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  // Whatever was shown belongs to the credential it was read with: a sign-in or out starts afresh.
  useEffect(() => {
    if (!signingIn) return;
    setFleet({ ...INITIAL, loading: false });
    setDetailUnavailable(null);
  }, [signingIn]);

  useEffect(() => {
    // Nothing is asked while the sign-in form waits for a key; a new key asks at once.
    if (signingIn) return;
    const abort = new AbortController();
    setFleet((f) => ({ ...f, loading: true }));
    const sentAt = Date.now();
    void Promise.allSettled([loadCoverage(abort.signal), loadRecent(abort.signal)]).then(([coverage, recent]) => {
      if (abort.signal.aborted) return;
      if ([coverage, recent].some((r) => r.status === 'rejected' && r.reason instanceof Unauthenticated)) {
        setFleet({ ...INITIAL, loading: false });
        return;
      }
      const down = [coverage, recent].find((r): r is PromiseRejectedResult => r.status === 'rejected' && r.reason instanceof ApiUnavailable);
      if (coverage.status === 'fulfilled' && coverage.value.serverNow !== null) setOffset(coverage.value.serverNow - Date.now());
      setFleet((f) => ({
        loading: false,
        coverage: coverage.status === 'fulfilled' ? coverage.value : f.coverage,
        coverageError: coverage.status === 'rejected' ? messageOf(coverage.reason) : null,
        recent: recent.status === 'fulfilled' ? recent.value.recent : f.recent,
        recentErrors: recent.status === 'fulfilled' ? recent.value.errors : f.recentErrors,
        recentLoadedAt: recent.status === 'fulfilled' ? sentAt : f.recentLoadedAt,
        recentError: recent.status === 'rejected' ? messageOf(recent.reason) : null,
        unavailable: down ? messageOf(down.reason) : null,
        updatedAt: coverage.status === 'fulfilled' || recent.status === 'fulfilled' ? Date.now() : f.updatedAt,
      }));
    });
    return () => abort.abort();
  }, [refreshKey, signingIn, auth.key]);

  // The coverage alone, read again (the figures and states follow an ended backup); a failure keeps what was shown.
  useEffect(() => {
    if (coverageKey === 0 || signingIn) return;
    const abort = new AbortController();
    loadCoverage(abort.signal).then(
      (coverage) => {
        if (coverage.serverNow !== null) setOffset(coverage.serverNow - Date.now());
        setFleet((f) => ({ ...f, coverage, coverageError: null }));
      },
      () => undefined,
    );
    return () => abort.abort();
  }, [coverageKey]);

  // What this credential may do, asked once per credential; not knowing hides the actions.
  useEffect(() => {
    setCanOperate(false);
    if (signingIn) return;
    const abort = new AbortController();
    ask(ViewerQuery, {}, abort.signal).then(
      ({ data }) => setCanOperate(data.viewer.canOperate),
      () => undefined,
    );
    return () => abort.abort();
  }, [signingIn, auth.key]);

  // Live progress once the fleet was read: of the target shown, else of the whole fleet.
  const live = useLiveBackups({ enabled: !signingIn && fleet.updatedAt !== null, target: view.target, authKey: auth.key, onEnded: backupEnded });

  const now = Date.now() + offset;
  const errors = [...(fleet.coverage?.errors ?? []), ...fleet.recentErrors];
  const sources = fleet.coverage ? sourcesOf(fleet.coverage.items, errors) : null;
  const others = otherErrors(errors);
  const unavailable = fleet.unavailable ?? (view.target ? detailUnavailable : null);
  const stateHref = (state: View['state']) => viewSearch({ ...view, target: null, page: 1, state }) || location.pathname;
  const target = view.target;

  return (
    <>
      <header class="top">
        <div class="title">
          <h1>
            <a href={location.pathname}>Fleet backups</a>
          </h1>
          <p class="muted" role="status" aria-live="polite">
            {signingIn ? (
              'Sign-in needed'
            ) : (
              <>
                {fleet.loading
                  ? fleet.updatedAt
                    ? 'Refreshing…'
                    : 'Loading…'
                  : fleet.updatedAt
                    ? `Updated ${new Date(fleet.updatedAt).toLocaleTimeString()}`
                    : 'Not loaded'}
                <span class="nowrap"> · refreshes every {REFRESH_MS / 1000} s</span>
              </>
            )}
          </p>
          {!signingIn && live.connected ? (
            <p class="live-indicator" role="status" aria-label="Live: running backups update as they change" title="Running backups update as they change">
              <span class="live-dot" aria-hidden="true" /> live
            </p>
          ) : null}
        </div>
        {signingIn ? null : (
          <div class="actions">
            <button type="button" onClick={refresh} disabled={fleet.loading}>
              Refresh
            </button>
            {auth.key !== null ? (
              <button type="button" class="secondary" onClick={signOut}>
                Sign out
              </button>
            ) : null}
          </div>
        )}
      </header>
      {signingIn ? (
        <main>
          <SignInForm refused={auth.signIn === 'refused'} />
        </main>
      ) : (
        <>
          {unavailable ? (
            <div class="banner" role="alert">
              <strong>The backup API cannot be reached:</strong> {unavailable}.{' '}
              {fleet.updatedAt ? `Showing what it said at ${new Date(fleet.updatedAt).toLocaleTimeString()}. ` : ''}
              It is asked again every {REFRESH_MS / 1000} s.
            </div>
          ) : null}
          <main aria-busy={fleet.loading}>
            <FleetSummary summary={fleet.coverage?.summary ?? null} stateHref={stateHref} asOf={fleet.coverage?.asOf} now={now} />
            <SourceList sources={sources} loading={fleet.loading} />
            {others.length ? (
              <div class="notice" role="note">
                <strong>Partly answered:</strong>
                <ul>
                  {others.map((e, i) => (
                    <li key={i}>
                      <code>{e.extensions?.code ?? 'ERROR'}</code> {e.message}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {target ? (
              <TargetView
                key={target}
                view={{ ...view, target }}
                coverage={fleet.coverage?.items.find((i) => i.target.id === target)}
                now={now}
                refreshKey={refreshKey}
                onUnavailable={setDetailUnavailable}
                live={live.entries}
                canOperate={canOperate}
                onBackup={live.add}
                onChanged={refreshCoverage}
              />
            ) : (
              <>
                {fleet.coverageError && !fleet.unavailable ? <p class="error">The coverage could not be loaded: {fleet.coverageError}</p> : null}
                <CoverageTable items={fleet.coverage?.items ?? null} loading={fleet.loading} view={view} now={now} />
                {fleet.recentError && !fleet.unavailable ? <p class="error">The newest backups could not be loaded: {fleet.recentError}</p> : null}
                <RecentBackups recent={fleet.recent} loadedAt={fleet.recentLoadedAt} live={live.entries} loading={fleet.loading} view={view} now={now} />
              </>
            )}
          </main>
        </>
      )}
      <footer class="muted">
        From the backupql GraphQL API: <a href="/graphql">/graphql</a> (GraphiQL).
      </footer>
    </>
  );
}
