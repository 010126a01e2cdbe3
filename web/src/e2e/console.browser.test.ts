// End-to-end tests of the console in headless Chromium against a real in-process hub (demo seed):
// the full apply → review → use → revoke story as seen by each department. Needs web/dist built.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { injectJson, startTestHub, type TestHub } from '../../../src/testing/test-hub';
import { browserSession, browserTestsEnabled } from '../../test/browser';

const PASSWORD = 'qinghe-demo-2026';
const RESOURCE = 'gongan.residence_permit';
const RESOURCE_NAME = '居住证信息';
const CONSUMER_NAME = '清河市财政局';
const PURPOSE = `E2E 测试：居住情况核验 ${Date.now()}`;

describe.skipIf(!browserTestsEnabled())('web console (browser)', { timeout: 60_000 }, () => {
  let hub: TestHub;

  const session = browserSession(async () => {
    hub = await startTestHub();
    return hub;
  }, 60_000);

  // Each user gets a fresh context: separate sessionStorage (token) and localStorage (language).
  async function openAs(username: string, path = '/overview'): Promise<Page> {
    // The hub's working days are China time; show times as a user in 清河 would see them.
    const context = await session.browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    await page.goto(`${hub.url}/login`);
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByTestId('current-member').waitFor();
    if (path !== '/overview') await page.goto(`${hub.url}${path}`);
    return page;
  }

  it('login page is Chinese by default, switches to English and back', async () => {
    const context = await session.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${hub.url}/overview`);
    // Not logged in: sent to the login page.
    await page.waitForURL(/\/login$/);
    await expect(page.getByText('用户登录')).toBeTruthy();
    await page.getByText('用户登录').waitFor();
    await page.getByText('EN', { exact: true }).click();
    await page.getByText('Sign in', { exact: true }).first().waitFor();
    expect(await page.getByText('用户登录').count()).toBe(0);
    // The choice survives a reload.
    await page.reload();
    await page.getByText('Username', { exact: true }).waitFor();
    await page.getByText('中文', { exact: true }).click();
    await page.getByText('用户登录').waitFor();

    // Bad credentials show the mapped message, not a raw code.
    await page.locator('#username').fill('gongan');
    await page.locator('#password').fill('wrong');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByTestId('login-error').getByText('用户名或密码错误').waitFor();

    // The demo accounts are listed in a collapsible panel.
    await page.getByText('演示账号').click();
    await page.getByText('shuiwu.leader').waitFor();
    await context.close();
  });

  it('overview renders the SLA board and charts', async () => {
    const page = await openAs('dashuju');
    await page.getByText('城市总览 · 共享时效看板').waitFor();
    const board = page.getByTestId('sla-board');
    await board.getByText('清河市公安局').waitFor();
    await board.getByText('清河市税务局').waitFor();
    // Durations without a trailing “.0” (24 小时, not 24.0 小时).
    await board
      .getByText(/小时|天/)
      .first()
      .waitFor();
    expect(await board.textContent()).not.toMatch(/\d\.0 (小时|天)/);
    await page.getByTestId('chart-answers').locator('canvas').waitFor();
    await page.getByTestId('chart-sharing').locator('canvas').waitFor();
    // Let the charts finish their entry animation before the screenshot.
    await page.waitForTimeout(1200);
    await page.screenshot({ path: '/tmp/hutong-overview.png', fullPage: true });
    // The operator sees no consumer or reviewer pages in the menu.
    expect(await page.getByRole('menuitem', { name: /待我审批/ }).count()).toBe(0);
    await page.context().close();
  });

  it('an expired or invalid session returns to the login page', async () => {
    const page = await openAs('shenji');
    await page.evaluate(() => sessionStorage.setItem('hutong.token', 'not-a-valid-token'));
    await page.goto(`${hub.url}/agreements`);
    await page.waitForURL(/\/login$/);
    await page.getByText('用户登录').waitFor();
    await page.context().close();
  });

  it('a user with a one-time password must set their own before seeing anything', async () => {
    await hub.hub.service.accounts.createUser('bootstrap', {
      username: 'dashuju.ops',
      password: 'One-time-Kp3v9Wq2',
      memberCode: 'dashuju',
      displayName: '运维值班员',
      roles: ['admin'],
      mustChangePassword: true,
    });
    const page = await session.browser.newPage();
    await page.goto(`${hub.url}/login`);
    await page.locator('#username').fill('dashuju.ops');
    await page.locator('#password').fill('One-time-Kp3v9Wq2');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    const form = page.getByTestId('password-change');
    await form.getByText('修改初始密码').waitFor();
    // No menu, no page behind it.
    expect(await page.locator('.ant-menu-item').count()).toBe(0);
    await page.locator('input[autocomplete="current-password"]').fill('One-time-Kp3v9Wq2');
    const [next, again] = [
      page.locator('input[autocomplete="new-password"]').first(),
      page.locator('input[autocomplete="new-password"]').last(),
    ];
    // The demo's password is refused like any common one; the server says why, in words.
    await next.fill(PASSWORD);
    await again.fill(PASSWORD);
    await page.getByTestId('password-change-submit').click();
    await form.getByText('密码过于常见').waitFor();
    await next.fill('Lantern-Orchard-4821');
    await again.fill('Lantern-Orchard-4821');
    await page.getByTestId('password-change-submit').click();
    await page.getByTestId('current-member').waitFor();
    expect(await page.locator('.ant-menu-item').count()).toBeGreaterThan(3);
    await page.context().close();
  });

  it('catalog search narrows the list and opens a detail page', async () => {
    const page = await openAs('caizheng', '/catalog');
    const table = page.getByTestId('catalog-table');
    await table.getByText(RESOURCE_NAME).waitFor();
    const before = await table.locator('tbody tr.ant-table-row').count();
    await page.getByPlaceholder('关键字').fill('居住证');
    await page.getByPlaceholder('关键字').press('Enter');
    await page.waitForURL(/q=/);
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBeLessThan(before);
    await table.getByRole('link', { name: RESOURCE_NAME }).click();
    await page.waitForURL(new RegExp(`/catalog/${RESOURCE}$`));
    const detail = page.getByTestId('resource-detail');
    await detail.getByText('有条件共享').first().waitFor();
    await page.getByTestId('items-table').getByText('公民身份号码').first().waitFor();
    // Data types in words (字符型, 日期), not as the schema's type names.
    await page.getByTestId('items-table').getByText('字符型').first().waitFor();
    expect(await page.getByTestId('items-table').locator('.ant-tag').allTextContents()).not.toContain('string');

    // A not-shared resource explains why it cannot be requested.
    await page.goto(`${hub.url}/catalog/gongan.criminal_record`);
    await page.getByTestId('apply-disabled-reason').getByText('不予共享').waitFor();
    expect(await page.getByTestId('apply-button').isDisabled()).toBe(true);
    await page.context().close();
  });

  it('a consumer applies for a conditional resource and sees 待审批', async () => {
    const page = await openAs('caizheng', `/catalog/${RESOURCE}`);
    await page.getByTestId('apply-button').click();
    const form = page.getByTestId('apply-form');
    await form.waitFor();
    await form.locator('textarea').first().fill(PURPOSE);
    await form.getByPlaceholder('例如：《清河市老年人优待办法》').fill('《清河市财政资金管理办法》第十二条');
    await page.getByRole('button', { name: '全选' }).click();
    await form.getByRole('checkbox', { name: '核验' }).check();
    // Verify answers only the questions the agreement lists: none listed, no application.
    await page.getByTestId('apply-submit').click();
    await form.getByText('核验方式须列明至少一个核验问题').waitFor();
    await form.getByTestId('question-add').click();
    await form.getByTestId('question-item').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '姓名' }).first().click();
    await form.getByText('姓名与核验时提供的值一致').waitFor();
    await page.getByRole('dialog').screenshot({ path: '/tmp/hutong-apply-questions.png' });
    await page.getByTestId('apply-submit').click();
    await page.waitForURL(/\/applications\?open=/);
    const drawer = page.locator('.agreement-drawer');
    await drawer.getByText(PURPOSE).waitFor();
    await drawer.getByText('待审批').first().waitFor();
    await drawer.getByTestId('question-list').getByText('姓名与核验时提供的值一致').first().waitFor();
    await page.getByTestId('applications-table').getByText('待审批').first().waitFor();
    await page.context().close();
  });

  it('the provider cannot reject without a reason, and approves with narrowing', async () => {
    const page = await openAs('gongan', '/review');
    const row = page
      .getByTestId('review-table')
      .locator('tr', { hasText: CONSUMER_NAME })
      .filter({ hasText: RESOURCE_NAME });
    await row.first().waitFor();

    await row.first().getByTestId('action-reject').click();
    const rejectDialog = page.getByRole('dialog', { name: '驳回申请' });
    await rejectDialog.getByRole('button', { name: '确定' }).click();
    await rejectDialog.getByText('驳回必须说明理由').waitFor();
    expect(await rejectDialog.isVisible()).toBe(true);
    await rejectDialog.getByRole('button', { name: '取消' }).click();
    await rejectDialog.waitFor({ state: 'hidden' });

    await row.first().getByTestId('action-approve').click();
    const approve = page.getByTestId('approve-form');
    await approve.waitFor();
    // The reviewer sees the questions the node will answer, then narrows: one item fewer than requested.
    await approve.getByTestId('question-list').getByText('姓名与核验时提供的值一致').waitFor();
    await approve.getByRole('checkbox', { name: /有效期至/ }).uncheck();
    await page.getByRole('dialog').getByRole('button', { name: '通过' }).click();
    await page.getByText('已审批通过').first().waitFor();
    await expect.poll(() => row.count()).toBe(0);
    await page.context().close();
  });

  it('the consumer then sees 已生效 with the narrowed grant', async () => {
    const page = await openAs('caizheng', '/applications');
    const row = page
      .getByTestId('applications-table')
      .locator('tr', { hasText: RESOURCE_NAME })
      .filter({ hasText: '已生效' });
    await row.first().waitFor();
    await row.first().getByText(RESOURCE_NAME).click();
    const drawer = page.locator('.agreement-drawer');
    await drawer.getByText('审批通过').first().waitFor();
    // The provider narrowed the grant: the dropped item is not in 批准内容.
    const granted = drawer.locator('.ant-card', { hasText: '批准内容' });
    await granted.getByText('公民身份号码').waitFor();
    expect(await granted.getByText('有效期至').count()).toBe(0);
    await page.context().close();
  });

  it('a reviewer is told that the leader approves next, and the application then waits for the leader', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const applied = await injectJson(hub, hub.credentials.tokens.caizheng as string, 'POST', '/api/v1/agreements', {
      resourceCode: 'shuiwu.tax_annual',
      purpose: '企业奖补资金测算（E2E 上级审批）',
      legalBasis: '《中华人民共和国预算法》',
      items: ['uscc', 'year', 'tax_paid'],
      modes: ['compute'],
      validFrom: today,
      validTo: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10),
      rateLimitPerMinute: 60,
    });
    expect(applied.status).toBe(201);
    const page = await openAs('shuiwu', '/review');
    const row = page
      .getByTestId('review-table')
      .locator('tr', { hasText: '清河市财政局' })
      .filter({ hasText: '企业年度纳税信息' })
      .filter({ hasText: '待审批' });
    await row.first().waitFor();
    await row.first().getByTestId('action-approve').click();
    await page.getByTestId('approve-superior-next').getByText('分管领导').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: '通过' }).click();
    await page.getByText('已提交分管领导进行上级审批').first().waitFor();
    expect(await page.getByText('协议已生效').count()).toBe(0);
    await page.context().close();
  });

  it('the 税务 leader sees 待上级审批 applications and co-signs one', async () => {
    const page = await openAs('shuiwu.leader', '/review');
    expect(await page.getByRole('menuitem', { name: /我的申请/ }).count()).toBe(0);
    const table = page.getByTestId('review-table');
    const row = table.locator('tr', { hasText: '待上级审批' });
    await row.first().waitFor();
    const before = await row.count();
    await row.first().getByTestId('action-superior-approve').click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '确定' }).click();
    await page.getByText('已审批通过').first().waitFor();
    await expect.poll(() => row.count()).toBe(before - 1);
    await page.context().close();
  });

  it('the provider revokes and it shows 已撤销', async () => {
    const page = await openAs('gongan', '/agreements');
    const table = page.getByTestId('agreements-table');
    const row = table
      .locator('tr', { hasText: CONSUMER_NAME })
      .filter({ hasText: RESOURCE_NAME })
      .filter({ hasText: '已生效' });
    await row.first().waitFor();
    await row.first().getByTestId('action-revoke').click();
    const dialog = page.getByRole('dialog', { name: '撤销协议' });
    await dialog.locator('textarea').fill('测试结束，撤销授权');
    await dialog.getByRole('button', { name: '确定' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await table
      .locator('tr', { hasText: CONSUMER_NAME })
      .filter({ hasText: RESOURCE_NAME })
      .filter({ hasText: '已撤销' })
      .first()
      .waitFor();
    await page.context().close();
  });
});
