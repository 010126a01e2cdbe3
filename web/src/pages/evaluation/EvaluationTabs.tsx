// The evaluation's other tabs: class moves year over year, the policy list, the sources of every figure
// (department, exchange, ledger entry) and the objections.
import { App, Button, Card, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useMe } from '../../auth/AuthContext';
import {
  type Evaluation,
  type EvaluationClass,
  type Exchange,
  evaluationApi,
  type Objection,
  type PolicyItem,
} from '../../api/evaluation';
import { ErrorAlert } from '../../components/ErrorAlert';
import { errorMessage } from '../../components/errors';
import { fmtDateTime } from '../../components/format';
import { useLoad } from '../../components/useLoad';
import { ClassTag, fmtMoney, groupName, LedgerEntryButton, useMethodologyNames } from './common';

export function MovesTab({ evaluation }: { evaluation: Evaluation }) {
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
            {
              key: 'group',
              title: t('evaluation.group'),
              dataIndex: 'group',
              width: 80,
              render: (group: string) => groupName(group),
            },
            { key: 'from', title: t('evaluation.from'), dataIndex: 'from', render: (c) => <ClassTag cls={c} /> },
            { key: 'to', title: t('evaluation.to'), dataIndex: 'to', render: (c) => <ClassTag cls={c} /> },
          ]}
        />
      )}
    </Space>
  );
}

export function PoliciesTab({ evaluation }: { evaluation: Evaluation }) {
  const { t } = useTranslation();
  const policies = useLoad(() => evaluationApi.policies(evaluation.id), [evaluation.id]);
  const names = useMethodologyNames(evaluation.summary?.methodology.id);
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="policies">
      <ErrorAlert error={policies.error} />
      <Space wrap>
        {(policies.data?.summary ?? []).map((p) => (
          <Card size="small" key={`${p.class}-${p.label}`}>
            <Statistic
              title={`${p.class} · ${names.policy(p.label)}`}
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
          {
            key: 'group',
            title: t('evaluation.group'),
            dataIndex: 'group',
            width: 70,
            render: (group: string) => groupName(group),
          },
          { key: 'rank', title: t('evaluation.rank'), dataIndex: 'rank', width: 70, align: 'right' },
          { key: 'class', title: t('evaluation.class'), dataIndex: 'class', render: (c) => <ClassTag cls={c} /> },
          {
            key: 'label',
            title: t('evaluation.policy'),
            dataIndex: 'label',
            render: (label: string) => names.policy(label),
          },
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

export function SourcesTab({ exchanges }: { exchanges: Exchange[] }) {
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

export function ObjectionsTab({ evaluation }: { evaluation: Evaluation }) {
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
