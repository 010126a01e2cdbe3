// One catalog resource: metadata, data items with classification, sharing attributes, and the
// "申请共享" entry point for consumers.
import { ArrowLeftOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Result, Space, Spin, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError, api, type DataItem } from '../api/client';
import { useMe } from '../auth/AuthContext';
import { ApplyModal } from '../components/ApplyModal';
import { useCatalogLabels } from '../components/catalogLabels';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMemberName } from '../components/memberNames';
import { ModeTags, SensitivityTag, SharingTag } from '../components/tags';
import { useLoad } from '../components/useLoad';
import { colon, paren } from '../i18n/punctuation';

export default function ResourceDetailPage() {
  const { code = '' } = useParams();
  const { t } = useTranslation();
  const memberName = useMemberName();
  const labels = useCatalogLabels();
  const me = useMe();
  const navigate = useNavigate();
  const [applying, setApplying] = useState(false);
  const { data: r, loading, error, reload } = useLoad(() => api.resource(code), [code]);

  if (loading && !r) return <Spin size="large" style={{ display: 'block', margin: '120px auto' }} />;
  if (error instanceof ApiError && error.status === 404) {
    return (
      <Result
        status="404"
        title={t('errors.NOT_FOUND')}
        subTitle={code}
        extra={<Link to="/catalog">{t('common.back')}</Link>}
      />
    );
  }
  if (!r) return <ErrorAlert error={error} onRetry={reload} />;

  const isConsumer = me.memberRole === 'consumer' && me.roles.includes('data_officer');
  const notShared = r.sharingType === 'not_shared';
  const disabledReason = notShared ? t('catalog.notSharedReason') : !isConsumer ? t('catalog.onlyConsumers') : null;

  const columns: ColumnsType<DataItem> = [
    {
      title: t('catalog.itemName'),
      dataIndex: 'name',
      render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
    },
    { title: t('catalog.itemTitle'), dataIndex: 'title' },
    {
      title: t('catalog.itemType'),
      dataIndex: 'type',
      render: (v: string, i) => (
        <Tooltip title={i.values?.length ? `${t('catalog.enumValues')}: ${i.values.join(' / ')}` : undefined}>
          <Tag>{t(`catalog.itemTypes.${v}`, { defaultValue: v })}</Tag>
        </Tooltip>
      ),
    },
    {
      title: t('catalog.sensitivity'),
      dataIndex: 'sensitivity',
      render: (v: DataItem['sensitivity']) => <SensitivityTag level={v} />,
    },
    {
      title: t('catalog.subjectKey'),
      dataIndex: 'subjectKey',
      render: (v: DataItem['subjectKey']) => (v ? <Tag color="cyan">{t(`subjectKey.${v}`)}</Tag> : '—'),
    },
    { title: t('catalog.description'), dataIndex: 'description' },
  ];

  const applyButton = (
    <Button
      type="primary"
      icon={<SendOutlined />}
      disabled={!!disabledReason}
      onClick={() => setApplying(true)}
      data-testid="apply-button"
    >
      {t('catalog.apply')}
    </Button>
  );

  return (
    <div data-testid="resource-detail">
      <Space style={{ marginBottom: 12 }}>
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)}>
          {t('common.back')}
        </Button>
      </Space>
      <Card
        title={
          <Space wrap>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {r.name}
            </Typography.Title>
            <SharingTag type={r.sharingType} />
            {r.requiresSuperiorApproval && <Tag color="purple">{t('catalog.superior')}</Tag>}
          </Space>
        }
        extra={
          disabledReason ? (
            <Space>
              <Typography.Text type="secondary" data-testid="apply-disabled-reason">
                {disabledReason}
              </Typography.Text>
              {applyButton}
            </Space>
          ) : (
            applyButton
          )
        }
        style={{ marginBottom: 16 }}
      >
        <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small" bordered>
          <Descriptions.Item label={t('catalog.code')}>
            <Typography.Text code copyable>
              {r.code}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('catalog.provider')}>{memberName(r.providerName)}</Descriptions.Item>
          <Descriptions.Item label={t('catalog.category')}>{labels.category(r.category)}</Descriptions.Item>
          <Descriptions.Item label={t('catalog.format')}>{labels.format(r.format)}</Descriptions.Item>
          <Descriptions.Item label={t('catalog.updateCycle')}>{labels.updateCycle(r.updateCycle)}</Descriptions.Item>
          <Descriptions.Item label={t('catalog.publishedAt')}>{r.publishedAt}</Descriptions.Item>
          <Descriptions.Item label={t('catalog.accessModes')}>
            <ModeTags modes={r.accessModes} />
          </Descriptions.Item>
          <Descriptions.Item label={t('catalog.related')} span={2}>
            {r.relatedResources.length
              ? r.relatedResources.map((c) => (
                  <Link key={c} to={`/catalog/${encodeURIComponent(c)}`} style={{ marginRight: 12 }}>
                    {c}
                  </Link>
                ))
              : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('catalog.summary')} span={3}>
            {r.summary}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {(r.sharingConditions || r.legalBasis) && (
        <Alert
          type={notShared ? 'error' : 'info'}
          showIcon
          style={{ marginBottom: 16 }}
          title={
            <Space orientation="vertical" size={2}>
              {r.sharingConditions && (
                <span>
                  <b>
                    {t('catalog.sharingConditions')}
                    {colon()}
                  </b>
                  {r.sharingConditions}
                </span>
              )}
              {r.legalBasis && (
                <span>
                  <b>
                    {t('catalog.legalBasis')}
                    {colon()}
                  </b>
                  {r.legalBasis}
                </span>
              )}
            </Space>
          }
        />
      )}
      <Card title={`${t('catalog.items')}${paren(t('catalog.itemCount', { count: r.items.length }))}`} size="small">
        <Table<DataItem>
          rowKey="name"
          size="small"
          columns={columns}
          dataSource={r.items}
          pagination={false}
          data-testid="items-table"
        />
      </Card>
      <ApplyModal
        open={applying}
        resource={r}
        onClose={() => setApplying(false)}
        onDone={(a) => {
          setApplying(false);
          navigate(`/applications?open=${encodeURIComponent(a.id)}`);
        }}
      />
    </div>
  );
}
