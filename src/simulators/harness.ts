/**
 * The HTTP machinery every upstream simulator shares: routing with path parameters, the knobs
 * tests and benchmarks turn (added latency, faults per route), a call log, and in-flight counters.
 * The knobs are methods for in-process use and `/__sim/*` endpoints for another process.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { systemClock, type Clock } from '../lib/clock.js';

export interface SimRequest {
  method: string;
  /** The request target exactly as sent (path and `?query`, still percent-encoded): Go's RequestURI. */
  rawUrl: string;
  /** The path as sent, still percent-encoded. */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Path parameters of the matched route, percent-decoded. */
  params: Record<string, string>;
  /** Name of the matched route. */
  route: string;
  /** When the request arrived, by the simulator's clock (epoch ms). */
  receivedAt: number;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface RouteDef {
  /** Stable name used by the call log and by fault matching, e.g. `dcs.listBackups`. */
  name: string;
  method: string;
  /** Path pattern with `:param` segments, e.g. `/v2/:project_id/instances/:instance_id/backups`. */
  pattern: string;
  handle(req: SimRequest): SimResponse | Promise<SimResponse>;
}

export type FaultAction =
  /** Answer with this status and body instead of running the route. */
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  /** Answer 200 with a body that is not valid JSON. */
  | { kind: 'malformed' }
  /** Run the route, announce its full Content-Length, send half of the body and close. */
  | { kind: 'truncated' }
  /** Close the connection without answering. */
  | { kind: 'reset' }
  /** Answer nothing for `ms` milliseconds (then run the route), or never when `ms` is absent. */
  | { kind: 'stall'; ms?: number }
  /**
   * Run the route, then change its answer as another version of the server might: every match of
   * `pattern` (a regular expression, global) in the body replaced by `replacement` (with `$1`…),
   * and `headers` set over the route's (e.g. another content type).
   */
  | { kind: 'rewrite'; pattern?: string; replacement?: string; headers?: Record<string, string> };

export type FaultSpec = FaultAction & {
  /** Route name to match; absent or `*` matches every route. */
  route?: string;
  /** Path parameters that must all be equal for the fault to apply, e.g. `{ instance_id: '…' }`. */
  params?: Record<string, string>;
  /** Query parameters that must all be equal for the fault to apply (RDS names its instance in the query). */
  query?: Record<string, string>;
  /** Apply this many times, then remove the fault. Absent: until cleared. */
  times?: number;
};

export interface CallRecord {
  /** Order of arrival, across every simulator of the process. */
  seq: number;
  /** Route name, or null when no route matched (the simulator answered 404). */
  route: string | null;
  method: string;
  /** The path as sent, percent-encoded. */
  path: string;
  query: Record<string, string>;
  params: Record<string, string>;
  status: number | null;
  /** The fault applied instead of (or on top of) the route, if any. */
  fault?: FaultAction['kind'];
  /** Arrival by the simulator's clock (epoch ms); with a fixed clock, `seq` orders calls. */
  startedAt: number;
  durationMs: number | null;
  /** The request's `Content-Type`, if any (the official SDKs send one even on GETs). */
  contentType?: string;
  /** The names of the headers sent, lower-cased (values are not kept: some carry credentials). */
  headerNames: string[];
}

export interface SimServerOptions {
  name: string;
  routes: RouteDef[];
  /** Answer for requests no route matches. */
  notFound: (req: SimRequest) => SimResponse;
  /** How long after a request arrives its answer leaves, at the least (the handling within it). */
  latencyMs?: number;
  /** The stack's clock: `receivedAt` (what auth timestamps are checked against). Default: the system clock. */
  clock?: Clock;
  /**
   * Runs before each request is answered (after holding, before faults and the route):
   * the simulators bring their backups in progress up to the clock's "now" here (progress.ts).
   */
  beforeRequest?: () => void;
}

interface Compiled {
  def: RouteDef;
  segments: string[];
}

interface ActiveFault {
  id: number;
  spec: FaultSpec;
  remaining: number;
}

/** Shared by every simulator in the process, so call logs of several simulators interleave in order. */
let callSeq = 0;

export class SimServer {
  readonly name: string;
  latencyMs: number;
  /** Every call received, in order of arrival; admin (`/__sim/*`) calls are not logged. */
  readonly calls: CallRecord[] = [];
  private readonly routes: Compiled[];
  private readonly notFound: SimServerOptions['notFound'];
  private readonly beforeRequest: (() => void) | undefined;
  readonly clock: Clock;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private faults: ActiveFault[] = [];
  private nextFaultId = 1;
  private active = 0;
  private peak = 0;
  private holding = false;
  private held: (() => void)[] = [];
  private baseUrl: string | null = null;

  constructor(options: SimServerOptions) {
    this.name = options.name;
    this.latencyMs = options.latencyMs ?? 0;
    this.notFound = options.notFound;
    this.clock = options.clock ?? systemClock;
    this.beforeRequest = options.beforeRequest;
    this.routes = options.routes.map((def) => ({ def, segments: def.pattern.split('/') }));
    this.server = createServer((req, res) => {
      void this.dispatch(req, res);
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get url(): string {
    if (!this.baseUrl) throw new Error(`${this.name} simulator is not listening`);
    return this.baseUrl;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    this.baseUrl = `http://${host}:${address.port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    this.holding = false;
    this.release();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.baseUrl = null;
  }

  // ---- knobs -------------------------------------------------------------------------------

  /**
   * Holding: every request that arrives waits (recorded, unanswered) until `release()`. Tests count
   * an operation's rounds of dependent calls this way: what the gateway sends while nothing is
   * answered is one round.
   */
  hold(on: boolean): void {
    this.holding = on;
    if (!on) this.release();
  }

  /** Lets every held request go on; returns how many there were. */
  release(): number {
    const held = this.held;
    this.held = [];
    for (const go of held) go();
    return held.length;
  }

  get heldCount(): number {
    return this.held.length;
  }

  /** Adds a fault; returns its id for `removeFault`. */
  addFault(spec: FaultSpec): number {
    const id = this.nextFaultId++;
    this.faults.push({ id, spec, remaining: spec.times ?? Number.POSITIVE_INFINITY });
    return id;
  }

  removeFault(id: number): void {
    this.faults = this.faults.filter((f) => f.id !== id);
  }

  clearFaults(): void {
    this.faults = [];
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  /** Calls received by the named route (all calls when no name is given). */
  callsTo(route?: string): CallRecord[] {
    return route === undefined ? [...this.calls] : this.calls.filter((c) => c.route === route);
  }

  /** Requests being handled right now, and the most at once since the last `resetStats`. */
  get stats(): { inFlight: number; maxInFlight: number } {
    return { inFlight: this.active, maxInFlight: this.peak };
  }

  resetStats(): void {
    this.peak = this.active;
  }

  // ---- request handling ----------------------------------------------------------------------

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const qIndex = rawUrl.indexOf('?');
    const rawPath = qIndex === -1 ? rawUrl : rawUrl.slice(0, qIndex);
    const query = new URLSearchParams(qIndex === -1 ? '' : rawUrl.slice(qIndex + 1));
    const body = await readBody(req);
    const method = (req.method ?? 'GET').toUpperCase();

    if (rawPath.startsWith('/__sim/')) {
      this.admin(method, rawPath, body, res);
      return;
    }

    const matched = this.match(method, rawPath);
    const simReq: SimRequest = {
      method,
      rawUrl,
      rawPath,
      query,
      headers: req.headers,
      body,
      params: matched?.params ?? {},
      route: matched?.def.name ?? '',
      receivedAt: this.clock.now(),
    };
    const startedPerf = performance.now();
    const record: CallRecord = {
      seq: ++callSeq,
      route: matched?.def.name ?? null,
      method,
      path: rawPath,
      query: Object.fromEntries(query),
      params: simReq.params,
      status: null,
      startedAt: simReq.receivedAt,
      durationMs: null,
      ...(req.headers['content-type'] !== undefined ? { contentType: req.headers['content-type'] } : {}),
      headerNames: Object.keys(req.headers),
    };
    this.calls.push(record);
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    let finished = false;
    const finish = (status: number | null) => {
      if (finished) return;
      finished = true;
      this.active--;
      record.status = status;
      record.durationMs = Math.round(performance.now() - startedPerf);
    };
    res.on('close', () => finish(record.status));

    try {
      if (this.holding) await new Promise<void>((go) => this.held.push(go));
      // The answer leaves `latencyMs` after the request came (or once it is ready, if later): the
      // simulator's own work falls within that time, as a remote server's does on its own machine.
      const due = performance.now() + this.latencyMs;
      const answerAt = async () => {
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
      };
      this.beforeRequest?.();
      const fault = matched ? this.takeFault(matched.def.name, matched.params, query) : undefined;
      if (fault) record.fault = fault.kind;

      if (fault?.kind === 'reset') {
        await answerAt();
        finish(null);
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'stall') {
        if (fault.ms === undefined) return; // never answers; the socket is destroyed on close()
        await answerAt();
        await sleep(fault.ms);
      }
      if (fault?.kind === 'status') {
        await answerAt();
        const headers = { 'content-type': 'application/json', ...fault.headers };
        send(res, { status: fault.status, headers, body: fault.body ?? '' });
        finish(fault.status);
        return;
      }

      const response = matched ? await matched.def.handle(simReq) : this.notFound(simReq);
      await answerAt();
      if (fault?.kind === 'malformed') {
        send(res, { status: 200, headers: { 'content-type': 'application/json' }, body: '{"successful":true,"data":{"contents":[{"id":' });
        finish(200);
        return;
      }
      if (fault?.kind === 'truncated') {
        const full = Buffer.from(response.body ?? '', 'utf8');
        res.writeHead(response.status, { ...response.headers, 'content-length': String(Math.max(full.length, 2)) });
        res.write(full.subarray(0, Math.floor(full.length / 2)));
        finish(response.status);
        setTimeout(() => req.socket.destroy(), 5);
        return;
      }
      if (fault?.kind === 'rewrite') {
        const body =
          fault.pattern === undefined ? (response.body ?? '') : (response.body ?? '').replace(new RegExp(fault.pattern, 'g'), fault.replacement ?? '');
        send(res, { ...response, headers: { ...response.headers, ...fault.headers }, body });
        finish(response.status);
        return;
      }
      send(res, response);
      finish(response.status);
    } catch (err) {
      send(res, { status: 500, headers: { 'content-type': 'text/plain' }, body: `simulator error: ${String(err)}` });
      finish(500);
    }
  }

  private match(method: string, rawPath: string): { def: RouteDef; params: Record<string, string> } | undefined {
    const parts = rawPath.split('/');
    for (const route of this.routes) {
      if (route.def.method !== method || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const pattern = route.segments[i]!;
        const actual = parts[i]!;
        if (pattern.startsWith(':')) {
          const decoded = safeDecode(actual);
          if (decoded === undefined || decoded === '') ok = false;
          else params[pattern.slice(1)] = decoded;
        } else if (pattern !== actual) {
          ok = false;
        }
      }
      if (ok) return { def: route.def, params };
    }
    return undefined;
  }

  private takeFault(route: string, params: Record<string, string>, query: URLSearchParams): FaultAction | undefined {
    const found = this.faults.find(
      (f) =>
        (f.spec.route === undefined || f.spec.route === '*' || f.spec.route === route) &&
        Object.entries(f.spec.params ?? {}).every(([k, v]) => params[k] === v) &&
        Object.entries(f.spec.query ?? {}).every(([k, v]) => query.get(k) === v),
    );
    if (!found) return undefined;
    found.remaining--;
    if (found.remaining <= 0) this.removeFault(found.id);
    return found.spec;
  }

  private admin(method: string, path: string, body: Buffer, res: ServerResponse): void {
    const json = (status: number, value: unknown) => send(res, { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
    try {
      if (path === '/__sim/calls' && method === 'GET') return json(200, { calls: this.calls });
      if (path === '/__sim/calls' && method === 'DELETE') {
        this.clearCalls();
        return json(200, { ok: true });
      }
      if (path === '/__sim/faults' && method === 'POST') return json(200, { id: this.addFault(JSON.parse(body.toString('utf8')) as FaultSpec) });
      if (path === '/__sim/faults' && method === 'DELETE') {
        this.clearFaults();
        return json(200, { ok: true });
      }
      if (path === '/__sim/latency' && method === 'PUT') {
        const ms = Number((JSON.parse(body.toString('utf8')) as { ms?: unknown }).ms);
        if (!Number.isFinite(ms) || ms < 0) return json(400, { error: 'ms must be a non-negative number' });
        this.latencyMs = ms;
        return json(200, { ok: true });
      }
      if (path === '/__sim/stats' && method === 'GET') return json(200, this.stats);
      return json(404, { error: 'unknown simulator admin endpoint' });
    } catch (err) {
      return json(400, { error: String(err) });
    }
  }
}

function send(res: ServerResponse, response: SimResponse): void {
  const body = response.body ?? '';
  const headers: Record<string, string> = { ...response.headers };
  if (response.status !== 204) headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(response.status, headers);
  res.end(response.status === 204 ? undefined : body);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
