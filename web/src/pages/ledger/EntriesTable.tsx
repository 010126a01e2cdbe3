// Panel 3: the log's entries with filters (all for the auditor, a department's own otherwise).
import { EyeInvisibleOutlined } from '@ant-design/icons';
import { Card, DatePicker, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { Subtitled } from '../../components/Subtitled';
import { useLoad } from '../../components/useLoad';
import type { IndexedEntry } from '../../api/ledger';
import { fmtDateTime } from '../../components/format';
import { type EntryFilters, KINDS, NEWEST, TYPE_COLORS, actionLabel, departmentsOf } from './entries';
import { CardTitle } from '../../components/card';

export function EntriesTable({
  result,
  loading,
  filters,
  onFilters,
  members,
  overseer,
  nameOf,
  onOpen,
}: {
  result: { items: IndexedEntry[]; total: number; page: number; pageSize: number } | null;
  loading: boolean;
  filters: EntryFilters;
  onFilters: (f: EntryFilters) => void;
  members: string[];
  overseer: boolean;
  nameOf: (code: string) => string;
  onOpen: (index: number) => void;
}) {
  const { t } = useTranslation();
  // Resources by their catalogue names; a code not (or no longer) in the catalogue is shown as it is.
  const catalog = useLoad(() => api.resources({ pageSize: 200 }), []);
  const resourceNames = new Map((catalog.data?.items ?? []).map((resource) => [resource.code, resource.name]));
  const [requestId, setRequestId] = useState(filters.requestId);
  const set = (change: Partial<EntryFilters>) => onFilters({ ...filters, page: 1, ...change });

  const columns: ColumnsType<IndexedEntry> = [
    { key: 'index', title: t('ledger.index'), dataIndex: 'index', width: 80 },
    { key: 'time', title: t('ledger.time'), render: (_, r) => fmtDateTime(r.logtime), width: 150 },
    {
      key: 'eventTime',
      title: t('ledger.eventTime'),
      render: (_, r) => (r.eventTime ? fmtDateTime(r.eventTime) : '—'),
      width: 150,
    },
    {
      key: 'type',
      title: t('ledger.type'),
      render: (_, r) => <Tag color={TYPE_COLORS[r.kind]}>{t(`ledger.types.${r.kind}`, { defaultValue: r.kind })}</Tag>,
    },
    {
      key: 'action',
      title: t('ledger.action'),
      render: (_, r) => (
        <Space size={4}>
          <Typography.Text type={r.action === 'denied' ? 'danger' : undefined}>
            {actionLabel(t, r.kind, r.action ?? '—')}
          </Typography.Text>
          {r.code && <Typography.Text code>{r.code}</Typography.Text>}
          {r.covertUntil && (
            <Tooltip title={`${t('usage.explorer.until')} ${r.covertUntil}`}>
              <EyeInvisibleOutlined />
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      key: 'departments',
      title: t('ledger.departments'),
      render: (_, r) => {
        const codes = departmentsOf(r);
        return codes.length === 0 ? (
          '—'
        ) : (
          <Space size={[4, 4]} wrap>
            {codes.map((code) => (
              <Tag key={code} style={{ marginInlineEnd: 0 }}>
                {nameOf(code)}
              </Tag>
            ))}
          </Space>
        );
      },
    },
    {
      key: 'subject',
      title: t('ledger.subject'),
      render: (_, r) => {
        const subject = r.resource ?? r.agreementId;
        return subject ? (
          <Space orientation="vertical" size={0}>
            {r.resource && resourceNames.has(r.resource) ? (
              <Subtitled note={r.resource}>{resourceNames.get(r.resource)}</Subtitled>
            ) : (
              <Typography.Text code>{subject}</Typography.Text>
            )}
            {subject !== r.agreementId && r.agreementId && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {r.agreementId}
              </Typography.Text>
            )}
          </Space>
        ) : (
          '—'
        );
      },
    },
    {
      key: 'purpose',
      title: t('usage.explorer.purpose'),
      render: (_, r) =>
        r.purpose ? (
          <Typography.Text ellipsis={{ tooltip: r.purpose }} style={{ maxWidth: 220 }}>
            {r.purpose}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <Card
      size="small"
      title={
        <CardTitle
          title={t('ledger.entries')}
          note={overseer ? t('usage.explorer.scopeAll') : t('usage.explorer.scopeOwn')}
          noteTestId="entries-scope"
        />
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('ledger.allTypes')}
          value={filters.kind}
          onChange={(v) => set({ kind: v ?? null })}
          options={KINDS.map((kind) => ({ value: kind, label: t(`ledger.types.${kind}`, { defaultValue: kind }) }))}
          data-testid="entries-type"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          style={{ width: 220 }}
          placeholder={t('ledger.allDepartments')}
          value={filters.member}
          onChange={(v) => set({ member: v ?? null })}
          options={members.map((code) => ({ value: code, label: nameOf(code) }))}
          data-testid="entries-department"
        />
        <Input.Search
          allowClear
          style={{ width: 280 }}
          placeholder={t('usage.explorer.requestId')}
          value={requestId}
          onChange={(e) => setRequestId(e.target.value)}
          onSearch={(value) => set({ requestId: value })}
          data-testid="entries-request"
        />
        <DatePicker.RangePicker
          value={filters.period}
          onChange={(value) => set({ period: value })}
          allowEmpty={[true, true]}
          data-testid="entries-period"
        />
      </Space>
      <Table
        size="small"
        rowKey="index"
        loading={loading}
        columns={columns}
        dataSource={result?.items ?? []}
        pagination={{
          current: filters.page,
          pageSize: NEWEST,
          total: result?.total ?? 0,
          hideOnSinglePage: true,
          showSizeChanger: false,
          onChange: (page) => onFilters({ ...filters, page }),
        }}
        scroll={{ x: 'max-content' }}
        onRow={(r) => ({ onClick: () => onOpen(r.index), style: { cursor: 'pointer' } })}
        data-testid="entries-table"
      />
    </Card>
  );
}
