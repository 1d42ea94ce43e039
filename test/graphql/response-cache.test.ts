/**
 * The response cache (graphql/response-cache.ts): an identical query from the same principal
 * within `cache.responseMilliseconds` is answered from memory, not executed again. What shows it:
 * `ageSeconds` is computed from the stack's clock at execution, so an executed answer moves with
 * the clock and a kept one does not. Expiry reads the same manual clock.
 */
import { createHash } from 'node:crypto';
import type { ExecutionResult } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config.js';
import { ManualClock } from '../../src/lib/clock.js';
import { responseCacheKey } from '../../src/graphql/response-cache.js';
import { canBackUp, coverageTargets } from '../support/targets.js';
import { FIXED_NOW, ok, startStack, type Stack } from '../support/stack.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

interface Coverage {
  backupCoverage: { totalCount: number; nodes: { state: string; ageSeconds: number | null }[] };
}
const COVERAGE = '{ backupCoverage(first: 100) { totalCount nodes { state ageSeconds } } }';
const ages = (data: Coverage) => data.backupCoverage.nodes.map((n) => n.ageSeconds);
const someAge = (data: Coverage) => data.backupCoverage.nodes.find((n) => n.ageSeconds !== null)!.ageSeconds!;

async function start(options: { cache?: boolean; configure?: (c: ConfigInput) => ConfigInput } = {}) {
  const clock = new ManualClock(FIXED_NOW);
  stack = await startStack({ clock, cache: options.cache ?? true, ...(options.configure ? { configure: options.configure } : {}) });
  return { stack, clock };
}

async function metric(s: Stack, event: string): Promise<number> {
  const text = await (await s.gateway.yoga.fetch('http://backupql.test/metrics')).text();
  const line = text.split('\n').find((l) => l.startsWith(`backupql_graphql_response_cache_total{event="${event}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('the response cache', { timeout: 60_000 }, () => {
  it('answers an identical query within cache.responseMilliseconds from memory, and executes it again once that has passed', async () => {
    const { stack: s, clock } = await start();
    const first = ok(await s.query<Coverage>(COVERAGE));
    expect(first.backupCoverage.totalCount).toBeGreaterThan(10);
    clock.advance(500);
    s.clearCalls();
    const kept = ok(await s.query<Coverage>(COVERAGE));
    // Not executed: the ages are those of the first answer, not half a second older.
    expect(kept).toEqual(first);
    expect(s.calls()).toHaveLength(0);
    expect(await metric(s, 'hit')).toBe(1);
    expect(await metric(s, 'stored')).toBe(1);
    // Another document (or other variables) is its own answer.
    const other = ok(await s.query<Coverage>('{ backupCoverage(first: 99) { totalCount nodes { state ageSeconds } } }'));
    expect(someAge(other)).toBeCloseTo(someAge(first) + 0.5, 6);
    clock.advance(600);
    const again = ok(await s.query<Coverage>(COVERAGE));
    expect(someAge(again)).toBeCloseTo(someAge(first) + 1.1, 6);
    expect(await metric(s, 'hit')).toBe(1);
  });

  it('answers a hit with the very bytes the executed answer had (its JSON is kept with it)', async () => {
    const { stack: s, clock } = await start();
    const raw = async () => {
      const res = await s.gateway.yoga.fetch('http://backupql.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: COVERAGE }),
      });
      expect(res.status).toBe(200);
      return res.text();
    };
    const executed = await raw();
    clock.advance(500);
    const kept = await raw();
    expect(await metric(s, 'hit')).toBe(1);
    expect(kept).toBe(executed);
    expect((JSON.parse(kept) as { data: Coverage }).data.backupCoverage.totalCount).toBeGreaterThan(10);
  });

  it('is off with the page cache off (every answer read live) and with cache.responseMilliseconds 0', async () => {
    for (const options of [{ cache: false }, { configure: (c: ConfigInput) => ({ ...c, cache: { ttlSeconds: 30, responseMilliseconds: 0 } }) }]) {
      const { stack: s, clock } = await start(options);
      const first = ok(await s.query<Coverage>(COVERAGE));
      clock.advance(250);
      const second = ok(await s.query<Coverage>(COVERAGE));
      expect(someAge(second)).toBeCloseTo(someAge(first) + 0.25, 6);
      expect(await metric(s, 'hit')).toBe(0);
      await s.close();
      stack = undefined;
    }
  });

  it('never keeps an answer with errors: once the upstream is back, the next identical query reads it', async () => {
    const { stack: s } = await start();
    // One DCS instance's backups fail once (not enough to open the source's circuit).
    s.sims.huawei.server.addFault({
      route: 'dcs.listBackups',
      kind: 'status',
      status: 500,
      body: '{"error_code":"DCS.5078","error_msg":"Query backup record failed."}',
      times: 1,
    });
    const partial = await s.query<Coverage>(COVERAGE);
    expect(partial.errors?.length).toBeGreaterThan(0);
    expect(partial.data!.backupCoverage.nodes.some((n) => n.state === 'UNKNOWN')).toBe(true);
    const whole = ok(await s.query<Coverage>(COVERAGE));
    expect(whole.backupCoverage.nodes.some((n) => n.state === 'UNKNOWN')).toBe(false);
    expect(await metric(s, 'hit')).toBe(0);
  });

  it('is cleared by a mutation that ran, so the next read executes', async () => {
    const { stack: s, clock } = await start({ configure: (c) => ({ ...c, actions: { enabled: true } }) });
    const first = ok(await s.query<Coverage>(COVERAGE));
    const target = (await coverageTargets((q) => s.query(q))).filter(canBackUp).find((t) => t.typename === 'DcsInstance')!;
    clock.advance(100);
    expect(ages(ok(await s.query<Coverage>(COVERAGE)))).toEqual(ages(first));
    const started = await s.query<{ startBackup: { backup: { id: string } | null } }>(
      'mutation($t: ID!) { startBackup(input: { target: $t }) { backup { ... on Backup { id } } } }',
      { t: target.id },
    );
    expect(ok(started).startBackup.backup?.id).toBeTruthy();
    const after = ok(await s.query<Coverage>(COVERAGE));
    expect(someAge(after)).toBeCloseTo(someAge(first) + 0.1, 6);
  });

  it('never serves one principal the answer kept for another', async () => {
    const READ = 'bq_read_0123456789abcdef0123456789';
    const ALL = 'bq_all_0123456789abcdef0123456789ab';
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    const { stack: s } = await start({
      configure: (c) => ({
        ...c,
        auth: {
          apiKeys: [
            { name: 'one-source', sha256: sha256(READ), role: 'read', sources: [c.sources[0]!.name] },
            { name: 'everything', sha256: sha256(ALL), role: 'read' },
          ],
        },
      }),
    });
    const ask = async (key: string) => {
      const res = await s.gateway.yoga.fetch('http://backupql.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: '{ instances(first: 100) { totalCount } }' }),
      });
      return ok((await res.json()) as ExecutionResult<{ instances: { totalCount: number } }>).instances.totalCount;
    };
    const one = await ask(READ);
    const all = await ask(ALL);
    expect(one).toBeLessThan(all);
    expect(await ask(READ)).toBe(one);
    expect(await ask(ALL)).toBe(all);
    expect(await metric(s, 'hit')).toBe(2);
  });

  it('keys an answer by document, operation name, variables (whatever their key order) and session', () => {
    const key = (over: Partial<Parameters<typeof responseCacheKey>[0]> = {}) =>
      responseCacheKey({
        documentString: 'query Q($a: Int, $b: String) { __typename }',
        operationName: 'Q',
        variableValues: { a: 1, b: 'x' },
        sessionId: 'open',
        request: new Request('http://backupql.test/graphql'),
        context: {},
        ...over,
      });
    const base = key();
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(key({ variableValues: { b: 'x', a: 1 } })).toBe(base);
    for (const other of [
      key({ documentString: 'query Q($a: Int, $b: String) { __schema { description } }' }),
      key({ operationName: 'R' }),
      key({ operationName: undefined }),
      key({ variableValues: { a: 2, b: 'x' } }),
      key({ variableValues: { a: 1, b: 'x', c: null } }),
      key({ variableValues: undefined }),
      key({ sessionId: '["apiKey","one",["ob-1"]]' }),
      key({ sessionId: null }),
    ])
      expect(other).not.toBe(base);
  });
});
