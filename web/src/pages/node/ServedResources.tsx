// Panel 2: what a provider's node serves — its resources, masking rules and computations.
import { Card, Empty, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { NodeOverview, Resource } from '../../api/client';
import { ModeTags, SharingTag } from '../../components/tags';
import { TagList, maskingLabel } from './shared';
import { Subtitled } from '../../components/Subtitled';
import { colon } from '../../i18n/punctuation';

export function ServedResources({
  overview: o,
  resources,
}: {
  overview: NodeOverview;
  resources: Map<string, Resource>;
}) {
  const { t, i18n } = useTranslation();
  type Served = NodeOverview['resources'][number];
  type Computation = NodeOverview['computations'][number];
  const titleOf = (resource: string, item: string) =>
    resources.get(resource)?.items.find((i) => i.name === item)?.title ?? item;

  const resourceColumns: ColumnsType<Served> = [
    {
      key: 'resource',
      title: t('catalog.name'),
      width: 220,
      render: (_: unknown, r) => (
        <Subtitled note={r.code}>
          <div>{r.name}</div>
        </Subtitled>
      ),
    },
    {
      key: 'sharing',
      title: t('catalog.sharingType'),
      width: 120,
      render: (_: unknown, r) => <SharingTag type={r.sharingType} />,
    },
    {
      key: 'modes',
      title: t('catalog.accessModes'),
      width: 200,
      render: (_: unknown, r) => <ModeTags modes={r.accessModes} />,
    },
    {
      key: 'masking',
      title: t('node.masking'),
      render: (_: unknown, r) => (
        <Space size={[4, 4]} wrap>
          {Object.entries(r.masking).map(([item, rule]) => (
            <Tag key={item} color={rule === 'none' ? 'default' : 'purple'} style={{ marginInlineEnd: 0 }}>
              {titleOf(r.code, item)}
              {colon()}
              {maskingLabel(t, rule)}
            </Tag>
          ))}
          {Object.keys(r.masking).length === 0 && <Typography.Text type="secondary">—</Typography.Text>}
        </Space>
      ),
    },
    {
      key: 'dimensions',
      title: t('node.dimensions'),
      width: 200,
      render: (_: unknown, r) => (
        <TagList values={r.aggregateDimensions.map((item) => titleOf(r.code, item))} color="cyan" />
      ),
    },
  ];

  const computationColumns: ColumnsType<Computation> = [
    {
      key: 'id',
      title: t('node.computationId'),
      width: 220,
      render: (_: unknown, c) => <Typography.Text code>{c.id}</Typography.Text>,
    },
    {
      key: 'title',
      title: t('node.computationTitle'),
      render: (_: unknown, c) => (
        <Subtitled note={i18n.language === 'en' ? (c.descriptionEn ?? c.description) : c.description}>
          {c.title}
        </Subtitled>
      ),
    },
    {
      key: 'resource',
      title: t('agreement.resource'),
      width: 200,
      render: (_: unknown, c) => resources.get(c.resource)?.name ?? c.resource,
    },
    {
      key: 'params',
      title: t('node.params'),
      width: 200,
      render: (_: unknown, c) => <TagList values={c.params.map((p) => p.title)} />,
    },
    {
      key: 'outputs',
      title: t('node.outputs'),
      width: 260,
      render: (_: unknown, c) => <TagList values={c.outputs.map((p) => p.title)} color="blue" />,
    },
  ];

  return (
    <>
      <Card size="small" title={t('node.resources')} data-testid="node-resources">
        <Table<Served>
          rowKey="code"
          size="small"
          pagination={false}
          columns={resourceColumns}
          dataSource={o.resources}
          locale={{ emptyText: <Empty description={t('node.noResources')} /> }}
        />
      </Card>
      {o.computations.length > 0 && (
        <Card size="small" title={t('node.computations')} data-testid="node-computations">
          <Table<Computation>
            rowKey="id"
            size="small"
            pagination={false}
            columns={computationColumns}
            dataSource={o.computations}
          />
        </Card>
      )}
    </>
  );
}
