/**
 * OpenTelemetry tracing, off by default: one span per operation with a child per upstream attempt
 * (as many as the simulators received, in the same trace), failures marked, no secret in any
 * attribute; and the OTLP/HTTP exporter delivers them to a collector over real loopback HTTP.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const traced =
  (tracing: Record<string, unknown>) =>
  (config: ConfigInput): ConfigInput => ({ ...config, tracing: { enabled: true, ...tracing } });

describe('tracing', () => {
  it('one span per operation, a child per upstream attempt, nothing secret', async () => {
    const exporter = new InMemorySpanExporter();
    stack = await startStack({ traceExporter: exporter, configure: traced({}) });
    const project = stack.sims.fleet.huawei.projects[0]!;
    stack.sims.huawei.server.addFault({ route: 'rds.listInstances', kind: 'status', status: 500, body: '{"error_code":"DBS.0001","error_msg":"x"}', times: 1 });
    const result = await stack.query('query Overview { instances(first: 50) { totalCount nodes { __typename } } }');
    expect(result.errors).toBeDefined();
    const calls = stack.calls();
    const spans = exporter.getFinishedSpans();
    const operation = spans.filter((s) => s.name === 'query Overview');
    expect(operation).toHaveLength(1);
    const op = operation[0]!;
    expect(op.attributes['backupql.upstream_calls']).toBe(calls.length);
    expect(op.status.code).toBe(2); // ERROR: a source failed (partial data)
    const children = spans.filter((s) => s !== op);
    expect(children).toHaveLength(calls.length);
    expect(children.every((s) => s.spanContext().traceId === op.spanContext().traceId && s.parentSpanContext?.spanId === op.spanContext().spanId)).toBe(true);
    const failed = children.filter((s) => s.attributes['http.response.status_code'] === 500);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.attributes['backupql.source']).toBe(project.name);
    expect(failed[0]!.status.code).toBe(2);
    const text = JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events })));
    for (const secret of [stack.sims.fleet.huawei.secretKey, stack.sims.fleet.huawei.accessKey, ...stack.sims.fleet.oceanbase.map((c) => c.password)]) {
      expect(text).not.toContain(secret);
    }
  });

  it('off by default: no span', async () => {
    const exporter = new InMemorySpanExporter();
    stack = await startStack({ traceExporter: exporter });
    await stack.query('{ instances(first: 5) { totalCount } }');
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('exports over OTLP/HTTP to the configured endpoint', async () => {
    const received: { path: string; type: string | undefined; body: string }[] = [];
    const collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', type: req.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    try {
      const port = (collector.address() as AddressInfo).port;
      stack = await startStack({ configure: traced({ endpoint: `http://127.0.0.1:${port}/v1/traces`, serviceName: 'backupql-test' }) });
      await stack.query('query Tenants { tenants(first: 5) { totalCount } }');
      await stack.close(); // flushes the batch
      stack = undefined;
      expect(received.length).toBeGreaterThan(0);
      expect(received[0]!.path).toBe('/v1/traces');
      const all = received.map((r) => r.body).join('\n');
      expect(all).toContain('query Tenants');
      expect(all).toContain('backupql-test');
    } finally {
      collector.close();
    }
  });
});
