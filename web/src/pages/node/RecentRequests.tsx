// Panel 4: who used our data — the node's recent requests, refreshed every few seconds.
import { SyncOutlined } from '@ant-design/icons';
import { Card, Descriptions, Empty, Segmented, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditDecision, NodeApi, NodeRequest, Resource } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { fmtDateTime } from '../../components/format';
import { ModeTags } from '../../components/tags';
import { useLoad } from '../../components/useLoad';
import { REQUESTS_EVERY_MS, type RequestFilter, TagList, nodeCodeText, nodeErrorMessage } from './shared';
import { CardTitle } from '../../components/card';
import { Subtitled } from '../../components/Subtitled';

function DecisionTag({ decision, code }: { decision: AuditDecision; code: string | null }) {
  const { t } = useTranslation();
  if (decision === 'served') {
    return (
      <Tag color="success" data-decision="served">
        {t('node.served')}
      </Tag>
    );
  }
  return (
    <Tooltip title={nodeCodeText(t, code) ?? code ?? undefined}>
      <Tag color="error" data-decision="denied">
        {t('node.denied')}
        {code ? ` · ${code}` : ''}
      </Tag>
    </Tooltip>
  );
}

export function RecentRequests({
  client,
  tick,
  resources,
  nameOf,
}: {
  client: NodeApi;
  tick: number;
  resources: Map<string, Resource>;
  nameOf: (code: string) => string;
}) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<RequestFilter>('all');
  const [auto, setAuto] = useState(true);
  const decision = filter === 'all' ? undefined : filter;
  const requests = useLoad(() => client.requests({ limit: 50, decision }), [filter, client], {
    everyMs: auto ? REQUESTS_EVERY_MS : null,
  });
  const reload = requests.reload;
  // A query just ran (tick changed): show its audit record without waiting for the next poll.
  useEffect(() => {
    if (tick > 0) reload();
  }, [tick, reload]);

  const titleOf = (resource: string, item: string) =>
    resources.get(resource)?.items.find((i) => i.name === item)?.title ?? item;

  const columns: ColumnsType<NodeRequest> = [
    {
      key: 'at',
      title: t('node.time'),
      width: 120,
      render: (_: unknown, r) => (
        <Tooltip title={fmtDateTime(r.at)}>
          <span style={{ whiteSpace: 'nowrap' }}>{dayjs(r.at).format('MM-DD HH:mm:ss')}</span>
        </Tooltip>
      ),
    },
    {
      key: 'decision',
      title: t('node.decision'),
      width: 168,
      render: (_: unknown, r) => <DecisionTag decision={r.decision} code={r.code} />,
    },
    {
      key: 'consumer',
      title: `${t('agreement.consumer')} · ${t('node.officer')}`,
      width: 156,
      render: (_: unknown, r) => (
        <Subtitled note={r.officer || '—'} noteProps={{ 'data-officer': r.officer }}>
          <Tooltip title={r.consumerCode}>
            <span data-consumer={r.consumerCode}>{nameOf(r.consumerCode)}</span>
          </Tooltip>
        </Subtitled>
      ),
    },
    {
      key: 'resource',
      title: `${t('agreement.resource')} · ${t('node.mode')}`,
      width: 140,
      render: (_: unknown, r) => (
        <div>
          {r.resourceCode === null ? (
            '—'
          ) : (
            <Tooltip title={r.resourceCode}>
              <span>{resources.get(r.resourceCode)?.name ?? r.resourceCode}</span>
            </Tooltip>
          )}
          <div>{r.mode ? <ModeTags modes={[r.mode]} /> : '—'}</div>
        </div>
      ),
    },
    {
      key: 'items',
      title: t('agreement.items'),
      render: (_: unknown, r) => <TagList values={r.items.map((i) => titleOf(r.resourceCode ?? '', i))} max={3} />,
    },
    {
      key: 'purpose',
      title: t('agreement.purpose'),
      width: 140,
      ellipsis: { showTitle: false },
      render: (_: unknown, r) => (
        <Tooltip title={r.purpose}>
          <span>{r.purpose || '—'}</span>
        </Tooltip>
      ),
    },
    {
      key: 'case',
      title: t('node.caseId'),
      width: 150,
      render: (_: unknown, r) =>
        r.caseId ? <Typography.Text style={{ fontSize: 12 }}>{r.caseId}</Typography.Text> : '—',
    },
    {
      key: 'subjects',
      title: <Tooltip title={t('node.subjectsHint')}>{t('node.subjects')}</Tooltip>,
      width: 64,
      align: 'right',
      render: (_: unknown, r) => r.subjectHashes.length,
    },
  ];

  return (
    <Card
      size="small"
      title={<CardTitle title={t('node.requests')} note={t('node.requestsHint')} small />}
      extra={
        <Space>
          <Segmented<RequestFilter>
            size="small"
            value={filter}
            onChange={setFilter}
            options={[
              { value: 'all', label: t('common.all') },
              { value: 'served', label: t('node.served') },
              { value: 'denied', label: t('node.denied') },
            ]}
            data-testid="requests-filter"
          />
          <Tooltip title={t('node.autoRefresh')}>
            <Switch size="small" checked={auto} onChange={setAuto} checkedChildren={<SyncOutlined spin={auto} />} />
          </Tooltip>
        </Space>
      }
      data-testid="node-requests"
    >
      <ErrorAlert error={requests.error ? new Error(nodeErrorMessage(t, requests.error)) : null} onRetry={reload} />
      <Table<NodeRequest>
        rowKey="eventId"
        size="small"
        loading={requests.loading && !requests.data}
        columns={columns}
        dataSource={requests.data?.items ?? []}
        scroll={{ x: 1120 }}
        pagination={{ pageSize: 10, showSizeChanger: false, showTotal: (total) => t('common.total', { total }) }}
        expandable={{
          expandedRowRender: (r) => (
            <Descriptions
              size="small"
              column={{ xs: 1, lg: 2 }}
              items={[
                {
                  key: 'rid',
                  label: t('node.requestId'),
                  children: <Typography.Text copyable>{r.requestId}</Typography.Text>,
                },
                { key: 'aid', label: t('agreement.id'), children: r.agreementId || '—' },
                { key: 'eid', label: t('node.eventId'), children: r.eventId },
                { key: 'provider', label: t('agreement.provider'), children: nameOf(r.providerCode) },
                {
                  key: 'rq',
                  label: t('node.requestDigest'),
                  children: <Typography.Text code>{r.requestDigest || '—'}</Typography.Text>,
                },
                {
                  key: 'rs',
                  label: t('node.responseDigest'),
                  children: <Typography.Text code>{r.responseDigest || '—'}</Typography.Text>,
                },
              ]}
            />
          ),
        }}
        locale={{ emptyText: <Empty description={t('node.noRequests')} /> }}
        data-testid="requests-table"
      />
    </Card>
  );
}
