/**
 * Fuzzing the API with generated operations (fast-check): random roots, page sizes, cursors, IDs
 * (real, forged from injection strings, garbage), filters, dates, enum values, aliases, deep
 * nesting, unicode, literals and variables. Whatever comes in:
 *
 * - every error carries `extensions.code`, and none is `INTERNAL_SERVER_ERROR`;
 * - no upstream request is malformed: every call the simulators logged matched one of their routes
 *   and was answered 200, 204 or 404 (an unknown instance asked for by a valid ID);
 * - nothing reaches any other host (a trap server named in the strings sees no request);
 * - the gateway answers every request (no crash, no hang).
 *
 * CI runs 1,000 operations with a fixed seed; `npm run fuzz` runs more (FUZZ_RUNS, FUZZ_SEED).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId as rawId } from '../../src/core/ids.js';
import { encodeId } from '../support/ids.js';
import { startStack, type Stack } from '../support/stack.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);

let stack: Stack;
let trap: Server;
let trapHits = 0;
let trapUrl = '';

beforeAll(async () => {
  trap = createServer((_req, res) => {
    trapHits++;
    res.end('trap');
  });
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
  // With the cache on (the clock is fixed, so nothing expires), a repeated read costs nothing.
  stack = await startStack({ cache: true });
});
afterAll(async () => {
  await stack?.close();
  await new Promise<void>((resolve) => trap.close(() => resolve()));
});

interface Outcome {
  status: number;
  codes: string[];
}

describe('fuzz', () => {
  it(`${RUNS} generated operations: coded errors only, no malformed upstream request, no other host`, { timeout: 900_000 }, async () => {
    const fleet = stack.sims.fleet;
    const sources = [...fleet.oceanbase.map((c) => c.name), ...fleet.huawei.projects.map((p) => p.name)];
    const realIds = [
      ...fleet.oceanbase.flatMap((c) => [
        encodeId({ type: 'ObCluster', source: c.name }),
        ...c.tenants.slice(0, 4).map((t) => encodeId({ type: 'ObTenant', source: c.name, tenantName: t.row.tenant_name })),
        ...c.tenants
          .flatMap((t) => t.jobs.slice(-2).map((j) => ({ t, j })))
          .slice(0, 4)
          .map(({ t, j }) => encodeId({ type: 'ObBackupJob', source: c.name, tenantName: t.row.tenant_name, jobId: j.job.job_id })),
      ]),
      ...fleet.huawei.projects.flatMap((p) => [
        encodeId({ type: 'HuaweiProject', source: p.name }),
        ...p.dcs.slice(0, 3).map((i) => encodeId({ type: 'DcsInstance', source: p.name, instanceId: i.row.instance_id })),
        ...p.rds.slice(0, 3).map((i) => encodeId({ type: 'RdsInstance', source: p.name, instanceId: i.row.id })),
        ...p.dcs
          .slice(0, 2)
          .map((i) => encodeId({ type: 'DcsBackup', source: p.name, instanceId: i.row.instance_id, backupId: i.backups[0]?.row.backup_id ?? 'x' })),
        ...p.rds.slice(0, 2).map((i) => encodeId({ type: 'RdsBackup', source: p.name, instanceId: i.row.id, backupId: i.backups[0]?.row.id ?? 'x' })),
      ]),
    ];
    const realKeys = [
      ...fleet.oceanbase.flatMap((c) => c.tenants.map((t) => t.row.tenant_name)),
      ...fleet.huawei.projects.flatMap((p) => [p.projectId, ...p.dcs.map((i) => i.row.instance_id), ...p.rds.map((i) => i.row.id)]),
    ];

    const inject = fc.constantFrom(
      '../',
      '../../api/v1/secret',
      '..%2f..%2f',
      '%2e%2e%2f',
      '/',
      '?limit=1000&offset=0',
      '&status=x',
      '#frag',
      '\r\nX-Injected: 1',
      '\u0000',
      'ü日本語',
      '😀',
      "' OR 1=1 --",
      '${jndi:ldap://x}',
      `${trapUrl}/`,
      `//${trapUrl.slice('http://'.length)}/x`,
      '@127.0.0.1',
      ' ',
      '',
      'a'.repeat(700),
      'sys',
      '*',
      '%',
      '+',
      ';',
      ':',
      '\\',
      '-1',
      '1e309',
      '18446744073709551616',
    );
    const text = fc.oneof(inject, fc.string({ maxLength: 24 }), fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom(...realKeys));
    /** Mostly what a client would send, sometimes anything. */
    const usually = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>, odds = 5) => fc.oneof({ weight: odds, arbitrary: good }, { weight: 1, arbitrary: bad });
    const id = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...realIds) },
      {
        weight: 3,
        arbitrary: fc
          .record({
            type: fc.constantFrom(
              'ObCluster',
              'ObTenant',
              'ObBackupJob',
              'ObBackupTask',
              'DcsInstance',
              'DcsBackup',
              'RdsInstance',
              'RdsBackup',
              'HuaweiProject',
              'Nope',
            ),
            source: fc.oneof(fc.constantFrom(...sources), text),
            keys: fc.array(fc.oneof(text, fc.constantFrom(...realKeys), fc.integer({ min: -2, max: 10_000 }).map(String)), { maxLength: 3 }),
          })
          .map(({ type, source, keys }) => rawId(type, source, ...keys)),
      },
      { weight: 1, arbitrary: text },
    );
    const size = usually(fc.integer({ min: 1, max: 30 }), fc.oneof(fc.constantFrom(-1, 0, 100, 101, 1000, 2147483647), fc.integer({ min: -3, max: 120 })));
    const cursor = fc.oneof(
      text,
      text.map((t) => Buffer.from(t).toString('base64url')),
      fc.tuple(fc.constantFrom('k1', 'o1', 'p1', 'x'), text, fc.integer()).map(([v, t, n]) => Buffer.from(`${v}:${t}:${n}`).toString('base64url')),
      fc.json().map((j) => Buffer.from(j).toString('base64url')),
    );
    const date = usually(
      fc.date({ min: new Date('2026-10-01T00:00:00Z'), max: new Date('2026-11-23T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
      fc.oneof(
        fc.date({ min: new Date('1969-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
        fc.constantFrom('2026-11-21T00:00:00+08:00', '2026-11-22', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', 'yesterday'),
        text,
      ),
    );
    const provider = usually(fc.constantFrom('OCEANBASE', 'DCS', 'RDS'), fc.constant('REDIS'), 25);
    const status = usually(fc.constantFrom('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELING', 'CANCELED', 'UNKNOWN'), fc.constant('DONE'), 25);
    const state = usually(fc.constantFrom('OK', 'STALE', 'FAILING', 'RUNNING', 'NEVER', 'UNKNOWN'), fc.constant('GOOD'), 25);
    const str = (s: string) => JSON.stringify(s);
    const maybe = <T>(arb: fc.Arbitrary<T>, render: (v: T) => string) => fc.option(arb.map(render), { nil: '' });
    const paging = usually(
      fc.oneof(
        size.map((n) => `first: ${n}`),
        size.map((n) => `last: ${n}`),
        fc.constant(''),
      ),
      fc
        .tuple(
          maybe(size, (n) => `first: ${n}`),
          maybe(size, (n) => `last: ${n}`),
          maybe(cursor, (c) => `after: ${str(c)}`),
          maybe(cursor, (c) => `before: ${str(c)}`),
        )
        .map((parts) => parts.filter(Boolean).join(', ')),
    );
    const list = <T>(arb: fc.Arbitrary<T>, render: (v: T) => string) => fc.array(arb, { maxLength: 3 }).map((xs) => `[${xs.map(render).join(', ')}]`);
    const sourceFilter = fc
      .tuple(
        maybe(
          list(provider, (p) => p),
          (l) => `providers: ${l}`,
        ),
        maybe(list(usually(fc.constantFrom(...sources), text, 15), str), (l) => `sources: ${l}`),
      )
      .map((parts) => parts.filter(Boolean).join(', '));

    /** A selection that nests `depth` levels through backups → instance → backups. */
    const nested = (depth: number, first: number): string =>
      depth <= 0
        ? '... on Backup { id }'
        : `... on Backup { id instance { __typename ... on DcsInstance { backups(first: ${first}) { nodes { ${nested(depth - 1, first)} } } } ... on RdsInstance { backups(first: ${first}) { nodes { ${nested(depth - 1, first)} } } } } }`;
    /** The fields of an instance (any provider); with `node`, those of every other type too. */
    const small = usually(fc.integer({ min: 1, max: 6 }), size, 8);
    const selection = (anyNode: boolean) =>
      fc
        .tuple(
          small,
          small,
          fc.option(date, { nil: undefined }),
          fc.option(usually(fc.constantFrom('AUTO', 'MANUAL', 'FRAGMENT', 'INCREMENTAL'), fc.constant('NONE'), 15), { nil: undefined }),
        )
        .map(
          ([a, b, since, type]) => `__typename ... on Node { id }
          ... on ObCluster { agent { obVersion } tenants(first: ${a}) { totalCount nodes { tenantName latestBackup { status } backupJobs(first: ${b}) { nodes { jobId status } } } } }
          ... on DcsInstance { name backups(first: ${a}${since ? `, since: ${str(since)}` : ''}) { totalCount pageInfo { hasNextPage endCursor } nodes { backupId status } } }
          ... on RdsInstance { name backups(first: ${b}${type ? `, type: ${type}` : ''}) { nodes { backupId status sizeBytes } } }
          ${
            anyNode
              ? `... on ObTenant { tenantName backupJobs(first: ${a}, statuses: [SUCCEEDED]${since ? `, since: ${str(since)}` : ''}) { totalCount nodes { jobId } } }
          ... on HuaweiProject { instances(first: ${b}) { totalCount } }
          ... on Backup { status providerStatus startedAt }`
              : ''
          }`,
        );
    const instanceSelection = selection(true);

    const root = fc.oneof(
      fc.tuple(id, instanceSelection).map(([i, sel]) => ({ text: `node(id: $id) { ${sel} }`, vars: { id: i }, decl: '$id: ID!' })),
      fc
        .tuple(usually(fc.array(usually(fc.constantFrom(...realIds), id, 10), { maxLength: 12 }), fc.array(id, { maxLength: 120 })), instanceSelection)
        .map(([ids, sel]) => ({ text: `nodes(ids: $ids) { ${sel} }`, vars: { ids }, decl: '$ids: [ID!]!' })),
      fc.tuple(paging, sourceFilter, selection(false)).map(([p, f, sel]) => ({
        text: `instances(${[p, f ? `filter: { ${f} }` : ''].filter(Boolean).join(', ')}) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${sel} } } }`,
        vars: {},
        decl: '',
      })),
      fc.tuple(paging, sourceFilter).map(([p, f]) => ({
        text: `tenants(${[p, f ? `filter: { ${f} }` : ''].filter(Boolean).join(', ')}) { totalCount nodes { __typename ... on ObTenant { tenantName backupJobs(first: 3) { nodes { jobId } } } } }`,
        vars: {},
        decl: '',
      })),
      fc
        .tuple(
          paging,
          sourceFilter,
          maybe(
            list(status, (s) => s),
            (l) => `statuses: ${l}`,
          ),
          fc.option(date, { nil: undefined }),
          fc.option(date, { nil: undefined }),
          fc.array(id, { maxLength: 4 }),
          fc.integer({ min: 0, max: 6 }),
        )
        .map(([p, f, st, since, until, ids, depth]) => ({
          text: `backupTasks(${[p, `filter: { ${[f, st, since ? 'since: $since' : '', until ? 'until: $until' : '', ids.length ? 'instanceIds: $ids' : ''].filter(Boolean).join(', ')} }`].filter(Boolean).join(', ')}) { totalCount window { since until } pageInfo { hasNextPage endCursor } nodes { ${nested(depth, 2)} } }`,
          vars: { ...(since ? { since } : {}), ...(until ? { until } : {}), ...(ids.length ? { ids } : {}) },
          decl: [since ? '$since: DateTime' : '', until ? '$until: DateTime' : '', ids.length ? '$ids: [ID!]' : ''].filter(Boolean).join(', '),
        })),
      fc
        .tuple(
          paging,
          sourceFilter,
          maybe(
            list(state, (s) => s),
            (l) => `states: ${l}`,
          ),
          fc.option(usually(fc.double({ min: 0.5, max: 200, noNaN: true }), fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(0, -1, 1e-9, 1e308))), {
            nil: undefined,
          }),
        )
        .map(([p, f, st, rpo]) => ({
          text: `backupCoverage(${[p, `filter: { ${[f, st].filter(Boolean).join(', ')} }`, rpo !== undefined && Number.isFinite(rpo) ? `rpoHours: ${rpo}` : ''].filter(Boolean).join(', ')}) { totalCount summary { total ok never } nodes { state reasons ageSeconds target { __typename } lastBackup { ... on Backup { id } } } }`,
          vars: {},
          decl: '',
        })),
    );
    const operation = fc
      .tuple(root, fc.integer({ min: 1, max: 3 }), fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, 1, 55), fc.boolean(), fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, 1, 2))
      .map(([r, repeat, aliases, named, mangle]) => {
        const fields = Array.from({ length: Math.max(repeat, aliases) }, (_, i) => `a${i}: ${r.text}`).join('\n');
        let query = `${named ? 'query Fuzz' : 'query'}${r.decl ? `(${r.decl})` : ''} { ${fields} }`;
        if (mangle === 1) query = query.slice(0, Math.floor(query.length * 0.7)); // a syntax error
        if (mangle === 2) query = query.replace('totalCount', 'totalCount nope'); // a validation error
        return { query, variables: r.vars };
      });

    const outcomes: Outcome[] = [];
    let upstreamCalls = 0;
    stack.clearCalls();
    await fc.assert(
      fc.asyncProperty(operation, async ({ query, variables }) => {
        const res = await stack.gateway.yoga.fetch('http://backupql.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ query, variables }),
        });
        const body = (await res.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
        const codes = (body.errors ?? []).map((e) => e.extensions?.code ?? 'NONE');
        outcomes.push({ status: res.status, codes });
        expect(codes, JSON.stringify(body.errors?.slice(0, 3))).not.toContain('NONE');
        expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
        expect(JSON.stringify(body.errors ?? [])).not.toMatch(/\bat [\w.<>]+ \(|node_modules|127\.0\.0\.1:\d+\/(api|v2|v3)/);
        const calls = stack.calls();
        stack.clearCalls();
        upstreamCalls += calls.length;
        const bad = calls.filter((c) => c.route === null || c.status === null || ![200, 204, 404].includes(c.status));
        expect(bad.map((c) => `${c.server} ${c.method} ${c.path} ${JSON.stringify(c.query)} → ${c.status}`)).toEqual([]);
        expect(trapHits).toBe(0);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );

    const byCode = new Map<string, number>();
    for (const o of outcomes) for (const c of new Set(o.codes.length ? o.codes : ['(no error)'])) byCode.set(c, (byCode.get(c) ?? 0) + 1);
    if (process.env.FUZZ_REPORT)
      console.log(
        JSON.stringify({ runs: outcomes.length, seed: SEED, upstreamCalls, byCode: Object.fromEntries([...byCode].sort((a, b) => b[1] - a[1])) }, null, 1),
      );
    // The generator reaches every part of the API: answers with data, and each kind of refusal.
    expect(byCode.get('(no error)')).toBeGreaterThan(RUNS / 10);
    for (const code of ['BAD_USER_INPUT', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'QUERY_TOO_COMPLEX'])
      expect(byCode.get(code), code).toBeGreaterThan(0);
    expect(upstreamCalls).toBeGreaterThan(0);
  });
});
