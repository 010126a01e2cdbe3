// The public self-service page (/self-service): no officer account needed. The applicant identifies with
// name and ID number (a simulated real-name login in the demo); the console's own pages stay behind login.
import { Layout, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { LanguageSwitch } from '../../layout/AppLayout';
import { SelfServiceFlow } from './SelfServiceFlow';
import { PageTitle } from '../../components/PageTitle';

export default function PublicSelfServicePage() {
  const { t } = useTranslation();
  return (
    <Layout style={{ minHeight: '100vh' }} data-testid="public-self-service">
      <Layout.Header
        style={{ background: '#0b2a4a', display: 'flex', alignItems: 'center', justifyContent: 'space-between' }}
      >
        <Space size={12}>
          <div className="brand-mark">互</div>
          <Typography.Text style={{ color: '#fff', fontSize: 16 }} strong>
            {t('services.publicTitle')}
          </Typography.Text>
        </Space>
        <Space size={16}>
          <span style={{ color: '#fff' }}>
            <LanguageSwitch />
          </span>
          <Link to="/login" style={{ color: '#bae0ff' }}>
            {t('services.staffLogin')}
          </Link>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24, maxWidth: 1080, width: '100%', margin: '0 auto' }}>
        <PageTitle title={t('services.title')} intro={t('services.subtitle')} />
        <SelfServiceFlow />
      </Layout.Content>
    </Layout>
  );
}
