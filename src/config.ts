/**
 * The configuration file (contract §3): YAML, `${VAR}` replaced from the environment, validated
 * with zod. A bad file is refused at start with messages naming each field at fault; secret
 * values never appear in those messages.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DEFAULT_FLEET_SETTINGS } from './fleet/fleet.js';
import { authConfigSchema } from './graphql/auth.js';
import { DEFAULT_LIMITS } from './graphql/limits.js';
import { sourceConfigSchema } from './providers/index.js';

export const configSchema = z
  .object({
    server: z
      .object({
        port: z.number().int().min(0).max(65535).optional().describe('The port to listen on; the PORT environment variable overrides it; absent: 4000.'),
        /** Serve GraphiQL at the endpoint for browsers. Default true. */
        graphiql: z.boolean().default(true).describe('Serve GraphiQL at the endpoint for browsers.'),
        /**
         * Browser origins allowed to call the API (CORS). Absent: any origin without `auth`, none
         * (same origin only) with it.
         */
        cors: z
          .object({
            origins: z
              .array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'an origin is scheme://host[:port], no path'))
              .min(1)
              .meta({ examples: [['https://ops.example.com']] })
              .describe('The allowed origins, each `scheme://host[:port]` without a path.'),
            /** Let browsers send cookies and Authorization with cross-origin requests. */
            credentials: z.boolean().default(false).describe('Let browsers send cookies and Authorization with cross-origin requests.'),
          })
          .strict()
          .optional()
          .describe('Browser origins allowed to call the API (CORS). Absent: any origin without `auth`, none (same origin only) with it.'),
        /** Refuse "simple" requests (GET, form posts) without a custom header: cross-site requests cannot forge them. Default true. */
        csrfPrevention: z
          .boolean()
          .default(true)
          .describe('Refuse "simple" requests (GET, form posts) without a custom header: cross-site requests cannot forge them.'),
        /** Accept persisted operations (sha256 → document, the format of graphql-codegen's persisted documents). */
        persistedOperations: z
          .object({
            /** A JSON file: `{ "<sha256 hex>": "<document>", … }` (keys may be written `sha256:<hex>`). */
            file: z
              .string()
              .min(1)
              .meta({ examples: ['operations.json'] })
              .describe('A JSON file: `{ "<sha256 hex>": "<document>", … }` (keys may be written `sha256:<hex>`); relative: to the configuration file.'),
            /** Refuse every other operation (FORBIDDEN). Default true. */
            only: z.boolean().default(true).describe('Refuse every other operation (FORBIDDEN).'),
          })
          .strict()
          .optional()
          .describe("Accept persisted operations (sha256 → document, the format of graphql-codegen's persisted documents)."),
      })
      .strict()
      .default({ graphiql: true, csrfPrevention: true })
      .describe('The HTTP server.'),
    /** Client authentication (absent: the API is open, as in demo mode). */
    auth: authConfigSchema.optional().describe('Client authentication (absent: the API is open, as in demo mode).'),
    /** The fleet-wide views. */
    fleet: z
      .object({
        /** The window of `backupTasks` without `since`, days. */
        defaultWindowDays: z
          .number()
          .positive()
          .max(3660)
          .default(DEFAULT_FLEET_SETTINGS.defaultWindowDays)
          .describe('The window of `backupTasks` without `since`, days.'),
        /** How long one operation may take, upstream calls and their retries included, ms. */
        operationTimeoutMs: z
          .number()
          .int()
          .min(100)
          .max(600_000)
          .default(DEFAULT_FLEET_SETTINGS.operationTimeoutMs)
          .describe('How long one operation may take, upstream calls and their retries included, ms.'),
        /** Upstream calls one operation may make before it fails with BUDGET_EXCEEDED. */
        callBudget: z
          .number()
          .int()
          .min(1)
          .max(1_000_000)
          .default(DEFAULT_FLEET_SETTINGS.callBudget)
          .describe('Upstream calls one operation may make before it fails with BUDGET_EXCEEDED.'),
        /** Most IDs one `nodes(ids:)` may ask for. */
        maxNodeIds: z.number().int().min(1).max(10_000).default(DEFAULT_FLEET_SETTINGS.maxNodeIds).describe('Most IDs one `nodes(ids:)` may ask for.'),
      })
      .strict()
      .default(DEFAULT_FLEET_SETTINGS)
      .describe('The fleet-wide views.'),
    /** What one request may ask (refused with QUERY_TOO_COMPLEX before any upstream call). */
    limits: z
      .object({
        maxDepth: z.number().int().min(1).max(100).default(DEFAULT_LIMITS.maxDepth).describe('Deepest nesting of selections an operation may have.'),
        maxAliases: z.number().int().min(1).max(10_000).default(DEFAULT_LIMITS.maxAliases).describe('Most aliases in one operation.'),
        maxTokens: z
          .number()
          .int()
          .min(10)
          .max(1_000_000)
          .default(DEFAULT_LIMITS.maxTokens)
          .describe('Most tokens in one document, as the GraphQL parser counts them.'),
        maxDirectives: z.number().int().min(1).max(10_000).default(DEFAULT_LIMITS.maxDirectives).describe('Most directives in one operation.'),
        maxCost: z
          .number()
          .int()
          .min(1)
          .max(100_000_000)
          .default(DEFAULT_LIMITS.maxCost)
          .describe('Items the connections of one operation may return, multiplied along each path.'),
        maxBodyBytes: z
          .number()
          .int()
          .min(1024)
          .max(100 * 1024 * 1024)
          .default(DEFAULT_LIMITS.maxBodyBytes)
          .describe('Largest request body, bytes.'),
        maxBatch: z.number().int().min(1).max(1000).default(DEFAULT_LIMITS.maxBatch).describe('Most operations in one batched request.'),
      })
      .strict()
      .default(DEFAULT_LIMITS)
      .describe('What one request may ask (refused with QUERY_TOO_COMPLEX before any upstream call).'),
    /** The short-lived cache of upstream pages (successful reads), in process memory or, shared by the replicas, in Redis. */
    cache: z
      .object({
        /** How long a page is served again; 0 turns the cache off. */
        ttlSeconds: z.number().min(0).max(86_400).default(30).describe('How long a page is served again, seconds; 0 turns the cache off.'),
        /** Upper bound on the memory the cached pages take (in process; with Redis, its local layer takes at most 8 MiB of it). */
        maxMegabytes: z
          .number()
          .positive()
          .max(65_536)
          .default(64)
          .describe('Upper bound on the memory the cached pages take, MB (in process; with Redis, its local layer takes at most 8 MiB of it).'),
        /** Whole answers of queries kept per principal (graphql/response-cache.ts); only while pages are cached. */
        responseMilliseconds: z
          .int()
          .min(0)
          .max(60_000)
          .default(1_000)
          .describe(
            'Whole answers of queries are kept this long per principal and served again without executing, ms (0: off; off too while `ttlSeconds` is 0); never one with errors, one that asks for `fresh`, or a mutation, and a mutation clears them.',
          ),
        /** Keep the pages in Redis instead (core/redis-cache.ts); while it is unreachable nothing is cached. */
        redis: z
          .object({
            /** `redis://[:password@]host[:port][/db]`, or `rediss://` for TLS. */
            url: z
              .string()
              .refine(isRedisUrl, 'must be a redis:// or rediss:// URL')
              .meta({ examples: ['redis://:${REDIS_PASSWORD}@redis:6379/0'] })
              .describe('`redis://[:password@]host[:port][/db]`, or `rediss://` for TLS.'),
            /** Prepended to every key (`<prefix>page:<sha256>`). */
            keyPrefix: z.string().max(100).default('backupql:').describe('Prepended to every key (`<prefix>page:<sha256>`).'),
          })
          .strict()
          .optional()
          .describe('Keep the pages in Redis, shared by the replicas; while it is unreachable nothing is cached and queries go on.'),
      })
      .strict()
      .default({ ttlSeconds: 30, maxMegabytes: 64, responseMilliseconds: 1_000 })
      .describe('The short-lived cache of upstream pages (successful reads), in process memory or, shared by the replicas, in Redis.'),
    /** `/metrics`, `/health`, `/readiness` and the background collector of backup state. */
    operations: z
      .object({
        metrics: z.boolean().default(true).describe('Serve Prometheus metrics at `/metrics`.'),
        collectorIntervalSeconds: z
          .number()
          .min(0)
          .max(86_400)
          .default(300)
          .describe('How often the backup state (last success, coverage state, size) is read for `/metrics`, seconds; 0 turns the collector off.'),
        readinessCacheSeconds: z
          .number()
          .min(0)
          .max(3_600)
          .default(5)
          .describe('How long a `/readiness` report is served again before the sources are probed anew, seconds.'),
        probeTimeoutMs: z.number().int().min(100).max(60_000).default(5_000).describe("How long one source's readiness probe may take, ms."),
      })
      .strict()
      .default({ metrics: true, collectorIntervalSeconds: 300, readinessCacheSeconds: 5, probeTimeoutMs: 5_000 })
      .describe('`/metrics`, `/readiness` and the background collector of backup state (`/health` is always served).'),
    /** The mutations (start, cancel, delete backups): off unless enabled. */
    actions: z
      .object({
        enabled: z
          .boolean()
          .default(false)
          .describe('Accept the mutations (`startBackup`, `cancelBackup`, `deleteBackup`); off, they are refused with FORBIDDEN.'),
        idempotencyTtlSeconds: z
          .number()
          .int()
          .min(60)
          .max(7 * 86_400)
          .default(86_400)
          .describe("How long a `startBackup`'s outcome is kept for a retry with the same `idempotencyKey`, seconds (in Redis when `cache.redis` is set)."),
      })
      .strict()
      .default({ enabled: false, idempotencyTtlSeconds: 86_400 })
      .describe('The mutations (start, cancel, delete backups). Off unless enabled; with client authentication only the `operate` role may call them.'),
    /** Subscriptions: one poller per source feeds every subscriber. */
    live: z
      .object({
        fastIntervalSeconds: z.number().min(0.05).max(3_600).default(5).describe('How often a source is polled while one of its backups runs, seconds.'),
        slowIntervalSeconds: z
          .number()
          .min(0.05)
          .max(86_400)
          .default(60)
          .describe('How often a source is polled while nothing of it runs, seconds (never while nobody subscribes).'),
        maxSubscriptionsPerClient: z
          .number()
          .int()
          .min(1)
          .max(10_000)
          .default(20)
          .describe('Open subscriptions one client (API key, else address) may hold; more are refused with RATE_LIMITED.'),
        bufferPerSubscriber: z
          .number()
          .int()
          .min(1)
          .max(100_000)
          .default(256)
          .describe(
            'Events held for a subscriber that reads slowly: one per backup or target (the latest replaces the one before); past it the oldest are dropped.',
          ),
        leaseSeconds: z
          .number()
          .min(1)
          .max(3_600)
          .default(15)
          .describe("With Redis, how long a replica's claim to poll a source lasts unless renewed, seconds."),
      })
      .strict()
      .default({ fastIntervalSeconds: 5, slowIntervalSeconds: 60, maxSubscriptionsPerClient: 20, bufferPerSubscriber: 256, leaseSeconds: 15 })
      .describe('Subscriptions (`backupProgress`, `coverageChanged`): one poller per source (with Redis, one across the replicas), fast while something runs.'),
    /** The fleet snapshot: the fleet views answered from memory, refreshed in the background (src/snapshot/). */
    snapshot: z
      .object({
        enabled: z
          .boolean()
          .default(false)
          .describe(
            '`backupCoverage`, `backupTasks` (within `windowDays`) and the dashboard answer from a snapshot refreshed in the background by one refresher per source (with Redis, one across the replicas), instead of reading the upstreams per request.',
          ),
        windowDays: z
          .number()
          .positive()
          .max(90)
          .default(7)
          .describe('Backups kept per target: those that started within this many days (`backupTasks` reaching further back reads live).'),
        targetIntervalSeconds: z
          .number()
          .min(0.05)
          .max(86_400)
          .default(60)
          .describe("A target is read again at most this often, seconds (sooner only by `fresh: true`); the source's `refreshBudget` may make it slower."),
        fullRefreshMinutes: z
          .number()
          .min(1)
          .max(10_080)
          .default(60)
          .describe('A target is read incrementally (since its last read); its whole window and history again this often, minutes.'),
        listIntervalSeconds: z
          .number()
          .min(0.05)
          .max(86_400)
          .default(300)
          .describe("A source's targets are listed again this often, seconds (new ones appear, gone ones leave)."),
        batchSize: z
          .number()
          .int()
          .min(1)
          .max(200)
          .default(50)
          .describe('Targets a refresher reads in one operation (their source-wide reads, e.g. the obshell cluster overview, shared).'),
        tickSeconds: z.number().min(0.01).max(60).default(1).describe('How often a refresher looks for due targets and renews its lease, seconds.'),
        leaseSeconds: z
          .number()
          .min(1)
          .max(3_600)
          .default(15)
          .describe("With Redis, how long a replica's claim to refresh a source lasts unless renewed, seconds."),
        syncIntervalSeconds: z.number().min(0.05).max(60).default(1).describe('With Redis, how often a replica takes in what the others wrote, seconds.'),
        viewCacheMilliseconds: z
          .number()
          .int()
          .min(0)
          .max(60_000)
          .default(5_000)
          .describe(
            'A view (the ordered coverage list, the merged backups) is computed again at most this often while the snapshot changes or time passes, ms (ages are always the request’s own; a state may be this much behind).',
          ),
        responseCacheMilliseconds: z
          .number()
          .int()
          .min(0)
          .max(60_000)
          .default(1_000)
          .describe(
            'Answers of the fields the snapshot serves (backupCoverage, backupTasks, instances, fleetSnapshot) are kept this long per principal, ms (0: off); never one with errors or one that asks for `fresh`.',
          ),
        maxFreshTargets: z
          .number()
          .int()
          .min(1)
          .max(100)
          .default(20)
          .describe('Targets one `fresh: true` query may read live (its page); more are refused with BUDGET_EXCEEDED.'),
      })
      .strict()
      .prefault({})
      .describe(
        'The fleet snapshot: fleet views at a fixed upstream cost, whatever the number of viewers or targets. Off unless enabled (demo mode turns it on).',
      ),
    /** OpenTelemetry traces of operations and upstream calls, sent over OTLP/HTTP. Off by default. */
    tracing: z
      .object({
        enabled: z.boolean().default(false).describe('Send traces: one span per GraphQL operation, one per upstream attempt below it.'),
        endpoint: z
          .string()
          .url()
          .optional()
          .meta({ examples: ['http://otel-collector:4318/v1/traces'] })
          .describe("The OTLP/HTTP traces endpoint (default: the SDK's, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or http://localhost:4318/v1/traces)."),
        serviceName: z.string().min(1).max(100).default('backupql').describe('`service.name` of the spans.'),
      })
      .strict()
      .default({ enabled: false, serviceName: 'backupql' })
      .describe('OpenTelemetry tracing of operations and upstream calls. Off by default.'),
    sources: z
      .array(sourceConfigSchema)
      .min(1, 'must list at least one source')
      .describe('The upstreams to read, at least one; `provider:` picks the keys of each.'),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.sources.forEach((source, i) => {
      if (seen.has(source.name))
        ctx.addIssue({ code: 'custom', path: ['sources', i, 'name'], message: `"${source.name}" is used by another source; names must be unique` });
      seen.add(source.name);
    });
    config.auth?.apiKeys.forEach((key, i) => {
      key.sources?.forEach((name, j) => {
        if (!seen.has(name)) ctx.addIssue({ code: 'custom', path: ['auth', 'apiKeys', i, 'sources', j], message: `"${name}" names no configured source` });
      });
    });
  });

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export type Config = z.infer<typeof configSchema>;
/** A configuration as written (defaults not yet filled in), e.g. by the simulators' `config()`. */
export type ConfigInput = z.input<typeof configSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Configuration ${file} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads, substitutes and validates a configuration file. */
export async function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [`cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  const config = parseConfig(text, file, env);
  // A relative persisted-operations file is read from beside the configuration file.
  const persisted = config.server.persistedOperations;
  if (persisted && !isAbsolute(persisted.file)) persisted.file = resolve(dirname(file), persisted.file);
  return config;
}

/** Validates a configuration object (defaults filled in), as a file would be. */
export function checkConfig(value: unknown, file = 'configuration'): Config {
  const result = configSchema.safeParse(value);
  if (!result.success)
    throw new ConfigError(
      file,
      result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`),
    );
  return result.data;
}

export function parseConfig(text: string, file = 'configuration', env: NodeJS.ProcessEnv = process.env): Config {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError(file, [`is not valid YAML: ${(err as Error).message.split('\n')[0]}`]);
  }
  const problems: string[] = [];
  const substituted = substitute(raw, [], env, problems);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return checkConfig(substituted, file);
}

/** Replaces `${VAR}` in every string value (not in keys, and not in the YAML text itself). */
function substitute(value: unknown, path: PropertyKey[], env: NodeJS.ProcessEnv, problems: string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
      const found = env[name];
      if (found === undefined) {
        problems.push(`${formatPath(path)}: environment variable ${name} is not set`);
        return '';
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substitute(v, [...path, i], env, problems));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, [...path, k], env, problems)]));
  }
  return value;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}
