/**
 * The evaluation as an Excel workbook (exceljs streaming writer, so 100,000 enterprises do not sit in
 * memory twice): sheets 汇总, 规上, 规下, 不参评, 政策清单 with Chinese headers and number formats.
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { GroupLabel, Methodology } from './config';
import { districtName, industryName, inputLabels, reasonLabels } from './labels';
import { type EnterpriseDetail, type EvaluationSummary, policyItems } from './rows';
import type { EnterpriseRow } from '../store/store';

export const sheetNames = ['汇总', '规上', '规下', '不参评', '政策清单'] as const;

export interface XlsxInput {
  id: string;
  year: number;
  config: Methodology;
  summary: EvaluationSummary;
  createdAt: string;
  /** Every enterprise row of the evaluation, in any order. */
  rows: AsyncIterable<EnterpriseRow[]>;
  /** Open objections (数据异议) by credit code, shown next to the enterprise. */
  disputed?: ReadonlyMap<string, string[]>;
}

const fmt = {
  int: '#,##0',
  mu: '#,##0.00',
  money: '#,##0.00',
  value: '#,##0.0000',
  score: '0.00',
  total: '0.000000',
  rate: '0.00',
};

interface Column {
  header: string;
  key: string;
  width: number;
  numFmt?: string;
}

function addSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: Column[]) {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width,
    ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}),
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
  header.commit();
  return sheet;
}

function groupColumns(config: Methodology, label: GroupLabel): Column[] {
  const group = config.groups.find((g) => g.label === label);
  const indicatorColumns = (group?.indicators ?? []).flatMap((indicator) => [
    {
      header: `${indicator.name}${indicator.unit ? `（${indicator.unit}）` : ''}`,
      key: `v_${indicator.id}`,
      width: 16,
      numFmt: fmt.value,
    },
    {
      header: `${indicator.name}得分（权重 ${indicator.weight}）`,
      key: `s_${indicator.id}`,
      width: 14,
      numFmt: fmt.score,
    },
  ]);
  return [
    { header: '排名', key: 'rank', width: 8, numFmt: fmt.int },
    { header: '统一社会信用代码', key: 'uscc', width: 22 },
    { header: '企业名称', key: 'name', width: 34 },
    { header: '区县', key: 'district', width: 10 },
    { header: '行业', key: 'industry', width: 24 },
    { header: '工业用地（亩）', key: 'land', width: 12, numFmt: fmt.mu },
    ...indicatorColumns,
    { header: '综合得分', key: 'total', width: 12, numFmt: fmt.total },
    { header: '按排名分类', key: 'rankClass', width: 10 },
    { header: '一票否决', key: 'veto', width: 22 },
    { header: '评价分类', key: 'class', width: 10 },
    { header: '分类名称', key: 'classLabel', width: 12 },
    { header: '上年分类', key: 'previous', width: 10 },
    { header: '差别化政策', key: 'policy', width: 28 },
    { header: '数据异议', key: 'disputed', width: 18 },
  ];
}

export async function writeEvaluationXlsx(input: XlsxInput, stream: Writable): Promise<void> {
  const { config, summary } = input;
  const rows: EnterpriseRow[] = [];
  for await (const page of input.rows) rows.push(...page);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  workbook.creator = '互通 · 清河市经济和信息化局';
  workbook.created = new Date(input.createdAt);

  // 汇总: a report page (title first), not a table with one header row.
  const overview = workbook.addWorksheet('汇总');
  overview.columns = [32, 16, 14, 14, 14, 14, 16, 18, 18].map((width) => ({ width }));
  const line = (values: (string | number | null)[], formats: (string | undefined)[] = [], bold = false) => {
    const row = overview.addRow(values);
    formats.forEach((numFmt, index) => {
      if (numFmt) row.getCell(index + 1).numFmt = numFmt;
    });
    if (bold) row.font = { bold: true };
    row.commit();
  };
  line([`${input.year} 年度工业企业亩均效益综合评价`, null], [], true);
  line(['评价办法', `${config.title}（${config.id} v${config.version}）`]);
  line(['评价编号', input.id]);
  line(['生成时间', chinaTime(input.createdAt)]);
  line(['登记企业数', summary.counts.registry], [undefined, fmt.int]);
  line(['评价范围内企业数', summary.counts.inScope], [undefined, fmt.int]);
  line(['参评企业数', summary.counts.graded], [undefined, fmt.int]);
  line([]);
  line(['分组', '参评企业', 'A 类', 'B 类', 'C 类', 'D 类', '一票否决', '否决降档', '不参评'], [], true);
  for (const group of summary.groups) {
    const notGraded = Object.values(group.notGraded).reduce((s, n) => s + n, 0);
    line(
      [
        group.label,
        group.graded,
        group.classCounts.A,
        group.classCounts.B,
        group.classCounts.C,
        group.classCounts.D,
        group.vetoed,
        group.vetoApplied,
        notGraded,
      ],
      [undefined, fmt.int, fmt.int, fmt.int, fmt.int, fmt.int, fmt.int, fmt.int, fmt.int],
    );
  }
  line([]);
  line(['分组', '指标', '单位', '权重', '基准值', '基准类型', '有数据企业', '缺数据者均分'], [], true);
  for (const group of summary.groups) {
    for (const b of group.benchmarks) {
      line(
        [
          group.label,
          b.name,
          b.unit,
          b.weight,
          b.value,
          b.type === 'fixed' ? '公布值' : '本组合计比值',
          b.enterprises,
          b.meanScore,
        ],
        [undefined, undefined, undefined, fmt.int, '0.000000', undefined, fmt.int, fmt.score],
      );
    }
  }
  line([]);
  line(['不参评原因', '企业数'], [], true);
  // By the reason each enterprise was given (注销 and 吊销 apart), the largest first.
  const byReason = new Map<string, number>();
  for (const row of rows) {
    if (row.graded) continue;
    const label = (row.detail as EnterpriseDetail).reasonLabel ?? reasonLabels[row.reason ?? ''] ?? '其他不参评原因';
    byReason.set(label, (byReason.get(label) ?? 0) + 1);
  }
  for (const [label, count] of [...byReason].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'zh'))) {
    line([label, count], [undefined, fmt.int]);
  }
  for (const [title, list, nameOf] of [
    ['区县', summary.byDistrict, districtName],
    ['行业大类', summary.byIndustry, industryName],
  ] as const) {
    line([]);
    line(
      [
        title,
        '参评企业',
        'A 类',
        'B 类',
        'C 类',
        'D 类',
        '工业用地（亩）',
        '亩均税收（万元/亩）',
        '亩均增加值（万元/亩）',
      ],
      [],
      true,
    );
    for (const row of list) {
      line(
        [
          `${nameOf(row.key)}（${row.key}）`,
          row.graded,
          row.classCounts.A,
          row.classCounts.B,
          row.classCounts.C,
          row.classCounts.D,
          row.landMu,
          row.taxPerMu,
          row.valueAddedPerMu,
        ],
        [undefined, fmt.int, fmt.int, fmt.int, fmt.int, fmt.int, fmt.mu, fmt.value, fmt.value],
      );
    }
  }
  await overview.commit();

  // 规上, 规下: graded enterprises in rank order.
  for (const label of ['规上', '规下'] as const) {
    const group = config.groups.find((g) => g.label === label);
    const sheet = addSheet(workbook, label, groupColumns(config, label));
    const graded = rows.filter((r) => r.graded && r.group === label).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
    for (const row of graded) {
      const detail = row.detail as EnterpriseDetail;
      const values: Record<string, unknown> = {
        rank: row.rank,
        uscc: row.uscc,
        name: row.name,
        district: districtName(row.districtCode),
        industry: `${row.industryCode} ${industryName(row.industryCode)}`,
        land: detail.inputs.land_mu ?? null,
        total: row.total,
        rankClass: row.rankClass,
        veto: detail.veto ? detail.veto.rules.join('、') + (detail.veto.applied ? '（降档）' : '') : '',
        class: row.class,
        classLabel: row.class ? config.classes.labels[row.class as 'A' | 'B' | 'C' | 'D'] : '',
        previous: detail.previousClasses[0] ?? '',
        policy: detail.policies.map(policyText).join('；'),
        disputed: (input.disputed?.get(row.uscc) ?? []).join('、'),
      };
      (group?.indicators ?? []).forEach((indicator, index) => {
        const result = detail.indicators[index];
        values[`v_${indicator.id}`] = result?.value ?? null;
        values[`s_${indicator.id}`] = result?.score ?? null;
      });
      sheet.addRow(values).commit();
    }
    await sheet.commit();
  }

  // 不参评
  const excluded = addSheet(workbook, '不参评', [
    { header: '统一社会信用代码', key: 'uscc', width: 22 },
    { header: '企业名称', key: 'name', width: 34 },
    { header: '分组', key: 'group', width: 8 },
    { header: '区县', key: 'district', width: 10 },
    { header: '行业代码', key: 'industry', width: 10 },
    { header: '原因代码', key: 'reason', width: 24 },
    { header: '不参评原因', key: 'label', width: 40 },
    { header: '缺失数据', key: 'missing', width: 30 },
  ]);
  const notGraded = rows
    .filter((r) => !r.graded)
    .sort((a, b) => (a.reason ?? '').localeCompare(b.reason ?? '') || (a.uscc < b.uscc ? -1 : 1));
  for (const row of notGraded) {
    const detail = row.detail as EnterpriseDetail;
    excluded
      .addRow({
        uscc: row.uscc,
        name: row.name,
        group: row.group ?? '',
        district: districtName(row.districtCode),
        industry: row.industryCode,
        reason: row.reason,
        label: detail.reasonLabel,
        missing: detail.missing.map((name) => inputLabels[name] ?? name).join('、'),
      })
      .commit();
  }
  await excluded.commit();

  // 政策清单
  const policies = addSheet(workbook, '政策清单', [
    { header: '统一社会信用代码', key: 'uscc', width: 22 },
    { header: '企业名称', key: 'name', width: 34 },
    { header: '分组', key: 'group', width: 8 },
    { header: '排名', key: 'rank', width: 8, numFmt: fmt.int },
    { header: '评价分类', key: 'class', width: 10 },
    { header: '政策', key: 'policy', width: 24 },
    { header: '连续年数', key: 'years', width: 10, numFmt: fmt.int },
    { header: '用电量（千瓦时）', key: 'kwh', width: 16, numFmt: fmt.int },
    { header: '加价标准（元/千瓦时）', key: 'rate', width: 18, numFmt: fmt.rate },
    { header: '预计加价金额（元）', key: 'amount', width: 18, numFmt: fmt.money },
  ]);
  const withPolicy = rows
    .filter((r) => (r.detail as EnterpriseDetail).policies.length > 0)
    .sort(
      (a, b) =>
        (a.class ?? '').localeCompare(b.class ?? '') ||
        (a.group ?? '').localeCompare(b.group ?? '') ||
        (a.rank ?? 0) - (b.rank ?? 0),
    );
  for (const item of policyItems(withPolicy)) {
    policies
      .addRow({
        ...item,
        policy: item.label,
        years: item.consecutiveYears,
        rate: item.rate ? Number(item.rate) : null,
        amount: item.amount ? Number(item.amount) : null,
      })
      .commit();
  }
  await policies.commit();
  await workbook.commit();
}

function policyText(policy: EnterpriseDetail['policies'][number]): string {
  if (policy.kind === 'listed') return policy.label;
  return `${policy.label} ${policy.rate} 元/千瓦时（连续第 ${policy.consecutiveYears} 年）${policy.amount ? `，约 ${policy.amount} 元` : ''}`;
}

/** An instant as the city reads it: Beijing time, to the second. */
function chinaTime(iso: string): string {
  return new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' });
}
