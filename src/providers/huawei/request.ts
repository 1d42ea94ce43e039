/**
 * What the DCS and RDS clients share: the options, the one query builder, and the one call path
 * (authorize → send → normalize errors → parse losslessly → check the schema).
 */
import type { z } from 'zod';
import { parseTolerant } from '../../core/drift.js';
import { BadInputError } from '../../core/errors.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import type { CallScope, UpstreamRequest, UpstreamSender } from '../../core/upstream.js';
import { TransportError, type HttpResponse } from '../../lib/http.js';
import { decodeOnce } from '../../lib/decoded.js';
import { parseJsonLossless } from '../../lib/json.js';
import type { HuaweiAuth } from './auth.js';
import { errorResponse, invalidBody, transportFailure, type HuaweiCallContext } from './errors.js';
import { encodeSegment, validateProjectId } from './ids.js';

export interface HuaweiClientOptions {
  /** The configured source's name (goes into errors). */
  source: string;
  projectId: string;
  /** e.g. `https://dcs.cn-north-4.myhuaweicloud.com`; a path prefix is kept. */
  endpoint: string;
  auth: HuaweiAuth;
  /** The source's upstream path (page cache, call budget, pooled keep-alive HTTP with deadlines). */
  transport: UpstreamSender;
  /** Clock for values the client computes (RDS open time ranges). Default: the system clock. */
  clock?: Clock;
}

export type QueryParams = ReadonlyArray<readonly [name: string, value: string | number | undefined]>;

/**
 * `k=v&…` in the given order, skipping undefined values; names and values `encodeURIComponent`ed,
 * so the `+` of an RDS time offset goes out as `%2B` and never decodes to a space (notes B.1).
 */
export function buildQuery(params: QueryParams): string {
  return params
    .filter((entry): entry is readonly [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
    .join('&');
}

export interface GetCall<T> {
  /** Route template for errors: `GET /v2/{project_id}/instances`. */
  operation: string;
  /** Segments after `/{version}/{project_id}/`, already validated; they are encoded here. */
  segments: readonly string[];
  query?: QueryParams;
  schema: z.ZodType<T>;
  /** Value for a 204 or an empty body; without it those are an error. */
  whenEmpty?: () => T;
  /** The operation the call is charged to. */
  scope?: CallScope | undefined;
}

export interface WriteCall<T> {
  /** Route template for errors: `POST /v3/{project_id}/backups`. */
  operation: string;
  method: 'POST' | 'DELETE';
  segments: readonly string[];
  /** A JSON body (absent: none). */
  body?: unknown;
  schema: z.ZodType<T>;
  /** Value for a 204 or an empty body (DELETE answers). */
  whenEmpty?: () => T;
  scope?: CallScope | undefined;
}

export class HuaweiApi {
  readonly projectId: string;
  private readonly clock: Clock;
  private readonly base: URL;

  constructor(
    private readonly options: HuaweiClientOptions,
    private readonly provider: 'DCS' | 'RDS',
    private readonly version: 'v2' | 'v3',
  ) {
    this.projectId = validateProjectId(options.projectId);
    this.clock = options.clock ?? systemClock;
    let base: URL;
    try {
      base = new URL(options.endpoint);
    } catch {
      throw new BadInputError(`${provider} endpoint is not a URL`, 'endpoint');
    }
    if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new BadInputError(`${provider} endpoint must be http(s)`, 'endpoint');
    if (base.search || base.hash || base.username || base.password) {
      throw new BadInputError(`${provider} endpoint must not carry a query, fragment or user info`, 'endpoint');
    }
    this.base = base;
  }

  now(): Date {
    return new Date(this.clock.now());
  }

  url(segments: readonly string[], query: QueryParams = []): URL {
    const prefix = this.base.pathname.replace(/\/+$/, '');
    const path = [this.version, this.projectId, ...segments].map(encodeSegment).join('/');
    const search = buildQuery(query);
    return new URL(`${this.base.origin}${prefix}/${path}${search ? `?${search}` : ''}`);
  }

  async get<T>(call: GetCall<T>): Promise<T> {
    const url = this.url(call.segments, call.query);
    // Signed when sent (not for a cached answer), and again for each retry (a fresh `X-Sdk-Date`).
    const authorize = () => {
      const headers: Record<string, string> = {};
      this.options.auth.authorize({ method: 'GET', url, headers, body: '' });
      // As the official Go SDK: `Content-Type: application/json` on these GETs too, added after signing (unsigned).
      headers['Content-Type'] = 'application/json';
      return headers;
    };
    const { ctx, res } = await this.send(call, { method: 'GET', url, route: call.operation, cacheable: true, authorize });
    // A page the cache serves again is the same answer object: decoded once (lib/decoded.ts).
    return decodeOnce(res, call.schema, () => this.decode(call, ctx, res));
  }

  /** A write: signed with its body (the SDK's way: `Content-Type` signed too), sent once, never cached. */
  async write<T>(call: WriteCall<T>): Promise<T> {
    const url = this.url(call.segments);
    const body = call.body === undefined ? '' : JSON.stringify(call.body);
    const authorize = () => {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      this.options.auth.authorize({ method: call.method, url, headers, body });
      return headers;
    };
    const { ctx, res } = await this.send(call, { method: call.method, url, route: call.operation, authorize, ...(body ? { body } : {}) });
    return this.decode(call, ctx, res);
  }

  /** Sends a call; a failure to get an answer, or an error answer, becomes the provider's error. */
  private async send(call: { operation: string; scope?: CallScope | undefined }, req: UpstreamRequest): Promise<{ ctx: HuaweiCallContext; res: HttpResponse }> {
    const ctx: HuaweiCallContext = {
      source: this.options.source,
      provider: this.provider,
      operation: call.operation,
      secrets: this.options.auth.secrets,
      now: this.clock.now(),
    };
    let res: HttpResponse;
    try {
      res = await this.options.transport.send(req, call.scope);
    } catch (err) {
      if (err instanceof TransportError) throw transportFailure(ctx, err);
      throw err;
    }
    if (res.status < 200 || res.status > 299) throw errorResponse(ctx, res);
    return { ctx, res };
  }

  private decode<T>(call: GetCall<T> | WriteCall<T>, ctx: HuaweiCallContext, res: HttpResponse): T {
    if (res.status === 204 || res.text.trim() === '') {
      if (call.whenEmpty) return call.whenEmpty();
      throw invalidBody(ctx, res, 'empty response body');
    }
    let json: unknown;
    try {
      json = parseJsonLossless(res.text);
    } catch {
      throw invalidBody(ctx, res, 'response body is not valid JSON');
    }
    const parsed = parseTolerant(call.schema, json, this.options.source);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 3)
        .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
        .join('; ');
      throw invalidBody(ctx, res, `response body does not have the documented shape (${issues})`);
    }
    return parsed.data;
  }
}
