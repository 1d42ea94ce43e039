/**
 * The one path every upstream call of a source takes: the page cache (for the GETs a client marks
 * cacheable), the operation's call budget, then the pooled transport. Identical requests in
 * flight at once share one call. Retries, the circuit breaker and metrics join here later, in
 * one place for every provider.
 */
import { createHash } from 'node:crypto';
import { HttpTransport, type HttpRequest, type HttpResponse } from '../lib/http.js';
import type { CallBudget } from './budget.js';
import type { PageCache } from './cache.js';
import type { SourceConfigBase, SourceEnv } from './provider.js';

/** What an upstream call is made on behalf of: one GraphQL operation (or a background job). */
export interface CallScope {
  budget?: CallBudget;
}

/** Sends one request upstream. The clients depend on this, not on a transport. */
export interface UpstreamSender {
  send(req: UpstreamRequest, scope?: CallScope): Promise<HttpResponse>;
}

export interface UpstreamRequest extends HttpRequest {
  /** Route template (`GET /v3/{project_id}/backups`), for budget messages and, later, metrics. */
  route?: string;
  /** A read whose successful answer may be served from the page cache for its TTL. */
  cacheable?: boolean;
}

export interface UpstreamOptions {
  /** The configured source's name (part of every cache key). */
  source: string;
  /** A stable, non-secret digest of the credentials (part of every cache key). */
  credentialId: string;
  transport: HttpTransport;
  cache?: PageCache | null;
  /** How long a cached page is served; 0 turns the cache off for this source. */
  cacheTtlMs?: number;
}

/**
 * A source's upstream path: a pooled transport with the source's timeout and concurrency cap,
 * and the process's page cache. `credentials`: what identifies the caller upstream (hashed here,
 * so cache keys of two credentials never meet and no secret is held in a key).
 */
export function upstreamFor(config: SourceConfigBase, env: SourceEnv, credentials: string): Upstream {
  return new Upstream({
    source: config.name,
    credentialId: createHash('sha256').update(`${config.provider}\u0000${credentials}`).digest('hex').slice(0, 16),
    transport: new HttpTransport({ timeoutMs: config.timeoutMs, maxConcurrency: config.maxConcurrency }),
    cache: env.cache,
    cacheTtlMs: env.cacheTtlMs,
  });
}

export class Upstream implements UpstreamSender {
  private readonly inFlight = new Map<string, Promise<HttpResponse>>();

  constructor(private readonly options: UpstreamOptions) {}

  async send(req: UpstreamRequest, scope?: CallScope): Promise<HttpResponse> {
    const { cache, cacheTtlMs = 0 } = this.options;
    const key = cache && cacheTtlMs > 0 && req.cacheable && req.method === 'GET' ? this.cacheKey(req) : undefined;
    if (key === undefined) return this.call(req, scope);

    const cached = await cache!.get(key);
    if (cached) return cached;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const sent = this.call(req, scope).then(async (res) => {
      if (res.status >= 200 && res.status < 300) await cache!.set(key, res, cacheTtlMs);
      return res;
    });
    this.inFlight.set(key, sent);
    try {
      return await sent;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private call(req: UpstreamRequest, scope: CallScope | undefined): Promise<HttpResponse> {
    scope?.budget?.charge(req.route ?? `${req.method} ${req.url.pathname}`);
    return this.options.transport.send(req);
  }

  /** Source, credential identity and the exact request (method, origin, path and query). */
  private cacheKey(req: UpstreamRequest): string {
    return `${this.options.source}\u0000${this.options.credentialId}\u0000${req.method} ${req.url.href}`;
  }

  close(): Promise<void> {
    return this.options.transport.close();
  }
}
