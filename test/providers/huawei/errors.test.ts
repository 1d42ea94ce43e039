/**
 * Error normalization over real HTTP: documented error answers injected as simulator faults,
 * broken answers (malformed, truncated, reset, stalled, refused), and secrets never leaking.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BadInputError, type UpstreamErrorCode } from '../../../src/core/errors.js';
import { HttpTransport } from '../../../src/lib/http.js';
import type { HuaweiAuth } from '../../../src/providers/huawei/auth.js';
import { classifyHuaweiError, retryAfterSeconds } from '../../../src/providers/huawei/errors.js';
import { everythingIn, startHarness, upstreamError, type Harness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.sim.server.clearCalls();
  h.sim.server.clearFaults();
});

type Service = 'DCS' | 'RDS';
/** Calls one of the four client methods. */
function call(service: Service, which: 'instances' | 'backups', auth?: HuaweiAuth, transport?: HttpTransport): Promise<unknown> {
  const o = transport ? { transport } : {};
  if (service === 'DCS') {
    const c = h.dcs(auth, o);
    return which === 'instances' ? c.listInstances() : c.listBackups(h.project.dcs[0]!.row.instance_id);
  }
  const c = h.rds(auth, o);
  return which === 'instances' ? c.listInstances() : c.listBackups({ instanceId: h.project.rds[0]!.row.id });
}
const route = (service: Service, which: 'instances' | 'backups') => `${service.toLowerCase()}.${which === 'instances' ? 'listInstances' : 'listBackups'}`;

describe('documented error answers (injected as faults) → normalized errors', () => {
  const gw = (code: string, msg: string) => JSON.stringify({ error_msg: msg, error_code: code, request_id: 'body-request-id' });
  const dcs = (code: string, msg: string) => JSON.stringify({ error_code: code, error_msg: msg, error_ext_msg: null });
  const rds = (code: string, msg: string) => JSON.stringify({ error_code: code, error_msg: msg });
  const cases: [Service, number, string, string | undefined, string, UpstreamErrorCode][] = [
    // Gateway, both services.
    ['DCS', 401, 'APIGW.0307', 'The token must be updated.', gw('APIGW.0307', 'The token must be updated.'), 'UPSTREAM_AUTH_FAILED'],
    ['RDS', 401, 'APIGW.0307', 'The token must be updated.', gw('APIGW.0307', 'The token must be updated.'), 'UPSTREAM_AUTH_FAILED'],
    [
      'DCS',
      403,
      'APIGW.0302',
      'The IAM user is not authorized to access the API.',
      gw('APIGW.0302', 'The IAM user is not authorized to access the API.'),
      'UPSTREAM_AUTH_FAILED',
    ],
    ['RDS', 403, 'APIGW.0306', 'API access denied.', gw('APIGW.0306', 'API access denied.'), 'UPSTREAM_AUTH_FAILED'],
    [
      'RDS',
      401,
      'APIGW.0301',
      'Incorrect IAM authentication information: AK access failed to reach the limit,forbidden',
      gw('APIGW.0301', 'Incorrect IAM authentication information: AK access failed to reach the limit,forbidden'),
      'UPSTREAM_AUTH_FAILED',
    ],
    [
      'DCS',
      429,
      'APIGW.0308',
      'The throttling threshold has been reached.',
      gw('APIGW.0308', 'The throttling threshold has been reached.'),
      'UPSTREAM_UNAVAILABLE',
    ],
    // DCS.
    ['DCS', 401, 'DCS.1001', 'Invalid token.', dcs('DCS.1001', 'Invalid token.'), 'UPSTREAM_AUTH_FAILED'],
    ['DCS', 401, 'DCS.1002', 'Token expired.', dcs('DCS.1002', 'Token expired.'), 'UPSTREAM_AUTH_FAILED'],
    ['DCS', 401, 'DCS.1003', 'No token in the request.', dcs('DCS.1003', 'No token in the request.'), 'UPSTREAM_AUTH_FAILED'],
    ['DCS', 403, 'DCS.2003', 'The role does not have the permission.', dcs('DCS.2003', 'The role does not have the permission.'), 'UPSTREAM_AUTH_FAILED'],
    ['DCS', 403, 'DCS.3003', 'The role does not have the permission.', dcs('DCS.3003', 'The role does not have the permission.'), 'UPSTREAM_AUTH_FAILED'],
    [
      'DCS',
      403,
      'DCS.2007',
      'Policy does not allow dcs:instance:list to be performed.',
      dcs('DCS.2007', 'Policy does not allow dcs:instance:list to be performed.'),
      'UPSTREAM_AUTH_FAILED',
    ],
    ['DCS', 500, 'DCS.5078', 'Query backup record failed.', dcs('DCS.5078', 'Query backup record failed.'), 'UPSTREAM_ERROR'],
    ['DCS', 400, 'DCS.4062', 'Invalid limit parameter in the request.', dcs('DCS.4062', 'Invalid limit parameter in the request.'), 'UPSTREAM_ERROR'],
    ['DCS', 404, 'DCS.4001', 'The requested URL does not exist.', dcs('DCS.4001', 'The requested URL does not exist.'), 'UPSTREAM_ERROR'],
    [
      'DCS',
      404,
      '111404022',
      'This DCS instance does not exist.',
      JSON.stringify({ error: { code: '111404022', message: 'This DCS instance does not exist.' } }),
      'NOT_FOUND',
    ],
    // Top-level code/message, as the Go SDK reads them when there is no error_code.
    [
      'DCS',
      404,
      'DCS.3022',
      'This DCS instance does not exist.',
      JSON.stringify({ code: 'DCS.3022', message: 'This DCS instance does not exist.' }),
      'NOT_FOUND',
    ],
    ['DCS', 404, 'DCS.3022', undefined, JSON.stringify({ code: 'DCS.3022' }), 'NOT_FOUND'],
    // The first nested object that has them.
    [
      'RDS',
      400,
      'DBS.280204',
      'Invalid parameter.',
      JSON.stringify({ request: 'x', detail: { code: 'DBS.280204', message: 'Invalid parameter.' } }),
      'UPSTREAM_ERROR',
    ],
    // RDS.
    [
      'RDS',
      409,
      'DBS.200011',
      'Another operation is being performed on the DB instance or the DB instance is faulty.',
      rds('DBS.200011', 'Another operation is being performed on the DB instance or the DB instance is faulty.'),
      'UPSTREAM_ERROR',
    ],
    ['RDS', 500, 'DBS.108000', 'Server failure.', rds('DBS.108000', 'Server failure.'), 'UPSTREAM_ERROR'],
    ['RDS', 500, 'DBS.108005', 'Server failure.', rds('DBS.108005', 'Server failure.'), 'UPSTREAM_ERROR'],
    ['RDS', 400, 'DBS.280001', 'Parameter error.', rds('DBS.280001', 'Parameter error.'), 'UPSTREAM_ERROR'],
    ['RDS', 403, 'DBS.280056', 'Invalid token.', rds('DBS.280056', 'Invalid token.'), 'UPSTREAM_AUTH_FAILED'],
    [
      'RDS',
      403,
      'DBS.200010',
      'The DB instance ID or user ID may be null, or the operation is not authorized.',
      rds('DBS.200010', 'The DB instance ID or user ID may be null, or the operation is not authorized.'),
      'UPSTREAM_AUTH_FAILED',
    ],
    ['RDS', 403, 'DBS.200044', 'Resource not found or permission denied.', rds('DBS.200044', 'Resource not found or permission denied.'), 'UPSTREAM_ERROR'],
    ['RDS', 404, 'DBS.200045', 'The DB instance does not exist.', rds('DBS.200045', 'The DB instance does not exist.'), 'NOT_FOUND'],
    ['RDS', 404, 'DBS.200408', 'The DB instance does not exist.', rds('DBS.200408', 'The DB instance does not exist.'), 'NOT_FOUND'],
    ['RDS', 404, 'DBS.200602', 'The DB instance does not exist.', rds('DBS.200602', 'The DB instance does not exist.'), 'NOT_FOUND'],
    ['RDS', 404, 'DBS.201028', 'The DB instance does not exist.', rds('DBS.201028', 'The DB instance does not exist.'), 'NOT_FOUND'],
  ];

  it.each(cases)('%s %i %s', async (service, status, code, message, body, expected) => {
    h.sim.server.addFault({
      route: route(service, 'backups'),
      kind: 'status',
      status,
      body,
      headers: { 'x-request-id': 'hdr-request-id', 'retry-after': '7' },
      times: 1,
    });
    const err = await upstreamError(call(service, 'backups'));
    expect(err).toMatchObject({
      code: expected,
      provider: service,
      source: 'hw-test',
      httpStatus: status,
      upstreamCode: code,
      upstreamMessage: message,
      requestId: 'hdr-request-id',
      retryAfterSeconds: 7,
      operation: service === 'DCS' ? 'GET /v2/{project_id}/instances/{instance_id}/backups' : 'GET /v3/{project_id}/backups',
    });
  });

  it('request_id comes from the body when the X-Request-Id header is absent', async () => {
    h.sim.server.addFault({
      route: 'rds.listInstances',
      kind: 'status',
      status: 429,
      body: gw('APIGW.0308', 'The throttling threshold has been reached.'),
      times: 1,
    });
    const err = await upstreamError(call('RDS', 'instances'));
    expect(err).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      requestId: 'body-request-id',
      retryAfterSeconds: undefined,
      operation: 'GET /v3/{project_id}/instances',
    });
  });

  it('a 401 with an unknown code or no JSON body is still an auth failure', async () => {
    h.sim.server.addFault({ route: 'dcs.listInstances', kind: 'status', status: 401, body: 'Unauthorized', times: 1 });
    const err = await upstreamError(call('DCS', 'instances'));
    expect(err).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', httpStatus: 401, upstreamCode: undefined, upstreamMessage: 'Unauthorized' });
  });

  it('a 5xx with an HTML body is UPSTREAM_ERROR; a 502/503/504 (a gateway in front of a down upstream) is UPSTREAM_UNAVAILABLE', async () => {
    for (const [status, code] of [
      [500, 'UPSTREAM_ERROR'],
      [502, 'UPSTREAM_UNAVAILABLE'],
    ] as const) {
      h.sim.server.addFault({
        route: 'dcs.listBackups',
        kind: 'status',
        status,
        body: '<html><body>Bad Gateway</body></html>',
        headers: { 'content-type': 'text/html' },
        times: 1,
      });
      const err = await upstreamError(call('DCS', 'backups'));
      expect(err).toMatchObject({ code, httpStatus: status, upstreamCode: undefined, upstreamMessage: 'Bad Gateway' });
      expect(err.message).toContain('Bad Gateway');
    }
  });

  it('classifyHuaweiError: OTC spells the gateway prefix APIG.', () => {
    expect(classifyHuaweiError(403, 'APIG.0302')).toBe('UPSTREAM_AUTH_FAILED');
    expect(classifyHuaweiError(500, undefined)).toBe('UPSTREAM_ERROR');
  });

  it('retryAfterSeconds reads delay-seconds and HTTP dates', () => {
    const now = Date.UTC(2024, 9, 12, 2, 0, 0);
    expect(retryAfterSeconds('3', now)).toBe(3);
    // An HTTP date has whole seconds: 4.5 s ahead is written 4 s ahead; rounded up, never negative.
    expect(retryAfterSeconds(new Date(now + 4_500).toUTCString(), now)).toBe(4);
    expect(retryAfterSeconds(new Date(now + 4_000).toUTCString(), now + 500)).toBe(4);
    expect(retryAfterSeconds(new Date(now - 60_000).toUTCString(), now)).toBe(0);
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
    expect(retryAfterSeconds(undefined, now)).toBeUndefined();
  });
});

describe('unusable 2xx answers → UPSTREAM_ERROR', () => {
  it.each([['DCS'], ['RDS']] as const)('%s: malformed JSON', async (service) => {
    h.sim.server.addFault({ route: route(service, 'backups'), kind: 'malformed', times: 1 });
    const err = await upstreamError(call(service, 'backups'));
    expect(err).toMatchObject({ code: 'UPSTREAM_ERROR', httpStatus: 200, provider: service });
    expect(err.message).toContain('not valid JSON');
  });

  it.each([['DCS'], ['RDS']] as const)('%s: JSON that does not have the documented shape', async (service) => {
    const body = service === 'DCS' ? '{"total_num":"many","backup_record_response":[{}]}' : '{"total_count":1,"backups":[{"id":1}]}';
    h.sim.server.addFault({ route: route(service, 'backups'), kind: 'status', status: 200, body, headers: { 'x-request-id': 'rid-1' }, times: 1 });
    const err = await upstreamError(call(service, 'backups'));
    expect(err).toMatchObject({ code: 'UPSTREAM_ERROR', httpStatus: 200, requestId: 'rid-1' });
    expect(err.message).toContain('documented shape');
  });

  it('an empty body is an error where the API has no 204 (RDS)', async () => {
    h.sim.server.addFault({ route: 'rds.listBackups', kind: 'status', status: 204, times: 1 });
    const err = await upstreamError(call('RDS', 'backups'));
    expect(err).toMatchObject({ code: 'UPSTREAM_ERROR', httpStatus: 204 });
  });
});

describe('no usable answer → UPSTREAM_UNAVAILABLE', () => {
  it.each([
    ['DCS', 'truncated'],
    ['RDS', 'truncated'],
    ['DCS', 'reset'],
    ['RDS', 'reset'],
  ] as const)('%s: %s', async (service, kind) => {
    h.sim.server.addFault({ route: route(service, 'backups'), kind, times: 1 });
    const err = await upstreamError(call(service, 'backups'));
    expect(err).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', provider: service, httpStatus: undefined });
    // The shared transport reports a body cut short by a closed socket as `reset` (undici sees
    // the socket close before it can compare the length); either way there is no usable answer.
    expect(err.message).toMatch(kind === 'truncated' ? /truncated|reset/ : /reset/);
  });

  it.each([['DCS'], ['RDS']] as const)('%s: stalled answer with a short timeout', async (service) => {
    const quick = new HttpTransport({ timeoutMs: 150 });
    try {
      h.sim.server.addFault({ route: route(service, 'instances'), kind: 'stall', times: 1 });
      const err = await upstreamError(call(service, 'instances', undefined, quick));
      expect(err).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', provider: service });
      // The transport's own deadline ended it, not the test's timeout.
      expect(err.message).toContain('timeout: no complete answer within 150 ms');
    } finally {
      await quick.close();
    }
  });

  it('refused connection', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const err = await upstreamError(h.dcs(undefined, { endpoint: `http://127.0.0.1:${port}` }).listInstances());
    expect(err).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', provider: 'DCS', operation: 'GET /v2/{project_id}/instances' });
    expect(err.message).toContain('refused');
  });
});

describe('secrets never appear in errors', () => {
  it('AK/SK: the gateway echoing AK and SK in its message, code and request id', async () => {
    const { accessKey, secretKey } = h.fleet.huawei;
    const echo = `Incorrect IAM authentication information: Get secretKey failed,ak:${accessKey},sk:${secretKey},err:ak not exist`;
    for (const service of ['DCS', 'RDS'] as const) {
      h.sim.server.addFault({
        route: route(service, 'backups'),
        kind: 'status',
        status: 401,
        body: JSON.stringify({ error_msg: echo, error_code: `APIGW.0301 ${secretKey}`, request_id: secretKey }),
        times: 1,
      });
      const err = await upstreamError(call(service, 'backups'));
      expect(err.code).toBe('UPSTREAM_AUTH_FAILED');
      expect(err.upstreamMessage).toContain('ak:***');
      const all = everythingIn(err);
      expect(all).not.toContain(secretKey);
      expect(all).not.toContain(accessKey);
    }
  });

  it('token: echoed in an error body, a non-JSON body and a 2xx body that fails the schema', async () => {
    const { token } = h.fleet.huawei;
    const auth = h.token();
    const faults = [
      { kind: 'status' as const, status: 401, body: JSON.stringify({ error_msg: `decrypt token fail: ${token}`, error_code: 'APIGW.0301' }) },
      { kind: 'status' as const, status: 500, body: `internal error for X-Auth-Token ${token}` },
      { kind: 'status' as const, status: 200, body: JSON.stringify({ total_count: 1, backups: [{ id: token }] }) },
    ];
    for (const fault of faults) {
      h.sim.server.addFault({ route: 'rds.listBackups', ...fault, times: 1 });
      const err = await upstreamError(call('RDS', 'backups', auth));
      expect(everythingIn(err)).not.toContain(token);
    }
  });

  it('errors from real refusals carry no secret either', async () => {
    const { token, secretKey } = h.fleet.huawei;
    for (const err of [
      await upstreamError(call('DCS', 'instances', h.aksk({ secretKey: `${secretKey}x` }))),
      await upstreamError(call('RDS', 'instances', h.token(`${token}x`))),
    ]) {
      const all = everythingIn(err);
      expect(all).not.toContain(secretKey);
      expect(all).not.toContain(token);
    }
  });
});

describe('client construction validates what goes into every path', () => {
  it('project ID and endpoint', () => {
    for (const projectId of ['', 'ABCDEF0123456789ABCDEF0123456789', '../../x', '0123456789abcdef0123456789abcde']) {
      expect(() => h.dcs(undefined, { projectId })).toThrow(BadInputError);
      expect(() => h.rds(undefined, { projectId })).toThrow(BadInputError);
    }
    for (const endpoint of ['not a url', 'ftp://x.example', 'https://x.example/?a=1']) {
      expect(() => h.dcs(undefined, { endpoint })).toThrow(BadInputError);
    }
    expect(h.sim.server.calls).toHaveLength(0);
  });
});
