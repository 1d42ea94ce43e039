/**
 * With the fleet snapshot on, the answers of the fields it serves are the same for every viewer
 * with the same access until the snapshot changes: yoga's response cache keeps them for
 * `snapshot.responseCacheMilliseconds` (1 s by default), so that 50 dashboards polling at once
 * cost one execution a second, not 50. Only these root fields make an answer cacheable
 * (`ttlPerSchemaCoordinate`; every other field's TTL is 0), per principal (the session), never an
 * answer with errors, never an operation that asks for `fresh`, and never a mutation.
 *
 * It runs after authentication (the principal is known by then) and after persisted operations
 * (the document is resolved): a cached answer is served only to a request that would have been
 * let through to execute the same document.
 */
import { useResponseCache } from '@graphql-yoga/plugin-response-cache';
import type { Plugin } from 'graphql-yoga';
import type { Principal } from './auth.js';

/** The root fields the snapshot answers. */
const CACHEABLE = ['Query.backupCoverage', 'Query.backupTasks', 'Query.instances', 'Query.fleetSnapshot'];

export function useSnapshotResponseCache(ttlMs: number, principals: WeakMap<Request, Principal>, authEnabled: boolean): Plugin[] {
  if (ttlMs <= 0) return [];
  const queries = new WeakMap<Request, string>();
  const record: Plugin = {
    onParams({ params, request }) {
      queries.set(request, params.query ?? '');
    },
  };
  const cacheable = (request: Request) => {
    const query = queries.get(request);
    // `fresh` reads live by definition; a conditional request is answered in full (no 304 path).
    return query !== undefined && !/\bfresh\b|\bmutation\b|\bsubscription\b/.test(query) && !request.headers.has('if-none-match');
  };
  return [
    record,
    useResponseCache({
      ttl: 0,
      ttlPerSchemaCoordinate: Object.fromEntries(CACHEABLE.map((c) => [c, ttlMs])),
      // What the principal may see decides the answer: its kind, name and sources.
      session: (request) => {
        const principal = principals.get(request);
        if (!principal) return authEnabled ? null : 'open';
        return JSON.stringify([principal.via, principal.name, principal.sources]);
      },
      enabled: (request) => cacheable(request) && (!authEnabled || principals.has(request)),
      invalidateViaMutation: false,
      includeExtensionMetadata: false,
    }),
  ];
}
