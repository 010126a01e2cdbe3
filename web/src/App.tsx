// Top-level routing: /login outside the frame, every registered page inside it behind the login guard.
import { Button, ConfigProvider, Result, Spin, App as AntApp } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { AuthProvider, useAuth } from './auth/AuthContext';
import { MemberNamesProvider } from './components/memberNames';
import { AppLayout } from './layout/AppLayout';
import LoginPage from './pages/LoginPage';
import PasswordChangePage from './pages/PasswordChangePage';
import PublicSelfServicePage from './pages/services/PublicSelfServicePage';
import { PAGES } from './pages/registry';

// 我的数据使用记录: residents and enterprises, with their own session, outside the departments' frame.
const MyDataPage = lazy(() => import('./pages/MyDataPage'));

function RequireAuth({ children }: { children: ReactNode }) {
  const { me, ready } = useAuth();
  const location = useLocation();
  if (!ready) return <Spin size="large" style={{ display: 'block', margin: '200px auto' }} />;
  if (!me) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  // A one-time password opens nothing but its own change.
  if (me.mustChangePassword) return <PasswordChangePage />;
  return <>{children}</>;
}

function Guard({ allowed, children }: { allowed: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  if (allowed) return <>{children}</>;
  return (
    <Result
      status="403"
      title={t('common.noPermission')}
      extra={<Button onClick={() => navigate('/overview')}>{t('common.backHome')}</Button>}
    />
  );
}

function NotFound() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t('common.notFound')}
      extra={<Button onClick={() => navigate('/overview')}>{t('common.backHome')}</Button>}
    />
  );
}

function RoutedPages() {
  const { me } = useAuth();
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      {/* 一网通办 self-service is public: residents apply without an officer account. */}
      <Route path="/self-service" element={<PublicSelfServicePage />} />
      <Route
        path="/my-data"
        element={
          <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '200px auto' }} />}>
            <MyDataPage />
          </Suspense>
        }
      />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<Navigate to="/overview" replace />} />
        {PAGES.map((p) => (
          <Route
            key={p.path}
            path={p.path}
            element={
              <Guard allowed={!!me && p.visible(me)}>
                <p.component />
              </Guard>
            }
          />
        ))}
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

export function App() {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  dayjs.locale(en ? 'en' : 'zh-cn');
  return (
    <ConfigProvider
      locale={en ? enUS : zhCN}
      // Same label text in every language and in tests: no automatic space in two-character buttons.
      button={{ autoInsertSpace: false }}
      theme={{
        token: {
          colorPrimary: '#1a5fb4',
          borderRadius: 6,
          fontFamily:
            '"PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Helvetica Neue", Arial, sans-serif',
        },
      }}
    >
      <AntApp>
        <AuthProvider>
          <MemberNamesProvider>
            <BrowserRouter>
              <RoutedPages />
            </BrowserRouter>
          </MemberNamesProvider>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}
