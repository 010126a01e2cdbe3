// Panel 3b (auditor): accesses withheld from their subjects for now, and until when.
import { EyeInvisibleOutlined } from '@ant-design/icons';
import { Card, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type IndexedEntry, ledgerSearchApi } from '../../api/ledger';
import { ErrorAlert } from '../../components/ErrorAlert';
import { fmtDate, fmtDateTime } from '../../components/format';
import { useLoad } from '../../components/useLoad';
import { colon, joinList } from '../../i18n/punctuation';

export function WithheldCard({ nameOf }: { nameOf: (code: string) => string }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const withheld = useLoad(() => ledgerSearchApi.withheld({ page, pageSize: 10 }), [page]);
  const data = withheld.data;
  const columns: ColumnsType<IndexedEntry> = [
    { key: 'index', title: t('ledger.index'), dataIndex: 'index', width: 80 },
    { key: 'time', title: t('ledger.time'), render: (_, r) => fmtDateTime(r.logtime), width: 150 },
    { key: 'consumer', title: t('usage.explorer.consumer'), render: (_, r) => nameOf(r.consumer ?? '') },
    {
      key: 'provider',
      title: t('usage.explorer.provider'),
      render: (_, r) => `${nameOf(r.provider ?? '')} · ${r.resourceName ?? r.resource ?? ''}`,
    },
    { key: 'subjects', title: t('ledger.subject'), dataIndex: 'subjects', align: 'right' },
    { key: 'until', title: t('usage.explorer.until'), render: (_, r) => fmtDate(r.covertUntil) },
  ];
  return (
    <Card
      size="small"
      title={
        <Space>
          <EyeInvisibleOutlined />
          {t('usage.explorer.withheld')}
        </Space>
      }
      data-testid="withheld-card"
    >
      <Typography.Paragraph type="secondary">{t('usage.explorer.withheldIntro')}</Typography.Paragraph>
      <ErrorAlert error={withheld.error} onRetry={withheld.reload} />
      {data && (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Space wrap>
            <Typography.Text strong data-testid="withheld-total" data-total={data.total}>
              {data.total === 0
                ? t('usage.explorer.withheldNone')
                : t('usage.explorer.withheldCount', { total: data.total, asOf: data.asOf })}
            </Typography.Text>
            {data.byConsumer.map((c) => (
              <Tag key={c.consumer} color="purple">
                {nameOf(c.consumer)} · {c.count} · {t('usage.explorer.until')} ≤ {c.until}
              </Tag>
            ))}
            <Typography.Text type="secondary">
              {t('usage.explorer.allowListed')}
              {colon()}
              {joinList(data.allowListed.map(nameOf)) || '—'}
            </Typography.Text>
          </Space>
          {data.total > 0 && (
            <Table
              size="small"
              rowKey="index"
              columns={columns}
              dataSource={data.items}
              pagination={{
                current: page,
                pageSize: 10,
                total: data.total,
                hideOnSinglePage: true,
                showSizeChanger: false,
                onChange: setPage,
              }}
              scroll={{ x: 'max-content' }}
              data-testid="withheld-table"
            />
          )}
        </Space>
      )}
    </Card>
  );
}
