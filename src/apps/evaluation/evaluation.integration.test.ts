/**
 * The evaluation through the running demo city (hub, every department's node, 经信局's application):
 *   - acceptance 1: every enterprise's group, graded flag, total (1e-6), rank and class equal the independent
 *     implementation of RULES.md §8 (reference-impl.test-helper.ts) over the exported CSVs (small seed 1);
 *   - acceptance 3: the ledger holds only compute-mode accesses by 经信局 with the evaluation's purpose for
 *     the run, one per exchange, and no department answered with row-level records;
 *   - the API: roles, stable error codes, objections (数据异议), moves, policies, XLSX.
 */
import { dataUsageOf, provenEntry } from '../../testing/data-usage-client';
import type { AccessRecord } from '../../core/audit/access-record';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEvaluate } from '../../cli/evaluate-commands';
import { startTestCity, type TestCity } from '../../testing/test-city';
import { type ReferenceFirm, referenceEvaluation } from './service/reference-impl.test-helper';
import type { EvaluationService } from './service/service';

const PURPOSE = '亩均论英雄：工业企业亩均效益综合评价';
let city: TestCity;
let csvDir: string;
let tokens: Record<string, string>;

async function login(username: string): Promise<string> {
  const response = await fetch(`${city.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'qinghe-demo-2026' }),
  });
  return ((await response.json()) as { token: string }).token;
}

async function api<T = Record<string, unknown>>(
  who: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T; headers: Headers; raw: ArrayBuffer }> {
  const response = await fetch(`${city.url}/apps/evaluation/v1${path}`, {
    method,
    headers: {
      ...(tokens[who] ? { authorization: `Bearer ${tokens[who]}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const raw = await response.arrayBuffer();
  const type = response.headers.get('content-type') ?? '';
  const json = (type.includes('json') && raw.byteLength ? JSON.parse(Buffer.from(raw).toString('utf8')) : {}) as T;
  return { status: response.status, json, headers: response.headers, raw };
}

interface Evaluation {
  id: string;
  year: number;
  status: string;
  error: { code: string } | null;
  exchanges: {
    seq: number;
    source: string;
    provider: string;
    requestId: string;
    ledgerIndex: number | null;
    subjects: number;
  }[];
  summary: { groups: { label: string; graded: number; classCounts: Record<string, number> }[] };
}

async function runEvaluation(year: number, extra: Record<string, unknown> = {}): Promise<Evaluation> {
  const started = await api<Evaluation>('jingxin', 'POST', '/evaluations', { year, ...extra });
  expect(started.status).toBe(202);
  for (;;) {
    const current = await api<Evaluation>('jingxin', 'GET', `/evaluations/${started.json.id}`);
    if (current.json.status !== 'running') return current.json;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function logSize(): Promise<number> {
  const text = await (await fetch(`${city.url}/ledger/checkpoint`)).text();
  return Number(text.split('\n')[1]);
}

type ResultFile = Awaited<ReturnType<EvaluationService['result']>>;

let evaluation: Evaluation;
let result: ResultFile;
let sizeBefore: number;

beforeAll(async () => {
  city = await startTestCity();
  csvDir = join(city.dataDir, 'export');
  await city.exportData(csvDir);
  tokens = {
    jingxin: await login('jingxin'),
    shuiwu: await login('shuiwu'),
    tongji: await login('tongji'),
    shenji: await login('shenji'),
    zhengwu: await login('zhengwu'),
  };
  // Let earlier log activity settle, so the window holds only the evaluation's entries.
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  sizeBefore = await logSize();
  evaluation = await runEvaluation(2025);
  result = (await api<ResultFile>('jingxin', 'GET', `/evaluations/${evaluation.id}/result`)).json;
}, 180_000);

afterAll(async () => {
  await city?.close();
});

describe('acceptance 1: the evaluation equals an independent implementation of §8 (small, seed 1)', () => {
  it('runs to completion through the exchange', () => {
    expect(evaluation.error).toBeNull();
    expect(evaluation.status).toBe('done');
  });

  it('matches group, graded, total (1e-6), rank and class of every enterprise', () => {
    const reference = referenceEvaluation(csvDir, 2025);
    expect(result.enterprises).toHaveLength(reference.size);
    let graded = 0;
    for (const e of result.enterprises) {
      const r = reference.get(e.uscc) as ReferenceFirm;
      expect(r, e.uscc).toBeDefined();
      expect({
        uscc: e.uscc,
        group: e.group,
        graded: e.graded,
        reason: e.reason,
        rank: e.rank,
        class: e.class,
      }).toEqual({ uscc: r.uscc, group: r.group, graded: r.graded, reason: r.reason, rank: r.rank, class: r.class });
      if (r.total === null) expect(e.total).toBeNull();
      else expect(Math.abs((e.total as number) - r.total), e.uscc).toBeLessThan(1e-6);
      expect(e.veto !== null).toBe(r.veto);
      if (r.surcharge) {
        const surcharge = e.policies.find((p) => p.kind === 'electricitySurcharge');
        expect({ years: surcharge?.consecutiveYears, rate: surcharge?.rate, amount: surcharge?.amount }).toEqual(
          r.surcharge,
        );
      }
      if (e.graded) graded += 1;
    }
    // The small city reaches every class in both groups, and the D surcharge tiers.
    expect(graded).toBeGreaterThan(300);
    for (const label of ['规上', '规下']) {
      const group = evaluation.summary.groups.find((g) => g.label === label);
      for (const cls of ['A', 'B', 'C', 'D']) expect(group?.classCounts[cls], `${label} ${cls}`).toBeGreaterThan(0);
    }
    const tiers = new Set([...reference.values()].flatMap((r) => (r.surcharge ? [r.surcharge.years] : [])));
    expect([...tiers].sort()).toEqual([1, 2, 3]);
  });
});

describe('acceptance 3: the ledger shows only compute-mode accesses by 经信局, for the evaluation', () => {
  it('one served compute entry per exchange, with the evaluation’s purpose and case, no row-level answer', async () => {
    // Entries appear once the nodes have shipped them (≈1 s) and the hub has sequenced them.
    let records: (AccessRecord & { index: number })[] = [];
    const requestIds = new Set(evaluation.exchanges.map((e) => e.requestId));
    let bytes = '';
    for (let attempt = 0; attempt < 40; attempt++) {
      const size = await logSize();
      records = [];
      bytes = '';
      for (let index = sizeBefore; index < size; index++) {
        const entry = (await (await fetch(`${city.url}/ledger/entries/${index}`)).json()) as {
          encoding: string;
          data: string;
        };
        const data = entry.encoding === 'utf-8' ? entry.data : Buffer.from(entry.data, 'base64').toString('utf8');
        bytes += data;
        const parsed = JSON.parse(data) as { type: string; record?: AccessRecord };
        if (parsed.type === 'access' && parsed.record) records.push({ index, ...parsed.record });
      }
      const logged = new Set(records.map((r) => r.requestId));
      if ([...requestIds].every((id) => logged.has(id))) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const byJingxin = records.filter((r) => r.consumerCode === 'jingxin');
    // One decision per exchange (a decision about more than 1,000 enterprises is several parts of it).
    expect(new Set(byJingxin.map((r) => r.requestId))).toEqual(requestIds);
    expect(byJingxin.filter((r) => (r.part ?? 1) === 1)).toHaveLength(evaluation.exchanges.length);
    const agreements = await city.hub<{ items: { id: string; purpose: string }[] }>(
      'jingxin',
      'GET',
      '/agreements?side=consumer&pageSize=200',
    );
    const purposeOf = new Map(agreements.json.items.map((a) => [a.id, a.purpose]));
    for (const record of byJingxin) {
      expect(record.mode).toBe('compute');
      expect(record.decision).toBe('served');
      // The purpose is the agreement's (the log names the agreement, not free text).
      expect(purposeOf.get(record.agreementId!)).toBe(PURPOSE);
    }
    // The case is in the log only as a keyed hash; the hub, holding the key, finds the evaluation's entries.
    expect(bytes).not.toContain(evaluation.id);
    const byCase = await city.hub<{ total: number }>(
      'jingxin',
      'GET',
      `/ledger/entries?caseId=${encodeURIComponent(evaluation.id)}&kind=access&pageSize=1`,
    );
    expect(byCase.json.total).toBe(byJingxin.length);
    // No other kind of access by anyone in the window: nothing but the evaluation's compute calls.
    expect(records.every((r) => r.mode === 'compute')).toBe(true);
    // Every department answered with declared outputs only: the result holds figures, not rows.
    const providers = new Set(byJingxin.map((r) => r.node));
    expect([...providers].sort()).toEqual(
      ['gongdian', 'renshe', 'shengtai', 'shichang', 'shuiwu', 'tongji', 'yingji', 'ziranziyuan'].sort(),
    );
    for (const e of result.enterprises.slice(0, 50)) {
      for (const value of Object.values(e.indicators)) expect(typeof value === 'number' || value === null).toBe(true);
    }
  });

  it('names every enterprise of the registry’s roster in the ledger: each sees the use, with its proof', async () => {
    const registry = evaluation.exchanges.find((exchange) => exchange.source === 'registry')!;
    type Found = { items: { index: number }[] };
    let found: Found['items'] = [];
    for (let attempt = 0; attempt < 100 && found.length === 0; attempt++) {
      found = (await city.hub<Found>('jingxin', 'GET', `/ledger/entries?requestId=${registry.requestId}&pageSize=200`))
        .json.items;
      if (found.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const named = new Set<string>();
    for (const { index } of found) {
      const entry = (await provenEntry(city.url, index)) as { record: { subjects: string[] } };
      for (const subject of entry.record.subjects) named.add(subject);
    }
    expect(named.size).toBe(registry.subjects);
    const hash = city.subjectHash;
    expect(result.enterprises.filter((e) => !named.has(hash(e.uscc))).map((e) => e.uscc)).toEqual([]);
    // As the enterprises see it, logged in with credit code, registered name and legal representative.
    const [header, ...rows] = readFileSync(join(csvDir, 'shichang.enterprise.csv'), 'utf8').trim().split('\n');
    const columns = header!.split(',');
    const firms = new Map(
      rows.map((line) => {
        const row = Object.fromEntries(line.split(',').map((value, i) => [columns[i]!, value]));
        return [row.uscc!, row];
      }),
    );
    const indexes = new Set(found.map((item) => item.index));
    for (const { uscc } of result.enterprises.slice(0, 2)) {
      const firm = firms.get(uscc)!;
      const usage = await dataUsageOf(city.url, {
        kind: 'enterprise',
        uscc,
        name: firm.name!,
        legalRepName: firm.legal_rep_name!,
        legalRepIdNumber: firm.legal_rep_id_number!,
      });
      const use = usage.find((record) => indexes.has(record.index));
      expect(use, uscc).toMatchObject({ receiverCode: 'jingxin', providerCode: 'shichang', mode: 'compute' });
      await provenEntry(city.url, use!.index);
    }
  });

  it('resolves each exchange to its ledger entry (when the hub offers the lookup)', async () => {
    const probe = await fetch(`${city.url}/api/v1/ledger/entries?requestId=x`, {
      headers: { authorization: `Bearer ${city.credentials.tokens.jingxin}` },
    });
    if (probe.status === 404) return; // the hub's entry search is not there yet: request IDs are kept
    let current: Evaluation | undefined;
    for (let attempt = 0; attempt < 40; attempt++) {
      current = (await api<Evaluation>('jingxin', 'GET', `/evaluations/${evaluation.id}`)).json;
      if (current.exchanges.every((e) => e.ledgerIndex !== null)) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(current?.exchanges.every((e) => e.ledgerIndex !== null && e.ledgerIndex >= sizeBefore)).toBe(true);
  });
});

describe('the evaluation API', () => {
  it('refuses with stable codes, never a 500', async () => {
    expect((await api('nobody', 'GET', '/evaluations')).json).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await api('jingxin', 'POST', '/evaluations', { year: 'x' })).json).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect((await api('jingxin', 'POST', '/evaluations', { year: 2025, extra: 1 })).status).toBe(400);
    expect((await api('jingxin', 'POST', '/evaluations', { year: 2025, configId: 'nope' })).json).toMatchObject({
      code: 'CONFIG_NOT_FOUND',
    });
    const bad = await api<{ code: string; errors: { path: string }[] }>('jingxin', 'POST', '/evaluations', {
      year: 2025,
      config: { schemaVersion: 1, id: 'x' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('CONFIG_INVALID');
    expect(bad.json.errors.length).toBeGreaterThan(0);
    expect((await api('shuiwu', 'POST', '/evaluations', { year: 2025 })).json).toMatchObject({
      code: 'FORBIDDEN_ROLE',
    });
    expect((await api('zhengwu', 'GET', '/evaluations')).json).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect((await api('jingxin', 'GET', '/evaluations/PJ-NOPE')).json).toMatchObject({
      code: 'EVALUATION_NOT_FOUND',
    });
    expect((await api('jingxin', 'GET', `/evaluations/${evaluation.id}/enterprises?pageSize=9999`)).status).toBe(400);
    expect((await api('jingxin', 'GET', `/evaluations/${evaluation.id}/enterprises/X`)).json).toMatchObject({
      code: 'ENTERPRISE_NOT_FOUND',
    });
  });

  it('lists, filters and sorts the ranking table; the auditor reads it too', async () => {
    const list = await api<{ items: { id: string }[] }>('shenji', 'GET', '/evaluations?year=2025');
    expect(list.json.items.map((e) => e.id)).toContain(evaluation.id);
    const page = await api<{ items: { rank: number; class: string; group: string }[]; total: number }>(
      'jingxin',
      'GET',
      `/evaluations/${evaluation.id}/enterprises?group=规上&graded=true&sort=rank&pageSize=50`,
    );
    expect(page.json.items.map((i) => i.rank)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const graded规上 = result.enterprises.filter((e) => e.graded && e.group === '规上').length;
    expect(page.json.total).toBe(graded规上);
    const dClass = await api<{ items: { class: string }[]; total: number }>(
      'jingxin',
      'GET',
      `/evaluations/${evaluation.id}/enterprises?class=D&sort=total&order=asc`,
    );
    expect(dClass.json.total).toBe(result.enterprises.filter((e) => e.class === 'D').length);
  });

  it('shows an enterprise’s figures with their department and exchange; a provider sees only its own', async () => {
    const firm = result.enterprises.find((e) => e.graded && e.group === '规上') as ResultFile['enterprises'][number];
    const detail = await api<{
      figures: { figure: string; provider: string; value: number | null; requestId: string; hidden: boolean }[];
      indicators: { id: string; value: number | null; benchmark: number | null }[];
    }>('jingxin', 'GET', `/evaluations/${evaluation.id}/enterprises/${firm.uscc}`);
    expect(detail.status).toBe(200);
    const tax = detail.json.figures.find((f) => f.figure === 'tax');
    expect(tax).toMatchObject({ provider: 'shuiwu', hidden: false });
    expect(evaluation.exchanges.map((e) => e.requestId)).toContain(tax?.requestId);
    expect(detail.json.indicators.map((i) => i.id)).toEqual(Object.keys(firm.indicators));
    const asTax = await api<typeof detail.json>(
      'shuiwu',
      'GET',
      `/evaluations/${evaluation.id}/enterprises/${firm.uscc}`,
    );
    expect(asTax.json.figures.find((f) => f.figure === 'tax')?.value).toBe(tax?.value);
    expect(asTax.json.figures.find((f) => f.figure === 'value_added')).toMatchObject({ hidden: true, value: null });
  });

  it('takes an objection from the supplying department, shows it, and re-runs once corrected', async () => {
    const firm = result.enterprises.find((e) => e.graded && e.group === '规上') as ResultFile['enterprises'][number];
    const path = `/evaluations/${evaluation.id}/objections`;
    expect(
      (await api('tongji', 'POST', path, { uscc: firm.uscc, figure: 'tax', reason: '不是本部门数据' })).json,
    ).toMatchObject({ code: 'NOT_SUPPLIER_OF_FIGURE' });
    expect((await api('shuiwu', 'POST', path, { uscc: firm.uscc, figure: 'profit', reason: 'x' })).json).toMatchObject({
      code: 'UNKNOWN_FIGURE',
    });
    expect((await api('shuiwu', 'POST', path, { uscc: firm.uscc, figure: 'tax', reason: '  ' })).json).toMatchObject({
      code: 'REASON_REQUIRED',
    });
    const filed = await api<{ id: string; status: string }>('shuiwu', 'POST', path, {
      uscc: firm.uscc,
      figure: 'tax',
      reason: '该企业 2025 年度补缴税款未计入，待更正',
    });
    expect(filed.status).toBe(201);
    expect(filed.json.status).toBe('open');
    const shown = await api<{ figures: { figure: string; disputed: boolean }[]; objections: { id: string }[] }>(
      'jingxin',
      'GET',
      `/evaluations/${evaluation.id}/enterprises/${firm.uscc}`,
    );
    expect(shown.json.figures.find((f) => f.figure === 'tax')?.disputed).toBe(true);
    expect(shown.json.objections.map((o) => o.id)).toContain(filed.json.id);
    const mine = await api<{ items: { id: string }[] }>('shuiwu', 'GET', '/objections?status=open');
    expect(mine.json.items.map((o) => o.id)).toContain(filed.json.id);
    expect((await api('tongji', 'GET', '/objections')).json).toMatchObject({ items: [] });
    const resolved = await api<{ status: string }>('shuiwu', 'POST', `/objections/${filed.json.id}/resolve`, {
      status: 'corrected',
      note: '已在本部门前置机更正',
    });
    expect(resolved.json.status).toBe('corrected');
    expect(
      (await api('shuiwu', 'POST', `/objections/${filed.json.id}/resolve`, { status: 'rejected' })).json,
    ).toMatchObject({ code: 'OBJECTION_CLOSED' });
  });

  it('re-runs with another methodology (Huangyan 2022) and compares classes', async () => {
    const other = await runEvaluation(2025, { configId: 'huangyan-2022' });
    expect(other.status).toBe('done');
    const moves = await api<{ matrix: Record<string, Record<string, number>>; basis: { kind: string } }>(
      'jingxin',
      'GET',
      `/evaluations/${other.id}/moves?against=${evaluation.id}`,
    );
    expect(moves.json.basis.kind).toBe('evaluation');
    const total = Object.values(moves.json.matrix).reduce(
      (s, row) => s + Object.values(row).reduce((a, b) => a + b, 0),
      0,
    );
    expect(total).toBe(result.enterprises.filter((e) => e.class !== null).length);
    const huangyan = (await api<ResultFile>('jingxin', 'GET', `/evaluations/${other.id}/result`)).json;
    expect(huangyan.groups.find((g) => g.label === '规上')?.benchmarks.map((b) => b.value)).toEqual([
      24.097, 136.16, 2.694, 4929.81, 18.14, 0.0302,
    ]);
    const sameRun = await api<{ basis: { kind: string; year: number } }>(
      'jingxin',
      'GET',
      `/evaluations/${evaluation.id}/moves`,
    );
    expect(sameRun.json.basis).toEqual({ kind: 'sameRun', year: 2024 });
  });

  it('lists policies and exports the workbook with the five sheets', async () => {
    const policies = await api<{ items: { class: string; amount: string | null }[] }>(
      'jingxin',
      'GET',
      `/evaluations/${evaluation.id}/policies`,
    );
    expect(policies.json.items.some((p) => p.class === 'D' && p.amount !== null)).toBe(true);
    expect((await api('shuiwu', 'GET', `/evaluations/${evaluation.id}/policies`)).json).toMatchObject({
      code: 'FORBIDDEN_ROLE',
    });
    const file = await api('jingxin', 'GET', `/evaluations/${evaluation.id}/xlsx`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.raw);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['汇总', '规上', '规下', '不参评', '政策清单']);
    expect(workbook.getWorksheet('规上')?.rowCount).toBe(
      1 + result.enterprises.filter((e) => e.graded && e.group === '规上').length,
    );
  });

  it('takes the earlier years’ classes from the stored evaluation of Y−1 (same methodology)', async () => {
    const y2024 = await runEvaluation(2024);
    expect(y2024.status).toBe('done');
    const again = await runEvaluation(2025);
    const detail = (
      await api<{ summary: { history: { kind: string; evaluationId?: string } } }>(
        'jingxin',
        'GET',
        `/evaluations/${again.id}`,
      )
    ).json;
    expect(detail.summary.history).toEqual({ kind: 'stored', evaluationId: y2024.id, year: 2024 });
    // Only year 2025 went through the exchange this time.
    expect(new Set(again.exchanges.map((e) => (e as unknown as { year: number | null }).year))).toEqual(
      new Set([null, 2025]),
    );
    const stored = (await api<ResultFile>('jingxin', 'GET', `/evaluations/${again.id}/result`)).json;
    const pick = (e: ResultFile['enterprises'][number]) => ({
      uscc: e.uscc,
      class: e.class,
      total: e.total,
      policies: e.policies,
    });
    expect(stored.enterprises.map(pick)).toEqual(result.enterprises.map(pick));
  });
});

describe('hutong evaluate (CLI) against the running city', () => {
  it('writes the JSON and the XLSX, which LibreOffice opens when installed (acceptance 4)', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const json = join(city.dataDir, 'cli-result.json');
    const xlsx = join(city.dataDir, 'cli-result.xlsx');
    const code = await runEvaluate(
      { year: '2025', json, xlsx, url: city.url, data: city.dataDir, as: 'jingxin', history: 'recompute', pollMs: 200 },
      { out: (l) => out.push(l), err: (l) => err.push(l) },
    );
    expect(code, err.join('\n')).toBe(0);
    expect(out.join('\n')).toContain('规上');
    const file = JSON.parse(readFileSync(json, 'utf8')) as ResultFile;
    expect(file.enterprises.length).toBe(result.enterprises.length);
    const first = file.enterprises.find((e) => e.graded)!;
    expect(Object.keys(first)).toEqual(
      expect.arrayContaining([
        'uscc',
        'name',
        'group',
        'graded',
        'reason',
        'indicators',
        'scores',
        'total',
        'rank',
        'class',
        'veto',
        'policies',
      ]),
    );
    expect(file.groups.map((g) => g.label)).toEqual(['规上', '规下']);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['汇总', '规上', '规下', '不参评', '政策清单']);
    const office = ['libreoffice', 'soffice'].find((bin) => spawnSync('which', [bin]).status === 0);
    if (office) {
      const converted = spawnSync(
        office,
        [
          `-env:UserInstallation=file://${join(city.dataDir, 'lo')}`,
          '--headless',
          '--convert-to',
          'pdf',
          '--outdir',
          city.dataDir,
          xlsx,
        ],
        { encoding: 'utf8', timeout: 120_000 },
      );
      expect(converted.status, converted.stderr).toBe(0);
      expect(existsSync(join(city.dataDir, 'cli-result.pdf'))).toBe(true);
    }
    // Bad arguments: exit code 2 and a stable code, nothing sent.
    const bad: string[] = [];
    expect(
      await runEvaluate(
        { year: '99', url: city.url, data: city.dataDir, as: 'jingxin' },
        { out: () => {}, err: (l) => bad.push(l) },
      ),
    ).toBe(2);
    expect(bad.join('')).toContain('BAD_YEAR');
    expect(
      await runEvaluate(
        { year: '2025', url: city.url, data: city.dataDir, as: 'shuiwu' },
        { out: () => {}, err: (l) => bad.push(l) },
      ),
    ).toBe(2);
    expect(bad.join('')).toContain('FORBIDDEN_ROLE');
  }, 120_000);
});
