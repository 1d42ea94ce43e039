import { performance } from 'node:perf_hooks';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, type Dispatcher } from 'undici';
import { Semaphore } from './semaphore.js';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: URL;
  headers?: Record<string, string>;
  /**
   * Signs the request: returns the headers to send, in place of `headers`. Called when the call
   * has its concurrency slot and goes out (so a signature's timestamp is fresh however long it
   * queued), once per attempt; never for an answer from a cache.
   */
  authorize?: () => Record<string, string>;
  body?: string;
  /** Overrides the transport's default timeout for this call. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Set by the upstream path: how many times the request was sent for this answer. */
  attempts?: number;
}

/**
 * Why a call got no usable answer. `aborted`: the caller gave up (the client went away);
 * `circuit-open`: the source's circuit breaker is open, nothing was sent.
 */
export type TransportFailure = 'timeout' | 'refused' | 'reset' | 'truncated' | 'dns' | 'too-large' | 'aborted' | 'circuit-open' | 'other';

export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly failure: TransportFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface HttpTransportOptions {
  /** Upper bound on this transport's calls in flight at once; the rest queue. Default 8. */
  maxConcurrency?: number;
  /** Deadline for each call, from sending to the last body byte. Default 10 s. */
  timeoutMs?: number;
  /** Deadline for opening a connection. Default 5 s (at most `timeoutMs`). */
  connectTimeoutMs?: number;
  /** Largest response body accepted. Default 64 MiB. */
  maxBodyBytes?: number;
}

/**
 * Pooled keep-alive HTTP for one configured source: an undici Agent (connection pools per origin)
 * behind a semaphore that caps the source's concurrent calls, with a deadline on every call.
 */
/** What a call is sent under: the caller's cancellation, and the latest moment it may still run. */
export interface SendOptions {
  /** Aborted when the caller gives up (a client that went away): a queued call leaves the queue, a sent one is cut. */
  signal?: AbortSignal;
  /** `performance.now()` by which the whole call must be done, waiting for a slot included. */
  deadline?: number;
}

export class HttpTransport {
  readonly maxConcurrency: number;
  readonly timeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly agent: Agent;
  private readonly limiter: Semaphore;

  constructor(options: HttpTransportOptions = {}) {
    this.maxConcurrency = options.maxConcurrency ?? 8;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
    this.limiter = new Semaphore(this.maxConcurrency);
    this.agent = new Agent({
      connections: this.maxConcurrency,
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      connect: { timeout: Math.min(this.timeoutMs, options.connectTimeoutMs ?? 5_000) },
    });
  }

  /** Calls in flight right now (not counting queued ones). */
  get inFlight(): number {
    return this.limiter.inUse;
  }

  /** Calls waiting for a slot. */
  get queued(): number {
    return this.limiter.queued;
  }

  /**
   * Sends once a slot is free. The deadline covers the wait for the slot and the call; the call's
   * own timeout is the shorter of the transport's and what the deadline leaves.
   */
  async send(req: HttpRequest, options: SendOptions = {}): Promise<HttpResponse> {
    const start = performance.now();
    const remaining = options.deadline === undefined ? Infinity : options.deadline - start;
    if (remaining <= 0) throw new TransportError('timeout', 'the operation ran out of time before this call was sent');
    const budgetMs = Math.max(1, Math.ceil(Math.min(req.timeoutMs ?? this.timeoutMs, remaining)));
    const callerSignal = options.signal;
    if (callerSignal?.aborted) throw abortedBy(callerSignal);
    if (!this.limiter.tryAcquire()) {
      // Queued: the wait ends with the budget or the caller (signals built only for a call that waits).
      const expiry = AbortSignal.timeout(budgetMs);
      const signal = callerSignal ? AbortSignal.any([callerSignal, expiry]) : expiry;
      try {
        await this.limiter.acquire(signal);
      } catch (err) {
        throw classify(err, true, budgetMs, callerSignal);
      }
    }
    try {
      const left = budgetMs - (performance.now() - start);
      if (left <= 0) throw expired(budgetMs);
      return await this.sendNow(req, Math.max(1, Math.ceil(left)), budgetMs, callerSignal);
    } finally {
      this.limiter.release();
    }
  }

  /** Closes the pools; calls still in flight are cut (a shutdown does not wait for a stalled upstream). */
  async close(): Promise<void> {
    await this.agent.destroy();
  }

  /**
   * One request on the pool, with undici's dispatch handler (the body collected as it arrives, no
   * stream object per call); one timer for its deadline and one listener on the caller's signal,
   * both dropped when it settles.
   */
  private sendNow(req: HttpRequest, timeoutMs: number, budgetMs: number, callerSignal: AbortSignal | undefined): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      let timedOut = false;
      let headersReceived = false;
      let status = 0;
      let headers: IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      let size = 0;
      let controller: Dispatcher.DispatchController | undefined;
      let pending: Error | undefined;
      // Given up on: the call fails now, and undici drops the request (or never sends it).
      const cut = (reason: Error) => {
        if (controller) controller.abort(reason);
        else pending = reason;
        fail(reason);
      };
      const timer = setTimeout(() => {
        timedOut = true;
        cut(expired(budgetMs));
      }, timeoutMs);
      const onAbort = () => cut(abortedBy(callerSignal!));
      callerSignal?.addEventListener('abort', onAbort, { once: true });
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        callerSignal?.removeEventListener('abort', onAbort);
        return true;
      };
      const fail = (err: unknown) => {
        if (!settle()) return;
        if (err instanceof TransportError) return reject(err);
        const failure = classify(err, timedOut, budgetMs, callerSignal);
        // The connection closed after the headers but before the body was complete.
        if (headersReceived && failure.failure === 'reset') {
          return reject(new TransportError('truncated', 'connection closed before the whole body arrived', { cause: err }));
        }
        reject(failure);
      };
      try {
        const headersOut = req.authorize ? req.authorize() : req.headers;
        this.agent.dispatch(
          {
            origin: req.url.origin,
            path: `${req.url.pathname}${req.url.search}`,
            method: req.method,
            headers: headersOut ?? {},
            body: req.body ?? null,
            headersTimeout: timeoutMs,
            bodyTimeout: timeoutMs,
          },
          {
            onRequestStart: (ctrl) => {
              controller = ctrl;
              if (pending) ctrl.abort(pending);
            },
            onResponseStart: (_ctrl, statusCode, responseHeaders) => {
              headersReceived = true;
              status = statusCode;
              headers = responseHeaders;
            },
            onResponseData: (ctrl, chunk) => {
              size += chunk.length;
              if (size > this.maxBodyBytes) {
                ctrl.abort(new TransportError('too-large', `response body exceeds ${this.maxBodyBytes} bytes`));
                return;
              }
              chunks.push(chunk);
            },
            onResponseEnd: () => {
              if (!settle()) return;
              const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
              resolve({ status, headers, text });
            },
            onResponseError: (_ctrl, err) => fail(err),
          },
        );
      } catch (err) {
        fail(err);
      }
    });
  }
}

/** A call that had no complete answer within its time. */
function expired(timeoutMs: number, cause?: unknown): TransportError {
  return new TransportError('timeout', `no complete answer within ${timeoutMs} ms`, cause === undefined ? undefined : { cause });
}

function classify(err: unknown, timedOut: boolean, timeoutMs: number, callerSignal: AbortSignal | undefined): TransportError {
  if (callerSignal?.aborted) return abortedBy(callerSignal, err);
  const code = errorCode(err);
  if (timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return expired(timeoutMs, err);
  }
  switch (code) {
    case 'ECONNREFUSED':
      return new TransportError('refused', 'connection refused', { cause: err });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new TransportError('dns', 'host name could not be resolved', { cause: err });
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return new TransportError('truncated', 'response body shorter than its Content-Length', { cause: err });
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return new TransportError('reset', 'connection closed before a complete answer', { cause: err });
    default:
      return new TransportError('other', `request failed (${code ?? 'unknown error'})`, { cause: err });
  }
}

/** The failure a caller's aborted signal stands for: its deadline passing, or the caller going away. */
export function abortedBy(signal: AbortSignal, cause?: unknown): TransportError {
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name === 'TimeoutError'
    ? new TransportError('timeout', "the operation's deadline passed before the answer came", { cause })
    : new TransportError('aborted', 'the caller gave up before the answer came', { cause });
}

function errorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** One header value as a string (first of repeated headers). */
export function headerValue(headers: HttpResponse['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
