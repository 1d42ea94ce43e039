/**
 * What a new user sees: GraphiQL in a real browser (Debian's chromium, driven by playwright-core),
 * with every request outside loopback blocked, running the example operations it opens with.
 * `.ci/run` installs chromium; BACKUPQL_CHROMIUM points elsewhere if needed.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

const CHROMIUM = process.env.BACKUPQL_CHROMIUM ?? '/usr/bin/chromium';

describe('GraphiQL in a browser', { timeout: 90_000 }, () => {
  let stack: Stack;
  let url: string;
  let browser: BrowserContext;
  const outside: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set BACKUPQL_CHROMIUM`);
    stack = await startStack();
    url = await stack.gateway.listen(0, '127.0.0.1');
    browser = await chromium.launchPersistentContext(await mkdtemp(join(tmpdir(), 'backupql-chromium-')), {
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
    await browser.route('**/*', (route) => {
      const target = new URL(route.request().url());
      if (target.protocol === 'data:' || target.protocol === 'blob:' || target.hostname === '127.0.0.1' || target.hostname === 'localhost') {
        return route.continue();
      }
      outside.push(target.href);
      return route.abort();
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('opens with the example operations and answers them, loading nothing from outside', async () => {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const consoleErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    const posted = (name: string) => (res: { url(): string; request(): { method(): string; postData(): string | null } }) =>
      res.url().startsWith(url) && res.request().method() === 'POST' && (res.request().postData() ?? '').includes(name);
    // GraphiQL fetches the schema first (for completion and the docs pane).
    const introspected = page.waitForResponse(posted('__schema'), { timeout: 30_000 });
    await page.goto(url);
    await page.waitForSelector('.graphiql-container', { timeout: 30_000 });
    await introspected;
    await expect.poll(() => page.locator('.graphiql-tab').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(5);

    // Runs the open tab with GraphiQL's execute button; returns the answer GraphiQL received.
    const run = async (operation: string) => {
      await expect.poll(() => page.locator('.graphiql-query-editor').innerText(), { timeout: 10_000 }).toContain(operation);
      const answered = page.waitForResponse(posted(operation), { timeout: 30_000 });
      // A click that lands while GraphiQL is still re-mounting the editor of a tab it just opened
      // runs nothing (seen about one time in four): click until the request leaves, and only while
      // the button says "Execute" (once a request runs it says "Stop", and a click would cancel it).
      const button = page.locator('.graphiql-execute-button');
      await expect
        .poll(
          async () => {
            if (!/^Execute/.test((await button.getAttribute('aria-label')) ?? '')) return true;
            const sent = page.waitForRequest((req) => req.method() === 'POST' && (req.postData() ?? '').includes(operation), { timeout: 2_000 });
            await button.click();
            return sent.then(
              () => true,
              () => false,
            );
          },
          { timeout: 20_000, interval: 50 },
        )
        .toBe(true);
      return (await (await answered).json()) as { data?: Record<string, { nodes?: { __typename: string }[] }>; errors?: unknown[] };
    };
    const result = page.locator('.graphiql-response');

    // A DOM click: the tab strip is a drag-to-reorder list that takes pointer clicks as drags.
    const open = async (operation: string) => {
      await page.locator(`.graphiql-tab-button[title="${operation}"]`).dispatchEvent('click');
      await expect.poll(() => page.locator('.graphiql-tab-active').innerText(), { timeout: 10_000 }).toContain(operation);
    };

    // The first tab: what is not protected.
    const unprotected = await run('NotProtected');
    expect(unprotected.errors).toBeUndefined();
    expect(unprotected.data!.backupCoverage!.nodes!.length).toBeGreaterThan(0);
    await expect.poll(async () => (await result.innerText()).includes('"backupCoverage"'), { timeout: 30_000 }).toBe(true);

    // Failed since yesterday: the tab's `since` comes from the stack's clock, like the fleet.
    await open('FailedSinceYesterday');
    const failed = await run('FailedSinceYesterday');
    expect(failed.errors).toBeUndefined();
    expect(failed.data!.backupTasks!.nodes!.length).toBeGreaterThan(0);
    await expect.poll(async () => (await result.innerText()).includes('"backupTasks"'), { timeout: 30_000 }).toBe(true);

    // The fleet overview, every kind of instance.
    await open('FleetOverview');
    const overview = await run('FleetOverview');
    expect(overview.errors).toBeUndefined();
    expect(new Set(overview.data!.instances!.nodes!.map((n) => n.__typename))).toEqual(new Set(['ObCluster', 'DcsInstance', 'RdsInstance']));

    expect(outside).toEqual([]);
    expect(consoleErrors.filter((e) => !/favicon/i.test(e))).toEqual([]);
  });
});
