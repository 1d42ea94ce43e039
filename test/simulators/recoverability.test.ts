/**
 * The simulators' recoverability reads, over loopback HTTP with real auth and a ManualClock shared
 * by simulators and callers: obshell `/backup/info` and `/backup/log/tasks` (docs/upstreams.md R1,
 * R2, R5) and RDS `restore-time` (R6), on the demo fleet's troubles (lagging, stopped and
 * interrupted archiving, windows with a gap or a lagging end).
 */
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/clock.js';
import { parseJsonLossless } from '../../src/lib/json.js';
import { buildAuthHeader, importAgentPublicKey } from '../../src/providers/oceanbase/auth.js';
import { generateFleet, type ObClusterSim, type ObTenantSim, type RdsInstanceSim } from '../../src/simulators/fleet.js';
import { parseRdsTime } from '../../src/simulators/huawei/rds.js';
import { OBSHELL_ROUTES, startObshellSimulator, type ObshellSimulator, type ObshellSimulatorOptions } from '../../src/simulators/obshell/server.js';
import { obArchiveAt, rdsRestoreWindowsAt } from '../../src/simulators/recoverability.js';
import { goRfc3339Nano } from '../../src/simulators/timefmt.js';
import { FLEET_NOW, jsonOf, startHarness, type Harness } from '../providers/huawei/helpers.js';

const T0 = Date.UTC(2025, 4, 10, 4, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;

// ---- obshell --------------------------------------------------------------------------------------

describe('obshell recoverability routes', () => {
  let clock: ManualClock;
  let sims: ObshellSimulator[];

  beforeEach(() => {
    clock = new ManualClock(T0);
    sims = [];
  });
  afterEach(async () => {
    await Promise.all(sims.map((s) => s.close()));
  });

  const fleet = () => generateFleet({ now: T0 });
  const tenant = (cluster: ObClusterSim, name: string): ObTenantSim => cluster.tenants.find((t) => t.row.tenant_name === name)!;

  async function start(cluster: ObClusterSim, options: Partial<ObshellSimulatorOptions> = {}): Promise<ObshellSimulator> {
    const sim = await startObshellSimulator({ cluster, clock, ...options });
    sims.push(sim);
    return sim;
  }

  /** GET with a valid X-OCS-Header (unless `header: false`). */
  async function get(sim: ObshellSimulator, path: string, options: { header?: boolean } = {}) {
    const header = buildAuthHeader({
      password: sim.cluster.password,
      uri: path,
      expiresAt: Math.floor(clock.now() / 1000) + 60,
      publicKey: importAgentPublicKey(sim.publicKeyBase64),
    }).header;
    const res = await request(sim.url + path, { method: 'GET', headers: options.header === false ? {} : { 'X-OCS-Header': header } });
    const text = await res.body.text();
    const body = parseJsonLossless(text) as Record<string, unknown>;
    return { status: res.statusCode, text, body, data: body.data as Record<string, unknown> | undefined, error: body.error };
  }

  const info = (sim: ObshellSimulator, name: string) => get(sim, `/api/v1/tenant/${name}/backup/info`);
  const logTasks = (sim: ObshellSimulator, name: string) => get(sim, `/api/v1/tenant/${name}/backup/log/tasks`);
  const oldestStart = (t: ObTenantSim) => Math.min(...t.jobs.map((j) => j.startMs));

  it('a default round: checkpoint 20 s behind, the running task’s start, the DOING round listed', async () => {
    const cluster = fleet().oceanbase[0]!; // ob-hangzhou
    const trade = tenant(cluster, 'trade'); // a backup running
    expect(trade.archive).toBeUndefined();
    const sim = await start(cluster);
    const running = trade.jobs.find((j) => j.running)!;

    const res = await info(sim, 'trade');
    expect(res.status).toBe(200);
    expect(res.body.successful).toBe(true);
    expect(res.data).toEqual({
      tenant_id: 1002,
      lastest_archive_log_checkpoint: goRfc3339Nano((T0 - 20_000) * 1000),
      lastest_data_backup_time: running.task.start_timestamp,
      archive_log_delay: 20,
    });
    // The Go struct's field order, the `lastest` spelling, the agent's +08:00.
    expect(Object.keys(res.data!)).toEqual(['tenant_id', 'lastest_archive_log_checkpoint', 'lastest_data_backup_time', 'archive_log_delay']);
    expect(res.data!.lastest_archive_log_checkpoint).toMatch(/^2025-05-10T11:59:40\+08:00$/);
    expect(res.data!.lastest_data_backup_time).toMatch(/\+08:00$/);

    const tasks = await logTasks(sim, 'trade');
    expect(tasks.status).toBe(200);
    expect(tasks.data).toEqual({
      contents: [
        {
          tenant_id: 1002,
          tenant_name: '',
          round_id: 1,
          status: 'DOING',
          path: 'file:///data/archive/1002',
          delay: 20,
          checkpoint: goRfc3339Nano((T0 - 20_000) * 1000),
          start_time: goRfc3339Nano(oldestStart(trade) * 1000),
        },
      ],
    });
    const item = (tasks.data!.contents as Record<string, unknown>[])[0]!;
    expect(Object.keys(item)).toEqual(['tenant_id', 'tenant_name', 'round_id', 'status', 'path', 'delay', 'checkpoint', 'start_time']);
    // The shared helper says the same.
    expect(obArchiveAt(trade, T0)).toEqual({
      roundId: 1,
      status: 'DOING',
      startMs: oldestStart(trade),
      checkpointMs: T0 - 20_000,
      path: 'file:///data/archive/1002',
    });

    expect(sim.server.callsTo(OBSHELL_ROUTES.tenantBackupInfo)).toHaveLength(1);
    expect(sim.server.callsTo(OBSHELL_ROUTES.tenantArchiveLogTasks)).toHaveLength(1);
    expect(sim.server.callsTo('obshell.tenantBackupInfo')[0]!.status).toBe(200);
  });

  it('the data backup time is the newest task’s start, whatever its status', async () => {
    const cluster = fleet().oceanbase[0]!;
    const sim = await start(cluster);
    for (const name of ['billing', 'crm']) {
      const t = tenant(cluster, name);
      const newest = t.jobs.reduce((a, b) => (b.startMs > a.startMs ? b : a));
      expect(newest.running).toBe(false);
      const res = await info(sim, name);
      expect(res.data!.lastest_data_backup_time).toBe(newest.task.start_timestamp);
    }
    // billing's newest job FAILED: it still counts.
    const billing = tenant(cluster, 'billing');
    expect(billing.jobs.reduce((a, b) => (b.startMs > a.startMs ? b : a)).job.status).toBe('FAILED');
  });

  it('a lagging round (billing, 3 h): the lag follows the clock', async () => {
    const cluster = fleet().oceanbase[0]!;
    const billing = tenant(cluster, 'billing');
    expect(billing.archive).toMatchObject({ status: 'DOING', lagMs: 3 * HOUR });
    const sim = await start(cluster);

    let res = await info(sim, 'billing');
    expect(res.data).toMatchObject({ lastest_archive_log_checkpoint: goRfc3339Nano((T0 - 3 * HOUR) * 1000), archive_log_delay: 10_800 });
    clock.advance(10 * MINUTE);
    res = await info(sim, 'billing');
    expect(res.data).toMatchObject({ lastest_archive_log_checkpoint: goRfc3339Nano((T0 + 10 * MINUTE - 3 * HOUR) * 1000), archive_log_delay: 10_800 });
    const tasks = await logTasks(sim, 'billing');
    expect(tasks.data!.contents).toEqual([expect.objectContaining({ status: 'DOING', delay: 10_800, round_id: 1, path: 'file:///data/archive/1004' })]);
  });

  it('a STOP round (analytics): not listed, but its checkpoint in info, with a delay that grows', async () => {
    const cluster = fleet().oceanbase[0]!;
    const analytics = tenant(cluster, 'analytics'); // never backed up
    expect(analytics.archive).toMatchObject({ status: 'STOP', checkpointMs: T0 - 2 * DAY });
    const sim = await start(cluster);

    let res = await info(sim, 'analytics');
    // No backup task: no lastest_data_backup_time.
    expect(res.data).toEqual({ tenant_id: 1006, lastest_archive_log_checkpoint: goRfc3339Nano((T0 - 2 * DAY) * 1000), archive_log_delay: 172_800 });
    clock.advance(61_234);
    res = await info(sim, 'analytics');
    expect(res.data).toEqual({ tenant_id: 1006, lastest_archive_log_checkpoint: goRfc3339Nano((T0 - 2 * DAY) * 1000), archive_log_delay: 172_861.234 });
    expect(res.text).toContain('"archive_log_delay":172861.234');

    const tasks = await logTasks(sim, 'analytics');
    expect(tasks.status).toBe(200);
    expect(tasks.data).toEqual({ contents: [] });
  });

  it('an INTERRUPTED round (ob-shanghai orders): checkpoint 5 h back, not listed', async () => {
    const cluster = fleet().oceanbase[1]!;
    const orders = tenant(cluster, 'orders');
    expect(orders.archive).toMatchObject({ status: 'INTERRUPTED', checkpointMs: T0 - 5 * HOUR });
    const sim = await start(cluster);
    const res = await info(sim, 'orders');
    expect(res.data).toMatchObject({ tenant_id: 1002, lastest_archive_log_checkpoint: goRfc3339Nano((T0 - 5 * HOUR) * 1000), archive_log_delay: 18_000 });
    expect((await logTasks(sim, 'orders')).data).toEqual({ contents: [] });
    // The other tenants of that cluster keep the default.
    expect(tenant(cluster, 'inventory').archive).toBeUndefined();
    expect((await logTasks(sim, 'inventory')).data!.contents).toHaveLength(1);
  });

  it('never archived and never backed up: {"tenant_id"} alone, {"contents":[]}', async () => {
    const cluster = fleet().oceanbase[0]!;
    tenant(cluster, 'analytics').archive = null;
    const sim = await start(cluster);
    const res = await info(sim, 'analytics');
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ tenant_id: 1006 });
    expect(res.text).toContain('"data":{"tenant_id":1006}');
    const tasks = await logTasks(sim, 'analytics');
    expect(tasks.text).toContain('"data":{"contents":[]}');
  });

  it('a delay of exactly 0 is omitted from info (omitempty) but not from the log tasks', async () => {
    const cluster = fleet().oceanbase[0]!;
    const crm = tenant(cluster, 'crm');
    crm.archive = { roundId: 4, status: 'SUSPEND', startMs: T0 - DAY, lagMs: 0, path: 'oss://arch/crm' };
    const sim = await start(cluster);
    const res = await info(sim, 'crm');
    expect(res.data).toHaveProperty('lastest_archive_log_checkpoint', goRfc3339Nano(T0 * 1000));
    expect(res.data).not.toHaveProperty('archive_log_delay');
    expect((await logTasks(sim, 'crm')).data!.contents).toEqual([
      {
        tenant_id: 1008,
        tenant_name: '',
        round_id: 4,
        status: 'SUSPEND',
        path: 'oss://arch/crm',
        delay: 0,
        checkpoint: goRfc3339Nano(T0 * 1000),
        start_time: goRfc3339Nano((T0 - DAY) * 1000),
      },
    ]);
  });

  it('the tenant checks and auth of /backup/tasks', async () => {
    const sim = await start(fleet().oceanbase[0]!);
    for (const path of ['/backup/info', '/backup/log/tasks']) {
      const sys = await get(sim, `/api/v1/tenant/sys${path}`);
      expect(sys.status).toBe(400);
      expect(sys.error).toMatchObject({ errCode: 'OB.Tenant.SysOperationNotAllowed' });
      const unknown = await get(sim, `/api/v1/tenant/nobody${path}`);
      expect(unknown.status).toBe(400);
      expect(unknown.error).toMatchObject({ errCode: 'OB.Tenant.NotExist', message: "Tenant 'nobody' does not exist." });
      const anonymous = await get(sim, `/api/v1/tenant/trade${path}`, { header: false });
      expect(anonymous.status).toBe(400);
      expect(anonymous.error).toMatchObject({ errCode: 'Request.Header.NotFound' });
    }
  });

  it('not a cluster agent: Agent.Identify.NotSupportOperation', async () => {
    const sim = await start(fleet().oceanbase[0]!, { identity: 'FOLLOWER' });
    const res = await info(sim, 'trade');
    expect(res.status).toBe(400);
    expect(res.error).toMatchObject({ errCode: 'Agent.Identify.NotSupportOperation' });
  });

  it('4.3.1.x agents: gin NoRoute, 404 Common.NotFound (the routes are ≥ 4.3.2.0)', async () => {
    const cluster = fleet().oceanbase[0]!;
    cluster.agent.version = '4.3.1.0';
    const sim = await start(cluster);
    for (const path of ['/backup/info', '/backup/log/tasks', '/backup/tasks']) {
      const res = await get(sim, `/api/v1/tenant/trade${path}`);
      expect(res.status).toBe(404);
      expect(res.body.successful).toBe(false);
      expect(res.error).toEqual({ errCode: 'Common.NotFound', message: 'Element not found: 404 not found' });
    }
    expect(sim.server.callsTo(OBSHELL_ROUTES.tenantBackupInfo)).toHaveLength(0);
    expect(sim.server.calls.every((c) => c.route === null)).toBe(true);
  });

  it('≤ 4.3.0.x agents (legacy style): 400 code 1000 "Bad request: 404 not found"', async () => {
    const sim = await start(fleet().oceanbase[0]!, { errorStyle: 'legacy' });
    for (const path of ['/backup/info', '/backup/log/tasks']) {
      const res = await get(sim, `/api/v1/tenant/trade${path}`);
      expect(res.status).toBe(400);
      expect(res.error).toEqual({ code: 1000, message: 'Bad request: 404 not found' });
    }
  });

  it('later agents (4.3.10.0) have the routes', async () => {
    const cluster = fleet().oceanbase[0]!;
    cluster.agent.version = '4.3.10.0';
    const sim = await start(cluster);
    expect((await info(sim, 'trade')).status).toBe(200);
  });
});

// ---- RDS ------------------------------------------------------------------------------------------

describe('rds.listRestoreTimes', () => {
  let clock: ManualClock;
  let h: Harness;

  beforeEach(async () => {
    clock = new ManualClock(FLEET_NOW);
    h = await startHarness({ clock });
  });
  afterEach(async () => {
    await h.close();
  });

  const withCompleted = () => h.project.rds.filter((i) => i.backups.some((b) => b.row.status === 'COMPLETED'));
  const byName = (name: string) => h.project.rds.find((i) => i.row.name === name)!;
  const path = (instance: RdsInstanceSim | string, query = '') =>
    `/v3/${h.project.projectId}/instances/${typeof instance === 'string' ? instance : instance.row.id}/restore-time${query}`;
  /** End of the oldest COMPLETED backup, computed here from the rows. */
  const oldestEnd = (i: RdsInstanceSim) => {
    const completed = i.backups.filter((b) => b.row.status === 'COMPLETED').sort((a, b) => a.beginMs - b.beginMs);
    return parseRdsTime(completed[0]!.row.end_time)!;
  };
  const iso = (ms: number) => new Date(ms).toISOString();

  it('the default: from the oldest completed backup’s end to now − 5 min', async () => {
    const pg = byName('rds-payments-pg');
    expect(pg.restoreWindows).toBeUndefined();
    const res = await h.raw(path(pg));
    expect(res.status).toBe(200);
    expect(jsonOf(res)).toEqual({ restore_time: [{ start_time: oldestEnd(pg), end_time: FLEET_NOW - 5 * MINUTE }] });
    expect(res.text).toMatch(/^\{"restore_time":\[\{"start_time":\d{13},"end_time":\d{13}\}\]\}$/);
    expect(rdsRestoreWindowsAt(pg, FLEET_NOW)).toEqual([{ startMs: oldestEnd(pg), endMs: FLEET_NOW - 5 * MINUTE }]);
    // The end follows the clock.
    clock.advance(HOUR);
    expect(jsonOf(await h.raw(path(pg)))).toEqual({ restore_time: [{ start_time: oldestEnd(pg), end_time: FLEET_NOW + HOUR - 5 * MINUTE }] });
    expect(h.sim.server.callsTo('rds.listRestoreTimes')).toHaveLength(2);
  });

  it('the first instance with completed backups has a gap between now − 3 d and now − 2 d (AK/SK signed)', async () => {
    const gap = withCompleted()[0]!;
    expect(gap.row.name).toBe('rds-orders-mysql');
    const res = await h.raw(path(gap), h.aksk());
    expect(res.status).toBe(200);
    expect(jsonOf(res)).toEqual({
      restore_time: [
        { start_time: oldestEnd(gap), end_time: FLEET_NOW - 3 * DAY },
        { start_time: FLEET_NOW - 2 * DAY, end_time: FLEET_NOW - 5 * MINUTE },
      ],
    });
  });

  it('the second one lags: its window ends 3 h before now', async () => {
    const lagging = withCompleted()[1]!;
    expect(lagging.row.name).toBe('rds-users-mysql');
    expect(jsonOf(await h.raw(path(lagging)))).toEqual({ restore_time: [{ start_time: oldestEnd(lagging), end_time: FLEET_NOW - 3 * HOUR }] });
    clock.advance(10 * MINUTE);
    expect(jsonOf(await h.raw(path(lagging)))).toEqual({
      restore_time: [{ start_time: oldestEnd(lagging), end_time: FLEET_NOW + 10 * MINUTE - 3 * HOUR }],
    });
    // Every other instance keeps the default.
    expect(
      withCompleted()
        .slice(2)
        .every((i) => i.restoreWindows === undefined),
    ).toBe(true);
  });

  it('no completed backup: an empty list', async () => {
    const replica = byName('rds-orders-replica');
    expect(jsonOf(await h.raw(path(replica)))).toEqual({ restore_time: [] });
  });

  it('date: only the windows’ parts within that UTC day, clipped', async () => {
    const gap = withCompleted()[0]!;
    // FLEET_NOW = 2024-10-12T02:00Z: the gap runs from 2024-10-09T02:00Z to 2024-10-10T02:00Z.
    const day = async (date: string) => jsonOf(await h.raw(path(gap, `?date=${date}`))).restore_time as { start_time: number; end_time: number }[];
    const ms = (text: string) => Date.parse(text);

    expect(await day('2024-10-09')).toEqual([{ start_time: ms('2024-10-09T00:00:00Z'), end_time: ms('2024-10-09T02:00:00Z') }]);
    expect(await day('2024-10-10')).toEqual([{ start_time: ms('2024-10-10T02:00:00Z'), end_time: ms('2024-10-10T23:59:59.999Z') }]);
    expect(await day('2024-10-12')).toEqual([{ start_time: ms('2024-10-12T00:00:00Z'), end_time: FLEET_NOW - 5 * MINUTE }]);
    expect(await day('2024-09-01')).toEqual([{ start_time: ms('2024-09-01T00:00:00Z'), end_time: ms('2024-09-01T23:59:59.999Z') }]);
    expect(await day('2024-10-13')).toEqual([]);
    expect(await day('2000-01-01')).toEqual([]);
    // The day the windows start on: from the oldest completed backup's end.
    const startDay = iso(oldestEnd(gap)).slice(0, 10);
    expect(await day(startDay)).toEqual([{ start_time: oldestEnd(gap), end_time: ms(`${startDay}T23:59:59.999Z`) }]);
  });

  it('a malformed date: 400 in RDS’s error shape', async () => {
    const gap = withCompleted()[0]!;
    for (const date of ['2024-13-01', '2024-02-30', '2024-10-1', 'yesterday', '', '2024-10-12T00:00:00Z']) {
      const res = await h.raw(path(gap, `?date=${encodeURIComponent(date)}`));
      expect(res.status).toBe(400);
      expect(jsonOf(res)).toEqual({ error_code: 'DBS.200001', error_msg: 'Parameter error.' });
    }
  });

  it('an unknown instance: 404 DBS.200002, as the other RDS routes', async () => {
    const res = await h.raw(path(`${'0'.repeat(32)}in01`));
    expect(res.status).toBe(404);
    expect(jsonOf(res)).toEqual({ error_code: 'DBS.200002', error_msg: 'The DB instance does not exist.' });
  });

  it('behind the simulated APIG: no credentials, 401 APIGW.0301', async () => {
    const gap = withCompleted()[0]!;
    const res = await request(h.sim.url + path(gap), { method: 'GET' });
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(await res.body.text())).toMatchObject({ error_code: 'APIGW.0301' });
  });
});
