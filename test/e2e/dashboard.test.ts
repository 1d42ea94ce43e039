/**
 * The fleet backup dashboard (web/, served at `/` by src/graphql/dashboard.ts) in a real browser:
 * Debian's chromium driven by playwright-core, every request outside loopback blocked, the page's
 * figures, rows and pages compared with what the public API answers for the same question.
 * `npm test` builds web/dist first (`npm run build:web`). Screenshots go to test/e2e/screenshots/.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionResult } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_DIR, useDashboard } from '../../src/graphql/dashboard.js';
import { ManualClock } from '../../src/lib/clock.js';
import { obArchiveAt, rdsRestoreWindowsAt } from '../../src/simulators/recoverability.js';
import { FIXED_NOW, ok, startStack, type Stack, type StackOptions } from '../support/stack.js';
import { canBackUp, coverageTargets, type CoverageTarget } from '../support/targets.js';

const CHROMIUM = process.env.BACKUPQL_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface Summary {
  total: number;
  ok: number;
  stale: number;
  failing: number;
  running: number;
  never: number;
  unknown: number;
}
interface CoverageAnswer {
  backupCoverage: { summary: Summary; nodes: { state: string; source: string; target: { id: string } }[] };
}
const COVERAGE = `query ($filter: CoverageFilter) {
  backupCoverage(first: 100, filter: $filter) {
    summary { total ok stale failing running never unknown }
    nodes { state source target { ... on ObTenant { id } ... on DcsInstance { id } ... on RdsInstance { id } } }
  }
}`;
const RECENT = `{ backupTasks(first: 20) { window { since until } nodes { ... on Backup { id status } } } }`;
const PAGE = `query ($id: ID!, $after: String) {
  node(id: $id) { ... on DcsInstance { backups(first: 20, after: $after) {
    totalCount
    pageInfo { endCursor }
    pageCursors { first { page cursor } last { page cursor } around { page cursor isCurrent } previous { page cursor } }
    nodes { id }
  } } }
}`;
interface PageAnswer {
  node: {
    backups: {
      totalCount: number;
      pageInfo: { endCursor: string };
      pageCursors: { around: { page: number; cursor: string; isCurrent: boolean }[]; last: { page: number; cursor: string } | null };
      nodes: { id: string }[];
    };
  };
}

/** A browser context whose requests may go to loopback only (the others are aborted and recorded). */
async function sandboxed(browser: Browser, outside: string[], options: { bypassCSP?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  await context.route('**/*', (route) => {
    const target = new URL(route.request().url());
    if (target.protocol === 'data:' || target.protocol === 'blob:' || target.hostname === '127.0.0.1' || target.hostname === 'localhost')
      return route.continue();
    outside.push(target.href);
    return route.abort();
  });
  return context;
}

/** A page that records its console errors and uncaught exceptions. */
/** A stack served on loopback HTTP and Chromium in a sandboxed context: what each browser block starts with. */
async function startBrowserStack(
  outside: string[],
  options: StackOptions = {},
): Promise<{ stack: Stack; base: string; browser: Browser; context: BrowserContext }> {
  if (!existsSync(join(DASHBOARD_DIR, 'index.html'))) throw new Error(`${DASHBOARD_DIR} has no index.html: run \`npm run build:web\` first`);
  await mkdir(SCREENSHOTS, { recursive: true });
  const stack = await startStack(options);
  const base = (await stack.gateway.listen(0, '127.0.0.1')).replace(/\/graphql$/, '');
  const browser = await launchChromium();
  return { stack, base, browser, context: await sandboxed(browser, outside) };
}

async function newPage(context: BrowserContext, width = 1280, height = 900): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return { page, errors };
}

/** Waits until the fleet's answers are on the page (the summary figures and the coverage rows). */
async function fleetLoaded(page: Page): Promise<void> {
  await page.waitForSelector('main[aria-busy="false"]', { timeout: 30_000 });
  await expect.poll(() => page.locator('[data-summary="ok"]').innerText(), { timeout: 10_000 }).toMatch(/^\d+$/);
}

const rowIds = (page: Page, selector: string, attribute: string) =>
  page.locator(selector).evaluateAll((rows, name) => rows.map((r) => r.getAttribute(name)), attribute);

const shoot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });

/** Debian's chromium, headless, with nothing of its own reaching out. */
function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set BACKUPQL_CHROMIUM`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

async function axeViolations(page: Page): Promise<{ id: string; impact: string | null; targets: string[] }[]> {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact?: string | null; nodes: { target: string[] }[] }[] }> } })
      .axe;
    const result = await axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
  return violations;
}

describe('the dashboard in a browser', { timeout: 120_000 }, () => {
  let stack: Stack;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  const outside: string[] = [];

  beforeAll(async () => {
    ({ stack, base, browser, context } = await startBrowserStack(outside));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('the summary figures, the sources, the coverage rows and the newest backups are what the API says', async () => {
    const { page, errors } = await newPage(context);
    await page.goto(`${base}/`);
    await fleetLoaded(page);
    const coverage = ok(await stack.query<CoverageAnswer>(COVERAGE)).backupCoverage;
    for (const key of ['ok', 'stale', 'failing', 'running', 'never', 'unknown'] as const) {
      expect(await page.locator(`[data-summary="${key}"]`).innerText(), key).toBe(String(coverage.summary[key]));
    }
    expect(coverage.summary.failing).toBeGreaterThan(0);
    await expect.poll(() => page.locator('#summary-title').innerText()).toContain(`${coverage.summary.total} targets`);

    // Every source the fleet has, each reachable.
    const names = [...stack.sims.fleet.oceanbase.map((c) => c.name), ...stack.sims.fleet.huawei.projects.map((p) => p.name)];
    expect(
      await page
        .locator('.source-list li')
        .evaluateAll((items) => items.map((i) => i.getAttribute('data-source')))
        .then((s) => [...s].sort()),
    ).toEqual([...names].sort());
    for (const name of names) {
      const line = page.locator(`.source-list li[data-source="${name}"]`);
      await expect.poll(() => line.getAttribute('class')).toContain('source-up');
      expect(await line.innerText()).toMatch(/reachable, \d+ targets?/);
    }

    // The coverage table: one row per target in the API's order (worst first), the state in words.
    expect(await rowIds(page, '.coverage-table tbody tr', 'data-target')).toEqual(coverage.nodes.map((n) => n.target.id));
    const firstRow = page.locator('.coverage-table tbody tr').first();
    expect(await firstRow.locator('.badge').innerText()).toBe(coverage.nodes[0]!.state);
    // Ages are counted from the API's clock (the stack's fixed "now"), not the browser's.
    const ages = await page.locator('.coverage-table tbody time').allInnerTexts();
    expect(ages.length).toBeGreaterThan(0);
    expect(ages.every((a) => /^(just now|\d+ (min|h|d) ago)$/.test(a))).toBe(true);
    expect(ages.some((a) => / (min|h) ago$/.test(a))).toBe(true);
    const title = await page.locator('.coverage-table tbody time').first().getAttribute('title');
    expect(title).toMatch(/2026/);

    // The newest backups: the API's 20, failed ones marked (class and text), with the window read.
    const recent = ok(
      await stack.query<{ backupTasks: { window: { since: string; until: string | null }; nodes: { id: string; status: string }[] } }>(RECENT),
    ).backupTasks;
    expect(await rowIds(page, '.recent-table tbody tr', 'data-id')).toEqual(recent.nodes.map((n) => n.id));
    const failed = recent.nodes.filter((n) => n.status === 'FAILED');
    expect(failed.length).toBeGreaterThan(0);
    for (const node of recent.nodes) {
      const row = page.locator(`.recent-table tbody tr[data-id="${node.id}"]`);
      const marked = ((await row.getAttribute('class')) ?? '').split(' ').includes('failed');
      expect(marked, node.id).toBe(node.status === 'FAILED');
      if (node.status === 'FAILED') expect(await row.locator('.status').innerText()).toBe('FAILED');
    }
    expect(await page.locator('.recent-table tr.failed').count()).toBe(failed.length);
    expect(await page.locator('.recent .window').innerText()).toBe('last 7 days');
    expect(await page.locator('.recent .window').getAttribute('data-since')).toBe(recent.window.since);

    // Without `auth` configured nothing asks for a key: no sign-in form, no "Sign out".
    expect(await page.locator('#api-key').count()).toBe(0);
    expect(await page.locator('button:text("Sign out")').count()).toBe(0);

    await shoot(page, 'fleet');
    // The first screen, as docs/dashboard.png shows it.
    await shoot(page, 'fleet-top', false);
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });

  it('filters change the rows and the URL, and the URL opens the same view', async () => {
    const { page, errors } = await newPage(context);
    await page.goto(`${base}/`);
    await fleetLoaded(page);
    const all = await rowIds(page, '.coverage-table tbody tr', 'data-target');
    const failing = ok(await stack.query<CoverageAnswer>(COVERAGE, { filter: { states: ['FAILING'] } })).backupCoverage.nodes.map((n) => n.target.id);
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.length).toBeLessThan(all.length);

    await page.selectOption('select[name="state"]', 'FAILING');
    await expect.poll(() => rowIds(page, '.coverage-table tbody tr', 'data-target')).toEqual(failing);
    expect(new URL(page.url()).searchParams.get('state')).toBe('FAILING');
    expect(await page.locator('.coverage-table tbody tr .badge').allInnerTexts()).toEqual(failing.map(() => 'FAILING'));

    // And a provider, and a part of a name: the API's answer for the same filter, narrowed by name.
    await page.selectOption('select[name="provider"]', 'DCS');
    const dcsFailing = ok(await stack.query<CoverageAnswer>(COVERAGE, { filter: { states: ['FAILING'], providers: ['DCS'] } })).backupCoverage.nodes;
    await expect.poll(() => rowIds(page, '.coverage-table tbody tr', 'data-target')).toEqual(dcsFailing.map((n) => n.target.id));
    await page.fill('input[name="q"]', 'FEED');
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('FEED');
    const named = await page.locator('.coverage-table tbody tr th').allInnerTexts();
    expect(named.length).toBeGreaterThan(0);
    expect(named.length).toBeLessThanOrEqual(dcsFailing.length);
    expect(named.every((n) => n.toLowerCase().includes('feed'))).toBe(true);
    const url = page.url();
    expect(new URL(url).search).toBe('?provider=DCS&state=FAILING&q=FEED');
    const shown = await rowIds(page, '.coverage-table tbody tr', 'data-target');

    // The same link in a fresh page: the same filters, the same rows.
    const { page: again, errors: againErrors } = await newPage(context);
    await again.goto(url);
    await fleetLoaded(again);
    expect(await rowIds(again, '.coverage-table tbody tr', 'data-target')).toEqual(shown);
    expect(await again.locator('select[name="state"]').inputValue()).toBe('FAILING');
    expect(await again.locator('select[name="provider"]').inputValue()).toBe('DCS');
    expect(await again.locator('input[name="q"]').inputValue()).toBe('FEED');

    // Clearing them shows every row again, and the URL is bare.
    await again.click('text=Clear filters');
    await expect.poll(() => rowIds(again, '.coverage-table tbody tr', 'data-target')).toEqual(all);
    expect(new URL(again.url()).search).toBe('');

    await page.goto(`${base}/?state=FAILING`);
    await fleetLoaded(page);
    await shoot(page, 'filtered');
    expect(await rowIds(page, '.coverage-table tbody tr', 'data-target')).toEqual(failing);

    expect([...errors, ...againErrors]).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
    await again.close();
  });

  it("a large instance's history: page 3 by its page cursor, next, previous, and a link straight to page 9", async () => {
    const project = stack.sims.fleet.huawei.projects[0]!;
    const big = [...project.dcs].sort((a, b) => b.backups.length - a.backups.length)[0]!;
    expect(big.backups.length).toBeGreaterThan(200);
    const instances = ok(
      await stack.query<{ instances: { nodes: { id: string; instanceId: string }[] } }>(
        `query ($source: String!) { instances(first: 100, filter: { providers: [DCS], sources: [$source] }) { nodes { ... on DcsInstance { id instanceId } } } }`,
        { source: project.name },
      ),
    ).instances.nodes;
    const id = instances.find((i) => i.instanceId === big.row.instance_id)!.id;
    const page1 = ok(await stack.query<PageAnswer>(PAGE, { id })).node.backups;
    const cursor3 = page1.pageCursors.around.find((p) => p.page === 3)!.cursor;
    const page3 = ok(await stack.query<PageAnswer>(PAGE, { id, after: cursor3 })).node.backups;
    expect(page3.pageCursors.around.find((p) => p.isCurrent)!.page).toBe(3);
    // Pages 4 and 9 the other way: walking the list with endCursor.
    const walked: string[][] = [page1.nodes.map((n) => n.id)];
    let after = page1.pageInfo.endCursor;
    for (let p = 2; p <= 9; p++) {
      const next = ok(await stack.query<PageAnswer>(PAGE, { id, after })).node.backups;
      walked.push(next.nodes.map((n) => n.id));
      after = next.pageInfo.endCursor;
    }
    expect(page3.nodes.map((n) => n.id)).toEqual(walked[2]);

    const { page, errors } = await newPage(context);
    await page.goto(`${base}/`);
    await fleetLoaded(page);
    await page.locator(`.coverage-table tr[data-target="${id}"] th a`).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('target')).toBe(id);
    await page.waitForSelector('.history-table tbody tr');
    expect(await page.locator('#target-title').innerText()).toBe(big.row.name);
    expect(await rowIds(page, '.history-table tbody tr', 'data-id')).toEqual(walked[0]);
    expect(await page.locator('.pager [aria-current="page"]').innerText()).toBe('1');
    expect(await page.locator('.target-facts').innerText()).toContain(`${page1.totalCount} backups`);
    // Numbered pages up to the last one.
    const pages = Math.ceil(page1.totalCount / 20);
    expect(await page.locator(`.pager a[data-page="${pages}"]`).count()).toBe(1);

    await page.locator('.pager a[aria-label="Page 3"]').click();
    await expect.poll(() => page.locator('#history-title').innerText()).toBe(`Backups, page 3 of ${pages}`);
    expect(await rowIds(page, '.history-table tbody tr', 'data-id')).toEqual(page3.nodes.map((n) => n.id));
    expect(new URL(page.url()).searchParams.get('page')).toBe('3');
    expect(await page.locator('.pager [aria-current="page"]').innerText()).toBe('3');

    // The size and duration charts (uPlot) drew.
    await expect.poll(() => page.locator('.chart-box canvas').count()).toBe(2);
    await shoot(page, 'history');

    await page.locator('.pager a[rel="next"]').click();
    await expect.poll(() => page.locator('#history-title').innerText()).toBe(`Backups, page 4 of ${pages}`);
    expect(await rowIds(page, '.history-table tbody tr', 'data-id')).toEqual(walked[3]);
    await page.locator('.pager a[rel="prev"]').click();
    await expect.poll(() => page.locator('#history-title').innerText()).toBe(`Backups, page 3 of ${pages}`);
    expect(await rowIds(page, '.history-table tbody tr', 'data-id')).toEqual(walked[2]);
    // Back in the browser's history: page 4, then the fleet.
    await page.goBack();
    await expect.poll(() => page.locator('#history-title').innerText()).toBe(`Backups, page 4 of ${pages}`);

    // A link straight to page 9 finds its cursor through the pages around the known ones.
    const { page: direct, errors: directErrors } = await newPage(context);
    await direct.goto(`${base}/?target=${encodeURIComponent(id)}&page=9`);
    await expect.poll(() => direct.locator('#history-title').innerText(), { timeout: 30_000 }).toBe(`Backups, page 9 of ${pages}`);
    expect(await rowIds(direct, '.history-table tbody tr', 'data-id')).toEqual(walked[8]);

    expect([...errors, ...directErrors]).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
    await direct.close();
  });

  it('refreshes on the button and every 60 s', async () => {
    const { page, errors } = await newPage(context);
    await page.clock.install();
    await page.goto(`${base}/`);
    await fleetLoaded(page);
    const asks = (name: string) => page.waitForRequest((r) => r.method() === 'POST' && (r.postData() ?? '').includes(name), { timeout: 10_000 });
    let sent = asks('DashboardCoverage');
    await page.click('button:text("Refresh")');
    await sent;
    await fleetLoaded(page);
    sent = asks('DashboardRecent');
    await page.clock.fastForward(60_000);
    await sent;
    await fleetLoaded(page);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('at phone width (375 px) the page does not scroll sideways; tables scroll in their own box', async () => {
    const { page, errors } = await newPage(context, 375, 812);
    await page.goto(`${base}/`);
    await fleetLoaded(page);
    const scrollWidth = () => page.evaluate<number>('document.documentElement.scrollWidth');
    expect(await scrollWidth()).toBeLessThanOrEqual(375);
    // The coverage table is wider than the screen: its box scrolls.
    const box = await page.locator('.coverage .table-wrap').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(box.scroll).toBeGreaterThan(box.client);
    await shoot(page, 'phone');
    // A history with its charts and a full page of backups.
    const rds = page.locator('.coverage-table tbody tr[data-state="OK"]').filter({ has: page.locator('td.provider', { hasText: 'RDS' }) });
    const target = (await rds.first().getAttribute('data-target'))!;
    await page.goto(`${base}/?target=${encodeURIComponent(target)}`);
    await page.waitForSelector('.history-table tbody tr', { timeout: 30_000 });
    await expect.poll(() => page.locator('.chart-box canvas').count()).toBe(2);
    expect(await scrollWidth()).toBeLessThanOrEqual(375);
    await shoot(page, 'phone-history');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('axe-core finds no serious or critical violation (the fleet, a filtered view, a history)', async () => {
    // axe is injected as an inline script, which the page's Content-Security-Policy refuses: this context bypasses it.
    const axeContext = await sandboxed(browser, outside, { bypassCSP: true });
    try {
      const { page, errors } = await newPage(axeContext);
      await page.goto(`${base}/`);
      await fleetLoaded(page);
      const serious = (v: { impact: string | null }[]) => v.filter((x) => x.impact === 'serious' || x.impact === 'critical');
      expect(serious(await axeViolations(page))).toEqual([]);
      await page.goto(`${base}/?state=FAILING&q=zzz-nothing`);
      await fleetLoaded(page);
      expect(serious(await axeViolations(page))).toEqual([]);
      const target = ok(await stack.query<CoverageAnswer>(COVERAGE, { filter: { providers: ['RDS'], states: ['OK'] } })).backupCoverage.nodes[0]!.target.id;
      await page.goto(`${base}/?target=${encodeURIComponent(target)}&page=2`);
      await page.waitForSelector('.history-table tbody tr', { timeout: 30_000 });
      await expect.poll(() => page.locator('.chart-box canvas').count()).toBe(2);
      expect(serious(await axeViolations(page))).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await axeContext.close();
    }
  });

  it('the whole API down: an error banner, and the page recovers when it is back', async () => {
    const { page, errors } = await newPage(context);
    let down = true;
    await page.route('**/graphql', (route) => (down ? route.fulfill({ status: 503, contentType: 'text/plain', body: 'unavailable' }) : route.continue()));
    await page.goto(`${base}/`);
    const banner = page.locator('.banner[role="alert"]');
    await expect.poll(() => banner.count(), { timeout: 30_000 }).toBe(1);
    expect(await banner.innerText()).toMatch(/cannot be reached.*HTTP 503/s);
    expect(await page.locator('[data-summary="ok"]').innerText()).toBe('–');
    await shoot(page, 'api-down');
    down = false;
    await page.click('button:text("Refresh")');
    await fleetLoaded(page);
    expect(await banner.count()).toBe(0);
    // The browser reports the refused requests themselves; nothing else went wrong.
    expect(errors.filter((e) => !/status of 503/.test(e))).toEqual([]);
    expect(errors.length).toBeGreaterThan(0);
    await page.close();
  });

  it('a source that cannot be read is shown unreachable, with its error, and the rest still renders', async () => {
    const faulty = await startStack({ configure: (c) => ({ ...c, sources: c.sources.map((s) => ({ ...s, retry: { maxRetries: 0 } })) }) });
    try {
      const cluster = faulty.sims.fleet.oceanbase[0]!;
      faulty.sims.obshell[0]!.server.addFault({ kind: 'status', status: 503, body: '' });
      const faultyBase = (await faulty.gateway.listen(0, '127.0.0.1')).replace(/\/graphql$/, '');
      const { page, errors } = await newPage(context);
      await page.goto(`${faultyBase}/`);
      await fleetLoaded(page);
      const line = page.locator(`.source-list li[data-source="${cluster.name}"]`);
      expect(await line.getAttribute('class')).toContain('source-down');
      expect(await line.innerText()).toMatch(/unreachable — UPSTREAM_UNAVAILABLE \S/);
      for (const other of [faulty.sims.fleet.oceanbase[1]!.name, ...faulty.sims.fleet.huawei.projects.map((p) => p.name)]) {
        expect(await page.locator(`.source-list li[data-source="${other}"]`).getAttribute('class')).toContain('source-up');
      }
      // The API's own answer with the source down: the same figures and rows, none of that cluster.
      const answer = await faulty.query<CoverageAnswer>(COVERAGE);
      expect(answer.errors?.[0]?.extensions).toMatchObject({ source: cluster.name });
      const coverage = answer.data!.backupCoverage;
      expect(coverage.nodes.length).toBeGreaterThan(0);
      expect(await page.locator('[data-summary="ok"]').innerText()).toBe(String(coverage.summary.ok));
      expect(await rowIds(page, '.coverage-table tbody tr', 'data-target')).toEqual(coverage.nodes.map((n) => n.target.id));
      expect(await page.locator('.coverage-table tbody td.source').allInnerTexts()).not.toContain(cluster.name);
      expect(await page.locator('.recent-table tbody tr').count()).toBe(20);
      expect(await page.locator('.banner').count()).toBe(0);
      await shoot(page, 'source-down');
      expect(errors).toEqual([]);
      expect(outside).toEqual([]);
      await page.close();
    } finally {
      await faulty.close();
    }
  });
});

describe('the dashboard with client authentication (auth.apiKeys)', { timeout: 120_000 }, () => {
  const KEY = 'e2e-dashboard-key-7f3c9a1b5d';
  const STORAGE = 'backupql.apiKey';
  let stack: Stack;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  const outside: string[] = [];

  /** The API's own answer for the key (the gateway in process, with the header). */
  const withKey = async <T>(query: string, key: string | null = KEY): Promise<ExecutionResult<T>> => {
    const res = await stack.gateway.yoga.fetch('http://backupql.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(key === null ? {} : { authorization: `Bearer ${key}` }) },
      body: JSON.stringify({ query }),
    });
    return (await res.json()) as ExecutionResult<T>;
  };
  const storedKey = (page: Page) => page.evaluate((name) => sessionStorage.getItem(name), STORAGE);
  const localStore = (page: Page) => page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
  const focused = (page: Page) => page.evaluate(() => document.activeElement?.id ?? null);
  const formShown = async (page: Page) => {
    await page.waitForSelector('#api-key', { timeout: 30_000 });
    await expect.poll(() => focused(page)).toBe('api-key');
    // No data: neither the figures nor a table, and no error banner.
    expect(await page.locator('[data-summary]').count()).toBe(0);
    expect(await page.locator('.coverage-table, .recent-table, .history-table').count()).toBe(0);
    expect(await page.locator('.banner').count()).toBe(0);
  };

  beforeAll(async () => {
    ({ stack, base, browser, context } = await startBrowserStack(outside, {
      configure: (c) => ({ ...c, auth: { apiKeys: [{ name: 'ops', sha256: createHash('sha256').update(KEY).digest('hex'), role: 'read' }] } }),
    }));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('opens on the sign-in form, refuses a wrong key, shows the fleet for the right one (sent on every request), keeps it for the session, and signs out', async () => {
    // Without a key the API says UNAUTHENTICATED (401) before anything else.
    expect((await withKey(COVERAGE, null)).errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });

    const { page, errors } = await newPage(context);
    const requests: { url: string; authorization: string | undefined }[] = [];
    const urls: string[] = [];
    const pending: Promise<void>[] = [];
    page.on('request', (request) => {
      urls.push(request.url());
      if (new URL(request.url()).pathname !== '/graphql') return;
      // Its place in the order is taken now; its headers (all of them, as sent) come later.
      const entry: (typeof requests)[number] = { url: request.url(), authorization: undefined };
      requests.push(entry);
      pending.push(
        request.allHeaders().then((h) => {
          entry.authorization = h.authorization;
        }),
      );
    });
    const sentSince = async (from: number) => {
      await Promise.all(pending);
      return requests.slice(from);
    };

    await page.goto(`${base}/`);
    await formShown(page);
    expect(await page.getByLabel('API key').getAttribute('type')).toBe('password');
    expect(await page.locator('#sign-in-error').count()).toBe(0);
    expect(await page.locator('button:text("Sign out")').count()).toBe(0);
    const first = await sentSince(0);
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((r) => r.authorization === undefined)).toBe(true);
    await shoot(page, 'sign-in');

    // A wrong key: refused, said so, and the form again (focused, the key not kept).
    let from = requests.length;
    await page.getByLabel('API key').fill('not-the-key');
    await page.click('button:text("Sign in")');
    await expect.poll(() => page.locator('#sign-in-error').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.locator('#sign-in-error').innerText()).toBe('The API key was refused.');
    expect(await page.locator('#sign-in-error').getAttribute('role')).toBe('alert');
    await formShown(page);
    expect(await page.getByLabel('API key').inputValue()).toBe('');
    const wrong = await sentSince(from);
    expect(wrong.length).toBeGreaterThan(0);
    expect(wrong.every((r) => r.authorization === 'Bearer not-the-key')).toBe(true);
    expect(await storedKey(page)).toBeNull();
    await shoot(page, 'sign-in-refused');

    // The right key (submitted with Enter): the fleet summary is the API's for that key.
    from = requests.length;
    await page.getByLabel('API key').fill(KEY);
    await page.getByLabel('API key').press('Enter');
    await fleetLoaded(page);
    const coverage = ok(await withKey<CoverageAnswer>(COVERAGE)).backupCoverage;
    for (const key of ['ok', 'stale', 'failing', 'running', 'never', 'unknown'] as const) {
      expect(await page.locator(`[data-summary="${key}"]`).innerText(), key).toBe(String(coverage.summary[key]));
    }
    await expect.poll(() => page.locator('#summary-title').innerText()).toContain(`${coverage.summary.total} targets`);
    expect(await rowIds(page, '.coverage-table tbody tr', 'data-target')).toEqual(coverage.nodes.map((n) => n.target.id));
    expect(await page.locator('#api-key').count()).toBe(0);
    expect(await page.locator('.banner').count()).toBe(0);
    expect(await storedKey(page)).toBe(KEY);

    // A target's history too: its requests carry the key like the fleet's.
    const target = coverage.nodes.find((n) => n.state === 'OK')!.target.id;
    await page.locator(`.coverage-table tr[data-target="${target}"] th a`).click();
    await page.waitForSelector('.history-table tbody tr', { timeout: 30_000 });
    expect(await page.locator('.banner').count()).toBe(0);

    // After a reload the session still has the key: no form, the fleet straight away.
    await page.goto(`${base}/`);
    await fleetLoaded(page);
    expect(await page.locator('#api-key').count()).toBe(0);
    expect(await page.locator(`[data-summary="failing"]`).innerText()).toBe(String(coverage.summary.failing));
    const signedIn = await sentSince(from);
    expect(signedIn.length).toBeGreaterThanOrEqual(4);
    expect(signedIn.filter((r) => r.authorization !== `Bearer ${KEY}`)).toEqual([]);

    // Sign out: the key is gone, the form is back (no data), and a reload still asks.
    from = requests.length;
    await page.click('button:text("Sign out")');
    await formShown(page);
    expect(await storedKey(page)).toBeNull();
    await page.reload();
    await formShown(page);
    expect((await sentSince(from)).every((r) => r.authorization === undefined)).toBe(true);
    expect(await storedKey(page)).toBeNull();

    // The key never went into a URL (the page's or a request's) or into localStorage.
    expect([page.url(), ...urls].filter((u) => u.includes(KEY) || u.includes('not-the-key'))).toEqual([]);
    expect(await localStore(page)).toBe('[]');
    // The browser reports the 401 answers themselves; nothing else went wrong.
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });

  it('the sign-in form: axe-core finds no serious or critical violation (asking, and after a refusal), and it fits 375 px', async () => {
    const axeContext = await sandboxed(browser, outside, { bypassCSP: true });
    try {
      const { page, errors } = await newPage(axeContext);
      const serious = (v: { impact: string | null }[]) => v.filter((x) => x.impact === 'serious' || x.impact === 'critical');
      await page.goto(`${base}/`);
      await formShown(page);
      expect(serious(await axeViolations(page))).toEqual([]);
      await page.getByLabel('API key').fill('not-the-key');
      await page.getByLabel('API key').press('Enter');
      await page.waitForSelector('#sign-in-error', { timeout: 30_000 });
      await formShown(page);
      expect(serious(await axeViolations(page))).toEqual([]);
      expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    } finally {
      await axeContext.close();
    }

    const { page, errors } = await newPage(context, 375, 812);
    await page.goto(`${base}/`);
    await formShown(page);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    const input = await page.getByLabel('API key').boundingBox();
    const button = await page.locator('button:text("Sign in")').boundingBox();
    expect(input!.x + input!.width).toBeLessThanOrEqual(375);
    expect(button!.x + button!.width).toBeLessThanOrEqual(375);
    await shoot(page, 'phone-sign-in');
    // Signed in at that width: the header's buttons fit too.
    await page.getByLabel('API key').fill(KEY);
    await page.getByLabel('API key').press('Enter');
    await fleetLoaded(page);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    const signOut = await page.locator('button:text("Sign out")').boundingBox();
    expect(signOut!.x + signOut!.width).toBeLessThanOrEqual(375);
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });
});

describe('the dashboard with actions and live progress (actions.enabled, backupProgress over SSE)', { timeout: 120_000 }, () => {
  const BACKUP_MS = 60_000;
  const clock = new ManualClock(FIXED_NOW);
  let stack: Stack;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  const outside: string[] = [];

  /** Every target with its coverage state and whether a backup of it is under way now. */
  const targets = (s: Stack): Promise<CoverageTarget[]> => coverageTargets((q) => s.query(q));
  /** An idle target of a kind (a DCS one that can be backed up: running, not single-node), not one used before. */
  const used = new Set<string>();
  const idle = async (type: 'ObTenant' | 'DcsInstance' | 'RdsInstance', s: Stack = stack): Promise<string> => {
    for (const t of await targets(s)) {
      if (t.typename !== type || t.state === 'NEVER' || !canBackUp(t) || used.has(t.id)) continue;
      // A tenant whose agent keeps a job history (obshell 4.3.2.0 and later).
      if (type === 'ObTenant') {
        const jobs = ok(await s.query<{ node: { backupJobs: { totalCount: number } | null } }>(TENANT_JOBS, { id: t.id })).node.backupJobs;
        if (!jobs?.totalCount) continue;
      }
      used.add(t.id);
      return t.id;
    }
    throw new Error(`no idle ${type}`);
  };
  const TENANT_JOBS = `query ($id: ID!) { node(id: $id) { ... on ObTenant { backupJobs(first: 1) { totalCount } } } }`;
  /** The stack's API as a client with this key sees it. */
  const withKey = (s: Stack, key: string): Stack => ({
    ...s,
    async query<T>(query: string, variables?: Record<string, unknown>) {
      const res = await s.gateway.yoga.fetch('http://backupql.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as ExecutionResult<T>;
    },
  });
  const DCS_BACKUPS = `query ($id: ID!) { node(id: $id) { ... on DcsInstance { backups(first: 3) { totalCount nodes { id status backupType } } } } }`;
  const TENANT = `query ($id: ID!) { node(id: $id) { ... on ObTenant { latestBackup { id jobId status } backupJobs(first: 1) { nodes { id jobId status backupType } } } } }`;
  const TARGET_STATE = `query ($id: ID!) { node(id: $id) { __typename } backupCoverage(first: 100) { summary { running ok } nodes { state target { ... on ObTenant { id } ... on DcsInstance { id } ... on RdsInstance { id } } } } }`;

  const historyShown = (page: Page) => page.waitForSelector('.history-table tbody tr', { timeout: 30_000 });
  const liveOn = async (page: Page) => {
    const indicator = page.locator('.live-indicator[role="status"]');
    await indicator.waitFor({ timeout: 15_000 });
    expect(await indicator.getAttribute('aria-label')).toMatch(/^Live: /);
    expect(await indicator.innerText()).toMatch(/live/i);
  };
  const firstRow = (page: Page) => page.locator('.history-table tbody tr').first();
  const outcome = (page: Page) => page.locator('.action-outcome[role="status"]');
  /** Resolves once the page has the viewer's answer (so that what shows for it is settled). */
  const viewerAnswered = (page: Page) =>
    page.waitForResponse((r) => (r.request().postData() ?? '').includes('DashboardViewer') && r.status() === 200, { timeout: 30_000 });

  beforeAll(async () => {
    ({ stack, base, browser, context } = await startBrowserStack(outside, {
      clock,
      backupDurationMs: BACKUP_MS,
      configure: (c) => ({ ...c, actions: { enabled: true }, live: { fastIntervalSeconds: 0.05, slowIntervalSeconds: 3600 } }),
    }));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('a DCS instance: Start → Confirm (a double click starts one backup), it shows pending with the live indicator on, then moves and succeeds as the clock does, without a reload', async () => {
    const dcs = await idle('DcsInstance');
    const before = ok(await stack.query<{ node: { backups: { totalCount: number } } }>(DCS_BACKUPS, { id: dcs })).node.backups.totalCount;
    const { page, errors } = await newPage(context);
    await page.goto(`${base}/?target=${encodeURIComponent(dcs)}`);
    await historyShown(page);
    await liveOn(page);
    // DCS backs up in full only, and cannot cancel: no mode, no cancel.
    const start = page.getByRole('button', { name: 'Start backup' });
    await start.waitFor({ timeout: 15_000 });
    expect(await page.getByLabel('Backup mode').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Cancel backup' }).count()).toBe(0);
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    // The inline confirm step: dismissed first (nothing sent), then confirmed with a double click.
    await start.click();
    const confirm = page.getByRole('button', { name: 'Confirm start?' });
    await confirm.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Confirm start?');
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await start.waitFor();
    expect(ok(await stack.query<{ node: { backups: { totalCount: number } } }>(DCS_BACKUPS, { id: dcs })).node.backups.totalCount).toBe(before);
    const sent: string[] = [];
    page.on('request', (r) => {
      if ((r.postData() ?? '').includes('DashboardStartBackup')) sent.push(r.postData()!);
    });
    await start.click();
    await confirm.dblclick();
    await expect.poll(() => outcome(page).innerText(), { timeout: 15_000 }).toMatch(/^Backup started \((PENDING|RUNNING)\)\.$/);
    expect(sent).toHaveLength(1);
    const input = (JSON.parse(sent[0]!) as { variables: { input: { target: string; idempotencyKey: string } } }).variables.input;
    expect(input.target).toBe(dcs);
    expect(input.idempotencyKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const backups = ok(await stack.query<{ node: { backups: { totalCount: number; nodes: { id: string; backupType: string }[] } } }>(DCS_BACKUPS, { id: dcs }))
      .node.backups;
    expect(backups.totalCount).toBe(before + 1);
    const started = backups.nodes[0]!;
    expect(started.backupType).toBe('manual');

    // The new backup comes first, pending (or already running), the stream connected.
    await expect.poll(() => firstRow(page).getAttribute('data-id'), { timeout: 15_000 }).toBe(started.id);
    expect(await firstRow(page).getAttribute('data-status')).toMatch(/^(PENDING|RUNNING)$/);
    await liveOn(page);
    await shoot(page, 'action-started');

    // Half-way: running, with its progress bar (DCS `progress`).
    clock.advance(BACKUP_MS / 2);
    await expect.poll(() => firstRow(page).getAttribute('data-status'), { timeout: 15_000 }).toBe('RUNNING');
    const bar = firstRow(page).locator('progress');
    await bar.waitFor({ timeout: 15_000 });
    await expect.poll(() => bar.evaluate((el) => (el as HTMLProgressElement).value), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await bar.getAttribute('aria-label')).toMatch(/^[\d.]+ % done$/);
    await shoot(page, 'action-running');

    // Past its duration: succeeded, the bar gone, the size and duration shown; the coverage read again.
    clock.advance(BACKUP_MS);
    await expect.poll(() => firstRow(page).getAttribute('data-status'), { timeout: 15_000 }).toBe('SUCCEEDED');
    expect(await firstRow(page).getAttribute('data-id')).toBe(started.id);
    expect(await firstRow(page).locator('progress').count()).toBe(0);
    expect(await firstRow(page).locator('td').nth(4).innerText()).not.toBe('running');
    const after = ok(
      await stack.query<{ backupCoverage: { summary: { running: number; ok: number }; nodes: { state: string; target: { id: string } }[] } }>(TARGET_STATE, {
        id: dcs,
      }),
    ).backupCoverage;
    const state = after.nodes.find((n) => n.target.id === dcs)!.state;
    await expect.poll(() => page.locator('.target-facts .badge').innerText(), { timeout: 15_000 }).toBe(state);
    await expect.poll(() => page.locator('[data-summary="ok"]').innerText(), { timeout: 15_000 }).toBe(String(after.summary.ok));
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await liveOn(page);
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });

  it('an OceanBase tenant: an incremental backup started, a second start refused (CONFLICT, said with its code), then Cancel → Confirm: canceling', async () => {
    const tenant = await idle('ObTenant');
    const { page, errors } = await newPage(context);
    await page.goto(`${base}/?target=${encodeURIComponent(tenant)}`);
    await historyShown(page);
    await liveOn(page);
    await page.getByRole('button', { name: 'Start backup' }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('button', { name: 'Cancel backup' }).count()).toBe(0);
    await page.getByLabel('Backup mode').selectOption('INCREMENTAL');
    await page.getByRole('button', { name: 'Start backup' }).click();
    await page.getByRole('button', { name: 'Confirm start?' }).click();
    await expect.poll(() => outcome(page).innerText(), { timeout: 15_000 }).toMatch(/^Backup started/);
    const latest = ok(
      await stack.query<{
        node: { latestBackup: { id: string; jobId: number; status: string }; backupJobs: { nodes: { id: string; jobId: number; backupType: string }[] } };
      }>(TENANT, { id: tenant }),
    ).node;
    expect(['PENDING', 'RUNNING']).toContain(latest.latestBackup.status);
    expect(latest.backupJobs.nodes[0]).toMatchObject({ jobId: latest.latestBackup.jobId, backupType: 'INC' });
    // First in the history: the task the API answered with (a reload would show it as its job).
    await expect
      .poll(() => firstRow(page).getAttribute('data-id'), { timeout: 15_000 })
      .toMatch(new RegExp(`^(${latest.latestBackup.id}|${latest.backupJobs.nodes[0]!.id})$`));
    expect(await firstRow(page).getAttribute('data-status')).toMatch(/^(PENDING|RUNNING)$/);

    // A second start while it runs: the API refuses it, and the page says why, with the code.
    await page.getByRole('button', { name: 'Start backup' }).click();
    await page.getByRole('button', { name: 'Confirm start?' }).click();
    await expect.poll(() => outcome(page).innerText(), { timeout: 15_000 }).toMatch(/^The backup was not started: .+\(CONFLICT\b/);
    expect(await outcome(page).getAttribute('class')).toContain('error');

    // Cancel, confirmed in place.
    const cancel = page.getByRole('button', { name: 'Cancel backup' });
    await cancel.waitFor({ timeout: 15_000 });
    await cancel.click();
    await page.getByRole('button', { name: 'Keep it running' }).waitFor();
    await page.getByRole('button', { name: 'Confirm cancel?' }).click();
    await expect.poll(() => outcome(page).innerText(), { timeout: 15_000 }).toBe('Cancel requested (CANCELING).');
    await expect.poll(() => firstRow(page).getAttribute('data-status'), { timeout: 15_000 }).toBe('CANCELING');
    expect(ok(await stack.query<{ node: { latestBackup: { status: string } } }>(TENANT, { id: tenant })).node.latestBackup.status).toBe('CANCELING');
    // Nothing left to cancel.
    await expect.poll(() => cancel.count(), { timeout: 15_000 }).toBe(0);
    await shoot(page, 'action-canceling');
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });

  it('the newest backups follow live: the stream reconnects after failures, and a backup started elsewhere comes first, running, and ends without a reload', async () => {
    const rds = await idle('RdsInstance');
    const { page, errors } = await newPage(context);
    // The first two attempts at the stream fail: it tries again, later each time, and connects.
    const attempts: number[] = [];
    await page.route('**/graphql', (route) => {
      if (route.request().headers().accept !== 'text/event-stream') return route.continue();
      attempts.push(Date.now());
      return attempts.length <= 2 ? route.abort('connectionreset') : route.continue();
    });
    await page.goto(`${base}/`);
    await fleetLoaded(page);
    await page.waitForSelector('.recent-table tbody tr');
    expect(await page.locator('.live-indicator').count()).toBe(0);
    await liveOn(page);
    expect(attempts.length).toBe(3);
    expect(attempts[2]! - attempts[1]!).toBeGreaterThan(attempts[1]! - attempts[0]!);
    const started = ok(
      await stack.query<{ startBackup: { backup: { id: string; status: string } } }>(
        'mutation ($t: ID!) { startBackup(input: { target: $t }) { backup { ... on Backup { id status } } } }',
        { t: rds },
      ),
    ).startBackup.backup;
    const first = page.locator('.recent-table tbody tr').first();
    await expect.poll(() => first.getAttribute('data-id'), { timeout: 15_000 }).toBe(started.id);
    expect(await first.getAttribute('data-status')).toBe('RUNNING');
    clock.advance(2 * BACKUP_MS);
    await expect.poll(() => first.getAttribute('data-status'), { timeout: 15_000 }).toBe('SUCCEEDED');
    expect(await page.locator(`.recent-table tbody tr[data-id="${started.id}"]`).count()).toBe(1);
    // The browser reports the two refused attempts themselves; nothing else went wrong.
    expect(errors.filter((e) => !/ERR_CONNECTION_RESET/.test(e))).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });

  it('axe-core finds no serious or critical violation on a target view with its actions (and the confirm step), and it fits 375 px', async () => {
    // A tenant with a backup running (its progress bar, a cancel button), else an idle one.
    const all = await targets(stack);
    const tenant = all.find((t) => t.typename === 'ObTenant' && t.lastStatus === 'RUNNING')?.id ?? (await idle('ObTenant'));
    const serious = (v: { impact: string | null }[]) => v.filter((x) => x.impact === 'serious' || x.impact === 'critical');
    const axeContext = await sandboxed(browser, outside, { bypassCSP: true });
    try {
      const { page, errors } = await newPage(axeContext);
      await page.goto(`${base}/?target=${encodeURIComponent(tenant)}`);
      await historyShown(page);
      await page.getByRole('button', { name: 'Start backup' }).waitFor({ timeout: 15_000 });
      await liveOn(page);
      expect(serious(await axeViolations(page))).toEqual([]);
      await page.getByRole('button', { name: 'Start backup' }).click();
      await page.getByRole('button', { name: 'Confirm start?' }).waitFor();
      expect(serious(await axeViolations(page))).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await axeContext.close();
    }

    const { page, errors } = await newPage(context, 375, 812);
    await page.goto(`${base}/?target=${encodeURIComponent(tenant)}`);
    await historyShown(page);
    await page.getByRole('button', { name: 'Start backup' }).click();
    await page.getByRole('button', { name: 'Confirm start?' }).waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    for (const button of await page.locator('.backup-actions button, .backup-actions select').all()) {
      const box = (await button.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(375);
    }
    await shoot(page, 'phone-actions');
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });

  it('no actions without the right to them: actions off, or a read key (the live stream still carries the key)', async () => {
    const sha = (key: string) => createHash('sha256').update(key).digest('hex');
    const READ = 'e2e-read-key-5b1d7c9e3a';
    const OPS = 'e2e-operate-key-8c2e4f6a1b';

    // Actions off: viewer.canOperate is false, and nothing shows.
    const off = await startStack({ clock, backupDurationMs: BACKUP_MS });
    try {
      expect(ok(await off.query<{ viewer: { canOperate: boolean } }>('{ viewer { canOperate } }')).viewer.canOperate).toBe(false);
      const offBase = (await off.gateway.listen(0, '127.0.0.1')).replace(/\/graphql$/, '');
      const { page, errors } = await newPage(context);
      const answered = viewerAnswered(page);
      await page.goto(`${offBase}/?target=${encodeURIComponent(await idle('DcsInstance', off))}`);
      await historyShown(page);
      await answered;
      await liveOn(page);
      expect(await page.locator('.backup-actions, .backup-actions button').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Start backup' }).count()).toBe(0);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await off.close();
    }

    // Actions on, with keys: a read key sees no actions; an operate key does.
    const keyed = await startStack({
      clock,
      backupDurationMs: BACKUP_MS,
      configure: (c) => ({
        ...c,
        actions: { enabled: true },
        auth: {
          apiKeys: [
            { name: 'viewer', sha256: sha(READ), role: 'read' },
            { name: 'ops', sha256: sha(OPS), role: 'operate' },
          ],
        },
      }),
    });
    try {
      const keyedBase = (await keyed.gateway.listen(0, '127.0.0.1')).replace(/\/graphql$/, '');
      const target = await idle('RdsInstance', withKey(keyed, OPS));
      const { page, errors } = await newPage(context);
      const streams: (string | undefined)[] = [];
      page.on('request', (r) => {
        if (r.headers().accept === 'text/event-stream') void r.allHeaders().then((h) => streams.push(h.authorization));
      });
      await page.goto(`${keyedBase}/?target=${encodeURIComponent(target)}`);
      await page.waitForSelector('#api-key', { timeout: 30_000 });
      let answered = viewerAnswered(page);
      await page.getByLabel('API key').fill(READ);
      await page.getByLabel('API key').press('Enter');
      await historyShown(page);
      await answered;
      await liveOn(page);
      expect(await page.locator('.backup-actions').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Start backup' }).count()).toBe(0);
      await expect.poll(() => streams.length).toBeGreaterThan(0);
      expect(streams.every((a) => a === `Bearer ${READ}`)).toBe(true);

      await page.click('button:text("Sign out")');
      await page.waitForSelector('#api-key', { timeout: 30_000 });
      answered = viewerAnswered(page);
      await page.getByLabel('API key').fill(OPS);
      await page.getByLabel('API key').press('Enter');
      await historyShown(page);
      await answered;
      await page.getByRole('button', { name: 'Start backup' }).waitFor({ timeout: 15_000 });
      await liveOn(page);
      expect(streams.at(-1)).toBe(`Bearer ${OPS}`);
      expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
      expect(outside).toEqual([]);
      await page.close();
    } finally {
      await keyed.close();
    }
  });
});

describe("the dashboard: a target's restorable window (timeline, log archive)", { timeout: 120_000 }, () => {
  let stack: Stack;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  const outside: string[] = [];
  const HOUR = 3_600_000;

  interface Named {
    provider: string;
    source: string;
    reasons: string[];
    target: { __typename: string; id: string; tenantName?: string; name?: string | null };
  }
  const NAMED = `{ backupCoverage(first: 100) { nodes { provider source reasons target { __typename
    ... on ObTenant { id tenantName } ... on DcsInstance { id name } ... on RdsInstance { id name } } } } }`;
  const WINDOW = `query ($id: ID!) { node(id: $id) { ... on DcsInstance { restorableWindow { from until derived } } } }`;
  /** A target of the demo fleet by its source and name, as the coverage list tells it. */
  const find = async (source: string, name: string): Promise<Named> => {
    const nodes = ok(await stack.query<{ backupCoverage: { nodes: Named[] } }>(NAMED)).backupCoverage.nodes;
    const hit = nodes.find((n) => n.source === source && (n.target.tenantName ?? n.target.name) === name);
    if (!hit) throw new Error(`no ${name} in ${source}`);
    return hit;
  };
  const tenantSim = (source: string, name: string) => {
    const tenant = stack.sims.fleet.oceanbase.find((c) => c.name === source)?.tenants.find((t) => t.row.tenant_name === name);
    if (!tenant) throw new Error(`no tenant ${name} in ${source}`);
    return tenant;
  };
  const rdsSim = (source: string, name: string) => {
    const instance = stack.sims.fleet.huawei.projects.find((p) => p.name === source)?.rds.find((i) => i.row.name === name);
    if (!instance) throw new Error(`no RDS ${name} in ${source}`);
    return instance;
  };
  const iso = (ms: number) => new Date(ms).toISOString();
  const open = async (page: Page, id: string) => {
    await page.goto(`${base}/?target=${encodeURIComponent(id)}`);
    await page.waitForSelector('.restorable', { timeout: 30_000 });
    // The fleet's coverage (the reasons) is in too.
    await page.waitForSelector('main[aria-busy="false"]', { timeout: 30_000 });
  };
  const times = (locator: ReturnType<Page['locator']>) => locator.locator('time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')));

  beforeAll(async () => {
    ({ stack, base, browser, context } = await startBrowserStack(outside));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('an RDS instance with a gap: two bars apart, both ranges as text with their times (reported by RDS), and how far back it can be restored', async () => {
    const expected = rdsRestoreWindowsAt(rdsSim('hw-cn-north-4', 'rds-orders-mysql'), FIXED_NOW);
    expect(expected).toHaveLength(2);
    const target = await find('hw-cn-north-4', 'rds-orders-mysql');
    const { page, errors } = await newPage(context);
    await open(page, target.target.id);
    const svg = page.locator('.restorable svg[role="img"]');
    const bars = svg.locator('.tl-range');
    await expect.poll(() => bars.count()).toBe(2);
    expect(await bars.evaluateAll((bs) => bs.map((b) => [b.getAttribute('data-from'), b.getAttribute('data-until'), b.getAttribute('data-derived')]))).toEqual(
      expected.map((w) => [iso(w.startMs), iso(w.endMs), 'false']),
    );
    // The gap is empty space between the bars; "now" is marked after the second.
    const [first, second] = [(await bars.nth(0).boundingBox())!, (await bars.nth(1).boundingBox())!];
    expect(first.x + first.width).toBeLessThan(second.x - 5);
    const nowLine = (await svg.locator('.tl-now').boundingBox())!;
    expect(nowLine.x).toBeGreaterThanOrEqual(second.x + second.width - 1);
    expect(await svg.getAttribute('aria-label')).toMatch(/2 ranges with 1 gap \(reported by RDS\); restorable until .*2026/);
    expect(await page.locator('.timeline-legend').innerText()).toContain('reported by RDS');
    expect(await page.locator('.timeline-legend').innerText()).not.toContain('derived by backupql');

    // The ranges as text, newest first, each with its exact times.
    const items = page.locator('.restorable .tl-list li');
    expect(await items.count()).toBe(2);
    for (const [i, w] of [...expected].reverse().entries()) {
      expect(await times(items.nth(i))).toEqual([iso(w.startMs), iso(w.endMs)]);
      const text = await items.nth(i).innerText();
      expect(text).toMatch(/^from .*2026.* until .*2026.* \(reported by RDS\)$/);
    }
    const until = page.locator('.restorable-until');
    expect(await times(until)).toEqual([iso(expected[1]!.endMs)]);
    expect(await until.innerText()).toMatch(/^Restorable until .*2026.* \([56] min ago\)$/);
    await shoot(page, 'restorable-rds-gap');

    // An instance whose window ends 3 h back: that is the latest point, and the lag is said in words.
    const lagging = await find('hw-cn-north-4', 'rds-users-mysql');
    expect(lagging.reasons).toContain('ARCHIVE_LAG');
    const [window] = rdsRestoreWindowsAt(rdsSim('hw-cn-north-4', 'rds-users-mysql'), FIXED_NOW).slice(-1);
    await open(page, lagging.target.id);
    await expect.poll(() => page.locator('.restorable .tl-range').count()).toBe(1);
    expect(await times(page.locator('.restorable-until'))).toEqual([iso(window!.endMs)]);
    expect(await page.locator('.restorable-until').innerText()).toMatch(/\(3 h ago\)$/);
    await expect.poll(() => page.locator('.target-reasons').innerText()).toContain('log archiving lags');
    expect(await page.locator('.restorable-reasons').innerText()).toBe('log archiving lags');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an OceanBase tenant whose archive lags: its status, checkpoint and delay, and the lag reason; a stopped archive is marked out', async () => {
    const archive = obArchiveAt(tenantSim('ob-hangzhou', 'billing'), FIXED_NOW)!;
    expect(archive.status).toBe('DOING');
    expect(archive.checkpointMs).toBe(FIXED_NOW - 3 * HOUR);
    const billing = await find('ob-hangzhou', 'billing');
    expect(billing.reasons).toContain('ARCHIVE_LAG');
    const { page, errors } = await newPage(context);
    await open(page, billing.target.id);
    const box = page.locator('.restorable .archive');
    await box.waitFor({ timeout: 30_000 });
    expect(await box.getAttribute('data-archive')).toBe('DOING');
    expect(await box.locator('.archive-status').innerText()).toBe('DOING');
    expect(await box.locator('.archive-status').getAttribute('class')).toContain('state-ok');
    expect(await box.innerText()).toContain('healthy');
    expect(await times(box.locator('.archive-checkpoint'))).toEqual([iso(archive.checkpointMs)]);
    expect(await box.locator('.archive-checkpoint').innerText()).toMatch(/2026.* \(3 h ago\)$/);
    expect(await box.locator('.archive-delay').innerText()).toBe('3 h');
    await expect.poll(() => page.locator('.restorable-reasons').innerText()).toBe('log archiving lags');
    await expect.poll(() => page.locator('.target-reasons').innerText()).toContain('log archiving lags');
    // The window runs to the checkpoint (derived by backupql).
    expect(await page.locator('.restorable .tl-range[data-derived="true"]').count()).toBe(1);
    expect(await times(page.locator('.restorable-until'))).toEqual([iso(archive.checkpointMs)]);
    expect(await page.locator('.timeline-legend').innerText()).toContain('derived by backupql');
    await shoot(page, 'restorable-ob-lag');

    // INTERRUPTED: no round runs (the API says STOP), marked out, with the reason in words.
    const orders = await find('ob-shanghai', 'orders');
    expect(obArchiveAt(tenantSim('ob-shanghai', 'orders'), FIXED_NOW)!.status).toBe('INTERRUPTED');
    expect(orders.reasons).toContain('ARCHIVE_STOPPED');
    await open(page, orders.target.id);
    await page.locator('.restorable .archive').waitFor({ timeout: 30_000 });
    const status = page.locator('.restorable .archive-status');
    expect(await status.innerText()).not.toBe('DOING');
    expect(await status.getAttribute('class')).toContain('state-failing');
    expect(await page.locator('.restorable .archive').innerText()).toContain('not archiving');
    await expect.poll(() => page.locator('.restorable-reasons').innerText()).toBe('log archiving stopped');

    // Never backed up (and the archive STOP): nothing to restore from.
    await open(page, (await find('ob-hangzhou', 'analytics')).target.id);
    await expect.poll(() => page.locator('.restorable-none').innerText()).toContain('Nothing to restore from');
    expect(await page.locator('.restorable .archive-status').innerText()).toBe('STOP');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a DCS instance: its restorable backups as tick marks (derived by backupql), no bars', async () => {
    const target = await find('hw-cn-north-4', 'dcs-geo');
    const window = ok(await stack.query<{ node: { restorableWindow: { from: string; until: string; derived: boolean }[] } }>(WINDOW, { id: target.target.id }))
      .node.restorableWindow;
    expect(window.length).toBeGreaterThan(0);
    expect(window.every((r) => r.from === r.until && r.derived)).toBe(true);
    const { page, errors } = await newPage(context);
    await open(page, target.target.id);
    const svg = page.locator('.restorable svg[role="img"]');
    await expect.poll(() => svg.locator('.tl-instant').count()).toBeGreaterThan(0);
    const start = Date.parse((await svg.getAttribute('data-start'))!);
    // The span is the data's, up to 30 days.
    expect(Number(await svg.getAttribute('data-days'))).toBe(30);
    const inView = window.filter((r) => Date.parse(r.from) >= start);
    expect(await svg.locator('.tl-instant[data-derived="true"]').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-at')))).toEqual(
      inView.map((r) => r.from),
    );
    expect(await svg.locator('.tl-range').count()).toBe(0);
    const legend = await page.locator('.timeline-legend').innerText();
    expect(legend).toContain('derived by backupql');
    expect(legend).not.toContain('reported by');
    // Every instant as text (the older ones too), newest first.
    expect(await page.locator('.restorable .tl-list li time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')))).toEqual(
      [...window].reverse().map((r) => r.from),
    );
    expect(await svg.getAttribute('aria-label')).toMatch(new RegExp(`${inView.length} restorable instants \\(derived by backupql\\)`));
    expect(await times(page.locator('.restorable-until'))).toEqual([window.at(-1)!.until]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('axe-core finds no serious or critical violation on target views with the timeline', async () => {
    const axeContext = await sandboxed(browser, outside, { bypassCSP: true });
    try {
      const { page, errors } = await newPage(axeContext);
      const serious = (v: { impact: string | null }[]) => v.filter((x) => x.impact === 'serious' || x.impact === 'critical');
      for (const [source, name] of [
        ['hw-cn-north-4', 'rds-orders-mysql'],
        ['ob-hangzhou', 'billing'],
        ['hw-cn-north-4', 'dcs-geo'],
      ] as const) {
        await open(page, (await find(source, name)).target.id);
        await page.waitForSelector('.restorable svg[role="img"]', { timeout: 30_000 });
        expect(serious(await axeViolations(page)), name).toEqual([]);
      }
      expect(errors).toEqual([]);
    } finally {
      await axeContext.close();
    }
  });

  it('at 375 px the timeline fits: the page does not scroll sideways', async () => {
    const { page, errors } = await newPage(context, 375, 812);
    for (const [source, name] of [
      ['hw-cn-north-4', 'rds-orders-mysql'],
      ['ob-hangzhou', 'billing'],
      ['hw-cn-north-4', 'dcs-geo'],
    ] as const) {
      await open(page, (await find(source, name)).target.id);
      const svg = page.locator('.restorable svg[role="img"]');
      await svg.waitFor({ timeout: 30_000 });
      expect(await page.evaluate<number>('document.documentElement.scrollWidth'), name).toBeLessThanOrEqual(375);
      const box = (await svg.boundingBox())!;
      expect(box.x + box.width, name).toBeLessThanOrEqual(375);
    }
    await shoot(page, 'restorable-phone');
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });
});

describe('the dashboard plugin (src/graphql/dashboard.ts)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });
  const get = (path: string, init: RequestInit = {}) => stack.gateway.yoga.fetch(`http://backupql.test${path}`, init);

  it('serves the page (not cached) and its hashed assets (cached for a year) with their types', async () => {
    if (!existsSync(join(DASHBOARD_DIR, 'index.html'))) throw new Error('run `npm run build:web` first');
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const style = /href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect(style).toBeDefined();
    const js = await get(script!);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await js.text()).length).toBeGreaterThan(1000);
    expect((await get(style!)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    const head = await get('/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('leaves every other route to yoga: /graphql, /health, /readiness', async () => {
    expect((await get('/health')).status).toBe(200);
    expect((await get('/readiness')).headers.get('content-type')).toContain('application/json');
    const answer = await get('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await answer.json()).toEqual({ data: { __typename: 'Query' }, extensions: expect.anything() });
    expect((await get('/elsewhere')).status).toBe(404);
    // A missing asset is the dashboard's own 404 page: the gateway's JSON error rewriting leaves pages alone.
    const missing = await get('/assets/missing-file.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('serves nothing outside the dist folder: .., encoded slashes, backslashes, NUL, dot files, links out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backupql-dist-'));
    try {
      await mkdir(join(dir, 'dist', 'assets'), { recursive: true });
      await writeFile(join(dir, 'dist', 'index.html'), '<!doctype html><title>t</title>');
      await writeFile(join(dir, 'dist', 'assets', 'app.js'), 'export {};');
      await writeFile(join(dir, 'dist', 'assets', '.hidden.js'), 'secret');
      await writeFile(join(dir, 'secret.txt'), 'secret');
      await symlink(join(dir, 'secret.txt'), join(dir, 'dist', 'assets', 'link.js'));
      const yoga = createYoga({ plugins: [useDashboard(join(dir, 'dist'))], logging: false });
      const at = (path: string) => yoga.fetch(`http://backupql.test${path}`);
      expect((await at('/assets/app.js')).status).toBe(200);
      for (const path of [
        '/assets/..%2fsecret.txt',
        '/assets/..%2F..%2Fsecret.txt',
        '/assets/%2e%2e%2fsecret.txt',
        '/assets/..%5csecret.txt',
        '/assets/app.js%00',
        '/assets/%00',
        '/assets/.hidden.js',
        '/assets/link.js',
        '/assets/sub/app.js',
        '/assets/%E0%A4%A',
        '/assets/missing.js',
      ]) {
        const res = await at(path);
        expect(res.status, path).toBe(404);
        expect(await res.text(), path).not.toContain('secret');
      }
      // `..` segments are resolved before the plugin sees the path: nothing of the folder above is served.
      const up = await at('/assets/../../secret.txt');
      expect(await up.text()).not.toContain('secret');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('without a build, `/` says how to make one (503, one line of HTML)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backupql-nodist-'));
    try {
      const yoga = createYoga({ plugins: [useDashboard(join(dir, 'missing'))], logging: false });
      const res = await yoga.fetch('http://backupql.test/');
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const body = await res.text();
      expect(body).toContain('npm run build:web');
      expect(body.trim().split('\n')).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the dashboard over the fleet snapshot', () => {
  let stack: Stack;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  const outside: string[] = [];
  const clock = new ManualClock(FIXED_NOW);

  beforeAll(async () => {
    ({ stack, base, browser, context } = await startBrowserStack(outside, {
      clock,
      configure: (c) => ({
        ...c,
        snapshot: { enabled: true, tickSeconds: 0.02, viewCacheMilliseconds: 0, responseCacheMilliseconds: 0 },
        sources: c.sources.map((s) => ({ ...s, retry: { maxRetries: 0 } })),
      }),
    }));
    await stack.gateway.snapshot!.whenComplete();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('says how fresh the answer is, and marks the targets shown in their last known state when their source went away', async () => {
    const cluster = stack.sims.fleet.oceanbase[0]!;
    stack.sims.obshell[0]!.server.addFault({ kind: 'status', status: 503 });
    try {
      clock.advance(61_000);
      const staleOf = async () =>
        // (partial once the cluster fails: its error is in `errors`)
        (await stack.query<{ backupCoverage: { nodes: { stale: boolean; source: string }[] } }>('{ backupCoverage(first: 100) { nodes { stale source } } }'))
          .data!.backupCoverage.nodes;
      const tenants = (await staleOf()).filter((n) => n.source === cluster.name).length;
      expect(tenants).toBeGreaterThan(0);
      await expect.poll(async () => (await staleOf()).filter((n) => n.stale).length, { timeout: 20_000 }).toBe(tenants);

      const { page, errors } = await newPage(context);
      await page.goto(`${base}/`);
      await fleetLoaded(page);
      // The oldest read is the stale cluster's, 61 s before the API's "now".
      expect(await page.locator('[data-as-of]').getAttribute('data-as-of')).toBe(new Date(FIXED_NOW).toISOString());
      expect(await page.locator('[data-as-of]').innerText()).toBe('Read upstream 1 min ago at the oldest.');
      expect(await page.locator('.coverage-table .stale-mark').count()).toBe(tenants);
      expect(errors).toEqual([]);
    } finally {
      stack.clearFaults();
    }
  });
});
