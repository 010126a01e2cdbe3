// All agreements visible to the member (both sides; the whole city for operator and auditor), with
// filters and the provider's suspend/resume/revoke.
import { Card, Input, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AgreementQuery, type AgreementStatus, api } from '../api/client';
import { AgreementList, AgreementStatusFilter, useAgreementList } from '../components/AgreementList';
import { PageTitle } from '../components/PageTitle';

type Side = NonNullable<AgreementQuery['side']>;

export default function AgreementsPage() {
  const { t } = useTranslation();
  const [side, setSide] = useState<Side>('all');
  const [status, setStatus] = useState<AgreementStatus | undefined>();
  const [resource, setResource] = useState<string | undefined>();
  const { list, firstPage } = useAgreementList(
    (page) => api.agreements({ side, status, resource, ...page }),
    [side, status, resource],
  );

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
          <AgreementStatusFilter
            value={status}
            onChange={(v) => {
              setStatus(v);
              firstPage();
            }}
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
        {...list}
        columns={['resource', 'consumer', 'provider', 'status', 'sla', 'validity', 'actions']}
        testId="agreements-table"
      />
    </div>
  );
}
