// One evaluation: its headline figures and the tabs of its parts.
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Row,
  Space,
  Spin,
  Statistic,
  Table,
  Tabs,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../auth/AuthContext';
import { evaluationApi } from '../../api/evaluation';
import { ErrorAlert } from '../../components/ErrorAlert';
import { errorMessage } from '../../components/errors';
import { fmtDateTime } from '../../components/format';
import { useLoad } from '../../components/useLoad';
import { canRun, fmtNumber, groupName, seesAll, unitLabel, useMethodologyNames } from './common';
import { Charts } from './EvaluationCharts';
import { MovesTab, ObjectionsTab, PoliciesTab, SourcesTab } from './EvaluationTabs';
import { RankingTable } from './RankingTable';
import { paren, joinList } from '../../i18n/punctuation';

export function EvaluationView({
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
  const names = useMethodologyNames(evaluation.data?.summary?.methodology.id);
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
            {/* Every enterprise not graded, as the 不参评企业 tab and the workbook's 不参评 sheet list them. */}
            <Statistic
              title={t('evaluation.notGradedOf', { outside: s.counts.registry - s.counts.inScope })}
              value={s.counts.registry - s.counts.graded}
              data-testid="headline-not-graded"
            />
          </Col>
          {s.groups.map((g) => (
            <Col xs={12} md={4} key={g.label}>
              <Statistic
                title={`${groupName(g.label)} · A / B / C / D`}
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
              children: `${names.title(s.methodology.title)}${paren(`${s.methodology.id} v${s.methodology.version}`)}`,
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
                  : t('evaluation.historyRecomputed', { years: joinList(s.history.years.map(String)) || '—' }),
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
            {
              key: 'g',
              title: t('evaluation.group'),
              dataIndex: 'group',
              width: 80,
              render: (group: string) => groupName(group),
            },
            {
              key: 'n',
              title: t('evaluation.indicator'),
              dataIndex: 'name',
              render: (name: string, b) => names.indicator(b.indicator, name),
            },
            {
              key: 'u',
              title: t('evaluation.unit'),
              dataIndex: 'unit',
              width: 140,
              render: (unit: string) => unitLabel(t, unit),
            },
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
