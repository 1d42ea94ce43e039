/**
 * The gateway: graphql-yoga serving the schema over the configured sources, with GraphiQL
 * served fully offline, errors mapped per contract §6, and operations deeper than 15 refused.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createYoga, type CORSOptions, type GraphiQLOptions, type GraphiQLOptionsOrFactory, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { checkConfig, type Config, type ConfigInput } from './config.js';
import { MemoryPageCache } from './core/cache.js';
import { RedisPageCache } from './core/redis-cache.js';
import { Fleet } from './fleet/fleet.js';
import { systemClock, type Clock } from './lib/clock.js';
import { Authenticator, OPEN_ACCESS, useAuth, useRoles, type Principal } from './graphql/auth.js';
import { createContext, requestIdOf, type GraphQLContext } from './graphql/context.js';
import { DASHBOARD_DIR, useDashboard } from './graphql/dashboard.js';
import { maskError, usePartialErrors, yogaLogger } from './graphql/errors.js';
import { exampleTabs } from './graphql/examples.js';
import { bodyRefusal, useArmor, useBodyLimit, useQueryCost, useRequestErrors } from './graphql/limits.js';
import { loadPersistedOperations, usePersisted } from './graphql/persisted.js';
import { buildSchema } from './graphql/schema.js';
import { BackupStateCollector } from './ops/collector.js';
import { Metrics } from './ops/metrics.js';
import { useOperationMetrics, useOpsEndpoints, useRequestId } from './ops/plugin.js';
import { Readiness } from './ops/readiness.js';
import { Tracing, useTracing } from './ops/tracing.js';
import { createIdCodec, createSources, FILTERABLE_ID_TYPES } from './providers/index.js';
import { Redis } from 'ioredis';
import { IdempotencyStore, MemoryIdempotencyBackend, RedisIdempotencyBackend } from './core/idempotency.js';
import { ActionService } from './graphql/actions.js';
import type { Services } from './graphql/context.js';
import { LiveHub } from './live/hub.js';
import { SnapshotService } from './snapshot/service.js';
import { useGatewayResponseCache } from './graphql/response-cache.js';
import { serveWebSocket, type WebSocketInitialContext } from './graphql/websocket.js';
import type { IncomingMessage } from 'node:http';

export interface GatewayOptions {
  /** The stack's one notion of "now" (default: the system clock). Tests pass a fixed one. */
  clock?: Clock;
  /** GraphiQL's title; its tabs are the example operations, their times from `clock` at each page load. */
  graphiqlTitle?: string;
  /** An instance with many backups for the paging example (demo mode knows one). */
  exampleInstanceId?: string;
  /** Where spans go when `tracing.enabled` (tests: an in-memory exporter); default OTLP/HTTP. */
  traceExporter?: SpanExporter;
}

export interface Gateway {
  clock: Clock;
  yoga: YogaServerInstance<Record<string, never>, GraphQLContext>;
  fleet: Fleet;
  config: Config;
  /** The Prometheus registry's owner (null when `operations.metrics` is off). */
  metrics: Metrics | null;
  /** The background pass that turns the backup state into metrics (null when off). */
  collector: BackupStateCollector | null;
  /** The subscriptions' pollers and pub/sub. */
  live: LiveHub;
  /** The fleet snapshot, when `snapshot.enabled` (refreshing from the gateway's creation on). */
  snapshot: SnapshotService | null;
  /** Starts an HTTP server on the port (0: ephemeral); returns the GraphQL endpoint URL. */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** `input`: a configuration as parsed from a file (`loadConfigFile`) or written by hand (checked here). */
export function createGateway(input: Config | ConfigInput, options: GatewayOptions = {}): Gateway {
  const config = checkConfig(input);
  const clock = options.clock ?? systemClock;
  const cacheTtlMs = config.cache.ttlSeconds * 1000;
  const { redis, maxMegabytes } = config.cache;
  let sources: ReturnType<typeof createSources> = [];
  const metrics = config.operations.metrics ? new Metrics(() => sources) : null;
  // Hits and misses are counted by the upstream path (whichever the cache); Redis adds its failures.
  const cache =
    cacheTtlMs <= 0
      ? null
      : redis
        ? new RedisPageCache({
            url: redis.url,
            keyPrefix: redis.keyPrefix,
            localMaxBytes: Math.min(8, maxMegabytes) * 1024 * 1024,
            ...(metrics ? { onError: (op: 'get' | 'set') => metrics.redisErrors.inc({ op }) } : {}),
          })
        : new MemoryPageCache({ clock, maxBytes: maxMegabytes * 1024 * 1024 });
  const tracing = config.tracing.enabled ? new Tracing(config.tracing, options.traceExporter) : null;
  sources = createSources(config.sources, {
    clock,
    cache,
    cacheTtlMs,
    ...(metrics ? { observer: metrics } : {}),
    ...(tracing ? { tracer: tracing.tracer } : {}),
  });
  const fleet = new Fleet(sources, createIdCodec(), config.fleet, clock, FILTERABLE_ID_TYPES);
  const graphiql: GraphiQLOptionsOrFactory<Record<string, never>> =
    config.server.graphiql === false
      ? false
      : (): GraphiQLOptions => ({
          title: options.graphiqlTitle ?? 'backupql',
          defaultTabs: exampleTabs({ now: clock.now(), ...(options.exampleInstanceId ? { exampleInstanceId: options.exampleInstanceId } : {}) }),
        });
  const endpoint = '/graphql';
  const authenticator = new Authenticator(config.auth, clock);
  const principals = new WeakMap<Request, Principal>();
  const requestIds = new WeakMap<Request, string>();
  const persisted = config.server.persistedOperations;
  const access: Plugin[] = [
    useAuth(authenticator, principals, endpoint),
    ...(config.server.csrfPrevention ? [useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'x-backupql-csrf'] })] : []),
    ...(persisted ? usePersisted(loadPersistedOperations(persisted.file), persisted.only) : []),
    useRoles((context) => (context as GraphQLContext).principal),
  ];
  if (metrics) fleet.batchObserver = (loader, size) => metrics.batch(loader, size);
  const schema = buildSchema();
  const readiness = new Readiness(fleet, { cacheMs: config.operations.readinessCacheSeconds * 1000, timeoutMs: config.operations.probeTimeoutMs });
  const snapshot = config.snapshot.enabled ? createSnapshot(config, fleet, metrics) : null;
  const collector = metrics && config.operations.collectorIntervalSeconds > 0 ? new BackupStateCollector(schema, fleet, metrics, snapshot) : null;
  // Idempotency keys and live events: in Redis when one is configured (shared by the replicas), else here.
  const actionsRedis = redis ? new Redis(redis.url, { maxRetriesPerRequest: 1, connectTimeout: 2_000, lazyConnect: false }) : null;
  actionsRedis?.on('error', () => undefined);
  const idempotency = new IdempotencyStore(
    actionsRedis ? new RedisIdempotencyBackend(actionsRedis, `${redis!.keyPrefix}idempotency:`) : new MemoryIdempotencyBackend(clock),
    { ttlMs: config.actions.idempotencyTtlSeconds * 1000 },
  );
  const live = new LiveHub(
    fleet,
    {
      fastMs: config.live.fastIntervalSeconds * 1000,
      slowMs: config.live.slowIntervalSeconds * 1000,
      maxSubscriptionsPerClient: config.live.maxSubscriptionsPerClient,
      bufferPerSubscriber: config.live.bufferPerSubscriber,
      leaseMs: config.live.leaseSeconds * 1000,
    },
    redis ? { url: redis.url, keyPrefix: redis.keyPrefix } : null,
    metrics?.live,
  );
  const actions = new ActionService({
    enabled: config.actions.enabled,
    idempotency,
    ...(metrics ? { count: (action, source, provider, outcome) => metrics.actions.inc({ action, source, provider, outcome }) } : {}),
    acted: (source) => live.nudge(source),
  });
  const servicesFor = (principal: Principal, address: string | undefined): Services => ({
    actions,
    live,
    // Per-client limits: a credential is one client; with the API open, an address is.
    clientKey: principal.via === 'open' ? `address:${address ?? 'unknown'}` : `principal:${principal.name}`,
  });
  const responseCache = useGatewayResponseCache({
    ttlMs: cacheTtlMs > 0 ? config.cache.responseMilliseconds : 0,
    snapshotTtlMs: snapshot ? config.snapshot.responseCacheMilliseconds : null,
    maxEntries: 1_000,
    maxBytes: 16 * 1024 * 1024,
    clock,
    principals,
    authEnabled: authenticator.enabled,
    ...(metrics ? { observe: (event: 'hit' | 'stored') => metrics.responseCache(event) } : {}),
  });
  const yoga = createYoga<Record<string, never>, GraphQLContext>({
    schema,
    graphqlEndpoint: endpoint,
    context: (initial) => {
      // An operation over WebSocket: its connection was authenticated when it opened (graphql/websocket.ts).
      const ws = (initial as unknown as Partial<WebSocketInitialContext>).websocket;
      if (ws) return createContext(fleet, ws.principal, undefined, undefined, servicesFor(ws.principal, ws.address), snapshot);
      const { request } = initial;
      const req = (initial as unknown as { req?: IncomingMessage }).req;
      const principal = principals.get(request) ?? (authenticator.enabled ? DENIED : OPEN_ACCESS);
      const context = createContext(fleet, principal, request.signal, requestIdOf(request), servicesFor(principal, req?.socket.remoteAddress), snapshot);
      requestIds.set(request, context.op.requestId);
      return context;
    },
    cors: corsOptions(config),
    graphiql,
    renderGraphiQL,
    // Never development-style errors (original messages, stacks) to clients, whatever NODE_ENV says.
    maskedErrors: { maskError, isDev: false },
    logging: yogaLogger,
    landingPage: false,
    batching: { limit: config.limits.maxBatch },
    // Bodies are limited before yoga reads them: the HTTP server refuses one that does not state
    // its length or states more than `limits.maxBodyBytes` (Node's parser ends a body at its
    // Content-Length), and useBodyLimit does the same for yoga.fetch. Yoga's own limit would pipe
    // every body through a TransformStream again (a few per cent of a cached answer's cost).
    maxRequestBodySize: false,
    plugins: [
      useOpsEndpoints({ metrics, readiness }),
      useDashboard(DASHBOARD_DIR),
      useRequestId(requestIds),
      ...(tracing ? [useTracing(tracing.tracer)] : []),
      ...(metrics ? [useOperationMetrics(metrics)] : []),
      useBodyLimit(config.limits),
      useRequestErrors(config.limits),
      ...access,
      useArmor(config.limits),
      useQueryCost(config.limits),
      usePartialErrors(),
      ...responseCache.plugins,
    ],
  });

  let server: Server | undefined;
  let websocket: { close(): Promise<void> } | undefined;
  return {
    clock,
    yoga,
    fleet,
    config,
    metrics,
    collector,
    live,
    snapshot,
    async listen(port, host) {
      // The backup-state collector runs while the gateway serves.
      collector?.start(config.operations.collectorIntervalSeconds * 1000);
      server = createServer((req, res) => {
        // Bodies must say how long they are, and be no longer than the limit: refused before they are read.
        const refusal = bodyRefusal(req.method, req.headers['content-length'], req.headers['transfer-encoding'], config.limits);
        if (refusal) {
          res.writeHead(refusal.status, { 'content-type': 'application/json', connection: 'close' });
          res.end(JSON.stringify({ errors: [refusal.error] }));
          req.destroy();
          return;
        }
        yoga.requestListener(req, res);
      });
      websocket = serveWebSocket(server, yoga, authenticator, config.server.cors?.origins ?? null);
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, host, () => resolve());
      });
      const address = server.address() as AddressInfo;
      const shown = host && host !== '0.0.0.0' && host !== '::' ? host : 'localhost';
      return `http://${shown}:${address.port}/graphql`;
    },
    async close() {
      await websocket?.close();
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server!.close(() => resolve()));
      }
      collector?.stop();
      await snapshot?.close();
      await live.close();
      await idempotency.close();
      await actionsRedis?.quit().catch(() => undefined);
      await fleet.close();
      await tracing?.shutdown();
      if (cache instanceof RedisPageCache) await cache.close();
    },
  };
}

/** The fleet snapshot of `config.snapshot`, its refreshers started (in Redis with `cache.redis`). */
function createSnapshot(config: Config, fleet: Fleet, metrics: Metrics | null): SnapshotService {
  const c = config.snapshot;
  const redis = config.cache.redis;
  const budgets = new Map(config.sources.map((s) => [s.name, s.refreshBudget]));
  const snapshot = new SnapshotService(
    fleet,
    {
      windowMs: c.windowDays * 86_400_000,
      targetIntervalMs: c.targetIntervalSeconds * 1000,
      fullRefreshMs: c.fullRefreshMinutes * 60_000,
      listIntervalMs: c.listIntervalSeconds * 1000,
      batchSize: c.batchSize,
      leaseMs: c.leaseSeconds * 1000,
      tickMs: c.tickSeconds * 1000,
      syncMs: c.syncIntervalSeconds * 1000,
      viewCacheMs: c.viewCacheMilliseconds,
      maxFreshTargets: c.maxFreshTargets,
    },
    (source) => {
      const b = budgets.get(source)!;
      return { callsPerMinute: b.callsPerMinute, burst: b.burst ?? Math.max(1, Math.ceil(b.callsPerMinute)) };
    },
    redis ? { url: redis.url, keyPrefix: redis.keyPrefix } : null,
    metrics?.snapshot,
  );
  if (metrics)
    metrics.snapshotAges = () =>
      snapshot.status(fleet.operation(undefined, null)).map((s) => ({ source: s.source, oldestReadAt: s.oldestReadAt?.getTime() ?? null }));
  void snapshot.start();
  return snapshot;
}

/** Never reached (every request to the endpoint is authenticated first); sees nothing if it were. */
const DENIED: Principal = { name: 'unauthenticated', via: 'open', role: 'read', sources: [] };

/**
 * CORS: the configured origins; without any, every origin when the API is open (yoga's default)
 * and none (same origin only) when it is authenticated.
 */
function corsOptions(config: Config): CORSOptions | false | undefined {
  const cors = config.server.cors;
  if (cors)
    return {
      origin: cors.origins,
      credentials: cors.credentials,
      methods: ['GET', 'POST'],
      allowedHeaders: ['content-type', 'authorization', 'x-backupql-csrf'],
    };
  return config.auth ? false : undefined;
}
