// End-to-end test of 我的数据使用记录 in headless Chromium against the whole demo city: a demo resident logs
// in with ID number and name (checked by 公安's register through 政务服务办's node), sees the accesses to her
// own records — not another resident's, not 公安's covert one — and verifies one in the browser; the
// auditor sees that one access is withheld. Needs web/dist built.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chinaDate } from '../../../src/core/calendar/working-days';
import { startTestCity, type TestCity } from '../../../src/testing/test-city';
import { browserSession, browserTestsEnabled, loginAs, newConsolePage } from '../../test/browser';

// The demo residents the login page offers (synthetic city, seed 1).
const pan = { idNumber: '339104194907213068', name: '潘莲楠' };
const zhang = { idNumber: '339103196204142358', name: '张成建' };

describe.skipIf(!browserTestsEnabled())('my data usage page (browser)', { timeout: 120_000 }, () => {
  let city: TestCity;
  const indexOf = new Map<string, number>();

  const localQuery = async (member: string, body: Record<string, unknown>): Promise<string> => {
    const answer = await city.localQuery(member, body);
    expect(answer.status, answer.text).toBe(200);
    return answer.requestId!;
  };

  async function agreementOf(member: string, resource: string): Promise<string> {
    const list = await city.hub<{ items: { id: string; resourceCode: string; purpose: string }[] }>(
      member,
      'GET',
      '/agreements?side=consumer&status=active&pageSize=100',
    );
    return list.json.items.find((a) => a.resourceCode === resource && !a.purpose.startsWith('统一身份认证'))!.id;
  }

  const session = browserSession(async () => {
    city = await startTestCity();
    const household = await agreementOf('zhengwu', 'gongan.household');
    const today = chinaDate(city.clock.now());
    const check = (subject: string) => ({
      agreementId: household,
      mode: 'verify',
      caseId: 'ELDER',
      subject,
      predicate: { op: 'gte', item: { ageAt: today, of: 'birth_date' }, value: 60 },
    });
    const requests = {
      pan: await localQuery('zhengwu', check(pan.idNumber)),
      zhang: await localQuery('zhengwu', check(zhang.idNumber)),
      covert: await localQuery('gongan', {
        agreementId: await agreementOf('gongan', 'renshe.pension'),
        mode: 'record',
        caseId: 'INV-1',
        subjects: [pan.idNumber],
        covertUntil: chinaDate(new Date(city.clock.now().getTime() + 30 * 86_400_000)),
      }),
    };
    for (const code of ['gongan', 'renshe']) await city.node(code).service.shipAudit();
    for (const [name, requestId] of Object.entries(requests)) {
      const found = await city.hub<{ items: { index: number }[] }>(
        'shenji',
        'GET',
        `/ledger/entries?requestId=${requestId}`,
      );
      indexOf.set(name, found.json.items[0]!.index);
    }
    await city.log.publishCheckpoint(new Date());
    return city;
  }, 120_000);

  const newPage = (): Promise<Page> => newConsolePage(session.browser);

  it('a resident sees and verifies her own records only', async () => {
    const page = await newPage();
    await page.goto(`${city.url}/login`);
    await page.getByRole('tab', { name: '居民/企业登录' }).click();
    // A wrong name is refused with the register's answer.
    await page.locator('#subject-key').fill(pan.idNumber);
    await page.locator('#subject-name').fill('潘莲');
    await page.getByTestId('subject-submit').click();
    await page.getByTestId('subject-error').getByText('身份核验未通过').waitFor();
    // The demo resident fills the form.
    await page.getByText('演示居民与企业（合成数据）').click();
    await page.locator('.demo-subject', { hasText: pan.name }).click();
    expect(await page.locator('#subject-name').inputValue()).toBe(pan.name);
    await page.getByTestId('subject-submit').click();
    await page.waitForURL(/\/my-data$/);
    await page.getByTestId('subject-name').getByText('潘**').waitFor();

    const table = page.getByTestId('usage-table');
    const rows = table.locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    await table.getByText('一网通办：老年人优待证、高龄津贴办理时核验户籍与年龄').waitFor();
    const text = (await table.textContent()) ?? '';
    expect(text).toContain(`#${indexOf.get('pan')}`);
    expect(text).not.toContain(`#${indexOf.get('zhang')}`);
    expect(text).not.toContain(`#${indexOf.get('covert')}`);
    expect(await table.getByTestId('usage-receiver').allTextContents()).not.toContain('清河市公安局');
    // Departments by name, never by their login code.
    expect(text).not.toContain('zhengwu');
    // Her own login checks (the refused one and this one), once shipped, are marked as hers.
    await city.node('gongan').service.shipAudit();
    await page.reload();
    await table.getByTestId('usage-own-check').first().waitFor();
    const own = rows.filter({ has: page.getByTestId('usage-own-check') });
    expect(await own.count()).toBeGreaterThanOrEqual(1);
    expect(await own.first().textContent()).toContain('统一身份认证');
    const elder = rows.filter({ hasText: '一网通办：老年人优待证' });
    expect(await elder.getByTestId('usage-own-check').count()).toBe(0);

    // Verify the 一网通办 record: checkpoint signature and inclusion proof, in the session.browser.
    const elderRow = rows.filter({ hasText: `#${indexOf.get('pan')}` });
    await elderRow.getByTestId('usage-verify').click();
    await elderRow.locator('[data-testid="usage-verify-result"][data-ok="true"]').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: '/tmp/hutong-my-data.png', fullPage: true });

    // English.
    await page.getByTestId('lang-switch').getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'Who used my data' }).waitFor();
    await page.getByTestId('lang-switch').getByText('中文', { exact: true }).click();

    // The resident's session opens no department page.
    await page.goto(`${city.url}/overview`);
    await page.waitForURL(/\/login/);
    await page.context().close();
  });

  it('the auditor sees that an access is withheld, and until when', async () => {
    const page = await newPage();
    await loginAs(page, city.url, 'shenji');
    await page.getByRole('menuitem', { name: /审计账本/ }).click();
    const card = page.getByTestId('withheld-card');
    await card.getByText('清河市公安局 · 1').waitFor();
    expect(Number(await card.getByTestId('withheld-total').getAttribute('data-total'))).toBe(1);
    await card
      .getByTestId('withheld-table')
      .getByText(String(indexOf.get('covert')), { exact: true })
      .waitFor();
    // Checkpoint signatures are checked in the browser too.
    await page.locator('[data-testid="checkpoint-signatures"][data-ok="true"]').waitFor();
    await page.context().close();
  });
});
