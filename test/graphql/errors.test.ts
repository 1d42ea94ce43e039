/**
 * Errors per contract §6: bad input is refused before any upstream call; upstream failures carry
 * their code and details; one failing source or instance never hides the data of the others.
 */
import type { GraphQLFormattedError } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeId } from '../support/ids.js';
import { ok, startStack, type Stack } from '../support/stack.js';

const codes = (errors: readonly GraphQLFormattedError[] | undefined) => (errors ?? []).map((e) => e.extensions?.code);

describe('errors', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(() => {
    stack.clearCalls();
    stack.clearFaults();
  });

  describe('BAD_USER_INPUT, refused before any upstream call', () => {
    const cases: [string, string, Record<string, unknown> | undefined, string | undefined][] = [
      ['first and last together', '{ instances(first: 2, last: 2) { totalCount } }', undefined, 'last'],
      ['first: 0', '{ instances(first: 0) { totalCount } }', undefined, 'first'],
      ['first: 101', '{ backupTasks(first: 101) { totalCount } }', undefined, 'first'],
      ['negative last', '{ tenants(last: -3) { totalCount } }', undefined, 'last'],
      ['a malformed cursor', '{ instances(after: "not-a-cursor") { totalCount } }', undefined, 'after'],
      ['a malformed ID', '{ node(id: "abc") { id } }', undefined, 'id'],
      [
        'a malformed ID among several',
        'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
        { ids: [encodeId({ type: 'ObCluster', source: 'ob-hangzhou' }), 'x'] },
        'ids',
      ],
      [
        'an ID of the wrong type in a filter',
        'query($ids: [ID!]) { backupTasks(filter: { instanceIds: $ids }) { totalCount } }',
        { ids: [encodeId({ type: 'HuaweiProject', source: 'hw-cn-north-4' })] },
        'filter',
      ],
      ['an unknown source in a filter', '{ backupTasks(filter: { sources: ["nope"] }) { totalCount } }', undefined, 'filter'],
      ['since after until', '{ backupTasks(filter: { since: "2026-01-02T00:00:00Z", until: "2026-01-01T00:00:00Z" }) { totalCount } }', undefined, 'filter'],
    ];
    for (const [what, query, variables, argumentName] of cases) {
      it(`refuses ${what}`, async () => {
        const result = await stack.query(query, variables);
        expect(codes(result.errors)).toEqual(['BAD_USER_INPUT']);
        expect(result.errors![0]!.extensions?.argumentName).toBe(argumentName);
        expect(result.errors![0]!.message).not.toMatch(/Unexpected error/);
        expect(stack.calls()).toEqual([]);
      });
    }

    it('refuses a DateTime that is not RFC 3339 with a zone', async () => {
      const result = await stack.query('{ backupTasks(filter: { since: "yesterday" }) { totalCount } }');
      expect(codes(result.errors)[0]).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
      expect(result.errors![0]!.message).toMatch(/RFC 3339/);
      expect(stack.calls()).toEqual([]);
    });

    it('refuses a cursor from another list: another connection, another parent or another filter', async () => {
      const instances = ok(await stack.query<{ instances: { pageInfo: { endCursor: string } } }>('{ instances(first: 2) { pageInfo { endCursor } } }'));
      const cursor = instances.instances.pageInfo.endCursor;
      stack.clearCalls();
      for (const query of [
        `{ tenants(after: "${cursor}") { totalCount } }`,
        `{ instances(after: "${cursor}", filter: { providers: [DCS] }) { totalCount } }`,
        `{ backupTasks(before: "${cursor}") { totalCount } }`,
      ]) {
        const result = await stack.query(query);
        expect(codes(result.errors)).toEqual(['BAD_USER_INPUT']);
        expect(result.errors![0]!.message).toMatch(/another list/);
      }
      expect(stack.calls()).toEqual([]);
      const project = stack.sims.fleet.huawei.projects[0]!;
      const [a, b] = project.dcs.map((i) => encodeId({ type: 'DcsInstance', source: project.name, instanceId: i.row.instance_id }));
      const first = ok(
        await stack.query<{ node: { backups: { pageInfo: { endCursor: string } } } }>(
          `{ node(id: "${a}") { ... on DcsInstance { backups(first: 1) { pageInfo { endCursor } } } } }`,
        ),
      );
      const other = await stack.query(
        `{ node(id: "${b}") { ... on DcsInstance { backups(after: "${first.node.backups.pageInfo.endCursor}") { totalCount } } } }`,
      );
      expect(codes(other.errors)).toEqual(['BAD_USER_INPUT']);
    });

    it('refuses operations nested deeper than 15 levels, and accepts 15', async () => {
      // node > latestBackup > tenant > latestBackup > tenant > … > tenantName: exactly `levels` fields deep.
      const deep = (levels: number) => {
        let body = (levels - 1) % 2 === 1 ? 'tenantName' : 'taskId'; // the leaf, at depth `levels`
        for (let depth = levels - 1; depth >= 3; depth--) body = depth % 2 === 1 ? `tenant { ${body} }` : `latestBackup { ${body} }`;
        return `query($id: ID!) { node(id: $id) { ... on ObTenant { latestBackup { ${body} } } } }`;
      };
      const id = encodeId({ type: 'ObTenant', source: 'ob-shanghai', tenantName: 'orders' });
      const accepted = await stack.query(deep(15), { id });
      expect(accepted.errors).toBeUndefined();
      stack.clearCalls();
      const refused = await stack.query(deep(16), { id });
      expect(refused.data).toBeUndefined();
      expect(refused.errors![0]!.message).toMatch(/depth/i);
      expect(stack.calls()).toEqual([]);
    });
  });

  it('NOT_FOUND: an instance asked for that the upstream does not have, next to the others', async () => {
    const project = stack.sims.fleet.huawei.projects[0]!;
    const real = project.dcs[0]!;
    const ids = [
      encodeId({ type: 'DcsInstance', source: project.name, instanceId: '00000000-0000-4000-8000-000000000000' }),
      encodeId({ type: 'DcsInstance', source: project.name, instanceId: real.row.instance_id }),
    ];
    const result = await stack.query<{ backupTasks: { totalCount: number } }>(
      'query($ids: [ID!]) { backupTasks(filter: { instanceIds: $ids, since: "2000-01-01T00:00:00Z" }) { totalCount } }',
      { ids },
    );
    expect(result.data!.backupTasks.totalCount).toBe(real.backups.length);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({
      path: ['backupTasks'],
      extensions: { code: 'NOT_FOUND', source: project.name, provider: 'DCS', httpStatus: 404, upstreamCode: 'DCS.3022' },
    });
  });

  it("UPSTREAM_ERROR: an error answer of one instance, with the upstream's code, message and request ID", async () => {
    const project = stack.sims.fleet.huawei.projects[0]!;
    const [bad, good] = project.dcs;
    stack.sims.huawei.server.addFault({
      route: 'dcs.listBackups',
      params: { instance_id: bad!.row.instance_id },
      kind: 'status',
      status: 500,
      headers: { 'x-request-id': 'req-5078' },
      body: JSON.stringify({ error_code: 'DCS.5078', error_msg: 'Query backup record failed.', error_ext_msg: null }),
    });
    const ids = [bad, good].map((i) => encodeId({ type: 'DcsInstance', source: project.name, instanceId: i!.row.instance_id }));
    const result = await stack.query<{ nodes: { name: string; backups: { totalCount: number } | null }[] }>(
      'query($ids: [ID!]!) { nodes(ids: $ids) { ... on DcsInstance { name backups(first: 1) { totalCount } } } }',
      { ids },
    );
    expect(result.data!.nodes).toEqual([
      { name: bad!.row.name, backups: null },
      { name: good!.row.name, backups: { totalCount: good!.backups.length } },
    ]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({
      path: ['nodes', 0, 'backups'],
      extensions: {
        code: 'UPSTREAM_ERROR',
        source: project.name,
        provider: 'DCS',
        httpStatus: 500,
        upstreamCode: 'DCS.5078',
        upstreamMessage: 'Query backup record failed.',
        requestId: 'req-5078',
      },
    });
  });

  it('UPSTREAM_UNAVAILABLE: a source that does not answer is left out of the fleet-wide lists, with a located error', async () => {
    const stalled = await startStack({
      configure: (config) => ({ ...config, sources: config.sources.map((s) => (s.name === 'ob-hangzhou' ? { ...s, timeoutMs: 300 } : s)) }),
    });
    try {
      stalled.sims.obshell[0]!.server.addFault({ kind: 'stall' });
      const result = await stalled.query<{
        tenants: { totalCount: number; nodes: { __typename: string; source: string }[] };
        backupTasks: { totalCount: number };
      }>(`{
        tenants(first: 100) { totalCount nodes { __typename ... on ObTenant { source } ... on HuaweiProject { source } } }
        backupTasks(first: 5, filter: { since: "2026-11-21T00:00:00Z" }) { totalCount }
      }`);
      const fleet = stalled.sims.fleet;
      const sources = new Set(result.data!.tenants.nodes.map((n) => n.source));
      expect(sources).toEqual(new Set(['ob-shanghai', ...fleet.huawei.projects.map((p) => p.name)]));
      expect(result.data!.tenants.totalCount).toBe(fleet.oceanbase[1]!.tenants.length + fleet.huawei.projects.length);
      expect(result.data!.backupTasks.totalCount).toBeGreaterThan(10);
      const located = result.errors!.map((e) => [e.path, e.extensions?.code, e.extensions?.source, e.extensions?.provider]);
      expect(located).toHaveLength(2);
      expect(located).toEqual(
        expect.arrayContaining([
          [['tenants'], 'UPSTREAM_UNAVAILABLE', 'ob-hangzhou', 'OCEANBASE'],
          [['backupTasks'], 'UPSTREAM_UNAVAILABLE', 'ob-hangzhou', 'OCEANBASE'],
        ]),
      );
    } finally {
      await stalled.close();
    }
  });

  it('UPSTREAM_UNAVAILABLE: a source that is down leaves the others in `instances`', async () => {
    const down = await startStack();
    try {
      const project = down.sims.fleet.huawei.projects[0]!;
      await down.sims.huawei.close(); // every Huawei project is served by this simulator
      const result = await down.query<{ instances: { totalCount: number; nodes: { __typename: string }[] } }>(
        '{ instances(first: 100) { totalCount nodes { __typename ... on ObCluster { agent { version } } } } }',
      );
      expect(result.data!.instances.nodes.map((n) => n.__typename)).toEqual(['ObCluster', 'ObCluster']);
      // DCS and RDS fail in parallel (with retries of the refused connections): in either order.
      const errors = result
        .errors!.filter((e) => e.extensions?.source === project.name)
        .sort((a, b) => String(a.extensions?.provider).localeCompare(String(b.extensions?.provider)));
      expect(errors.map((e) => [e.path, e.extensions?.code, e.extensions?.provider])).toEqual([
        [['instances'], 'UPSTREAM_UNAVAILABLE', 'DCS'],
        [['instances'], 'UPSTREAM_UNAVAILABLE', 'RDS'],
      ]);
    } finally {
      await down.close().catch(() => undefined);
    }
  });

  it('UPSTREAM_AUTH_FAILED: refused credentials, and no secret anywhere in the answer', async () => {
    const wrong = await startStack({
      configure: (config) => ({
        ...config,
        sources: config.sources.map((s) => {
          if (s.name === 'ob-hangzhou' && s.provider === 'oceanbase') return { ...s, password: 'Wrong#Password123' };
          if (s.name === 'hw-cn-north-4' && s.provider === 'huaweicloud')
            return { ...s, credentials: { accessKey: 'HPUAUNKNOWNKEY0001', secretKey: 'WrongSecretKey-0123456789abcdef' } };
          return s;
        }),
      }),
    });
    try {
      const result = await wrong.query<{ tenants: { totalCount: number } }>(`{
        tenants(first: 100) { totalCount nodes { ... on ObTenant { latestBackup { status } } } }
        instances(first: 100, filter: { providers: [DCS, RDS] }) { totalCount }
      }`);
      expect(result.data!.tenants.totalCount).toBeGreaterThan(0);
      const auth = result.errors!.map((e) => [e.path?.join('.'), e.extensions?.code, e.extensions?.source]);
      expect(auth).toContainEqual(['tenants', 'UPSTREAM_AUTH_FAILED', 'ob-hangzhou']);
      expect(auth).toContainEqual(['instances', 'UPSTREAM_AUTH_FAILED', 'hw-cn-north-4']);
      expect(auth.every(([, code]) => code === 'UPSTREAM_AUTH_FAILED')).toBe(true);
      const text = JSON.stringify(result);
      for (const secret of [
        'Wrong#Password123',
        'WrongSecretKey-0123456789abcdef',
        'HPUAUNKNOWNKEY0001',
        ...wrong.sims.fleet.oceanbase.map((c) => c.password),
        wrong.sims.fleet.huawei.secretKey,
        wrong.sims.fleet.huawei.token,
      ]) {
        expect(text).not.toContain(secret);
      }
    } finally {
      await wrong.close();
    }
  });

  it('masks unexpected errors', async () => {
    stack.sims.huawei.server.addFault({ route: 'rds.listInstances', kind: 'malformed' });
    const result = await stack.query('{ instances(first: 100, filter: { providers: [RDS] }) { totalCount } }');
    // A malformed upstream body is the upstream's fault, reported as such, not a crash.
    expect(codes(result.errors)).toEqual(['UPSTREAM_ERROR', 'UPSTREAM_ERROR']);
    expect(result.errors![0]!.message).not.toMatch(/Unexpected error/);
  });
});
