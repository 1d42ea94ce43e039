/** RdsClient against the simulated RDS v3 APIs over real loopback HTTP. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BadInputError } from '../../../src/core/errors.js';
import { fixedClock } from '../../../src/lib/clock.js';
import { errorResponse } from '../../../src/providers/huawei/errors.js';
import { rdsQueryTime, type RdsClient } from '../../../src/providers/huawei/rds-client.js';
import type { RdsInstanceSim } from '../../../src/simulators/fleet.js';
import { parseRdsTime } from '../../../src/simulators/huawei/rds.js';
import { FLEET_NOW, jsonOf, startHarness, upstreamError, type Harness } from './helpers.js';

let h: Harness;
let rds: RdsClient;
/** The instance with the most backups (> 250). */
let big: RdsInstanceSim;
let bigId: string;
const backups = (query: string) => `/v3/${h.project.projectId}/backups?${query}`;
const ctx = { source: 'hw-test', provider: 'RDS' as const, operation: 'GET /v3/{project_id}/backups', secrets: [], now: FLEET_NOW };

beforeAll(async () => {
  h = await startHarness();
  rds = h.rds();
  big = [...h.project.rds].sort((a, b) => b.backups.length - a.backups.length)[0]!;
  bigId = big.row.id;
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.sim.server.clearCalls();
  h.sim.server.clearFaults();
});

function fleetCount(instance: RdsInstanceSim, begin: number, end: number, type?: string): number {
  return instance.backups.filter((b) => {
    const s = Math.floor(b.beginMs / 1000) * 1000;
    return s >= begin && s <= end && (type === undefined || b.row.type === type);
  }).length;
}

/** The last call's query as the simulator received it. */
const lastQuery = () => h.sim.server.calls.at(-1)!.query;

describe('RDS list instances', () => {
  /** The instances a list without `group_type` shows: all but the FlexusRDS ones. */
  const plain = () => h.project.rds.filter((i) => !i.flexus);
  it('lists every instance (default limit 100), rows as the fleet has them', async () => {
    const all = await rds.listInstances();
    expect(all.total_count).toBe(plain().length);
    expect(all.instances.map((i) => i.id)).toEqual(plain().map((i) => i.row.id));
    expect(all.instances[0]).toEqual(plain()[0]!.row);
  });

  it('filters by type, datastore_type, name (exact, or fuzzy with a leading *) and id; pages', async () => {
    const ha = await rds.listInstances({ type: 'Ha' });
    expect(ha.instances.every((i) => i.type === 'Ha')).toBe(true);
    expect(ha.total_count).toBe(plain().filter((i) => i.row.type === 'Ha').length);
    const pg = await rds.listInstances({ datastoreType: 'PostgreSQL' });
    expect(pg.instances.map((i) => i.datastore!.type)).toEqual(
      plain()
        .filter((i) => i.row.datastore.type === 'PostgreSQL')
        .map(() => 'PostgreSQL'),
    );
    const fuzzy = await rds.listInstances({ name: '*mysql' });
    expect(fuzzy.instances.map((i) => i.name)).toEqual(
      plain()
        .filter((i) => i.row.name.includes('mysql'))
        .map((i) => i.row.name),
    );
    const exact = await rds.listInstances({ name: 'mysql' });
    expect(exact.total_count).toBe(0);
    const byId = await rds.listInstances({ id: bigId });
    expect(byId.instances.map((i) => i.id)).toEqual([bigId]);
    const page = await rds.listInstances({ offset: 3, limit: 2 });
    expect(page.total_count).toBe(plain().length);
    expect(page.instances.map((i) => i.id)).toEqual(
      plain()
        .slice(3, 5)
        .map((i) => i.row.id),
    );
  });

  it('FlexusRDS instances are listed only with group_type=flexus, and then only they', async () => {
    const flexus = h.project.rds.filter((i) => i.flexus);
    expect(flexus.map((i) => i.row.name)).toEqual(['rds-audit-mysql']);
    const all = await rds.listInstances();
    expect(all.instances.map((i) => i.id)).not.toContain(flexus[0]!.row.id);
    const group = await rds.listInstances({ groupType: 'flexus' });
    expect(group.total_count).toBe(1);
    expect(group.instances).toEqual([flexus[0]!.row]);
    expect(h.sim.server.calls.at(-1)!.query).toEqual({ group_type: 'flexus' });
    await expect(rds.listInstances({ groupType: 'serverless' as 'flexus' })).rejects.toBeInstanceOf(BadInputError);
  });

  it('refuses bad parameters: 400 DBS.200001 Parameter error.', async () => {
    for (const query of ['limit=0', 'limit=101', 'offset=-1', 'name=*', 'type=Cluster', 'datastore_type=mysql', 'group_type=FLEXUS']) {
      const res = await h.raw(`/v3/${h.project.projectId}/instances?${query}`);
      expect(res.status, query).toBe(400);
      expect(jsonOf(res), query).toEqual({ error_code: 'DBS.200001', error_msg: 'Parameter error.' });
    }
  });
});

describe('RDS list backups', () => {
  it('pages over an instance with more than 250 backups, visiting each exactly once (newest first)', async () => {
    expect(big.backups.length).toBeGreaterThan(250);
    const seen: string[] = [];
    for (let offset = 0; ;) {
      const page = await rds.listBackups({ instanceId: bigId, offset, limit: 100 });
      expect(page.total_count).toBe(big.backups.length);
      seen.push(...page.backups.map((b) => b.id));
      offset += page.backups.length;
      if (page.backups.length < 100) break;
    }
    expect(seen).toEqual(big.backups.map((b) => b.row.id));
    expect(new Set(seen).size).toBe(big.backups.length);
  });

  it('default page size 100; rows as the fleet has them (size in KB, times +0800)', async () => {
    const page = await rds.listBackups({ instanceId: bigId });
    expect(page.backups).toHaveLength(100);
    expect(lastQuery()).toEqual({ instance_id: bigId });
    expect(page.backups[0]).toEqual(big.backups[0]!.row);
    expect(page.backups[0]!.begin_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0800$/);
  });

  it('filters on begin_time with begin_time+end_time (sent with %2B), inclusive; total_count is the match count', async () => {
    const begin = Date.UTC(2024, 8, 1);
    const end = Date.UTC(2024, 8, 10, 12, 30, 0);
    const list = await rds.listBackups({ instanceId: bigId, beginTime: new Date(begin), endTime: new Date(end) });
    const call = h.sim.server.calls.at(-1)!;
    expect(call.query).toMatchObject({ begin_time: '2024-09-01T00:00:00+0000', end_time: '2024-09-10T12:30:00+0000' });
    expect(list.total_count).toBe(fleetCount(big, begin, end));
    expect(list.total_count).toBeGreaterThan(0);
    for (const b of list.backups) {
      const t = parseRdsTime(b.begin_time!)!;
      expect(t).toBeGreaterThanOrEqual(begin);
      expect(t).toBeLessThanOrEqual(end);
    }
  });

  it('filters by backup_type and backup_id', async () => {
    const inc = await rds.listBackups({ instanceId: bigId, backupType: 'incremental', limit: 100 });
    expect(inc.total_count).toBe(big.backups.filter((b) => b.row.type === 'incremental').length);
    expect(inc.backups.every((b) => b.type === 'incremental')).toBe(true);
    const target = big.backups[42]!.row;
    const one = await rds.listBackups({ instanceId: bigId, backupId: target.id });
    expect(one).toEqual({ backups: [target], total_count: 1 });
  });

  it('with only beginTime the client fills end_time with now + 1 day', async () => {
    const begin = Date.UTC(2024, 9, 1);
    const list = await rds.listBackups({ instanceId: bigId, beginTime: new Date(begin) });
    expect(lastQuery()['begin_time']).toBe('2024-10-01T00:00:00+0000');
    // The client's clock is the harness's (FLEET_NOW, 2024-10-12T02:00Z): exactly now + 1 day.
    expect(lastQuery()['end_time']).toBe('2024-10-13T02:00:00+0000');
    expect(list.total_count).toBe(fleetCount(big, begin, Number.MAX_SAFE_INTEGER));
    // Another clock, another end.
    const later = h.rds(undefined, { clock: fixedClock(Date.UTC(2024, 9, 20, 5, 30)) });
    await later.listBackups({ instanceId: bigId, beginTime: new Date(begin) });
    expect(lastQuery()['end_time']).toBe('2024-10-21T05:30:00+0000');
  });

  it('with only endTime the client fills begin_time with 1970-01-01T00:00:00+0000', async () => {
    const end = Date.UTC(2024, 7, 1);
    const list = await rds.listBackups({ instanceId: bigId, endTime: new Date(end) });
    expect(lastQuery()).toMatchObject({ begin_time: '1970-01-01T00:00:00+0000', end_time: '2024-08-01T00:00:00+0000' });
    expect(list.total_count).toBe(fleetCount(big, 0, end));
  });

  it('accepts Z and ±hh:mm offsets as well as ±hhmm', async () => {
    const begin = Date.UTC(2024, 8, 1);
    const end = Date.UTC(2024, 8, 5);
    const expected = fleetCount(big, begin, end);
    for (const [b, e] of [
      ['2024-09-01T00:00:00Z', '2024-09-05T00:00:00Z'],
      ['2024-09-01T08:00:00%2B08:00', '2024-09-05T08:00:00%2B0800'],
      ['2024-08-31T19:00:00-05:00', '2024-09-04T19:00:00-0500'],
    ]) {
      const res = await h.raw(backups(`instance_id=${bigId}&begin_time=${b}&end_time=${e}`));
      expect(res.status, b).toBe(200);
      expect(jsonOf(res)['total_count'], b).toBe(expected);
    }
  });

  it('an empty match is 200 with an empty list', async () => {
    const res = await h.raw(backups(`instance_id=${bigId}&begin_time=2030-01-01T00:00:00Z&end_time=2030-01-02T00:00:00Z`));
    expect(res.status).toBe(200);
    expect(jsonOf(res)).toEqual({ backups: [], total_count: 0 });
  });

  describe('the simulator refuses bad requests, in RDS error bodies', () => {
    const cases: [string, () => string, number, string, string][] = [
      ['missing instance_id', () => backups('limit=10'), 400, 'DBS.200001', 'Parameter error.'],
      ['malformed instance_id', () => backups('instance_id=abc'), 400, 'DBS.200001', 'Parameter error.'],
      ['only begin_time', () => backups(`instance_id=${bigId}&begin_time=2024-09-01T00:00:00%2B0800`), 400, 'DBS.200001', 'Parameter error.'],
      ['only end_time', () => backups(`instance_id=${bigId}&end_time=2024-09-01T00:00:00%2B0800`), 400, 'DBS.200001', 'Parameter error.'],
      ['limit 0', () => backups(`instance_id=${bigId}&limit=0`), 400, 'DBS.200001', 'Parameter error.'],
      ['limit 101', () => backups(`instance_id=${bigId}&limit=101`), 400, 'DBS.200001', 'Parameter error.'],
      ['negative offset', () => backups(`instance_id=${bigId}&offset=-1`), 400, 'DBS.200001', 'Parameter error.'],
      ['bad backup_type', () => backups(`instance_id=${bigId}&backup_type=full`), 400, 'DBS.200001', 'Parameter error.'],
      [
        'end equal to begin',
        () => backups(`instance_id=${bigId}&begin_time=2024-09-01T00:00:00Z&end_time=2024-09-01T00:00:00Z`),
        400,
        'DBS.200001',
        'Parameter error.',
      ],
      [
        'end before begin',
        () => backups(`instance_id=${bigId}&begin_time=2024-09-02T00:00:00Z&end_time=2024-09-01T00:00:00Z`),
        400,
        'DBS.200001',
        'Parameter error.',
      ],
      // A raw `+` decodes to a space (notes B.1): the offset is lost and the time is invalid.
      [
        'raw + in the offset',
        () => backups(`instance_id=${bigId}&begin_time=2024-09-01T00:00:00+0800&end_time=2024-09-02T00:00:00+0800`),
        400,
        'DBS.200001',
        'Parameter error.',
      ],
      ['unknown instance', () => backups('instance_id=00000000000000000000000000000000in01'), 404, 'DBS.200002', 'The DB instance does not exist.'],
    ];
    it.each(cases)('%s', async (_name, path, status, code, message) => {
      const res = await h.raw(path());
      expect(res.status).toBe(status);
      expect(jsonOf(res)).toEqual({ error_code: code, error_msg: message });
      const err = errorResponse(ctx, res);
      expect(err).toMatchObject({
        code: status === 404 ? 'NOT_FOUND' : 'UPSTREAM_ERROR',
        httpStatus: status,
        upstreamCode: code,
        upstreamMessage: message,
        provider: 'RDS',
      });
      expect(err.requestId).toBe(res.headers['x-request-id']);
    });

    it('an unknown instance through the client is NOT_FOUND', async () => {
      const err = await upstreamError(rds.listBackups({ instanceId: '00000000000000000000000000000000in01' }));
      expect(err).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404, upstreamCode: 'DBS.200002', operation: 'GET /v3/{project_id}/backups', provider: 'RDS' });
    });
  });

  describe('the client validates arguments before any call', () => {
    const bad: [string, () => Promise<unknown>, string][] = [
      ['missing instanceId', () => rds.listBackups({} as never), 'instanceId'],
      ['DCS-style instance ID', () => rds.listBackups({ instanceId: '5560df16-cebf-4473-95c4-d1b573c16e79' }), 'instanceId'],
      ['instance ID with a query', () => rds.listBackups({ instanceId: `${'a'.repeat(32)}in01&limit=1` }), 'instanceId'],
      ['bad backupId', () => rds.listBackups({ instanceId: bigId, backupId: 'x' }), 'backupId'],
      ['bad backupType', () => rds.listBackups({ instanceId: bigId, backupType: 'full' as never }), 'backupType'],
      ['limit 0', () => rds.listBackups({ instanceId: bigId, limit: 0 }), 'limit'],
      ['limit 101', () => rds.listBackups({ instanceId: bigId, limit: 101 }), 'limit'],
      ['negative offset', () => rds.listBackups({ instanceId: bigId, offset: -5 }), 'offset'],
      [
        'end not after begin',
        () => rds.listBackups({ instanceId: bigId, beginTime: new Date(Date.UTC(2024, 0, 1)), endTime: new Date(Date.UTC(2024, 0, 1)) }),
        'endTime',
      ],
      ['end before 1970 (open begin)', () => rds.listBackups({ instanceId: bigId, endTime: new Date(-1000) }), 'endTime'],
      ['instances: limit 101', () => rds.listInstances({ limit: 101 }), 'limit'],
      ['instances: bad id', () => rds.listInstances({ id: '../x' }), 'id'],
      ['instances: name *', () => rds.listInstances({ name: '*' }), 'name'],
      ['instances: type', () => rds.listInstances({ type: 'ha' }), 'type'],
      ['instances: datastoreType', () => rds.listInstances({ datastoreType: 'Oracle' }), 'datastoreType'],
    ];
    it.each(bad)('%s', async (_name, call, argumentName) => {
      const err = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(BadInputError);
      expect((err as BadInputError).argumentName).toBe(argumentName);
      expect(h.sim.server.calls).toHaveLength(0);
    });
  });

  it('rdsQueryTime writes yyyy-mm-ddThh:mm:ss+0000', () => {
    expect(rdsQueryTime(new Date(Date.UTC(2024, 0, 31, 23, 59, 59, 500)))).toBe('2024-01-31T23:59:59+0000');
  });
});
