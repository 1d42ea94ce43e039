/**
 * Hostile or careless clients: every error a client can see carries `extensions.code` (parse,
 * validation, variables, limits, the HTTP layer), limits refuse before any upstream call with the
 * limit and the measured value, and an accepted operation says its cost.
 */
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let url: string;
beforeAll(async () => {
  stack = await startStack();
  url = await stack.gateway.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await stack.close();
});

async function post(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const res = await stack.gateway.yoga.fetch('http://backupql.test/graphql', { method: 'POST', headers, body });
  const text = await res.text();
  return {
    status: res.status,
    json: JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[]; extensions?: Record<string, unknown> },
  };
}
const gql = (query: string, variables?: unknown) => post(JSON.stringify({ query, variables }));

describe('every error has a code', () => {
  it.each([
    ['a syntax error', '{ instances(first: 1 { totalCount } }', 'GRAPHQL_PARSE_FAILED'],
    ['an unknown field', '{ nope }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a literal of the wrong type', '{ instances(first: "x") { totalCount } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a missing variable', 'query($a: Int!) { instances(first: $a) { totalCount } }', 'BAD_USER_INPUT'],
  ])('%s', async (_what, query, code) => {
    stack.clearCalls();
    const { json } = await gql(query);
    expect(json.errors!.map((e) => e.extensions!['code'])).toEqual([code]);
    expect(stack.calls()).toEqual([]);
  });

  it("from the HTTP layer too: JSON errors with a code, never an empty body or the parser's message", async () => {
    const bad = await post('not json');
    expect(bad.status).toBe(400);
    expect(bad.json.errors![0]!.extensions).toEqual({ code: 'BAD_REQUEST' });
    const media = await post('{"query":"{ __typename }"}', { 'content-type': 'application/xml' });
    expect(media.status).toBe(415);
    expect(media.json.errors![0]!.extensions!['code']).toBe('BAD_REQUEST');
    const method = await stack.gateway.yoga.fetch('http://backupql.test/graphql', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(method.status).toBe(405);
    expect(((await method.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });
});

describe('limits, refused before any upstream call', () => {
  const refused = async (query: string, limitKind: string) => {
    stack.clearCalls();
    const { json } = await gql(query);
    expect(json.errors).toHaveLength(1);
    expect(json.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limitKind });
    expect(stack.calls()).toEqual([]);
    return json.errors![0]!.extensions!;
  };

  it('depth: 15 levels', async () => {
    let body = 'tenantName';
    for (let i = 0; i < 6; i++) body = `tenant { latestBackup { ${body} } }`;
    const extensions = await refused(`{ tenants(first: 1) { nodes { ... on ObTenant { latestBackup { ${body} } } } } }`, 'depth');
    // tenants > nodes > latestBackup > (tenant > latestBackup) × 6 > tenantName: 16 levels.
    expect(extensions).toMatchObject({ limit: 15, measured: 16 });
  });

  it('aliases: 50', async () => {
    const query = `{ ${Array.from({ length: 51 }, (_, i) => `a${i}: instances(first: 1) { totalCount }`).join(' ')} }`;
    expect(await refused(query, 'aliases')).toMatchObject({ limit: 50, measured: 51 });
  });

  it('tokens: 5000', async () => {
    const query = `{ ${'tenants(first: 1) { totalCount } '.repeat(800)} }`;
    const extensions = await refused(query, 'tokens');
    expect(extensions['limit']).toBe(5000);
    expect(extensions['measured']).toBeGreaterThan(5000);
  });

  it('cost: the page sizes multiplied along each path, as GitHub counts nodes', async () => {
    // 100 instances × 100 backups, twice (DCS and RDS) + 100 = 20,100 > 10,000.
    const query =
      '{ instances(first: 100) { nodes { ... on DcsInstance { backups(first: 100) { nodes { status } } } ... on RdsInstance { backups(first: 100) { nodes { status } } } } } }';
    expect(await refused(query, 'cost')).toMatchObject({ limit: 10_000, measured: 20_100 });
    // Variables count as literals do.
    const viaVariables = (n: number) =>
      gql('query($n: Int) { instances(first: $n) { nodes { ... on DcsInstance { backups(first: $n) { totalCount } } } } }', { n });
    expect((await viaVariables(100)).json.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measured: 100 + 100 * 100 });
    const fits = await viaVariables(99);
    expect(fits.json.errors).toBeUndefined();
    expect(fits.json.extensions!['cost']).toEqual({ requested: 99 + 99 * 99, limit: 10_000 });
  });

  it('an accepted operation says its cost', async () => {
    const { json } = await gql('{ instances(first: 5) { totalCount nodes { ... on ObCluster { tenants(first: 3) { totalCount } } } } }');
    expect(json.errors).toBeUndefined();
    expect(json.extensions!['cost']).toEqual({ requested: 5 + 5 * 3, limit: 10_000 });
  });

  it('a batch of at most 10 operations', async () => {
    const batch = (n: number) => post(JSON.stringify(Array.from({ length: n }, () => ({ query: '{ __typename }' }))));
    const ok = await batch(3);
    expect(ok.status).toBe(200);
    expect(ok.json).toHaveLength(3);
    const big = await batch(11);
    expect(big.status).toBe(413);
    expect(big.json.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limitKind: 'batch', limit: 10, measured: 11 });
  });

  it('a body of at most 1 MiB, that says its length', async () => {
    const large = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1_100_000) } });
    const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: large });
    expect(res.statusCode).toBe(413);
    expect(((await res.body.json()) as { errors: { extensions: unknown }[] }).errors[0]!.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      limitKind: 'bodyBytes',
      limit: 1_048_576,
      measured: large.length,
    });
    const chunked = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Readable.from([Buffer.from('{"query":"{ __typename }"}')]),
    });
    expect(chunked.statusCode).toBe(411);
    expect(((await chunked.body.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
    const fine = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(fine.statusCode).toBe(200);
    await fine.body.text();
  });
});
