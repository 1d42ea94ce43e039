/**
 * No secret in any response, error or log line: with every kind of credential configured (the
 * obshell root password, the Huawei AK/SK and token, client API keys, a JWT secret), across normal
 * answers, refused credentials, upstream errors that echo the credentials back, timeouts and
 * resets. Logs are read at debug level from the process logger.
 */
import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config.js';
import { tapLogs } from '../../src/lib/log.js';
import { FIXED_NOW, startStack, type Stack } from '../support/stack.js';

const API_KEY = 'bq_live_7c1e5a9d3f2b48e6a0c4d8b2f6e1a3c5';
const JWT_SECRET = 'jwt-shared-secret-that-is-long-enough-0123456789';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const OPERATIONS = [
  '{ instances(first: 100) { totalCount nodes { __typename ... on ObCluster { agent { obVersion } } } } }',
  '{ backupTasks(first: 50) { totalCount nodes { ... on Backup { id status } } } }',
  '{ backupCoverage(first: 100) { summary { total ok } nodes { state reasons } } }',
  '{ tenants(first: 50) { nodes { ... on ObTenant { tenantName latestBackup { status } } } } }',
];

/** The forms a secret could leak in: as is, and URL-, base64- and JSON-encoded. */
function forms(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    JSON.stringify(secret).slice(1, -1),
  ];
}

async function exercise(stack: Stack, headers: Record<string, string>): Promise<string[]> {
  const seen: string[] = [];
  const post = async (query: string, extra: Record<string, string> = {}) => {
    const res = await stack.gateway.yoga.fetch('http://backupql.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers, ...extra },
      body: JSON.stringify({ query }),
    });
    seen.push(`${res.status} ${JSON.stringify([...res.headers])} ${await res.text()}`);
  };
  for (const q of OPERATIONS) await post(q);
  const [obshell] = stack.sims.obshell;
  const huawei = stack.sims.huawei.server;
  const fleet = stack.sims.fleet;
  // Every credential the gateway holds, whichever source's it is.
  const echo = [...fleet.oceanbase.map((c) => c.password), fleet.huawei.accessKey, fleet.huawei.secretKey, fleet.huawei.token].join(' ');
  // Upstream errors that repeat the credentials back, in every shape the clients read.
  huawei.addFault({
    route: 'dcs.listInstances',
    kind: 'status',
    status: 500,
    body: JSON.stringify({ error_code: 'DCS.5000', error_msg: `denied for ${echo}` }),
  });
  huawei.addFault({ route: 'rds.listInstances', kind: 'status', status: 403, body: JSON.stringify({ code: 'DBS.280056', message: `token ${echo}` }) });
  obshell!.server.addFault({
    route: 'obshell.tenantsOverview',
    kind: 'status',
    status: 401,
    body: JSON.stringify({ successful: false, status: 401, traceId: 'x', error: { errCode: 'Security.Authentication.Expired', message: `auth ${echo}` } }),
  });
  for (const q of OPERATIONS) await post(q);
  stack.clearFaults();
  // Network failures and garbage.
  huawei.addFault({ kind: 'reset' });
  obshell!.server.addFault({ kind: 'malformed' });
  for (const q of OPERATIONS) await post(q);
  stack.clearFaults();
  huawei.addFault({ kind: 'stall' });
  await post(OPERATIONS[0]!);
  stack.clearFaults();
  // Client mistakes, and a refused client credential.
  await post('{ instances(first: 1000) { totalCount } }');
  await post('{ nope');
  await post(OPERATIONS[0]!, { authorization: `Bearer ${API_KEY}x` });
  return seen;
}

function expectNoSecret(texts: string[], secrets: string[]) {
  for (const secret of secrets)
    for (const form of forms(secret))
      for (const text of texts) {
        if (text.includes(form)) {
          const at = text.indexOf(form);
          throw new Error(
            `a secret (${secret.slice(0, 3)}…, as ${JSON.stringify(form.slice(0, 6))}…) appears in: …${text.slice(Math.max(0, at - 300), at)}[SECRET]${text.slice(at + form.length, at + form.length + 100)}`,
          );
        }
      }
}

for (const credentials of ['aksk', 'token'] as const) {
  describe(`no secret anywhere (Huawei ${credentials})`, () => {
    let stack: Stack;
    const logs: string[] = [];
    let untap: () => void;
    beforeAll(async () => {
      untap = tapLogs((line) => logs.push(line));
      stack = await startStack({
        credentials,
        configure: (config: ConfigInput): ConfigInput => ({
          ...config,
          auth: { apiKeys: [{ name: 'ci', sha256: sha256(API_KEY), role: 'operate' }], jwt: { secret: JWT_SECRET } },
          sources: config.sources.map((s) => ({ ...s, timeoutMs: 400, retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 2, maxTotalMs: 1000 } })),
        }),
      });
    });
    afterAll(async () => {
      untap();
      await stack.close();
    });

    it('in responses, response headers, errors and log lines, under faults too', async () => {
      const responses = [
        ...(await exercise(stack, { authorization: `Bearer ${API_KEY}` })),
        ...(await exercise(stack, {
          authorization: `Bearer ${await new SignJWT({ backupql_role: 'read' })
            .setProtectedHeader({ alg: 'HS256' })
            .setExpirationTime(Math.floor(FIXED_NOW / 1000) + 600)
            .sign(new TextEncoder().encode(JWT_SECRET))}`,
        })),
      ];
      const page = await stack.gateway.yoga.fetch('http://backupql.test/graphql', { headers: { accept: 'text/html' } });
      responses.push(await page.text());
      const fleet = stack.sims.fleet;
      // What the gateway holds: the obshell passwords, the Huawei AK/SK or token, the JWT secret; and the client's API key it is sent.
      const huawei = credentials === 'aksk' ? [fleet.huawei.accessKey, fleet.huawei.secretKey] : [fleet.huawei.token];
      const secrets = [...fleet.oceanbase.map((c) => c.password), ...huawei, API_KEY, JWT_SECRET];
      // The exercise did reach the upstreams, did fail, and did log.
      expect(responses.some((r) => r.includes('UPSTREAM_ERROR'))).toBe(true);
      expect(responses.some((r) => r.includes('UPSTREAM_AUTH_FAILED'))).toBe(true);
      expect(responses.some((r) => r.includes('UPSTREAM_UNAVAILABLE'))).toBe(true);
      expect(logs.length).toBeGreaterThan(10);
      expect(logs.some((l) => l.includes('"level":40'))).toBe(true);
      expectNoSecret(responses, secrets);
      expectNoSecret(logs, secrets);
      // The echoed messages are still useful: the secret is replaced, the rest is kept.
      expect(responses.some((r) => r.includes('denied for'))).toBe(true);
    });
  });
}
