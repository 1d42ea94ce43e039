/**
 * The simulated API gateway over real loopback HTTP: AK/SK verification against requests signed
 * by the official SDK's signer (another implementation), one-byte tampering, token auth, clock
 * skew, unknown routes, project scoping, throttling, request IDs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/lib/clock.js';
import { AkSkAuth } from '../../../src/providers/huawei/auth.js';
import { formatSdkDate } from '../../../src/providers/huawei/signer.js';
import { FLEET_NOW, startHarness, jsonOf, sdkSignedGet, undiciGet, upstreamError, type Harness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

/** Changes one character of `text` at `index` (to a different one of the same class). */
function flip(text: string, index: number): string {
  const c = text[index]!;
  const replacement = /[0-9]/.test(c) ? String((Number(c) + 1) % 10) : c === 'a' ? 'b' : 'a';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

describe('requests signed by the official SDK signer', () => {
  const dcsCase = () => {
    const instance = h.project.dcs[0]!.row.instance_id;
    return {
      route: 'dcs.listBackups',
      path: `/v2/${h.project.projectId}/instances/${instance}/backups`,
      query: { begin_time: '20240901000000', end_time: '20241012000000', limit: '10', offset: '0' },
      valueKey: 'limit',
    };
  };
  const rdsCase = () => ({
    route: 'rds.listBackups',
    path: `/v3/${h.project.projectId}/backups`,
    query: { instance_id: h.project.rds[0]!.row.id, begin_time: '2024-09-01T00:00:00+0800', end_time: '2024-10-12T00:00:00+0000', limit: '100', offset: '0' },
    valueKey: 'begin_time',
  });

  for (const [name, make] of [
    ['DCS', dcsCase],
    ['RDS', rdsCase],
  ] as const) {
    describe(name, () => {
      const sign = () => {
        const c = make();
        const signed = sdkSignedGet(h.sim.url, c.path, c.query, { 'X-Project-Id': h.project.projectId }, h.fleet.huawei.accessKey, h.fleet.huawei.secretKey);
        return { ...c, ...signed };
      };

      it('is accepted', async () => {
        const { url, headers } = sign();
        expect(headers['Authorization']).toMatch(/SignedHeaders=host;x-project-id;x-sdk-date,/);
        const res = await undiciGet(url, headers);
        expect(res.status).toBe(200);
        expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
      });

      it('is refused with one byte changed in the path', async () => {
        const { url, headers, route } = sign();
        const at = url.indexOf('/backups') - 1; // last character of the ID segment before it
        h.sim.server.clearCalls();
        const res = await undiciGet(flip(url, at), headers);
        expect(res.status).toBe(401);
        expect(res.json).toMatchObject({ error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information: verify aksk signature fail' });
        expect(h.sim.server.callsTo(route)).toHaveLength(1); // it reached the route, and the gateway refused it
      });

      it('is refused with one byte changed in a query value', async () => {
        const { url, headers, valueKey } = sign();
        const at = url.indexOf(`${valueKey}=`) + valueKey.length + 1;
        const res = await undiciGet(flip(url, at), headers);
        expect(res.status).toBe(401);
        expect(res.json).toMatchObject({ error_code: 'APIGW.0301' });
      });

      it('is refused with one byte changed in a signed header (x-sdk-date, still within 15 min)', async () => {
        const { url, headers } = sign();
        const date = headers['X-Sdk-Date']!;
        const changed = date.slice(0, 14) + (date[14] === '0' ? '1' : '0') + date.slice(15);
        const res = await undiciGet(url, { ...headers, 'X-Sdk-Date': changed });
        expect(res.status).toBe(401);
        expect(res.json).toMatchObject({ error_code: 'APIGW.0301', error_msg: expect.stringContaining('verify aksk signature fail') });
      });

      it('is refused with one byte changed in X-Project-Id (signed)', async () => {
        const { url, headers } = sign();
        const res = await undiciGet(url, { ...headers, 'X-Project-Id': flip(h.project.projectId, 31) });
        expect(res.status).toBe(401);
        expect(res.json).toMatchObject({ error_code: 'APIGW.0301' });
      });

      it('is refused with one byte changed in the signature', async () => {
        const { url, headers } = sign();
        const auth = headers['Authorization']!;
        const res = await undiciGet(url, { ...headers, Authorization: flip(auth, auth.length - 1) });
        expect(res.status).toBe(401);
        expect(res.json).toMatchObject({ error_code: 'APIGW.0301', error_msg: expect.stringContaining('verify aksk signature fail') });
        expect(typeof res.json!['request_id']).toBe('string');
        expect(res.json!['request_id']).toBe(res.headers['x-request-id']);
      });
    });
  }

  it('is refused with a body byte the signature did not cover (body hash)', async () => {
    const instance = h.project.dcs[0]!.row.instance_id;
    const { url, headers } = sdkSignedGet(
      h.sim.url,
      `/v2/${h.project.projectId}/instances/${instance}/backups`,
      {},
      {},
      h.fleet.huawei.accessKey,
      h.fleet.huawei.secretKey,
    );
    const { request } = await import('undici');
    const withBody = await request(url, { method: 'GET', headers, body: 'x' });
    expect(withBody.statusCode).toBe(401);
    expect(JSON.parse(await withBody.body.text())).toMatchObject({ error_code: 'APIGW.0301' });
    expect((await undiciGet(url, headers)).status).toBe(200);
  });
});

describe('our AkSkAuth and TokenAuth round trips', () => {
  it('AkSkAuth is accepted by all four routes', async () => {
    const p = h.project;
    for (const path of [
      `/v2/${p.projectId}/instances`,
      `/v2/${p.projectId}/instances/${p.dcs[0]!.row.instance_id}/backups`,
      `/v3/${p.projectId}/instances`,
      `/v3/${p.projectId}/backups?instance_id=${p.rds[0]!.row.id}&begin_time=2024-10-01T00%3A00%3A00%2B0800&end_time=2024-10-02T00%3A00%3A00Z`,
    ]) {
      const res = await h.raw(path, h.aksk());
      expect(res.status, path).toBe(200);
    }
  });

  it('AkSkAuth with a security token is accepted (x-security-token signed)', async () => {
    const res = await h.raw(`/v3/${h.project.projectId}/instances`, h.aksk({ securityToken: 'sts-token-value' }));
    expect(res.status).toBe(200);
  });

  it('TokenAuth is accepted', async () => {
    const res = await h.raw(`/v3/${h.project.projectId}/instances`, h.token());
    expect(res.status).toBe(200);
  });
});

describe('refused credentials', () => {
  const path = () => `/v2/${h.project.projectId}/instances`;

  it('wrong SK: 401 APIGW.0301 verify aksk signature fail → UPSTREAM_AUTH_FAILED', async () => {
    const res = await h.raw(path(), h.aksk({ secretKey: 'not-the-secret-key-0123456789' }));
    expect(res.status).toBe(401);
    expect(jsonOf(res)).toMatchObject({ error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information: verify aksk signature fail' });
    const err = await upstreamError(h.dcs(h.aksk({ secretKey: 'not-the-secret-key-0123456789' })).listInstances());
    expect(err).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', httpStatus: 401, upstreamCode: 'APIGW.0301', provider: 'DCS', source: 'hw-test' });
    expect(err.requestId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('unknown AK: "Get secretKey failed,ak:…,err:ak not exist", with the AK redacted in our error', async () => {
    const unknownAk = 'HPUAUNKNOWNACCESSKEY0';
    const res = await h.raw(path(), h.aksk({ accessKey: unknownAk }));
    expect(res.status).toBe(401);
    expect(jsonOf(res)['error_msg']).toBe(`Incorrect IAM authentication information: Get secretKey failed,ak:${unknownAk},err:ak not exist`);
    const err = await upstreamError(h.dcs(h.aksk({ accessKey: unknownAk })).listInstances());
    expect(err.code).toBe('UPSTREAM_AUTH_FAILED');
    expect(err.upstreamMessage).toBe('Incorrect IAM authentication information: Get secretKey failed,ak:***,err:ak not exist');
  });

  it('bad token: decrypt token fail', async () => {
    const res = await h.raw(path(), h.token('MIIZnot-the-token'));
    expect(res.status).toBe(401);
    expect(jsonOf(res)).toMatchObject({ error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information: decrypt token fail' });
    const err = await upstreamError(h.rds(h.token('MIIZnot-the-token')).listInstances());
    expect(err).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', provider: 'RDS', upstreamCode: 'APIGW.0301' });
  });

  it('no credentials at all', async () => {
    const res = await undiciGet(`${h.sim.url}${path()}`, {});
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information: x-auth-token not found' });
  });

  it('stale X-Sdk-Date (> 15 min) is refused; 14 min is accepted', async () => {
    const skewed = (minutes: number) => h.aksk({ clock: fixedClock(FLEET_NOW + minutes * 60_000) });
    for (const minutes of [-16, 16]) {
      const res = await h.raw(path(), skewed(minutes));
      expect(res.status, `${minutes} min`).toBe(401);
      expect(jsonOf(res)).toMatchObject({ error_code: 'APIGW.0301', error_msg: expect.stringContaining('signature expired') });
    }
    const err = await upstreamError(h.dcs(skewed(-16)).listInstances());
    expect(err.code).toBe('UPSTREAM_AUTH_FAILED');
    for (const minutes of [-14, 14]) expect((await h.raw(path(), skewed(minutes))).status, `${minutes} min`).toBe(200);
  });

  it('the gateway clock is the `clock` option', async () => {
    const { startHuaweiSimulator } = await import('../../../src/simulators/huawei/server.js');
    const sim = await startHuaweiSimulator({ account: h.fleet.huawei, clock: fixedClock(Date.UTC(2024, 1, 1, 12, 5)) });
    try {
      const auth = new AkSkAuth({ accessKey: h.fleet.huawei.accessKey, secretKey: h.fleet.huawei.secretKey, clock: fixedClock(Date.UTC(2024, 1, 1, 12)) });
      const ok = await h.dcs(auth, { endpoint: sim.url }).listInstances();
      expect(ok.instance_num).toBe(h.project.dcs.length);
      const stale = await upstreamError(h.dcs(h.aksk(), { endpoint: sim.url }).listInstances());
      expect(stale.code).toBe('UPSTREAM_AUTH_FAILED');
    } finally {
      await sim.close();
    }
  });
});

describe('routes and projects', () => {
  it('unknown route: 404 APIGW.0101 with request_id, before authentication', async () => {
    const res = await undiciGet(`${h.sim.url}/v2/${h.project.projectId}/nothing`, {});
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ error_code: 'APIGW.0101', error_msg: 'The API does not exist or has not been published in the environment.' });
    expect(res.json!['request_id']).toBe(res.headers['x-request-id']);
    const err = await upstreamError(h.dcs(undefined, { endpoint: `${h.sim.url}/prefix` }).listInstances());
    expect(err).toMatchObject({ code: 'UPSTREAM_ERROR', httpStatus: 404, upstreamCode: 'APIGW.0101' });
  });

  it('a project the account does not have: DCS 401 DCS.1004, RDS 403 DBS.200010 → UPSTREAM_AUTH_FAILED', async () => {
    const other = 'ffffffffffffffffffffffffffffffff';
    const dcsRes = await h.raw(`/v2/${other}/instances`);
    expect(dcsRes.status).toBe(401);
    expect(jsonOf(dcsRes)).toEqual({ error_code: 'DCS.1004', error_msg: 'The project ID does not match the token.', error_ext_msg: null });
    const rdsRes = await h.raw(`/v3/${other}/backups?instance_id=${h.project.rds[0]!.row.id}`);
    expect(rdsRes.status).toBe(403);
    expect(jsonOf(rdsRes)['error_code']).toBe('DBS.200010');

    expect((await upstreamError(h.dcs(h.token(), { projectId: other }).listInstances())).code).toBe('UPSTREAM_AUTH_FAILED');
    expect((await upstreamError(h.rds(h.token(), { projectId: other }).listInstances())).code).toBe('UPSTREAM_AUTH_FAILED');
  });

  it("an AK/SK caller's X-Project-Id must name the path's project", async () => {
    const second = h.fleet.huawei.projects[1]!.projectId;
    const res = await h.raw(`/v2/${second}/instances`, h.aksk()); // X-Project-Id = first project
    expect(res.status).toBe(401);
    expect(jsonOf(res)['error_code']).toBe('DCS.1004');
    const ok = await h.dcs(h.aksk({ projectId: second }), { projectId: second }).listInstances();
    expect(ok.instance_num).toBe(h.fleet.huawei.projects[1]!.dcs.length);
  });

  it('a malformed DCS project ID: 400 DCS.4002', async () => {
    const res = await h.raw('/v2/NOT-A-PROJECT/instances');
    expect(res.status).toBe(400);
    expect(jsonOf(res)).toMatchObject({ error_code: 'DCS.4002', error_msg: 'Invalid project ID format.' });
  });

  it('every answer carries X-Request-Id: 200, 204, service errors, gateway errors', async () => {
    const p = h.project;
    const empty = p.dcs.find((i) => i.backups.length === 0)!.row.instance_id;
    for (const [path, status] of [
      [`/v2/${p.projectId}/instances`, 200],
      [`/v2/${p.projectId}/instances/${empty}/backups`, 204],
      [`/v2/${p.projectId}/instances/not-a-uuid/backups`, 400],
      [`/v3/${p.projectId}/backups`, 400],
      [`/v9/${p.projectId}/backups`, 404],
    ] as const) {
      const res = await h.raw(path);
      expect(res.status, path).toBe(status);
      expect(res.headers['x-request-id'], path).toMatch(/^[0-9a-f]{32}$/);
    }
  });
});

describe('throttling (per credential token bucket)', () => {
  let t: Harness;
  beforeAll(async () => {
    t = await startHarness({ rateLimit: { requestsPerSecond: 0.5, burst: 2 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('429 APIGW.0308 with Retry-After and request_id once the burst is spent; other credentials unaffected', async () => {
    const path = `/v2/${t.project.projectId}/instances`;
    expect((await t.raw(path, t.aksk())).status).toBe(200);
    expect((await t.raw(path, t.aksk())).status).toBe(200);
    const res = await t.raw(path, t.aksk());
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const body = jsonOf(res);
    expect(body).toMatchObject({ error_code: 'APIGW.0308', error_msg: 'The throttling threshold has been reached.' });
    expect(body['request_id']).toBe(res.headers['x-request-id']);

    const err = await upstreamError(t.dcs(t.aksk()).listInstances());
    expect(err).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      httpStatus: 429,
      upstreamCode: 'APIGW.0308',
      upstreamMessage: 'The throttling threshold has been reached.',
    });
    expect(err.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(err.requestId).toMatch(/^[0-9a-f]{32}$/);

    // The token is another credential with its own bucket.
    expect((await t.raw(path, t.token())).status).toBe(200);
  });

  it('refused credentials do not spend a bucket (authentication comes first)', async () => {
    const res = await t.raw(`/v2/${t.project.projectId}/instances`, t.aksk({ secretKey: 'wrong-secret-key-000000000000' }));
    expect(res.status).toBe(401);
  });

  it('X-Sdk-Date formatting matches what the gateway parses', () => {
    expect(formatSdkDate(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toBe('20240102T030405Z');
  });
});
