/**
 * The view lives in the URL's query string (route.ts): filters replace the history entry as they
 * change, opening a target's history or another page of it pushes one, and Back goes back.
 */
import { useEffect, useState } from 'preact/hooks';
import { readView, viewSearch, type View } from './route';

const listeners = new Set<() => void>();

export function go(view: View, mode: 'push' | 'replace'): void {
  const url = `${location.pathname}${viewSearch(view)}`;
  if (url !== `${location.pathname}${location.search}`) {
    if (mode === 'push') history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }
  for (const listener of listeners) listener();
}

/** The current view; re-renders on every `go` and on Back/Forward. */
export function useView(): View {
  const [search, setSearch] = useState(location.search);
  useEffect(() => {
    const update = () => setSearch(location.search);
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return readView(search);
}

/** A link's own click (not one meant for a new tab or window) goes through `go`; a new view starts at the top. */
export function follow(event: MouseEvent, view: View, scroll = true): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  go(view, 'push');
  if (scroll) scrollTo({ top: 0 });
}
