/** Shared fixtures for the Huawei tests: a fixed fleet, a simulator, clients, raw calls. */
import { createRequire } from 'node:module';
import { request } from 'undici';
import { UpstreamError } from '../../../src/core/errors.js';
import { AkSkAuth, TokenAuth, type HuaweiAuth } from '../../../src/providers/huawei/auth.js';
import { DcsClient } from '../../../src/providers/huawei/dcs-client.js';
import { RdsClient } from '../../../src/providers/huawei/rds-client.js';
import { fixedClock, type Clock } from '../../../src/lib/clock.js';
import { formatSdkDate } from '../../../src/providers/huawei/signer.js';
import { HttpTransport, type HttpResponse } from '../../../src/lib/http.js';
import { generateFleet, type Fleet } from '../../../src/simulators/fleet.js';
import { startHuaweiSimulator, type HuaweiSimulator, type HuaweiSimulatorOptions } from '../../../src/simulators/huawei/server.js';
import { rejectionOf } from '../../support/rejection.js';

/** 2024-10-12T02:00:00Z: the fleet's history ends here. */
export const FLEET_NOW = Date.UTC(2024, 9, 12, 2, 0, 0);
/** Simulator and clients share this clock, so signatures are checked against the same "now". */
export const CLOCK = fixedClock(FLEET_NOW);

export function fixedFleet(): Fleet {
  return generateFleet({ now: FLEET_NOW });
}

export interface Harness {
  fleet: Fleet;
  sim: HuaweiSimulator;
  transport: HttpTransport;
  project: Fleet['huawei']['projects'][number];
  aksk(overrides?: Partial<ConstructorParameters<typeof AkSkAuth>[0]>): AkSkAuth;
  token(value?: string): TokenAuth;
  dcs(auth?: HuaweiAuth, options?: { projectId?: string; endpoint?: string; transport?: HttpTransport }): DcsClient;
  rds(auth?: HuaweiAuth, options?: { projectId?: string; endpoint?: string; transport?: HttpTransport; clock?: Clock }): RdsClient;
  /** A GET through our transport with the given auth (default: token), answer returned as is. */
  raw(pathAndQuery: string, auth?: HuaweiAuth): Promise<HttpResponse>;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<HuaweiSimulatorOptions> = {}): Promise<Harness> {
  const fleet = fixedFleet();
  const sim = await startHuaweiSimulator({ account: fleet.huawei, clock: CLOCK, ...options });
  const transport = new HttpTransport({ timeoutMs: 5_000 });
  const project = fleet.huawei.projects[0]!;
  const account = fleet.huawei;
  const h: Harness = {
    fleet,
    sim,
    transport,
    project,
    aksk: (overrides = {}) =>
      new AkSkAuth({ accessKey: account.accessKey, secretKey: account.secretKey, projectId: project.projectId, clock: CLOCK, ...overrides }),
    token: (value = account.token) => new TokenAuth({ token: value }),
    dcs: (auth, o = {}) =>
      new DcsClient({
        source: 'hw-test',
        projectId: o.projectId ?? project.projectId,
        endpoint: o.endpoint ?? sim.url,
        auth: auth ?? h.aksk(),
        transport: o.transport ?? transport,
        clock: CLOCK,
      }),
    rds: (auth, o = {}) =>
      new RdsClient({
        source: 'hw-test',
        projectId: o.projectId ?? project.projectId,
        endpoint: o.endpoint ?? sim.url,
        auth: auth ?? h.aksk(),
        transport: o.transport ?? transport,
        clock: o.clock ?? CLOCK,
      }),
    raw: async (pathAndQuery, auth = h.token()) => {
      const url = new URL(sim.url + pathAndQuery);
      const headers: Record<string, string> = {};
      auth.authorize({ method: 'GET', url, headers, body: '' });
      return transport.send({ method: 'GET', url, headers });
    },
    close: async () => {
      await sim.close();
      await transport.close();
    },
  };
  return h;
}

/** The parsed JSON body of a raw answer. */
export function jsonOf(res: HttpResponse): Record<string, unknown> {
  return JSON.parse(res.text) as Record<string, unknown>;
}

/** Awaits a promise that must reject with an `UpstreamError`, and returns it. */
export function upstreamError(promise: Promise<unknown>): Promise<UpstreamError> {
  return rejectionOf(promise, UpstreamError);
}

/** Every string reachable from an error: own properties (enumerable or not), message, stack, JSON. */
export function everythingIn(err: unknown): string {
  const seen = new Set<unknown>();
  const out: string[] = [String(err)];
  const walk = (value: unknown, depth: number) => {
    if (depth > 6 || value === null || value === undefined || seen.has(value)) return;
    if (typeof value !== 'object' && typeof value !== 'function') {
      // A primitive here (objects and functions were walked above).
      // eslint-disable-next-line @typescript-eslint/no-base-to-string
      out.push(String(value));
      return;
    }
    seen.add(value);
    for (const key of Object.getOwnPropertyNames(value)) walk((value as Record<string, unknown>)[key], depth + 1);
  };
  walk(err, 0);
  try {
    out.push(JSON.stringify(err));
  } catch {
    // circular: the walk above covered it
  }
  return out.join('\n');
}

// ---- the official SDK's signer, as another implementation of the algorithm --------------------

interface SdkSigner {
  sign(
    request: { method: string; endpoint: string; queryParams: Record<string, unknown>; headers: Record<string, string>; data?: unknown },
    credential: { getAk(): string; getSk(): string },
  ): Record<string, string>;
}

const require = createRequire(import.meta.url);
export const AKSKSigner = (require('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner') as { AKSKSigner: SdkSigner }).AKSKSigner;

export function sdkCredential(ak: string, sk: string) {
  return { getAk: () => ak, getSk: () => sk };
}

/**
 * Signs `GET base+path?query` with the official SDK signer and returns the URL (query encoded with
 * `encodeURIComponent`, `+` as `%2B`) and the headers it produced, ready to send. The signing
 * time is the harness clock's (the SDK takes an `X-Sdk-Date` it is given instead of its own clock).
 */
export function sdkSignedGet(
  base: string,
  path: string,
  query: Record<string, string>,
  extraHeaders: Record<string, string>,
  ak: string,
  sk: string,
): { url: string; headers: Record<string, string> } {
  const headers = AKSKSigner.sign(
    { method: 'GET', endpoint: base + path, queryParams: query, headers: { ...extraHeaders, 'X-Sdk-Date': formatSdkDate(new Date(CLOCK.now())) } },
    sdkCredential(ak, sk),
  );
  const search = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return { url: `${base}${path}${search ? `?${search}` : ''}`, headers };
}

/** Sends a GET with undici directly (no transport, no client). */
export async function undiciGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; json: Record<string, unknown> | undefined }> {
  const res = await request(url, { method: 'GET', headers });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}
