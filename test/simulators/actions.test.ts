/**
 * The simulators' write routes (backup actions), over loopback HTTP with real auth, through the
 * gateway's own clients, with a ManualClock shared by simulators and clients: starts and cancels
 * on obshell, manual backups created and deleted on DCS and RDS, and how each record moves through
 * its states as the clock advances (progress.ts).
 */
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/clock.js';
import { HttpTransport } from '../../src/lib/http.js';
import { parseJsonLossless } from '../../src/lib/json.js';
import { AkSkAuth, TokenAuth } from '../../src/providers/huawei/auth.js';
import { DcsClient } from '../../src/providers/huawei/dcs-client.js';
import { RdsClient } from '../../src/providers/huawei/rds-client.js';
import { formatSdkDate } from '../../src/providers/huawei/signer.js';
import { buildAuthHeader, createAesKeys, encryptBody, importAgentPublicKey } from '../../src/providers/oceanbase/auth.js';
import { ObshellClient } from '../../src/providers/oceanbase/client.js';
import { generateFleet, type Fleet, type ObClusterSim } from '../../src/simulators/fleet.js';
import { startHuaweiSimulator, type HuaweiSimulator } from '../../src/simulators/huawei/server.js';
import { OBSHELL_ROUTES, startObshellSimulator, type ObshellSimulator } from '../../src/simulators/obshell/server.js';
import { dcsTime, rdsTime } from '../../src/simulators/timefmt.js';
import { AKSKSigner, sdkCredential, upstreamError } from '../providers/huawei/helpers.js';

const T0 = Date.UTC(2025, 4, 10, 4, 0, 0);
const DURATION = 60_000;

// ---- obshell --------------------------------------------------------------------------------------

describe('obshell actions', () => {
  let clock: ManualClock;
  let cluster: ObClusterSim;
  let sim: ObshellSimulator;
  let transport: HttpTransport;
  let client: ObshellClient;

  const tenant = (name: string) => cluster.tenants.find((t) => t.row.tenant_name === name)!;

  beforeEach(async () => {
    clock = new ManualClock(T0);
    cluster = generateFleet({ now: T0 }).oceanbase[0]!; // ob-hangzhou: trade DOING, audit INIT, analytics never backed up
    sim = await startObshellSimulator({ cluster, clock, backupDurationMs: DURATION });
    transport = new HttpTransport({ timeoutMs: 5000 });
    client = new ObshellClient({ source: 'ob-test', url: sim.url, password: cluster.password, transport, clock });
  });
  afterEach(async () => {
    await transport.close();
    await sim.close();
  });

  /** A request with a valid X-OCS-Header; the body encrypted under its keys unless `plain`. */
  async function send(method: 'POST' | 'PATCH', path: string, body?: string, options: { plain?: boolean; header?: boolean } = {}) {
    const keys = createAesKeys();
    const header = buildAuthHeader({
      password: cluster.password,
      uri: path,
      expiresAt: Math.floor(clock.now() / 1000) + 60,
      publicKey: importAgentPublicKey(sim.publicKeyBase64),
      keys,
    }).header;
    const payload = body === undefined ? undefined : options.plain ? body : encryptBody(body, keys);
    const res = await request(sim.url + path, {
      method,
      headers: options.header === false ? {} : { 'X-OCS-Header': header },
      ...(payload === undefined ? {} : { body: payload }),
    });
    const text = await res.body.text();
    const parsed = parseJsonLossless(text) as Record<string, unknown>;
    return { status: res.statusCode, body: parsed, error: parsed.error as Record<string, unknown> | undefined };
  }

  it('a tenant start: a READY DAG, then the job INIT → DOING (counts rising) → COMPLETED with the clock', async () => {
    const dag = await client.startTenantBackup('analytics', { mode: 'full' });
    expect(dag).toMatchObject({ name: 'Obcluster start full backup for analytics', state: 'READY', operator: 'RUN' });
    expect(dag!.id).toBe(`1${dag!.dag_id}`);

    let task = (await client.tenantBackupOverview('analytics'))!;
    expect(task).toMatchObject({ status: 'INIT', end_timestamp: '0001-01-01T00:00:00Z', finish_tablet_count: 0 });
    let jobs = await client.tenantBackupJobs('analytics');
    expect(jobs.contents).toHaveLength(1);
    expect(jobs.contents[0]).toMatchObject({ status: 'INIT', backup_type: 'FULL' });
    expect(jobs.contents[0]!.end_timestamp).toBeUndefined();
    const cluster0 = await client.clusterBackupOverview();
    expect(cluster0.find((t) => t.tenant_id === tenant('analytics').row.tenant_id)).toMatchObject({ status: 'INIT' });

    clock.advance(DURATION * 0.1);
    task = (await client.tenantBackupOverview('analytics'))!;
    expect(task.status).toMatch(/^BACKUP_/);
    expect((await client.tenantBackupJobs('analytics')).contents[0]!.status).toBe('DOING');

    clock.advance(DURATION * 0.3);
    const mid = (await client.tenantBackupOverview('analytics'))!;
    clock.advance(DURATION * 0.3);
    const later = (await client.tenantBackupOverview('analytics'))!;
    expect(mid.finish_tablet_count).toBeGreaterThan(0);
    expect(later.finish_tablet_count).toBeGreaterThan(mid.finish_tablet_count ?? Infinity);
    expect(later.finish_macro_block_count).toBeGreaterThanOrEqual(mid.finish_macro_block_count ?? Infinity);
    expect(Number(later.output_bytes)).toBeGreaterThan(Number(mid.output_bytes));
    expect(later.status).not.toBe(mid.status); // a later phase

    clock.advance(DURATION * 0.3);
    task = (await client.tenantBackupOverview('analytics'))!;
    expect(task.status).toBe('COMPLETED');
    expect(task.end_timestamp).not.toBe('0001-01-01T00:00:00Z');
    expect(task.finish_tablet_count).toBe(task.tablet_count);
    expect(Number(task.output_bytes)).toBeGreaterThan(0);
    expect(BigInt(task.end_scn ?? '0')).toBeGreaterThan(BigInt(task.start_scn ?? '0'));
    jobs = await client.tenantBackupJobs('analytics');
    expect(jobs.contents[0]).toMatchObject({ status: 'COMPLETED', end_timestamp: task.end_timestamp });
    expect(tenant('analytics').jobs[0]).toMatchObject({ running: false, startMs: T0, endMs: T0 + DURATION });

    expect(sim.server.callsTo(OBSHELL_ROUTES.startTenantBackup).map((c) => [c.method, c.path, c.status])).toEqual([
      ['POST', '/api/v1/tenant/analytics/backup', 200],
    ]);
  });

  it('incremental mode, case-insensitive, default full; plus_archive', async () => {
    const dag = await client.startTenantBackup('crm', { mode: 'incremental' });
    expect(dag!.name).toBe('Obcluster start increment backup for crm');
    expect(tenant('crm').jobs.at(-1)!.job).toMatchObject({ backup_type: 'INC', status: 'INIT', plus_archivelog: 'OFF' });
    clock.advance(DURATION);

    const upper = await send('POST', '/api/v1/tenant/crm/backup', '{"MODE":"FULL","plus_archive":true}');
    expect(upper.status).toBe(200);
    expect(tenant('crm').jobs.at(-1)!.job).toMatchObject({ backup_type: 'FULL', plus_archivelog: 'ON' });
    clock.advance(DURATION);

    const empty = await send('POST', '/api/v1/tenant/crm/backup', '{"mode":""}');
    expect((empty.body.data as { name: string }).name).toBe('Obcluster start full backup for crm');
    clock.advance(DURATION);
    const none = await send('POST', '/api/v1/tenant/crm/backup');
    expect(none.status).toBe(200);
    expect(
      tenant('crm')
        .jobs.slice(-4)
        .map((j) => [j.job.backup_type, j.job.status]),
    ).toEqual([
      ['INC', 'COMPLETED'],
      ['FULL', 'COMPLETED'],
      ['FULL', 'COMPLETED'],
      ['FULL', 'INIT'],
    ]);
  });

  it('a start while a backup runs answers 200 and creates no second job', async () => {
    const before = tenant('trade').jobs.length;
    const dag = await client.startTenantBackup('trade', { mode: 'full' });
    expect(dag).toMatchObject({ state: 'READY' });
    expect(tenant('trade').jobs).toHaveLength(before);
    await client.startTenantBackup('analytics', { mode: 'full' });
    await client.startTenantBackup('analytics', { mode: 'full' });
    expect(tenant('analytics').jobs).toHaveLength(1);
  });

  it('a cluster start: a job for each user tenant not already backing up', async () => {
    const counts = () => Object.fromEntries(cluster.tenants.map((t) => [t.row.tenant_name, t.jobs.length]));
    const before = counts();
    const dag = await client.startClusterBackup({ mode: 'full' });
    expect(dag).toMatchObject({ name: 'Obcluster start full backup', state: 'READY' });
    const after = counts();
    expect(after).toEqual({ ...before, billing: before.billing! + 1, analytics: 1, crm: before.crm! + 1 });
    const statuses = await client.clusterBackupOverview();
    expect(statuses.filter((t) => t.status === 'INIT').map((t) => t.tenant_id)).toEqual(
      expect.arrayContaining(['billing', 'analytics', 'crm', 'audit'].map((n) => tenant(n).row.tenant_id)),
    );
    clock.advance(DURATION);
    const done = await client.clusterBackupOverview();
    for (const name of ['billing', 'analytics', 'crm']) expect(done.find((t) => t.tenant_id === tenant(name).row.tenant_id)!.status).toBe('COMPLETED');
    expect(sim.server.callsTo(OBSHELL_ROUTES.startClusterBackup)).toHaveLength(1);
  });

  it('start errors, in check order', async () => {
    const sys = await upstreamError(client.startTenantBackup('sys', { mode: 'full' }));
    expect(sys).toMatchObject({ httpStatus: 400, upstreamCode: 'OB.Tenant.SysOperationNotAllowed' });
    const unknown = await upstreamError(client.startTenantBackup('nope', { mode: 'full' }));
    expect(unknown).toMatchObject({ httpStatus: 400, upstreamCode: 'OB.Tenant.NotExist', upstreamMessage: "Tenant 'nope' does not exist." });
    // The tenant is checked before the body is bound.
    expect((await send('POST', '/api/v1/tenant/nope/backup', '{"mode":7}')).error).toMatchObject({ errCode: 'OB.Tenant.NotExist' });

    const badType = await send('POST', '/api/v1/tenant/crm/backup', '{"mode":7}');
    expect(badType.status).toBe(400);
    expect(badType.error).toMatchObject({
      errCode: 'Common.BindJsonFailed',
      message: 'Bind JSON failed: json: cannot unmarshal number into Go struct field BackupParam.mode of type string',
    });
    expect((await send('POST', '/api/v1/tenant/crm/backup', 'mode=full')).error).toMatchObject({ errCode: 'Common.BindJsonFailed' });

    const mode = await send('POST', '/api/v1/tenant/crm/backup', '{"mode":"Differential"}');
    expect(mode.status).toBe(400);
    expect(mode.error).toMatchObject({ errCode: 'OB.Backup.Mode.Invalid', message: 'Invalid backup mode: differential, must be full or incremental' });

    tenant('crm').dataBackupDest = null;
    const dest = await upstreamError(client.startTenantBackup('crm', { mode: 'full' }));
    expect(dest).toMatchObject({
      httpStatus: 400,
      upstreamCode: 'OB.Backup.DataDestEmpty',
      upstreamMessage: `Data destination is empty, tenant: crm(${tenant('crm').row.tenant_id})`,
    });
    // The destinations are checked before the mode.
    expect((await send('POST', '/api/v1/tenant/crm/backup', '{"mode":"x"}')).error).toMatchObject({ errCode: 'OB.Backup.DataDestEmpty' });
    tenant('crm').logArchiveDest = '';
    expect(await upstreamError(client.startTenantBackup('crm', { mode: 'full' }))).toMatchObject({ upstreamCode: 'OB.Backup.ArchiveDestEmpty' });
    // The cluster route stops at the first tenant without a destination.
    expect(await upstreamError(client.startClusterBackup({ mode: 'full' }))).toMatchObject({ upstreamCode: 'OB.Backup.ArchiveDestEmpty' });
    expect(tenant('analytics').jobs).toHaveLength(0);
    expect(tenant('crm').jobs.filter((j) => j.running)).toHaveLength(0);

    // No job was created by any refused start.
    expect(cluster.tenants.flatMap((t) => t.jobs).filter((j) => j.startMs === T0)).toHaveLength(0);
  });

  it('a cluster with no user tenant: OB.Backup.NoUserTenants', async () => {
    cluster.tenants.splice(1);
    expect(await upstreamError(client.startClusterBackup({ mode: 'full' }))).toMatchObject({ httpStatus: 400, upstreamCode: 'OB.Backup.NoUserTenants' });
  });

  it('the body must be encrypted under the header keys: a plaintext body is 401 Common.Unauthorized', async () => {
    const plain = await send('POST', '/api/v1/tenant/analytics/backup', '{"mode":"full"}', { plain: true });
    expect(plain.status).toBe(401);
    expect(plain.error).toEqual({ code: 10008, errCode: 'Common.Unauthorized', message: 'Unauthorized' });
    // Base64 that is not ciphertext under these keys (bad padding once decrypted).
    const wrongKeys = await send('POST', '/api/v1/tenant/analytics/backup', encryptBody('{"mode":"full"}', createAesKeys()), { plain: true });
    expect(wrongKeys.status).toBe(401);
    const cancel = await send('PATCH', '/api/v1/obcluster/backup', '{"status":"canceled"}', { plain: true });
    expect(cancel.error).toMatchObject({ errCode: 'Common.Unauthorized' });
    // No header at all: the protected route refuses it first.
    const noHeader = await send('POST', '/api/v1/tenant/analytics/backup', '{"mode":"full"}', { header: false, plain: true });
    expect(noHeader.status).toBe(400);
    expect(noHeader.error).toMatchObject({ errCode: 'Request.Header.NotFound' });
    expect(tenant('analytics').jobs).toHaveLength(0);
  });

  it('cancel: CANCELING at once, CANCELED a short time later; the start does not resume', async () => {
    await client.startTenantBackup('analytics', { mode: 'full' });
    clock.advance(DURATION * 0.2);
    expect((await client.tenantBackupOverview('analytics'))!.status).toMatch(/^BACKUP_/);

    const answer = await send('PATCH', '/api/v1/tenant/analytics/backup', '{"status":"canceled"}');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ successful: true, status: 200 });
    expect(answer.body).not.toHaveProperty('data');
    expect((await client.tenantBackupOverview('analytics'))!.status).toBe('CANCELING');
    expect((await client.tenantBackupJobs('analytics')).contents[0]!.status).toBe('CANCELING');

    clock.advance(999);
    expect((await client.tenantBackupOverview('analytics'))!.status).toBe('CANCELING');
    clock.advance(Math.max(1000, DURATION * 0.05));
    const task = (await client.tenantBackupOverview('analytics'))!;
    expect(task.status).toBe('CANCELED');
    expect(task.end_timestamp).not.toBe('0001-01-01T00:00:00Z');
    clock.advance(DURATION);
    expect((await client.tenantBackupJobs('analytics')).contents[0]).toMatchObject({ status: 'CANCELED' });
    expect(tenant('analytics').jobs[0]!.running).toBe(false);

    // Nothing running: a no-op that still succeeds (the client's own cancel).
    await expect(client.cancelTenantBackup('analytics')).resolves.toBeUndefined();
    await expect(client.cancelTenantBackup('crm')).resolves.toBeUndefined();
    expect(sim.server.callsTo(OBSHELL_ROUTES.cancelTenantBackup).map((c) => c.status)).toEqual([200, 200, 200]);
  });

  it('cluster cancel: every running job of the user tenants; an INIT one too', async () => {
    await client.cancelClusterBackup();
    expect((await client.tenantBackupOverview('trade'))!.status).toBe('CANCELING');
    expect((await client.tenantBackupOverview('audit'))!.status).toBe('CANCELING');
    expect((await client.tenantBackupOverview('crm'))!.status).toBe('COMPLETED');
    clock.advance(DURATION * 0.05);
    const statuses = await client.clusterBackupOverview();
    expect(statuses.find((t) => t.tenant_id === tenant('trade').row.tenant_id)!.status).toBe('CANCELED');
    expect(statuses.find((t) => t.tenant_id === tenant('audit').row.tenant_id)!.status).toBe('CANCELED');
    expect(sim.server.callsTo(OBSHELL_ROUTES.cancelClusterBackup)).toHaveLength(1);
  });

  it('cancel errors: status other than canceled; sys; unknown tenant; absent status is canceled', async () => {
    const bad = await send('PATCH', '/api/v1/tenant/trade/backup', '{"status":"Paused"}');
    expect(bad.status).toBe(400);
    expect(bad.error).toMatchObject({ errCode: 'OB.Backup.Status.Invalid', message: "Invalid backup status: 'paused', must be 'canceled'" });
    expect((await send('PATCH', '/api/v1/obcluster/backup', '{"status":"done"}')).error).toMatchObject({ errCode: 'OB.Backup.Status.Invalid' });
    expect((await send('PATCH', '/api/v1/obcluster/backup', '[]')).error).toMatchObject({ errCode: 'Common.BindJsonFailed' });
    expect(await upstreamError(client.cancelTenantBackup('sys'))).toMatchObject({ upstreamCode: 'OB.Tenant.SysOperationNotAllowed' });
    expect(await upstreamError(client.cancelTenantBackup('ghost'))).toMatchObject({ upstreamCode: 'OB.Tenant.NotExist' });
    expect(tenant('trade').jobs.find((j) => j.running)!.job.status).toBe('DOING');

    const absent = await send('PATCH', '/api/v1/tenant/trade/backup', '{}');
    expect(absent.status).toBe(200);
    expect(tenant('trade').jobs.find((j) => j.running)!.job.status).toBe('CANCELING');
  });

  it('legacy error style: the same checks with the old int codes', async () => {
    const legacy = await startObshellSimulator({ cluster, clock, errorStyle: 'legacy' });
    try {
      const old = new ObshellClient({ source: 'ob-test', url: legacy.url, password: cluster.password, transport, clock });
      expect(await upstreamError(old.startTenantBackup('sys', { mode: 'full' }))).toMatchObject({ httpStatus: 400 });
      const res = await request(`${legacy.url}/api/v1/tenant/sys/backup`, {
        method: 'POST',
        headers: {
          'X-OCS-Header': buildAuthHeader({
            password: cluster.password,
            uri: '/api/v1/tenant/sys/backup',
            expiresAt: Math.floor(clock.now() / 1000) + 60,
            publicKey: importAgentPublicKey(legacy.publicKeyBase64),
          }).header,
        },
      });
      const body = JSON.parse(await res.body.text()) as { error: unknown };
      expect(body.error).toEqual({ code: 1001, message: 'Illegal argument: tenant sys is system tenant, cannot backup' });
      await expect(old.startTenantBackup('analytics', { mode: 'full' })).resolves.toMatchObject({ state: 'READY' });
    } finally {
      await legacy.close();
    }
  });
});

// ---- Huawei ---------------------------------------------------------------------------------------

describe('Huawei actions', () => {
  let clock: ManualClock;
  let fleet: Fleet;
  let sim: HuaweiSimulator;
  let transport: HttpTransport;
  let dcs: DcsClient;
  let rds: RdsClient;
  let project: Fleet['huawei']['projects'][number];

  const dcsNamed = (name: string) => project.dcs.find((i) => i.row.name === name)!;
  const rdsNamed = (name: string) => project.rds.find((i) => i.row.name === name)!;
  const aksk = () => new AkSkAuth({ accessKey: fleet.huawei.accessKey, secretKey: fleet.huawei.secretKey, projectId: project.projectId, clock });

  beforeEach(async () => {
    clock = new ManualClock(T0);
    fleet = generateFleet({ now: T0 });
    project = fleet.huawei.projects[0]!;
    sim = await startHuaweiSimulator({ account: fleet.huawei, clock, backupDurationMs: DURATION });
    transport = new HttpTransport({ timeoutMs: 5000 });
    const options = { source: 'hw-test', projectId: project.projectId, endpoint: sim.url, auth: aksk(), transport, clock };
    dcs = new DcsClient(options);
    rds = new RdsClient(options);
  });
  afterEach(async () => {
    await transport.close();
    await sim.close();
  });

  /** A signed request with any body (what the clients never send). */
  async function rawSigned(method: 'POST' | 'DELETE', path: string, body: string, signedBody = body) {
    const url = new URL(sim.url + path);
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    aksk().authorize({ method, url, headers, body: signedBody });
    const res = await transport.send({ method, url, headers, body });
    return { status: res.status, json: res.text ? (JSON.parse(res.text) as Record<string, unknown>) : undefined };
  }

  describe('DCS', () => {
    it('create: 200 {backup_id}; the record waiting → backuping (progress rising) → succeed', async () => {
      const instance = dcsNamed('dcs-session-prod');
      const id = instance.row.instance_id;
      const created = await dcs.createBackup(id, { remark: 'before the upgrade', backupFormat: 'aof' });
      expect(created.backup_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(Object.keys(created)).toEqual(['backup_id']);

      const record = async () => (await dcs.listBackups(id, { limit: 1 })).backup_record_response[0]!;
      let row = await record();
      expect(row).toMatchObject({
        backup_id: created.backup_id,
        status: 'waiting',
        backup_type: 'manual',
        remark: 'before the upgrade',
        backup_format: 'aof',
        created_at: dcsTime(T0),
        is_support_restore: 'FALSE',
        size: 0,
      });

      clock.advance(DURATION * 0.1);
      row = await record();
      expect(row).toMatchObject({ status: 'backuping', progress: '10.00' });
      clock.advance(DURATION * 0.45);
      row = await record();
      expect(row.status).toBe('backuping');
      expect(Number(row.progress)).toBeCloseTo(55, 5);
      expect(row.updated_at).toBe(dcsTime(T0 + DURATION * 0.55));

      clock.advance(DURATION * 0.45);
      row = await record();
      expect(row).toMatchObject({ status: 'succeed', progress: '100.00', is_support_restore: 'TRUE', updated_at: dcsTime(T0 + DURATION) });
      expect(row.size).toBeGreaterThan(0);
      expect(sim.server.callsTo('dcs.createBackup').map((c) => [c.method, c.status])).toEqual([['POST', 200]]);
    });

    it('create defaults: rdb, no remark; through a token too', async () => {
      const id = dcsNamed('dcs-rank-prod').row.instance_id;
      const tokenClient = new DcsClient({
        source: 'hw-test',
        projectId: project.projectId,
        endpoint: sim.url,
        auth: new TokenAuth({ token: fleet.huawei.token }),
        transport,
        clock,
      });
      const { backup_id } = await tokenClient.createBackup(id, {});
      const row = dcsNamed('dcs-rank-prod').backups[0]!.row;
      expect(row).toMatchObject({ backup_id, backup_format: 'rdb', remark: null, status: 'waiting' });
    });

    it('create errors: unknown instance, not RUNNING, single-node, a backup in progress', async () => {
      expect(await upstreamError(dcs.createBackup('00000000-0000-4000-8000-000000000000', {}))).toMatchObject({ httpStatus: 404, upstreamCode: 'DCS.3022' });
      expect(await upstreamError(dcs.createBackup(dcsNamed('dcs-metrics-new').row.instance_id, {}))).toMatchObject({
        httpStatus: 400,
        upstreamCode: 'DCS.4049',
      });
      expect(await upstreamError(dcs.createBackup(dcsNamed('dcs-dev-sandbox').row.instance_id, {}))).toMatchObject({
        httpStatus: 400,
        upstreamCode: 'DCS.4026',
      });
      expect(await upstreamError(dcs.createBackup(dcsNamed('dcs-cart-prod').row.instance_id, {}))).toMatchObject({ httpStatus: 400, upstreamCode: 'DCS.4096' });

      const id = dcsNamed('dcs-feed-cache').row.instance_id;
      await dcs.createBackup(id, {});
      expect(await upstreamError(dcs.createBackup(id, {}))).toMatchObject({ httpStatus: 400, upstreamCode: 'DCS.4096' });
      clock.advance(DURATION);
      await expect(dcs.createBackup(id, {})).resolves.toHaveProperty('backup_id');

      const body = await rawSigned('POST', `/v2/${project.projectId}/instances/${id}/backups`, '{"backup_format":"zip"}');
      expect(body).toMatchObject({ status: 400, json: { error_code: 'DCS.4800', error_ext_msg: null } });
      expect(dcsNamed('dcs-metrics-new').backups).toHaveLength(0);
    });

    it('the body is signed: a body other than the signed one is refused by the gateway', async () => {
      const id = dcsNamed('dcs-geo').row.instance_id;
      const res = await rawSigned('POST', `/v2/${project.projectId}/instances/${id}/backups`, '{"remark":"b"}', '{"remark":"a"}');
      expect(res).toMatchObject({ status: 401, json: { error_code: 'APIGW.0301' } });
    });

    it('the official SDK signer signs a create the gateway accepts', async () => {
      const id = dcsNamed('dcs-lock-svc').row.instance_id;
      const endpoint = `${sim.url}/v2/${project.projectId}/instances/${id}/backups`;
      const data = { remark: 'sdk', backup_format: 'rdb' };
      const headers = AKSKSigner.sign(
        {
          method: 'POST',
          endpoint,
          queryParams: {},
          headers: { 'Content-Type': 'application/json;charset=UTF-8', 'X-Sdk-Date': formatSdkDate(new Date(clock.now())), 'X-Project-Id': project.projectId },
          data,
        },
        sdkCredential(fleet.huawei.accessKey, fleet.huawei.secretKey),
      );
      const res = await request(endpoint, { method: 'POST', headers, body: JSON.stringify(data) });
      const json = JSON.parse(await res.body.text()) as { backup_id: string };
      expect(res.statusCode).toBe(200);
      expect(dcsNamed('dcs-lock-svc').backups[0]!.row).toMatchObject({ backup_id: json.backup_id, remark: 'sdk' });
    });

    it('delete: 204 and the record leaves the list; not found 400 DCS.4031; a running one DCS.4096', async () => {
      const instance = dcsNamed('dcs-session-prod');
      const id = instance.row.instance_id;
      const { backup_id } = await dcs.createBackup(id, {});
      expect(await upstreamError(dcs.deleteBackup(id, backup_id))).toMatchObject({ httpStatus: 400, upstreamCode: 'DCS.4096' });
      clock.advance(DURATION);
      const total = (await dcs.listBackups(id)).total_num;
      await expect(dcs.deleteBackup(id, backup_id)).resolves.toBeUndefined();
      const after = await dcs.listBackups(id, { limit: 1000 });
      expect(after.total_num).toBe(total - 1);
      expect(after.backup_record_response.map((b) => b.backup_id)).not.toContain(backup_id);
      const again = await upstreamError(dcs.deleteBackup(id, backup_id));
      expect(again).toMatchObject({ httpStatus: 400, upstreamCode: 'DCS.4031' });
      // An old succeeded one goes too.
      const old = instance.backups.find((b) => b.row.status === 'succeed')!.row.backup_id;
      await dcs.deleteBackup(id, old);
      expect(instance.backups.some((b) => b.row.backup_id === old)).toBe(false);
      expect(sim.server.callsTo('dcs.deleteBackup').map((c) => [c.method, c.status])).toEqual([
        ['DELETE', 400],
        ['DELETE', 204],
        ['DELETE', 400],
        ['DELETE', 204],
      ]);
    });
  });

  describe('RDS', () => {
    it('create: 200 {backup: BUILDING, manual}; COMPLETED with size and end_time at the duration', async () => {
      const instance = rdsNamed('rds-orders-mysql');
      const created = await rds.createManualBackup({ instanceId: instance.row.id, name: 'before-upgrade_1', description: 'manual backup' });
      expect(created.backup).toEqual({
        id: expect.stringMatching(new RegExp(`^[0-9a-f]{32}br${instance.row.id.slice(-2)}$`)) as unknown,
        instance_id: instance.row.id,
        name: 'before-upgrade_1',
        description: 'manual backup',
        begin_time: rdsTime(T0),
        status: 'BUILDING',
        type: 'manual',
      });
      const listed = async () => (await rds.listBackups({ instanceId: instance.row.id, backupId: created.backup.id })).backups;
      expect(await listed()).toEqual([expect.objectContaining({ status: 'BUILDING', type: 'manual', size: 0, end_time: '', name: 'before-upgrade_1' })]);
      clock.advance(DURATION - 1);
      expect((await listed())[0]!.status).toBe('BUILDING');
      clock.advance(1);
      const [done] = await listed();
      expect(done).toMatchObject({ status: 'COMPLETED', begin_time: rdsTime(T0), end_time: rdsTime(T0 + DURATION) });
      expect(done!.size).toBeGreaterThan(0);
      expect(sim.server.callsTo('rds.createBackup').map((c) => [c.method, c.status])).toEqual([['POST', 200]]);
    });

    it('create errors: bad name or instance_id 400, unknown instance 404, not ACTIVE or a backup BUILDING 409', async () => {
      const path = `/v3/${project.projectId}/backups`;
      const id = rdsNamed('rds-orders-mysql').row.id;
      for (const body of [
        { instance_id: id, name: '1abc' },
        { instance_id: id, name: 'abc' },
        { name: 'good-name' },
        { instance_id: id },
        { instance_id: id, name: 'good-name', description: 'a=b' },
      ]) {
        expect(await rawSigned('POST', path, JSON.stringify(body))).toMatchObject({ status: 400, json: { error_code: 'DBS.200001' } });
      }
      expect(await rawSigned('POST', path, 'not json')).toMatchObject({ status: 400 });
      const unknown = await upstreamError(rds.createManualBackup({ instanceId: `${'0'.repeat(32)}in01`, name: 'good-name' }));
      expect(unknown).toMatchObject({ httpStatus: 404, upstreamCode: 'DBS.200002' });

      expect(await upstreamError(rds.createManualBackup({ instanceId: rdsNamed('rds-users-mysql').row.id, name: 'good-name' }))).toMatchObject({
        httpStatus: 409,
        upstreamCode: 'DBS.200019',
      });
      rdsNamed('rds-gis-pg').row.status = 'REBOOTING';
      expect(await upstreamError(rds.createManualBackup({ instanceId: rdsNamed('rds-gis-pg').row.id, name: 'good-name' }))).toMatchObject({
        httpStatus: 409,
        upstreamCode: 'DBS.200019',
      });
      await rds.createManualBackup({ instanceId: id, name: 'first-one' });
      expect(await upstreamError(rds.createManualBackup({ instanceId: id, name: 'second-one' }))).toMatchObject({
        httpStatus: 409,
        upstreamCode: 'DBS.200019',
      });
      clock.advance(DURATION);
      // The name is taken now.
      expect(await upstreamError(rds.createManualBackup({ instanceId: id, name: 'first-one' }))).toMatchObject({ httpStatus: 400, upstreamCode: 'DBS.200001' });
    });

    it('delete: 200 {}, DELETING briefly, then gone; not found 404; not manual 400; BUILDING 409', async () => {
      const instance = rdsNamed('rds-payments-pg');
      const { backup } = await rds.createManualBackup({ instanceId: instance.row.id, name: 'to-delete' });
      expect(await upstreamError(rds.deleteManualBackup(backup.id))).toMatchObject({ httpStatus: 409, upstreamCode: 'DBS.200019' });
      clock.advance(DURATION);

      const answer = await rawSigned('DELETE', `/v3/${project.projectId}/backups/${backup.id}`, '');
      expect(answer).toEqual({ status: 200, json: {} });
      const listed = await rds.listBackups({ instanceId: instance.row.id, backupId: backup.id });
      expect(listed.backups.map((b) => b.status)).toEqual(['DELETING']);
      expect(await upstreamError(rds.deleteManualBackup(backup.id))).toMatchObject({ httpStatus: 409 });
      clock.advance(Math.max(1000, DURATION * 0.05));
      expect(await rds.listBackups({ instanceId: instance.row.id, backupId: backup.id })).toMatchObject({ backups: [], total_count: 0 });
      expect(await upstreamError(rds.deleteManualBackup(backup.id))).toMatchObject({ httpStatus: 404 });

      const auto = instance.backups.find((b) => b.row.type === 'auto')!.row.id;
      expect(await upstreamError(rds.deleteManualBackup(auto))).toMatchObject({ httpStatus: 400 });
      const manual = instance.backups.find((b) => b.row.type === 'manual' && b.row.status === 'COMPLETED')!.row.id;
      await expect(rds.deleteManualBackup(manual)).resolves.toBeUndefined();
      expect(sim.server.callsTo('rds.deleteBackup').map((c) => c.status)).toEqual([409, 200, 409, 404, 400, 200]);
    });
  });
});
