// "My applications" (consumer side): own agreements with status and SLA, the apply form, withdraw.
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { type AgreementStatus, api } from '../api/client';
import { ApplyModal } from '../components/ApplyModal';
import { AgreementList, AgreementStatusFilter, useAgreementList } from '../components/AgreementList';
import { PageTitle } from '../components/PageTitle';

export default function ApplicationsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [status, setStatus] = useState<AgreementStatus | undefined>();
  const [applying, setApplying] = useState(false);
  const open = (id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set('open', id);
    else next.delete('open');
    setParams(next, { replace: true });
  };
  const { list, firstPage } = useAgreementList(
    (page) => api.agreements({ side: 'consumer', status, ...page }),
    [status],
    {
      opened: [params.get('open'), open],
    },
  );

  return (
    <div data-testid="applications-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <PageTitle title={t('applications.title')} />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setApplying(true)} data-testid="new-application">
          {t('apply.new')}
        </Button>
      </div>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space>
          <AgreementStatusFilter
            value={status}
            onChange={(v) => {
              setStatus(v);
              firstPage();
            }}
          />
        </Space>
      </Card>
      <AgreementList
        {...list}
        columns={['resource', 'provider', 'status', 'appliedAt', 'sla', 'validity', 'actions']}
        testId="applications-table"
      />
      <ApplyModal
        open={applying}
        onClose={() => setApplying(false)}
        onDone={(a) => {
          setApplying(false);
          list.reload();
          open(a.id);
        }}
      />
    </div>
  );
}
