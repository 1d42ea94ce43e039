/**
 * The fault table (docs/reliability.md): each upstream fault the simulators can inject, through
 * the gateway over real HTTP, and what a client sees. The fault hits one target (a DCS instance's
 * backup list, an RDS instance's, an OceanBase tenant's job history) or one source's listing; the
 * operation asks for that target and a healthy one of each provider. Every fault ends in the
 * contract's code with the rest of the data, or in a success after a retry: never a crash, never a
 * hang (each operation returns within the source's timeout and retry caps).
 */
import type { ExecutionResult } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config.js';
import { tapLogs } from '../../src/lib/log.js';
import type { FaultAction, FaultSpec } from '../../src/simulators/harness.js';
import { encodeId } from '../support/ids.js';
import { FIXED_NOW, ok, startStack, type Stack } from '../support/stack.js';

const WEEK = 7 * 86_400_000;
type Fault = FaultAction & { times?: number };
const TUNING = {
  timeoutMs: 600,
  connectTimeoutMs: 500,
  retry: { maxRetries: 2, initialDelayMs: 5, maxDelayMs: 20, maxTotalMs: 5_000 },
  // The cases run back to back on one stack: the breaker is tested on its own (resilience.test.ts).
  circuitBreaker: { consecutiveFailures: 1000, halfOpenAfterMs: 1_000 },
};
const configure = (config: ConfigInput): ConfigInput => ({ ...config, sources: config.sources.map((s) => ({ ...s, ...TUNING })) });

const QUERY = `query($ids: [ID!]) {
  backupTasks(first: 100, filter: { instanceIds: $ids }) {
    totalCount
    nodes {
      __typename
      ... on Backup { id status providerStatus sizeBytes }
      ... on DcsBackup { instanceId backupId remark progress isSupportRestore }
      ... on RdsBackup { instanceId backupId name }
      ... on ObBackupJob { jobId comment result tenant { tenantName } }
    }
  }
}`;

interface Item {
  __typename: string;
  id: string;
  status: string;
  providerStatus: string;
  sizeBytes: number | null;
  instanceId?: string;
  backupId?: string;
  remark?: string | null;
  progress?: number | null;
  isSupportRestore?: boolean | null;
  name?: string | null;
  jobId?: number;
  comment?: string | null;
  result?: number | null;
  tenant?: { tenantName: string };
}
interface Data {
  backupTasks: { totalCount: number; nodes: Item[] };
}
type Result = ExecutionResult<Data>;

let stack: Stack;
/** The faulted targets and a healthy one per provider. */
let dcsX: string;
let dcsY: string;
let rdsX: string;
let obTenant: string;
let ids: string[];
let baseline: Item[];
const owner = (i: Item) => (i.__typename === 'ObBackupJob' ? `ob:${i.tenant!.tenantName}` : i.instanceId!);

beforeAll(async () => {
  stack = await startStack({ configure });
  const fleet = stack.sims.fleet;
  const project = fleet.huawei.projects[0]!;
  const recent = (times: number[]) => times.filter((t) => t >= FIXED_NOW - WEEK).length;
  const dcs = project.dcs.filter((i) => recent(i.backups.map((b) => b.createdMs)) > 2);
  const rds = project.rds.filter((i) => !i.flexus && recent(i.backups.map((b) => b.beginMs)) > 2);
  const tenant = fleet.oceanbase[0]!.tenants.find((t) => recent(t.jobs.map((j) => j.startMs)) > 2)!;
  dcsX = dcs[0]!.row.instance_id;
  dcsY = dcs[1]!.row.instance_id;
  rdsX = rds[0]!.row.id;
  obTenant = tenant.row.tenant_name;
  ids = [
    encodeId({ type: 'DcsInstance', source: project.name, instanceId: dcsX }),
    encodeId({ type: 'DcsInstance', source: project.name, instanceId: dcsY }),
    encodeId({ type: 'RdsInstance', source: project.name, instanceId: rdsX }),
    encodeId({ type: 'ObTenant', source: fleet.oceanbase[0]!.name, tenantName: obTenant }),
  ];
  baseline = ok(await stack.query<Data>(QUERY, { ids })).backupTasks.nodes;
  for (const target of [dcsX, dcsY, rdsX, `ob:${obTenant}`]) expect(baseline.some((i) => owner(i) === target)).toBe(true);
}, 60_000);
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.clearFaults();
  stack.clearCalls();
});

const ofOwner = (items: Item[], target: string) => items.filter((i) => owner(i) === target);
const run = (): Promise<Result> => stack.query<Data>(QUERY, { ids });
/** The data of every target but `target` is exactly as without the fault. */
function restIntact(result: Result, target: string) {
  const nodes = result.data!.backupTasks.nodes;
  expect(nodes.filter((i) => owner(i) !== target)).toEqual(baseline.filter((i) => owner(i) !== target));
}
function dcsFault(spec: Fault): FaultSpec {
  return { route: 'dcs.listBackups', params: { instance_id: dcsX }, ...spec };
}
function callsTo(route: string) {
  return stack.calls().filter((c) => c.route === route);
}

describe('transport and status faults on one DCS instance', () => {
  const failures: [string, Fault, Record<string, unknown>, number][] = [
    [
      '500 with a DCS error body: the answer, not retried',
      { kind: 'status', status: 500, body: '{"error_code":"DCS.5078","error_msg":"Query backup record failed."}' },
      { code: 'UPSTREAM_ERROR', httpStatus: 500, upstreamCode: 'DCS.5078', upstreamMessage: 'Query backup record failed.' },
      1,
    ],
    [
      '502 with an HTML error page, every time: retried, then unavailable',
      { kind: 'status', status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', headers: { 'content-type': 'text/html' } },
      { code: 'UPSTREAM_UNAVAILABLE', httpStatus: 502, attempts: 3 },
      3,
    ],
    [
      '429 with Retry-After beyond the retry cap: unavailable at once, with the delay',
      {
        kind: 'status',
        status: 429,
        body: '{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached."}',
        headers: { 'retry-after': '120' },
      },
      { code: 'UPSTREAM_UNAVAILABLE', httpStatus: 429, upstreamCode: 'APIGW.0308', retryAfterSeconds: 120 },
      1,
    ],
    ['a stall past the timeout (600 ms): unavailable, not retried', { kind: 'stall' }, { code: 'UPSTREAM_UNAVAILABLE' }, 1],
    ['a reset connection, every time: retried, then unavailable', { kind: 'reset' }, { code: 'UPSTREAM_UNAVAILABLE' }, 3],
    ['a truncated body, every time: retried, then unavailable', { kind: 'truncated' }, { code: 'UPSTREAM_UNAVAILABLE' }, 3],
    ['malformed JSON (200)', { kind: 'malformed' }, { code: 'UPSTREAM_ERROR', httpStatus: 200 }, 1],
    [
      'an HTML page with 200 and text/html',
      { kind: 'status', status: 200, body: '<!doctype html><html><body>Maintenance</body></html>', headers: { 'content-type': 'text/html' } },
      { code: 'UPSTREAM_ERROR', httpStatus: 200 },
      1,
    ],
  ];

  it.each(failures)('%s', async (_name, fault, extensions, sent) => {
    stack.sims.huawei.server.addFault(dcsFault(fault));
    const result = await run();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({
      path: ['backupTasks'],
      extensions: { source: stack.sims.fleet.huawei.projects[0]!.name, provider: 'DCS', ...extensions },
    });
    // No stack, no upstream URL, no HTML in what the client reads.
    expect(JSON.stringify(result.errors)).not.toMatch(/<html|at \w+ \(|https?:\/\/|127\.0\.0\.1/i);
    expect(ofOwner(result.data!.backupTasks.nodes, dcsX)).toEqual([]);
    restIntact(result, dcsX);
    expect(callsTo('dcs.listBackups').filter((c) => c.params['instance_id'] === dcsX)).toHaveLength(sent);
  });

  const recoveries: [string, Fault][] = [
    ['503 once', { kind: 'status', status: 503, body: '' }],
    ['504 once', { kind: 'status', status: 504, body: '' }],
    [
      '429 with Retry-After: 1, once',
      {
        kind: 'status',
        status: 429,
        body: '{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached."}',
        headers: { 'retry-after': '1' },
      },
    ],
    ['a reset connection once', { kind: 'reset' }],
    ['a truncated body once', { kind: 'truncated' }],
  ];

  it.each(recoveries)('%s: a success after one retry', async (_name, fault) => {
    stack.sims.huawei.server.addFault(dcsFault({ ...fault, times: 1 }));
    const result = await run();
    expect(result.errors).toBeUndefined();
    expect(result.data!.backupTasks.nodes).toEqual(baseline);
    expect(callsTo('dcs.listBackups').filter((c) => c.params['instance_id'] === dcsX)).toHaveLength(2);
  });
});

describe('answers that drift from the documented shape', () => {
  it('a wrong content type on a JSON answer: read as JSON (the official SDKs do not rely on it either)', async () => {
    stack.sims.huawei.server.addFault(dcsFault({ kind: 'rewrite', headers: { 'content-type': 'text/plain; charset=iso-8859-1' } }));
    const result = await run();
    expect(result.errors).toBeUndefined();
    expect(result.data!.backupTasks.nodes).toEqual(baseline);
  });

  it('an unknown status word: UNKNOWN, with the word kept in providerStatus', async () => {
    stack.sims.huawei.server.addFault(dcsFault({ kind: 'rewrite', pattern: '"status":"succeed"', replacement: '"status":"archived"' }));
    stack.sims.obshell[0]!.server.addFault({
      route: 'obshell.tenantBackupTasks',
      params: { name: obTenant },
      kind: 'rewrite',
      pattern: '"status":"COMPLETED"',
      replacement: '"status":"COMPLETED_WITH_WARNINGS"',
    });
    const result = await run();
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.backupTasks.nodes;
    const dcs = ofOwner(nodes, dcsX);
    const before = ofOwner(baseline, dcsX);
    expect(dcs.map((i) => i.id)).toEqual(before.map((i) => i.id));
    for (const [i, item] of dcs.entries()) {
      if (before[i]!.providerStatus === 'succeed') expect(item).toMatchObject({ status: 'UNKNOWN', providerStatus: 'archived' });
      else expect(item).toEqual(before[i]);
    }
    const jobs = ofOwner(nodes, `ob:${obTenant}`);
    expect(jobs.some((j) => j.providerStatus === 'COMPLETED_WITH_WARNINGS' && j.status === 'UNKNOWN')).toBe(true);
    const untouched = (items: Item[]) => items.filter((i) => owner(i) !== dcsX && owner(i) !== `ob:${obTenant}`);
    expect(untouched(nodes)).toEqual(untouched(baseline));
  });

  it('pass-through fields of the wrong type, and a count beyond 2^64: null, the rest of the item intact, one warning per field', async () => {
    const lines: string[] = [];
    const untap = tapLogs((line) => lines.push(line));
    try {
      const hw = stack.sims.huawei.server;
      // One fault per answer: a single pattern changes the four fields of every backup.
      hw.addFault(
        dcsFault({
          kind: 'rewrite',
          pattern: '"size":\\d+,(.*?)"progress":"[^"]*",(.*?)"remark":(null|"[^"]*"),"status":"([a-z]+)","is_support_restore":"(TRUE|FALSE)"',
          replacement: '"size":18446744073709551616,$1"progress":[1],$2"remark":42,"status":"$4","is_support_restore":"MAYBE"',
        }),
      );
      stack.sims.obshell[0]!.server.addFault({
        route: 'obshell.tenantBackupTasks',
        params: { name: obTenant },
        kind: 'rewrite',
        pattern: '"result":0',
        replacement: '"result":"zero"',
      });
      const result = await run();
      expect(result.errors).toBeUndefined();
      const dcs = ofOwner(result.data!.backupTasks.nodes, dcsX);
      const before = ofOwner(baseline, dcsX);
      expect(dcs.map((i) => [i.id, i.status])).toEqual(before.map((i) => [i.id, i.status]));
      expect(dcs.every((i) => i.sizeBytes === null && i.remark === null && i.progress === null && i.isSupportRestore === null)).toBe(true);
      const jobs = ofOwner(result.data!.backupTasks.nodes, `ob:${obTenant}`);
      expect(jobs.map((j) => j.id)).toEqual(ofOwner(baseline, `ob:${obTenant}`).map((j) => j.id));
      expect(jobs.filter((j) => j.result === null).length).toBeGreaterThan(0);
      const untouched = (items: Item[]) => items.filter((i) => owner(i) !== dcsX && owner(i) !== `ob:${obTenant}`);
      expect(untouched(result.data!.backupTasks.nodes)).toEqual(untouched(baseline));
      // Asked again: the same nulls, no new warning.
      await run();
      const warnings = lines.map((l) => JSON.parse(l) as { level: number; field?: string; source?: string }).filter((l) => l.level === 40 && l.field);
      const fields = warnings.map((w) => `${w.source} ${w.field}`);
      expect(new Set(fields).size).toBe(fields.length);
      expect(fields).toEqual(
        expect.arrayContaining([
          `${stack.sims.fleet.huawei.projects[0]!.name} dcs.backup.size`,
          `${stack.sims.fleet.huawei.projects[0]!.name} dcs.backup.progress`,
          `${stack.sims.fleet.huawei.projects[0]!.name} dcs.backup.remark`,
          `${stack.sims.fleet.huawei.projects[0]!.name} dcs.backup.is_support_restore`,
          `${stack.sims.fleet.oceanbase[0]!.name} job.result`,
        ]),
      );
    } finally {
      untap();
    }
  });

  const strict: [string, string, FaultSpec, string][] = [
    [
      'a sort time of the wrong type',
      'DCS',
      { route: 'dcs.listBackups', kind: 'rewrite', pattern: '"created_at":"[^"]*"', replacement: '"created_at":1732240000' },
      'created_at',
    ],
    [
      'an ID of the wrong type',
      'RDS',
      { route: 'rds.listBackups', kind: 'rewrite', pattern: '"id":"[0-9a-f]{32}br[0-9]{2}"', replacement: '"id":12345' },
      'id',
    ],
    [
      'a total beyond 2^64',
      'RDS',
      { route: 'rds.listBackups', kind: 'rewrite', pattern: '"total_count":\\d+', replacement: '"total_count":36893488147419103232' },
      'total_count',
    ],
    [
      'a status of the wrong type',
      'OCEANBASE',
      { route: 'obshell.tenantBackupTasks', kind: 'rewrite', pattern: '"status":"[A-Z]+"', replacement: '"status":7' },
      'status',
    ],
  ];

  it.each(strict)('%s (%s): the segment fails with UPSTREAM_ERROR naming the field, the rest answers', async (_name, provider, spec, field) => {
    const target = provider === 'DCS' ? dcsX : provider === 'RDS' ? rdsX : `ob:${obTenant}`;
    const scoped: FaultSpec =
      provider === 'DCS'
        ? { ...spec, params: { instance_id: dcsX } }
        : provider === 'RDS'
          ? { ...spec, query: { instance_id: rdsX } }
          : { ...spec, params: { name: obTenant } };
    (provider === 'OCEANBASE' ? stack.sims.obshell[0]! : stack.sims.huawei).server.addFault(scoped);
    const result = await run();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({ path: ['backupTasks'], extensions: { code: 'UPSTREAM_ERROR', provider, httpStatus: 200 } });
    expect(result.errors![0]!.message).toContain(field);
    expect(ofOwner(result.data!.backupTasks.nodes, target)).toEqual([]);
    restIntact(result, target);
  });
});

describe('a whole source', () => {
  it("one project's DCS instance list unavailable: its DCS backups are left out with a located error, the rest of the fleet answers", async () => {
    const project = stack.sims.fleet.huawei.projects[0]!;
    const since = new Date(FIXED_NOW - 86_400_000).toISOString();
    const FLEET = `{ backupTasks(first: 100, filter: { since: "${since}" }) { nodes { ... on Backup { id provider source status } } } }`;
    type Fleet = { backupTasks: { nodes: { id: string; provider: string; source: string }[] } };
    const whole = ok(await stack.query<Fleet>(FLEET)).backupTasks.nodes;
    expect(whole.some((b) => b.provider === 'DCS' && b.source === project.name)).toBe(true);
    expect(whole.length).toBeLessThan(100);
    stack.sims.huawei.server.addFault({ route: 'dcs.listInstances', params: { project_id: project.projectId }, kind: 'status', status: 503, body: '' });
    const result = await stack.query<Fleet>(FLEET);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({
      path: ['backupTasks'],
      extensions: { code: 'UPSTREAM_UNAVAILABLE', provider: 'DCS', source: project.name, httpStatus: 503 },
    });
    const rest = whole.filter((b) => !(b.provider === 'DCS' && b.source === project.name));
    expect(result.data!.backupTasks.nodes).toEqual(rest);
  });

  it('an agent that stalls on every call: unavailable within the timeout, the Huawei targets answer', async () => {
    stack.sims.obshell[0]!.server.addFault({ kind: 'stall' });
    const result = await run();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', provider: 'OCEANBASE', source: stack.sims.fleet.oceanbase[0]!.name },
    });
    expect(result.data!.backupTasks.nodes).toEqual(baseline.filter((i) => i.__typename !== 'ObBackupJob'));
  });
});
