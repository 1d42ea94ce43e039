/**
 * Shared pieces of the obshell tests: the fixed demo fleet, raw loopback requests with hand-built
 * auth headers (for the failures the client never produces), and error inspection.
 */
import { request } from 'undici';
import { expect } from 'vitest';
import { UpstreamError } from '../../../src/core/errors.js';
import { fixedClock } from '../../../src/lib/clock.js';
import { type HttpTransport } from '../../../src/lib/http.js';
import { parseJsonLossless } from '../../../src/lib/json.js';
import { buildAuthHeader, importAgentPublicKey } from '../../../src/providers/oceanbase/auth.js';
import { ObshellClient, type ObshellClientOptions } from '../../../src/providers/oceanbase/client.js';
import { generateFleet, type ObClusterSim } from '../../../src/simulators/fleet.js';
import type { ObshellSimulator } from '../../../src/simulators/obshell/server.js';

/** 2025-05-10T04:00:00Z: every test sees the same fleet, and simulators and clients share this clock. */
export const FIXED_NOW = Date.UTC(2025, 4, 10, 4, 0, 0);
export const CLOCK = fixedClock(FIXED_NOW);

/** ob-hangzhou: trade (running), billing (failed), analytics (never backed up), crm (completed). */
export function hangzhou(): ObClusterSim {
  return generateFleet({ now: FIXED_NOW }).oceanbase[0]!;
}

/** The same cluster with every backup history removed. */
export function withoutJobs(cluster: ObClusterSim): ObClusterSim {
  return { ...cluster, tenants: cluster.tenants.map((t) => ({ ...t, jobs: [] })) };
}

export function tenantOf(cluster: ObClusterSim, name: string) {
  const tenant = cluster.tenants.find((t) => t.row.tenant_name === name);
  if (!tenant) throw new Error(`no tenant ${name} in the fleet`);
  return tenant;
}

export function clientFor(sim: ObshellSimulator, transport: HttpTransport, options: Partial<ObshellClientOptions> = {}): ObshellClient {
  return new ObshellClient({ source: 'ob-test', url: sim.url, password: sim.cluster.password, transport, clock: CLOCK, ...options });
}

export function nowSeconds(): number {
  return Math.floor(CLOCK.now() / 1000);
}

/** An `X-OCS-Header` for `uri` under the simulator's current key (each field overridable). */
export function authHeader(sim: ObshellSimulator, uri: string, over: { password?: string; expiresAt?: number; uriInHeader?: string } = {}): string {
  return buildAuthHeader({
    password: over.password ?? sim.cluster.password,
    uri: over.uriInHeader ?? uri,
    expiresAt: over.expiresAt ?? nowSeconds() + 60,
    publicKey: importAgentPublicKey(sim.publicKeyBase64),
  }).header;
}

export interface RawAnswer {
  status: number;
  text: string;
  body: Record<string, unknown>;
  error: Record<string, unknown> | undefined;
}

/** A request over loopback, with exactly the headers given. */
export async function raw(
  sim: ObshellSimulator,
  pathAndQuery: string,
  headers: Record<string, string> = {},
  method: 'GET' | 'POST' = 'GET',
): Promise<RawAnswer> {
  const res = await request(sim.url + pathAndQuery, { method, headers });
  const text = await res.body.text();
  const body = (text === '' ? {} : parseJsonLossless(text)) as Record<string, unknown>;
  return { status: res.statusCode, text, body, error: body.error as Record<string, unknown> | undefined };
}

/** A request with a valid auth header for its own path and query. */
export function rawAuthed(sim: ObshellSimulator, pathAndQuery: string): Promise<RawAnswer> {
  return raw(sim, pathAndQuery, { 'X-OCS-Header': authHeader(sim, pathAndQuery) });
}

/** Awaits a rejection and checks it is an UpstreamError with these fields. */
export async function expectUpstreamError(promise: Promise<unknown>, fields: Partial<Record<keyof UpstreamError, unknown>>): Promise<UpstreamError> {
  const err = await promise.then(
    () => {
      throw new Error('expected an UpstreamError, got a value');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UpstreamError);
  expect(err).toMatchObject({ provider: 'OCEANBASE', source: 'ob-test', ...fields });
  return err as UpstreamError;
}

/** Every own property of an error and of its causes, as text (to search for secrets). */
export function everything(err: unknown, depth = 0): string {
  if (!(err instanceof Error) || depth > 5) return JSON.stringify(err, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) ?? '';
  const own = Object.getOwnPropertyNames(err).map((name) => {
    const value = (err as unknown as Record<string, unknown>)[name];
    return `${name}=${value instanceof Error ? everything(value, depth + 1) : JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`;
  });
  return own.join('\n');
}

/** The body a real current agent sends for an error (for `kind: 'status'` faults). */
export function currentErrorBody(status: number, errCode: string, message: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    successful: false,
    timestamp: '2025-05-10T12:00:00.123456789+08:00',
    duration: 3,
    status,
    traceId: 'feedc0de12345678',
    ...extra,
    error: { errCode, message },
  });
}
