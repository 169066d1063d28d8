// What the browser tests share: Chromium and the screenshots' folder; for the console's, the
// demo province behind the build, signing in through the login form and moving through the side menu.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { build as buildApi } from '@yiduan/api';
import { createTestDeps, seedDemo, type TestDeps } from '@yiduan/testkit';
import { startWorker } from '@yiduan/worker';
import { build as buildConsole, ensureBuilt, OPERATIONS_MANIFEST } from '../../services/console/src/index.js';

export const CHROMIUM = '/usr/bin/chromium';

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** Debian's Chromium, headless, as every browser test here runs it; closed at the test's end. */
export async function launchChromium(t: Teardown): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  t.teardown(() => browser.close());
  return browser;
}

/**
 * Puts a built API behind the console on free ports (with a worker draining the outbox when
 * asked) and gives the console's address; everything closes at the test's end.
 */
export async function serveConsole(
  t: Teardown,
  deps: TestDeps,
  api: FastifyInstance,
  opts: { worker?: boolean } = {},
): Promise<string> {
  t.teardown(() => api.close());
  await api.listen({ port: 0, host: '127.0.0.1' });
  const apiPort = (api.server.address() as { port: number }).port;
  if (opts.worker) {
    const worker = await startWorker({
      ...deps,
      listenUrl: deps.tdb.appUrl,
      log: api.log,
      consumer: { pollIntervalMs: 200, backoff: () => 0 },
    });
    t.teardown(() => worker.stop());
  }
  const app = await buildConsole(deps, { apiUrl: `http://127.0.0.1:${apiPort}`, portalUrl: 'http://{host}:3000' });
  t.teardown(() => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}

/** Where the browser tests keep their screenshots. */
export const SHOTS = new URL('./screenshots/', import.meta.url).pathname;

/**
 * The demo province behind this console build, as in production: an API that answers only the
 * build's persisted operations (the console is built first when its sources changed).
 */
export async function demoConsole(
  t: Teardown & { comment(msg: string): void },
): Promise<{ deps: TestDeps; base: string }> {
  mkdirSync(SHOTS, { recursive: true });
  await ensureBuilt({ log: (m) => t.comment(m) });
  const deps = await createTestDeps(t, { GRAPHQL_PERSISTED_ONLY: 'true', GRAPHQL_OPERATIONS: OPERATIONS_MANIFEST });
  await seedDemo(deps.db);
  return { deps, base: await serveConsole(t, deps, await buildApi(deps)) };
}

export const DEMO_PASSWORD = 'Demo2026!yiduan';

/** Fills the console's login form and waits until the shell shows the viewer's role. */
export async function signIn(page: Page, login: string, password = DEMO_PASSWORD): Promise<void> {
  await page.locator('#login').fill(login);
  await page.locator('#password').fill(password);
  await page.locator('button[type=submit]').click();
  await page.locator('[data-testid=current-role]').waitFor();
}

/**
 * Opens a screen from the side menu. The menu is taller than the window and its submenus
 * animate: on a busy machine a pointer click can land while an item is still moving, so fall
 * back to a DOM click on the same item (the menu's own handler navigates either way).
 */
export async function nav(page: Page, path: string): Promise<void> {
  const item = page.locator(`[data-nav="${path}"]`);
  await item.scrollIntoViewIfNeeded();
  await item.click({ timeout: 5_000 }).catch(() => item.evaluate((el) => (el as HTMLElement).click()));
  await page.waitForURL(`**${path}`);
}

export interface ConsoleSession {
  /** A page of its own browser context (Chinese, Beijing time, downloads accepted), signed in as `login`. */
  open(login: string): Promise<Page>;
  /** Page errors and console errors seen on every page opened, as `login: message`. */
  problems: string[];
  /** For a waitFor's catch: screenshots `<prefix>-<name>-failed.tmp.png`, then rethrows. */
  fail(page: Page, name: string): (err: unknown) => Promise<never>;
}

/** What the console's browser tests repeat: a signed-in page per viewer, its errors collected, a screenshot on failure. */
export function consoleSession(
  browser: Browser,
  base: string,
  opts: { shots: string; prefix: string; height?: number },
): ConsoleSession {
  const problems: string[] = [];
  return {
    problems,
    async open(login) {
      const context = await browser.newContext({
        viewport: { width: 1440, height: opts.height ?? 900 },
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        acceptDownloads: true,
      });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      page.on('pageerror', (e) => problems.push(`${login}: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`${login}: ${m.text()}`);
      });
      await page.goto(`${base}/stories`);
      await signIn(page, login);
      return page;
    },
    fail: (page, name) => async (err) => {
      await page.screenshot({ path: `${opts.shots}${opts.prefix}-${name}-failed.tmp.png` });
      throw err;
    },
  };
}
