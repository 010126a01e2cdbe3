// Every page of the console, as each kind of user sees it in Chinese, shows no raw code (AGE_UNDER_60,
// INCOMPLETE_DATA…), no English sentence and no file name: what a person reads is Chinese, with the
// technical names a Chinese government user also writes in Latin letters (RFC, JSON, XLSX…) allowed.
// In English, no Chinese and no full-width punctuation is left, except in names registered without an
// English one (a resource and its items, a person, a firm, what a department wrote in its own words).
// Walks the menu of each user after an evaluation and a few exchanges have happened, so tables are full.
// Needs web/dist built.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { muJunComputations } from '../../../src/demo/computations/mujun';
import { servicesComputations } from '../../../src/demo/computations/services';
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

/**
 * What a person must not read on an English page: Chinese characters or full-width punctuation outside
 * `names` (registered without an English name), the brand 互通 and the language switch's 中文.
 */
export function englishProblems(text: string, names: readonly string[]): string[] {
  let rest = text;
  for (const name of [...names, '亩均论英雄', '中文', '互通', '互'].sort((a, b) => b.length - a.length)) {
    rest = rest.split(name).join(' ');
  }
  return rest
    .split('\n')
    .filter((line) => /\p{Script=Han}|[：（），。；、]/u.test(line))
    .map((line) => `Chinese "${line.trim().slice(0, 80)}"`);
}

/** Chinese text found in `value` under the keys that hold names or a department's own words. */
function chineseStrings(value: unknown, keys: RegExp, found: Set<string>): Set<string> {
  if (Array.isArray(value)) {
    for (const element of value) chineseStrings(element, keys, found);
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (typeof inner === 'string' && keys.test(key) && /\p{Script=Han}/u.test(inner)) found.add(inner);
      else chineseStrings(inner, keys, found);
    }
  }
  return found;
}

/**
 * The names the city registered with no English one: departments without one, people, resources and their
 * items, computations, firms; and what departments wrote in their own words (purposes, legal bases,
 * reasons, a resource's summary and conditions). Read from the hub as the operator and the auditor see it.
 */
async function registeredChineseNames(city: TestCity): Promise<string[]> {
  const get = async (path: string, user: string) =>
    (await (
      await fetch(`${city.url}${path}`, { headers: { authorization: `Bearer ${city.credentials.tokens[user]}` } })
    ).json()) as unknown;
  const found = new Set<string>();
  const members = (await get('/api/v1/members', 'dashuju')) as {
    items: { name: string; nameEn: string | null; contact: { person: string } }[];
  };
  for (const member of members.items) {
    if (!member.nameEn) found.add(member.name);
    found.add(member.contact.person);
  }
  chineseStrings(
    await get('/api/v1/catalog/resources?pageSize=200', 'dashuju'),
    /^(name|title|description|summary|sharingConditions|legalBasis)$/,
    found,
  );
  chineseStrings(
    await get('/api/v1/agreements?pageSize=200', 'shenji'),
    /^(purpose|legalBasis|reason|comment|resourceName)$/,
    found,
  );
  chineseStrings([...muJunComputations, ...servicesComputations], /^(title|outputTitle)$/, found);
  // Firms are registered under their Chinese names only.
  const evaluations = (await get('/apps/evaluation/v1/evaluations', 'jingxin')) as { items: { id: string }[] };
  for (const { id } of evaluations.items) {
    for (let page = 1; ; page++) {
      const firms = (await get(
        `/apps/evaluation/v1/evaluations/${id}/enterprises?pageSize=500&page=${page}`,
        'jingxin',
      )) as { items: { name: string }[]; total: number };
      for (const firm of firms.items) found.add(firm.name);
      if (page * 500 >= firms.total) break;
    }
  }
  return [...found];
}

async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page
    .locator('.ant-spin-spinning')
    .first()
    .waitFor({ state: 'detached', timeout: 5_000 })
    .catch(() => undefined);
}

describe.skipIf(!browserTestsEnabled())(
  'the console speaks the reader’s language (browser)',
  { timeout: 300_000 },
  () => {
    let city: TestCity;
    let names: string[] = [];
    // Each page once per language, as the first of the users below who has it (their menus overlap).
    const scanned = { zh: new Set<string>(), en: new Set<string>() };

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
      names = await registeredChineseNames(city);
      return city;
    }, 180_000);

    async function everyPage(user: string, lang: 'zh' | 'en'): Promise<string[]> {
      const page = await newConsolePage(session.browser);
      await loginAs(page, city.url, user);
      if (lang === 'en') {
        await page.evaluate(() => localStorage.setItem('hutong.lang', 'en'));
        await page.reload();
        await page.getByTestId('current-member').waitFor();
      }
      const problemsOf = (text: string) => (lang === 'zh' ? languageProblems(text) : englishProblems(text, names));
      const labels = await page.locator('.ant-menu-item').allInnerTexts();
      const problems: string[] = [];
      const content = page.locator('.ant-layout-content').first();
      // What a person sees; hidden text is not read. In English the frame (menu, header) is read too.
      const frame = lang === 'zh' ? content : page.locator('.ant-layout').first();
      // biome-ignore lint/performance/useDomNodeTextContent: what a person sees; hidden text is not read.
      const contentText = () => content.innerText();
      // biome-ignore lint/performance/useDomNodeTextContent: as above.
      const visibleText = () => frame.innerText();
      // Names and labels some pages translate after a second request (a methodology's English names) have
      // a few seconds to arrive: what is still wrong then is reported.
      const problemsNow = async () => {
        let found = problemsOf(await visibleText());
        for (let i = 0; i < 10 && found.length > 0; i++) {
          await page.waitForTimeout(500);
          found = problemsOf(await visibleText());
        }
        return found;
      };
      let previous = await contentText();
      for (const label of labels) {
        // Pages whose content depends on who looks (the evaluation, one's own node) are read for everyone.
        if (scanned[lang].has(label) && !PER_USER.has(label.trim())) continue;
        scanned[lang].add(label);
        const item = page.locator('.ant-menu-item', { hasText: label }).first();
        // The page the login landed on is read as it is.
        if (!(await item.getAttribute('class'))?.includes('ant-menu-item-selected')) {
          const before = new URL(page.url()).pathname;
          await item.click();
          await page.waitForURL((url) => url.pathname !== before).catch(() => undefined);
          // The new page has replaced the old one (lazy pages render after their chunk loads), then settled.
          await expect.poll(contentText, { timeout: 15_000 }).not.toBe(previous);
        }
        await settled(page);
        for (const problem of await problemsNow()) problems.push(`${label.trim()}: ${problem}`);
        // Every tab of the page too (亩均: 排名, 不参评, 政策清单…).
        const tabs = await page.locator('.ant-tabs-tab:not(.ant-tabs-tab-active)').allInnerTexts();
        for (const tab of tabs) {
          await page.locator('.ant-tabs-tab', { hasText: tab }).first().click();
          await settled(page);
          for (const problem of await problemsNow()) problems.push(`${label.trim()} · ${tab}: ${problem}`);
        }
        previous = await contentText();
      }
      await page.context().close();
      return [...new Set(problems)];
    }

    /** A page's problems in `lang` once what it loads has arrived (as `everyPage` reads them). */
    async function problemsOn(page: Page, lang: 'zh' | 'en', what: Locator): Promise<string[]> {
      const problemsOf = (text: string) => (lang === 'zh' ? languageProblems(text) : englishProblems(text, names));
      await settled(page);
      // biome-ignore lint/performance/useDomNodeTextContent: what a person sees; hidden text is not read.
      const read = async () => problemsOf(await what.innerText());
      let found = await read();
      for (let i = 0; i < 10 && found.length > 0; i++) {
        await page.waitForTimeout(500);
        found = await read();
      }
      return found;
    }

    async function pageIn(lang: 'zh' | 'en'): Promise<Page> {
      const page = await newConsolePage(session.browser);
      await page.addInitScript((stored) => localStorage.setItem('hutong.lang', stored), lang === 'en' ? 'en' : 'zh-CN');
      return page;
    }

    it.each(['zh', 'en'] as const)('public pages, detail pages and drawers in %s', async (lang) => {
      const problems: string[] = [];
      const body = (page: Page) => page.locator('body');
      // What a resident meets without an account.
      const visitor = await pageIn(lang);
      for (const path of ['/login', '/self-service', '/my-data']) {
        await visitor.goto(`${city.url}${path}`);
        await visitor.locator('.ant-form, .ant-card').first().waitFor();
        for (const problem of await problemsOn(visitor, lang, body(visitor))) problems.push(`${path}: ${problem}`);
      }
      await visitor.context().close();

      // An auditor's view of a resource, an agreement and a ledger entry.
      const auditor = await pageIn(lang);
      await loginAs(auditor, city.url, 'shenji', undefined, lang);
      await auditor.goto(`${city.url}/catalog/gongan.household`);
      await auditor.locator('.ant-descriptions').first().waitFor();
      for (const problem of await problemsOn(auditor, lang, body(auditor))) problems.push(`resource: ${problem}`);
      await auditor.goto(`${city.url}/agreements`);
      await auditor.getByTestId('agreements-table').locator('tbody tr.ant-table-row a').first().click();
      const agreement = auditor.locator('.agreement-drawer');
      await agreement.locator('.ant-descriptions').first().waitFor();
      for (const problem of await problemsOn(auditor, lang, agreement)) problems.push(`agreement: ${problem}`);
      await auditor.goto(`${city.url}/ledger`);
      await auditor.getByTestId('entries-table').locator('tbody tr.ant-table-row').first().click();
      const entry = auditor.getByTestId('entry-detail');
      await entry.getByTestId('entry-facts').waitFor();
      for (const problem of await problemsOn(auditor, lang, entry)) problems.push(`ledger entry: ${problem}`);
      await auditor.context().close();

      // An enterprise's page in the evaluation.
      const owner = await pageIn(lang);
      await loginAs(owner, city.url, 'jingxin', undefined, lang);
      const token = city.credentials.tokens.jingxin as string;
      const get = async (path: string) =>
        (await (await fetch(`${city.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
          items: { id: string; uscc: string }[];
        };
      const [evaluation] = (await get('/apps/evaluation/v1/evaluations')).items;
      const [firm] = (await get(`/apps/evaluation/v1/evaluations/${evaluation?.id}/enterprises?graded=true`)).items;
      await owner.goto(`${city.url}/evaluation/${evaluation?.id}/${firm?.uscc}`);
      await owner.getByTestId('indicator-table').waitFor();
      for (const problem of await problemsOn(owner, lang, body(owner))) problems.push(`enterprise: ${problem}`);
      await owner.context().close();

      expect([...new Set(problems)]).toEqual([]);
    });

    const users = ['shuiwu', 'jingxin', 'zhengwu', 'shenji', 'dashuju'];
    it.each(users)('every page %s sees in Chinese', async (user) => {
      expect(await everyPage(user, 'zh')).toEqual([]);
    });
    it.each(users)('every page %s sees in English', async (user) => {
      expect(await everyPage(user, 'en')).toEqual([]);
    });
  },
);
