// The class distribution charts (by group, district and industry) and the benchmarks.
import { Card, Col, Row, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Evaluation, EvaluationClass } from '../../api/evaluation';
import { type ChartOption, EChart } from '../../components/EChart';
import { CLASS_HEX, CLASSES, districtName, fmtNumber, groupName, industryName } from './common';

function stacked(names: string[], counts: Record<EvaluationClass, number>[], t: (k: string) => string): ChartOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0 } },
    // Labels that would overlap are left out rather than run together (“1,2001,5001,800”).
    yAxis: { type: 'value', minInterval: 1, axisLabel: { hideOverlap: true } },
    series: CLASSES.map((cls) => ({
      name: `${cls} ${t(`evaluation.classLabel.${cls}`)}`,
      type: 'bar' as const,
      stack: 'classes',
      data: counts.map((c) => c[cls]),
      itemStyle: { color: CLASS_HEX[cls] },
    })),
  } as ChartOption;
}

export function Charts({ evaluation }: { evaluation: Evaluation }) {
  const { t } = useTranslation();
  const s = evaluation.summary!;
  const byGroup = useMemo(
    () =>
      stacked(
        s.groups.map((g) => groupName(g.label)),
        s.groups.map((g) => g.classCounts),
        t,
      ),
    [s, t],
  );
  const byDistrict = useMemo(() => {
    const rows = s.byDistrict.filter((r) => r.graded > 0);
    return stacked(
      rows.map((r) => districtName(r.key)),
      rows.map((r) => r.classCounts),
      t,
    );
  }, [s, t]);
  const byIndustry = useMemo(() => {
    const rows = [...s.byIndustry]
      .filter((r) => r.graded > 0)
      .sort((a, b) => b.graded - a.graded)
      .slice(0, 12)
      .reverse();
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      yAxis: { type: 'category', data: rows.map((r) => industryName(r.key)) },
      xAxis: { type: 'value', minInterval: 1, axisLabel: { hideOverlap: true } },
      series: CLASSES.map((cls) => ({
        name: `${cls} ${t(`evaluation.classLabel.${cls}`)}`,
        type: 'bar' as const,
        stack: 'classes',
        data: rows.map((r) => r.classCounts[cls]),
        itemStyle: { color: CLASS_HEX[cls] },
      })),
    } as ChartOption;
  }, [s, t]);
  const districtColumns: ColumnsType<(typeof s.byDistrict)[number]> = [
    {
      key: 'k',
      title: t('evaluation.district'),
      render: (_, r) => <span style={{ whiteSpace: 'nowrap' }}>{districtName(r.key)}</span>,
    },
    { key: 'g', title: t('evaluation.graded'), dataIndex: 'graded', align: 'right' },
    {
      key: 'l',
      title: t('evaluation.landMu'),
      dataIndex: 'landMu',
      align: 'right',
      render: (v: number) => fmtNumber(v),
    },
    {
      key: 't',
      title: t('evaluation.taxPerMu'),
      dataIndex: 'taxPerMu',
      align: 'right',
      render: (v: number | null) => fmtNumber(v),
    },
    {
      key: 'v',
      title: t('evaluation.vaPerMu'),
      dataIndex: 'valueAddedPerMu',
      align: 'right',
      render: (v: number | null) => fmtNumber(v),
    },
  ];
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={8}>
        <Card title={t('evaluation.chartGroup')} size="small">
          <EChart option={byGroup} height={300} testId="chart-group" />
        </Card>
      </Col>
      <Col xs={24} lg={16}>
        <Card title={t('evaluation.chartDistrict')} size="small">
          <EChart option={byDistrict} height={300} testId="chart-district" />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t('evaluation.chartIndustry')} size="small">
          <EChart option={byIndustry} height={380} testId="chart-industry" />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t('evaluation.districtFigures')} size="small">
          <Table size="small" pagination={false} rowKey="key" dataSource={s.byDistrict} columns={districtColumns} />
        </Card>
      </Col>
    </Row>
  );
}
