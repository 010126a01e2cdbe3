// Login page with the demo accounts in a collapsible panel (clicking a name fills the form).
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Collapse, Form, Input, Space, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { SubjectLoginForm } from '../components/SubjectLoginForm';
import { LanguageSwitch } from '../layout/AppLayout';
import { useSubmit } from '../components/useSubmit';

const DEMO_PASSWORD = 'qinghe-demo-2026';
const DEMO_PROVIDERS = [
  'gongan',
  'minzheng',
  'renshe',
  'shuiwu',
  'ziranziyuan',
  'tongji',
  'gongdian',
  'shengtai',
  'yingji',
  'shichang',
];
const DEMO_CONSUMERS = ['jingxin', 'zhengwu', 'caizheng'];
const DEMO_OTHERS = ['dashuju', 'shenji', 'shuiwu.leader'];

interface LoginForm {
  username: string;
  password: string;
}

export default function LoginPage() {
  const { t } = useTranslation();
  const { me, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<LoginForm>();
  const { busy, error, submit: submitting } = useSubmit();
  const from = (location.state as { from?: string } | null)?.from ?? '/overview';

  if (me) return <Navigate to={from} replace />;

  const submit = async (values: LoginForm) => {
    await submitting(async () => {
      await login(values.username.trim(), values.password);
      navigate(from, { replace: true });
    });
  };

  const fill = (username: string) => form.setFieldsValue({ username, password: DEMO_PASSWORD });
  const userTags = (names: string[]) => (
    <Space size={[4, 6]} wrap>
      {names.map((n) => (
        <Tag key={n} className="demo-user" color="blue" onClick={() => fill(n)}>
          {n}
        </Tag>
      ))}
    </Space>
  );

  return (
    <div className="login-bg">
      <div className="login-hero">
        <h1>互通</h1>
        <Typography.Title level={3} style={{ color: '#fff', marginTop: 0 }}>
          {t('app.full')}
        </Typography.Title>
        <p>{t('login.tagline')}</p>
      </div>
      <Card style={{ width: 420, boxShadow: '0 12px 40px rgba(0,0,0,0.25)' }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 16 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('login.title')}
          </Typography.Title>
          <LanguageSwitch />
        </div>
        <Tabs
          defaultActiveKey={new URLSearchParams(location.search).get('tab') === 'subject' ? 'subject' : 'staff'}
          data-testid="login-tabs"
          items={[
            {
              key: 'staff',
              label: t('usage.login.staffTab'),
              children: (
                <>
                  {error && (
                    <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />
                  )}
                  <Form<LoginForm> form={form} layout="vertical" onFinish={submit} requiredMark={false}>
                    <Form.Item
                      name="username"
                      label={t('login.username')}
                      rules={[{ required: true, message: t('login.usernameRequired') }]}
                    >
                      <Input prefix={<UserOutlined />} autoComplete="username" id="username" />
                    </Form.Item>
                    <Form.Item
                      name="password"
                      label={t('login.password')}
                      rules={[{ required: true, message: t('login.passwordRequired') }]}
                    >
                      <Input.Password prefix={<LockOutlined />} autoComplete="current-password" id="password" />
                    </Form.Item>
                    <Button type="primary" htmlType="submit" block size="large" loading={busy}>
                      {t('login.submit')}
                    </Button>
                  </Form>
                  <Collapse
                    ghost
                    size="small"
                    style={{ marginTop: 16 }}
                    items={[
                      {
                        key: 'demo',
                        label: t('login.demo'),
                        children: (
                          <Space orientation="vertical" size="small" style={{ width: '100%' }}>
                            <Typography.Text type="secondary">
                              {t('login.demoHint', { password: DEMO_PASSWORD })}
                            </Typography.Text>
                            <Typography.Text strong>{t('login.providers')}</Typography.Text>
                            {userTags(DEMO_PROVIDERS)}
                            <Typography.Text strong>{t('login.consumers')}</Typography.Text>
                            {userTags(DEMO_CONSUMERS)}
                            <Typography.Text strong>{t('login.others')}</Typography.Text>
                            {userTags(DEMO_OTHERS)}
                          </Space>
                        ),
                      },
                    ]}
                  />
                </>
              ),
            },
            { key: 'subject', label: t('usage.login.subjectTab'), children: <SubjectLoginForm /> },
          ]}
        />
        <Button type="link" block onClick={() => navigate('/self-service')} data-testid="self-service-link">
          {t('login.selfService')}
        </Button>
      </Card>
    </div>
  );
}
