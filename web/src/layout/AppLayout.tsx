// The console frame: left menu generated from the page registry, header with user, member,
// language switch and logout.
import { GlobalOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Layout, Menu, Segmented, Space, Spin, Tag, Typography, theme } from 'antd';
import { Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useMe, useAuth } from '../auth/AuthContext';
import { type Lang, setLang } from '../i18n';
import { menuKeyOf, PAGES } from '../pages/registry';
import { useMemberName } from '../components/memberNames';

const { Header, Sider, Content } = Layout;

export function LanguageSwitch() {
  const { i18n } = useTranslation();
  const lang: Lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  return (
    <Space size={4}>
      <GlobalOutlined />
      <Segmented<Lang>
        size="small"
        value={lang}
        onChange={setLang}
        options={[
          { label: '中文', value: 'zh-CN' },
          { label: 'EN', value: 'en' },
        ]}
        data-testid="lang-switch"
      />
    </Space>
  );
}

export function AppLayout() {
  const me = useMe();
  const { logout } = useAuth();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const { token } = theme.useToken();
  const en = i18n.language === 'en';
  const memberName = useMemberName();

  const items = useMemo(
    () =>
      PAGES.filter((p) => p.label && p.visible(me)).map((p) => ({
        key: menuKeyOf(p),
        icon: p.icon,
        label: en ? p.label?.en : p.label?.zh,
      })),
    [me, en],
  );
  const selected = location.pathname.split('/')[1] ?? '';

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider width={232} breakpoint="lg" collapsedWidth={64} theme="dark" style={{ background: '#0b2a4a' }}>
        <div className="brand">
          <div className="brand-mark">互</div>
          <div className="brand-text">
            <div className="brand-name">{t('app.name')}</div>
            <div className="brand-sub">{t('app.full')}</div>
          </div>
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[selected]}
          items={items}
          onClick={(e) => navigate(`/${e.key}`)}
          style={{ background: 'transparent', borderInlineEnd: 0 }}
        />
      </Sider>
      <Layout>
        <Header
          style={{
            background: token.colorBgContainer,
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <Typography.Text strong style={{ fontSize: 16 }}>
            {t('app.title')}
          </Typography.Text>
          <Space size="middle">
            <Space size={6} data-testid="current-member">
              <Tag color="blue">{t(`memberRole.${me.memberRole}`)}</Tag>
              <Typography.Text>{memberName(me.memberName)}</Typography.Text>
            </Space>
            <Space size={6}>
              <Avatar size="small" icon={<UserOutlined />} style={{ background: token.colorPrimary }} />
              <Typography.Text data-testid="current-user">{me.displayName || me.username}</Typography.Text>
              <Typography.Text type="secondary">{me.roles.map((r) => t(`userRole.${r}`)).join(' · ')}</Typography.Text>
            </Space>
            <LanguageSwitch />
            <Button
              icon={<LogoutOutlined />}
              onClick={async () => {
                await logout();
                navigate('/login', { replace: true });
              }}
            >
              {t('common.logout')}
            </Button>
          </Space>
        </Header>
        <Content style={{ padding: 24 }}>
          <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '120px auto' }} />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
}
