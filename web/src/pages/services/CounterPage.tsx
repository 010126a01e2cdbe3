// 一网通办 · 窗口工作台 for the 政务服务办's counter staff (read-only for the operator and the auditor):
// the counter's figures, applications searched by number, ID number, item and status, pending ones retried,
// and the monthly 免申即享 sweep.
import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import {
  App as AntApp,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMemberName } from '../../components/memberNames';
import {
  type ApplicationQuery,
  type ApplicationStatus,
  type StaffApplication,
  reasonTitle,
  type SweepResult,
  servicesApi,
} from '../../api/services';
import { useMe } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { errorMessage } from '../../components/errors';
import { fmtDateTime } from '../../components/format';
import { useLoad } from '../../components/useLoad';
import { ApplicationOutcome } from './SelfServiceFlow';
import { ServicesMetrics } from './ServicesMetrics';
import { PageTitle } from '../../components/PageTitle';
import { colon } from '../../i18n/punctuation';

const STATUS_COLORS: Record<ApplicationStatus, string> = {
  pending_verification: 'orange',
  approved: 'green',
  rejected: 'red',
};

export function StatusTag({ status }: { status: ApplicationStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} data-status={status}>
      {t(`services.status.${status}`)}
    </Tag>
  );
}

function ApplicationsTab({ canRetry, onChange }: { canRetry: boolean; onChange: () => void }) {
  const { t, i18n } = useTranslation();
  const memberName = useMemberName();
  const en = i18n.language === 'en';
  const { message } = AntApp.useApp();
  const [query, setQuery] = useState<ApplicationQuery>({ page: 1, pageSize: 20 });
  const [selected, setSelected] = useState<StaffApplication | null>(null);
  // The item's definition names each checked fact (its question and department) for the 核验记录.
  const definition = useLoad(
    () => (selected ? servicesApi.item(selected.item.id) : Promise.resolve(null)),
    [selected?.item.id],
  );
  const [retrying, setRetrying] = useState<string | null>(null);
  const items = useLoad(() => servicesApi.items(), []);
  const list = useLoad(() => servicesApi.applications(query), [query]);

  const retry = async (id: string) => {
    setRetrying(id);
    try {
      const after = await servicesApi.retry(id);
      message.info(`${after.id}: ${t(`services.status.${after.status}`)}`);
      list.reload();
      onChange();
      if (selected?.id === id) setSelected(after);
    } catch (e) {
      message.error(errorMessage(t, e));
    } finally {
      setRetrying(null);
    }
  };

  const open = async (id: string) => {
    try {
      setSelected(await servicesApi.staffApplication(id));
    } catch (e) {
      message.error(errorMessage(t, e));
    }
  };

  const itemName = (id: string) => {
    const item = items.data?.items.find((candidate) => candidate.id === id);
    return item ? (en ? (item.nameEn ?? item.name) : item.name) : id;
  };

  const columns: ColumnsType<StaffApplication> = [
    {
      title: t('services.applicationNo'),
      dataIndex: 'id',
      render: (id: string) => (
        <Typography.Link onClick={() => open(id)} data-testid="application-link">
          {id}
        </Typography.Link>
      ),
    },
    { title: t('services.item'), dataIndex: ['item', 'id'], render: itemName },
    {
      title: t('services.counter.applicant'),
      render: (_: unknown, row) => `${row.applicant.nameMasked} ${row.applicant.idMasked}`,
    },
    {
      title: t('services.counter.status'),
      dataIndex: 'status',
      render: (status: ApplicationStatus) => <StatusTag status={status} />,
    },
    {
      title: t('services.reasons'),
      render: (_: unknown, row) =>
        row.status === 'pending_verification' ? (
          <Typography.Text type="warning">{row.lastError ?? '—'}</Typography.Text>
        ) : (
          <Space size={[2, 2]} wrap>
            {row.reasons.map((reason) => (
              <Tooltip key={reason.code} title={en ? (reason.explanationEn ?? reason.explanation) : reason.explanation}>
                <Tag>{reasonTitle(reason, en)}</Tag>
              </Tooltip>
            ))}
          </Space>
        ),
    },
    {
      title: t('services.counter.channel'),
      dataIndex: 'channel',
      render: (channel: StaffApplication['channel']) => t(`services.counter.channels.${channel}`),
    },
    { title: t('services.counter.submittedAt'), dataIndex: 'submittedAt', render: fmtDateTime },
    { title: t('services.decidedAt'), dataIndex: 'decidedAt', render: fmtDateTime },
    {
      title: t('common.actions'),
      render: (_: unknown, row) =>
        canRetry && row.status === 'pending_verification' ? (
          <Button
            size="small"
            icon={<ReloadOutlined />}
            loading={retrying === row.id}
            onClick={() => retry(row.id)}
            data-testid="retry"
          >
            {t('services.counter.retry')}
          </Button>
        ) : null,
    },
  ];

  return (
    <>
      <Form
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(values: { id?: string; idNumber?: string; item?: string; status?: ApplicationStatus }) =>
          setQuery({
            page: 1,
            pageSize: 20,
            id: values.id?.trim() || undefined,
            idNumber: values.idNumber?.trim() || undefined,
            item: values.item,
            status: values.status,
          })
        }
      >
        <Form.Item name="id">
          <Input placeholder={t('services.applicationNo')} allowClear style={{ width: 200 }} data-testid="search-id" />
        </Form.Item>
        <Form.Item name="idNumber">
          <Input placeholder={t('services.idNumber')} allowClear style={{ width: 200 }} data-testid="search-idnumber" />
        </Form.Item>
        <Form.Item name="item">
          <Select
            allowClear
            placeholder={t('services.item')}
            style={{ width: 200 }}
            options={(items.data?.items ?? []).map((item) => ({ value: item.id, label: itemName(item.id) }))}
          />
        </Form.Item>
        <Form.Item name="status">
          <Select
            allowClear
            placeholder={t('services.counter.status')}
            style={{ width: 180 }}
            data-testid="search-status"
            options={(['pending_verification', 'approved', 'rejected'] as const).map((status) => ({
              value: status,
              label: t(`services.status.${status}`),
            }))}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="search">
          {t('common.search')}
        </Button>
      </Form>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Table<StaffApplication>
        rowKey="id"
        size="small"
        loading={list.loading}
        columns={columns}
        dataSource={list.data?.items ?? []}
        data-testid="applications-table"
        scroll={{ x: 'max-content' }}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: list.data?.total ?? 0,
          showTotal: (total) => t('common.total', { total }),
          onChange: (page, pageSize) => setQuery({ ...query, page, pageSize }),
        }}
      />
      <Drawer
        open={selected !== null}
        onClose={() => setSelected(null)}
        size="large"
        title={`${t('services.counter.detail')} ${selected?.id ?? ''}`}
        data-testid="application-drawer"
      >
        {selected && (
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t('services.item')}>{itemName(selected.item.id)}</Descriptions.Item>
              <Descriptions.Item label={t('services.counter.applicant')}>
                {selected.applicant.nameMasked} {selected.applicant.idMasked}
              </Descriptions.Item>
              <Descriptions.Item label={t('services.counter.status')}>
                <StatusTag status={selected.status} />
              </Descriptions.Item>
              <Descriptions.Item label={t('services.asOf')}>{selected.asOf}</Descriptions.Item>
              <Descriptions.Item label={t('services.counter.attempts')}>{selected.attempts}</Descriptions.Item>
              {selected.lastError && (
                <Descriptions.Item label={t('services.counter.lastError')}>{selected.lastError}</Descriptions.Item>
              )}
              {selected.nextAttemptAt && (
                <Descriptions.Item label={t('services.counter.nextAttempt')}>
                  {fmtDateTime(selected.nextAttemptAt)}
                </Descriptions.Item>
              )}
            </Descriptions>
            <ApplicationOutcome application={selected} />
            <Card size="small" title={t('services.counter.checks')}>
              <Table
                size="small"
                rowKey={(row) => `${row.fact}-${row.requestId}`}
                pagination={false}
                dataSource={selected.checks}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
                columns={[
                  {
                    title: t('services.question'),
                    render: (_: unknown, row) => {
                      const fact = definition.data?.definition.facts[row.fact];
                      return fact ? (en ? (fact.questionEn ?? fact.question) : fact.question) : '—';
                    },
                  },
                  {
                    title: t('services.counter.department'),
                    render: (_: unknown, row) => {
                      const fact = definition.data?.definition.facts[row.fact];
                      return fact && 'department' in fact
                        ? memberName(fact.department)
                        : t('services.items.sources.applicant');
                    },
                  },
                  {
                    title: t('services.counter.requestId'),
                    dataIndex: 'requestId',
                    render: (v: string | null) => <Typography.Text code>{v ?? '—'}</Typography.Text>,
                  },
                ]}
              />
            </Card>
          </Space>
        )}
      </Drawer>
    </>
  );
}

function SweepTab({ canRun, onChange }: { canRun: boolean; onChange: () => void }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const items = useLoad(() => servicesApi.items(), []);
  const history = useLoad(() => servicesApi.sweeps(), []);
  const [item, setItem] = useState('longevity-allowance');
  const [month, setMonth] = useState<Dayjs>(dayjs().startOf('month'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<SweepResult | null>(null);
  const sweepItems = (items.data?.items ?? []).filter((candidate) => candidate.noApplication);
  const itemName = (id: string) => {
    const found = items.data?.items.find((candidate) => candidate.id === id);
    return found ? (en ? (found.nameEn ?? found.name) : found.name) : id;
  };
  const mask = (id: string) => `${id.slice(0, 6)}********${id.slice(14)}`;

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await servicesApi.sweep(item, month.format('YYYY-MM')));
      history.reload();
      onChange();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('services.sweep.intro')}
      </Typography.Paragraph>
      <Space wrap>
        <Select
          value={item}
          onChange={setItem}
          style={{ width: 260 }}
          options={sweepItems.map((candidate) => ({
            value: candidate.id,
            label: en ? (candidate.nameEn ?? candidate.name) : candidate.name,
          }))}
        />
        <DatePicker picker="month" value={month} onChange={(value) => value && setMonth(value)} allowClear={false} />
        <Button type="primary" onClick={run} loading={busy} disabled={!canRun} data-testid="run-sweep">
          {t('services.sweep.run')}
        </Button>
      </Space>
      <ErrorAlert error={error} />
      {result && (
        <Card size="small" data-testid="sweep-result">
          <Space size={48} wrap>
            <Statistic title={t('services.sweep.eligible')} value={result.eligibleCount} />
            <Statistic title={t('services.sweep.total')} value={result.totalAmount} suffix={t('services.sweep.yuan')} />
            <Statistic title={t('services.sweep.newly')} value={result.newlyEligible.length} />
            <Statistic title={t('services.sweep.calls')} value={result.requestIds.length} />
            <Statistic title={t('services.sweep.duration')} value={result.durationMs} suffix="ms" />
          </Space>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t('services.sweep.asOf')}
            {colon()}
            {result.asOf}
          </Typography.Paragraph>
          <Table
            size="small"
            rowKey="tier"
            pagination={false}
            dataSource={result.byTier}
            columns={[
              { title: t('services.sweep.byTier'), dataIndex: 'name' },
              { title: t('services.sweep.count'), dataIndex: 'count', align: 'right' },
              { title: t('services.sweep.amount'), dataIndex: 'amount', align: 'right' },
            ]}
          />
          {result.newlyEligible.length > 0 && (
            <div style={{ marginTop: 12 }}>
              <Typography.Text strong>
                {t('services.sweep.newly')}
                {colon()}
              </Typography.Text>
              <Space size={[4, 4]} wrap>
                {result.newlyEligible.map((id) => (
                  <Tag key={id}>{mask(id)}</Tag>
                ))}
              </Space>
            </div>
          )}
        </Card>
      )}
      <Card size="small" title={t('services.sweep.history')}>
        <Table
          size="small"
          rowKey="id"
          loading={history.loading}
          dataSource={history.data?.items ?? []}
          data-testid="sweep-history"
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          columns={[
            { title: t('services.sweep.month'), dataIndex: 'month' },
            { title: t('services.item'), dataIndex: 'item', render: (id: string) => itemName(id) },
            { title: t('services.sweep.eligible'), dataIndex: 'eligibleCount', align: 'right' },
            { title: t('services.sweep.newly'), dataIndex: 'newlyEligibleCount', align: 'right' },
            { title: t('services.sweep.total'), dataIndex: 'totalAmount', align: 'right' },
            { title: t('services.counter.submittedAt'), dataIndex: 'runAt', render: fmtDateTime },
          ]}
        />
      </Card>
    </Space>
  );
}

export default function CounterPage() {
  const { t } = useTranslation();
  const me = useMe();
  const staff = me.memberCode === 'zhengwu';
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  return (
    <div data-testid="counter-page">
      <PageTitle title={t('services.counter.title')} />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <ServicesMetrics refreshKey={version} />
        <Card>
          <Tabs
            items={[
              {
                key: 'applications',
                label: t('services.counter.applications'),
                children: <ApplicationsTab canRetry={staff} onChange={changed} />,
              },
              {
                key: 'sweep',
                label: t('services.sweep.title'),
                children: <SweepTab canRun={staff} onChange={changed} />,
              },
            ]}
          />
        </Card>
      </Space>
    </div>
  );
}
