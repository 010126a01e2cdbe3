// Launches the system Chromium for the browser tests (browsers cannot be downloaded here).
// Missing Chromium skips the tests locally but fails them in CI.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const CHROMIUM_PATH = process.env.HUTONG_CHROMIUM ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser | null> {
  if (!existsSync(CHROMIUM_PATH)) {
    if (process.env.CI === 'true') throw new Error(`browser tests: ${CHROMIUM_PATH} not found (required in CI)`);
    console.warn(`browser tests skipped: ${CHROMIUM_PATH} not found`);
    return null;
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
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

/** For `describe.skipIf`: false (with the skip notice) when Chromium is missing locally; throws in CI. */
export function browserTestsEnabled(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') throw new Error(`browser tests: ${CHROMIUM_PATH} not found (required in CI)`);
  console.warn(`browser tests skipped: ${CHROMIUM_PATH} not found`);
  return false;
}

/** The hub serves web/dist; without a build the tests would only see the hub's fallback page. */
export function assertWebBuilt(): void {
  const index = fileURLToPath(new URL('../dist/index.html', import.meta.url));
  if (!existsSync(index)) {
    throw new Error('web/dist is missing: run `npx vite build --config web/vite.config.ts` first');
  }
}

/** A fresh page as a person in Qinghe would see it: Chinese, China time, a desktop screen. */
export async function newConsolePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  return context.newPage();
}

const SIGN_IN_EN = 'Sign in';

/** Logs into the console at `baseUrl` as a demo user and waits until the member is shown. */
export async function loginAs(
  page: Page,
  baseUrl: string,
  username: string,
  password = 'qinghe-demo-2026',
  lang: 'zh' | 'en' = 'zh',
): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: lang === 'en' ? SIGN_IN_EN : '登录', exact: true }).click();
  await page.getByTestId('current-member').waitFor();
}

/**
 * Before the tests: checks the console is built, starts what they drive (`start`: a city or a hub, with
 * any setup of its own) and Chromium; after them, closes both. The browser is read once the tests run.
 */
export function browserSession<Target extends { close(): Promise<void> }>(
  start: () => Promise<Target>,
  setupTimeoutMs = 90_000,
): { readonly browser: Browser } {
  let browser: Browser | undefined;
  let target: Target | undefined;
  beforeAll(async () => {
    assertWebBuilt();
    target = await start();
    const launched = await launchBrowser();
    if (!launched) throw new Error('unreachable: Chromium availability was checked');
    browser = launched;
  }, setupTimeoutMs);
  afterAll(async () => {
    await browser?.close();
    await target?.close();
  });
  return {
    get browser(): Browser {
      if (!browser) throw new Error('the browser is started before the tests');
      return browser;
    },
  };
}
