// 我的数据使用记录: a resident's (or an enterprise's) own Data Tracker view, outside the departments' console
// frame and with its own session. Newest first, a period filter, server-side paging, and for every record a
// check in the browser that it is in the signed, witnessed ledger (signature + inclusion proof, with the ledger core's code).
import {
  CheckCircleFilled,
  ClockCircleOutlined,
  CloseCircleFilled,
  LogoutOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons';
import { Button, Card, DatePicker, Layout, Space, Spin, Table, Tag, Tooltip, Typography, theme } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '../api/client';
import { getSubjectToken, type SubjectMe, setSubjectToken, subjectApi, type UsageRecord } from '../api/ledger';
import { ErrorAlert } from '../components/ErrorAlert';
import { fmtDateTime } from '../components/format';
import { useLoad } from '../components/useLoad';
import { LanguageSwitch } from '../layout/AppLayout';
import { checkLedgerEntry, type EntryCheck } from '../ledger/verify-entry';
import { PageTitle } from '../components/PageTitle';

const PAGE_SIZE = 10;

export default function MyDataPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { token } = theme.useToken();
  const [me, setMe] = useState<SubjectMe | null>(null);
  const [period, setPeriod] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [page, setPage] = useState(1);
  const [checks, setChecks] = useState<Record<number, EntryCheck | 'busy'>>({});

  useEffect(() => {
    if (!getSubjectToken()) {
      navigate('/login?tab=subject', { replace: true });
      return;
    }
    subjectApi
      .me()
      .then(setMe)
      .catch(() => {
        setSubjectToken(null);
        navigate('/login?tab=subject', { replace: true });
      });
  }, [navigate]);

  const from = period?.[0]?.format('YYYY-MM-DD');
  const to = period?.[1]?.format('YYYY-MM-DD');
  const usage = useLoad(
    () =>
      me
        ? subjectApi.dataUsage({ from, to, page, pageSize: PAGE_SIZE })
        : Promise.resolve({ items: [], total: 0, page: 1, pageSize: PAGE_SIZE }),
    [me?.displayName ?? null, from ?? null, to ?? null, page],
  );
  useEffect(() => {
    if (usage.error instanceof ApiError && usage.error.status === 401)
      navigate('/login?tab=subject', { replace: true });
  }, [usage.error, navigate]);

  async function verify(index: number) {
    setChecks((c) => ({ ...c, [index]: 'busy' }));
    const result = await checkLedgerEntry(index);
    setChecks((c) => ({ ...c, [index]: result }));
  }

  async function logout() {
    await subjectApi.logout().catch(() => undefined);
    setSubjectToken(null);
    navigate('/login?tab=subject', { replace: true });
  }

  const columns: ColumnsType<UsageRecord> = [
    { key: 'time', title: t('usage.my.time'), width: 150, render: (_, r) => fmtDateTime(r.logtime) },
    {
      key: 'receiver',
      title: t('usage.my.receiver'),
      render: (_, r) => (
        <Space orientation="vertical" size={2}>
          <Typography.Text strong data-testid="usage-receiver">
            {r.receiverName}
          </Typography.Text>
          {r.ownIdentityCheck && (
            <Tooltip title={t('usage.my.ownCheckDetail')}>
              <Tag color="green" data-testid="usage-own-check">
                {t('usage.my.ownCheck')}
              </Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      key: 'purpose',
      title: t('usage.my.purpose'),
      render: (_, r) => <span data-testid="usage-purpose">{r.action}</span>,
    },
    {
      key: 'data',
      title: t('usage.my.data'),
      render: (_, r) => (
        <Space orientation="vertical" size={2}>
          <Typography.Text>
            {r.providerName} · {r.resourceName}
          </Typography.Text>
          <Space size={[4, 4]} wrap>
            {r.mode && <Tag color="blue">{t(`mode.${r.mode}`, { defaultValue: r.mode })}</Tag>}
            {r.items.map((item) => (
              <Tag key={item.name} style={{ marginInlineEnd: 0 }}>
                {item.title}
              </Tag>
            ))}
          </Space>
        </Space>
      ),
    },
    {
      key: 'index',
      title: t('usage.my.index'),
      width: 210,
      render: (_, r) => {
        const check = checks[r.index];
        return (
          <Space orientation="vertical" size={4}>
            <Space>
              <Typography.Text code>#{r.index}</Typography.Text>
              <Button
                size="small"
                icon={<SafetyCertificateOutlined />}
                loading={check === 'busy'}
                onClick={() => void verify(r.index)}
                data-testid="usage-verify"
              >
                {check === 'busy' ? t('usage.my.verifying') : t('usage.my.verify')}
              </Button>
            </Space>
            {check && check !== 'busy' && <CheckResult check={check} />}
          </Space>
        );
      },
    },
  ];

  return (
    <Layout style={{ minHeight: '100vh' }} data-testid="my-data-page">
      <Layout.Header
        style={{
          background: '#0b2a4a',
          padding: '0 24px',
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'space-between',
        }}
      >
        <Space size="middle">
          <div className="brand-mark">互</div>
          <Typography.Text strong style={{ color: '#fff', fontSize: 16 }}>
            {t('app.full')}
          </Typography.Text>
        </Space>
        <Space size="middle">
          {me && (
            <Space size={6} data-testid="subject-name">
              <Tag color="blue">{t(`usage.my.${me.kind}`)}</Tag>
              <Typography.Text style={{ color: '#fff' }}>{me.displayName}</Typography.Text>
            </Space>
          )}
          <span style={{ background: token.colorBgContainer, borderRadius: 6, padding: '2px 8px' }}>
            <LanguageSwitch />
          </span>
          <Button icon={<LogoutOutlined />} onClick={() => void logout()} data-testid="subject-logout">
            {t('usage.my.logout')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24, maxWidth: 1280, width: '100%', margin: '0 auto' }}>
        <PageTitle title={t('usage.my.title')} intro={t('usage.my.intro')} />
        {!me ? (
          <Spin size="large" style={{ display: 'block', margin: '120px auto' }} />
        ) : (
          <Card
            size="small"
            title={
              <Typography.Text data-testid="usage-total">
                {t('usage.my.total', { total: usage.data?.total ?? 0 })}
              </Typography.Text>
            }
            extra={
              <Space>
                <Typography.Text type="secondary">{t('usage.my.period')}</Typography.Text>
                <DatePicker.RangePicker
                  value={period}
                  onChange={(value) => {
                    setPeriod(value);
                    setPage(1);
                  }}
                  allowEmpty={[true, true]}
                  data-testid="usage-period"
                />
              </Space>
            }
          >
            <ErrorAlert error={usage.error} onRetry={usage.reload} />
            <Table
              size="middle"
              rowKey="index"
              loading={usage.loading}
              columns={columns}
              dataSource={usage.data?.items ?? []}
              locale={{ emptyText: t('usage.my.empty') }}
              pagination={{
                current: page,
                pageSize: PAGE_SIZE,
                total: usage.data?.total ?? 0,
                showSizeChanger: false,
                hideOnSinglePage: true,
                onChange: setPage,
              }}
              scroll={{ x: 'max-content' }}
              data-testid="usage-table"
            />
          </Card>
        )}
      </Layout.Content>
    </Layout>
  );
}

function CheckResult({ check }: { check: EntryCheck }) {
  const { t } = useTranslation();
  if (check.status === 'ok') {
    return (
      <Tooltip title={`${t('usage.my.verifiedDetail', { size: check.size })} · ${check.root}`}>
        <Tag color="success" icon={<CheckCircleFilled />} data-testid="usage-verify-result" data-ok="true">
          {t('usage.my.verified')}
        </Tag>
      </Tooltip>
    );
  }
  if (check.status === 'pending') {
    return (
      <Tag color="warning" icon={<ClockCircleOutlined />} data-testid="usage-verify-result" data-ok="pending">
        {t('usage.my.pending')}
      </Tag>
    );
  }
  return (
    <Tooltip title={check.detail}>
      <Tag color="error" icon={<CloseCircleFilled />} data-testid="usage-verify-result" data-ok="false">
        {t('usage.my.failed')}
      </Tag>
    </Tooltip>
  );
}
