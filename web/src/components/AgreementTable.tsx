// Paged agreement list used by "my applications", "to review" and "agreements"; rows open the drawer.
import { Empty, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { Agreement, Page } from '../api/client';
import { AgreementActions } from './AgreementActions';
import { fmtDateTime } from './format';
import { SlaCell } from './SlaCell';
import { StatusTag } from './tags';
import { Subtitled } from './Subtitled';
import { useMemberName } from './memberNames';

export type AgreementColumn =
  | 'resource'
  | 'consumer'
  | 'provider'
  | 'status'
  | 'appliedAt'
  | 'sla'
  | 'validity'
  | 'actions';

export function AgreementTable({
  data,
  loading,
  columns: shown,
  onOpen,
  onChanged,
  onPage,
  testId,
}: {
  data: Page<Agreement> | null;
  loading: boolean;
  columns: AgreementColumn[];
  onOpen: (a: Agreement) => void;
  onChanged: (a: Agreement) => void;
  onPage: (page: number, pageSize: number) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const memberName = useMemberName();
  const all: Record<AgreementColumn, ColumnsType<Agreement>[number]> = {
    resource: {
      key: 'resource',
      title: t('agreement.resource'),
      render: (_: unknown, a) => (
        <Subtitled note={a.resourceCode}>
          <Typography.Link onClick={() => onOpen(a)}>{a.resourceName}</Typography.Link>
        </Subtitled>
      ),
    },
    consumer: {
      key: 'consumer',
      title: t('agreement.consumer'),
      render: (_: unknown, a) => memberName(a.consumerName),
    },
    provider: {
      key: 'provider',
      title: t('agreement.provider'),
      render: (_: unknown, a) => memberName(a.providerName),
    },
    status: { key: 'status', title: t('agreement.status'), render: (_: unknown, a) => <StatusTag status={a.status} /> },
    appliedAt: {
      key: 'appliedAt',
      title: t('agreement.appliedAt'),
      render: (_: unknown, a) => fmtDateTime(a.appliedAt),
    },
    sla: { key: 'sla', title: t('agreement.sla'), render: (_: unknown, a) => <SlaCell a={a} /> },
    validity: {
      key: 'validity',
      title: t('agreement.validity'),
      render: (_: unknown, a) => {
        const terms = a.granted ?? a.requested;
        return `${terms.validFrom.slice(0, 10)} ~ ${terms.validTo.slice(0, 10)}`;
      },
    },
    actions: {
      key: 'actions',
      title: t('common.actions'),
      render: (_: unknown, a) => <AgreementActions agreement={a} onChanged={onChanged} />,
    },
  };
  return (
    <Table<Agreement>
      rowKey="id"
      size="middle"
      loading={loading}
      columns={shown.map((c) => all[c])}
      dataSource={data?.items ?? []}
      onRow={(a) => ({ onClick: () => onOpen(a), style: { cursor: 'pointer' } })}
      locale={{ emptyText: <Empty description={t('agreement.empty')} /> }}
      pagination={{
        current: data?.page ?? 1,
        pageSize: data?.pageSize ?? 20,
        total: data?.total ?? 0,
        showSizeChanger: true,
        showTotal: (total) => t('common.total', { total }),
        onChange: onPage,
      }}
      data-testid={testId}
    />
  );
}
