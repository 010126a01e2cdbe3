// Shown instead of every page while the signed-in user still has a one-time password (the operator's at
// installation): the server refuses everything else until a password of the user's own is set.
import { LockOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/AuthContext';
import { useSubmit } from '../components/useSubmit';

interface Values {
  current: string;
  next: string;
  confirm: string;
}

export default function PasswordChangePage() {
  const { t } = useTranslation();
  const { changePassword, logout } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { busy, error, submit } = useSubmit();
  const onFinish = (values: Values) =>
    submit(async () => {
      await changePassword(values.current, values.next);
      message.success(t('passwordChange.done'));
    });
  return (
    <div style={{ maxWidth: 480, margin: '80px auto' }} data-testid="password-change">
      <Card title={t('passwordChange.title')}>
        <Typography.Paragraph>{t('passwordChange.intro')}</Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" onFinish={onFinish}>
          <Form.Item
            name="current"
            label={t('passwordChange.current')}
            rules={[{ required: true, message: t('passwordChange.required') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="next"
            label={t('passwordChange.next')}
            extra={t('passwordChange.rule')}
            rules={[{ required: true, message: t('passwordChange.required') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('passwordChange.confirm')}
            dependencies={['next']}
            rules={[
              { required: true, message: t('passwordChange.required') },
              ({ getFieldValue }) => ({
                validator: (_, value) =>
                  !value || value === getFieldValue('next')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('passwordChange.mismatch'))),
              }),
            ]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} block data-testid="password-change-submit">
            {t('passwordChange.submit')}
          </Button>
          <Button type="link" block onClick={() => void logout()} style={{ marginTop: 8 }}>
            {t('common.logout')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
