// "To review" (provider side): pending applications first; leaders see the ones awaiting the
// superior's approval.
import { Alert, Card, Segmented } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Agreement, type AgreementStatus, api, type Page } from '../api/client';
import { useMe } from '../auth/AuthContext';
import { AgreementList, useAgreementList } from '../components/AgreementList';
import { PageTitle } from '../components/PageTitle';
import { paren } from '../i18n/punctuation';

const WAITING: AgreementStatus[] = ['pending', 'pending_superior'];

/** Waiting ones first, oldest first among them (closest to the SLA deadline). */
function waitingFirst(data: Page<Agreement>): Page<Agreement> {
  const rank = (a: Agreement) => (WAITING.includes(a.status) ? 0 : 1);
  const items = [...data.items].sort(
    (a, b) => rank(a) - rank(b) || (rank(a) === 0 ? a.appliedAt.localeCompare(b.appliedAt) : 0),
  );
  return { ...data, items };
}

export default function ReviewPage() {
  const { t } = useTranslation();
  const me = useMe();
  const leader = me.roles.includes('leader') && !me.roles.includes('reviewer');
  const todoStatus: AgreementStatus = leader ? 'pending_superior' : 'pending';
  const [view, setView] = useState<'todo' | 'all'>('todo');
  const { list, firstPage } = useAgreementList(
    (page) => api.agreements({ side: 'provider', status: view === 'todo' ? todoStatus : undefined, ...page }),
    [view, todoStatus],
    { arrange: waitingFirst },
  );

  return (
    <div data-testid="review-page">
      <PageTitle title={t('review.title')} />
      {leader && <Alert type="info" showIcon title={t('review.superiorHint')} style={{ marginBottom: 16 }} />}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Segmented<'todo' | 'all'>
          value={view}
          onChange={(v) => {
            setView(v);
            firstPage();
          }}
          options={[
            { value: 'todo', label: `${t('review.pendingOnly')}${paren(t(`status.${todoStatus}`))}` },
            { value: 'all', label: t('common.all') },
          ]}
          data-testid="review-view"
        />
      </Card>
      <AgreementList
        {...list}
        columns={['resource', 'consumer', 'status', 'appliedAt', 'sla', 'actions']}
        testId="review-table"
      />
    </div>
  );
}
