// One enterprise in an evaluation: its group, rank and class (and why, or why it is not graded), each
// indicator against the group's benchmark (chart and table), every figure with the department that supplied
// it and the ledger entry of that exchange, objections (数据异议), earlier classes and policy consequences.
import { ArrowLeftOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Modal,
  Row,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { useMe } from '../../auth/AuthContext';
import { type EnterpriseDetail, evaluationApi } from '../../api/evaluation';
import { type ChartOption, EChart } from '../../components/EChart';
import { ErrorAlert } from '../../components/ErrorAlert';
import { errorMessage } from '../../components/errors';
import { fmtDateTime } from '../../components/format';
import { useLoad } from '../../components/useLoad';
import {
  ClassTag,
  districtName,
  fmtMoney,
  fmtNumber,
  groupName,
  industryName,
  LedgerEntryButton,
  unitLabel,
  useMethodologyNames,
} from './common';
import { joinList, joinClauses } from '../../i18n/punctuation';

type Figure = EnterpriseDetail['figures'][number];

export default function EnterprisePage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const { id = '', uscc = '' } = useParams();
  const navigate = useNavigate();
  const me = useMe();
  const detail = useLoad(() => evaluationApi.enterprise(id, uscc), [id, uscc]);
  const names = useMethodologyNames(detail.data?.methodology.id);
  const [disputing, setDisputing] = useState<Figure | null>(null);

  const chart = useMemo<ChartOption | null>(() => {
    const d = detail.data;
    if (!d || d.indicators.length === 0) return null;
    const shown = d.indicators.filter((i) => !i.hidden);
    const names = shown.map((i) => (en ? i.nameEn : i.name));
    const ratio = (v: number | null, b: number | null) =>
      v === null || b === null || b === 0 ? null : Math.round((v / b) * 1000) / 10;
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', name: '%', axisLabel: { hideOverlap: true } },
      yAxis: { type: 'category', data: names, inverse: true },
      series: [
        {
          name: t('evaluation.enterpriseVsBenchmark'),
          type: 'bar',
          data: shown.map((i) => ratio(i.value, i.benchmark) ?? (i.basis === 'zeroDenominator' ? 300 : 0)),
          itemStyle: { color: '#1a5fb4' },
          label: { show: true, position: 'right', formatter: '{c}%' },
        },
        {
          name: t('evaluation.benchmarkLine'),
          type: 'bar',
          data: shown.map(() => 100),
          itemStyle: { color: '#d9d9d9' },
        },
      ],
    } as ChartOption;
  }, [detail.data, en, t]);

  if (detail.error) return <ErrorAlert error={detail.error} onRetry={detail.reload} />;
  const d = detail.data;
  if (!d) return <Spin />;

  const mayDispute = (f: Figure) => me.roles.includes('data_officer') && me.memberCode === f.provider && !f.hidden;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="enterprise-page">
      <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(`/evaluation?id=${encodeURIComponent(id)}`)}>
        {t('evaluation.backToEvaluation')}
      </Button>
      <Card
        title={
          <Space>
            <span data-testid="enterprise-name">{d.name}</span>
            <Typography.Text type="secondary" copyable>
              {d.uscc}
            </Typography.Text>
          </Space>
        }
        extra={<ClassTag cls={d.class} />}
      >
        <Row gutter={[16, 16]}>
          <Col xs={12} md={4}>
            <Statistic title={t('evaluation.group')} value={d.group ? groupName(d.group) : '—'} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title={t('evaluation.rank')} value={d.rank ?? '—'} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title={t('evaluation.total')} value={fmtNumber(d.total, 4)} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title={t('evaluation.rankClass')} value={d.rankClass ?? '—'} />
          </Col>
          <Col xs={24} md={8}>
            <Descriptions
              size="small"
              column={1}
              items={[
                { key: 'd', label: t('evaluation.district'), children: districtName(d.districtCode) },
                {
                  key: 'i',
                  label: t('evaluation.industry'),
                  children: `${d.industryCode} ${industryName(d.industryCode)}`,
                },
                {
                  key: 'p',
                  label: t('evaluation.previousClasses'),
                  children: (
                    <Space size={4}>
                      {d.previousClasses.length === 0
                        ? '—'
                        : d.previousClasses.map((c, i) => (
                            <Tooltip key={String(i)} title={String(d.year - 1 - i)}>
                              <span>
                                <ClassTag cls={c} withLabel={false} />
                              </span>
                            </Tooltip>
                          ))}
                    </Space>
                  ),
                },
              ]}
            />
          </Col>
        </Row>
        {!d.graded && (
          <Alert
            type="warning"
            showIcon
            style={{ marginTop: 12 }}
            data-testid="not-graded"
            title={t('evaluation.notGradedBecause', { reason: d.reasonLabel ?? d.reason })}
            description={
              d.missing.length > 0
                ? t('evaluation.missingFigures', {
                    list: joinList(d.missing.map((m) => t(`evaluation.figures.${m}`, { defaultValue: m }))),
                  })
                : undefined
            }
          />
        )}
        {d.veto && (
          <Alert
            type={d.veto.applied ? 'error' : 'warning'}
            showIcon
            style={{ marginTop: 12 }}
            data-testid="veto"
            title={
              d.veto.applied
                ? t('evaluation.vetoApplied', { from: d.rankClass, to: d.class })
                : t('evaluation.vetoNotApplied')
            }
            description={joinClauses(d.veto.rules.map((r) => t(`evaluation.vetoRules.${r}`, { defaultValue: r })))}
          />
        )}
        {d.policies.length > 0 && (
          <Alert
            type={d.class === 'D' ? 'error' : 'success'}
            style={{ marginTop: 12 }}
            data-testid="policies"
            title={t('evaluation.policy')}
            description={
              <Space direction="vertical" size={2}>
                {d.policies.map((p) => (
                  <span key={`${p.kind}-${p.label}`}>
                    {p.kind === 'electricitySurcharge'
                      ? t('evaluation.surchargeLine', {
                          label: names.policy(p.label),
                          years: p.consecutiveYears,
                          rate: p.rate,
                          kwh: p.kwh === null || p.kwh === undefined ? '—' : p.kwh.toLocaleString('zh-CN'),
                          amount: fmtMoney(p.amount),
                        })
                      : names.policy(p.label)}
                  </span>
                ))}
              </Space>
            }
          />
        )}
      </Card>
      {d.graded && (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={10}>
            <Card title={t('evaluation.indicatorsChart')} size="small">
              {chart && <EChart option={chart} height={320} testId="indicator-chart" />}
            </Card>
          </Col>
          <Col xs={24} lg={14}>
            <Card title={t('evaluation.indicators')} size="small">
              <Table
                size="small"
                pagination={false}
                rowKey="id"
                dataSource={d.indicators}
                data-testid="indicator-table"
                columns={[
                  {
                    key: 'n',
                    title: t('evaluation.indicator'),
                    render: (_, i) => (
                      <Space direction="vertical" size={0}>
                        <span>{en ? i.nameEn : i.name}</span>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {unitLabel(t, i.unit)}
                        </Typography.Text>
                      </Space>
                    ),
                  },
                  { key: 'w', title: t('evaluation.weight'), dataIndex: 'weight', align: 'right', width: 60 },
                  {
                    key: 'v',
                    title: t('evaluation.value'),
                    align: 'right',
                    render: (_, i) =>
                      i.hidden ? (
                        <Tag>{t('evaluation.hidden')}</Tag>
                      ) : i.basis === 'zeroDenominator' ? (
                        <Tooltip title={t('evaluation.zeroDenominatorTip')}>
                          <Tag color="blue">{t('evaluation.zeroDenominator')}</Tag>
                        </Tooltip>
                      ) : i.basis === 'groupMean' ? (
                        <Tooltip title={t('evaluation.groupMeanTip')}>
                          <Tag color="orange">{t('evaluation.groupMean')}</Tag>
                        </Tooltip>
                      ) : (
                        fmtNumber(i.value, 4)
                      ),
                  },
                  {
                    key: 'b',
                    title: t('evaluation.benchmark'),
                    dataIndex: 'benchmark',
                    align: 'right',
                    render: (v: number | null) => fmtNumber(v, 4),
                  },
                  {
                    key: 's',
                    title: t('evaluation.score'),
                    dataIndex: 'score',
                    align: 'right',
                    render: (v: number | null) => fmtNumber(v, 4),
                  },
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
      <Card title={t('evaluation.figuresTitle')} size="small">
        <Typography.Paragraph type="secondary">{t('evaluation.figuresIntro')}</Typography.Paragraph>
        <Table<Figure>
          size="small"
          pagination={false}
          rowKey="figure"
          dataSource={d.figures}
          data-testid="figure-table"
          columns={[
            {
              key: 'f',
              title: t('evaluation.figure'),
              render: (_, f) => (
                <Space>
                  <span>{en ? f.labelEn : f.label}</span>
                  {f.disputed && (
                    <Tag color="orange" icon={<ExclamationCircleOutlined />} data-testid="disputed">
                      {t('evaluation.disputed')}
                    </Tag>
                  )}
                </Space>
              ),
            },
            {
              key: 'v',
              title: t('evaluation.value'),
              align: 'right',
              render: (_, f) =>
                f.hidden ? (
                  <Tag>{t('evaluation.hidden')}</Tag>
                ) : f.value === null ? (
                  <Tag color="red">{t('evaluation.missing')}</Tag>
                ) : (
                  `${fmtNumber(f.value, f.figure === 'kwh' || f.unit === '起' || f.unit === '次' ? 0 : 2)} ${unitLabel(t, f.unit)}`
                ),
            },
            {
              key: 'dept',
              title: t('evaluation.department'),
              render: (_, f) => t(`evaluation.departments.${f.provider}`, { defaultValue: f.department }),
            },
            { key: 'c', title: t('evaluation.computation'), dataIndex: 'computation' },
            {
              key: 'l',
              title: t('evaluation.ledgerColumn'),
              render: (_, f) => <LedgerEntryButton index={f.ledgerIndex} requestId={f.requestId} />,
            },
            {
              key: 'a',
              title: t('common.actions'),
              render: (_, f) =>
                mayDispute(f) ? (
                  <Button size="small" onClick={() => setDisputing(f)} data-testid={`dispute-${f.figure}`}>
                    {t('evaluation.dispute')}
                  </Button>
                ) : null,
            },
          ]}
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('evaluation.registrySource', {
            department: t(`evaluation.departments.${d.registry.provider}`, { defaultValue: d.registry.department }),
          })}{' '}
          <LedgerEntryButton index={d.registry.ledgerIndex} requestId={d.registry.requestId} />
        </Typography.Text>
      </Card>
      {d.objections.length > 0 && (
        <Card title={t('evaluation.tabs.objections')} size="small">
          <Table
            size="small"
            pagination={false}
            rowKey="id"
            dataSource={d.objections}
            columns={[
              {
                key: 'f',
                title: t('evaluation.figure'),
                dataIndex: 'figure',
                render: (f: string) => t(`evaluation.figures.${f}`, { defaultValue: f }),
              },
              { key: 'r', title: t('evaluation.objectionReason'), dataIndex: 'reason' },
              { key: 'at', title: t('evaluation.filedAt'), dataIndex: 'filedAt', render: fmtDateTime },
              {
                key: 's',
                title: t('evaluation.objectionStatus'),
                dataIndex: 'status',
                render: (s: string) => t(`evaluation.objectionStatuses.${s}`),
              },
              { key: 'n', title: t('evaluation.resolutionNote'), dataIndex: 'resolutionNote' },
            ]}
          />
        </Card>
      )}
      <DisputeModal
        figure={disputing}
        evaluationId={id}
        uscc={uscc}
        onClose={() => setDisputing(null)}
        onFiled={() => {
          setDisputing(null);
          detail.reload();
        }}
      />
    </Space>
  );
}

function DisputeModal({
  figure,
  evaluationId,
  uscc,
  onClose,
  onFiled,
}: {
  figure: Figure | null;
  evaluationId: string;
  uscc: string;
  onClose: () => void;
  onFiled: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={!!figure}
      title={t('evaluation.disputeTitle', { figure: figure?.label ?? '' })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: busy }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('evaluation.disputeHelp')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={async ({ reason }) => {
          if (!figure) return;
          setBusy(true);
          try {
            await evaluationApi.object(evaluationId, { uscc, figure: figure.figure, reason });
            message.success(t('evaluation.disputeFiled'));
            onFiled();
          } catch (e) {
            message.error(errorMessage(t, e));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="reason" label={t('evaluation.objectionReason')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={4} maxLength={1000} data-testid="dispute-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
