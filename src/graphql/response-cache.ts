/**
 * Whole answers of queries, kept a moment per principal: 50 dashboards polling the same queries
 * cost one execution a second, not 50 (yoga's response cache, `@graphql-yoga/plugin-response-cache`;
 * a hit is answered from memory before parsing, validation and execution).
 *
 * - Every query's answer is kept `cache.responseMilliseconds` (1 s by default), only while the page
 *   cache is on (`cache.ttlSeconds` > 0): with it off, every answer is read live. The fields the
 *   snapshot serves keep theirs `snapshot.responseCacheMilliseconds` when the snapshot is on.
 * - Per principal (its kind, name and sources): an answer is never served to another viewer.
 * - Never an answer with errors (a partial answer is never kept), never an operation that asks for
 *   `fresh`, never a mutation or subscription, never a conditional request (no 304 path).
 * - A mutation that ran clears every kept answer, so that what it did shows in the next read.
 * - Expiry is read from the gateway's clock (fixed in tests).
 *
 * It runs after authentication (the principal is known by then) and after persisted operations
 * (the document is resolved): a kept answer is served only to a request that would have been let
 * through to execute the same document, which passed validation and the cost limits when it ran.
 */
import { createHash } from 'node:crypto';
import { useResponseCache, type BuildResponseCacheKeyFunction, type Cache } from '@graphql-yoga/plugin-response-cache';
import { getOperationAST, OperationTypeNode, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../lib/clock.js';
import { stableJson } from '../lib/stable-json.js';
import type { Principal } from './auth.js';

/** The root fields the snapshot answers. */
const SNAPSHOT_FIELDS = ['Query.backupCoverage', 'Query.backupTasks', 'Query.instances', 'Query.fleetSnapshot'];

export interface ResponseCacheOptions {
  /** Every query's answer, ms (0: only the snapshot's fields). */
  ttlMs: number;
  /** The snapshot's fields, ms, when the snapshot is on (null: off). */
  snapshotTtlMs: number | null;
  /** Most answers kept (least recently used dropped first). */
  maxEntries: number;
  /** Upper bound on their size, bytes (estimated as the answer's JSON length). */
  maxBytes: number;
  clock: Clock;
  principals: WeakMap<Request, Principal>;
  authEnabled: boolean;
  /** Hears each hit and each answer kept (metrics). */
  observe?: (event: 'hit' | 'stored') => void;
}

/** What yoga writes of an answer without errors: all of it but `extensions.http` (its HTTP status and headers). */
function onTheWire(result: ExecutionResult): ExecutionResult {
  if (!result.extensions || !('http' in result.extensions)) return result;
  const { http: _http, ...extensions } = result.extensions;
  return { ...result, extensions: Object.keys(extensions).length ? extensions : undefined };
}

/** A kept answer with its JSON (yoga serializes a result with its own `stringify` when it has one). */
type Kept = ExecutionResult & { stringify(): string };

/** The kept answers: least recently used dropped first, expiry on the gateway's clock, cleared by a mutation. */
export class ResponseStore implements Cache {
  private readonly lru: LRUCache<string, Kept>;

  constructor(
    options: Pick<ResponseCacheOptions, 'maxEntries' | 'maxBytes' | 'clock'>,
    private readonly observe?: (event: 'hit' | 'stored') => void,
  ) {
    this.lru = new LRUCache<string, Kept>({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      sizeCalculation: (result, key) => Math.max(1, result.stringify().length + key.length),
      ttlAutopurge: false,
      ttlResolution: 0,
      perf: options.clock,
    });
  }

  get(key: string): ExecutionResult | undefined {
    const hit = this.lru.get(key);
    if (hit) this.observe?.('hit');
    return hit;
  }

  set(key: string, result: ExecutionResult, _entities: unknown, ttl: number): void {
    if (!(ttl > 0) || !Number.isFinite(ttl)) return;
    // Kept with its JSON, written once: yoga answers a hit with `result.stringify` when a result
    // has one (the plugin serves a copy of the kept object, own fields included), so a hit is not
    // serialized again. A kept answer is never changed after this (a hit skips execution); what
    // yoga reads from it for the HTTP response (`extensions.http`) stays on the object.
    const text = JSON.stringify(onTheWire(result));
    const kept: Kept = { ...result, stringify: () => text };
    this.lru.set(key, kept, { ttl });
    this.observe?.('stored');
  }

  /** By entity is not used (a mutation clears everything). */
  invalidate(): void {
    this.lru.clear();
  }

  clear(): void {
    this.lru.clear();
  }

  get size(): number {
    return this.lru.size;
  }
}

/**
 * The key of a kept answer: the document, operation name, variables (keys sorted) and session, as
 * the plugin's default builds it, hashed with node:crypto's SHA-256 at once instead of WebCrypto's
 * asynchronous digest (a hit costs one promise round less; its share of a hit was about 6 %).
 */
export const responseCacheKey: BuildResponseCacheKeyFunction = ({ documentString, operationName, variableValues, sessionId }) =>
  createHash('sha256')
    .update([documentString, operationName ?? '', stableJson(variableValues ?? {}), sessionId ?? ''].join('|'))
    .digest('hex');

export function useGatewayResponseCache(options: ResponseCacheOptions): { plugins: Plugin[]; store: ResponseStore | null } {
  const { ttlMs, snapshotTtlMs, principals, authEnabled } = options;
  if (ttlMs <= 0 && !(snapshotTtlMs !== null && snapshotTtlMs > 0)) return { plugins: [], store: null };
  const store = new ResponseStore(options, options.observe);
  const queries = new WeakMap<Request, string>();
  const record: Plugin = {
    onParams({ params, request }) {
      queries.set(request, params.query ?? '');
    },
    // A mutation that ran (whatever its outcome) clears every kept answer.
    onExecute({ args }) {
      const { document, operationName } = args as { document: DocumentNode; operationName?: string | null };
      if (getOperationAST(document, operationName)?.operation !== OperationTypeNode.MUTATION) return;
      store.clear();
      return { onExecuteDone: () => store.clear() };
    },
  };
  const cacheable = (request: Request) => {
    const query = queries.get(request);
    return query !== undefined && !/\bfresh\b|\bmutation\b|\bsubscription\b/.test(query) && !request.headers.has('if-none-match');
  };
  const perField: Record<string, number> = snapshotTtlMs !== null ? Object.fromEntries(SNAPSHOT_FIELDS.map((c) => [c, snapshotTtlMs])) : {};
  return {
    store,
    plugins: [
      record,
      useResponseCache({
        ttl: Math.max(0, ttlMs),
        ttlPerSchemaCoordinate: perField,
        cache: store,
        // What the principal may see decides the answer: its kind, name and sources.
        session: (request) => {
          const principal = principals.get(request);
          if (!principal) return authEnabled ? null : 'open';
          return JSON.stringify([principal.via, principal.name, principal.sources]);
        },
        enabled: (request) => cacheable(request) && (!authEnabled || principals.has(request)),
        buildResponseCacheKey: responseCacheKey,
        invalidateViaMutation: false,
        includeExtensionMetadata: false,
      }),
    ],
  };
}
