// End-to-end test of 亩均论英雄 in headless Chromium against the whole demo city: 经信局 runs the 2025
// evaluation from the console, sees the class charts and the ranking table, filters it, opens an
// enterprise with its indicators against the benchmarks and the source of each figure (department, ledger
// entry); the 税务局's data officer sees only its own figure of that enterprise and disputes it; the English
// switch works. Needs web/dist built.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startTestCity, type TestCity } from '../../../src/testing/test-city';
import { browserSession, browserTestsEnabled, loginAs, newConsolePage } from '../../test/browser';

describe.skipIf(!browserTestsEnabled())('亩均论英雄 console (browser)', { timeout: 120_000 }, () => {
  let city: TestCity;
  let evaluationUrl = '';
  let enterpriseUrl = '';

  const session = browserSession(async () => {
    city = await startTestCity();
    return city;
  }, 120_000);

  const newPage = (): Promise<Page> => newConsolePage(session.browser);

  it('经信局 runs the evaluation, sees charts and the ranking, and opens an enterprise', async () => {
    const page = await newPage();
    await loginAs(page, city.url, 'jingxin');
    await page.getByRole('menuitem', { name: /亩均论英雄/ }).click();
    await page.waitForURL(/\/evaluation/);
    await page.getByTestId('eval-run').click();
    await page.getByRole('button', { name: '开始评价' }).click();
    // The run goes to the departments' nodes and back: a few seconds for the small city.
    await page.getByTestId('eval-done').waitFor({ timeout: 90_000 });
    evaluationUrl = page.url();
    for (const chart of ['chart-group', 'chart-district', 'chart-industry']) {
      const canvas = page.getByTestId(chart).locator('canvas');
      await canvas.waitFor();
      expect(await canvas.count()).toBeGreaterThan(0);
    }
    const ranking = page.getByTestId('ranking');
    await ranking.locator('tbody tr').first().waitFor();
    expect(await ranking.locator('tbody tr').count()).toBe(20);
    await page.screenshot({ path: '/tmp/hutong-evaluation.png', fullPage: true });

    // The headline's 不参评 is the count the 不参评企业 tab lists, and its reasons are named, not coded.
    const headline = Number(
      (await page.getByTestId('headline-not-graded').locator('.ant-statistic-content').textContent())?.replace(
        /\D/g,
        '',
      ),
    );
    await page.getByRole('tab', { name: '不参评企业' }).click();
    const excluded = page.getByTestId('excluded');
    await excluded.locator('tbody tr').first().waitFor();
    expect(await excluded.locator('.ant-pagination-total-text').textContent()).toContain(String(headline));
    expect(await excluded.textContent()).not.toMatch(/INCOMPLETE_DATA|OUT_OF_SCOPE|NO_INDUSTRIAL_LAND/);
    await page
      .getByRole('tab', { name: /排名|参评企业/ })
      .first()
      .click();

    // Filter: class D of 规上.
    await page.getByTestId('filter-class').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'D 整治淘汰' }).click();
    await ranking.locator('[data-testid="class-tag"][data-class="D"]').first().waitFor();
    const classes = await ranking
      .locator('tbody [data-testid="class-tag"]')
      .evaluateAll((tags) =>
        tags.filter((t) => !(t.textContent ?? '').match(/^[ABCD]$/)).map((t) => t.getAttribute('data-class')),
      );
    expect(classes.length).toBeGreaterThan(0);
    expect(new Set(classes)).toEqual(new Set(['D']));

    // Open the first D firm: indicators against the benchmarks, figures with their departments.
    await ranking.getByTestId('enterprise-link').first().click();
    await page.getByTestId('enterprise-page').waitFor();
    enterpriseUrl = page.url();
    await page.getByTestId('indicator-chart').locator('canvas').waitFor();
    await page.getByTestId('indicator-table').locator('tbody tr').first().waitFor();
    await page
      .getByTestId('policies')
      .getByText(/差别化电价加价/)
      .waitFor();
    const figures = page.getByTestId('figure-table');
    await figures.getByText('税务局').waitFor();
    await figures.getByText('实缴税收').waitFor();
    // Each figure links to the ledger entry of its exchange (once the hub has logged it).
    const entry = figures.getByTestId('ledger-entry').first();
    for (let i = 0; i < 20 && (await entry.count()) === 0; i++) {
      await page.waitForTimeout(500);
      await page.reload();
      await page.getByTestId('enterprise-page').waitFor();
    }
    await entry.click();
    const detail = page.getByTestId('ledger-entry-detail');
    await detail.waitFor();
    expect(await detail.textContent()).toContain('亩均论英雄：工业企业亩均效益综合评价');
    await page.screenshot({ path: '/tmp/hutong-evaluation-enterprise.png', fullPage: true });
    await page.close();
  });

  it('the supplying department sees only its own figure and disputes it; English works', async () => {
    const page = await newPage();
    await loginAs(page, city.url, 'shuiwu');
    await page.goto(enterpriseUrl);
    await page.getByTestId('enterprise-page').waitFor();
    const figures = page.getByTestId('figure-table');
    await figures.getByText('实缴税收').waitFor();
    expect(await figures.getByText('非本部门数据').count()).toBeGreaterThan(0);
    await page.getByTestId('dispute-tax').click();
    await page.getByTestId('dispute-reason').fill('2025 年度补缴税款未计入，已在本局前置机更正');
    await page.getByRole('button', { name: /确\s*定|OK/ }).click();
    await figures.getByTestId('disputed').waitFor();
    // Language switch: the page follows.
    await page.getByTestId('lang-switch').getByText('EN').click();
    await figures.getByText('Tax paid').waitFor();
    await page.close();

    // 经信局 sees the objection in the evaluation.
    const owner = await newPage();
    await loginAs(owner, city.url, 'jingxin');
    await owner.goto(evaluationUrl);
    await owner.getByTestId('eval-done').waitFor();
    await owner.getByRole('tab', { name: '数据异议' }).click();
    await owner.getByTestId('objections').getByText('2025 年度补缴税款未计入').waitFor();
    await owner.close();
  });
});
