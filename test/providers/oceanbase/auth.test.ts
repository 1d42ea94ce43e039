/**
 * Hybrid-encryption auth (notes §4) between ObshellClient and the simulated agent, over loopback.
 */
import { createDecipheriv } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpTransport } from '../../../src/lib/http.js';
import {
  authHeaderPlaintext,
  buildAuthHeader,
  createAesKeys,
  encryptBody,
  importAgentPublicKey,
  RSA_CHUNK_BYTES,
  rsaEncryptChunked,
} from '../../../src/providers/oceanbase/auth.js';
import { AgentKeyPair, decodeHeaderJson } from '../../../src/simulators/obshell/crypto.js';
import { OBSHELL_ROUTES, startObshellSimulator, type ObshellSimulator } from '../../../src/simulators/obshell/server.js';
import { CLOCK, authHeader, clientFor, currentErrorBody, everything, expectUpstreamError, hangzhou, nowSeconds, raw } from './helpers.js';

describe('auth.ts building blocks', () => {
  for (const bits of [512, 1024] as const) {
    it(`builds a header a ${bits}-bit agent key decrypts to {Auth, Ts (string), Uri, Keys}`, () => {
      const agent = new AgentKeyPair(bits);
      const { header, keys } = buildAuthHeader({
        password: 'p@ss "quoted" 密码',
        uri: '/api/v1/tenant/trade/backup/tasks?page=2&sort=start_timestamp%2Casc',
        expiresAt: 1_900_000_000,
        publicKey: importAgentPublicKey(agent.publicKeyBase64),
      });
      const ciphertext = Buffer.from(header, 'base64');
      expect(ciphertext.length % agent.blockBytes).toBe(0);
      const plaintext = agent.decrypt(header);
      // The JSON is longer than one 53-byte chunk: several blocks, one per chunk.
      expect(ciphertext.length / agent.blockBytes).toBe(Math.ceil(plaintext.length / RSA_CHUNK_BYTES));
      const json = JSON.parse(plaintext.toString('utf8')) as Record<string, unknown>;
      expect(Object.keys(json)).toEqual(['Auth', 'Ts', 'Uri', 'Keys']);
      expect(json).toMatchObject({ Auth: 'p@ss "quoted" 密码', Ts: '1900000000', Uri: '/api/v1/tenant/trade/backup/tasks?page=2&sort=start_timestamp%2Casc' });
      expect(Buffer.from(json.Keys as string, 'base64')).toEqual(Buffer.concat([keys.key, keys.iv]));
      const decoded = decodeHeaderJson(plaintext);
      expect(decoded.keys).toEqual(Buffer.concat([keys.key, keys.iv]));
    });
  }

  it('encrypts a body with AES-128-CBC/PKCS#7 as raw base64 under the header keys', () => {
    const keys = createAesKeys();
    const body = JSON.stringify({ mode: 'full', plus_archive: true });
    const sent = encryptBody(body, keys);
    expect(sent).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const decipher = createDecipheriv('aes-128-cbc', keys.key, keys.iv);
    const back = Buffer.concat([decipher.update(Buffer.from(sent, 'base64')), decipher.final()]).toString('utf8');
    expect(back).toBe(body);
    expect(Buffer.from(sent, 'base64').length).toBe(Math.ceil((body.length + 1) / 16) * 16);
  });
});

describe('auth against the simulated agent (current style)', () => {
  let sim: ObshellSimulator;
  let transport: HttpTransport;
  const cluster = hangzhou();
  const overview = '/api/v1/tenants/overview';

  beforeAll(async () => {
    sim = await startObshellSimulator({ clock: CLOCK, cluster });
    transport = new HttpTransport({ timeoutMs: 5000 });
  });
  afterAll(async () => {
    await transport.close();
    await sim.close();
  });
  beforeEach(() => {
    sim.server.clearCalls();
    sim.server.clearFaults();
  });

  it('round trip: fetches the key once, sends X-OCS-Header whose Uri is exactly the path and query sent', async () => {
    const client = clientFor(sim, transport);
    const tenants = await client.tenantsOverview();
    expect(tenants.map((t) => t.tenant_name)).toContain('trade');
    // A query with characters that get percent-encoded: the Uri check passes only if byte-identical.
    const page = await client.tenantBackupJobs('trade', {
      page: 1,
      size: 5,
      statuses: ['completed', 'FAILED'],
      sort: { field: 'end_timestamp', order: 'asc' },
      startTime: new Date(Date.UTC(2025, 0, 1)),
      endTime: new Date(Date.UTC(2025, 4, 10, 0, 0, 0, 123)),
    });
    expect(page.contents.length).toBe(5);
    expect(sim.server.callsTo(OBSHELL_ROUTES.secret)).toHaveLength(1);
    expect(sim.server.callsTo(OBSHELL_ROUTES.tenantBackupTasks)[0]!.status).toBe(200);
  });

  it('concurrent first calls share one public-key fetch', async () => {
    const client = clientFor(sim, transport);
    await Promise.all([client.tenantsOverview(), client.clusterBackupOverview(), client.tenantBackupOverview('crm'), client.tenantsOverview()]);
    expect(sim.server.callsTo(OBSHELL_ROUTES.secret)).toHaveLength(1);
  });

  it('re-fetches the key exactly once after rotateKey() and retries the call once', async () => {
    const client = clientFor(sim, transport);
    await client.tenantsOverview();
    expect(sim.server.callsTo(OBSHELL_ROUTES.secret)).toHaveLength(1);
    sim.rotateKey();
    await Promise.all([client.tenantsOverview(), client.tenantBackupOverview('crm'), client.clusterBackupOverview()]);
    expect(sim.server.callsTo(OBSHELL_ROUTES.secret)).toHaveLength(2);
    // The first overview call succeeded; the second was refused (old key), then retried with the new one.
    expect(sim.server.callsTo(OBSHELL_ROUTES.tenantsOverview).map((c) => c.status)).toEqual([200, 401, 200]);
    await client.tenantsOverview();
    expect(sim.server.callsTo(OBSHELL_ROUTES.secret)).toHaveLength(2);
  });

  it('gives up after one re-fetch and one retry when the agent keeps refusing the header', async () => {
    const client = clientFor(sim, transport);
    await client.tenantsOverview();
    sim.server.clearCalls();
    const body = currentErrorBody(401, 'Security.Authentication.Header.DecryptFailed', 'Decrypt http header failed: crypto/rsa: decryption error', {});
    sim.server.addFault({ route: OBSHELL_ROUTES.tenantsOverview, kind: 'status', status: 401, body });
    await expectUpstreamError(client.tenantsOverview(), {
      code: 'UPSTREAM_AUTH_FAILED',
      httpStatus: 401,
      upstreamCode: 'Security.Authentication.Header.DecryptFailed',
      operation: 'GET /api/v1/tenants/overview',
    });
    expect(sim.server.callsTo(OBSHELL_ROUTES.secret)).toHaveLength(1);
    expect(sim.server.callsTo(OBSHELL_ROUTES.tenantsOverview)).toHaveLength(2);
  });

  it('wrong password: 401 IncorrectOceanbasePassword (legacy code 10008), normalized without the password', async () => {
    const answer = await raw(sim, overview, { 'X-OCS-Header': authHeader(sim, overview, { password: 'not-the-password' }) });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ successful: false, status: 401 });
    expect(answer.body).not.toHaveProperty('data');
    expect(answer.error).toEqual({
      code: 10008,
      errCode: 'Security.Authentication.IncorrectOceanbasePassword',
      message: 'Unauthorized: OceanBase password is incorrect',
    });

    const client = clientFor(sim, transport, { password: 'Wrong#Secret-42' });
    const err = await expectUpstreamError(client.tenantsOverview(), {
      code: 'UPSTREAM_AUTH_FAILED',
      httpStatus: 401,
      upstreamCode: 'Security.Authentication.IncorrectOceanbasePassword',
      upstreamMessage: 'Unauthorized: OceanBase password is incorrect',
      operation: 'GET /api/v1/tenants/overview',
    });
    expect(err.traceId).toMatch(/^[0-9a-f]{16}$/);
    const text = everything(err);
    expect(text).not.toContain('Wrong#Secret-42');
    expect(text).not.toContain(cluster.password);
    expect(text).not.toMatch(/[A-Za-z0-9+/]{100,}/); // no header or key material
  });

  it('expired Ts: 401 Security.Authentication.Expired', async () => {
    const answer = await raw(sim, overview, { 'X-OCS-Header': authHeader(sim, overview, { expiresAt: nowSeconds() - 5 }) });
    expect(answer.status).toBe(401);
    expect(answer.error).toEqual({ code: 10008, errCode: 'Security.Authentication.Expired', message: 'Unauthorized: Authentication expired' });
  });

  it('a Ts expiring this very second is still accepted (refused only when now > Ts)', async () => {
    const answer = await raw(sim, overview, { 'X-OCS-Header': authHeader(sim, overview, { expiresAt: nowSeconds() + 1 }) });
    expect(answer.status).toBe(200);
  });

  it('Ts not an integer string: 401 Security.Authentication.Timestamp.Invalid', async () => {
    const plaintext = JSON.stringify({ Auth: cluster.password, Ts: 'tomorrow', Uri: overview, Keys: null });
    const header = rsaEncryptChunked(Buffer.from(plaintext), importAgentPublicKey(sim.publicKeyBase64)).toString('base64');
    const answer = await raw(sim, overview, { 'X-OCS-Header': header });
    expect(answer.status).toBe(401);
    expect(answer.error).toEqual({
      code: 10008,
      errCode: 'Security.Authentication.Timestamp.Invalid',
      message: 'Unauthorized: Invalid timestamp: tomorrow, err: strconv.ParseInt: parsing "tomorrow": invalid syntax',
    });
  });

  it('Ts as a JSON number cannot be decoded: 401 Header.DecryptFailed', async () => {
    const plaintext = JSON.stringify({ Auth: cluster.password, Ts: nowSeconds() + 60, Uri: overview });
    const header = rsaEncryptChunked(Buffer.from(plaintext), importAgentPublicKey(sim.publicKeyBase64)).toString('base64');
    const answer = await raw(sim, overview, { 'X-OCS-Header': header });
    expect(answer.status).toBe(401);
    expect(answer.error).toEqual({
      code: 1,
      errCode: 'Security.Authentication.Header.DecryptFailed',
      message: 'Decrypt http header failed: json: cannot unmarshal number into Go struct field HttpHeader.Ts of type string',
    });
  });

  it('Uri mismatch (byte for byte, query included): 401 Header.UriMismatch', async () => {
    const path = '/api/v1/tenant/trade/backup/tasks?page=1&size=2';
    for (const uriInHeader of ['/api/v1/tenant/trade/backup/tasks', '/api/v1/tenant/trade/backup/tasks?size=2&page=1', path.toUpperCase()]) {
      const answer = await raw(sim, path, { 'X-OCS-Header': authHeader(sim, path, { uriInHeader }) });
      expect(answer.status).toBe(401);
      expect(answer.error).toEqual({ code: 10008, errCode: 'Security.Authentication.Header.UriMismatch', message: 'URI mismatch' });
    }
    expect((await raw(sim, path, { 'X-OCS-Header': authHeader(sim, path) })).status).toBe(200);
  });

  it('missing header on a protected route: 400 Request.Header.NotFound; /info and /secret need none', async () => {
    const answer = await raw(sim, overview);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ successful: false, status: 400 });
    expect(answer.error).toEqual({
      errCode: 'Request.Header.NotFound',
      message: 'X-OCS-Agent-Header or X-OCS-Header not found in http request header',
    });
    expect((await raw(sim, '/api/v1/info')).status).toBe(200);
    expect((await raw(sim, '/api/v1/secret')).status).toBe(200);
  });

  it('undecryptable header: 401 Header.DecryptFailed (code 1 on a 1024-bit agent), on any route', async () => {
    const otherKey = new AgentKeyPair(1024);
    const foreign = buildAuthHeader({
      password: cluster.password,
      uri: overview,
      expiresAt: nowSeconds() + 60,
      publicKey: importAgentPublicKey(otherKey.publicKeyBase64),
    }).header;
    for (const path of [overview, '/api/v1/secret', '/api/v1/no/such/route']) {
      const answer = await raw(sim, path, { 'X-OCS-Header': foreign });
      expect(answer.status).toBe(401);
      expect(answer.error).toEqual({
        code: 1,
        errCode: 'Security.Authentication.Header.DecryptFailed',
        message: 'Decrypt http header failed: crypto/rsa: decryption error',
      });
    }
    const notBase64 = await raw(sim, overview, { 'X-OCS-Header': 'not base64!' });
    expect(notBase64.status).toBe(401);
    expect(notBase64.error?.message).toBe('Decrypt http header failed: illegal base64 data at input byte 3');
  });

  it('an empty Auth skips the Ts check but still fails the password check', async () => {
    const answer = await raw(sim, overview, { 'X-OCS-Header': authHeader(sim, overview, { password: '', expiresAt: 1 }) });
    expect(answer.status).toBe(401);
    expect(answer.error?.errCode).toBe('Security.Authentication.IncorrectOceanbasePassword');
  });
});

describe('agents with no password, and with 512-bit keys', () => {
  const cluster = hangzhou();
  let open: ObshellSimulator;
  let old: ObshellSimulator;
  let transport: HttpTransport;

  beforeAll(async () => {
    [open, old] = await Promise.all([
      startObshellSimulator({ clock: CLOCK, cluster, password: null }),
      startObshellSimulator({ clock: CLOCK, cluster, keyBits: 512 }),
    ]);
    transport = new HttpTransport({ timeoutMs: 5000 });
  });
  afterAll(async () => {
    await transport.close();
    await Promise.all([open.close(), old.close()]);
  });

  it('no password configured: a client without password works; a request without header is still refused', async () => {
    const client = clientFor(open, transport, { password: undefined });
    expect((await client.tenantsOverview()).length).toBe(cluster.tenants.length);
    // Verify() wants one of the headers whether or not a password is set (400 Request.Header.NotFound).
    const bare = await raw(open, '/api/v1/tenants/overview');
    expect(bare.status).toBe(400);
    expect(bare.error?.errCode).toBe('Request.Header.NotFound');
  });

  it('no password configured: a header that is sent is still decrypted and its Uri checked', async () => {
    const path = '/api/v1/tenants/overview';
    const mismatch = await raw(open, path, { 'X-OCS-Header': authHeader(open, path, { password: '', uriInHeader: '/api/v1/info' }) });
    expect(mismatch.error?.errCode).toBe('Security.Authentication.Header.UriMismatch');
    const garbled = await raw(open, path, { 'X-OCS-Header': 'AAAA' });
    expect(garbled.error?.errCode).toBe('Security.Authentication.Header.DecryptFailed');
    const client = clientFor(open, transport, { password: 'unexpected' });
    await expectUpstreamError(client.tenantsOverview(), { code: 'UPSTREAM_AUTH_FAILED', upstreamCode: 'Security.Authentication.IncorrectOceanbasePassword' });
  });

  it('512-bit agent (< 4.4.2.0): the 53-byte chunks fit, and DecryptFailed carries no legacy code', async () => {
    const client = clientFor(old, transport);
    expect((await client.tenantsOverview()).length).toBe(cluster.tenants.length);
    expect(Buffer.from(old.publicKeyBase64, 'base64').length).toBeLessThan(80);
    const answer = await raw(old, '/api/v1/tenants/overview', { 'X-OCS-Header': 'AAAA' });
    expect(answer.error).toEqual({
      errCode: 'Security.Authentication.Header.DecryptFailed',
      message: 'Decrypt http header failed: crypto/rsa: decryption error',
    });
    old.rotateKey();
    expect((await client.tenantsOverview()).length).toBe(cluster.tenants.length);
    expect(old.server.callsTo(OBSHELL_ROUTES.secret)).toHaveLength(2);
  });

  it('authHeaderPlaintext writes Ts as a string even for fractional expiries', () => {
    const keys = createAesKeys();
    expect(JSON.parse(authHeaderPlaintext({ password: '', uri: '/x', expiresAt: 1700000000.9, keys }))).toMatchObject({ Auth: '', Ts: '1700000000' });
  });
});

describe('agents with only an agent password: X-OCS-Agent-Header', () => {
  const cluster = hangzhou();
  let agent: ObshellSimulator;
  let transport: HttpTransport;
  beforeAll(async () => {
    agent = await startObshellSimulator({ clock: CLOCK, cluster, password: null, agentPassword: 'Agent#Secret42' });
    transport = new HttpTransport({ timeoutMs: 5000 });
  });
  afterAll(async () => {
    await transport.close();
    await agent.close();
  });

  it('the client sends the agent password in X-OCS-Agent-Header when configured with one', async () => {
    const client = clientFor(agent, transport, { password: undefined, agentPassword: 'Agent#Secret42' });
    expect((await client.tenantsOverview()).length).toBe(cluster.tenants.length);
  });

  it('the root-password header is refused there, and a wrong agent password too; neither leaks the secret', async () => {
    const viaRoot = clientFor(agent, transport, { password: undefined });
    await expectUpstreamError(viaRoot.tenantsOverview(), { code: 'UPSTREAM_AUTH_FAILED', upstreamCode: 'Security.Authentication.WithAgentPassword' });
    const wrong = clientFor(agent, transport, { password: undefined, agentPassword: 'Agent#Wrong0' });
    const err = await expectUpstreamError(wrong.tenantsOverview(), {
      code: 'UPSTREAM_AUTH_FAILED',
      upstreamCode: 'Security.Authentication.IncorrectAgentPassword',
    });
    expect(everything(err)).not.toContain('Agent#Wrong0');
  });
});
