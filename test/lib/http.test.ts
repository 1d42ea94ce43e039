/**
 * The pooled transport (lib/http.ts) against a real loopback server: a body over the size limit, a
 * body that trickles in past the call's deadline (each chunk well within undici's idle timeout),
 * and a caller that gives up mid-call all end in their own failure, and the pool serves the next call.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpTransport, TransportError } from '../../src/lib/http.js';
import { rejectionOf } from '../support/rejection.js';

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/big') return res.end('x'.repeat(4096));
    if (req.url === '/trickle') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('.'), 40);
      res.on('close', () => clearInterval(timer));
      return;
    }
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const failure = (promise: Promise<unknown>) => rejectionOf(promise, TransportError);

describe('HttpTransport', () => {
  it('refuses a body over maxBodyBytes (too-large), and answers the next call', async () => {
    const transport = new HttpTransport({ maxBodyBytes: 1024 });
    try {
      expect((await failure(transport.send({ method: 'GET', url: new URL(`${base}/big`) }))).failure).toBe('too-large');
      const ok = await transport.send({ method: 'GET', url: new URL(`${base}/ok`) });
      expect([ok.status, ok.text]).toEqual([200, '{"ok":true}']);
      expect(transport.inFlight).toBe(0);
    } finally {
      await transport.close();
    }
  });

  it('ends a call whose body is still arriving at its deadline (timeout), though no gap between chunks is long', async () => {
    const transport = new HttpTransport({ timeoutMs: 300 });
    try {
      const started = performance.now();
      expect((await failure(transport.send({ method: 'GET', url: new URL(`${base}/trickle`) }))).failure).toBe('timeout');
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(transport.inFlight).toBe(0);
    } finally {
      await transport.close();
    }
  });

  it('ends a call when its caller gives up (aborted), and a deadline passed before sending sends nothing', async () => {
    const transport = new HttpTransport();
    try {
      const caller = new AbortController();
      const pending = transport.send({ method: 'GET', url: new URL(`${base}/trickle`) }, { signal: caller.signal });
      setTimeout(() => caller.abort(), 100);
      expect((await failure(pending)).failure).toBe('aborted');
      let signed = 0;
      const late = transport.send({ method: 'GET', url: new URL(`${base}/ok`), authorize: () => (signed++, {}) }, { deadline: performance.now() - 1 });
      expect((await failure(late)).failure).toBe('timeout');
      expect(signed).toBe(0);
      expect(transport.inFlight).toBe(0);
    } finally {
      await transport.close();
    }
  });
});
