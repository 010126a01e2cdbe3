// The ranking table of graded (or not graded) enterprises: sortable, filterable, paged by the server.
import { WarningOutlined } from '@ant-design/icons';
import { Input, Select, Space, Table, Tag, Tooltip } from 'antd';
import type { ColumnsType, TablePaginationConfig } from 'antd/es/table';
import type { SorterResult } from 'antd/es/table/interface';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import {
  type EnterpriseListItem,
  type EnterpriseQuery,
  type Evaluation,
  type EvaluationClass,
  evaluationApi,
} from '../../api/evaluation';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLoad } from '../../components/useLoad';
import {
  CLASSES,
  ClassTag,
  districtName,
  fmtMoney,
  fmtNumber,
  groupName,
  industryName,
  reasonName,
  useMethodologyNames,
} from './common';
import { Subtitled } from '../../components/Subtitled';
import { paren } from '../../i18n/punctuation';

export function RankingTable({ evaluation, graded }: { evaluation: Evaluation; graded: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const s = evaluation.summary!;
  const names = useMethodologyNames(s.methodology.id);
  const [query, setQuery] = useState<EnterpriseQuery>({
    graded: graded ? 'true' : 'false',
    sort: graded ? 'rank' : 'uscc',
    order: 'asc',
    page: 1,
    pageSize: 20,
  });
  const [search, setSearch] = useState('');
  const rows = useLoad(() => evaluationApi.enterprises(evaluation.id, query), [evaluation.id, query]);
  const set = (patch: Partial<EnterpriseQuery>) => setQuery((q) => ({ ...q, ...patch, page: patch.page ?? 1 }));
  const reasons = Object.keys(s.counts.notGraded);
  const columns: ColumnsType<EnterpriseListItem> = [
    ...(graded
      ? [
          {
            key: 'rank',
            title: t('evaluation.rank'),
            dataIndex: 'rank',
            width: 80,
            sorter: true,
            sortOrder: query.sort === 'rank' ? (query.order === 'asc' ? 'ascend' : 'descend') : null,
          } as ColumnsType<EnterpriseListItem>[number],
        ]
      : []),
    {
      key: 'name',
      title: t('evaluation.enterprise'),
      dataIndex: 'name',
      sorter: true,
      sortOrder: query.sort === 'name' ? (query.order === 'asc' ? 'ascend' : 'descend') : null,
      render: (name: string, r) => (
        <Subtitled note={r.uscc}>
          <Link to={`/evaluation/${evaluation.id}/${r.uscc}`} data-testid="enterprise-link">
            {name}
          </Link>
        </Subtitled>
      ),
    },
    {
      key: 'group',
      title: t('evaluation.group'),
      dataIndex: 'group',
      width: 70,
      render: (g: string | null) => (g ? groupName(g) : '—'),
    },
    { key: 'district', title: t('evaluation.district'), dataIndex: 'districtCode', width: 90, render: districtName },
    {
      key: 'industry',
      title: t('evaluation.industry'),
      dataIndex: 'industryCode',
      render: (code: string) => (
        <Tooltip title={code}>
          <span>{industryName(code)}</span>
        </Tooltip>
      ),
    },
    ...(graded
      ? ([
          {
            key: 'total',
            title: t('evaluation.total'),
            dataIndex: 'total',
            align: 'right',
            width: 110,
            sorter: true,
            sortOrder: query.sort === 'total' ? (query.order === 'asc' ? 'ascend' : 'descend') : null,
            render: (v: number | null) => fmtNumber(v),
          },
          {
            key: 'class',
            title: t('evaluation.class'),
            dataIndex: 'class',
            width: 150,
            render: (c: EvaluationClass | null, r) => (
              <Space size={4}>
                <ClassTag cls={c} />
                {r.veto && (
                  <Tooltip title={t('evaluation.vetoTip')}>
                    <WarningOutlined style={{ color: '#cf1322' }} />
                  </Tooltip>
                )}
              </Space>
            ),
          },
          {
            key: 'previous',
            title: t('evaluation.previousClass'),
            dataIndex: 'previousClass',
            width: 90,
            render: (c: EvaluationClass | null) => <ClassTag cls={c} withLabel={false} />,
          },
          {
            key: 'surcharge',
            title: t('evaluation.surcharge'),
            dataIndex: 'surcharge',
            align: 'right',
            width: 130,
            render: (v: string | null) => (v ? fmtMoney(v) : '—'),
          },
        ] as ColumnsType<EnterpriseListItem>)
      : ([
          {
            key: 'reason',
            title: t('evaluation.reason'),
            dataIndex: 'reasonLabel',
            render: (label: string | null, r) => {
              const detail = label && names.exclusion(label);
              return (
                <Space size={4}>
                  <Tag>{r.reason ? reasonName(r.reason) : '—'}</Tag>
                  {detail && detail !== (r.reason && reasonName(r.reason)) && <span>{detail}</span>}
                </Space>
              );
            },
          },
        ] as ColumnsType<EnterpriseListItem>)),
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid={graded ? 'ranking' : 'excluded'}>
      <Space wrap>
        <Select
          allowClear
          placeholder={t('evaluation.group')}
          style={{ width: 110 }}
          value={query.group}
          onChange={(group) => set({ group })}
          options={s.groups.map((g) => ({ value: g.label, label: groupName(g.label) }))}
          data-testid="filter-group"
        />
        {graded ? (
          <Select
            allowClear
            placeholder={t('evaluation.class')}
            style={{ width: 150 }}
            value={query.class}
            onChange={(cls) => set({ class: cls })}
            options={CLASSES.map((c) => ({ value: c, label: `${c} ${t(`evaluation.classLabel.${c}`)}` }))}
            data-testid="filter-class"
          />
        ) : (
          <Select
            allowClear
            placeholder={t('evaluation.reason')}
            style={{ width: 240 }}
            value={query.reason}
            onChange={(reason) => set({ reason })}
            options={reasons.map((r) => ({ value: r, label: `${reasonName(r)}${paren(s.counts.notGraded[r] ?? 0)}` }))}
          />
        )}
        <Select
          allowClear
          placeholder={t('evaluation.district')}
          style={{ width: 130 }}
          value={query.district}
          onChange={(district) => set({ district })}
          options={s.byDistrict.map((r) => ({ value: r.key, label: districtName(r.key) }))}
          data-testid="filter-district"
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('evaluation.industry')}
          style={{ width: 240 }}
          value={query.industry}
          onChange={(industry) => set({ industry })}
          options={s.byIndustry.map((r) => ({ value: r.key, label: `${r.key} ${industryName(r.key)}` }))}
        />
        <Input.Search
          allowClear
          placeholder={t('evaluation.search')}
          style={{ width: 260 }}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(q) => set({ q: q.trim() || undefined })}
          data-testid="filter-q"
        />
      </Space>
      <ErrorAlert error={rows.error} onRetry={rows.reload} />
      <Table<EnterpriseListItem>
        size="small"
        rowKey="uscc"
        loading={rows.loading}
        dataSource={rows.data?.items ?? []}
        columns={columns}
        onRow={(r) => ({ onDoubleClick: () => navigate(`/evaluation/${evaluation.id}/${r.uscc}`) })}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: rows.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100],
          showTotal: (total) => t('common.total', { total }),
        }}
        onChange={(pagination: TablePaginationConfig, _filters, sorter) => {
          const sort = sorter as SorterResult<EnterpriseListItem>;
          const field = (sort.columnKey ?? sort.field) as EnterpriseQuery['sort'] | undefined;
          const order = sort.order === 'descend' ? 'desc' : 'asc';
          setQuery((q) => ({
            ...q,
            page: pagination.current ?? 1,
            pageSize: pagination.pageSize ?? 20,
            sort: sort.order && field ? field : graded ? 'rank' : 'uscc',
            order: sort.order ? order : 'asc',
          }));
        }}
      />
    </Space>
  );
}
