// 一网通办 · 自助办理 inside the console (counter staff can help an applicant at the window); the same flow
// is public at /self-service for residents without an officer account.
import { useTranslation } from 'react-i18next';
import { SelfServiceFlow } from './SelfServiceFlow';
import { PageTitle } from '../../components/PageTitle';

export default function SelfServicePage() {
  const { t } = useTranslation();
  return (
    <div data-testid="self-service-page">
      <PageTitle title={t('services.title')} intro={t('services.subtitle')} />
      <SelfServiceFlow />
    </div>
  );
}
