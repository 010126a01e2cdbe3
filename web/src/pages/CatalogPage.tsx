// Catalog browse and search. Filters live in the URL so a search can be bookmarked and shared.
import { Card, Empty, Input, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { ACCESS_MODES, type AccessMode, api, type Resource, SHARING_TYPES, type SharingType } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { ModeTags, SharingTag } from '../components/tags';
import { useLoad } from '../components/useLoad';
import { useCatalogLabels } from '../components/catalogLabels';
import { useMemberName } from '../components/memberNames';
import { useMembers } from '../components/useMembers';
import { PageTitle } from '../components/PageTitle';

export default function CatalogPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const provider = params.get('provider') ?? undefined;
  const sharingType = (params.get('sharingType') as SharingType | null) ?? undefined;
  const mode = (params.get('mode') as AccessMode | null) ?? undefined;
  const page = Number(params.get('page') ?? '1') || 1;
  const pageSize = Number(params.get('pageSize') ?? '20') || 20;
  const members = useMembers();
  const memberName = useMemberName();
  const labels = useCatalogLabels();

  const { data, loading, error, reload } = useLoad(
    () => api.resources({ q: q || undefined, provider, sharingType, mode, page, pageSize }),
    [q, provider, sharingType, mode, page, pageSize],
  );

  const update = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    // Any filter change starts again from the first page.
    if (!('page' in patch)) next.delete('page');
    setParams(next);
  };

  const columns: ColumnsType<Resource> = [
    {
      title: t('catalog.code'),
      dataIndex: 'code',
      width: 250,
      render: (v: string) => (
        <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
          {v}
        </Typography.Text>
      ),
    },
    {
      title: t('catalog.name'),
      dataIndex: 'name',
      render: (v: string, r) => <Link to={`/catalog/${encodeURIComponent(r.code)}`}>{v}</Link>,
    },
    { title: t('catalog.provider'), dataIndex: 'providerName', render: (v: string) => memberName(v) },
    {
      title: t('catalog.category'),
      dataIndex: 'category',
      responsive: ['xl'],
      render: (v: string) => labels.category(v),
    },
    { title: t('catalog.sharingType'), dataIndex: 'sharingType', render: (v: SharingType) => <SharingTag type={v} /> },
    { title: t('catalog.accessModes'), dataIndex: 'accessModes', render: (v: AccessMode[]) => <ModeTags modes={v} /> },
    {
      title: t('catalog.updateCycle'),
      dataIndex: 'updateCycle',
      responsive: ['lg'],
      render: (v: string) => labels.updateCycle(v),
    },
    { title: t('catalog.items'), key: 'items', align: 'right', render: (_: unknown, r) => r.items.length },
  ];

  return (
    <div data-testid="catalog-page">
      <PageTitle title={t('catalog.title')} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap size="middle">
          <Input.Search
            key={q}
            allowClear
            defaultValue={q}
            placeholder={t('catalog.keyword')}
            enterButton={t('common.search')}
            style={{ width: 420 }}
            onSearch={(v) => update({ q: v.trim() || undefined })}
            data-testid="catalog-search"
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('catalog.provider')}
            style={{ width: 200 }}
            value={provider}
            onChange={(v?: string) => update({ provider: v })}
            options={members.list.filter((m) => m.role === 'provider').map((m) => ({ value: m.code, label: m.name }))}
            data-testid="filter-provider"
          />
          <Select
            allowClear
            placeholder={t('catalog.sharingType')}
            style={{ width: 160 }}
            value={sharingType}
            onChange={(v?: string) => update({ sharingType: v })}
            options={SHARING_TYPES.map((s) => ({ value: s, label: t(`sharingType.${s}`) }))}
            data-testid="filter-sharing"
          />
          <Select
            allowClear
            placeholder={t('catalog.mode')}
            style={{ width: 160 }}
            value={mode}
            onChange={(v?: string) => update({ mode: v })}
            options={ACCESS_MODES.map((m) => ({ value: m, label: t(`mode.${m}`) }))}
            data-testid="filter-mode"
          />
        </Space>
      </Card>
      <ErrorAlert error={error} onRetry={reload} />
      <Card size="small">
        <Table<Resource>
          rowKey="code"
          size="middle"
          loading={loading}
          columns={columns}
          dataSource={data?.items ?? []}
          locale={{ emptyText: <Empty description={t('catalog.empty')} /> }}
          expandable={{
            expandedRowRender: (r) => <Typography.Paragraph style={{ margin: 0 }}>{r.summary}</Typography.Paragraph>,
          }}
          pagination={{
            current: data?.page ?? page,
            pageSize: data?.pageSize ?? pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { total }),
            onChange: (p, ps) => update({ page: String(p), pageSize: String(ps) }),
          }}
          data-testid="catalog-table"
        />
      </Card>
    </div>
  );
}
