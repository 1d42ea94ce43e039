/**
 * The one normalization of Huawei Cloud failures into `UpstreamError`, shared by the DCS and RDS
 * clients. Three error body shapes reach us (notes A.1, B.3):
 *
 *   API gateway  {"error_msg": "...", "error_code": "APIGW.0301", "request_id": "..."}
 *   DCS          {"error_code": "DCS.4800", "error_msg": "...", "error_ext_msg": null}
 *   RDS          {"error_code": "DBS.200001", "error_msg": "..."}
 *
 * plus top-level `code`/`message` and any object nesting them (the old DCS v1 envelope
 * `{"error": {"code": "111404022", "message": "..."}}`), read as the official SDKs do. The request
 * ID is the `X-Request-Id` header, else the body's `request_id`. Every upstream text goes through
 * `redact` with the auth's secrets: the gateway echoes the access key it refused.
 */
import { redact, UpstreamError, type UpstreamErrorCode } from '../../core/errors.js';
import { headerValue, type HttpResponse, type TransportError } from '../../lib/http.js';
import { parseJsonLossless } from '../../lib/json.js';

export interface HuaweiCallContext {
  source: string;
  provider: 'DCS' | 'RDS';
  /** Route template, e.g. `GET /v3/{project_id}/backups`. */
  operation: string;
  /** What `redact` hides: SK, AK, token, security token. */
  secrets: readonly string[];
  /** "Now" (epoch ms), for a `Retry-After` given as an HTTP date. */
  now: number;
}

/** Codes meaning "your credentials or their scope were refused". */
const AUTH_FAILED_CODES = new Set([
  'APIGW.0301', // Incorrect IAM authentication information (bad signature, unknown AK, bad token)
  'APIGW.0302', // not authorized
  'APIGW.0306', // access denied
  'APIGW.0307', // token must be updated
  'DCS.1001', // invalid token
  'DCS.1002', // token expired
  'DCS.1003', // no token
  'DCS.1004', // project ID does not match the token
  'DCS.2003', // role lacks permission
  'DCS.2007', // Policy does not allow {} to be performed.
  'DCS.3003', // role lacks permission
  'DBS.280056', // Invalid token.
  'DBS.200010', // The DB instance ID or user ID may be null, or the operation is not authorized.
]);

/** Codes meaning "the instance you named does not exist". */
const NOT_FOUND_CODES = new Set([
  'DCS.3022', // This DCS instance does not exist.
  '111404022', // its older numeric form (notes A.1)
  'DBS.200002', // The DB instance does not exist.
  // Same text, other RDS APIs (notes B.3).
  'DBS.200045',
  'DBS.200408',
  'DBS.200602',
  'DBS.201028',
]);

export function classifyHuaweiError(httpStatus: number, upstreamCode: string | undefined): UpstreamErrorCode {
  // OTC's gateway spells the prefix `APIG.` (notes B.3); same codes.
  const code = upstreamCode?.replace(/^APIG\./, 'APIGW.');
  if (httpStatus === 401 || (code !== undefined && AUTH_FAILED_CODES.has(code))) return 'UPSTREAM_AUTH_FAILED';
  if (code !== undefined && NOT_FOUND_CODES.has(code)) return 'NOT_FOUND';
  return 'UPSTREAM_ERROR';
}

/** No usable answer at all: timeout, refused, reset, truncated body… */
export function transportFailure(ctx: HuaweiCallContext, err: TransportError): UpstreamError {
  return new UpstreamError({
    code: 'UPSTREAM_UNAVAILABLE',
    source: ctx.source,
    provider: ctx.provider,
    operation: ctx.operation,
    detail: `${err.failure}: ${redact(err.message, ctx.secrets)}`,
  });
}

/** A non-2xx answer. */
export function errorResponse(ctx: HuaweiCallContext, res: HttpResponse): UpstreamError {
  const body = readErrorBody(res.text);
  const upstreamCode = body.code;
  const message = body.message ?? (body.json ? undefined : nonJsonSnippet(res.text));
  return new UpstreamError({
    code: classifyHuaweiError(res.status, upstreamCode),
    source: ctx.source,
    provider: ctx.provider,
    operation: ctx.operation,
    httpStatus: res.status,
    upstreamCode: upstreamCode === undefined ? undefined : redact(upstreamCode, ctx.secrets),
    upstreamMessage: message === undefined ? undefined : redact(message, ctx.secrets),
    requestId: requestIdOf(ctx, res, body.requestId),
    retryAfterSeconds: retryAfterSeconds(headerValue(res.headers, 'retry-after'), ctx.now),
    detail: body.json ? undefined : 'error answer without a JSON body',
    attempts: res.attempts,
  });
}

/** A 2xx answer we cannot use: not JSON, or not the documented shape. */
export function invalidBody(ctx: HuaweiCallContext, res: HttpResponse, detail: string): UpstreamError {
  return new UpstreamError({
    code: 'UPSTREAM_ERROR',
    source: ctx.source,
    provider: ctx.provider,
    operation: ctx.operation,
    httpStatus: res.status,
    requestId: requestIdOf(ctx, res, undefined),
    detail: redact(detail, ctx.secrets),
    attempts: res.attempts,
  });
}

interface ErrorBody {
  json: boolean;
  code?: string;
  message?: string;
  requestId?: string;
}

/**
 * The error fields as the official SDKs read them (huaweicloud-sdk-go-v3 `core/sdkerr`): top-level
 * `error_code`/`error_msg`; else top-level `code`/`message`; else the first nested object that
 * has them (the old DCS v1 envelope `{"error": {"code", "message"}}` is one such).
 */
function readErrorBody(text: string): ErrorBody {
  let value: unknown;
  try {
    value = parseJsonLossless(text);
  } catch {
    return { json: false };
  }
  if (!isRecord(value)) return { json: true };
  const pick = (o: Record<string, unknown>) => ({
    code: textOf(o['error_code']) ?? textOf(o['code']),
    message: textOf(o['error_msg']) ?? textOf(o['message']),
  });
  let found = pick(value);
  if (found.code === undefined && found.message === undefined) {
    for (const nested of Object.values(value)) {
      if (!isRecord(nested)) continue;
      const inner = pick(nested);
      if (inner.code !== undefined || inner.message !== undefined) {
        found = inner;
        break;
      }
    }
  }
  return {
    json: true,
    ...(found.code === undefined ? {} : { code: found.code }),
    ...(found.message === undefined ? {} : { message: found.message }),
    ...(textOf(value['request_id']) === undefined ? {} : { requestId: textOf(value['request_id'])! }),
  };
}

/** `X-Request-Id`, else the body's `request_id`; redacted too, as it is upstream text. */
function requestIdOf(ctx: HuaweiCallContext, res: HttpResponse, fromBody: string | undefined): string | undefined {
  const id = headerValue(res.headers, 'x-request-id') || fromBody;
  return id ? redact(id, ctx.secrets) : undefined;
}

/** `Retry-After`: delay-seconds, or an HTTP date. */
export function retryAfterSeconds(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * What a non-JSON error answer says, as plain text: an HTML error page (a proxy's, a load
 * balancer's) is reduced to its title or first heading, else its text; never markup.
 */
function nonJsonSnippet(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (!trimmed.startsWith('<')) return trimmed.slice(0, 200);
  const headline = /<(title|h1)[^>]*>([^<]*)</i.exec(trimmed)?.[2];
  const plain = (headline ?? trimmed.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' '))
    .replace(/&[a-z]+;|&#\d+;/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain === '' ? undefined : plain.slice(0, 200);
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
