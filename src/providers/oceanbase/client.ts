/**
 * A typed client for the obshell agent's HTTP API (notes: /work/shared/upstreams/obshell.md):
 * agent info, tenant listing, backup overviews and the backup job history, with the hybrid-
 * encryption auth. Every failure becomes an `UpstreamError` (provider OCEANBASE) whose `operation`
 * is a route template and which carries no secret.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import type { z } from 'zod';
import { parseTolerant } from '../../core/drift.js';
import { BadInputError, redact, UpstreamError, type UpstreamErrorCode } from '../../core/errors.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import type { CallScope, UpstreamSender } from '../../core/upstream.js';
import { TransportError, type HttpResponse } from '../../lib/http.js';
import { decodeOnce } from '../../lib/decoded.js';
import { parseJsonLossless } from '../../lib/json.js';
import { registerSecrets } from '../../lib/secrets.js';
import { buildAuthHeader, createAesKeys, encryptBody, importAgentPublicKey, type AesKeys } from './auth.js';
import { tenantPathSegment } from './ids.js';
import {
  agentInfoSchema,
  backupJobsPageSchema,
  clusterBackupOverviewDataSchema,
  archiveLogTasksSchema,
  backupInfoSchema,
  dagDetailSchema,
  noDataSchema,
  type ObArchiveLogTask,
  type ObBackupInfo,
  type ObDagDetail,
  envelopeSchema,
  secretSchema,
  tenantBackupOverviewDataSchema,
  tenantsOverviewDataSchema,
  type ObAgentInfo,
  type ObBackupJobsPage,
  type ObBackupTask,
  type ObTenantOverview,
} from './wire.js';

export type { ObAgentInfo, ObBackupJobsPage, ObBackupTask, ObTenantOverview } from './wire.js';

export interface ObshellClientOptions {
  /** Configured source name; goes into every UpstreamError. */
  source: string;
  /** Agent base URL, e.g. http://10.0.0.1:2886. */
  url: string;
  /** root@sys password; absent → `Auth: ""`. */
  password?: string;
  /**
   * The obshell agent password (4.2.6.0+). Given, requests authenticate with it in
   * `X-OCS-Agent-Header` instead of the root password in `X-OCS-Header` (as sdk-py does).
   */
  agentPassword?: string;
  /** The source's upstream path (page cache, call budget, pooled keep-alive HTTP with deadlines). */
  transport: UpstreamSender;
  /** `Ts` = now + lifetime (seconds); default 60, as both SDKs (notes §4.2). */
  authLifetimeSeconds?: number;
  /** Clock for `Ts`. Default: the system clock. */
  clock?: Clock;
}

export interface ObBackupJobsQuery {
  page?: number;
  size?: number;
  statuses?: string[];
  sort?: { field: 'start_timestamp' | 'end_timestamp'; order: 'asc' | 'desc' };
  startTime?: Date;
  endTime?: Date;
  /**
   * `endTime` includes the whole of its millisecond: sent as its last nanosecond
   * (`…T10:08:08.723999999Z`), so jobs whose start truncates to that millisecond are in range.
   */
  endTimeWholeMillisecond?: boolean;
}

/** The route templates used as `UpstreamError.operation`. */
export const OBSHELL_OPERATIONS = {
  info: 'GET /api/v1/info',
  secret: 'GET /api/v1/secret',
  tenantsOverview: 'GET /api/v1/tenants/overview',
  tenantBackupOverview: 'GET /api/v1/tenant/{name}/backup/overview',
  clusterBackupOverview: 'GET /api/v1/obcluster/backup/overview',
  tenantBackupJobs: 'GET /api/v1/tenant/{name}/backup/tasks',
  tenantBackupInfo: 'GET /api/v1/tenant/{name}/backup/info',
  tenantArchiveLogTasks: 'GET /api/v1/tenant/{name}/backup/log/tasks',
  startTenantBackup: 'POST /api/v1/tenant/{name}/backup',
  startClusterBackup: 'POST /api/v1/obcluster/backup',
  cancelTenantBackup: 'PATCH /api/v1/tenant/{name}/backup',
  cancelClusterBackup: 'PATCH /api/v1/obcluster/backup',
} as const;

/** What a start asks of the agent (`mode` as the agent spells it). */
export interface ObStartBackup {
  mode: 'full' | 'incremental';
}

/** What an error answer said, whichever error style the agent speaks (notes §1). */
export interface ObFailure {
  httpStatus: number;
  /** `error.errCode` (obshell ≥ 4.3.1.0). */
  errCode: string | undefined;
  /** `error.code`: the only code before 4.3.1.0, a deprecated extra after. */
  legacyCode: number | undefined;
  message: string | undefined;
  traceId: string;
  /** How many times the call was sent. */
  attempts?: number | undefined;
}

interface CallSpec {
  operation: string;
  /** Default GET. Writes are sent once (never retried, never cached). */
  method?: 'GET' | 'POST' | 'PATCH';
  /** A JSON body, sent AES-encrypted under the header's keys. */
  body?: unknown;
  /** Absolute path, its segments already percent-encoded. */
  path: string;
  query?: URLSearchParams;
  /** Send `X-OCS-Header` (every route but `/info` and `/secret`). */
  auth: boolean;
  /** A read whose answer the page cache may serve. */
  cacheable?: boolean;
  /** The operation the call is charged to. */
  scope?: CallScope | undefined;
}

type Outcome = { ok: true; data: unknown; httpStatus: number; traceId: string } | { ok: false; failure: ObFailure };

/** Legacy int codes of auth failures: 10008 Unauthorized, 10000 UserPermissionDenied, 1 DecryptError (notes §5). */
const LEGACY_AUTH_CODES = new Set([1, 10000, 10008]);

export class ObshellClient {
  private readonly source: string;
  private readonly baseUrl: URL;
  private readonly password: string;
  private readonly agentPassword: string | undefined;
  private readonly transport: UpstreamSender;
  private readonly authLifetimeSeconds: number;
  private readonly clock: Clock;
  /** The agent's public key, fetched once and shared by concurrent callers. */
  private publicKey: Promise<KeyObject> | undefined;

  constructor(options: ObshellClientOptions) {
    this.source = options.source;
    this.baseUrl = new URL(options.url);
    if (this.baseUrl.protocol !== 'http:' && this.baseUrl.protocol !== 'https:') {
      throw new TypeError(`obshell source "${options.source}": url must be http or https`);
    }
    this.password = options.password ?? '';
    this.agentPassword = options.agentPassword || undefined;
    registerSecrets(this.password, this.agentPassword);
    this.transport = options.transport;
    this.authLifetimeSeconds = options.authLifetimeSeconds ?? 60;
    this.clock = options.clock ?? systemClock;
  }

  /** `GET /api/v1/info`: identity, versions, `startAt` (no auth). */
  info(scope?: CallScope): Promise<ObAgentInfo> {
    return this.call({ operation: OBSHELL_OPERATIONS.info, path: '/api/v1/info', auth: false, cacheable: true, scope }, agentInfoSchema);
  }

  /** `GET /api/v1/tenants/overview`: every tenant not in the recycle bin, `sys` included (notes §3.3). */
  async tenantsOverview(scope?: CallScope): Promise<ObTenantOverview[]> {
    const spec = { operation: OBSHELL_OPERATIONS.tenantsOverview, path: '/api/v1/tenants/overview', auth: true, cacheable: true, scope };
    return (await this.call(spec, tenantsOverviewDataSchema)).contents;
  }

  /**
   * `GET /api/v1/tenant/:name/backup/overview`: the running task, else the latest finished one;
   * null when the tenant never ran a backup (404 `Task.NotFound`, legacy 404/2300; notes §2.7).
   */
  async tenantBackupOverview(tenantName: string, scope?: CallScope): Promise<ObBackupTask | null> {
    const spec = {
      operation: OBSHELL_OPERATIONS.tenantBackupOverview,
      path: `/api/v1/tenant/${tenantPathSegment(tenantName)}/backup/overview`,
      auth: true,
      cacheable: true,
      scope,
    };
    const isNoTask = (f: ObFailure) => f.httpStatus === 404 && (f.errCode === 'Task.NotFound' || (f.errCode === undefined && f.legacyCode === 2300));
    const overview = await this.call(spec, tenantBackupOverviewDataSchema, (f) => (isNoTask(f) ? { value: null } : undefined));
    return overview === null ? null : overview.status;
  }

  /**
   * `GET /api/v1/obcluster/backup/overview`: the current-or-latest task of every user tenant that
   * has one; [] on the 404 `Common.NotFound` "Element not found: backup task" the agent answers
   * when none has (legacy 404/2300; notes §3.1). The message tells it from an unknown route's 404.
   */
  async clusterBackupOverview(scope?: CallScope): Promise<ObBackupTask[]> {
    const spec = { operation: OBSHELL_OPERATIONS.clusterBackupOverview, path: '/api/v1/obcluster/backup/overview', auth: true, cacheable: true, scope };
    const isNoTask = (f: ObFailure) =>
      f.httpStatus === 404 && ((f.errCode === 'Common.NotFound' && /backup task/i.test(f.message ?? '')) || (f.errCode === undefined && f.legacyCode === 2300));
    const overview = await this.call(spec, clusterBackupOverviewDataSchema, (f) => (isNoTask(f) ? { value: null } : undefined));
    return overview === null ? [] : overview.statuses;
  }

  /** `GET /api/v1/tenant/:name/backup/tasks` (obshell ≥ 4.3.2.0): one page of the tenant's backup jobs. */
  async tenantBackupJobs(tenantName: string, query: ObBackupJobsQuery = {}, scope?: CallScope): Promise<ObBackupJobsPage> {
    const spec = {
      operation: OBSHELL_OPERATIONS.tenantBackupJobs,
      path: `/api/v1/tenant/${tenantPathSegment(tenantName)}/backup/tasks`,
      query: backupJobsQueryParams(query),
      auth: true,
      cacheable: true,
      scope,
    };
    return this.call(spec, backupJobsPageSchema);
  }

  /**
   * `GET /api/v1/tenant/:name/backup/info` (obshell ≥ 4.3.2.0): the archive checkpoint and delay,
   * the last backup's start. null on an agent without the route (its "404 not found" answer).
   */
  async tenantBackupInfo(tenantName: string, scope?: CallScope): Promise<ObBackupInfo | null> {
    const spec = {
      operation: OBSHELL_OPERATIONS.tenantBackupInfo,
      path: `/api/v1/tenant/${tenantPathSegment(tenantName)}/backup/info`,
      auth: true,
      cacheable: true,
      scope,
    };
    return this.call(spec, backupInfoSchema, (f) => (isNoRoute(f) ? { value: null } : undefined));
  }

  /** `GET /api/v1/tenant/:name/backup/log/tasks` (obshell ≥ 4.3.2.0): the running archive rounds; null without the route. */
  async tenantArchiveLogTasks(tenantName: string, scope?: CallScope): Promise<ObArchiveLogTask[] | null> {
    const spec = {
      operation: OBSHELL_OPERATIONS.tenantArchiveLogTasks,
      path: `/api/v1/tenant/${tenantPathSegment(tenantName)}/backup/log/tasks`,
      auth: true,
      cacheable: true,
      scope,
    };
    const answer = await this.call(spec, archiveLogTasksSchema, (f) => (isNoRoute(f) ? { value: null } : undefined));
    return answer === null ? null : answer.contents;
  }

  /** `POST /api/v1/tenant/:name/backup`: starts a backup of one tenant; `data` is the agent's async task. */
  startTenantBackup(tenantName: string, input: ObStartBackup, scope?: CallScope): Promise<ObDagDetail> {
    const spec = {
      operation: OBSHELL_OPERATIONS.startTenantBackup,
      path: `/api/v1/tenant/${tenantPathSegment(tenantName)}/backup`,
      method: 'POST' as const,
      body: { mode: input.mode },
      auth: true,
      scope,
    };
    return this.call(spec, dagDetailSchema);
  }

  /** `POST /api/v1/obcluster/backup`: starts a backup of every user tenant. */
  startClusterBackup(input: ObStartBackup, scope?: CallScope): Promise<ObDagDetail> {
    const spec = {
      operation: OBSHELL_OPERATIONS.startClusterBackup,
      path: '/api/v1/obcluster/backup',
      method: 'POST' as const,
      body: { mode: input.mode },
      auth: true,
      scope,
    };
    return this.call(spec, dagDetailSchema);
  }

  /** `PATCH /api/v1/tenant/:name/backup` with `{"status":"canceled"}`: cancels the tenant's running backup. */
  async cancelTenantBackup(tenantName: string, scope?: CallScope): Promise<void> {
    const spec = {
      operation: OBSHELL_OPERATIONS.cancelTenantBackup,
      path: `/api/v1/tenant/${tenantPathSegment(tenantName)}/backup`,
      method: 'PATCH' as const,
      body: { status: 'canceled' },
      auth: true,
      scope,
    };
    await this.call(spec, noDataSchema);
  }

  /** `PATCH /api/v1/obcluster/backup` with `{"status":"canceled"}`: cancels every tenant's running backup. */
  async cancelClusterBackup(scope?: CallScope): Promise<void> {
    const spec = {
      operation: OBSHELL_OPERATIONS.cancelClusterBackup,
      path: '/api/v1/obcluster/backup',
      method: 'PATCH' as const,
      body: { status: 'canceled' },
      auth: true,
      scope,
    };
    await this.call(spec, noDataSchema);
  }

  // ---- one call ---------------------------------------------------------------------------------

  /**
   * Sends one call and parses its `data` with `schema`. `recover` may turn an error answer into a
   * value. A 401 `Header.DecryptFailed` on a protected call means the agent's key changed (restart
   * or upgrade, notes §4.2): the key is fetched again once and the call retried once.
   */
  private async call<S extends z.ZodType, R = never>(
    spec: CallSpec,
    schema: S,
    recover?: (failure: ObFailure) => { value: R } | undefined,
  ): Promise<z.output<S> | R> {
    // Built once: the header's Uri must be byte for byte what is sent (Go's RequestURI, notes §4.1).
    const url = new URL(spec.path, this.baseUrl);
    if (spec.query) url.search = spec.query.toString();
    const uri = url.pathname + url.search;

    for (let attempt = 1; ; attempt++) {
      // The operation's request ID, when it has the form obshell gives its own (16 hex digits): one trace across the agent's log and ours.
      const traceId = spec.scope?.requestId && /^[0-9a-f]{16}$/.test(spec.scope.requestId) ? spec.scope.requestId : randomBytes(8).toString('hex');
      const headers: Record<string, string> = { accept: 'application/json', 'x-obshell-trace-id': traceId };
      const key = spec.auth ? this.agentKey(spec.scope) : undefined;
      const publicKey = key ? await key : undefined;
      const headerName = this.agentPassword === undefined ? 'x-ocs-header' : 'x-ocs-agent-header';
      // A body goes AES-encrypted under the keys the header carries (notes §4.1): one pair per call.
      const keys = spec.body === undefined ? undefined : createAesKeys();
      const body = keys ? encryptBody(JSON.stringify(spec.body), keys) : undefined;
      if (body !== undefined) headers['content-type'] = 'application/json';
      // Signed when sent (not for a cached answer), and again for a retry: the header's `Ts` says when it expires.
      const authorize = publicKey ? () => ({ ...headers, [headerName]: this.authHeader(spec, uri, publicKey, keys) }) : undefined;

      const reply = await this.send(spec, url, headers, traceId, authorize, body);
      // A page the cache serves again is the same answer object: read and validated once (lib/decoded.ts).
      const outcome = decodeOnce(reply, envelopeSchema, () => this.interpret(spec, reply, traceId));
      if (outcome.ok) return decodeOnce(reply, schema, () => this.parseData(spec, schema, outcome));
      if (key && attempt === 1 && isDecryptFailure(outcome.failure)) {
        this.forgetKey(key);
        continue;
      }
      const recovered = recover?.(outcome.failure);
      if (recovered) return recovered.value;
      throw this.failureError(spec, outcome.failure);
    }
  }

  private async send(
    spec: CallSpec,
    url: URL,
    headers: Record<string, string>,
    traceId: string,
    authorize?: () => Record<string, string>,
    body?: string,
  ): Promise<HttpResponse> {
    try {
      return await this.transport.send(
        {
          method: spec.method ?? 'GET',
          url,
          headers,
          route: spec.operation,
          cacheable: (spec.cacheable ?? false) && spec.method === undefined,
          ...(authorize ? { authorize } : {}),
          ...(body === undefined ? {} : { body }),
        },
        spec.scope,
      );
    } catch (err) {
      const detail = err instanceof TransportError ? `${err.failure}: ${err.message}` : 'other: request failed';
      throw this.error(spec, { code: 'UPSTREAM_UNAVAILABLE', detail, traceId, cause: err });
    }
  }

  /** Reads the envelope; anything that is not one is an `UPSTREAM_ERROR` (or an auth failure on 401). */
  private interpret(spec: CallSpec, reply: HttpResponse, sentTraceId: string): Outcome {
    let body: unknown;
    try {
      body = parseJsonLossless(reply.text);
    } catch {
      throw this.error(spec, {
        code: codeForStatus(reply.status),
        httpStatus: reply.status,
        traceId: sentTraceId,
        detail: 'the answer is not JSON',
        attempts: reply.attempts,
      });
    }
    const envelope = envelopeSchema.safeParse(body);
    if (!envelope.success) {
      const detail = `the answer is not an obshell envelope (${describeIssues(envelope.error)})`;
      throw this.error(spec, { code: codeForStatus(reply.status), httpStatus: reply.status, traceId: sentTraceId, detail, attempts: reply.attempts });
    }
    const { successful, data, error } = envelope.data;
    const traceId = envelope.data.traceId || sentTraceId;
    if (successful && reply.status >= 200 && reply.status < 300) return { ok: true, data, httpStatus: reply.status, traceId };
    return {
      ok: false,
      failure: {
        httpStatus: reply.status,
        errCode: error?.errCode || undefined,
        legacyCode: error?.code,
        message: error?.message,
        traceId,
        attempts: reply.attempts,
      },
    };
  }

  private parseData<S extends z.ZodType>(spec: CallSpec, schema: S, answer: { data: unknown; httpStatus: number; traceId: string }): z.output<S> {
    const parsed = parseTolerant(schema, answer.data, this.source);
    if (parsed.success) return parsed.data;
    const detail = `the answer's data does not have the expected shape (${describeIssues(parsed.error)})`;
    throw this.error(spec, { code: 'UPSTREAM_ERROR', httpStatus: answer.httpStatus, traceId: answer.traceId, detail });
  }

  private failureError(spec: CallSpec, failure: ObFailure): UpstreamError {
    return this.error(spec, {
      code: classify(failure),
      httpStatus: failure.httpStatus,
      upstreamCode: failure.errCode ?? (failure.legacyCode === undefined ? undefined : String(failure.legacyCode)),
      upstreamMessage: failure.message,
      traceId: failure.traceId,
      detail: failure.message === undefined ? 'the agent answered with an error and no message' : undefined,
      attempts: failure.attempts,
    });
  }

  /** Every error goes through here: the password is redacted from anything the agent wrote. */
  private error(
    spec: CallSpec,
    init: {
      code: UpstreamErrorCode;
      httpStatus?: number;
      upstreamCode?: string | undefined;
      upstreamMessage?: string | undefined;
      traceId?: string;
      detail?: string | undefined;
      attempts?: number | undefined;
      cause?: unknown;
    },
  ): UpstreamError {
    const secrets = [this.password, this.agentPassword];
    return new UpstreamError({
      ...init,
      source: this.source,
      provider: 'OCEANBASE',
      operation: spec.operation,
      upstreamCode: init.upstreamCode === undefined ? undefined : redact(init.upstreamCode, secrets),
      upstreamMessage: init.upstreamMessage === undefined ? undefined : redact(init.upstreamMessage, secrets),
      detail: init.detail === undefined ? undefined : redact(init.detail, secrets),
    });
  }

  // ---- auth ---------------------------------------------------------------------------------------

  private agentKey(scope: CallScope | undefined): Promise<KeyObject> {
    if (!this.publicKey) {
      const pending = this.call({ operation: OBSHELL_OPERATIONS.secret, path: '/api/v1/secret', auth: false, scope }, secretSchema).then((secret) =>
        this.importKey(secret.public_key),
      );
      // A failed fetch is not cached: the next call tries again.
      pending.catch(() => this.forgetKey(pending));
      this.publicKey = pending;
    }
    return this.publicKey;
  }

  /** Drops the cached key if it is still the one that failed (concurrent failures re-fetch once). */
  private forgetKey(used: Promise<KeyObject>): void {
    if (this.publicKey === used) this.publicKey = undefined;
  }

  private importKey(publicKeyBase64: string): KeyObject {
    try {
      return importAgentPublicKey(publicKeyBase64);
    } catch {
      throw this.error(
        { operation: OBSHELL_OPERATIONS.secret, path: '/api/v1/secret', auth: false },
        { code: 'UPSTREAM_ERROR', httpStatus: 200, detail: 'the public key is not a base64 DER PKCS#1 RSA key' },
      );
    }
  }

  private authHeader(spec: CallSpec, uri: string, publicKey: KeyObject, keys?: AesKeys): string {
    try {
      const expiresAt = Math.floor(this.clock.now() / 1000) + this.authLifetimeSeconds;
      return buildAuthHeader({ password: this.agentPassword ?? this.password, uri, expiresAt, publicKey, ...(keys ? { keys } : {}) }).header;
    } catch {
      throw this.error(spec, { code: 'UPSTREAM_ERROR', detail: "the auth header cannot be encrypted with the agent's public key" });
    }
  }
}

// ---- helpers ----------------------------------------------------------------------------------------

/**
 * A 401 `Security.Authentication.Header.DecryptFailed` (legacy code 1, 4.4.2.0+), or the ≤ 4.3.0.0
 * form 401/10008 "Verification failed: header decrypt failed" (notes §4.6).
 */
function isDecryptFailure(f: ObFailure): boolean {
  if (f.httpStatus !== 401) return false;
  if (f.errCode !== undefined) return f.errCode === 'Security.Authentication.Header.DecryptFailed';
  return f.legacyCode === 1 || (f.legacyCode === 10008 && /decrypt/i.test(f.message ?? ''));
}

/**
 * gin's NoRoute answer of an agent that lacks a route: 404 `Common.NotFound` "…404 not found"
 * (4.3.1.x), 400 code 1000 "Bad request: 404 not found" (≤ 4.3.0.x). Not `Task.NotFound`.
 */
function isNoRoute(f: ObFailure): boolean {
  if (!/404 not found$/i.test(f.message ?? '')) return false;
  return (f.httpStatus === 404 && f.errCode === 'Common.NotFound') || (f.httpStatus === 400 && f.errCode === undefined && f.legacyCode === 1000);
}

/** Maps an error answer onto the gateway's error codes (notes §2.7, §4.6, §5). */
function classify(f: ObFailure): UpstreamErrorCode {
  if (
    f.httpStatus === 401 ||
    f.errCode === 'Request.Header.NotFound' ||
    f.errCode?.startsWith('Security.Authentication.') ||
    (f.legacyCode !== undefined && LEGACY_AUTH_CODES.has(f.legacyCode))
  ) {
    return 'UPSTREAM_AUTH_FAILED';
  }
  if (f.errCode === 'OB.Tenant.NotExist') return 'NOT_FOUND';
  // ≤ 4.3.0.0: 400/1001 "Illegal argument: tenant foo not found" (notes §2.7).
  if (f.errCode === undefined && f.legacyCode === 1001 && /\btenant\b.*\bnot found\b/i.test(f.message ?? '')) return 'NOT_FOUND';
  return 'UPSTREAM_ERROR';
}

function codeForStatus(status: number): UpstreamErrorCode {
  return status === 401 ? 'UPSTREAM_AUTH_FAILED' : 'UPSTREAM_ERROR';
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

const MAX_PAGE_END = 2_147_483_647;

/** The query of `/backup/tasks` (notes §3), validated so the agent never has to refuse it. */
function backupJobsQueryParams(query: ObBackupJobsQuery): URLSearchParams {
  const params = new URLSearchParams();
  const positive = (value: number, name: string) => {
    if (!Number.isSafeInteger(value) || value < 1) throw new BadInputError(`${name} must be a positive integer`, name);
    return String(value);
  };
  const time = (value: Date, name: string) => {
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new BadInputError(`${name} must be a valid time`, name);
    return value.toISOString(); // RFC 3339; Go's time.Parse accepts the fraction
  };
  if (query.page !== undefined) params.set('page', positive(query.page, 'page'));
  if (query.size !== undefined) params.set('size', positive(query.size, 'size'));
  // The agent slices rows [(page-1)·size, page·size) in int arithmetic: past 2^31-1 it answers 500.
  if ((query.page ?? 1) * (query.size ?? 1) > MAX_PAGE_END) {
    throw new BadInputError(`page × size must be at most ${MAX_PAGE_END} (the agent answers 500 past it)`, 'page');
  }
  if (query.statuses && query.statuses.length > 0) {
    for (const status of query.statuses) {
      if (typeof status !== 'string' || !/^[A-Za-z_]+$/.test(status)) {
        throw new BadInputError('statuses must be backup job statuses such as COMPLETED', 'statuses');
      }
    }
    params.set('status', query.statuses.map((s) => s.toUpperCase()).join(','));
  }
  if (query.sort) {
    const { field, order } = query.sort;
    if ((field !== 'start_timestamp' && field !== 'end_timestamp') || (order !== 'asc' && order !== 'desc')) {
      throw new BadInputError('sort must be start_timestamp or end_timestamp, asc or desc', 'sort');
    }
    params.set('sort', `${field},${order}`);
  }
  if (query.startTime !== undefined) params.set('start_time', time(query.startTime, 'startTime'));
  if (query.endTime !== undefined) {
    const end = time(query.endTime, 'endTime');
    params.set('end_time', query.endTimeWholeMillisecond ? end.replace(/Z$/, '999999Z') : end);
  }
  return params;
}
