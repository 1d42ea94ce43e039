/** DcsClient against the simulated DCS v2 APIs over real loopback HTTP. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BadInputError } from '../../../src/core/errors.js';
import { dcsQueryTime, type DcsClient } from '../../../src/providers/huawei/dcs-client.js';
import { errorResponse } from '../../../src/providers/huawei/errors.js';
import type { DcsInstanceSim } from '../../../src/simulators/fleet.js';
import { FLEET_NOW, jsonOf, startHarness, upstreamError, type Harness } from './helpers.js';

let h: Harness;
let dcs: DcsClient;
/** The instance with the most backups (> 250). */
let big: DcsInstanceSim;
let bigId: string;
const base = () => `/v2/${h.project.projectId}/instances`;
const ctx = { source: 'hw-test', provider: 'DCS' as const, operation: 'GET /v2/{project_id}/instances/{instance_id}/backups', secrets: [], now: FLEET_NOW };

beforeAll(async () => {
  h = await startHarness();
  dcs = h.dcs();
  big = [...h.project.dcs].sort((a, b) => b.backups.length - a.backups.length)[0]!;
  bigId = big.row.instance_id;
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.sim.server.clearCalls();
  h.sim.server.clearFaults();
});

/** Fleet backups of `instance` whose created second is within [begin, end] (ms). */
function fleetCount(instance: DcsInstanceSim, begin: number, end: number): number {
  return instance.backups.filter((b) => {
    const s = Math.floor(b.createdMs / 1000) * 1000;
    return s >= begin && s <= end;
  }).length;
}

describe('DCS list instances', () => {
  it('lists every instance of the project, rows as the fleet has them; instance_num is the total', async () => {
    const all = await dcs.listInstances({ limit: 1000 });
    expect(all.instance_num).toBe(h.project.dcs.length);
    expect(all.instances.map((i) => i.instance_id)).toEqual(h.project.dcs.map((i) => i.row.instance_id));
    expect(all.instances[0]).toEqual(h.project.dcs[0]!.row);
  });

  it('pages with offset/limit; default limit is 10', async () => {
    const page = await dcs.listInstances({ offset: 2, limit: 3 });
    expect(page.instance_num).toBe(h.project.dcs.length);
    expect(page.instances.map((i) => i.name)).toEqual(h.project.dcs.slice(2, 5).map((i) => i.row.name));
    expect(h.sim.server.calls.at(-1)!.query).toEqual({ offset: '2', limit: '3' });
    const second = h.fleet.huawei.projects[1]!;
    const res = await h.raw(`/v2/${second.projectId}/instances`);
    expect((jsonOf(res)['instances'] as unknown[]).length).toBe(Math.min(10, second.dcs.length));
  });

  it('filters by name (fuzzy), status and instance_id', async () => {
    const prod = await dcs.listInstances({ name: 'prod' });
    expect(prod.instances.map((i) => i.name)).toEqual(h.project.dcs.filter((i) => i.row.name.includes('prod')).map((i) => i.row.name));
    expect(prod.instance_num).toBe(prod.instances.length);
    const creating = await dcs.listInstances({ status: 'CREATING' });
    expect(creating.instances.map((i) => i.status)).toEqual(['CREATING']);
    const one = await dcs.listInstances({ instanceId: bigId });
    expect(one.instances.map((i) => i.instance_id)).toEqual([bigId]);
  });

  it("the status filter takes the Go SDK's statuses too (PAYING, FREEZING, MIGRATING, UPGRADING)", async () => {
    for (const status of ['PAYING', 'FREEZING', 'MIGRATING', 'UPGRADING'] as const) {
      const list = await dcs.listInstances({ status });
      expect(list.instances).toEqual([]);
      expect(h.sim.server.calls.at(-1)!.query['status']).toBe(status);
    }
  });

  it('sends Content-Type: application/json on GETs, as the Go SDK does', async () => {
    await dcs.listInstances({ limit: 1 });
    const call = h.sim.server.calls.at(-1)!;
    expect(call.status).toBe(200);
    expect(call.contentType).toBe('application/json');
  });

  it('refuses bad paging: 400 DCS.4800 "Invalid {param} in the request."', async () => {
    for (const [query, param] of [
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['offset=-1', 'offset'],
      ['limit=ten', 'limit'],
      ['status=SLEEPING', 'status'],
    ] as const) {
      const res = await h.raw(`${base()}?${query}`);
      expect(res.status, query).toBe(400);
      expect(jsonOf(res), query).toEqual({ error_code: 'DCS.4800', error_msg: `Invalid ${param} in the request.`, error_ext_msg: null });
    }
    expect((await h.raw(`${base()}?limit=1000`)).status).toBe(200);
  });

  it('accepts no_password_access as a boolean (doc artefact) and normalizes it to the documented string', async () => {
    const row = { ...h.project.dcs[0]!.row, no_password_access: true, future_field: 1 };
    h.sim.server.addFault({ route: 'dcs.listInstances', kind: 'status', status: 200, body: JSON.stringify({ instance_num: 1, instances: [row] }), times: 1 });
    const list = await dcs.listInstances();
    expect(list.instances[0]!.no_password_access).toBe('true');
    expect((list.instances[0] as Record<string, unknown>)['future_field']).toBe(1);
  });
});

describe('DCS list backups', () => {
  it(`pages over an instance with more than 250 backups, visiting each exactly once (newest first)`, async () => {
    expect(big.backups.length).toBeGreaterThan(250);
    const seen: string[] = [];
    let offset = 0;
    for (;;) {
      const page = await dcs.listBackups(bigId, { offset, limit: 37 });
      expect(page.total_num).toBe(big.backups.length);
      if (page.backup_record_response.length === 0) break;
      seen.push(...page.backup_record_response.map((b) => b.backup_id));
      offset += page.backup_record_response.length;
    }
    expect(seen).toEqual(big.backups.map((b) => b.row.backup_id));
    expect(new Set(seen).size).toBe(big.backups.length);
    // The last call was the offset past the end of a non-empty set: 200 with an empty page.
    expect(h.sim.server.calls.at(-1)!.status).toBe(200);
  });

  it('one page of up to 1000; default page size 10', async () => {
    const all = await dcs.listBackups(bigId, { limit: 1000 });
    expect(all.backup_record_response.map((b) => b.backup_id)).toEqual(big.backups.map((b) => b.row.backup_id));
    expect(all.backup_record_response[0]).toEqual(big.backups[0]!.row);
    const res = await h.raw(`${base()}/${bigId}/backups`);
    const body = jsonOf(res);
    expect(body['total_num']).toBe(big.backups.length);
    expect((body['backup_record_response'] as unknown[]).length).toBe(10);
  });

  it('filters on created_at with begin_time/end_time (yyyyMMddHHmmss UTC, inclusive); total_num is the match count', async () => {
    const begin = Date.UTC(2024, 8, 1);
    const end = Date.UTC(2024, 8, 15, 23, 59, 59);
    const list = await dcs.listBackups(bigId, { beginTime: new Date(begin), endTime: new Date(end), limit: 1000 });
    expect(h.sim.server.calls.at(-1)!.query).toMatchObject({ begin_time: '20240901000000', end_time: '20240915235959' });
    expect(list.total_num).toBe(fleetCount(big, begin, end));
    expect(list.total_num).toBeGreaterThan(0);
    for (const b of list.backup_record_response) {
      expect(Date.parse(b.created_at!)).toBeGreaterThanOrEqual(begin);
      expect(Date.parse(b.created_at!)).toBeLessThan(end + 1000);
    }
    // Inclusive at one-second precision: a backup's own second as both ends finds it.
    const target = big.backups[5]!;
    const exact = await dcs.listBackups(bigId, { beginTime: new Date(target.createdMs), endTime: new Date(target.createdMs) });
    expect(exact.backup_record_response.map((b) => b.backup_id)).toContain(target.row.backup_id);
    // Only one end given.
    const since = await dcs.listBackups(bigId, { beginTime: new Date(begin) });
    expect(since.total_num).toBe(fleetCount(big, begin, Number.MAX_SAFE_INTEGER));
    const until = await dcs.listBackups(bigId, { endTime: new Date(begin) });
    expect(until.total_num).toBe(fleetCount(big, 0, begin));
  });

  it('204 with no body when nothing matches → empty list; offset past the end → 200 with an empty page', async () => {
    const none = h.project.dcs.find((i) => i.backups.length === 0)!;
    const raw = await h.raw(`${base()}/${none.row.instance_id}/backups`);
    expect(raw.status).toBe(204);
    expect(raw.text).toBe('');
    expect(await dcs.listBackups(none.row.instance_id)).toEqual({ total_num: 0, backup_record_response: [] });

    const future = await h.raw(`${base()}/${bigId}/backups?begin_time=20300101000000&end_time=20300102000000`);
    expect(future.status).toBe(204);
    expect(await dcs.listBackups(bigId, { beginTime: new Date(Date.UTC(2030, 0, 1)) })).toEqual({ total_num: 0, backup_record_response: [] });

    const past = await h.raw(`${base()}/${bigId}/backups?offset=5000`);
    expect(past.status).toBe(200);
    expect(jsonOf(past)).toEqual({ total_num: big.backups.length, backup_record_response: [] });
  });

  it('an empty 200 body is also an empty list', async () => {
    h.sim.server.addFault({ route: 'dcs.listBackups', kind: 'status', status: 200, body: '', times: 1 });
    expect(await dcs.listBackups(bigId)).toEqual({ total_num: 0, backup_record_response: [] });
  });

  it('parses the documented example, with period/error_code `{}` normalized to null', async () => {
    const example =
      '{ "total_num" : 1, "backup_record_response" : [ { "period" : { }, "backup_type" : "manual", "created_at" : "2019-05-10T08:31:16.166Z", "remark" : "001", "is_support_restore" : "TRUE", "backup_id" : "4631832a-14c6-45b0-a0b3-3abd8f591ad1", "backup_name" : "backup_20190510163116", "instance_id" : "5560df16-cebf-4473-95c4-d1b573c16e79", "size" : 880232, "updated_at" : "2019-05-10T08:32:30.546Z", "progress" : "100.00", "error_code" : { }, "status" : "succeed", "execution_at" : "2019-05-11T08:31:16.166Z", "backup_format" : "aof" } ] }';
    h.sim.server.addFault({ route: 'dcs.listBackups', kind: 'status', status: 200, body: example, times: 1 });
    const list = await dcs.listBackups(bigId);
    expect(list.backup_record_response[0]).toMatchObject({ period: null, error_code: null, size: 880232, is_support_restore: 'TRUE' });
  });

  describe('the simulator refuses bad requests, in DCS error bodies', () => {
    const cases: [string, () => string, number, string, string][] = [
      ['malformed instance ID', () => `${base()}/not-a-uuid/backups`, 400, 'DCS.4061', 'Invalid instance ID format.'],
      ['unknown instance', () => `${base()}/00000000-0000-4000-8000-000000000000/backups`, 404, 'DCS.3022', 'This DCS instance does not exist.'],
      ['limit 0', () => `${base()}/${bigId}/backups?limit=0`, 400, 'DCS.4800', 'Invalid limit in the request.'],
      ['limit 1001', () => `${base()}/${bigId}/backups?limit=1001`, 400, 'DCS.4800', 'Invalid limit in the request.'],
      ['negative offset', () => `${base()}/${bigId}/backups?offset=-1`, 400, 'DCS.4800', 'Invalid offset in the request.'],
      ['ISO begin_time', () => `${base()}/${bigId}/backups?begin_time=2024-01-01T00:00:00Z`, 400, 'DCS.4800', 'Invalid begin_time in the request.'],
      ['month 13', () => `${base()}/${bigId}/backups?begin_time=20241301000000`, 400, 'DCS.4800', 'Invalid begin_time in the request.'],
      ['30 February', () => `${base()}/${bigId}/backups?end_time=20240230000000`, 400, 'DCS.4800', 'Invalid end_time in the request.'],
      [
        'end before begin',
        () => `${base()}/${bigId}/backups?begin_time=20240201000000&end_time=20240131235959`,
        400,
        'DCS.4025',
        'The end time must be after the start time.',
      ],
    ];
    it.each(cases)('%s', async (_name, path, status, code, message) => {
      const res = await h.raw(path());
      expect(res.status).toBe(status);
      expect(jsonOf(res)).toEqual({ error_code: code, error_msg: message, error_ext_msg: null });
      const err = errorResponse(ctx, res);
      expect(err).toMatchObject({
        code: status === 404 ? 'NOT_FOUND' : 'UPSTREAM_ERROR',
        httpStatus: status,
        upstreamCode: code,
        upstreamMessage: message,
        provider: 'DCS',
      });
      expect(err.requestId).toBe(res.headers['x-request-id']);
    });

    it('an unknown instance through the client is NOT_FOUND', async () => {
      const err = await upstreamError(dcs.listBackups('00000000-0000-4000-8000-000000000000'));
      expect(err).toMatchObject({
        code: 'NOT_FOUND',
        httpStatus: 404,
        upstreamCode: 'DCS.3022',
        operation: 'GET /v2/{project_id}/instances/{instance_id}/backups',
      });
    });
  });

  describe('the client validates arguments before any call', () => {
    const bad: [string, () => Promise<unknown>, string][] = [
      ['path traversal as instance ID', () => dcs.listBackups('../../v3/x'), 'instanceId'],
      ['non-UUID instance ID', () => dcs.listBackups('5560df16cebf447395c4d1b573c16e79'), 'instanceId'],
      ['limit 0', () => dcs.listBackups(bigId, { limit: 0 }), 'limit'],
      ['limit 1001', () => dcs.listBackups(bigId, { limit: 1001 }), 'limit'],
      ['fractional limit', () => dcs.listBackups(bigId, { limit: 2.5 }), 'limit'],
      ['negative offset', () => dcs.listBackups(bigId, { offset: -1 }), 'offset'],
      ['invalid date', () => dcs.listBackups(bigId, { beginTime: new Date('nope') }), 'beginTime'],
      ['end before begin', () => dcs.listBackups(bigId, { beginTime: new Date(Date.UTC(2024, 1, 1)), endTime: new Date(Date.UTC(2024, 0, 1)) }), 'endTime'],
      ['instances: limit 1001', () => dcs.listInstances({ limit: 1001 }), 'limit'],
      ['instances: bad instance ID', () => dcs.listInstances({ instanceId: 'x/y' }), 'instanceId'],
      ['instances: unknown status', () => dcs.listInstances({ status: 'running' }), 'status'],
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

  it('dcsQueryTime writes yyyyMMddHHmmss in UTC', () => {
    expect(dcsQueryTime(new Date(Date.UTC(2017, 6, 18, 23, 59, 59, 999)))).toBe('20170718235959');
  });
});
