/**
 * The whole stack for GraphQL tests: the simulated fleet on loopback HTTP (real auth) and the
 * gateway in process, queried through `yoga.fetch`.
 */
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ExecutionResult } from 'graphql';
import type { ConfigInput } from '../../src/config.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { fixedClock, type Clock } from '../../src/lib/clock.js';
import { startFleetSimulators, type FleetSimulators } from '../../src/simulators/index.js';
import type { FleetSize } from '../../src/simulators/fleet.js';
import type { CallRecord } from '../../src/simulators/harness.js';

/**
 * The stack's "now": the fleet, the gateway's time windows, auth timestamps and GraphiQL's example
 * variables all read this one clock, so every run sees the same answers whatever the calendar says.
 */
export const FIXED_NOW = Date.parse('2026-11-22T03:00:00.000Z');
export const FIXED_CLOCK: Clock = fixedClock(FIXED_NOW);

/** The generated fleet the fleet-wide views are tested on: 3 sources × 40 targets (1 cluster of 40 user tenants, 2 projects of 20 DCS + 20 RDS). */
export const SIZE_3X40: FleetSize = { clusters: 1, tenantsPerCluster: 40, projects: 2, dcsPerProject: 20, rdsPerProject: 20, historyDays: 30 };

export interface Stack {
  sims: FleetSimulators;
  gateway: Gateway;
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<ExecutionResult<T>>;
  /** Every upstream call the simulators received, in order, with which simulator received it. */
  calls(): (CallRecord & { server: string })[];
  clearCalls(): void;
  clearFaults(): void;
  close(): Promise<void>;
}

export interface StackOptions {
  configure?: (config: ConfigInput) => ConfigInput;
  credentials?: 'aksk' | 'token';
  clock?: Clock;
  /**
   * The page cache (`cache.ttlSeconds` 30). Off unless asked for, so a test that counts upstream
   * calls sees every call its operation makes; tests of the cache turn it on.
   */
  cache?: boolean;
  /** A generated fleet of this size instead of the demo fleet. */
  size?: FleetSize;
  /** Where the gateway's spans go when the configuration turns tracing on. */
  traceExporter?: SpanExporter;
  /** How long a backup started through the simulators takes (their default: 60 s of the stack's clock). */
  backupDurationMs?: number;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const clock = options.clock ?? FIXED_CLOCK;
  const sims = await startFleetSimulators({
    clock,
    ...(options.size ? { size: options.size } : {}),
    ...(options.backupDurationMs === undefined ? {} : { backupDurationMs: options.backupDurationMs }),
  });
  // The backup-state collector is off unless a test turns it on (it would add upstream calls to every count).
  const base: ConfigInput = {
    ...sims.config({ credentials: options.credentials ?? 'aksk' }),
    cache: { ttlSeconds: options.cache ? 30 : 0 },
    operations: { collectorIntervalSeconds: 0 },
  };
  const gateway = createGateway(options.configure ? options.configure(base) : base, {
    clock,
    ...(options.traceExporter ? { traceExporter: options.traceExporter } : {}),
  });
  const servers = [...sims.obshell.map((s) => s.server), sims.huawei.server];
  return {
    sims,
    gateway,
    async query<T>(query: string, variables?: Record<string, unknown>) {
      const res = await gateway.yoga.fetch('http://backupql.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as ExecutionResult<T>;
    },
    calls: () => servers.flatMap((s, i) => s.calls.map((c) => ({ ...c, server: `${s.name}#${i}` }))).sort((a, b) => a.seq - b.seq),
    clearCalls: () => servers.forEach((s) => s.clearCalls()),
    clearFaults: () => servers.forEach((s) => s.clearFaults()),
    async close() {
      await gateway.close();
      await sims.close();
    },
  };
}

/** Throws with the errors when a result has any: for queries expected to succeed. */
export function ok<T>(result: ExecutionResult<T>): T {
  if (result.errors?.length) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
  return result.data as T;
}
