// All agreements visible to the member (both sides; the whole city for operator and auditor), with
// filters and the provider's suspend/resume/revoke.
import { Card, Input, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AGREEMENT_STATUSES, type AgreementQuery, type AgreementStatus, api } from '../api/client';
import { useLoad } from '../components/useLoad';
import { AgreementList } from '../components/AgreementList';
import { PageTitle } from '../components/PageTitle';

type Side = NonNullable<AgreementQuery['side']>;

export default function AgreementsPage() {
  const { t } = useTranslation();
  const [side, setSide] = useState<Side>('all');
  const [status, setStatus] = useState<AgreementStatus | undefined>();
  const [resource, setResource] = useState<string | undefined>();
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [openId, setOpenId] = useState<string | null>(null);
  const { data, loading, error, reload } = useLoad(
    () => api.agreements({ side, status, resource, ...page }),
    [side, status, resource, page],
  );
  const firstPage = () => setPage((p) => ({ ...p, page: 1 }));

  return (
    <div data-testid="agreements-page">
      <PageTitle title={t('menu.agreements')} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap>
          <Select<Side>
            style={{ width: 160 }}
            value={side}
            onChange={(v) => {
              setSide(v);
              firstPage();
            }}
            options={[
              { value: 'all', label: t('agreement.sideAll') },
              { value: 'consumer', label: t('agreement.sideConsumer') },
              { value: 'provider', label: t('agreement.sideProvider') },
            ]}
            data-testid="filter-side"
          />
          <Select
            allowClear
            placeholder={t('agreement.status')}
            style={{ width: 180 }}
            value={status}
            onChange={(v?: AgreementStatus) => {
              setStatus(v);
              firstPage();
            }}
            options={AGREEMENT_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
            data-testid="filter-status"
          />
          <Input.Search
            allowClear
            placeholder={t('catalog.code')}
            style={{ width: 260 }}
            onSearch={(v) => {
              setResource(v.trim() || undefined);
              firstPage();
            }}
          />
        </Space>
      </Card>
      <AgreementList
        data={data}
        loading={loading}
        error={error}
        reload={reload}
        columns={['resource', 'consumer', 'provider', 'status', 'sla', 'validity', 'actions']}
        onPage={(p, ps) => setPage({ page: p, pageSize: ps })}
        openId={openId}
        onOpen={setOpenId}
        testId="agreements-table"
      />
    </div>
  );
}
