// "My applications" (consumer side): own agreements with status and SLA, the apply form, withdraw.
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { AGREEMENT_STATUSES, type AgreementStatus, api } from '../api/client';
import { ApplyModal } from '../components/ApplyModal';
import { useLoad } from '../components/useLoad';
import { AgreementList } from '../components/AgreementList';
import { PageTitle } from '../components/PageTitle';

export default function ApplicationsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [status, setStatus] = useState<AgreementStatus | undefined>();
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [applying, setApplying] = useState(false);
  const openId = params.get('open');
  const { data, loading, error, reload } = useLoad(
    () => api.agreements({ side: 'consumer', status, ...page }),
    [status, page],
  );

  const open = (id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set('open', id);
    else next.delete('open');
    setParams(next, { replace: true });
  };

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
          <Select
            allowClear
            placeholder={t('agreement.status')}
            style={{ width: 180 }}
            value={status}
            onChange={(v?: AgreementStatus) => {
              setStatus(v);
              setPage((p) => ({ ...p, page: 1 }));
            }}
            options={AGREEMENT_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
            data-testid="filter-status"
          />
        </Space>
      </Card>
      <AgreementList
        data={data}
        loading={loading}
        error={error}
        reload={reload}
        columns={['resource', 'provider', 'status', 'appliedAt', 'sla', 'validity', 'actions']}
        onPage={(p, ps) => setPage({ page: p, pageSize: ps })}
        openId={openId}
        onOpen={open}
        testId="applications-table"
      />
      <ApplyModal
        open={applying}
        onClose={() => setApplying(false)}
        onDone={(a) => {
          setApplying(false);
          reload();
          open(a.id);
        }}
      />
    </div>
  );
}
