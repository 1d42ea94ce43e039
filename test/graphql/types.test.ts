/**
 * What the schema promises about each provider's data: conversions (times, units, booleans, SCNs),
 * the status mapping, union members resolved from where an object came from, global IDs, and a
 * description on every type and field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dcsBackupStatus, rdsBackupStatus } from '../../src/providers/huawei/status.js';
import { obBackupStatus } from '../../src/providers/oceanbase/status.js';
import { encodeId } from '../support/ids.js';
import { ok, startStack, type Stack } from '../support/stack.js';

/** An upstream time string as the instant it names, truncated to the millisecond. */
const utcMs = (text: string) => {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)$/.exec(text)!;
  const frac = (m[2] ?? '').slice(0, 3).padEnd(3, '0');
  const zone = m[3]!.length === 5 ? `${m[3]!.slice(0, 3)}:${m[3]!.slice(3)}` : m[3]!;
  return new Date(`${m[1]}.${frac}${zone}`).toISOString();
};

describe('status mapping (contract §5)', () => {
  it('maps every documented upstream status, and anything else to UNKNOWN', () => {
    const ob = { INIT: 'PENDING', DOING: 'RUNNING', COMPLETED: 'SUCCEEDED', FAILED: 'FAILED', CANCELING: 'CANCELING', CANCELED: 'CANCELED' };
    for (const [from, to] of Object.entries(ob)) expect(obBackupStatus(from)).toBe(to);
    for (const phase of [
      'BACKUP_SYS_META',
      'BACKUP_USER_META',
      'BACKUP_META_FINISH',
      'BACKUP_DATA_MINOR',
      'BACKUP_USER_DATA',
      'BACKUP_LOG',
      'BACKUP_FUSE_TABLET_META',
      'BEFORE_BACKUP_LOG',
      'PREPARE_BACKUP_LOG',
    ]) {
      expect(obBackupStatus(phase)).toBe('RUNNING');
    }
    const dcs = { waiting: 'PENDING', backuping: 'RUNNING', succeed: 'SUCCEEDED', failed: 'FAILED', expired: 'EXPIRED', deleted: 'DELETED' };
    for (const [from, to] of Object.entries(dcs)) expect(dcsBackupStatus(from)).toBe(to);
    const rds = { BUILDING: 'RUNNING', COMPLETED: 'SUCCEEDED', FAILED: 'FAILED', DELETING: 'DELETING' };
    for (const [from, to] of Object.entries(rds)) expect(rdsBackupStatus(from)).toBe(to);
    for (const odd of ['BEGINNING', 'completed', 'SUCCEED', '', 'restoring']) {
      expect(obBackupStatus(odd)).toBe('UNKNOWN');
      expect(dcsBackupStatus(odd)).toBe('UNKNOWN');
      expect(rdsBackupStatus(odd)).toBe('UNKNOWN');
    }
  });
});

describe('provider data through GraphQL', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('describes every type, field, argument, input field and enum value (GraphiQL docs pane)', async () => {
    interface Described {
      name: string;
      description: string | null;
    }
    type Field = Described & { args?: Described[] };
    const data = ok(
      await stack.query<{ __schema: { types: (Described & { fields: Field[] | null; inputFields: Described[] | null; enumValues: Described[] | null })[] } }>(
        `{ __schema { types { name description
            fields { name description args { name description } }
            inputFields { name description }
            enumValues { name description } } } }`,
      ),
    );
    const builtIn = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);
    const missing: string[] = [];
    for (const type of data.__schema.types) {
      if (type.name.startsWith('__') || builtIn.has(type.name)) continue;
      if (!type.description) missing.push(type.name);
      for (const field of [...(type.fields ?? []), ...(type.inputFields ?? [])]) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of (field as Field).args ?? []) if (!arg.description && arg.name !== 'filter') missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
      for (const value of type.enumValues ?? []) if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
    expect(missing).toEqual([]);
  });

  it('OceanBase: exact SCNs, UTC times with milliseconds, running tasks without an end, YES/NO and ON/OFF as booleans', async () => {
    const cluster = stack.sims.fleet.oceanbase[0]!;
    const trade = cluster.tenants.find((t) => t.row.tenant_name === 'trade')!;
    const running = trade.jobs.at(-1)!;
    expect(running.running).toBe(true);
    const id = encodeId({ type: 'ObTenant', source: cluster.name, tenantName: 'trade' });
    const data = ok(
      await stack.query<{
        node: {
          __typename: string;
          tenantId: number;
          locked: boolean;
          inRecyclebin: boolean;
          createdTime: string;
          connectionStrings: { type: string; connectionString: string }[];
          latestBackup: Record<string, unknown> & { tenant: { tenantName: string }; instance: { __typename: string; source: string } };
          backupJobs: { nodes: Record<string, unknown>[] };
        };
      }>(
        `query($id: ID!) { node(id: $id) { __typename ... on ObTenant {
          tenantId locked inRecyclebin createdTime connectionStrings { type connectionString }
          latestBackup { __typename id status providerStatus startedAt finishedAt sizeBytes startScn endScn userLsStartScn
            taskId jobId outputBytes outputRateBytes result tenant { tenantName } instance { __typename ... on ObCluster { source } } }
          backupJobs(first: 3) { nodes { __typename status providerStatus plusArchivelog backupType startedAt finishedAt sizeBytes jobId } }
        } } }`,
        { id },
      ),
    );
    const t = data.node;
    expect(t.__typename).toBe('ObTenant');
    expect(t).toMatchObject({ tenantId: 1002, locked: false, inRecyclebin: false, createdTime: utcMs(trade.row.created_time) });
    expect(t.connectionStrings[0]).toEqual({ type: 'DIRECT', connectionString: trade.row.connection_strings[0]!.connection_string });
    const task = running.task;
    expect(t.latestBackup).toMatchObject({
      __typename: 'ObBackupTask',
      status: 'RUNNING',
      providerStatus: task.status,
      startedAt: utcMs(task.start_timestamp),
      finishedAt: null,
      sizeBytes: task.output_bytes,
      startScn: String(task.start_scn),
      endScn: '0',
      userLsStartScn: String(task.user_ls_start_scn),
      taskId: task.task_id,
      jobId: task.job_id,
      outputRateBytes: task.output_rate_bytes,
      result: 0,
      tenant: { tenantName: 'trade' },
      instance: { __typename: 'ObCluster', source: cluster.name },
    });
    expect(BigInt(t.latestBackup.startScn as string)).toBe(task.start_scn);
    expect(task.start_scn).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    expect(t.latestBackup.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const newest = [...trade.jobs].reverse().slice(0, 3);
    expect(t.backupJobs.nodes).toEqual(
      newest.map((j) => ({
        __typename: 'ObBackupJob',
        status: j.running ? 'RUNNING' : obBackupStatus(j.job.status),
        providerStatus: j.job.status,
        plusArchivelog: j.job.plus_archivelog === 'ON',
        backupType: j.job.backup_type,
        startedAt: utcMs(j.job.start_timestamp),
        finishedAt: j.job.end_timestamp ? utcMs(j.job.end_timestamp) : null,
        sizeBytes: null,
        jobId: j.job.job_id,
      })),
    );
  });

  it('DCS: bytes, TRUE/FALSE as booleans, progress as a number, start from execution_at, no end while running', async () => {
    const project = stack.sims.fleet.huawei.projects[0]!;
    const instance = project.dcs.find((i) => i.backups.some((b) => b.row.status === 'backuping'))!;
    const id = encodeId({ type: 'DcsInstance', source: project.name, instanceId: instance.row.instance_id });
    const data = ok(
      await stack.query<{ node: { noPasswordAccess: boolean; createdAt: string; backups: { nodes: Record<string, unknown>[] } } }>(
        `query($id: ID!) { node(id: $id) { ... on DcsInstance { noPasswordAccess createdAt capacity maxMemory
          backups(first: 100) { nodes { __typename status providerStatus startedAt finishedAt sizeBytes size isSupportRestore progress
            executionAt createdAt updatedAt backupId errorCode period backupType backupFormat instance { name } } } } } }`,
        { id },
      ),
    );
    expect(data.node.noPasswordAccess).toBe(false);
    expect(data.node.createdAt).toBe(utcMs(instance.row.created_at));
    const want = instance.backups.slice(0, 100).map(({ row }) => {
      const ended = !['waiting', 'backuping'].includes(row.status);
      return {
        __typename: 'DcsBackup',
        status: dcsBackupStatus(row.status),
        providerStatus: row.status,
        startedAt: utcMs(row.execution_at ?? row.created_at),
        finishedAt: ended ? utcMs(row.updated_at) : null,
        sizeBytes: row.size,
        size: row.size,
        isSupportRestore: row.is_support_restore === 'TRUE',
        progress: Number(row.progress),
        executionAt: row.execution_at ? utcMs(row.execution_at) : null,
        createdAt: utcMs(row.created_at),
        updatedAt: utcMs(row.updated_at),
        backupId: row.backup_id,
        errorCode: row.error_code,
        period: row.period,
        backupType: row.backup_type,
        backupFormat: row.backup_format,
        instance: { name: instance.row.name },
      };
    });
    expect(data.node.backups.nodes).toEqual(want);
    expect(want.some((b) => b.status === 'RUNNING' && b.finishedAt === null)).toBe(true);
  });

  it('RDS: KB × 1024 in sizeBytes, +0800 times in UTC, SQL Server databases, open end while building', async () => {
    const project = stack.sims.fleet.huawei.projects[0]!;
    for (const instance of [
      project.rds.find((i) => i.backups.some((b) => b.row.status === 'BUILDING'))!,
      project.rds.find((i) => i.row.datastore.type === 'SQLServer')!,
    ]) {
      const id = encodeId({ type: 'RdsInstance', source: project.name, instanceId: instance.row.id });
      const data = ok(
        await stack.query<{ node: { created: string; datastore: unknown; backups: { nodes: Record<string, unknown>[] } } }>(
          `query($id: ID!) { node(id: $id) { ... on RdsInstance { created datastore { type version completeVersion }
            backups(first: 50) { nodes { __typename status providerStatus startedAt finishedAt sizeBytes size type beginTime endTime
              backupId name databases { name } datastore { type version } } } } } }`,
          { id },
        ),
      );
      expect(data.node.created).toBe(utcMs(instance.row.created));
      const { type, version, complete_version } = instance.row.datastore;
      expect(data.node.datastore).toEqual({ type, version, completeVersion: complete_version });
      expect(data.node.backups.nodes).toEqual(
        instance.backups.slice(0, 50).map(({ row }) => ({
          __typename: 'RdsBackup',
          status: rdsBackupStatus(row.status),
          providerStatus: row.status,
          startedAt: utcMs(row.begin_time),
          finishedAt: row.end_time ? utcMs(row.end_time) : null,
          sizeBytes: row.size * 1024,
          size: row.size,
          type: row.type,
          beginTime: utcMs(row.begin_time),
          endTime: row.end_time ? utcMs(row.end_time) : null,
          backupId: row.id,
          name: row.name,
          databases: row.databases ?? null,
          datastore: row.datastore,
        })),
      );
    }
  });

  it('resolves every union member from where it came from, and every ID back to its object', async () => {
    const data = ok(
      await stack.query<{
        instances: { nodes: { __typename: string; id: string }[] };
        tenants: { nodes: { __typename: string; id: string }[] };
        backupTasks: { nodes: { __typename: string; id: string }[] };
      }>(`{
        instances(first: 100) { nodes { __typename ... on Node { id } } }
        tenants(first: 100) { nodes { __typename ... on Node { id } } }
        backupTasks(first: 100, filter: { statuses: [FAILED, RUNNING] }) { nodes { __typename ... on Node { id } } }
      }`),
    );
    const fleet = stack.sims.fleet;
    const instanceTypes = data.instances.nodes.map((n) => n.__typename);
    expect(instanceTypes).toEqual([
      ...fleet.oceanbase.map(() => 'ObCluster'),
      ...fleet.huawei.projects.flatMap((p) => [...p.dcs.map(() => 'DcsInstance'), ...p.rds.map(() => 'RdsInstance')]),
    ]);
    expect(data.tenants.nodes.map((n) => n.__typename)).toEqual([
      ...fleet.oceanbase.flatMap((c) => c.tenants.map(() => 'ObTenant')),
      ...fleet.huawei.projects.map(() => 'HuaweiProject'),
    ]);
    expect(new Set(data.backupTasks.nodes.map((n) => n.__typename))).toEqual(new Set(['ObBackupJob', 'DcsBackup', 'RdsBackup']));

    const all = [...data.instances.nodes, ...data.tenants.nodes, ...data.backupTasks.nodes];
    const ids = all.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    const back = ok(
      await stack.query<{ nodes: ({ __typename: string; id: string } | null)[] }>(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids }),
    );
    expect(back.nodes).toEqual(all.map((n) => ({ __typename: n.__typename, id: n.id })));

    const task = ok(
      await stack.query<{ tenants: { nodes: { latestBackup: { id: string } | null }[] } }>(
        `{ tenants(first: 100) { nodes { ... on ObTenant { latestBackup { id } } } } }`,
      ),
    );
    const taskIds = task.tenants.nodes.flatMap((n) => (n.latestBackup ? [n.latestBackup.id] : []));
    expect(taskIds.length).toBeGreaterThan(3);
    const tasks = ok(await stack.query<{ nodes: { __typename: string }[] }>(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename } }`, { ids: taskIds }));
    expect(tasks.nodes.every((n) => n.__typename === 'ObBackupTask')).toBe(true);
  });

  it('resolves well-formed IDs of things that do not exist to null', async () => {
    const project = stack.sims.fleet.huawei.projects[0]!;
    const gone = [
      encodeId({ type: 'DcsInstance', source: project.name, instanceId: '00000000-0000-4000-8000-000000000000' }),
      encodeId({
        type: 'DcsBackup',
        source: project.name,
        instanceId: '00000000-0000-4000-8000-000000000000',
        backupId: '00000000-0000-4000-8000-000000000001',
      }),
      encodeId({ type: 'RdsInstance', source: project.name, instanceId: `${'0'.repeat(32)}in01` }),
      encodeId({ type: 'RdsBackup', source: project.name, instanceId: `${'0'.repeat(32)}in01`, backupId: `${'0'.repeat(32)}br01` }),
      encodeId({ type: 'ObTenant', source: 'ob-hangzhou', tenantName: 'dropped' }),
      encodeId({ type: 'ObBackupJob', source: 'ob-hangzhou', tenantName: 'dropped', jobId: 3 }),
      encodeId({ type: 'ObBackupTask', source: 'ob-hangzhou', tenantId: 1002, taskId: 1 }),
      encodeId({ type: 'ObCluster', source: 'no-such-source' }),
      encodeId({ type: 'HuaweiProject', source: 'ob-hangzhou' }),
    ];
    const data = ok(await stack.query<{ nodes: unknown[] }>(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: gone }));
    expect(data.nodes).toEqual(gone.map(() => null));
  });
});
