/**
 * What the page shows, as its URL's query string, so that a link opens the same view:
 * `?provider=DCS&source=hw-cn-north-4&state=FAILING&q=cache` (the fleet's coverage table, filtered)
 * and `?target=<ID>&page=3` (one tenant's or instance's backup history, page 3).
 */
import type { CoverageState } from './gql/graphql';

export const STATES: readonly CoverageState[] = ['NEVER', 'FAILING', 'STALE', 'UNKNOWN', 'RUNNING', 'OK'];

export interface View {
  /** `''`: every provider. */
  provider: string;
  /** `''`: every source. */
  source: string;
  /** `''`: every state. */
  state: CoverageState | '';
  /** Case-insensitive part of a target's name. */
  q: string;
  /** The global ID of the target whose history is open, else `null`. */
  target: string | null;
  /** The history's page, from 1. */
  page: number;
}

export function readView(search: string): View {
  const params = new URLSearchParams(search);
  const state = (params.get('state') ?? '').toUpperCase();
  const page = Number(params.get('page') ?? '1');
  return {
    provider: (params.get('provider') ?? '').toUpperCase(),
    source: params.get('source') ?? '',
    state: (STATES as readonly string[]).includes(state) ? (state as CoverageState) : '',
    q: params.get('q') ?? '',
    target: params.get('target') || null,
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
  };
}

/** The query string of a view (`''` for the default one); default values are left out. */
export function viewSearch(view: View): string {
  const params = new URLSearchParams();
  if (view.target) {
    params.set('target', view.target);
    if (view.page > 1) params.set('page', String(view.page));
  }
  if (view.provider) params.set('provider', view.provider);
  if (view.source) params.set('source', view.source);
  if (view.state) params.set('state', view.state);
  if (view.q) params.set('q', view.q);
  const text = params.toString();
  return text ? `?${text}` : '';
}
