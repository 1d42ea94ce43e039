/**
 * The simulated Huawei Cloud API gateway (APIG) in front of DCS and RDS: it authenticates the
 * caller (IAM token or `SDK-HMAC-SHA256` AK/SK signature), throttles per credential, answers
 * unknown routes, and stamps every answer with `X-Request-Id`.
 *
 * The AK/SK verifier here is written from the notes' "Simulator verification recipe" (§C.2) and
 * deliberately shares no code with the client's signer (`src/providers/huawei/signer.ts`): it
 * rebuilds the canonical request from the *received* request target, headers and body bytes.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { SimRequest, SimResponse } from '../harness.js';
import type { HuaweiAccountSim } from '../fleet.js';
import type { Clock } from '../../lib/clock.js';
import { stringifyJson } from '../../lib/json.js';
import { JSON_HEADERS, utcFromFields } from './params.js';

/** The caller the gateway let through. */
export interface Caller {
  kind: 'aksk' | 'token';
  /** `X-Project-Id` sent with an AK/SK request (scopes the call to that project). */
  projectIdHeader?: string;
}

export type ServiceHandler = (req: SimRequest, caller: Caller) => SimResponse;

export interface GatewayOptions {
  account: HuaweiAccountSim;
  /** Gateway clock: what `X-Sdk-Date` is checked against. */
  clock: Clock;
  rateLimit?: { requestsPerSecond: number; burst?: number };
}

/** `X-Sdk-Date` may be this far from gateway time, either way (notes §C.2 step 6). */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

const IAM_PREFIX = 'Incorrect IAM authentication information: ';
const AUTHORIZATION = /^SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/;

export class Gateway {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly options: GatewayOptions) {
    const limit = options.rateLimit;
    if (limit && !(limit.requestsPerSecond > 0)) throw new Error('rateLimit.requestsPerSecond must be positive');
  }

  /** Wraps a service handler with authentication, throttling and the request ID. */
  route(handler: ServiceHandler): (req: SimRequest) => SimResponse {
    return (req) => {
      const requestId = newRequestId();
      const auth = this.authenticate(req);
      if ('refusal' in auth) return gatewayError(401, 'APIGW.0301', IAM_PREFIX + auth.refusal, requestId);
      const throttled = this.throttle(auth.credentialKey);
      if (throttled !== undefined) {
        return gatewayError(429, 'APIGW.0308', 'The throttling threshold has been reached.', requestId, {
          'retry-after': String(throttled),
        });
      }
      return withRequestId(handler(req, auth.caller), requestId);
    };
  }

  /** No route matched: APIG's "API not found". */
  notFound(): SimResponse {
    return gatewayError(404, 'APIGW.0101', 'The API does not exist or has not been published in the environment.', newRequestId());
  }

  // ---- authentication ------------------------------------------------------------------------

  private authenticate(req: SimRequest): { caller: Caller; credentialKey: string } | { refusal: string } {
    const token = header(req, 'x-auth-token');
    if (token !== undefined) {
      // A token takes precedence over a signature when both are sent.
      if (!safeEqual(token, this.options.account.token)) return { refusal: 'decrypt token fail' };
      return { caller: { kind: 'token' }, credentialKey: `token:${sha256Hex(token)}` };
    }
    const authorization = header(req, 'authorization');
    if (authorization === undefined) return { refusal: 'x-auth-token not found' };
    return this.verifySignature(req, authorization);
  }

  private verifySignature(req: SimRequest, authorization: string): { caller: Caller; credentialKey: string } | { refusal: string } {
    const parts = AUTHORIZATION.exec(authorization);
    if (!parts) return { refusal: 'verify aksk signature fail' };
    const [, accessKey, signedHeaderList, signature] = parts as unknown as [string, string, string, string];

    // Step 2: the SK for the AK. The gateway's message names the AK it refused.
    if (accessKey !== this.options.account.accessKey) return { refusal: `Get secretKey failed,ak:${accessKey},err:ak not exist` };
    const secretKey = this.options.account.secretKey;

    const sdkDate = header(req, 'x-sdk-date');
    if (sdkDate === undefined) return { refusal: 'verify aksk signature fail' };

    // Step 3: the canonical request, rebuilt from what was received.
    const canonicalHeaders: string[] = [];
    for (const name of signedHeaderList.split(';')) {
      const value = header(req, name.toLowerCase());
      if (value === undefined) return { refusal: 'verify aksk signature fail' };
      canonicalHeaders.push(`${name.toLowerCase()}:${value.trim()}\n`);
    }
    const queryStart = req.rawUrl.indexOf('?');
    const rawQuery = queryStart === -1 ? '' : req.rawUrl.slice(queryStart + 1);
    const payloadHash = header(req, 'x-sdk-content-sha256') ?? sha256Hex(req.body);
    const canonicalRequest =
      `${req.method}\n${canonicalPath(req.rawPath)}\n${canonicalQuery(rawQuery)}\n` + `${canonicalHeaders.join('')}\n${signedHeaderList}\n${payloadHash}`;
    const stringToSign = `SDK-HMAC-SHA256\n${sdkDate}\n${sha256Hex(canonicalRequest)}`;
    const expected = createHmac('sha256', secretKey).update(stringToSign, 'utf8').digest();

    // Step 4: constant-time comparison.
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return { refusal: 'verify aksk signature fail' };

    // Step 5: the signed date must be within 15 minutes of gateway time. The exact upstream message
    // is not documented for IAM auth (notes, Uncertainties 10); this mirrors APIG's app-auth wording.
    const signedAt = parseSdkDate(sdkDate);
    const now = this.options.clock.now();
    if (signedAt === undefined || Math.abs(now - signedAt) > MAX_CLOCK_SKEW_MS) {
      return { refusal: `signature expired, signature time:${sdkDate},server time:${sdkDateOf(now)}` };
    }
    const projectIdHeader = header(req, 'x-project-id');
    return {
      caller: projectIdHeader === undefined ? { kind: 'aksk' } : { kind: 'aksk', projectIdHeader },
      credentialKey: `ak:${accessKey}`,
    };
  }

  // ---- throttling ----------------------------------------------------------------------------

  /** Takes a token from the credential's bucket; returns the `Retry-After` seconds when empty. */
  private throttle(credentialKey: string): number | undefined {
    const limit = this.options.rateLimit;
    if (!limit) return undefined;
    let bucket = this.buckets.get(credentialKey);
    if (!bucket) {
      bucket = new TokenBucket(limit.requestsPerSecond, limit.burst ?? Math.max(1, Math.ceil(limit.requestsPerSecond)));
      this.buckets.set(credentialKey, bucket);
    }
    return bucket.take(performance.now());
  }
}

/** Token bucket on a monotonic clock (not the gateway clock, which tests may freeze). */
class TokenBucket {
  private tokens: number;
  private last: number | undefined;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  take(nowMs: number): number | undefined {
    if (this.last !== undefined) this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.last) / 1000) * this.rate);
    this.last = nowMs;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.rate));
  }
}

// ---- answers ---------------------------------------------------------------------------------

/** Gateway error body: `{error_msg, error_code, request_id}` (notes B.3). */
export function gatewayError(status: number, code: string, message: string, requestId: string, headers: Record<string, string> = {}): SimResponse {
  return {
    status,
    headers: { ...JSON_HEADERS, 'x-request-id': requestId, ...headers },
    body: stringifyJson({ error_msg: message, error_code: code, request_id: requestId }),
  };
}

function withRequestId(response: SimResponse, requestId: string): SimResponse {
  return { ...response, headers: { ...response.headers, 'x-request-id': requestId } };
}

function newRequestId(): string {
  return randomBytes(16).toString('hex');
}

// ---- canonical request pieces (independent of the client's signer) ---------------------------

const UNRESERVED = new Set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~');

/** RFC 3986 over UTF-8 bytes, upper-case hex. */
function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.has(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `%XX` → byte (invalid escapes stay literal); with `plusIsSpace`, `+` → space (form encoding). */
function percentDecode(text: string, plusIsSpace: boolean): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (ch === '+' && plusIsSpace) {
      bytes.push(0x20);
    } else {
      bytes.push(...Buffer.from(ch, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Decode each segment, re-encode it, and end with `/`. */
function canonicalPath(rawPath: string): string {
  const path = rawPath
    .split('/')
    .map((segment) => percentEncode(percentDecode(segment, false)))
    .join('/');
  return path.endsWith('/') ? path : `${path}/`;
}

/**
 * Decode, re-encode, sort by key then value. A raw `+` is read as a space, as Go's
 * `url.ParseQuery` does (notes, Uncertainties 9): a time offset sent as a raw `+` is not a `+`.
 */
function canonicalQuery(rawQuery: string): string {
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    pairs.push([percentDecode(key, true), percentDecode(value, true)]);
  }
  pairs.sort(([k1, v1], [k2, v2]) => (k1 < k2 ? -1 : k1 > k2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0));
  return pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
}

function parseSdkDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return utcFromFields(y, mo, d, h, mi, s);
}

function sdkDateOf(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
