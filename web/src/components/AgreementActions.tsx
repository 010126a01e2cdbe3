// Every action a user may take on an agreement, decided in one place from the user's member and
// roles and the agreement's state, so tables and the detail drawer offer the same buttons.
import { App, Button, Popconfirm, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Agreement, type ApproveRequest, api, type Me } from '../api/client';
import { useMe } from '../auth/AuthContext';
import { ApproveModal } from './ApproveModal';
import { errorMessage } from './errors';
import { ReasonModal } from './ReasonModal';

type ReasonAction = 'reject' | 'superiorReject' | 'suspend' | 'revoke';

export function allowedActions(me: Me, a: Agreement) {
  const provider = me.memberCode === a.providerCode;
  const operatorAdmin = me.memberRole === 'operator' && me.roles.includes('admin');
  const reviewer = provider && me.roles.includes('reviewer');
  const manager = (provider && (me.roles.includes('reviewer') || me.roles.includes('admin'))) || operatorAdmin;
  return {
    withdraw: me.memberCode === a.consumerCode && (a.status === 'pending' || a.status === 'pending_superior'),
    approve: reviewer && a.status === 'pending',
    reject: reviewer && a.status === 'pending',
    superior: provider && me.roles.includes('leader') && a.status === 'pending_superior',
    suspend: manager && a.status === 'active',
    resume: manager && a.status === 'suspended',
    revoke: manager && (a.status === 'active' || a.status === 'suspended'),
  };
}

export function AgreementActions({
  agreement: a,
  onChanged,
  size = 'small',
}: {
  agreement: Agreement;
  onChanged: (a: Agreement) => void;
  size?: 'small' | 'middle';
}) {
  const { t } = useTranslation();
  const me = useMe();
  const { message } = App.useApp();
  const [reasonFor, setReasonFor] = useState<ReasonAction | null>(null);
  const [approving, setApproving] = useState<Agreement | null>(null);
  const [needsSuperior, setNeedsSuperior] = useState(false);
  const [titles, setTitles] = useState<Map<string, string>>(new Map());
  const [busy, setBusy] = useState(false);
  const can = allowedActions(me, a);

  const run = async (fn: () => Promise<Agreement>, done: string) => {
    setBusy(true);
    try {
      const next = await fn();
      message.success(done);
      onChanged(next);
    } catch (e) {
      message.error(errorMessage(t, e));
    } finally {
      setBusy(false);
    }
  };

  const openApprove = async () => {
    // Item titles make narrowing readable; without them the names still work.
    const r = await api.resource(a.resourceCode).catch(() => null);
    setTitles(new Map((r?.items ?? []).map((i) => [i.name, i.title])));
    setNeedsSuperior(r?.requiresSuperiorApproval ?? false);
    setApproving(a);
  };

  const reasonTitles: Record<ReasonAction, string> = {
    reject: t('review.rejectTitle'),
    superiorReject: t('review.superiorReject'),
    suspend: t('manage.suspendTitle'),
    revoke: t('manage.revokeTitle'),
  };

  const submitReason = async (reason: string) => {
    const calls: Record<ReasonAction, () => Promise<Agreement>> = {
      reject: () => api.reject(a.id, reason),
      superiorReject: () => api.superiorReject(a.id, reason),
      suspend: () => api.suspend(a.id, reason),
      revoke: () => api.revoke(a.id, reason),
    };
    if (!reasonFor) return;
    // Errors propagate to the modal, which shows them next to the reason.
    const next = await calls[reasonFor]();
    message.success(reasonFor === 'reject' || reasonFor === 'superiorReject' ? t('review.rejected') : t('manage.done'));
    setReasonFor(null);
    onChanged(next);
  };

  const submitApprove = async (body: ApproveRequest) => {
    const next = await api.approve(a.id, body);
    // Approved by the reviewer is not in force yet when the leader still has to approve it.
    message.success(next.status === 'pending_superior' ? t('review.approvedToSuperior') : t('review.approved'));
    setApproving(null);
    onChanged(next);
  };

  if (!Object.values(can).some(Boolean)) return null;

  return (
    // Clicks inside (including the modals, which bubble through React portals) must not reach the
    // table row, whose click opens the detail drawer.
    // biome-ignore lint/a11y/noStaticElementInteractions: only stops propagation
    // biome-ignore lint/a11y/useKeyWithClickEvents: only stops propagation
    <span onClick={(e) => e.stopPropagation()}>
      <Space size={4} wrap>
        {can.approve && (
          <Button size={size} type="primary" onClick={() => void openApprove()} data-testid="action-approve">
            {t('review.approve')}
          </Button>
        )}
        {can.reject && (
          <Button size={size} danger onClick={() => setReasonFor('reject')} data-testid="action-reject">
            {t('review.reject')}
          </Button>
        )}
        {can.superior && (
          <>
            <Popconfirm
              title={t('review.superiorApprove')}
              onConfirm={() => run(() => api.superiorApprove(a.id), t('review.approved'))}
            >
              <Button size={size} type="primary" loading={busy} data-testid="action-superior-approve">
                {t('review.superiorApprove')}
              </Button>
            </Popconfirm>
            <Button
              size={size}
              danger
              onClick={() => setReasonFor('superiorReject')}
              data-testid="action-superior-reject"
            >
              {t('review.superiorReject')}
            </Button>
          </>
        )}
        {can.withdraw && (
          <Popconfirm
            title={t('applications.withdrawConfirm')}
            onConfirm={() => run(() => api.withdraw(a.id), t('applications.withdrawn'))}
          >
            <Button size={size} loading={busy} data-testid="action-withdraw">
              {t('applications.withdraw')}
            </Button>
          </Popconfirm>
        )}
        {can.suspend && (
          <Button size={size} onClick={() => setReasonFor('suspend')} data-testid="action-suspend">
            {t('manage.suspend')}
          </Button>
        )}
        {can.resume && (
          <Popconfirm title={t('manage.resumeConfirm')} onConfirm={() => run(() => api.resume(a.id), t('manage.done'))}>
            <Button size={size} loading={busy} data-testid="action-resume">
              {t('manage.resume')}
            </Button>
          </Popconfirm>
        )}
        {can.revoke && (
          <Button size={size} danger onClick={() => setReasonFor('revoke')} data-testid="action-revoke">
            {t('manage.revoke')}
          </Button>
        )}
      </Space>
      <ReasonModal
        open={reasonFor !== null}
        title={reasonFor ? reasonTitles[reasonFor] : ''}
        requiredMessage={
          reasonFor === 'reject' || reasonFor === 'superiorReject'
            ? t('review.reasonRequired')
            : t('manage.reasonRequired')
        }
        danger
        onCancel={() => setReasonFor(null)}
        onSubmit={submitReason}
      />
      <ApproveModal
        agreement={approving}
        itemTitles={titles}
        needsSuperior={needsSuperior}
        onCancel={() => setApproving(null)}
        onSubmit={submitApprove}
      />
    </span>
  );
}
