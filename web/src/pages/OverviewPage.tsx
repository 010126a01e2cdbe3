// City overview: the SLA board that makes each department's answering record visible to all.
import { Card, Col, Empty, Row, Skeleton, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import {
  type AgreementStatus,
  api,
  type DepartmentStats,
  type OverdueApplication,
  type SharingType,
} from '../api/client';
import { type ChartOption, EChart } from '../components/EChart';
import { ErrorAlert } from '../components/ErrorAlert';
import { fmtDate, fmtDateTime } from '../components/format';
import { STATUS_HEX, SHARING_HEX } from '../components/tags';
import { useLoad } from '../components/useLoad';
import { ServicesMetrics } from './services/ServicesMetrics';
import { PageTitle } from '../components/PageTitle';
import { useMemberName } from '../components/memberNames';

const ROLE_ORDER: DepartmentStats['role'][] = ['provider', 'consumer', 'operator', 'auditor'];

/** A ring chart of counts by key: values on the ring, names in the legend (outside labels collide in a narrow card). */
function ringOption<K extends string>(
  counts: Map<K, number> | undefined,
  name: (key: K) => string,
  colors: Record<K, string>,
): ChartOption {
  const slices = [...(counts ?? new Map<K, number>()).entries()].map(([key, value]) => ({
    name: name(key),
    value,
    color: colors[key],
  }));
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { bottom: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 12 } },
    series: [
      {
        type: 'pie',
        radius: ['36%', '62%'],
        center: ['50%', '42%'],
        label: { position: 'inside', formatter: '{c}', color: '#fff', fontWeight: 600 },
        labelLine: { show: false },
        data: slices.map(({ name, value, color }) => ({ name, value, itemStyle: { color } })),
      },
    ],
  };
}

export default function OverviewPage() {
  const { t, i18n } = useTranslation();
  const memberName = useMemberName();
  const board = useLoad(() => api.overview(), []);
  const pies = useMemo(() => {
    if (!board.data) return { data: undefined };
    const bySharing = new Map(Object.entries(board.data.resourcesBySharingType) as [SharingType, number][]);
    const byStatus = new Map(
      (Object.entries(board.data.agreementsByStatus) as [AgreementStatus, number][]).filter(([, count]) => count > 0),
    );
    return { data: { bySharing, byStatus } };
  }, [board.data]);

  const data = board.data;
  // Providers first: they are the ones the board holds to account.
  const departments = useMemo(
    () => [...(data?.departments ?? [])].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role)),
    [data],
  );
  const providers = useMemo(
    () => (data?.departments ?? []).filter((d) => d.role === 'provider' || d.applicationsReceived > 0),
    [data],
  );

  const barOption = useMemo<ChartOption>(() => {
    // Short labels: the city's name is the same on every bar.
    const names = providers.map((d) => memberName(d.name).replace(/^清河市|^Qinghe (Municipal )?/, ''));
    const onTimePending = providers.map((d) => Math.max(0, d.applicationsPending - d.applicationsOverdue));
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 8 ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { hideOverlap: true } },
      series: [
        {
          name: t('overview.applicationsAnswered'),
          type: 'bar',
          stack: 'a',
          data: providers.map((d) => d.applicationsAnswered),
          itemStyle: { color: '#52c41a' },
        },
        {
          name: t('overview.applicationsPending'),
          type: 'bar',
          stack: 'a',
          data: onTimePending,
          itemStyle: { color: '#1677ff' },
        },
        {
          name: t('overview.applicationsOverdue'),
          type: 'bar',
          stack: 'a',
          data: providers.map((d) => d.applicationsOverdue),
          itemStyle: { color: '#ff4d4f' },
        },
      ],
    } as ChartOption;
  }, [providers, t, memberName]);

  const sharingOption = useMemo<ChartOption>(
    () => ringOption(pies.data?.bySharing, (k) => t(`sharingType.${k}`), SHARING_HEX),
    [pies.data, t],
  );
  const statusOption = useMemo<ChartOption>(
    () => ringOption(pies.data?.byStatus, (k) => t(`status.${k}`), STATUS_HEX),
    [pies.data, t],
  );

  const median = (h: number | null) => {
    if (h === null) return '—';
    // At most one decimal and no trailing “.0” (24 小时, 2.5 天), grouped like every other number.
    const oneDecimal = new Intl.NumberFormat(i18n.language === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 1 });
    return h >= 48
      ? t('overview.days', { value: oneDecimal.format(h / 24) })
      : t('overview.hours', { value: oneDecimal.format(h) });
  };

  const columns: ColumnsType<DepartmentStats> = [
    {
      title: t('overview.department'),
      dataIndex: 'name',
      fixed: 'left',
      width: 210,
      render: (v: string, d) => (
        <span data-code={d.code} style={{ whiteSpace: 'nowrap' }}>
          {memberName(v)}
        </span>
      ),
    },
    {
      title: t('overview.role'),
      dataIndex: 'role',
      render: (r: DepartmentStats['role']) => <Tag>{t(`memberRole.${r}`)}</Tag>,
    },
    {
      title: t('overview.resourcesPublished'),
      dataIndex: 'resourcesPublished',
      align: 'right',
      sorter: (a, b) => a.resourcesPublished - b.resourcesPublished,
    },
    {
      title: t('overview.applicationsReceived'),
      dataIndex: 'applicationsReceived',
      align: 'right',
      sorter: (a, b) => a.applicationsReceived - b.applicationsReceived,
    },
    { title: t('overview.applicationsAnswered'), dataIndex: 'applicationsAnswered', align: 'right' },
    { title: t('overview.applicationsPending'), dataIndex: 'applicationsPending', align: 'right' },
    {
      title: t('overview.applicationsOverdue'),
      dataIndex: 'applicationsOverdue',
      align: 'right',
      sorter: (a, b) => a.applicationsOverdue - b.applicationsOverdue,
      render: (v: number) =>
        v > 0 ? (
          <Typography.Text type="danger" strong>
            {v}
          </Typography.Text>
        ) : (
          v
        ),
    },
    {
      title: t('overview.maxWorkingDaysOverdue'),
      dataIndex: 'maxWorkingDaysOverdue',
      align: 'right',
      sorter: (a, b) => a.maxWorkingDaysOverdue - b.maxWorkingDaysOverdue,
      render: (v: number) => (v > 0 ? <Tag color="red">{t('sla.overdue', { days: v })}</Tag> : '—'),
    },
    { title: t('overview.medianAnswer'), dataIndex: 'medianAnswerHours', align: 'right', render: median },
    { title: t('overview.agreementsActive'), dataIndex: 'agreementsActive', align: 'right' },
  ];

  const deptName = (code: string) => memberName(data?.departments.find((d) => d.code === code)?.name ?? code);
  const overdueColumns: ColumnsType<OverdueApplication> = [
    {
      title: t('overview.resource'),
      dataIndex: 'resourceName',
      render: (v: string, o) => <Link to={`/catalog/${o.resourceCode}`}>{v}</Link>,
    },
    { title: t('overview.provider'), dataIndex: 'providerCode', render: deptName },
    { title: t('overview.consumer'), dataIndex: 'consumerCode', render: deptName },
    { title: t('overview.appliedAt'), dataIndex: 'appliedAt', render: fmtDate },
    { title: t('overview.dueAt'), dataIndex: 'dueAt', render: fmtDate },
    {
      title: t('agreement.sla'),
      dataIndex: 'workingDaysOverdue',
      defaultSortOrder: 'descend',
      sorter: (a, b) => a.workingDaysOverdue - b.workingDaysOverdue,
      render: (v: number) => <Tag color="red">{t('sla.overdue', { days: v })}</Tag>,
    },
  ];

  const kpis: [keyof NonNullable<typeof data>['totals'], string?][] = [
    ['resourcesPublished'],
    ['applicationsReceived'],
    ['applicationsAnswered', '#389e0d'],
    ['applicationsPending', '#1677ff'],
    ['applicationsOverdue', '#cf1322'],
    ['agreementsActive'],
  ];

  return (
    <div data-testid="overview-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline', flexWrap: 'wrap' }}>
        <PageTitle title={t('overview.title')} />
        {data && (
          <Typography.Text type="secondary">
            {t('overview.slaRule', { days: data.slaWorkingDays })} ·{' '}
            {t('overview.asOf', { time: fmtDateTime(data.asOf) })}
          </Typography.Text>
        )}
      </div>
      <ErrorAlert error={board.error} onRetry={board.reload} />
      <Row gutter={[16, 16]}>
        {kpis.map(([k, color]) => (
          <Col key={k} xs={12} md={8} xl={4}>
            <Card className="kpi" size="small">
              <Skeleton loading={board.loading && !data} active paragraph={false}>
                <Statistic
                  title={t(`overview.${k}`)}
                  value={data?.totals[k] ?? 0}
                  styles={{ content: color ? { color } : {} }}
                />
              </Skeleton>
            </Card>
          </Col>
        ))}
        <Col span={24}>
          <ServicesMetrics />
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('overview.chartAnswers')} size="small">
            {providers.length > 0 || board.loading ? (
              <EChart option={barOption} height={300} testId="chart-answers" />
            ) : (
              <Empty />
            )}
          </Card>
        </Col>
        <Col xs={24} md={12} xl={6}>
          <Card title={t('overview.chartSharing')} size="small">
            <EChart option={sharingOption} height={300} testId="chart-sharing" />
          </Card>
        </Col>
        <Col xs={24} md={12} xl={6}>
          <Card title={t('overview.chartAgreements')} size="small">
            <EChart option={statusOption} height={300} testId="chart-agreements" />
          </Card>
        </Col>
        <Col span={24}>
          <Card title={t('overview.board')} size="small">
            <Table<DepartmentStats>
              rowKey="code"
              size="small"
              loading={board.loading}
              columns={columns}
              dataSource={departments}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              scroll={{ x: 'max-content' }}
              data-testid="sla-board"
            />
          </Card>
        </Col>
        <Col span={24}>
          <Card title={t('overview.overdueList')} size="small">
            <Table<OverdueApplication>
              rowKey="agreementId"
              size="small"
              loading={board.loading}
              columns={overdueColumns}
              dataSource={data?.overdue ?? []}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              locale={{
                emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('overview.noOverdue')} />,
              }}
              data-testid="overdue-list"
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
