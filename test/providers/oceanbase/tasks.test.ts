/**
 * `GET /api/v1/tenant/:name/backup/tasks` (notes §3): paging, sort, status and time filters, checked
 * against the fleet's job history (computed here independently of the simulator).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadInputError } from '../../../src/core/errors.js';
import { HttpTransport } from '../../../src/lib/http.js';
import type { ObshellClient } from '../../../src/providers/oceanbase/client.js';
import type { ObJob } from '../../../src/simulators/fleet.js';
import { startObshellSimulator, type ObshellSimulator } from '../../../src/simulators/obshell/server.js';
import { goRfc3339Nano } from '../../../src/simulators/timefmt.js';
import { CLOCK, clientFor, hangzhou, rawAuthed, tenantOf } from './helpers.js';

const cluster = hangzhou();
const jobs = tenantOf(cluster, 'trade').jobs; // oldest first; the newest is running
let sim: ObshellSimulator;
let transport: HttpTransport;
let client: ObshellClient;

beforeAll(async () => {
  sim = await startObshellSimulator({ clock: CLOCK, cluster });
  transport = new HttpTransport({ timeoutMs: 5000 });
  client = clientFor(sim, transport);
});
afterAll(async () => {
  await transport.close();
  await sim.close();
});

const ids = (list: readonly { job_id: number }[]) => list.map((j) => j.job_id);
const byStart = (order: 'asc' | 'desc') => [...jobs].sort((a, b) => (order === 'asc' ? a.startMs - b.startMs : b.startMs - a.startMs)).map((j) => j.job.job_id);
/** Finished jobs by end time, then the running ones (a nil end time sorts last in both orders). */
const byEnd = (order: 'asc' | 'desc') => {
  const done = jobs.filter((j): j is ObJob & { endMs: number } => j.endMs !== null);
  done.sort((a, b) => (order === 'asc' ? a.endMs - b.endMs : b.endMs - a.endMs));
  return [...done, ...jobs.filter((j) => j.endMs === null)].map((j) => j.job.job_id);
};
/** A Go time string moved by a few microseconds (fleet times carry µs). */
const shifted = (time: string, micros: number) => {
  const fraction = Number((/\.(\d+)/.exec(time)?.[1] ?? '').padEnd(6, '0'));
  return goRfc3339Nano(Math.floor(Date.parse(time) / 1000) * 1_000_000 + fraction + micros);
};
const tasksPath = (query: string) => `/api/v1/tenant/trade/backup/tasks${query ? `?${query}` : ''}`;

describe('defaults', () => {
  it('every job, newest start first, page 1 of size 2147483647', async () => {
    const page = await client.tenantBackupJobs('trade');
    expect(page.page).toEqual({ number: 1, size: 2147483647, total_pages: 1, total_elements: jobs.length });
    expect(ids(page.contents)).toEqual(byStart('desc'));
    const newest = page.contents[0]!;
    expect(newest.status).toBe('DOING');
    expect(newest.end_timestamp).toBeUndefined();
    expect(page.contents[1]!.end_timestamp).toBe(jobs[jobs.length - 2]!.job.end_timestamp);
  });

  it('a running job has no end_timestamp key at all; rows keep the BackupJob field order', async () => {
    const answer = await rawAuthed(sim, tasksPath('size=2'));
    const [running, finished] = (answer.body.data as { contents: Record<string, unknown>[] }).contents;
    expect(running).not.toHaveProperty('end_timestamp');
    expect(Object.keys(finished!)).toEqual([
      'tenant_id',
      'job_id',
      'backup_set_id',
      'plus_archivelog',
      'backup_type',
      'start_timestamp',
      'end_timestamp',
      'status',
      'result',
      'comment',
      'description',
      'path',
    ]);
    expect(Object.keys(answer.body.data as object)).toEqual(['contents', 'page']);
  });
});

describe('paging', () => {
  it('slices the sorted list; totals count every match', async () => {
    const all = byStart('desc');
    const page = await client.tenantBackupJobs('trade', { page: 3, size: 10 });
    expect(ids(page.contents)).toEqual(all.slice(20, 30));
    expect(page.page).toEqual({ number: 3, size: 10, total_pages: Math.ceil(jobs.length / 10), total_elements: jobs.length });
  });

  it('the last page is partial; a page past the end is empty with the same totals', async () => {
    const last = Math.ceil(jobs.length / 7);
    const tail = await client.tenantBackupJobs('trade', { page: last, size: 7 });
    expect(ids(tail.contents)).toEqual(byStart('desc').slice((last - 1) * 7));
    expect(tail.contents.length).toBe(jobs.length - (last - 1) * 7);
    const past = await client.tenantBackupJobs('trade', { page: last + 1, size: 7 });
    expect(past.contents).toEqual([]);
    expect(past.page).toEqual({ number: last + 1, size: 7, total_pages: last, total_elements: jobs.length });
  });

  it('page=0 and size=0 fall back to the defaults; an empty value too', async () => {
    for (const query of ['page=0&size=0', 'page=&size=']) {
      const answer = await rawAuthed(sim, tasksPath(query));
      expect((answer.body.data as { page: unknown }).page).toEqual({ number: 1, size: 2147483647, total_pages: 1, total_elements: jobs.length });
    }
  });

  it('a page or size that does not parse as uint64 → 400 Common.BindJsonFailed', async () => {
    const cases: [string, string][] = [
      ['page=abc', 'Bind JSON failed: strconv.ParseUint: parsing "abc": invalid syntax'],
      ['page=-1', 'Bind JSON failed: strconv.ParseUint: parsing "-1": invalid syntax'],
      ['size=1e3', 'Bind JSON failed: strconv.ParseUint: parsing "1e3": invalid syntax'],
      ['size=18446744073709551616', 'Bind JSON failed: strconv.ParseUint: parsing "18446744073709551616": value out of range'],
    ];
    for (const [query, message] of cases) {
      const answer = await rawAuthed(sim, tasksPath(query));
      expect(answer.status).toBe(400);
      expect(answer.body).not.toHaveProperty('data');
      expect(answer.error).toEqual({ errCode: 'Common.BindJsonFailed', message });
    }
  });
});

describe('page × size past the int range', () => {
  it('the agent computes (page-1)·size in wrapping uint64 read as int64: a negative start panics, gin answers 500 with no body', async () => {
    const panics = await rawAuthed(sim, tasksPath('page=2&size=9223372036854775808'));
    expect(panics.status).toBe(500);
    expect(panics.text).toBe('');
    // 2^32 · 2^32 wraps to 0: the first page again.
    const wraps = await rawAuthed(sim, tasksPath('page=4294967297&size=4294967296'));
    expect(wraps.status).toBe(200);
    expect((wraps.body.data as { contents: unknown[] }).contents).toHaveLength(jobs.length);
  });

  it('the client never sends a page × size past 2^31-1: a coded bad input, no call', async () => {
    const before = sim.server.calls.length;
    await expect(client.tenantBackupJobs('trade', { page: 2, size: 2147483647 })).rejects.toMatchObject({ name: 'BadInputError', argumentName: 'page' });
    await expect(client.tenantBackupJobs('trade', { page: 65536, size: 65536 })).rejects.toBeInstanceOf(BadInputError);
    expect(sim.server.calls.length).toBe(before);
    // The largest accepted: one page of 2^31-1.
    expect((await client.tenantBackupJobs('trade', { page: 1, size: 2147483647 })).contents).toHaveLength(jobs.length);
  });
});

describe('sort', () => {
  it('start_timestamp asc / desc', async () => {
    expect(ids((await client.tenantBackupJobs('trade', { sort: { field: 'start_timestamp', order: 'asc' } })).contents)).toEqual(byStart('asc'));
    expect(ids((await client.tenantBackupJobs('trade', { sort: { field: 'start_timestamp', order: 'desc' } })).contents)).toEqual(byStart('desc'));
  });

  it('end_timestamp asc / desc, the running job last in both', async () => {
    for (const order of ['asc', 'desc'] as const) {
      const page = await client.tenantBackupJobs('trade', { sort: { field: 'end_timestamp', order } });
      expect(ids(page.contents)).toEqual(byEnd(order));
      expect(page.contents[page.contents.length - 1]!.status).toBe('DOING');
    }
  });

  it('unknown fields and orders fall back like Format(): start_timestamp, desc', async () => {
    const cases: [string, number[]][] = [
      ['sort=foo,bar', byStart('desc')],
      ['sort=job_id,asc', byStart('asc')],
      ['sort=end_timestamp', byEnd('desc')],
      ['sort=end_timestamp,asc,extra', byEnd('desc')],
      ['sort=', byStart('desc')],
    ];
    for (const [query, expected] of cases) {
      const answer = await rawAuthed(sim, tasksPath(query));
      expect(ids((answer.body.data as { contents: { job_id: number }[] }).contents)).toEqual(expected);
    }
  });
});

describe('filters', () => {
  it('statuses are upper-cased and matched exactly', async () => {
    const failed = jobs.filter((j) => j.job.status === 'FAILED');
    expect(failed.length).toBeGreaterThan(0);
    const page = await client.tenantBackupJobs('trade', { statuses: ['failed'], sort: { field: 'start_timestamp', order: 'asc' } });
    expect(ids(page.contents)).toEqual(failed.map((j) => j.job.job_id));
    expect(page.page.total_elements).toBe(failed.length);

    const some = jobs.filter((j) => j.job.status === 'DOING' || j.job.status === 'CANCELED');
    const two = await client.tenantBackupJobs('trade', { statuses: ['DOING', 'canceled'] });
    expect(ids(two.contents).sort()).toEqual(ids(some.map((j) => j.job)).sort());

    const raw = await rawAuthed(sim, tasksPath('status=failed'));
    expect((raw.body.data as { page: { total_elements: number } }).page.total_elements).toBe(failed.length);
    const none = await rawAuthed(sim, tasksPath('status=&status=FAILED')); // first value wins; empty = no filter
    expect((none.body.data as { page: { total_elements: number } }).page.total_elements).toBe(jobs.length);
  });

  it('startTime / endTime filter on START_TIMESTAMP, both bounds inclusive', async () => {
    const from = jobs[10]!;
    const to = jobs[20]!;
    const page = await client.tenantBackupJobs('trade', {
      startTime: new Date(from.startMs), // ms, at or before the job's µs start
      endTime: new Date(to.startMs + 1),
      sort: { field: 'start_timestamp', order: 'asc' },
    });
    expect(ids(page.contents)).toEqual(jobs.slice(10, 21).map((j) => j.job.job_id));

    // Exact bounds: the jobs' own µs start times, as RFC 3339 with +08:00.
    const exact = `start_time=${encodeURIComponent(from.job.start_timestamp)}&end_time=${encodeURIComponent(to.job.start_timestamp)}&sort=start_timestamp,asc`;
    const inclusive = await rawAuthed(sim, tasksPath(exact));
    expect(ids((inclusive.body.data as { contents: { job_id: number }[] }).contents)).toEqual(jobs.slice(10, 21).map((j) => j.job.job_id));

    const exclusive = `start_time=${encodeURIComponent(shifted(from.job.start_timestamp, 1))}&end_time=${encodeURIComponent(shifted(to.job.start_timestamp, -1))}&sort=start_timestamp,asc`;
    const narrower = await rawAuthed(sim, tasksPath(exclusive));
    expect(ids((narrower.body.data as { contents: { job_id: number }[] }).contents)).toEqual(jobs.slice(11, 20).map((j) => j.job.job_id));
  });

  it('a start_time that is not RFC 3339 → 400 Common.BindJsonFailed, reported before a bad page', async () => {
    const answer = await rawAuthed(sim, tasksPath('page=abc&start_time=yesterday'));
    expect(answer.status).toBe(400);
    expect(answer.error?.errCode).toBe('Common.BindJsonFailed');
    expect(answer.error?.message).toBe('Bind JSON failed: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"');
    for (const bad of ['2025-05-10', '2025-05-10 00:00:00Z', '2025-02-30T00:00:00Z', '2025-05-10T24:00:00Z']) {
      expect((await rawAuthed(sim, tasksPath(`end_time=${encodeURIComponent(bad)}`))).status).toBe(400);
    }
  });

  it("an empty end_time binds Go's zero time, which no job starts before", async () => {
    const answer = await rawAuthed(sim, tasksPath('end_time='));
    expect((answer.body.data as { page: unknown }).page).toEqual({ number: 1, size: 2147483647, total_pages: 0, total_elements: 0 });
  });

  it('paging applies after the filters', async () => {
    const completed = byStart('desc').filter((id) => jobs.find((j) => j.job.job_id === id)!.job.status === 'COMPLETED');
    const page = await client.tenantBackupJobs('trade', { statuses: ['COMPLETED'], page: 2, size: 25 });
    expect(ids(page.contents)).toEqual(completed.slice(25, 50));
    expect(page.page).toEqual({ number: 2, size: 25, total_pages: Math.ceil(completed.length / 25), total_elements: completed.length });
  });
});
