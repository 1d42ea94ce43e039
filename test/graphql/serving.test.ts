/**
 * Serving: GraphiQL fully offline with the example operations, the examples themselves, and the
 * two ways to start (`npm start` demo mode, `--config FILE`) as real processes.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleTabs } from '../../src/graphql/examples.js';
import { encodeId } from '../support/ids.js';
import { startFleetSimulators } from '../../src/simulators/index.js';
import { createGateway } from '../../src/gateway.js';
import { fixedClock, ManualClock, systemClock } from '../../src/lib/clock.js';
import { FIXED_NOW, ok, startStack, type Stack } from '../support/stack.js';

describe('GraphiQL and the example operations', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('serves GraphiQL with no resource from outside the server', async () => {
    const res = await stack.gateway.yoga.fetch('http://backupql.test/graphql', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('FleetOverview');
    const external = [...html.matchAll(/<(?:script|link|img)[^>]+(?:src|href)=["'](https?:)?\/\/[^"']+/gi)].map((m) => m[0]);
    expect(external).toEqual([]);
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdnjs|fonts\.googleapis/);
  });

  it("computes the tabs' time variables from the gateway's clock at each page load", async () => {
    const clock = new ManualClock(FIXED_NOW);
    const gateway = createGateway(stack.sims.config(), { clock });
    try {
      const since = async () => {
        const html = await (await gateway.yoga.fetch('http://backupql.test/graphql', { headers: { accept: 'text/html' } })).text();
        return [...html.matchAll(/\\"since\\": \\"([^"\\]+)\\"/g)].map((m) => m[1]);
      };
      const day = 86_400_000;
      expect(await since()).toEqual([new Date(FIXED_NOW - day).toISOString()]);
      clock.advance(3 * day);
      expect(await since()).toEqual([new Date(FIXED_NOW + 2 * day).toISOString()]);
    } finally {
      await gateway.close();
    }
  });

  it('answers every example operation with data and no error', async () => {
    const project = stack.sims.fleet.huawei.projects[0]!;
    const busiest = [...project.dcs].sort((a, b) => b.backups.length - a.backups.length)[0]!;
    const tabs = exampleTabs({
      now: FIXED_NOW,
      exampleInstanceId: encodeId({ type: 'DcsInstance', source: project.name, instanceId: busiest.row.instance_id }),
    });
    expect(tabs.map((t) => /(?:query|subscription|mutation) (\w+)/.exec(t.query!)![1])).toEqual([
      'NotProtected',
      'FailedSinceYesterday',
      'NewestBackups',
      'FleetOverview',
      'InstanceBackups',
      'WatchBackups',
      'StartBackup',
    ]);
    // The subscription and the mutation are run by the live and actions tests (test/live, test/actions).
    for (const tab of tabs.filter((t) => /^query /m.test(t.query!))) {
      const data = ok(await stack.query<Record<string, { totalCount?: number }>>(tab.query!, tab.variables ? JSON.parse(tab.variables) : undefined));
      const [root] = Object.values(data);
      expect(root).toBeTruthy();
    }
    const [unprotected, failed, newest, , paging] = tabs;
    const coverage = ok(
      await stack.query<{ backupCoverage: { nodes: { state: string }[] }; fleet: { summary: { total: number; ok: number } } }>(unprotected!.query!),
    );
    expect(new Set(coverage.backupCoverage.nodes.map((n) => n.state))).toEqual(new Set(['NEVER', 'FAILING', 'STALE', 'RUNNING']));
    expect(coverage.fleet.summary.total).toBe(coverage.backupCoverage.nodes.length + coverage.fleet.summary.ok);
    const newestData = ok(await stack.query<{ backupTasks: { totalCount: number } }>(newest!.query!, JSON.parse(newest!.variables!)));
    expect(newestData.backupTasks.totalCount).toBeGreaterThan(100);
    const failedData = ok(await stack.query<{ backupTasks: { nodes: { __typename: string }[] } }>(failed!.query!, JSON.parse(failed!.variables!)));
    expect(new Set(failedData.backupTasks.nodes.map((n) => n.__typename)).size).toBeGreaterThanOrEqual(2);
    const pagingData = ok(await stack.query<{ node: { backups: { totalCount: number } } }>(paging!.query!, JSON.parse(paging!.variables!)));
    expect(pagingData.node.backups.totalCount).toBe(busiest.backups.length);
  });
});

describe('the demo fleet and the examples at calendar edges', () => {
  // Whatever day the stack's clock says, the fleet ends at that "now" and the examples find it:
  // a year's end, a leap day, a month end, and both DST changes of the US and of Europe (the
  // agents write UTC+8 times, the schedules are in UTC+8 and UTC).
  it.each([
    '2026-12-31T23:59:00.000Z',
    '2028-02-29T12:00:00.000Z',
    '2027-04-30T16:30:00.000Z',
    '2027-03-14T07:00:00.000Z',
    '2027-11-07T06:00:00.000Z',
    '2027-03-28T01:00:00.000Z',
    '2027-10-31T01:00:00.000Z',
  ])('at %s', async (at) => {
    const now = Date.parse(at);
    const edge = await startStack({ clock: fixedClock(now) });
    try {
      const html = await (await edge.gateway.yoga.fetch('http://backupql.test/graphql', { headers: { accept: 'text/html' } })).text();
      expect(html).toContain(new Date(now - 86_400_000).toISOString());
      const [unprotected, failed, newest] = exampleTabs({ now });
      const week = ok(
        await edge.query<{ backupTasks: { totalCount: number; window: { since: string }; nodes: { startedAt: string }[] } }>(
          newest!.query!,
          JSON.parse(newest!.variables!),
        ),
      );
      expect(week.backupTasks.totalCount).toBeGreaterThan(100);
      expect(week.backupTasks.window.since).toBe(new Date(Math.floor((now - 7 * 86_400_000) / 60_000) * 60_000).toISOString());
      for (const node of week.backupTasks.nodes) {
        const started = Date.parse(node.startedAt);
        expect(started).toBeGreaterThanOrEqual(now - 86_400_000);
        expect(started).toBeLessThanOrEqual(now);
      }
      const sinceYesterday = ok(await edge.query<{ backupTasks: { nodes: unknown[] } }>(failed!.query!, JSON.parse(failed!.variables!)));
      expect(sinceYesterday.backupTasks.nodes.length).toBeGreaterThan(0);
      const coverage = ok(await edge.query<{ fleet: { summary: { ok: number; failing: number } } }>(unprotected!.query!));
      expect(coverage.fleet.summary.ok).toBeGreaterThan(10);
      expect(coverage.fleet.summary.failing).toBeGreaterThan(0);
    } finally {
      await edge.close();
    }
  });
});

/** Starts the compiled gateway (`dist/main.js`) as `npm start` does and resolves with the GraphQL URL it prints. */
function start(args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['dist/main.js', ...args], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/localhost:\d+\/graphql)/.exec(output);
      if (match) resolve({ child, url: match[1]!, output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}

function exit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

async function post(url: string, query: string, variables?: unknown) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

describe('starting the gateway', { timeout: 60_000 }, () => {
  // `npm start` runs the compiled JavaScript (`npm run build`, as its prestart does), not tsx.
  beforeAll(() => {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  }, 120_000);

  it('npm start with no configuration: demo mode answers the example operations', async () => {
    const { child, url, output } = await start([], {});
    try {
      expect(output()).toMatch(/demo mode/);
      const html = await (await fetch(url, { headers: { accept: 'text/html' } })).text();
      expect(html).toContain('backupql (demo fleet)');
      // The tabs as the demo's GraphiQL opens them (the paging tab with the demo's busiest instance).
      const dcs = await post(url, '{ instances(first: 1, filter: { providers: [DCS] }) { nodes { ... on DcsInstance { id } } } }');
      const instanceId = (dcs.data as { instances: { nodes: { id: string }[] } }).instances.nodes[0]!.id;
      expect(html).toContain(instanceId);
      // Demo mode runs on the real clock (its fleet ends "now"), so the tabs are computed the same way.
      for (const tab of exampleTabs({ now: systemClock.now(), exampleInstanceId: instanceId }).filter((t) => /^query /m.test(t.query!))) {
        const result = await post(url, tab.query!, tab.variables ? JSON.parse(tab.variables) : undefined);
        expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
        expect(Object.values(result.data ?? {})[0]).toBeTruthy();
      }
    } finally {
      child.kill('SIGTERM');
      await exit(child);
    }
  });

  it('--config FILE: serves the sources of the file, with ${VAR} from the environment', async () => {
    // A gateway process runs on the real clock (auth timestamps); so do the upstreams it talks to.
    const sims = await startFleetSimulators({ clock: systemClock });
    const dir = await mkdtemp(join(tmpdir(), 'backupql-'));
    const file = join(dir, 'backupql.yaml');
    const d = sims.describe();
    await writeFile(
      file,
      `sources:
  - name: ob-one
    provider: oceanbase
    url: ${d.clusters[0]!.url}
    password: \${OB_PW}
  - name: hw-one
    provider: huaweicloud
    projectId: ${d.projects[0]!.projectId}
    region: ${d.projects[0]!.region}
    dcsEndpoint: ${d.huawei.url}
    rdsEndpoint: ${d.huawei.url}
    credentials:
      token: \${HW_TOKEN}
`,
    );
    const { child, url } = await start(['--config', file], { OB_PW: d.clusters[0]!.password, HW_TOKEN: d.huawei.token });
    try {
      const result = await post(url, '{ tenants(first: 100) { totalCount } instances(first: 100) { totalCount } }');
      expect(result.errors).toBeUndefined();
      const project = sims.fleet.huawei.projects[0]!;
      expect(result.data).toEqual({
        tenants: { totalCount: sims.fleet.oceanbase[0]!.tenants.length + 1 },
        instances: { totalCount: 1 + project.dcs.length + project.rds.length },
      });
    } finally {
      child.kill('SIGTERM');
      await exit(child);
      await sims.close();
    }
  });

  it('refuses a bad configuration file at start, naming the field and hiding secrets', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backupql-'));
    const file = join(dir, 'bad.yaml');
    await writeFile(
      file,
      'sources:\n  - name: x\n    provider: huaweicloud\n    projectId: nope\n    region: cn-north-4\n    credentials:\n      token: SuperSecretToken1\n      accessKey: A\n',
    );
    const child = spawn(process.execPath, ['dist/main.js', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    expect(await exit(child)).toBe(1);
    expect(output).toMatch(/sources\[0\]\.projectId/);
    expect(output).toMatch(/sources\[0\]\.credentials/);
    expect(output).not.toContain('SuperSecretToken1');
  });
});
