/**
 * The error types every layer below the GraphQL resolvers throws. The GraphQL layer turns
 * them into `extensions.code` errors (contract §6); nothing here knows about GraphQL.
 */
import { redactSecrets } from '../lib/secrets.js';

/**
 * The upstream API a call went to: a value of the GraphQL `Provider` enum (`OCEANBASE`, `DCS`,
 * `RDS`, or whatever a provider module adds to it).
 */
export type ProviderKind = string;

/** The `extensions.code` an upstream failure becomes. */
export type UpstreamErrorCode = 'UPSTREAM_ERROR' | 'UPSTREAM_UNAVAILABLE' | 'UPSTREAM_AUTH_FAILED' | 'NOT_FOUND';

export interface UpstreamErrorInit {
  code: UpstreamErrorCode;
  /** The configured source's name. */
  source: string;
  provider: ProviderKind;
  /** What was called, as a route template (`GET /v3/{project_id}/backups`): no IDs, no secrets. */
  operation: string;
  httpStatus?: number | undefined;
  upstreamCode?: string | undefined;
  upstreamMessage?: string | undefined;
  /** Huawei's `X-Request-Id` / `request_id`. */
  requestId?: string | undefined;
  /** obshell's `traceId`. */
  traceId?: string | undefined;
  /** Seconds from a `Retry-After` header (throttling). */
  retryAfterSeconds?: number | undefined;
  /** Short description of what went wrong when there is no upstream message (timeouts, resets). */
  detail?: string | undefined;
  /** How many times the call was sent (more than 1: it was retried). */
  attempts?: number | undefined;
  cause?: unknown;
}

/** Answers that say "not now" (throttled, or a gateway in front of a down upstream): retried, then unavailable. */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * Any failure of an upstream call: an error answer, an unreachable server, a refused credential,
 * a malformed body. Carries what an operator needs to find the call in the upstream's own logs
 * and never a secret (messages are redacted by the client that builds the error).
 */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  readonly code: UpstreamErrorCode;
  readonly source: string;
  readonly provider: ProviderKind;
  readonly operation: string;
  readonly httpStatus: number | undefined;
  readonly upstreamCode: string | undefined;
  readonly upstreamMessage: string | undefined;
  readonly requestId: string | undefined;
  readonly traceId: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  /** What went wrong when the upstream wrote no message of its own (timeouts, resets, bad bodies). */
  readonly detail: string | undefined;
  readonly attempts: number | undefined;

  constructor(given: UpstreamErrorInit) {
    // Contract §6: an upstream that still answers 429/502/503/504 once the retries are spent is
    // unavailable, not wrong; the answer's status, code and message stay on the error.
    const init: UpstreamErrorInit =
      given.code === 'UPSTREAM_ERROR' && given.httpStatus !== undefined && TRANSIENT_STATUSES.has(given.httpStatus)
        ? { ...given, code: 'UPSTREAM_UNAVAILABLE' }
        : given;
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.attempts = init.attempts;
    this.source = init.source;
    this.provider = init.provider;
    this.operation = init.operation;
    this.httpStatus = init.httpStatus;
    this.upstreamCode = init.upstreamCode;
    this.upstreamMessage = init.upstreamMessage;
    this.requestId = init.requestId;
    this.traceId = init.traceId;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.detail = init.detail;
  }
}

/** The `extensions` of an upstream failure (its GraphQL error): what an operator needs, never a secret. */
export function upstreamExtensions(error: UpstreamError): Record<string, unknown> {
  const extensions: Record<string, unknown> = { code: error.code, source: error.source, provider: error.provider };
  if (error.httpStatus !== undefined) extensions.httpStatus = error.httpStatus;
  if (error.upstreamCode !== undefined) extensions.upstreamCode = error.upstreamCode;
  if (error.upstreamMessage !== undefined) extensions.upstreamMessage = error.upstreamMessage;
  if (error.attempts !== undefined && error.attempts > 1) extensions.attempts = error.attempts;
  if (error.requestId !== undefined) extensions.requestId = error.requestId;
  if (error.traceId !== undefined) extensions.traceId = error.traceId;
  if (error.retryAfterSeconds !== undefined) extensions.retryAfterSeconds = error.retryAfterSeconds;
  return extensions;
}

function describe(init: UpstreamErrorInit): string {
  const who = `${init.provider} source "${init.source}"`;
  const what = [init.upstreamCode, init.upstreamMessage ?? init.detail].filter(Boolean).join(' ');
  const status = init.httpStatus === undefined ? '' : ` (HTTP ${init.httpStatus})`;
  switch (init.code) {
    case 'UPSTREAM_UNAVAILABLE': {
      const why = init.httpStatus === undefined ? (init.detail ?? 'no answer') : `it answers HTTP ${init.httpStatus}${what ? ` ${what}` : ''}`;
      const tries = init.attempts !== undefined && init.attempts > 1 ? ` (after ${init.attempts} attempts)` : '';
      return `${who} is unavailable: ${why}${tries} [${init.operation}]`;
    }
    case 'UPSTREAM_AUTH_FAILED':
      return `${who} refused our credentials${status}${what ? `: ${what}` : ''}`;
    case 'NOT_FOUND':
      return `${who}: ${what || 'not found'}${status}`;
    default:
      return `${who} answered with an error${status}${what ? `: ${what}` : ''} [${init.operation}]`;
  }
}

/**
 * The operation would make more upstream calls than its budget allows. Raised before the calls
 * that would pass it are sent (an estimate at each fan-out), never after the upstreams were flooded.
 */
export class BudgetExceededError extends Error {
  override readonly name = 'BudgetExceededError';
  constructor(
    /** Upstream calls one operation may make. */
    readonly budget: number,
    /** Calls made so far plus the calls the next step would make. */
    readonly estimate: number,
    what: string,
  ) {
    super(
      `This operation would need about ${estimate} upstream calls (${what}); the budget is ${budget}. Narrow the query (filters, smaller pages) or raise fleet.callBudget.`,
    );
  }
}

/** Invalid input from the caller, found before any upstream call was made. */
export class BadInputError extends Error {
  override readonly name = 'BadInputError';
  constructor(
    message: string,
    readonly argumentName?: string,
  ) {
    super(message);
  }
}

/**
 * Replaces every occurrence of each secret in `text` with `***`. Upstreams echo parts of requests
 * back (Huawei's APIGW names the access key it refused); anything we did not write ourselves goes
 * through this before it is stored in an error.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  // Every secret the process holds, not only the caller's: an upstream may echo another source's.
  return redactSecrets(text, secrets);
}

/** A refusal with its own contract code (`FORBIDDEN`, `RATE_LIMITED`, `CONFLICT`): the message and extensions go to the client as they are. */
export class CodedError extends Error {
  override readonly name = 'CodedError';
  constructor(
    readonly code: string,
    message: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}
