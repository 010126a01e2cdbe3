// 亩均论英雄 dashboard (经信局): run or reopen an evaluation; class distribution by group, district and
// industry; benchmarks; the ranking table (sortable, filterable); not graded; year-over-year class moves;
// the policy list; where every figure came from (department, exchange, ledger entry); objections; XLSX.
import { DownloadOutlined, PlayCircleOutlined, ReloadOutlined, WarningOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Row,
  Select,
  Space,
  Spin,
  Statistic,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType, TablePaginationConfig } from 'antd/es/table';
import type { SorterResult } from 'antd/es/table/interface';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useMe } from '../../auth/AuthContext';
import {
  type EnterpriseListItem,
  type EnterpriseQuery,
  type Evaluation,
  type EvaluationClass,
  type Exchange,
  evaluationApi,
  type Objection,
  type PolicyItem,
} from '../../api/evaluation';
import { type ChartOption, EChart } from '../../components/EChart';
import { ErrorAlert } from '../../components/ErrorAlert';
import { errorMessage } from '../../components/errors';
import { fmtDateTime } from '../../components/format';
import { useLoad } from '../../components/useLoad';
import {
  CLASS_HEX,
  CLASSES,
  ClassTag,
  canRun,
  districtName,
  fmtMoney,
  fmtNumber,
  industryName,
  LedgerEntryButton,
  seesAll,
} from './common';

export default function EvaluationPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const list = useLoad(() => evaluationApi.list(), []);
  const selectedId =
    params.get('id') ?? list.data?.items.find((e) => e.status === 'done')?.id ?? list.data?.items[0]?.id;
  const [runOpen, setRunOpen] = useState(false);

  const select = (id: string) => setParams({ id }, { replace: false });

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <span>{t('evaluation.title')}</span>
            <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
              {t('evaluation.subtitle')}
            </Typography.Text>
          </Space>
        }
        extra={
          canRun(me) && (
            <Button
              type="primary"
              icon={<PlayCircleOutlined />}
              onClick={() => setRunOpen(true)}
              data-testid="eval-run"
            >
              {t('evaluation.run')}
            </Button>
          )
        }
      >
        <ErrorAlert error={list.error} onRetry={list.reload} />
        <Space wrap>
          <Typography.Text>{t('evaluation.pick')}</Typography.Text>
          <Select
            style={{ minWidth: 520 }}
            value={selectedId}
            loading={list.loading}
            placeholder={t('evaluation.none')}
            onChange={select}
            data-testid="eval-select"
            options={(list.data?.items ?? []).map((e) => ({
              value: e.id,
              label: `${e.year} ${t('evaluation.yearSuffix')} · ${e.configId} v${e.configVersion} · ${fmtDateTime(e.createdAt)} · ${t(`evaluation.status.${e.status}`)}`,
            }))}
          />
          <Button onClick={list.reload}>{t('common.refresh')}</Button>
        </Space>
        {list.data && list.data.items.length === 0 && (
          <Empty
            style={{ marginTop: 24 }}
            description={canRun(me) ? t('evaluation.emptyOwner') : t('evaluation.none')}
          />
        )}
      </Card>
      {selectedId && (
        <EvaluationView
          key={selectedId}
          id={selectedId}
          onListChanged={list.reload}
          onRerun={(next) => {
            list.reload();
            select(next);
          }}
        />
      )}
      <RunModal
        open={runOpen}
        onClose={() => setRunOpen(false)}
        onStarted={(e) => {
          setRunOpen(false);
          list.reload();
          select(e.id);
        }}
      />
    </Space>
  );
}

function RunModal({
  open,
  onClose,
  onStarted,
}: {
  open: boolean;
  onClose: () => void;
  onStarted: (e: Evaluation) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ year: number; configId: string; history: 'auto' | 'recompute' }>();
  const configs = useLoad(() => (open ? evaluationApi.configs() : Promise.resolve({ items: [] })), [open]);
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={open}
      title={t('evaluation.runTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('evaluation.runOk')}
      okButtonProps={{ loading: busy }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ year: 2025, configId: 'default', history: 'auto' }}
        onFinish={async (values) => {
          setBusy(true);
          try {
            onStarted(await evaluationApi.run(values));
          } catch (e) {
            message.error(errorMessage(t, e));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="year" label={t('evaluation.year')} rules={[{ required: true }]}>
          <InputNumber min={2000} max={2100} style={{ width: 160 }} data-testid="eval-year" />
        </Form.Item>
        <Form.Item name="configId" label={t('evaluation.methodology')} rules={[{ required: true }]}>
          <Select
            loading={configs.loading}
            options={(configs.data?.items ?? []).map((c) => ({
              value: c.id,
              label: `${c.title}（${c.id} v${c.version}）`,
            }))}
          />
        </Form.Item>
        <Form.Item name="history" label={t('evaluation.history')} extra={t('evaluation.historyHelp')}>
          <Radio.Group
            options={[
              { value: 'auto', label: t('evaluation.historyAuto') },
              { value: 'recompute', label: t('evaluation.historyRecompute') },
            ]}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EvaluationView({
  id,
  onListChanged,
  onRerun,
}: {
  id: string;
  onListChanged: () => void;
  onRerun: (id: string) => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const { message } = App.useApp();
  const evaluation = useLoad(() => evaluationApi.get(id), [id]);
  const status = evaluation.data?.status;
  // Poll every second for as long as it runs: a run can take minutes on a busy machine, and an answer that
  // still says "running" must arm the next poll too (a one-shot timer re-armed on status changes stopped).
  useEffect(() => {
    if (status !== 'running') return;
    const timer = setInterval(evaluation.reload, 1000);
    return () => clearInterval(timer);
  }, [status, evaluation.reload]);
  useEffect(() => {
    if (status === 'done' || status === 'failed') onListChanged();
  }, [status, onListChanged]);

  if (evaluation.error) return <ErrorAlert error={evaluation.error} onRetry={evaluation.reload} />;
  const e = evaluation.data;
  if (!e) return <Spin />;
  if (e.status === 'running') {
    return (
      <Alert
        type="info"
        showIcon
        icon={<Spin size="small" />}
        data-testid="eval-running"
        title={t('evaluation.running', { year: e.year })}
        description={e.progress ? t('evaluation.progress', { step: e.progress }) : t('evaluation.starting')}
      />
    );
  }
  if (e.status === 'failed') {
    return (
      <Alert
        type="error"
        showIcon
        data-testid="eval-failed"
        title={t('evaluation.failed', { code: e.error?.code })}
        description={e.error?.detail}
      />
    );
  }
  const s = e.summary;
  if (!s) return null;
  const full = seesAll(me);
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="eval-done">
      <Card>
        <Row gutter={[16, 16]}>
          <Col xs={12} md={4}>
            <Statistic title={t('evaluation.registry')} value={s.counts.registry} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title={t('evaluation.inScope')} value={s.counts.inScope} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title={t('evaluation.graded')} value={s.counts.graded} valueStyle={{ color: '#1a5fb4' }} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title={t('evaluation.notGraded')} value={s.counts.inScope - s.counts.graded} />
          </Col>
          {s.groups.map((g) => (
            <Col xs={12} md={4} key={g.label}>
              <Statistic
                title={`${g.label} · A / B / C / D`}
                value={`${g.classCounts.A} / ${g.classCounts.B} / ${g.classCounts.C} / ${g.classCounts.D}`}
                valueStyle={{ fontSize: 18 }}
              />
            </Col>
          ))}
        </Row>
        <Descriptions
          style={{ marginTop: 16 }}
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            { key: 'id', label: t('evaluation.id'), children: <Typography.Text copyable>{e.id}</Typography.Text> },
            { key: 'year', label: t('evaluation.year'), children: e.year },
            {
              key: 'method',
              label: t('evaluation.methodology'),
              children: `${s.methodology.title}（${s.methodology.id} v${s.methodology.version}）`,
            },
            { key: 'by', label: t('evaluation.createdBy'), children: `${e.createdBy} · ${fmtDateTime(e.createdAt)}` },
            {
              key: 'ms',
              label: t('evaluation.duration'),
              children: `${((e.durationMs ?? 0) / 1000).toFixed(1)} s · ${t('evaluation.exchangesCount', { n: e.exchanges?.length ?? 0 })}`,
            },
            {
              key: 'history',
              label: t('evaluation.history'),
              children:
                s.history.kind === 'stored'
                  ? t('evaluation.historyStored', { year: s.history.year, id: s.history.evaluationId })
                  : t('evaluation.historyRecomputed', { years: s.history.years.join('、') || '—' }),
            },
          ]}
        />
        <Space style={{ marginTop: 8 }}>
          {full && (
            <Button
              icon={<DownloadOutlined />}
              data-testid="eval-xlsx"
              onClick={() =>
                void evaluationApi
                  .downloadXlsx(e.id, e.year)
                  .catch((err: unknown) => message.error(errorMessage(t, err)))
              }
            >
              {t('evaluation.xlsx')}
            </Button>
          )}
          {canRun(me) && (
            <Tooltip title={t('evaluation.rerunTip')}>
              <Button
                icon={<ReloadOutlined />}
                data-testid="eval-rerun"
                onClick={() =>
                  void evaluationApi
                    .run({ year: e.year, config: e.config ?? undefined, history: 'auto' })
                    .then((next) => onRerun(next.id))
                    .catch((err: unknown) => message.error(errorMessage(t, err)))
                }
              >
                {t('evaluation.rerun')}
              </Button>
            </Tooltip>
          )}
        </Space>
      </Card>
      <Charts evaluation={e} />
      <Card title={t('evaluation.benchmarks')} size="small">
        <Table
          size="small"
          pagination={false}
          rowKey={(r) => `${r.group}-${r.indicator}`}
          dataSource={s.groups.flatMap((g) => g.benchmarks.map((b) => ({ ...b, group: g.label })))}
          columns={[
            { key: 'g', title: t('evaluation.group'), dataIndex: 'group', width: 80 },
            { key: 'n', title: t('evaluation.indicator'), dataIndex: 'name' },
            { key: 'u', title: t('evaluation.unit'), dataIndex: 'unit', width: 140 },
            { key: 'w', title: t('evaluation.weight'), dataIndex: 'weight', width: 70, align: 'right' },
            {
              key: 'v',
              title: t('evaluation.benchmark'),
              dataIndex: 'value',
              align: 'right',
              render: (v: number | null) => fmtNumber(v, 4),
            },
            {
              key: 't',
              title: t('evaluation.benchmarkType'),
              dataIndex: 'type',
              render: (v: string) => t(`evaluation.benchmarkTypes.${v}`),
            },
            { key: 'e', title: t('evaluation.withData'), dataIndex: 'enterprises', align: 'right', width: 110 },
          ]}
        />
      </Card>
      <Card>
        <Tabs
          data-testid="eval-tabs"
          items={[
            { key: 'ranking', label: t('evaluation.tabs.ranking'), children: <RankingTable evaluation={e} graded /> },
            {
              key: 'excluded',
              label: t('evaluation.tabs.excluded'),
              children: <RankingTable evaluation={e} graded={false} />,
            },
            { key: 'moves', label: t('evaluation.tabs.moves'), children: <MovesTab evaluation={e} /> },
            ...(full
              ? [
                  {
                    key: 'policies',
                    label: t('evaluation.tabs.policies'),
                    children: <PoliciesTab evaluation={e} />,
                  },
                  {
                    key: 'sources',
                    label: t('evaluation.tabs.sources'),
                    children: <SourcesTab exchanges={e.exchanges ?? []} />,
                  },
                ]
              : []),
            { key: 'objections', label: t('evaluation.tabs.objections'), children: <ObjectionsTab evaluation={e} /> },
          ]}
        />
      </Card>
    </Space>
  );
}

function stacked(names: string[], counts: Record<EvaluationClass, number>[], t: (k: string) => string): ChartOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: CLASSES.map((cls) => ({
      name: `${cls} ${t(`evaluation.classLabel.${cls}`)}`,
      type: 'bar' as const,
      stack: 'classes',
      data: counts.map((c) => c[cls]),
      itemStyle: { color: CLASS_HEX[cls] },
    })),
  } as ChartOption;
}

function Charts({ evaluation }: { evaluation: Evaluation }) {
  const { t } = useTranslation();
  const s = evaluation.summary!;
  const byGroup = useMemo(
    () =>
      stacked(
        s.groups.map((g) => g.label),
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
      xAxis: { type: 'value', minInterval: 1 },
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

function RankingTable({ evaluation, graded }: { evaluation: Evaluation; graded: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const s = evaluation.summary!;
  const [query, setQuery] = useState<EnterpriseQuery>({
    graded: graded ? 'true' : 'false',
    sort: graded ? 'rank' : 'uscc',
    order: 'asc',
    page: 1,
    pageSize: 20,
  });
  const [search, setSearch] = useState('');
  const rows = useLoad(() => evaluationApi.enterprises(evaluation.id, query), [evaluation.id, query]);
  const set = (patch: Partial<EnterpriseQuery>) => setQuery((q) => ({ ...q, ...patch, page: patch.page ?? 1 }));
  const reasons = Object.keys(s.counts.notGraded);
  const columns: ColumnsType<EnterpriseListItem> = [
    ...(graded
      ? [
          {
            key: 'rank',
            title: t('evaluation.rank'),
            dataIndex: 'rank',
            width: 80,
            sorter: true,
            sortOrder: query.sort === 'rank' ? (query.order === 'asc' ? 'ascend' : 'descend') : null,
          } as ColumnsType<EnterpriseListItem>[number],
        ]
      : []),
    {
      key: 'name',
      title: t('evaluation.enterprise'),
      dataIndex: 'name',
      sorter: true,
      sortOrder: query.sort === 'name' ? (query.order === 'asc' ? 'ascend' : 'descend') : null,
      render: (name: string, r) => (
        <Space direction="vertical" size={0}>
          <Link to={`/evaluation/${evaluation.id}/${r.uscc}`} data-testid="enterprise-link">
            {name}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.uscc}
          </Typography.Text>
        </Space>
      ),
    },
    { key: 'group', title: t('evaluation.group'), dataIndex: 'group', width: 70, render: (g) => g ?? '—' },
    { key: 'district', title: t('evaluation.district'), dataIndex: 'districtCode', width: 90, render: districtName },
    {
      key: 'industry',
      title: t('evaluation.industry'),
      dataIndex: 'industryCode',
      render: (code: string) => (
        <Tooltip title={code}>
          <span>{industryName(code)}</span>
        </Tooltip>
      ),
    },
    ...(graded
      ? ([
          {
            key: 'total',
            title: t('evaluation.total'),
            dataIndex: 'total',
            align: 'right',
            width: 110,
            sorter: true,
            sortOrder: query.sort === 'total' ? (query.order === 'asc' ? 'ascend' : 'descend') : null,
            render: (v: number | null) => fmtNumber(v),
          },
          {
            key: 'class',
            title: t('evaluation.class'),
            dataIndex: 'class',
            width: 150,
            render: (c: EvaluationClass | null, r) => (
              <Space size={4}>
                <ClassTag cls={c} />
                {r.veto && (
                  <Tooltip title={t('evaluation.vetoTip')}>
                    <WarningOutlined style={{ color: '#cf1322' }} />
                  </Tooltip>
                )}
              </Space>
            ),
          },
          {
            key: 'previous',
            title: t('evaluation.previousClass'),
            dataIndex: 'previousClass',
            width: 90,
            render: (c: EvaluationClass | null) => <ClassTag cls={c} withLabel={false} />,
          },
          {
            key: 'surcharge',
            title: t('evaluation.surcharge'),
            dataIndex: 'surcharge',
            align: 'right',
            width: 130,
            render: (v: string | null) => (v ? fmtMoney(v) : '—'),
          },
        ] as ColumnsType<EnterpriseListItem>)
      : ([
          {
            key: 'reason',
            title: t('evaluation.reason'),
            dataIndex: 'reasonLabel',
            render: (label: string | null, r) => (
              <Space size={4}>
                <Tag>{r.reason}</Tag>
                <span>{label}</span>
              </Space>
            ),
          },
        ] as ColumnsType<EnterpriseListItem>)),
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid={graded ? 'ranking' : 'excluded'}>
      <Space wrap>
        <Select
          allowClear
          placeholder={t('evaluation.group')}
          style={{ width: 110 }}
          value={query.group}
          onChange={(group) => set({ group })}
          options={s.groups.map((g) => ({ value: g.label, label: g.label }))}
          data-testid="filter-group"
        />
        {graded ? (
          <Select
            allowClear
            placeholder={t('evaluation.class')}
            style={{ width: 150 }}
            value={query.class}
            onChange={(cls) => set({ class: cls })}
            options={CLASSES.map((c) => ({ value: c, label: `${c} ${t(`evaluation.classLabel.${c}`)}` }))}
            data-testid="filter-class"
          />
        ) : (
          <Select
            allowClear
            placeholder={t('evaluation.reason')}
            style={{ width: 240 }}
            value={query.reason}
            onChange={(reason) => set({ reason })}
            options={reasons.map((r) => ({ value: r, label: `${r}（${s.counts.notGraded[r]}）` }))}
          />
        )}
        <Select
          allowClear
          placeholder={t('evaluation.district')}
          style={{ width: 130 }}
          value={query.district}
          onChange={(district) => set({ district })}
          options={s.byDistrict.map((r) => ({ value: r.key, label: districtName(r.key) }))}
          data-testid="filter-district"
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('evaluation.industry')}
          style={{ width: 240 }}
          value={query.industry}
          onChange={(industry) => set({ industry })}
          options={s.byIndustry.map((r) => ({ value: r.key, label: `${r.key} ${industryName(r.key)}` }))}
        />
        <Input.Search
          allowClear
          placeholder={t('evaluation.search')}
          style={{ width: 260 }}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(q) => set({ q: q.trim() || undefined })}
          data-testid="filter-q"
        />
      </Space>
      <ErrorAlert error={rows.error} onRetry={rows.reload} />
      <Table<EnterpriseListItem>
        size="small"
        rowKey="uscc"
        loading={rows.loading}
        dataSource={rows.data?.items ?? []}
        columns={columns}
        onRow={(r) => ({ onDoubleClick: () => navigate(`/evaluation/${evaluation.id}/${r.uscc}`) })}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: rows.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100],
          showTotal: (total) => t('common.total', { total }),
        }}
        onChange={(pagination: TablePaginationConfig, _filters, sorter) => {
          const sort = sorter as SorterResult<EnterpriseListItem>;
          const field = (sort.columnKey ?? sort.field) as EnterpriseQuery['sort'] | undefined;
          const order = sort.order === 'descend' ? 'desc' : 'asc';
          setQuery((q) => ({
            ...q,
            page: pagination.current ?? 1,
            pageSize: pagination.pageSize ?? 20,
            sort: sort.order && field ? field : graded ? 'rank' : 'uscc',
            order: sort.order ? order : 'asc',
          }));
        }}
      />
    </Space>
  );
}

function MovesTab({ evaluation }: { evaluation: Evaluation }) {
  const { t } = useTranslation();
  const [against, setAgainst] = useState<string | undefined>(undefined);
  const others = useLoad(() => evaluationApi.list(), []);
  const moves = useLoad(() => evaluationApi.moves(evaluation.id, against), [evaluation.id, against]);
  const keys = ['A', 'B', 'C', 'D', '-'];
  const m = moves.data;
  const matrixRows = keys.map((from) => ({ from, ...(m?.matrix[from] ?? {}) }));
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="moves">
      <Space wrap>
        <Typography.Text>{t('evaluation.compareWith')}</Typography.Text>
        <Select
          style={{ minWidth: 420 }}
          value={against ?? ''}
          onChange={(v) => setAgainst(v || undefined)}
          options={[
            { value: '', label: t('evaluation.sameRun', { year: evaluation.year - 1 }) },
            ...(others.data?.items ?? [])
              .filter((e) => e.id !== evaluation.id && e.status === 'done')
              .map((e) => ({
                value: e.id,
                label: `${e.year} · ${e.configId} v${e.configVersion} · ${fmtDateTime(e.createdAt)}`,
              })),
          ]}
        />
      </Space>
      <ErrorAlert error={moves.error} />
      <Table
        size="small"
        pagination={false}
        rowKey="from"
        loading={moves.loading}
        dataSource={matrixRows}
        columns={[
          {
            key: 'from',
            title: `${t('evaluation.from')} \\ ${t('evaluation.to')}`,
            dataIndex: 'from',
            render: (v: string) =>
              v === '-' ? t('evaluation.notGradedShort') : <ClassTag cls={v as EvaluationClass} />,
          },
          ...keys.map((to) => ({
            key: to,
            title: to === '-' ? t('evaluation.notGradedShort') : to,
            dataIndex: to,
            align: 'right' as const,
            render: (v: number | undefined, r: { from: string }) =>
              v ? <Typography.Text strong={r.from !== to}>{v}</Typography.Text> : '',
          })),
        ]}
      />
      {m && (
        <Table
          size="small"
          rowKey="uscc"
          dataSource={m.moved}
          pagination={{ pageSize: 20, showTotal: () => t('evaluation.movedTotal', { n: m.movedTotal }) }}
          columns={[
            {
              key: 'name',
              title: t('evaluation.enterprise'),
              dataIndex: 'name',
              render: (name: string, r) => <Link to={`/evaluation/${evaluation.id}/${r.uscc}`}>{name}</Link>,
            },
            { key: 'group', title: t('evaluation.group'), dataIndex: 'group', width: 80 },
            { key: 'from', title: t('evaluation.from'), dataIndex: 'from', render: (c) => <ClassTag cls={c} /> },
            { key: 'to', title: t('evaluation.to'), dataIndex: 'to', render: (c) => <ClassTag cls={c} /> },
          ]}
        />
      )}
    </Space>
  );
}

function PoliciesTab({ evaluation }: { evaluation: Evaluation }) {
  const { t } = useTranslation();
  const policies = useLoad(() => evaluationApi.policies(evaluation.id), [evaluation.id]);
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="policies">
      <ErrorAlert error={policies.error} />
      <Space wrap>
        {(policies.data?.summary ?? []).map((p) => (
          <Card size="small" key={`${p.class}-${p.label}`}>
            <Statistic
              title={`${p.class} · ${p.label}`}
              value={p.enterprises}
              suffix={t('evaluation.enterprisesUnit')}
            />
            {p.amount && (
              <Typography.Text type="secondary">
                {t('evaluation.amountTotal', { amount: fmtMoney(p.amount) })}
              </Typography.Text>
            )}
          </Card>
        ))}
      </Space>
      <Table<PolicyItem>
        size="small"
        rowKey={(r) => `${r.uscc}-${r.kind}`}
        loading={policies.loading}
        dataSource={policies.data?.items ?? []}
        pagination={{ pageSize: 20 }}
        columns={[
          {
            key: 'name',
            title: t('evaluation.enterprise'),
            dataIndex: 'name',
            render: (name: string, r) => <Link to={`/evaluation/${evaluation.id}/${r.uscc}`}>{name}</Link>,
          },
          { key: 'group', title: t('evaluation.group'), dataIndex: 'group', width: 70 },
          { key: 'rank', title: t('evaluation.rank'), dataIndex: 'rank', width: 70, align: 'right' },
          { key: 'class', title: t('evaluation.class'), dataIndex: 'class', render: (c) => <ClassTag cls={c} /> },
          { key: 'label', title: t('evaluation.policy'), dataIndex: 'label' },
          {
            key: 'years',
            title: t('evaluation.consecutiveYears'),
            dataIndex: 'consecutiveYears',
            align: 'right',
            render: (v: number | null) => v ?? '—',
          },
          {
            key: 'kwh',
            title: t('evaluation.kwh'),
            dataIndex: 'kwh',
            align: 'right',
            render: (v: number | null) => (v === null ? '—' : v.toLocaleString('zh-CN')),
          },
          { key: 'rate', title: t('evaluation.rate'), dataIndex: 'rate', align: 'right', render: (v) => v ?? '—' },
          {
            key: 'amount',
            title: t('evaluation.amount'),
            dataIndex: 'amount',
            align: 'right',
            render: (v: string | null) => fmtMoney(v),
          },
        ]}
      />
    </Space>
  );
}

function SourcesTab({ exchanges }: { exchanges: Exchange[] }) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="sources">
      <Typography.Paragraph type="secondary">{t('evaluation.sourcesIntro')}</Typography.Paragraph>
      <Table<Exchange>
        size="small"
        rowKey="seq"
        dataSource={exchanges}
        pagination={{ pageSize: 20 }}
        columns={[
          { key: 'seq', title: '#', dataIndex: 'seq', width: 60 },
          {
            key: 'provider',
            title: t('evaluation.department'),
            dataIndex: 'provider',
            render: (p: string) => t(`evaluation.departments.${p}`, { defaultValue: p }),
          },
          { key: 'computation', title: t('evaluation.computation'), dataIndex: 'computation' },
          { key: 'year', title: t('evaluation.year'), dataIndex: 'year', render: (y: number | null) => y ?? '—' },
          { key: 'subjects', title: t('evaluation.subjects'), dataIndex: 'subjects', align: 'right' },
          {
            key: 'ledger',
            title: t('evaluation.ledgerColumn'),
            render: (_, r) => <LedgerEntryButton index={r.ledgerIndex} requestId={r.requestId} />,
          },
        ]}
      />
    </Space>
  );
}

function ObjectionsTab({ evaluation }: { evaluation: Evaluation }) {
  const { t } = useTranslation();
  const me = useMe();
  const { message } = App.useApp();
  const list = useLoad(() => evaluationApi.objections({ year: evaluation.year }), [evaluation.year]);
  const resolve = async (o: Objection, status: 'corrected' | 'rejected') => {
    try {
      await evaluationApi.resolve(o.id, { status });
      message.success(t('evaluation.objectionResolved'));
      list.reload();
    } catch (e) {
      message.error(errorMessage(t, e));
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="objections">
      <Typography.Paragraph type="secondary">{t('evaluation.objectionsIntro')}</Typography.Paragraph>
      <ErrorAlert error={list.error} />
      <Table<Objection>
        size="small"
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 20 }}
        columns={[
          {
            key: 'name',
            title: t('evaluation.enterprise'),
            dataIndex: 'enterpriseName',
            render: (name: string, r) => <Link to={`/evaluation/${evaluation.id}/${r.uscc}`}>{name}</Link>,
          },
          {
            key: 'figure',
            title: t('evaluation.figure'),
            dataIndex: 'figure',
            render: (f: string) => t(`evaluation.figures.${f}`, { defaultValue: f }),
          },
          {
            key: 'provider',
            title: t('evaluation.department'),
            dataIndex: 'provider',
            render: (p: string) => t(`evaluation.departments.${p}`, { defaultValue: p }),
          },
          { key: 'reason', title: t('evaluation.objectionReason'), dataIndex: 'reason' },
          { key: 'at', title: t('evaluation.filedAt'), dataIndex: 'filedAt', render: fmtDateTime },
          {
            key: 'status',
            title: t('evaluation.objectionStatus'),
            dataIndex: 'status',
            render: (s: Objection['status']) => (
              <Tag color={s === 'open' ? 'orange' : s === 'corrected' ? 'green' : 'default'}>
                {t(`evaluation.objectionStatuses.${s}`)}
              </Tag>
            ),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            render: (_, o) =>
              o.status === 'open' &&
              me.roles.includes('data_officer') &&
              (me.memberCode === o.provider || me.memberCode === 'jingxin') ? (
                <Space>
                  <Button size="small" onClick={() => void resolve(o, 'corrected')}>
                    {t('evaluation.markCorrected')}
                  </Button>
                  <Button size="small" onClick={() => void resolve(o, 'rejected')}>
                    {t('evaluation.markRejected')}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
    </Space>
  );
}
