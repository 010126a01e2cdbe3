// End-to-end test of 一网通办 in headless Chromium against the whole demo city: a resident, without any
// officer account, applies for the elderly card at /self-service — identifies, reads what will be checked
// with which department, consents — and gets the electronic card with its QR code; a resident under 60 is
// refused with the reason explained; counter staff then find both applications. Needs web/dist built.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startTestCity, type TestCity } from '../../../src/testing/test-city';
import { browserSession, browserTestsEnabled, loginAs, newConsolePage } from '../../test/browser';
import { type Applicant, elderlyCardApplicants } from '../../test/services-data';

describe.skipIf(!browserTestsEnabled())('一网通办 (browser)', { timeout: 90_000 }, () => {
  let city: TestCity;
  let eligible: Applicant;
  let young: Applicant;

  const session = browserSession(async () => {
    city = await startTestCity();
    // The console applies as of today: residents picked by the reference rules on today's date.
    ({ eligible, young } = await elderlyCardApplicants(city));
    return city;
  }, 90_000);

  async function apply(page: Page, person: Applicant): Promise<void> {
    const flow = page.getByTestId('self-service');
    await flow.getByTestId('applicant-name').fill(person.name);
    await flow.getByTestId('applicant-id').fill(person.id);
    await flow.getByTestId('to-preview').click();
    // The OOTS-style preview: which department is asked what, before consenting.
    const checks = flow.getByTestId('preview-checks');
    await checks.getByText('清河市公安局').first().waitFor();
    await checks.getByText('清河市民政局').first().waitFor();
    await checks.getByText('是否已持有有效的老年人优待证').waitFor();
    expect(await flow.getByTestId('submit').isDisabled()).toBe(true);
    await flow.getByTestId('consent').click();
    await flow.getByTestId('submit').click();
  }

  it('a resident applies without an account and gets the electronic card with its QR code', async () => {
    const page = await newConsolePage(session.browser);
    // A resident finds the way from the console's front door, without an account.
    await page.goto(`${city.url}/login`);
    await page.getByTestId('self-service-link').click();
    await page.getByTestId('public-self-service').waitFor();
    await page.getByText('一网通办 · 自助办理').first().waitFor();
    // 高龄津贴 is granted without applying: listed, but not offered for an application.
    const flow = page.getByTestId('self-service');
    await flow.getByTestId('item-select').click();
    const allowance = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '高龄津贴' });
    await allowance.waitFor();
    expect(await allowance.getAttribute('class')).toContain('ant-select-item-option-disabled');
    await page.keyboard.press('Escape');
    // A mistyped check digit is caught on the first step, before any department is asked.
    const mistyped = `${eligible.id.slice(0, 17)}${eligible.id.endsWith('0') ? '1' : '0'}`;
    await flow.getByTestId('applicant-name').fill(eligible.name);
    await flow.getByTestId('applicant-id').fill(mistyped);
    await flow.getByTestId('to-preview').click();
    await flow.getByText('公民身份号码校验位不符，请核对是否输错').waitFor();
    expect(await flow.getByTestId('preview-checks').count()).toBe(0);
    await apply(page, eligible);
    const outcome = page.locator('[data-testid="outcome"][data-status="approved"]');
    await outcome.waitFor();
    await outcome.getByText('已办结 · 准予办理', { exact: false }).first().waitFor();
    const card = page.getByTestId('certificate');
    expect(await card.getByTestId('certificate-number').textContent()).toMatch(/^QHYDE\d{10}$/);
    expect(await card.textContent()).toContain(eligible.name);
    expect(await card.textContent()).toContain('清河市民政局');
    const qr = card.getByTestId('certificate-qr');
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await qr.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(100);
    // The raw ID number is never shown back.
    expect(await page.getByTestId('self-service').textContent()).not.toContain(eligible.id);
    await page.screenshot({ path: '/tmp/hutong-services-approved.png', fullPage: true });

    // A second applicant, under 60: refused, with the reason explained in plain Chinese.
    await page.getByTestId('again').click();
    await apply(page, young);
    const refused = page.locator('[data-testid="outcome"][data-status="rejected"]');
    await refused.waitFor();
    const reason = refused.locator('[data-code="AGE_UNDER_60"]');
    await reason.waitFor();
    expect(await reason.textContent()).toContain('尚未年满60周岁');
    // The reason's name, never its code.
    expect(await reason.textContent()).toContain('未满60周岁');
    expect(await refused.textContent()).not.toContain('AGE_UNDER_60');
    expect(await refused.locator('[data-code]').count()).toBe(1);
    await page.screenshot({ path: '/tmp/hutong-services-rejected.png', fullPage: true });

    // English on demand.
    await page.getByText('EN', { exact: true }).click();
    await refused.getByText('not yet 60', { exact: false }).waitFor();
    await page.getByText('中文', { exact: true }).click();
    await page.context().close();
  });

  it('counter staff find the applications, the figures and the item definitions', async () => {
    const page = await newConsolePage(session.browser);
    await loginAs(page, city.url, 'zhengwu');
    await page.getByTestId('services-metrics').waitFor();
    await page.getByRole('menuitem', { name: /一网通办·窗口/ }).click();
    await page.getByTestId('counter-page').waitFor();
    const table = page.getByTestId('applications-table');
    await table.locator('tr', { hasText: '已办结 · 准予办理' }).first().waitFor();
    await table.locator('tr', { hasText: '未满60周岁' }).first().waitFor();
    expect(await table.textContent()).not.toContain('AGE_UNDER_60');
    expect(await table.textContent()).not.toContain(eligible.id);
    expect(await page.getByTestId('services-metric-applications').textContent()).toContain('2');
    await table.getByTestId('application-link').first().click();
    // 核验记录 names what was checked and with whom, not the definition's fact IDs or resource codes.
    const drawer = page.getByTestId('application-drawer');
    await drawer.getByText('清河市公安局').first().waitFor();
    await drawer.getByText('姓名与户籍登记是否一致').first().waitFor();
    expect(await drawer.textContent()).not.toMatch(/household_name|gongan\.household/);
    await page.screenshot({ path: '/tmp/hutong-services-counter.png', fullPage: true });

    await page.keyboard.press('Escape');
    await page.getByTestId('application-drawer').waitFor({ state: 'hidden' });
    await page.getByRole('menuitem', { name: /办事事项/ }).click();
    await page.getByTestId('items-page').waitFor();
    await page.getByTestId('checks-table').getByText('已持有有效优待证').waitFor();
    await page.getByTestId('items-menu').getByText('老年人公交乘车卡办理').click();
    await page.getByTestId('checks-table').getByText('已持有有效乘车卡').waitFor();
    expect(await page.getByTestId('item-detail').textContent()).not.toMatch(/ALREADY_HOLDS|household_name|"op"/);
    await page.context().close();
  });

  it('the 免申即享 sweep shows it is running, then its result and its line in the history, without a refresh', async () => {
    const page = await newConsolePage(session.browser);
    await loginAs(page, city.url, 'zhengwu');
    await page.getByRole('menuitem', { name: /一网通办·窗口/ }).click();
    await page.getByTestId('counter-page').waitFor();
    await page.getByRole('tab', { name: '免申即享筛查' }).click();
    const history = page.getByTestId('sweep-history').locator('tbody');
    await settledTable(history);
    const before = await history.locator('tr.ant-table-row').count();
    const run = page.getByTestId('run-sweep');
    // The button says it is busy for as long as the sweep runs. A repeated sweep can finish between two
    // polls, so the page itself records every class the button takes.
    await run.evaluate((button) => {
      const seen: string[] = [];
      (window as unknown as { sweepButtonClasses: string[] }).sweepButtonClasses = seen;
      new MutationObserver(() => seen.push(button.className)).observe(button, { attributes: true });
    });
    await run.click();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { sweepButtonClasses: string[] }).sweepButtonClasses))
      .toContainEqual(expect.stringMatching(/ant-btn-loading/));
    const result = page.getByTestId('sweep-result');
    await result.waitFor({ timeout: 60_000 });
    expect(
      Number(((await result.locator('.ant-statistic-content-value').first().textContent()) ?? '').replace(/,/g, '')),
    ).toBeGreaterThan(0);
    await expect.poll(() => history.locator('tr.ant-table-row').count()).toBe(before + 1);
    // The history names the item, not its file's ID.
    expect(await history.textContent()).toContain('高龄津贴');
    expect(await history.textContent()).not.toContain('longevity-allowance');
    await page.context().close();
  });
});

/** Waits until a table has loaded (rows or its empty state shown). */
async function settledTable(body: Locator): Promise<void> {
  await body.locator('tr.ant-table-row, .ant-empty').first().waitFor();
}
