/**
 * Who may call the API, from where, and what: API keys (sha256 in the config, a role, optionally
 * some sources), JWTs (a static public key, a shared secret, a JWKS URL over real HTTP), CORS, CSRF
 * prevention and persisted operations. Without any of it the API is open (the other tests).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config.js';
import { mayRun } from '../../src/graphql/auth.js';
import { loadPersistedOperations } from '../../src/graphql/persisted.js';
import { encodeId } from '../support/ids.js';
import { FIXED_NOW, startStack, type Stack } from '../support/stack.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const READ_KEY = 'bq_read_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const OPS_KEY = 'bq_ops_0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const INSTANCES =
  '{ instances(first: 100) { totalCount nodes { ... on Node { id } ... on ObCluster { source } ... on DcsInstance { source } ... on RdsInstance { source } } } }';

interface Answer {
  status: number;
  headers: Headers;
  json: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function call(stack: Stack, init: { body?: unknown; headers?: Record<string, string>; method?: string; query?: string } = {}): Promise<Answer> {
  const url = `http://backupql.test/graphql${init.query ? `?query=${encodeURIComponent(init.query)}` : ''}`;
  const res = await stack.gateway.yoga.fetch(url, {
    method: init.method ?? 'POST',
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), accept: 'application/json', ...init.headers },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Answer['json']) : {} };
}
const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });
const codes = (a: Answer) => (a.json.errors ?? []).map((e) => e.extensions?.['code']);

function withAuth(auth: ConfigInput['auth'], server: ConfigInput['server'] = {}) {
  return (config: ConfigInput): ConfigInput => ({ ...config, auth, server: { ...config.server, ...server } });
}

describe('API keys', () => {
  let stack: Stack;
  let hz: string;
  beforeAll(async () => {
    stack = await startStack({
      configure: (config) =>
        withAuth({
          apiKeys: [
            { name: 'dashboard', sha256: sha256(READ_KEY), role: 'read', sources: [config.sources[0]!.name] },
            { name: 'ops-team', sha256: sha256(OPS_KEY).toUpperCase(), role: 'operate' },
          ],
        })(config),
    });
    hz = stack.sims.fleet.oceanbase[0]!.name;
  });
  afterAll(async () => {
    await stack.close();
  });

  it('no credential, a wrong one or a malformed header: 401 UNAUTHENTICATED before anything is parsed or sent upstream', async () => {
    stack.clearCalls();
    for (const headers of [{}, bearer('bq_wrong'), { authorization: READ_KEY }, { authorization: `Basic ${READ_KEY}` }, bearer(`${READ_KEY}x`)]) {
      const answer = await call(stack, { body: { query: '{ nope' }, headers });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="backupql"');
      expect(codes(answer)).toEqual(['UNAUTHENTICATED']);
      expect(JSON.stringify(answer.json)).not.toContain(READ_KEY);
    }
    expect(stack.calls()).toEqual([]);
  });

  it("an operate key sees the whole fleet; a read key limited to a source sees only that source's data", async () => {
    const all = await call(stack, { body: { query: INSTANCES }, headers: bearer(OPS_KEY) });
    expect(all.status).toBe(200);
    const everything = all.json.data!['instances'] as { totalCount: number; nodes: { source: string }[] };
    expect(new Set(everything.nodes.map((n) => n.source)).size).toBe(4);

    const limited = await call(stack, { body: { query: INSTANCES }, headers: bearer(READ_KEY) });
    const mine = limited.json.data!['instances'] as { totalCount: number; nodes: { source: string }[] };
    expect(mine.nodes.map((n) => n.source)).toEqual([hz]);
    expect(mine.totalCount).toBe(1);
  });

  it('another source does not exist for the limited key: its IDs are null, naming it in a filter is refused as for any unknown name', async () => {
    const project = stack.sims.fleet.huawei.projects[0]!;
    const dcs = encodeId({ type: 'DcsInstance', source: project.name, instanceId: project.dcs[0]!.row.instance_id });
    const cluster = encodeId({ type: 'ObCluster', source: hz });
    stack.clearCalls();
    const nodes = await call(stack, {
      body: { query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids: [dcs, cluster] } },
      headers: bearer(READ_KEY),
    });
    expect(nodes.json.data!['nodes']).toEqual([null, { id: cluster }]);
    expect(stack.calls().some((c) => c.server.startsWith('huawei'))).toBe(false);

    const filtered = await call(stack, {
      body: { query: `{ backupTasks(first: 5, filter: { sources: ["${project.name}"] }) { totalCount } }` },
      headers: bearer(READ_KEY),
    });
    const unknown = await call(stack, {
      body: { query: '{ backupTasks(first: 5, filter: { sources: ["no-such-source"] }) { totalCount } }' },
      headers: bearer(READ_KEY),
    });
    expect(codes(filtered)).toEqual(['BAD_USER_INPUT']);
    expect(filtered.json.errors![0]!.message).toBe(unknown.json.errors![0]!.message.replace('no-such-source', project.name));

    const coverage = await call(stack, {
      body: { query: '{ backupCoverage(first: 100) { summary { total } nodes { target { __typename } } } }' },
      headers: bearer(READ_KEY),
    });
    const summary = (coverage.json.data!['backupCoverage'] as { summary: { total: number } }).summary;
    expect(summary.total).toBe(stack.sims.fleet.oceanbase[0]!.tenants.filter((t) => t.row.tenant_name !== 'sys').length);
  });

  it('the GraphiQL page loads without a credential (it holds no data; its requests need one); CORS is same-origin only', async () => {
    const page = await stack.gateway.yoga.fetch('http://backupql.test/graphql', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const preflight = await stack.gateway.yoga.fetch('http://backupql.test/graphql', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('roles: a read credential may not run mutations (the actions need operate)', () => {
    const read = { name: 'r', via: 'api-key' as const, role: 'read' as const, sources: null };
    expect(mayRun(read, 'query')).toBe(true);
    expect(mayRun(read, 'subscription')).toBe(true);
    expect(mayRun(read, 'mutation')).toBe(false);
    expect(mayRun({ ...read, role: 'operate' }, 'mutation')).toBe(true);
  });
});

describe('JWT', () => {
  let rsa: { publicKey: CryptoKey; privateKey: CryptoKey };
  let other: { publicKey: CryptoKey; privateKey: CryptoKey };
  const SECRET = 'a shared secret of at least thirty-two bytes, for HS256';
  const sign = (
    claims: Record<string, unknown>,
    key: CryptoKey | Uint8Array,
    alg: string,
    opts: { exp?: number; iss?: string; aud?: string; kid?: string } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg, ...(opts.kid ? { kid: opts.kid } : {}) })
      .setSubject('alice@example.com')
      .setIssuedAt(Math.floor(FIXED_NOW / 1000) - 60)
      .setExpirationTime(opts.exp ?? Math.floor(FIXED_NOW / 1000) + 600)
      .setIssuer(opts.iss ?? 'https://idp.example')
      .setAudience(opts.aud ?? 'backupql')
      .sign(key);

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    other = await generateKeyPair('RS256');
  });

  it('a static public key (PEM): valid tokens pass with their role and sources; expired, foreign, mis-addressed ones are 401', async () => {
    const pem = await exportSPKI(rsa.publicKey);
    const stack = await startStack({ configure: withAuth({ jwt: { publicKey: pem, issuer: 'https://idp.example', audience: 'backupql' } }) });
    try {
      const hz = stack.sims.fleet.oceanbase[0]!.name;
      const good = await sign({ backupql_role: 'read', backupql_sources: [hz] }, rsa.privateKey, 'RS256');
      const ok = await call(stack, { body: { query: INSTANCES }, headers: bearer(good) });
      expect(ok.status).toBe(200);
      expect((ok.json.data!['instances'] as { nodes: { source: string }[] }).nodes.map((n) => n.source)).toEqual([hz]);

      const cases: [string, string][] = [
        ['expired', await sign({}, rsa.privateKey, 'RS256', { exp: Math.floor(FIXED_NOW / 1000) - 120 })],
        ['another key', await sign({}, other.privateKey, 'RS256')],
        ['another issuer', await sign({}, rsa.privateKey, 'RS256', { iss: 'https://evil.example' })],
        ['another audience', await sign({}, rsa.privateKey, 'RS256', { aud: 'other-api' })],
        ['an unknown role', await sign({ backupql_role: 'admin' }, rsa.privateKey, 'RS256')],
        ['sources not a list', await sign({ backupql_sources: hz }, rsa.privateKey, 'RS256')],
        ['alg none', `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`],
      ];
      const messages: string[] = [];
      for (const [what, token] of cases) {
        const answer = await call(stack, { body: { query: INSTANCES }, headers: bearer(token) });
        expect(answer.status, what).toBe(401);
        expect(codes(answer), what).toEqual(['UNAUTHENTICATED']);
        expect(JSON.stringify(answer.json)).not.toContain(token);
        messages.push(answer.json.errors![0]!.message);
      }
      expect(messages[0]).toBe('The token has expired.');
      expect(messages[1]).toBe('The token is not signed by a trusted key.');
    } finally {
      await stack.close();
    }
  });

  it('a shared secret (HS256)', async () => {
    const stack = await startStack({ configure: withAuth({ jwt: { secret: SECRET } }) });
    try {
      const token = await sign({ backupql_role: ['read', 'operate'] }, new TextEncoder().encode(SECRET), 'HS256');
      expect((await call(stack, { body: { query: '{ __typename }' }, headers: bearer(token) })).status).toBe(200);
      const forged = await sign({}, new TextEncoder().encode(`${SECRET}!`), 'HS256');
      expect((await call(stack, { body: { query: '{ __typename }' }, headers: bearer(forged) })).status).toBe(401);
    } finally {
      await stack.close();
    }
  });

  it('a JWKS URL, read over HTTP and cached; a token whose key is not in the set is refused', async () => {
    const jwk = { ...(await exportJWK(rsa.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    let fetched = 0;
    const jwks: Server = createServer((_req, res) => {
      fetched++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const stack = await startStack({
      configure: withAuth({ jwt: { jwksUrl: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json` } }),
    });
    try {
      const token = await sign({}, rsa.privateKey, 'RS256', { kid: 'k1' });
      for (let i = 0; i < 3; i++) expect((await call(stack, { body: { query: '{ __typename }' }, headers: bearer(token) })).status).toBe(200);
      expect(fetched).toBe(1);
      const unknown = await sign({}, other.privateKey, 'RS256', { kid: 'k2' });
      const refused = await call(stack, { body: { query: '{ __typename }' }, headers: bearer(unknown) });
      expect(refused.status).toBe(401);
      expect(refused.json.errors![0]!.message).toBe('The token is not signed by a trusted key.');
    } finally {
      await stack.close();
      await new Promise<void>((resolve) => jwks.close(() => resolve()));
    }
  });
});

describe('CORS and CSRF', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ configure: withAuth(undefined, { cors: { origins: ['https://ops.example.com'] } }) });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('answers preflights for the allowed origins only', async () => {
    const preflight = (origin: string) =>
      stack.gateway.yoga.fetch('http://backupql.test/graphql', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
      });
    const allowed = await preflight('https://ops.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://ops.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).not.toBe('*');
  });

  it('a "simple" request (GET, or a form-encoded or text/plain POST) without the CSRF header is refused 403 FORBIDDEN; with it, or as JSON, it runs', async () => {
    stack.clearCalls();
    const get = await call(stack, { method: 'GET', query: '{ instances(first: 1) { totalCount } }' });
    expect(get.status).toBe(403);
    expect(get.json.errors![0]!.extensions).toEqual({ code: 'FORBIDDEN' });
    const form = await stack.gateway.yoga.fetch('http://backupql.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ instances(first: 1) { totalCount } }' }),
    });
    expect(form.status).toBe(403);
    expect(stack.calls()).toEqual([]);
    const withHeader = await call(stack, { method: 'GET', query: '{ __typename }', headers: { 'x-backupql-csrf': '1' } });
    expect(withHeader.status).toBe(200);
    expect((await call(stack, { body: { query: '{ __typename }' } })).status).toBe(200);
  });
});

describe('persisted operations', () => {
  const NAMED = 'query Coverage { backupCoverage(first: 5) { summary { total } } }';
  const TYPENAME = '{ __typename }';
  let file: string;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'backupql-persisted-'));
    file = join(dir, 'operations.json');
    writeFileSync(file, JSON.stringify({ [sha256(NAMED)]: NAMED, [`sha256:${sha256(TYPENAME)}`]: TYPENAME }));
  });

  it('only: runs the listed operations by hash (APQ or documentId) or by their text, refuses anything else before it runs', async () => {
    const stack = await startStack({ configure: withAuth(undefined, { persistedOperations: { file } }) });
    try {
      const apq = await call(stack, { body: { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(NAMED) } } } });
      expect(apq.status).toBe(200);
      expect((apq.json.data!['backupCoverage'] as { summary: { total: number } }).summary.total).toBeGreaterThan(0);
      const byId = await call(stack, { body: { documentId: `sha256:${sha256(TYPENAME)}` } });
      expect(byId.json.data).toEqual({ __typename: 'Query' });
      const byText = await call(stack, { body: { query: NAMED } });
      expect(byText.status).toBe(200);

      stack.clearCalls();
      const arbitrary = await call(stack, { body: { query: '{ instances(first: 100) { totalCount } }' } });
      expect(arbitrary.status).toBe(403);
      expect(arbitrary.json.errors![0]!.extensions).toEqual({ code: 'FORBIDDEN' });
      const unknown = await call(stack, { body: { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ x }') } } } });
      expect(codes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      expect(stack.calls()).toEqual([]);
    } finally {
      await stack.close();
    }
  });

  it('not only: the listed ones by hash, and arbitrary operations too', async () => {
    const stack = await startStack({ configure: withAuth(undefined, { persistedOperations: { file, only: false } }) });
    try {
      expect((await call(stack, { body: { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(TYPENAME) } } } })).json.data).toEqual({
        __typename: 'Query',
      });
      expect((await call(stack, { body: { query: '{ instances(first: 1) { totalCount } }' } })).status).toBe(200);
    } finally {
      await stack.close();
    }
  });

  it('a file whose document does not hash to its key is refused at start', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'backupql-persisted-')), 'bad.json');
    writeFileSync(bad, JSON.stringify({ [sha256(TYPENAME)]: NAMED }));
    expect(() => loadPersistedOperations(bad)).toThrow(/does not hash to it/);
    writeFileSync(bad, JSON.stringify({ 'not-a-hash': TYPENAME }));
    expect(() => loadPersistedOperations(bad)).toThrow(/is not a sha256/);
  });
});
