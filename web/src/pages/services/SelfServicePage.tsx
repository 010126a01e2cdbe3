// 一网通办 · 自助办理 inside the console (counter staff can help an applicant at the window); the same flow
// is public at /self-service for residents without an officer account.
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { SelfServiceFlow } from './SelfServiceFlow';

export default function SelfServicePage() {
  const { t } = useTranslation();
  return (
    <div data-testid="self-service-page">
      <Typography.Title level={3} className="page-title">
        {t('services.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('services.subtitle')}</Typography.Paragraph>
      <SelfServiceFlow />
    </div>
  );
}
