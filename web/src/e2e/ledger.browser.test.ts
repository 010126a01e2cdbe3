// End-to-end test of 审计账本 in headless Chromium against the whole demo city: after a checkpoint is
// published and cosigned by the provider departments' witnesses, the auditor sees its size and that it is
// final, opens an entry and has the browser recompute its inclusion proof. Needs web/dist built.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startTestCity, type TestCity } from '../../../src/testing/test-city';
import { browserSession, browserTestsEnabled, loginAs, newConsolePage } from '../../test/browser';

const PASSWORD = 'qinghe-demo-2026';

describe.skipIf(!browserTestsEnabled())('audit ledger page (browser)', { timeout: 90_000 }, () => {
  let city: TestCity;
  let size: number;

  const session = browserSession(async () => {
    city = await startTestCity();
    await city.log.publishCheckpoint(new Date());
    let cosigned = await city.witnessing.cosignLatest();
    // Witnesses not reached in time are asked again; on a loaded machine that may take a few rounds.
    for (let round = 0; round < 20 && !cosigned.final; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      cosigned = await city.witnessing.cosignLatest();
    }
    expect(cosigned.final).toBe(true);
    size = cosigned.size;
    return city;
  }, 90_000);

  const newPage = (): Promise<Page> => newConsolePage(session.browser);
  const login = (page: Page, username: string): Promise<void> => loginAs(page, city.url, username, PASSWORD);

  it('the auditor sees the final checkpoint and verifies an entry in the browser', async () => {
    const page = await newPage();
    await login(page, 'shenji');
    await page.getByRole('menuitem', { name: /审计账本/ }).click();
    await page.waitForURL(/\/ledger$/);

    const checkpoint = page.getByTestId('ledger-checkpoint');
    await checkpoint.waitFor();
    // The hub publishes on its own too while entries arrive, so the page may show a later checkpoint.
    const sizeText = checkpoint.getByTestId('checkpoint-size');
    await sizeText.getByText(/\d/).first().waitFor();
    const shown = Number(((await sizeText.textContent()) ?? '').replace(/\D/g, ''));
    expect(shown).toBeGreaterThanOrEqual(size);
    const quorum = checkpoint.getByTestId('quorum-tag');
    await quorum.getByText('已确定').waitFor();
    expect(await quorum.getAttribute('data-final')).toBe('true');
    // Cosigners are shown by department name.
    await checkpoint.getByTestId('checkpoint-cosigners').getByText('清河市公安局').waitFor();

    // Every witness is up to date with this checkpoint.
    const witnesses = page.getByTestId('witnesses-table');
    await witnesses.locator('tbody tr.ant-table-row').first().waitFor();
    expect(await witnesses.getByTestId('witness-lag').count()).toBe(0);
    // Their last answer in words, not as an HTTP status.
    await witnesses.getByText('已联署').first().waitFor();
    expect(new Set(await witnesses.locator('[data-status]').allTextContents())).toEqual(new Set(['已联署']));

    // The newest entry comes first.
    const entries = page.getByTestId('entries-table');
    const first = entries.locator('tbody tr.ant-table-row').first();
    await first.waitFor();
    expect(((await first.locator('td').first().textContent()) ?? '').trim()).toBe(String(shown - 1));

    // Filter to agreements, open one, verify its inclusion proof.
    await page.getByTestId('entries-type').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '共享协议' }).first().click();
    const agreementRow = entries.locator('tbody tr.ant-table-row').first();
    await agreementRow.getByText('共享协议').waitFor();
    await expect.poll(() => entries.locator('tbody tr.ant-table-row', { hasText: '数据调用' }).count()).toBe(0);
    await agreementRow.click();
    const drawer = page.getByTestId('entry-detail');
    // The entry as a card in words; its raw bytes only behind 原始数据.
    const facts = drawer.getByTestId('entry-facts');
    await facts.waitFor();
    expect(await facts.textContent()).toMatch(/清河市/);
    expect(await drawer.getByTestId('entry-json').count()).toBe(0);
    await drawer.getByText('原始数据').click();
    await drawer.getByTestId('entry-json').getByText('"type": "agreement"').waitFor();
    await drawer.getByTestId('verify-inclusion').click();
    const result = drawer.locator('[data-testid="verify-result"][data-ok="true"]');
    await result.getByText('已验证').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: '/tmp/hutong-ledger.png', fullPage: true });

    // English.
    await page.locator('.ant-drawer-close').click();
    await page.getByTestId('lang-switch').getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'Audit ledger' }).waitFor();
    await quorum.getByText('Final').waitFor();
    await page.context().close();
  });
});
