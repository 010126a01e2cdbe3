// End-to-end test of 本单位前置机 in headless Chromium against the whole demo city (hub + one node per
// department): a consumer verifies and queries through its own node, then the provider's data officer sees
// those requests (served and denied) in "who used our data". Needs web/dist built.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startTestCity, type TestCity } from '../../../src/testing/test-city';
import { browserSession, browserTestsEnabled, loginAs, newConsolePage } from '../../test/browser';
import { elderlyResident, type Resident } from '../../test/demo-data';

const PASSWORD = 'qinghe-demo-2026';
const CONSUMER_NAME = '清河市政务服务管理办公室';

describe.skipIf(!browserTestsEnabled())('our node page (browser)', { timeout: 90_000 }, () => {
  let city: TestCity;
  let person: Resident;

  const session = browserSession(async () => {
    city = await startTestCity();
    person = await elderlyResident(city);
    return city;
  }, 90_000);

  const newPage = (): Promise<Page> => newConsolePage(session.browser);
  const login = (page: Page, username: string): Promise<void> => loginAs(page, city.url, username, PASSWORD);

  async function openNodePage(page: Page): Promise<void> {
    await page.getByRole('menuitem', { name: /本单位前置机/ }).click();
    await page.waitForURL(/\/node$/);
    await page.getByTestId('node-header').waitFor();
  }

  /** Picks an option of an antd Select by its visible text. */
  async function choose(page: Page, testId: string, option: string | RegExp): Promise<void> {
    await page.getByTestId(testId).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
  }

  it('a consumer verifies and queries through its node; the provider sees who used its data', async () => {
    const page = await newPage();
    await login(page, 'zhengwu');
    await openNodePage(page);
    const header = page.getByTestId('node-header');
    await header.getByTestId('node-url').waitFor();
    // Just started: the node has confirmed agreement states with the hub.
    expect(await header.getByTestId('node-last-sync').getAttribute('data-stale')).toBe('false');
    // A consumer serves no resources of its own.
    expect(await page.getByTestId('node-resources').count()).toBe(0);
    await page.getByTestId('node-agreements').getByText('gongan.household').first().waitFor();

    // Verify: is the resident at least 60 today?
    const tryIt = page.getByTestId('try-it');
    await choose(page, 'try-agreement', 'gongan.household');
    await tryIt.getByTestId('try-subject').fill(person.idNumber);
    // The questions the agreement allows are listed in words (the node answers only these).
    await tryIt.getByTestId('agreed-questions').getByText('按出生日期，核验之日年满60周岁').first().waitFor();
    await choose(page, 'predicate-item', '出生日期');
    await tryIt.getByTestId('predicate-age').click();
    await choose(page, 'predicate-op', '大于等于');
    await tryIt.getByTestId('predicate-value').locator('input').fill('60');
    await tryIt.getByTestId('predicate-summary').getByText('≥ 60').waitFor();
    await tryIt.getByTestId('try-run').click();
    const verdict = tryIt.locator('[data-testid="verify-answer"][data-answer="true"]');
    await verdict.waitFor();
    expect(await verdict.textContent()).toContain('是');
    await tryIt.getByTestId('try-request-id').waitFor();
    await tryIt.screenshot({ path: '/tmp/hutong-node-verify.png' });

    // An item the agreement does not grant, written directly as JSON: refused with a friendly message.
    await tryIt.getByTestId('predicate-json-toggle').click();
    await tryIt.getByTestId('predicate-json').fill(JSON.stringify({ op: 'eq', item: 'gender', value: '男' }));
    await tryIt.getByTestId('try-run').click();
    const refusal = tryIt.locator('[data-testid="try-error"][data-code="ITEM_NOT_ALLOWED"]');
    await refusal.waitFor();
    await refusal.getByText('协议未授权的信息项').waitFor();

    // Record: the name comes back masked.
    await tryIt.getByTestId('try-mode').getByText('查询(明细)').click();
    const caseId = await tryIt.getByTestId('try-case').inputValue();
    expect(caseId).toMatch(/^CASE-\d{8}-[0-9A-Z]{4}$/);
    await tryIt.getByTestId('try-run').click();
    const table = tryIt.getByTestId('record-table');
    await table.waitFor();
    const nameIndex = await table
      .locator('thead th')
      .evaluateAll((ths) => ths.findIndex((th) => th.textContent?.trim() === '姓名'));
    expect(nameIndex).toBeGreaterThanOrEqual(0);
    const maskedName = (
      (await table.locator('tbody tr.ant-table-row').first().locator('td').nth(nameIndex).textContent()) ?? ''
    ).trim();
    expect(maskedName).toContain('*');
    expect(maskedName).not.toBe(person.name);
    expect(maskedName[0]).toBe(person.name[0]);
    // Neither the raw name nor the raw ID number is shown.
    const shown = await table.textContent();
    expect(shown).not.toContain(person.idNumber);
    await page.waitForTimeout(300);
    await page.screenshot({ path: '/tmp/hutong-node-consumer.png', fullPage: true });

    // The provider's data officer: who used our data.
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(/\/login$/);
    await login(page, 'gongan');
    await openNodePage(page);
    await page.getByTestId('node-resources').getByText('gongan.household').waitFor();
    // Masking rules by the item's title, not its name in the schema.
    await page.getByTestId('node-resources').getByText('公民身份号码：脱敏(身份证)').first().waitFor();
    expect(await page.getByTestId('node-resources').textContent()).not.toContain('id_number');
    const requests = page.getByTestId('requests-table');
    const served = requests.locator('tr', { hasText: caseId }).filter({ hasText: '已提供' });
    await served.first().waitFor();
    const row = served.first();
    expect(await row.textContent()).toContain(CONSUMER_NAME);
    expect(await row.textContent()).toContain('zhengwu');
    const denied = requests.locator('tr', { hasText: 'ITEM_NOT_ALLOWED' }).filter({ hasText: '已拒绝' });
    await denied.first().waitFor();
    // Subject keys appear only as a count: the raw ID number is nowhere on the page.
    expect(await page.locator('body').textContent()).not.toContain(person.idNumber);

    // The filter narrows to refusals.
    await page.getByTestId('requests-filter').getByText('已拒绝').click();
    await expect.poll(() => requests.locator('tbody tr.ant-table-row', { hasText: '已提供' }).count()).toBe(0);
    await requests.locator('tr', { hasText: 'ITEM_NOT_ALLOWED' }).first().waitFor();
    await page.getByTestId('requests-filter').getByText('全部').click();
    await served.first().waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: '/tmp/hutong-node-provider.png', fullPage: true });
    await page.context().close();
  });

  it('a consumer whose agreements are all for computation is told why 试一试 has nothing to try', async () => {
    const page = await newPage();
    await login(page, 'jingxin');
    await page.getByRole('menuitem', { name: /本单位前置机/ }).click();
    const tryIt = page.getByTestId('try-it');
    await tryIt.getByText('均为统计或计算方式').waitFor();
    expect(await tryIt.textContent()).not.toContain('暂无已生效的共享协议');
    await page.context().close();
  });

  it('a member whose node is not registered sees the empty state; operators have no node page', async () => {
    const page = await newPage();
    await page.route('**/api/v1/members/caizheng', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), nodeUrl: null } });
    });
    await login(page, 'caizheng');
    await page.getByRole('menuitem', { name: /本单位前置机/ }).click();
    await page.getByTestId('node-not-connected').getByText('本单位前置机尚未接入').waitFor();
    await page.context().close();

    const operator = await newPage();
    await login(operator, 'dashuju');
    expect(await operator.getByRole('menuitem', { name: /本单位前置机/ }).count()).toBe(0);
    await operator.context().close();
  });

  it('warns when the node has not confirmed agreements for over 10 minutes, and speaks English', async () => {
    const page = await newPage();
    // The browser's clock runs 11 minutes ahead of the node's last confirmation.
    await page.clock.install({ time: new Date(Date.now() + 11 * 60_000) });
    await login(page, 'gongan');
    await openNodePage(page);
    const sync = page.getByTestId('node-last-sync');
    expect(await sync.getAttribute('data-stale')).toBe('true');
    await sync.getByText('协议状态确认已过期，节点将拒绝服务').waitFor();

    await page.getByTestId('lang-switch').getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'Our node' }).waitFor();
    await page.getByTestId('node-requests').getByText('Recent requests').waitFor();
    await sync.getByText('Agreement states are stale').waitFor();
    await page.screenshot({ path: '/tmp/hutong-node-provider-en.png', fullPage: true });
    await page.context().close();
  });
});
