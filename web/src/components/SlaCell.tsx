// SLA display: overdue answers in red with the number of working days, otherwise the deadline.
import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Agreement } from '../api/client';
import { fmtDate } from './format';

export function SlaCell({ a }: { a: Agreement }) {
  const { t } = useTranslation();
  const waiting = a.status === 'pending' || a.status === 'pending_superior';
  if (a.sla.overdue && a.sla.workingDaysOverdue > 0) {
    return <Tag color="red">{t('sla.overdue', { days: a.sla.workingDaysOverdue })}</Tag>;
  }
  if (waiting) return <Typography.Text type="secondary">{t('sla.due', { date: fmtDate(a.dueAt) })}</Typography.Text>;
  if (a.answeredAt) return <Tag color="green">{t('sla.answered')}</Tag>;
  return <span>—</span>;
}
