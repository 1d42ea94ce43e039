/**
 * The one path every upstream call of a source takes, whatever the provider:
 *
 *   page cache (the GETs a client marks cacheable; identical requests in flight share one call)
 *   → retries (idempotent reads only: network failures, 429, 502, 503, 504; full-jitter
 *     exponential backoff, `Retry-After` honoured, capped in count and time, never past the
 *     operation's deadline)
 *   → circuit breaker (per source: open after consecutive failures, so a dead upstream costs
 *     nothing while it is dead; half-open probes; closed again by a success)
 *   → the operation's call budget → the pooled transport (deadline, cancellation).
 *
 * Retries and the breaker are cockatiel's policies. Failures come out as `TransportError`s (the
 * clients turn them into `UpstreamError`s with their provider's words) or as the last answer.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { circuitBreaker, CircuitState, ConsecutiveBreaker, DelegateBackoff, handleWhen, retry, BrokenCircuitError, type CircuitBreakerPolicy } from 'cockatiel';
import { systemClock, type Clock } from '../lib/clock.js';
import { abortedBy, HttpTransport, TransportError, type HttpRequest, type HttpResponse, type SendOptions } from '../lib/http.js';
import type { CallBudget } from './budget.js';
import type { PageCache } from './cache.js';
import { context as otelContext, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import { markShared } from '../lib/decoded.js';
import { TokenBucket, type RateSettings } from './rate.js';
import type { OperationScope, SourceConfigBase, SourceEnv } from './provider.js';

/** What an upstream call is made on behalf of: one GraphQL operation (or a background job). */
export interface CallScope extends SendOptions {
  budget?: CallBudget;
  /** Read upstream whatever the page cache holds (readiness probes, live reads); the answer refreshes the cache. */
  fresh?: boolean;
  /** The operation's request ID, for the upstreams that take a trace header (obshell's X-OBSHELL-Trace-ID). */
  requestId?: string;
  /** The operation's span (tracing on): each attempt is a child span. */
  readonly span?: Span | undefined;
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

export interface RetrySettings {
  /** Retries after the first attempt (0: none). */
  maxRetries: number;
  /** The first backoff's upper bound; each next one doubles, up to `maxDelayMs` (full jitter below it). */
  initialDelayMs: number;
  maxDelayMs: number;
  /** No retry starts later than this after the first attempt. */
  maxTotalMs: number;
}

export interface BreakerSettings {
  /** Consecutive failed calls (network failures, 5xx) that open the circuit. */
  consecutiveFailures: number;
  /** How long an open circuit refuses calls before one probe is let through. */
  halfOpenAfterMs: number;
}

export const DEFAULT_RETRY: RetrySettings = { maxRetries: 3, initialDelayMs: 200, maxDelayMs: 5_000, maxTotalMs: 15_000 };
export const DEFAULT_BREAKER: BreakerSettings = { consecutiveFailures: 5, halfOpenAfterMs: 30_000 };
export const DEFAULT_RATE: RateSettings = { perSecond: 100, burst: 200 };

export interface UpstreamOptions {
  /** The configured source's name (part of every cache key). */
  source: string;
  /** A stable, non-secret digest of the credentials (part of every cache key). */
  credentialId: string;
  transport: HttpTransport;
  cache?: PageCache | null;
  /** How long a cached page is served; 0 turns the cache off for this source. */
  cacheTtlMs?: number;
  retry?: RetrySettings;
  breaker?: BreakerSettings;
  rate?: RateSettings;
  /** The configured provider (`oceanbase`, `huaweicloud`): a label of what the observer is told. */
  provider?: string;
  /** Told of every attempt, retry and cache look-up (metrics). */
  observer?: UpstreamObserver;
  /** Traces every attempt (tracing on). */
  tracer?: Tracer;
  /** For `Retry-After` given as an HTTP date. Default: the system clock. */
  clock?: Clock;
}

/** What the metrics hear of a source's upstream path (src/ops/metrics.ts). */
export interface UpstreamObserver {
  /** One attempt on the wire: its HTTP status, or the failure (`timeout`, `refused`, `circuit-open`, …). */
  request(source: string, provider: string, route: string, status: string, seconds: number): void;
  retry(source: string, provider: string, route: string): void;
  cache(result: 'hit' | 'miss'): void;
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
/** Failures worth another try: the call may not have reached the upstream, or the answer was lost. */
const RETRY_FAILURES = new Set(['refused', 'reset', 'truncated']);
/** Failures that count against the upstream (not the caller's own giving up, not our refusal). */
const BREAKER_FAILURES = new Set(['timeout', 'refused', 'reset', 'truncated', 'dns', 'too-large', 'other']);

/**
 * A source's upstream path: a pooled transport with the source's timeouts and concurrency cap,
 * its retry and breaker settings, and the process's page cache. `credentials`: what identifies
 * the caller upstream (hashed here, so cache keys of two credentials never meet and no secret is
 * held in a key).
 */
export function upstreamFor(config: SourceConfigBase, env: SourceEnv, credentials: string): Upstream {
  return new Upstream({
    source: config.name,
    credentialId: createHash('sha256').update(`${config.provider}\u0000${credentials}`).digest('hex').slice(0, 16),
    transport: new HttpTransport({ timeoutMs: config.timeoutMs, connectTimeoutMs: config.connectTimeoutMs, maxConcurrency: config.maxConcurrency }),
    cache: env.cache,
    cacheTtlMs: env.cacheTtlMs,
    retry: config.retry,
    breaker: config.circuitBreaker,
    rate: config.rateLimit,
    clock: env.clock,
    provider: config.provider,
    ...(env.observer ? { observer: env.observer } : {}),
    ...(env.tracer ? { tracer: env.tracer } : {}),
  });
}

export class Upstream implements UpstreamSender {
  private readonly inFlight = new Map<string, Promise<HttpResponse>>();
  private readonly breaker: CircuitBreakerPolicy;
  private readonly retrySettings: RetrySettings;
  private readonly clock: Clock;
  private readonly bucket: TokenBucket;

  constructor(private readonly options: UpstreamOptions) {
    this.retrySettings = options.retry ?? DEFAULT_RETRY;
    this.bucket = new TokenBucket(options.rate ?? DEFAULT_RATE);
    this.clock = options.clock ?? systemClock;
    const breaker = options.breaker ?? DEFAULT_BREAKER;
    this.breaker = circuitBreaker(
      handleWhen((error) => error instanceof TransportError && BREAKER_FAILURES.has(error.failure)).orWhenResult((res) => (res as HttpResponse).status >= 500),
      { halfOpenAfter: breaker.halfOpenAfterMs, breaker: new ConsecutiveBreaker(breaker.consecutiveFailures) },
    );
  }

  /** The breaker's state: closed (calls go out), open (refused at once), half-open (one probe). */
  get circuit(): 'closed' | 'open' | 'half-open' {
    const state = this.breaker.state;
    return state === CircuitState.Closed ? 'closed' : state === CircuitState.HalfOpen ? 'half-open' : 'open';
  }

  async send(req: UpstreamRequest, scope?: CallScope): Promise<HttpResponse> {
    const { cache, cacheTtlMs = 0 } = this.options;
    const key = cache && cacheTtlMs > 0 && req.cacheable && req.method === 'GET' ? this.cacheKey(req) : undefined;
    if (key === undefined) return this.call(req, scope);
    if (scope?.fresh) {
      // A live read (a probe, a poller, the read after an action): upstream whatever is cached, and what it says is cached for the others.
      const res = await this.call(req, scope);
      if (res.status >= 200 && res.status < 300) {
        markShared(res);
        await cache!.set(key, res, cacheTtlMs);
      }
      return res;
    }

    const cached = await cache!.get(key);
    this.options.observer?.cache(cached ? 'hit' : 'miss');
    if (cached) {
      markShared(cached);
      return cached;
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const sent = this.call(req, scope).then(async (res) => {
      if (res.status >= 200 && res.status < 300) {
        markShared(res);
        await cache!.set(key, res, cacheTtlMs);
      }
      return res;
    });
    this.inFlight.set(key, sent);
    try {
      return await sent;
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** The attempts of one call: the first, then retries while they are allowed and worth it. */
  private async call(req: UpstreamRequest, scope: CallScope | undefined): Promise<HttpResponse> {
    const settings = this.retrySettings;
    const route = req.route ?? `${req.method} ${req.url.pathname}`;
    const first = performance.now();
    let attempt = 0;
    let nextDelay = 0;
    /** Whether a retry after `delay` ms starts within the retry time cap and leaves time before the deadline. */
    const fits = (delay: number) => {
      const at = performance.now() + delay;
      return at - first <= settings.maxTotalMs && (scope?.deadline === undefined || at < scope.deadline - 50);
    };
    const idempotent = req.method === 'GET';
    const policy = retry(
      handleWhen((error) => {
        if (!(error instanceof TransportError) || !RETRY_FAILURES.has(error.failure)) return false;
        nextDelay = this.backoff(attempt);
        return fits(nextDelay);
      }).orWhenResult((value) => {
        const res = value as HttpResponse;
        if (!RETRY_STATUSES.has(res.status)) return false;
        nextDelay = retryAfterMs(res, this.clock.now()) ?? this.backoff(attempt);
        return fits(nextDelay);
      }),
      { maxAttempts: idempotent ? settings.maxRetries : 0, backoff: new DelegateBackoff(() => nextDelay) },
    );
    const { observer, source, provider = 'unknown' } = this.options;
    policy.onRetry(() => observer?.retry(source, provider, route));
    return policy.execute(async () => {
      attempt++;
      if (scope?.signal?.aborted) throw abortedBy(scope.signal);
      try {
        await this.bucket.take(scope?.signal, scope?.deadline);
        // The transport signs each attempt as it goes out (`authorize`): a retry carries fresh timestamps.
        const res = await this.breaker.execute(async () => {
          scope?.budget?.charge(route);
          const sent = performance.now();
          const span = this.options.tracer
            ? startUpstreamSpan(this.options.tracer, scope?.span, { source, provider, route, method: req.method, host: req.url.host })
            : undefined;
          try {
            const answer = await this.options.transport.send(req, scope);
            observer?.request(source, provider, route, String(answer.status), (performance.now() - sent) / 1000);
            span?.setAttribute('http.response.status_code', answer.status);
            if (answer.status >= 400) span?.setStatus({ code: SpanStatusCode.ERROR });
            return answer;
          } catch (error) {
            const failure = error instanceof TransportError ? error.failure : 'other';
            observer?.request(source, provider, route, failure, (performance.now() - sent) / 1000);
            span?.setAttribute('error.type', failure);
            span?.setStatus({ code: SpanStatusCode.ERROR, message: failure });
            throw error;
          } finally {
            span?.end();
          }
        });
        return { ...res, attempts: attempt };
      } catch (error) {
        if (error instanceof BrokenCircuitError) {
          const cap = this.options.breaker ?? DEFAULT_BREAKER;
          throw new TransportError(
            'circuit-open',
            `circuit open after ${cap.consecutiveFailures} consecutive failures; calls resume with a probe after ${cap.halfOpenAfterMs} ms`,
          );
        }
        if (scope?.signal?.aborted && !(error instanceof TransportError)) throw abortedBy(scope.signal, error);
        throw error;
      }
    }, scope?.signal);
  }

  /** Full jitter: a random delay below the attempt's exponential bound. */
  private backoff(attempt: number): number {
    const { initialDelayMs, maxDelayMs } = this.retrySettings;
    return Math.floor(Math.random() * Math.min(maxDelayMs, initialDelayMs * 2 ** Math.max(0, attempt - 1)));
  }

  /** Source, credential identity and the exact request (method, origin, path and query). */
  private cacheKey(req: UpstreamRequest): string {
    return `${this.options.source}\u0000${this.options.credentialId}\u0000${req.method} ${req.url.href}`;
  }

  close(): Promise<void> {
    return this.options.transport.close();
  }
}

/** A child of `parent` (the operation's span) for one upstream attempt. */
function startUpstreamSpan(
  tracer: Tracer,
  parent: Span | undefined,
  attributes: { source: string; provider: string; route: string; method: string; host: string },
): Span {
  const ctx = parent ? trace.setSpan(otelContext.active(), parent) : otelContext.active();
  return tracer.startSpan(
    attributes.route,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': attributes.method,
        'server.address': attributes.host,
        'backupql.source': attributes.source,
        'backupql.provider': attributes.provider,
        'backupql.route': attributes.route,
      },
    },
    ctx,
  );
}

/** The scope of an operation's upstream calls: its budget, signal, deadline, request ID and (read when each call starts) its span. */
export function operationScope(op: OperationScope): CallScope {
  return {
    budget: op.budget,
    signal: op.signal,
    deadline: op.deadline,
    requestId: op.requestId,
    ...(op.fresh ? { fresh: true } : {}),
    get span() {
      return op.span;
    },
  };
}

/** The scope of a source-wide read outside any GraphQL operation (a probe): its own signal and deadline. */
export function probeScope(op: { signal: AbortSignal; deadline: number; requestId: string }): CallScope {
  return { signal: op.signal, deadline: op.deadline, fresh: true, requestId: op.requestId };
}

/** `Retry-After` of an answer, in ms: delay-seconds, or an HTTP date read against `now`. */
export function retryAfterMs(res: HttpResponse, now: number): number | undefined {
  const raw = res.headers['retry-after'];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
