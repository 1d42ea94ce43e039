/**
 * The mutations over the simulators (real loopback HTTP, real auth: obshell's AES-encrypted bodies,
 * Huawei's signed bodies): start, watch move as the stack's clock advances, cancel, delete; the
 * fewest calls each takes (from the call log); idempotent retries; refusals before any call
 * (actions off, read role, other sources, modes a provider cannot do); upstream errors mapped to
 * the contract's codes; one audit line per call and the metrics.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config.js';
import { ManualClock } from '../../src/lib/clock.js';
import { tapLogs } from '../../src/lib/log.js';
import { createGateway } from '../../src/gateway.js';
import { exampleTabs } from '../../src/graphql/examples.js';
import { encodeId } from '../support/ids.js';
import { startRedis } from '../support/redis.js';
import { canBackUp, coverageTargets } from '../support/targets.js';
import { FIXED_NOW, ok, startStack, type Stack } from '../support/stack.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const BACKUP_MS = 60_000;
const enabled = (config: ConfigInput): ConfigInput => ({ ...config, actions: { enabled: true } });

async function start(options: { configure?: (c: ConfigInput) => ConfigInput } = {}) {
  const clock = new ManualClock(FIXED_NOW);
  stack = await startStack({ clock, backupDurationMs: BACKUP_MS, configure: options.configure ?? enabled });
  return { stack, clock };
}

// The target is read only when selected (it costs its look-up): the call counts leave it out.
const START = `mutation($input: StartBackupInput!, $withTarget: Boolean = false) {
  startBackup(input: $input) {
    clientMutationId replayed
    target @include(if: $withTarget) { id __typename }
    backup { __typename ... on Backup { id status providerStatus startedAt } }
    backups { ... on Backup { id status } }
  }
}`;

interface StartData {
  startBackup: {
    clientMutationId: string | null;
    replayed: boolean;
    target?: { id: string; __typename: string };
    backup: { __typename: string; id: string; status: string; providerStatus: string; startedAt: string | null } | null;
    backups: { id: string; status: string }[];
  };
}

const STATUS = `query($id: ID!) { node(id: $id) { ... on Backup { id status providerStatus finishedAt } } }`;

/** Targets of each kind that can be backed up now, from the coverage view. */
async function idleTargets(s: Stack): Promise<{ tenant: string; dcs: string; rds: string; cluster: string }> {
  const idle = (await coverageTargets((q) => s.query(q))).filter(canBackUp);
  const pick = (type: string) => idle.find((t) => t.typename === type)!.id;
  const tenant = pick('ObTenant');
  const source = Buffer.from(tenant, 'base64url').toString().split(':')[1]!;
  return { tenant, dcs: pick('DcsInstance'), rds: pick('RdsInstance'), cluster: encodeId({ type: 'ObCluster', source }) };
}

const routes = (s: Stack) => s.calls().map((c) => c.route);

describe('startBackup, cancelBackup, deleteBackup', () => {
  it('are refused with FORBIDDEN while actions are off, before any upstream call', async () => {
    const { stack: s } = await start({ configure: (c) => c });
    const { dcs } = await idleTargets(s);
    s.clearCalls();
    const res = await s.query(START, { input: { target: dcs } });
    expect(res.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(res.errors?.[0]?.message).toContain('actions.enabled');
    expect(routes(s)).toEqual([]);
    expect(ok(await s.query<{ viewer: { canOperate: boolean } }>('{ viewer { canOperate } }')).viewer.canOperate).toBe(false);
  });

  it('DCS: a manual backup in two calls (POST, then the record read back), watched until it succeeds, then deleted in one', async () => {
    const { stack: s, clock } = await start();
    const { dcs } = await idleTargets(s);
    s.clearCalls();
    const started = ok(await s.query<StartData>(START, { input: { target: dcs, remark: 'before the migration', clientMutationId: 'm1' } })).startBackup;
    expect(routes(s)).toEqual(['dcs.createBackup', 'dcs.listBackups']);
    expect(started.clientMutationId).toBe('m1');
    expect(started.replayed).toBe(false);
    expect(started.target).toBeUndefined();
    expect(started.backup?.__typename).toBe('DcsBackup');
    expect(['PENDING', 'RUNNING']).toContain(started.backup?.status);
    const id = started.backup!.id;

    clock.advance(BACKUP_MS / 2);
    expect(ok(await s.query<{ node: { status: string } }>(STATUS, { id })).node.status).toBe('RUNNING');
    clock.advance(BACKUP_MS);
    const done = ok(await s.query<{ node: { status: string; finishedAt: string | null } }>(STATUS, { id })).node;
    expect(done.status).toBe('SUCCEEDED');
    expect(done.finishedAt).not.toBeNull();

    s.clearCalls();
    const deleted = ok(
      await s.query<{ deleteBackup: { deletedBackupId: string; target: { id: string } } }>(
        'mutation($id: ID!) { deleteBackup(input: { id: $id }) { deletedBackupId target { id } } }',
        { id },
      ),
    ).deleteBackup;
    expect(deleted).toEqual({ deletedBackupId: id, target: { id: dcs } });
    expect(routes(s)[0]).toBe('dcs.deleteBackup');
    expect(routes(s).filter((r) => r === 'dcs.deleteBackup')).toHaveLength(1);
    expect(ok(await s.query<{ node: unknown }>(STATUS, { id })).node).toBeNull();
  });

  it('RDS: a manual full backup in two calls, BUILDING then COMPLETED, then deleted', async () => {
    const { stack: s, clock } = await start();
    const { rds } = await idleTargets(s);
    s.clearCalls();
    const started = ok(await s.query<StartData>(START, { input: { target: rds, remark: 'pre-upgrade' } })).startBackup;
    expect(routes(s)).toEqual(['rds.createBackup', 'rds.listBackups']);
    expect(started.backup).toMatchObject({ __typename: 'RdsBackup', status: 'RUNNING', providerStatus: 'BUILDING' });
    clock.advance(2 * BACKUP_MS);
    expect(ok(await s.query<{ node: { status: string } }>(STATUS, { id: started.backup!.id })).node.status).toBe('SUCCEEDED');
    s.clearCalls();
    ok(await s.query('mutation($id: ID!) { deleteBackup(input: { id: $id }) { deletedBackupId } }', { id: started.backup!.id }));
    expect(routes(s)).toEqual(['rds.deleteBackup']);
  });

  it('OceanBase: a tenant backup (checked first: the agent would accept a second one and fail it), cancelled, then CANCELED', async () => {
    const { stack: s, clock } = await start();
    const { tenant } = await idleTargets(s);
    s.clearCalls();
    const started = ok(await s.query<StartData>(START, { input: { target: tenant, mode: 'INCREMENTAL' } })).startBackup;
    expect(routes(s)).toEqual(['obshell.tenantBackupOverview', 'obshell.startTenantBackup', 'obshell.tenantBackupOverview']);
    expect(started.target).toBeUndefined();
    expect(started.backup?.__typename).toBe('ObBackupTask');
    expect(['PENDING', 'RUNNING']).toContain(started.backup?.status);

    // A second start while it runs: refused here, before the POST.
    s.clearCalls();
    const again = await s.query(START, { input: { target: tenant } });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', provider: 'OCEANBASE' });
    expect(routes(s)).toEqual(['obshell.tenantBackupOverview']);

    clock.advance(BACKUP_MS / 4);
    s.clearCalls();
    const cancelled = ok(
      await s.query<{ cancelBackup: { backup: { status: string } | null } }>(
        'mutation($t: ID!) { cancelBackup(input: { target: $t }) { backup { ... on Backup { status } } } }',
        { t: tenant },
      ),
    ).cancelBackup;
    expect(routes(s)).toEqual(['obshell.cancelTenantBackup', 'obshell.tenantBackupOverview']);
    expect(cancelled.backup?.status).toBe('CANCELING');
    clock.advance(BACKUP_MS);
    const latest = ok(
      await s.query<{ node: { latestBackup: { status: string } | null } }>('query($t: ID!) { node(id: $t) { ... on ObTenant { latestBackup { status } } } }', {
        t: tenant,
      }),
    ).node;
    expect(latest.latestBackup?.status).toBe('CANCELED');
  });

  it('OceanBase: a cluster backup is refused while tenants run one; cancelled on every tenant at once, then started on every one', async () => {
    const { stack: s, clock } = await start();
    const { cluster } = await idleTargets(s);
    const refused = await s.query(START, { input: { target: cluster } });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT' });
    const cancelled = ok(
      await s.query<{ cancelBackup: { target: { id: string } } }>('mutation($t: ID!) { cancelBackup(input: { target: $t }) { target { id } } }', {
        t: cluster,
      }),
    );
    expect(cancelled.cancelBackup.target.id).toBe(cluster);
    clock.advance(BACKUP_MS);
    s.clearCalls();
    const started = ok(await s.query<StartData>(START, { input: { target: cluster }, withTarget: true })).startBackup;
    // The cluster's object needs no call: its ID holds all of it.
    expect(routes(s)).toEqual(['obshell.clusterBackupOverview', 'obshell.startClusterBackup', 'obshell.clusterBackupOverview']);
    expect(started.target).toEqual({ id: cluster, __typename: 'ObCluster' });
    expect(started.backups.length).toBeGreaterThan(1);
  });

  it('what a provider cannot do is refused with BAD_USER_INPUT before any call', async () => {
    const { stack: s } = await start();
    const { dcs, rds } = await idleTargets(s);
    s.clearCalls();
    const cases: [string, Record<string, unknown>, string][] = [
      [START, { input: { target: dcs, mode: 'INCREMENTAL' } }, 'input.mode'],
      [START, { input: { target: rds, remark: 'x'.repeat(257) } }, 'input.remark'],
      [START, { input: { target: rds, idempotencyKey: 'not a key!' } }, 'input.idempotencyKey'],
      [START, { input: { target: 'bm90LWFuLWlk' } }, 'input.target'],
      ['mutation($t: ID!) { cancelBackup(input: { target: $t }) { clientMutationId } }', { t: dcs }, 'input.target'],
      ['mutation($t: ID!) { deleteBackup(input: { id: $t }) { clientMutationId } }', { t: rds }, 'input.id'],
    ];
    for (const [query, variables, argumentName] of cases) {
      const res = await s.query(query, variables);
      expect(res.errors?.[0]?.extensions, JSON.stringify(variables)).toMatchObject({ code: 'BAD_USER_INPUT', argumentName });
    }
    expect(routes(s)).toEqual([]);
  });

  it('an upstream refusal keeps its code: a DCS start while one runs is UPSTREAM_ERROR DCS.4096', async () => {
    const { stack: s } = await start();
    const { dcs } = await idleTargets(s);
    ok(await s.query(START, { input: { target: dcs } }));
    const res = await s.query(START, { input: { target: dcs } });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', provider: 'DCS', httpStatus: 400, upstreamCode: 'DCS.4096' });
  });

  it('an idempotency key makes a retry return the first outcome: one backup started, replayed: true; another input with it is refused', async () => {
    const { stack: s } = await start();
    const { dcs, rds } = await idleTargets(s);
    s.clearCalls();
    const first = ok(await s.query<StartData>(START, { input: { target: dcs, idempotencyKey: 'change-42', clientMutationId: 'a' } })).startBackup;
    const second = ok(await s.query<StartData>(START, { input: { target: dcs, idempotencyKey: 'change-42', clientMutationId: 'b' } })).startBackup;
    expect(second.replayed).toBe(true);
    expect(second.clientMutationId).toBe('b');
    expect(second.backup?.id).toBe(first.backup?.id);
    expect(routes(s).filter((r) => r === 'dcs.createBackup')).toHaveLength(1);
    const other = await s.query(START, { input: { target: rds, idempotencyKey: 'change-42' } });
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'idempotencyKey' });

    // An error is an outcome too: the retry gets it again, without a second call.
    const key = 'change-43';
    const failed = await s.query(START, { input: { target: dcs, idempotencyKey: key } });
    expect(failed.errors?.[0]?.extensions?.['upstreamCode']).toBe('DCS.4096');
    s.clearCalls();
    const replayed = await s.query(START, { input: { target: dcs, idempotencyKey: key } });
    expect(replayed.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', upstreamCode: 'DCS.4096', replayed: true });
    expect(routes(s)).toEqual([]);
  });

  it('with client authentication: a read key is FORBIDDEN, an operate key only on its sources; every call is audited and counted', async () => {
    const sha = (key: string) => createHash('sha256').update(key).digest('hex');
    const READ = 'bq_read_0123456789';
    const OPS = 'bq_ops_0123456789';
    const NARROW = 'bq_narrow_0123456789';
    const { stack: s } = await start({
      configure: (c) =>
        enabled({
          ...c,
          auth: {
            apiKeys: [
              { name: 'viewer', sha256: sha(READ), role: 'read' },
              { name: 'ops-team', sha256: sha(OPS), role: 'operate' },
              { name: 'ob-only', sha256: sha(NARROW), role: 'operate', sources: [c.sources[0]!.name] },
            ],
          },
        }),
    });
    const as = async (key: string, query: string, variables: Record<string, unknown>) => {
      const res = await s.gateway.yoga.fetch('http://backupql.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as { data?: StartData; errors?: { message: string; extensions: Record<string, unknown> }[] };
    };
    const dcs = (await coverageTargets(async (q) => (await as(OPS, q, {})) as never)).find((t) => t.typename === 'DcsInstance' && canBackUp(t))!.id;
    const lines: string[] = [];
    const untap = tapLogs((line) => lines.push(line));
    try {
      s.clearCalls();
      expect((await as(READ, START, { input: { target: dcs } })).errors?.[0]?.extensions['code']).toBe('FORBIDDEN');
      expect((await as(NARROW, START, { input: { target: dcs } })).errors?.[0]?.extensions['code']).toBe('FORBIDDEN');
      expect(routes(s)).toEqual([]);
      const okRes = await as(OPS, START, { input: { target: dcs } });
      expect(okRes.errors).toBeUndefined();
    } finally {
      untap();
    }
    const audits = lines.map((l) => JSON.parse(l) as { audit?: Record<string, unknown> }).filter((l) => l.audit);
    expect(audits.map((a) => [a.audit!['who'], a.audit!['outcome']])).toEqual([
      ['viewer', 'refused'],
      ['ob-only', 'refused'],
      ['ops-team', 'succeeded'],
    ]);
    expect(audits[2]!.audit).toMatchObject({ action: 'startBackup', target: dcs, mode: 'FULL', via: 'api-key' });
    const text = lines.join('\n');
    for (const secret of [READ, OPS, NARROW]) expect(text).not.toContain(secret);
    const metrics = await (await s.gateway.yoga.fetch('http://backupql.test/metrics')).text();
    expect(metrics).toMatch(/backupql_actions_total\{action="startBackup",source="[^"]+",provider="huaweicloud",outcome="succeeded"\} 1/);
    expect(metrics).toMatch(/backupql_actions_total\{action="startBackup",source="[^"]+",provider="huaweicloud",outcome="refused"\} 1/);
  });

  it('a write is never retried: a 503 or a reset answer of the POST is UPSTREAM_UNAVAILABLE after one attempt (a GET would be retried)', async () => {
    const { stack: s } = await start({
      configure: (c) => enabled({ ...c, sources: c.sources.map((x) => ({ ...x, retry: { maxRetries: 3, initialDelayMs: 1, maxDelayMs: 2 } })) }),
    });
    const { dcs, rds } = await idleTargets(s);
    for (const [route, fault] of [
      ['dcs.createBackup', { kind: 'status', status: 503 }],
      ['rds.createBackup', { kind: 'reset' }],
    ] as const) {
      s.clearCalls();
      s.sims.huawei.server.addFault({ route, ...fault });
      const res = await s.query(START, { input: { target: route.startsWith('dcs') ? dcs : rds } });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
      expect(routes(s).filter((r) => r === route)).toHaveLength(1);
      s.clearFaults();
    }
    // The same fault on a read: retried until it answers.
    s.clearCalls();
    s.sims.huawei.server.addFault({ route: 'dcs.listInstances', kind: 'status', status: 503, times: 1 });
    const sources = s.sims.fleet.huawei.projects.length;
    ok(await s.query('{ instances(filter: { providers: [DCS] }) { totalCount } }'));
    const lists = s.calls().filter((c) => c.route === 'dcs.listInstances');
    expect(lists.filter((c) => c.status === 503)).toHaveLength(1);
    expect(lists).toHaveLength(sources + 1);
  });

  it('with Redis, an idempotency key holds across replicas: two at once on two gateways start one backup', async () => {
    const redis = await startRedis();
    try {
      const { stack: s } = await start({ configure: (c) => enabled({ ...c, cache: { ...c.cache, redis: { url: redis.url, keyPrefix: 'bq-idem:' } } }) });
      const other = createGateway(s.gateway.config, { clock: s.gateway.clock });
      try {
        const { rds } = await idleTargets(s);
        s.clearCalls();
        const viaOther = async () => {
          const res = await other.yoga.fetch('http://backupql.test/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: START, variables: { input: { target: rds, idempotencyKey: 'deploy-7' } } }),
          });
          return (await res.json()) as { data?: StartData };
        };
        const [a, b] = await Promise.all([s.query<StartData>(START, { input: { target: rds, idempotencyKey: 'deploy-7' } }), viaOther()]);
        const answers = [ok(a).startBackup, b.data!.startBackup];
        expect(answers[0]!.backup?.id).toBe(answers[1]!.backup?.id);
        expect(answers.map((x) => x.replayed).sort()).toEqual([false, true]);
        expect(routes(s).filter((r) => r === 'rds.createBackup')).toHaveLength(1);
      } finally {
        await other.close();
      }
    } finally {
      await redis.close();
    }
  });

  it("GraphiQL's StartBackup tab starts a backup, and its key makes the second run a replay", async () => {
    const { stack: s } = await start();
    const { dcs } = await idleTargets(s);
    const tab = exampleTabs({ now: FIXED_NOW, exampleInstanceId: dcs }).find((t) => t.query!.includes('mutation StartBackup'))!;
    const variables = JSON.parse(tab.variables!) as Record<string, unknown>;
    const first = ok(await s.query<{ startBackup: { replayed: boolean; backup: { id: string } } }>(tab.query!, variables)).startBackup;
    const second = ok(await s.query<{ startBackup: { replayed: boolean; backup: { id: string } } }>(tab.query!, variables)).startBackup;
    expect([first.replayed, second.replayed]).toEqual([false, true]);
    expect(second.backup.id).toBe(first.backup.id);
  });
});
