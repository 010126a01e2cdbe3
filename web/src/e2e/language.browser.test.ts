// Every page of the console, as each kind of user sees it in Chinese, shows no raw code (AGE_UNDER_60,
// INCOMPLETE_DATA…), no English sentence and no file name: what a person reads is Chinese, with the
// technical names a Chinese government user also writes in Latin letters (RFC, JSON, XLSX…) allowed.
// Walks the menu of each user after an evaluation and a few exchanges have happened, so tables are full.
// Needs web/dist built.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startTestCity, type TestCity } from '../../../src/testing/test-city';
import { browserSession, browserTestsEnabled, loginAs, newConsolePage } from '../../test/browser';

/** Latin-letter words a Chinese console legitimately shows: standards, formats, units, brand names. */
const ALLOWED_WORDS = new Set([
  'JSON',
  'XLSX',
  'HTTP',
  'HTTPS',
  'OpenAPI',
  'C2SP',
  'SHA-256',
  'Ed25519',
  'RFC',
  'CSV',
  'API',
  'SLA',
  'URL',
]);

const PER_USER = new Set(['亩均论英雄', '本单位前置机']);

/** What a person must not read on a Chinese page. */
export function languageProblems(text: string): string[] {
  const problems: string[] = [];
  // Not inside an identifier a person does use (协议编号 GX-20261027-VDHVJX, 证照编号).
  for (const [token] of text.matchAll(/(?<![-\w])[A-Z][A-Z_]{3,}\b/g)) {
    if (!ALLOWED_WORDS.has(token)) problems.push(`code ${token}`);
  }
  for (const [sentence] of text.matchAll(/\b[A-Za-z][a-z]+(?:[ ,-]+[A-Za-z][a-z]+){3,}/g)) {
    problems.push(`English "${sentence}"`);
  }
  for (const [file] of text.matchAll(/[\w/*-]+\.(?:ya?ml|json|md|ts|tsx|csv|sqlite)\b/g)) {
    problems.push(`file ${file}`);
  }
  return problems;
}

async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page
    .locator('.ant-spin-spinning')
    .first()
    .waitFor({ state: 'detached', timeout: 5_000 })
    .catch(() => undefined);
}

describe.skipIf(!browserTestsEnabled())('the console speaks Chinese (browser)', { timeout: 300_000 }, () => {
  let city: TestCity;
  // Each page once, as the first of the users below who has it (their menus overlap).
  const scanned = new Set<string>();

  const session = browserSession(async () => {
    city = await startTestCity();
    // An evaluation and the login checks leave results, exclusions and ledger entries on the pages.
    const token = city.credentials.tokens.jingxin as string;
    const started = await fetch(`${city.url}/apps/evaluation/v1/evaluations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ year: 2025 }),
    });
    const { id } = (await started.json()) as { id: string };
    for (let i = 0; i < 120; i++) {
      const run = await fetch(`${city.url}/apps/evaluation/v1/evaluations/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (((await run.json()) as { status: string }).status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return city;
  }, 180_000);

  it.each(['shuiwu', 'jingxin', 'zhengwu', 'shenji', 'dashuju'])('every page %s sees', async (user) => {
    const page = await newConsolePage(session.browser);
    await loginAs(page, city.url, user);
    const labels = await page.locator('.ant-menu-item').allInnerTexts();
    const problems: string[] = [];
    const content = page.locator('.ant-layout-content').first();
    // biome-ignore lint/performance/useDomNodeTextContent: what a person sees; hidden text is not read.
    const visibleText = () => content.innerText();
    let previous = await visibleText();
    for (const label of labels) {
      // Pages whose content depends on who looks (the evaluation, one's own node) are read for everyone.
      if (scanned.has(label) && !PER_USER.has(label.trim())) continue;
      scanned.add(label);
      const before = new URL(page.url()).pathname;
      await page.locator('.ant-menu-item', { hasText: label }).first().click();
      await page.waitForURL((url) => url.pathname !== before).catch(() => undefined);
      // The new page has replaced the old one (lazy pages render after their chunk loads), then settled.
      await expect.poll(visibleText, { timeout: 15_000 }).not.toBe(previous);
      await settled(page);
      const text = await visibleText();
      previous = text;
      for (const problem of languageProblems(text)) problems.push(`${label.trim()}: ${problem}`);
      // Every tab of the page too (亩均: 排名, 不参评, 政策清单…).
      const tabs = await page.locator('.ant-tabs-tab:not(.ant-tabs-tab-active)').allInnerTexts();
      for (const tab of tabs) {
        await page.locator('.ant-tabs-tab', { hasText: tab }).first().click();
        await settled(page);
        for (const problem of languageProblems(await visibleText()))
          problems.push(`${label.trim()} · ${tab}: ${problem}`);
      }
      previous = await visibleText();
    }
    expect([...new Set(problems)]).toEqual([]);
    await page.context().close();
  });
});
