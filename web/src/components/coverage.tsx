/** One row per tenant and instance, worst first (the API's order), with filters kept in the URL. */
import { targetName, type CoverageItem } from '../fleet';
import { formatBytes, formatDuration } from '../format';
import { STATES, viewSearch, type View } from '../route';
import { follow, go } from '../router';
import { Ago, REASONS, StateBadge, StatusText, TableWrap } from './bits';

export function filterCoverage(items: readonly CoverageItem[], view: View): CoverageItem[] {
  const q = view.q.trim().toLowerCase();
  return items.filter(
    (item) =>
      (!view.provider || item.provider === view.provider) &&
      (!view.source || item.source === view.source) &&
      (!view.state || item.state === view.state) &&
      (!q || targetName(item.target).toLowerCase().includes(q)),
  );
}

const distinct = (values: string[], current: string) => [...new Set(current ? [...values, current] : values)].sort();

/** One labelled filter: "all" (the empty value), then each option. */
function FilterSelect(props: { label: string; name: string; all: string; value: string; options: readonly string[]; onChange: (value: string) => void }) {
  return (
    <label>
      <span>{props.label}</span>
      <select name={props.name} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">{props.all}</option>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

export function CoverageTable({ items, loading, view, now }: { items: CoverageItem[] | null; loading: boolean; view: View; now: number }) {
  const set = (change: Partial<View>) => go({ ...view, ...change }, 'replace');
  const rows = items ? filterCoverage(items, view) : [];
  const filtered = Boolean(view.provider || view.source || view.state || view.q);
  return (
    <section aria-labelledby="coverage-title" class="coverage">
      <h2 id="coverage-title">Coverage</h2>
      <form class="filters" role="search" aria-label="Filter the coverage table" onSubmit={(e) => e.preventDefault()}>
        <FilterSelect
          label="Provider"
          name="provider"
          all="All providers"
          value={view.provider}
          options={distinct(
            (items ?? []).map((i) => i.provider),
            view.provider,
          )}
          onChange={(provider) => set({ provider })}
        />
        <FilterSelect
          label="Source"
          name="source"
          all="All sources"
          value={view.source}
          options={distinct(
            (items ?? []).map((i) => i.source),
            view.source,
          )}
          onChange={(source) => set({ source })}
        />
        <FilterSelect
          label="State"
          name="state"
          all="All states"
          value={view.state}
          options={STATES}
          onChange={(state) => set({ state: state as View['state'] })}
        />
        <label>
          <span>Name</span>
          <input type="search" name="q" value={view.q} placeholder="Search by name" autoComplete="off" onInput={(e) => set({ q: e.currentTarget.value })} />
        </label>
        {filtered ? (
          <button type="button" class="secondary" onClick={() => set({ provider: '', source: '', state: '', q: '' })}>
            Clear filters
          </button>
        ) : null}
      </form>
      <p class="count" aria-live="polite" data-count={rows.length}>
        {items
          ? filtered
            ? `${rows.length} of ${items.length} targets`
            : `${items.length} targets`
          : loading
            ? 'Loading the coverage…'
            : 'The coverage is not available.'}
      </p>
      {items ? (
        <TableWrap label="Coverage of every target">
          <table class="data coverage-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">State</th>
                <th scope="col">Provider</th>
                <th scope="col">Source</th>
                <th scope="col">Last success</th>
                <th scope="col">Last backup</th>
                <th scope="col" class="num">
                  Size
                </th>
                <th scope="col" class="num">
                  Duration
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((item) => {
                const target = { ...view, target: item.target.id, page: 1 };
                const last = item.lastBackup;
                return (
                  <tr key={item.target.id} data-target={item.target.id} data-state={item.state} class={`row-${item.state.toLowerCase()}`}>
                    <th scope="row">
                      <a href={viewSearch(target)} onClick={(e) => follow(e, target)}>
                        {targetName(item.target)}
                      </a>
                    </th>
                    <td>
                      <StateBadge state={item.state} />
                      {item.reasons.length ? <span class="reasons">{item.reasons.map((r) => REASONS[r] ?? r).join(', ')}</span> : null}
                      {item.limitation ? <span class="reasons">{item.limitation}</span> : null}
                      {item.stale ? <span class="reasons stale-mark">last known state (its source could not be read again)</span> : null}
                    </td>
                    <td class="provider">{item.provider}</td>
                    <td class="source">{item.source}</td>
                    <td>
                      <Ago iso={item.lastSuccessAt} now={now} fallback="never" />
                    </td>
                    <td>{last ? <StatusText status={last.status} detail={last.providerStatus} /> : <span class="muted">none</span>}</td>
                    <td class="num">{formatBytes(last?.sizeBytes)}</td>
                    <td class="num">
                      {last?.startedAt && !last.finishedAt ? <span class="muted">running</span> : formatDuration(last?.startedAt, last?.finishedAt)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {items && rows.length === 0 ? <p class="empty">No target matches these filters.</p> : null}
    </section>
  );
}
