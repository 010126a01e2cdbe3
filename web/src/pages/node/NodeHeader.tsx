// Panel 1: where the node is, whether it is in step with the hub, and its own figures.
import { SyncOutlined } from '@ant-design/icons';
import { Card, Col, Descriptions, Row, Space, Statistic, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { NodeOverview } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { fmtDateTime } from '../../components/format';
import { STALE_AFTER_MS, useNow } from './shared';
import { CardTitle, RefreshButton } from '../../components/card';
import { useMemberName } from '../../components/memberNames';

export function NodeHeader({ overview: o, onReload }: { overview: NodeOverview; onReload: () => void }) {
  const { t } = useTranslation();
  const memberName = useMemberName();
  const me = useMe();
  const now = useNow(10_000);
  const syncedAt = o.lastSync ? new Date(o.lastSync).getTime() : null;
  const stale = syncedAt === null || now - syncedAt > STALE_AFTER_MS;
  return (
    <Card
      size="small"
      title={
        <CardTitle
          icon={<SyncOutlined style={{ color: stale ? '#fa541c' : '#52c41a' }} />}
          title={t('node.status')}
          note={me.memberCode === o.member ? memberName(me.memberName) : o.member}
        />
      }
      extra={<RefreshButton onClick={onReload} />}
      data-testid="node-header"
    >
      <Row gutter={[24, 16]} align="middle">
        <Col xs={24} xl={13}>
          <Descriptions
            column={1}
            size="small"
            items={[
              {
                key: 'url',
                label: t('node.url'),
                children: (
                  <Typography.Text copyable code data-testid="node-url">
                    {o.nodeUrl}
                  </Typography.Text>
                ),
              },
              {
                key: 'key',
                label: t('node.keyId'),
                children: <Typography.Text code>{o.keyId}</Typography.Text>,
              },
              {
                key: 'sync',
                label: t('node.lastSync'),
                children: (
                  <Space size={8} wrap data-testid="node-last-sync" data-stale={stale}>
                    <Tooltip title={fmtDateTime(o.lastSync)}>
                      <Typography.Text type={stale ? 'danger' : 'success'} strong>
                        {syncedAt === null ? t('node.neverSynced') : dayjs(syncedAt).from(now)}
                      </Typography.Text>
                    </Tooltip>
                    {stale && (
                      <Tag color="warning" data-testid="node-stale">
                        {t('node.stale')}
                      </Tag>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        </Col>
        <Col xs={24} xl={11}>
          <Row gutter={16} className="kpi">
            <Col span={6}>
              <Statistic
                title={t('node.served')}
                value={o.stats.served}
                styles={{ content: { color: '#389e0d' } }}
                data-testid="stat-served"
              />
            </Col>
            <Col span={6}>
              <Statistic
                title={t('node.denied')}
                value={o.stats.denied}
                styles={{ content: { color: o.stats.denied > 0 ? '#cf1322' : undefined } }}
                data-testid="stat-denied"
              />
            </Col>
            <Col span={6}>
              <Statistic title={t('node.dataReads')} value={o.stats.dataReads} data-testid="stat-reads" />
            </Col>
            <Col span={6}>
              <Statistic title={t('node.audited')} value={o.stats.audited} />
            </Col>
          </Row>
        </Col>
      </Row>
    </Card>
  );
}
