// "To review" (provider side): pending applications first; leaders see the ones awaiting the
// superior's approval.
import { Alert, Card, Segmented } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Agreement, type AgreementStatus, api, type Page } from '../api/client';
import { useMe } from '../auth/AuthContext';
import { useLoad } from '../components/useLoad';
import { AgreementList } from '../components/AgreementList';
import { PageTitle } from '../components/PageTitle';

const WAITING: AgreementStatus[] = ['pending', 'pending_superior'];

export default function ReviewPage() {
  const { t } = useTranslation();
  const me = useMe();
  const leader = me.roles.includes('leader') && !me.roles.includes('reviewer');
  const todoStatus: AgreementStatus = leader ? 'pending_superior' : 'pending';
  const [view, setView] = useState<'todo' | 'all'>('todo');
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [openId, setOpenId] = useState<string | null>(null);
  const { data, loading, error, reload } = useLoad(
    () => api.agreements({ side: 'provider', status: view === 'todo' ? todoStatus : undefined, ...page }),
    [view, page, todoStatus],
  );

  // Waiting ones first, oldest first among them (closest to the SLA deadline).
  const sorted = useMemo<Page<Agreement> | null>(() => {
    if (!data) return null;
    const rank = (a: Agreement) => (WAITING.includes(a.status) ? 0 : 1);
    const items = [...data.items].sort(
      (a, b) => rank(a) - rank(b) || (rank(a) === 0 ? a.appliedAt.localeCompare(b.appliedAt) : 0),
    );
    return { ...data, items };
  }, [data]);

  return (
    <div data-testid="review-page">
      <PageTitle title={t('review.title')} />
      {leader && <Alert type="info" showIcon title={t('review.superiorHint')} style={{ marginBottom: 16 }} />}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Segmented<'todo' | 'all'>
          value={view}
          onChange={(v) => {
            setView(v);
            setPage((p) => ({ ...p, page: 1 }));
          }}
          options={[
            { value: 'todo', label: `${t('review.pendingOnly')}（${t(`status.${todoStatus}`)}）` },
            { value: 'all', label: t('common.all') },
          ]}
          data-testid="review-view"
        />
      </Card>
      <AgreementList
        data={sorted}
        loading={loading}
        error={error}
        reload={reload}
        columns={['resource', 'consumer', 'status', 'appliedAt', 'sla', 'actions']}
        onPage={(p, ps) => setPage({ page: p, pageSize: ps })}
        openId={openId}
        onOpen={setOpenId}
        testId="review-table"
      />
    </div>
  );
}
