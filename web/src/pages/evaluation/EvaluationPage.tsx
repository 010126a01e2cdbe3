// 亩均论英雄 dashboard (经信局): run or reopen an evaluation; class distribution by group, district and
// industry; benchmarks; the ranking table (sortable, filterable); not graded; year-over-year class moves;
// the policy list; where every figure came from (department, exchange, ledger entry); objections; XLSX.
// The page and its run dialog; EvaluationView.tsx lays out one evaluation, a file per part beside it.
import { PlayCircleOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Form, InputNumber, Modal, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useMe } from '../../auth/AuthContext';
import { type Evaluation, evaluationApi } from '../../api/evaluation';
import { ErrorAlert } from '../../components/ErrorAlert';
import { errorMessage } from '../../components/errors';
import { fmtDateTime } from '../../components/format';
import { useLoad } from '../../components/useLoad';
import { canRun } from './common';
import { EvaluationView } from './EvaluationView';
import { paren } from '../../i18n/punctuation';

export default function EvaluationPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const list = useLoad(() => evaluationApi.list(), []);
  const selectedId =
    params.get('id') ?? list.data?.items.find((e) => e.status === 'done')?.id ?? list.data?.items[0]?.id;
  const [runOpen, setRunOpen] = useState(false);

  const select = (id: string) => setParams({ id }, { replace: false });

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <span>{t('evaluation.title')}</span>
            <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
              {t('evaluation.subtitle')}
            </Typography.Text>
          </Space>
        }
        extra={
          canRun(me) && (
            <Button
              type="primary"
              icon={<PlayCircleOutlined />}
              onClick={() => setRunOpen(true)}
              data-testid="eval-run"
            >
              {t('evaluation.run')}
            </Button>
          )
        }
      >
        <ErrorAlert error={list.error} onRetry={list.reload} />
        <Space wrap>
          <Typography.Text>{t('evaluation.pick')}</Typography.Text>
          <Select
            style={{ minWidth: 520 }}
            value={selectedId}
            loading={list.loading}
            placeholder={t('evaluation.none')}
            onChange={select}
            data-testid="eval-select"
            options={(list.data?.items ?? []).map((e) => ({
              value: e.id,
              label: `${e.year} ${t('evaluation.yearSuffix')} · ${e.configId} v${e.configVersion} · ${fmtDateTime(e.createdAt)} · ${t(`evaluation.status.${e.status}`)}`,
            }))}
          />
          <Button onClick={list.reload}>{t('common.refresh')}</Button>
        </Space>
        {list.data && list.data.items.length === 0 && (
          <Empty
            style={{ marginTop: 24 }}
            description={canRun(me) ? t('evaluation.emptyOwner') : t('evaluation.none')}
          />
        )}
      </Card>
      {selectedId && (
        <EvaluationView
          key={selectedId}
          id={selectedId}
          onListChanged={list.reload}
          onRerun={(next) => {
            list.reload();
            select(next);
          }}
        />
      )}
      <RunModal
        open={runOpen}
        onClose={() => setRunOpen(false)}
        onStarted={(e) => {
          setRunOpen(false);
          list.reload();
          select(e.id);
        }}
      />
    </Space>
  );
}

function RunModal({
  open,
  onClose,
  onStarted,
}: {
  open: boolean;
  onClose: () => void;
  onStarted: (e: Evaluation) => void;
}) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const { message } = App.useApp();
  const [form] = Form.useForm<{ year: number; configId: string; history: 'auto' | 'recompute' }>();
  const configs = useLoad(() => (open ? evaluationApi.configs() : Promise.resolve({ items: [] })), [open]);
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={open}
      title={t('evaluation.runTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('evaluation.runOk')}
      okButtonProps={{ loading: busy }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ year: 2025, configId: 'default', history: 'auto' }}
        onFinish={async (values) => {
          setBusy(true);
          try {
            onStarted(await evaluationApi.run(values));
          } catch (e) {
            message.error(errorMessage(t, e));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="year" label={t('evaluation.year')} rules={[{ required: true }]}>
          <InputNumber min={2000} max={2100} style={{ width: 160 }} data-testid="eval-year" />
        </Form.Item>
        <Form.Item name="configId" label={t('evaluation.methodology')} rules={[{ required: true }]}>
          <Select
            loading={configs.loading}
            options={(configs.data?.items ?? []).map((c) => ({
              value: c.id,
              label: `${en ? (c.titleEn ?? c.title) : c.title}${paren(`${c.id} v${c.version}`)}`,
            }))}
          />
        </Form.Item>
        <Form.Item name="history" label={t('evaluation.history')} extra={t('evaluation.historyHelp')}>
          <Radio.Group
            options={[
              { value: 'auto', label: t('evaluation.historyAuto') },
              { value: 'recompute', label: t('evaluation.historyRecompute') },
            ]}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
