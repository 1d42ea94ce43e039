import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpTransport, TransportError } from '../../src/lib/http.js';
import { SimServer, sleep } from '../../src/simulators/harness.js';

/** When the `echo.flag` route last ran (`performance.now()`). */
let flagHandledAt = 0;

/** A small simulator that echoes what it received, to test the shared knobs themselves. */
function echoServer(): SimServer {
  return new SimServer({
    name: 'echo',
    routes: [
      {
        name: 'echo.item',
        method: 'GET',
        pattern: '/items/:id',
        handle: (req) => ({
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: req.params.id, q: req.query.get('q'), padding: 'x'.repeat(200) }),
        }),
      },
      {
        name: 'echo.flag',
        method: 'GET',
        pattern: '/flag',
        handle: () => {
          flagHandledAt = performance.now();
          return { status: 200, body: '{}' };
        },
      },
      {
        name: 'echo.slow',
        method: 'GET',
        pattern: '/slow',
        handle: async () => {
          await sleep(40);
          return { status: 200, body: '{}' };
        },
      },
    ],
    notFound: () => ({ status: 404, body: '{"error":"no route"}' }),
  });
}

describe('simulator harness', () => {
  const sim = echoServer();
  const http = new HttpTransport({ maxConcurrency: 4, timeoutMs: 300 });
  let url: string;
  const get = (path: string) => http.send({ method: 'GET', url: new URL(path, url) });

  beforeAll(async () => {
    url = await sim.listen();
  });
  afterAll(async () => {
    await http.close();
    await sim.close();
  });
  beforeEach(() => {
    sim.clearFaults();
    sim.clearCalls();
    sim.latencyMs = 0;
  });

  it('routes with decoded path parameters and logs every call in order', async () => {
    const res = await get('/items/a%20b?q=1');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ id: 'a b', q: '1' });
    await get('/nowhere');
    expect(sim.calls.map((c) => [c.route, c.path, c.status])).toEqual([
      ['echo.item', '/items/a%20b', 200],
      [null, '/nowhere', 404],
    ]);
    expect(sim.calls[0]!.params).toEqual({ id: 'a b' });
    expect(sim.calls[0]!.query).toEqual({ q: '1' });
    expect(sim.calls[1]!.seq).toBeGreaterThan(sim.calls[0]!.seq);
  });

  it('answers a status fault only for matching params, and only `times` times', async () => {
    sim.addFault({ route: 'echo.item', params: { id: 'bad' }, kind: 'status', status: 503, body: '{"e":1}', times: 2 });
    expect((await get('/items/good')).status).toBe(200);
    expect((await get('/items/bad')).status).toBe(503);
    expect((await get('/items/bad')).text).toBe('{"e":1}');
    expect((await get('/items/bad')).status).toBe(200);
    expect(sim.calls.map((c) => c.fault ?? null)).toEqual([null, 'status', 'status', null]);
  });

  it('serves a malformed body with a 200', async () => {
    sim.addFault({ route: 'echo.item', kind: 'malformed' });
    const res = await get('/items/1');
    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.text)).toThrow();
  });

  it('truncates a body: the client sees a truncated answer', async () => {
    sim.addFault({ kind: 'truncated' });
    const err = await get('/items/1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).failure).toBe('truncated');
  });

  it('resets the connection without an answer', async () => {
    sim.addFault({ kind: 'reset', times: 1 });
    const err = await get('/items/1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).failure).toBe('reset');
    expect((await get('/items/1')).status).toBe(200);
  });

  it('stalls until the client gives up', async () => {
    sim.addFault({ kind: 'stall' });
    const err = await http.send({ method: 'GET', url: new URL('/items/1', url), timeoutMs: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).failure).toBe('timeout');
  });

  it('stalls for a bounded time, then answers', async () => {
    sim.addFault({ kind: 'stall', ms: 60 });
    const started = Date.now();
    expect((await get('/items/1')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('adds latency to every call', async () => {
    sim.latencyMs = 50;
    const started = Date.now();
    await get('/items/1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('handles a request when it arrives, and answers once the latency has passed: the handling falls within it', async () => {
    sim.latencyMs = 1500;
    const patient = new HttpTransport({ timeoutMs: 10_000 });
    try {
      flagHandledAt = 0;
      const sentAt = performance.now();
      const res = await patient.send({ method: 'GET', url: new URL('/flag', url) });
      expect(res.status).toBe(200);
      // Handled at once (a wide margin: 1 s of the 1.5 s), answered after the whole latency.
      expect(flagHandledAt - sentAt).toBeLessThan(1000);
      expect(sim.calls.at(-1)!.durationMs).toBeGreaterThanOrEqual(1450);
    } finally {
      await patient.close();
    }
  });

  it('exposes the knobs over HTTP for other processes', async () => {
    const post = await http.send({
      method: 'POST',
      url: new URL('/__sim/faults', url),
      body: JSON.stringify({ route: 'echo.item', kind: 'status', status: 418, times: 1 }),
    });
    expect(JSON.parse(post.text)).toHaveProperty('id');
    expect((await get('/items/1')).status).toBe(418);
    const calls = JSON.parse((await get('/__sim/calls')).text) as { calls: { route: string; status: number }[] };
    expect(calls.calls).toEqual([expect.objectContaining({ route: 'echo.item', status: 418 })]);
    await http.send({ method: 'PUT', url: new URL('/__sim/latency', url), body: '{"ms":5}' });
    expect(sim.latencyMs).toBe(5);
    expect((await http.send({ method: 'PUT', url: new URL('/__sim/latency', url), body: '{"ms":-1}' })).status).toBe(400);
    await http.send({ method: 'DELETE', url: new URL('/__sim/calls', url) });
    expect(sim.calls).toHaveLength(0);
  });

  it('counts requests in flight, and the transport caps them per source', async () => {
    sim.resetStats();
    await Promise.all(Array.from({ length: 10 }, () => get('/slow')));
    expect(sim.stats.maxInFlight).toBe(4);
    expect(sim.stats.inFlight).toBe(0);
    const wide = new HttpTransport({ maxConcurrency: 10 });
    sim.resetStats();
    await Promise.all(Array.from({ length: 10 }, () => wide.send({ method: 'GET', url: new URL('/slow', url) })));
    expect(sim.stats.maxInFlight).toBe(10);
    await wide.close();
  });

  it('reports a refused connection', async () => {
    const closed = echoServer();
    const closedUrl = await closed.listen();
    await closed.close();
    const err = await http.send({ method: 'GET', url: new URL('/items/1', closedUrl) }).catch((e: unknown) => e);
    expect((err as TransportError).failure).toBe('refused');
  });
});
