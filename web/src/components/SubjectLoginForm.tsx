// 居民/企业登录: a resident logs in with ID number and name, an enterprise with credit code, name and its legal
// representative's name and ID number (a firm's name and code are public; the representative's ID is not). The hub
// checks the pair with the register through the exchange and opens a session that shows only the person's
// (or the enterprise's) own data-usage records.
import { IdcardOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Collapse, Form, Input, Segmented, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { setSubjectToken, type SubjectKind, subjectApi } from '../api/ledger';
import { useSubmit } from './useSubmit';

// Synthetic people and firms of the demo city (seed 1): the data is generated, no real person's.
const DEMO: { kind: SubjectKind; key: string; name: string; legalRepName?: string; legalRepIdNumber?: string }[] = [
  { kind: 'citizen', key: '339104194907213068', name: '潘莲楠' },
  { kind: 'citizen', key: '339103196204142358', name: '张成建' },
  {
    kind: 'enterprise',
    key: '913391042012345596',
    name: '清河旺运塑业有限公司',
    legalRepName: '蒋帅晨',
    legalRepIdNumber: '339104196604103215',
  },
];

interface SubjectForm {
  key: string;
  name: string;
  legalRepName?: string;
  legalRepIdNumber?: string;
}

export function SubjectLoginForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<SubjectForm>();
  const [kind, setKind] = useState<SubjectKind>('citizen');
  const { busy, error, setError, submit: submitting } = useSubmit();

  const submit = async (values: SubjectForm) => {
    await submitting(async () => {
      const result =
        kind === 'citizen'
          ? await subjectApi.loginResident(values.key.trim(), values.name.trim())
          : await subjectApi.loginEnterprise(
              values.key.trim(),
              values.name.trim(),
              (values.legalRepName ?? '').trim(),
              (values.legalRepIdNumber ?? '').trim(),
            );
      setSubjectToken(result.token);
      navigate('/my-data');
    });
  };

  return (
    <>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="subject-error" />}
      <Segmented<SubjectKind>
        block
        value={kind}
        onChange={(value) => {
          setKind(value);
          setError(null);
          form.resetFields();
        }}
        options={[
          { label: t('usage.login.citizen'), value: 'citizen' },
          { label: t('usage.login.enterprise'), value: 'enterprise' },
        ]}
        style={{ marginBottom: 16 }}
        data-testid="subject-kind"
      />
      <Form<SubjectForm> form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="key"
          label={kind === 'citizen' ? t('usage.login.idNumber') : t('usage.login.uscc')}
          rules={[
            {
              required: true,
              message: kind === 'citizen' ? t('usage.login.idNumberRequired') : t('usage.login.usccRequired'),
            },
          ]}
        >
          <Input prefix={<IdcardOutlined />} autoComplete="off" id="subject-key" maxLength={40} />
        </Form.Item>
        <Form.Item
          name="name"
          label={kind === 'citizen' ? t('usage.login.personName') : t('usage.login.enterpriseName')}
          rules={[{ required: true, message: t('usage.login.nameRequired') }]}
        >
          <Input prefix={<UserOutlined />} autoComplete="off" id="subject-name" maxLength={100} />
        </Form.Item>
        {kind === 'enterprise' && (
          <>
            <Form.Item
              name="legalRepName"
              label={t('usage.login.legalRepName')}
              rules={[{ required: true, message: t('usage.login.legalRepRequired') }]}
            >
              <Input prefix={<UserOutlined />} autoComplete="off" id="subject-rep-name" maxLength={64} />
            </Form.Item>
            <Form.Item
              name="legalRepIdNumber"
              label={t('usage.login.legalRepIdNumber')}
              rules={[{ required: true, message: t('usage.login.legalRepRequired') }]}
            >
              <Input prefix={<IdcardOutlined />} autoComplete="off" id="subject-rep-id" maxLength={40} />
            </Form.Item>
          </>
        )}
        <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="subject-submit">
          {t('usage.login.submit')}
        </Button>
      </Form>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 12, marginBottom: 0 }}>
        {t('usage.login.hint')}
      </Typography.Paragraph>
      <Collapse
        ghost
        size="small"
        style={{ marginTop: 8 }}
        items={[
          {
            key: 'demo',
            label: t('usage.login.demo'),
            children: (
              <Space size={[4, 6]} wrap>
                {DEMO.map((d) => (
                  <Tag
                    key={d.key}
                    className="demo-subject"
                    color={d.kind === 'citizen' ? 'green' : 'gold'}
                    style={{ cursor: 'pointer' }}
                    onClick={() => {
                      setKind(d.kind);
                      form.setFieldsValue({
                        key: d.key,
                        name: d.name,
                        legalRepName: d.legalRepName,
                        legalRepIdNumber: d.legalRepIdNumber,
                      });
                    }}
                  >
                    {d.name}
                  </Tag>
                ))}
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}
