// Panel 3: the agreements the node knows, as the hub last confirmed them.
import { Card, Empty, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { Resource } from '../../api/client';
import { fmtDate, fmtDateTime } from '../../components/format';
import { ModeTags, StatusTag } from '../../components/tags';
import { type NodeAgreementEntry, TagList } from './shared';
import { Subtitled } from '../../components/Subtitled';

export function NodeAgreements({
  entries,
  memberCode,
  resources,
  nameOf,
  onOpen,
}: {
  entries: NodeAgreementEntry[];
  memberCode: string;
  resources: Map<string, Resource>;
  nameOf: (code: string) => string;
  onOpen: (id: string) => void;
}) {
  const { t } = useTranslation();
  const columns: ColumnsType<NodeAgreementEntry> = [
    {
      key: 'resource',
      title: t('agreement.resource'),
      width: 210,
      render: (_: unknown, { agreement: a }) => (
        <Subtitled note={a.resourceCode}>
          <Typography.Link onClick={() => onOpen(a.id)}>
            {resources.get(a.resourceCode)?.name ?? a.resourceCode}
          </Typography.Link>
        </Subtitled>
      ),
    },
    {
      key: 'side',
      title: t('node.side'),
      width: 100,
      render: (_: unknown, { agreement: a }) =>
        a.providerCode === memberCode ? (
          <Tag color="volcano">{t('node.asProvider')}</Tag>
        ) : (
          <Tag color="blue">{t('node.asConsumer')}</Tag>
        ),
    },
    {
      key: 'counterpart',
      title: t('node.counterpart'),
      width: 190,
      render: (_: unknown, { agreement: a }) => nameOf(a.providerCode === memberCode ? a.consumerCode : a.providerCode),
    },
    {
      key: 'status',
      title: t('agreement.status'),
      width: 100,
      render: (_: unknown, e) => <StatusTag status={e.agreement.status} />,
    },
    {
      key: 'modes',
      title: t('agreement.modes'),
      render: (_: unknown, { agreement: a }) => <ModeTags modes={(a.granted ?? a.requested).modes} />,
    },
    {
      key: 'items',
      title: t('agreement.items'),
      render: (_: unknown, { agreement: a }) => {
        const r = resources.get(a.resourceCode);
        const titles = (a.granted ?? a.requested).items.map((i) => r?.items.find((x) => x.name === i)?.title ?? i);
        return <TagList values={titles} max={3} />;
      },
    },
    {
      key: 'validity',
      title: t('agreement.validity'),
      width: 200,
      render: (_: unknown, { agreement: a }) => {
        const terms = a.granted ?? a.requested;
        return `${fmtDate(terms.validFrom)} ~ ${fmtDate(terms.validTo)}`;
      },
    },
    {
      key: 'confirmedAt',
      title: t('node.confirmedAt'),
      width: 150,
      render: (_: unknown, e) => fmtDateTime(e.confirmedAt),
    },
  ];
  return (
    <Card size="small" title={t('node.agreements')} data-testid="node-agreements">
      <Table<NodeAgreementEntry>
        rowKey={(e) => e.agreement.id}
        size="small"
        columns={columns}
        dataSource={entries}
        pagination={entries.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
        locale={{ emptyText: <Empty description={t('node.noAgreements')} /> }}
      />
    </Card>
  );
}
