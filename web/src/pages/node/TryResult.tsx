// The answer of a try-it query: a verify verdict or the masked record rows, or the refusal in words.
import { CheckCircleFilled, CloseCircleFilled, QuestionCircleFilled } from '@ant-design/icons';
import { Alert, Space, Spin, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, type NodeAnswer, type RecordResult } from '../../api/client';
import { cellText, nodeErrorMessage } from './shared';
import { colon } from '../../i18n/punctuation';

export function TryResult({
  answer,
  error,
  formError,
  running,
  enterprise,
  titleOf,
}: {
  answer: NodeAnswer | null;
  error: unknown;
  formError: string | null;
  running: boolean;
  enterprise: boolean;
  titleOf: (item: string) => string;
}) {
  const { t } = useTranslation();
  const box = { minHeight: 220, height: '100%', borderRadius: 8, background: '#f7f9fc', padding: 16 };
  if (running) {
    return (
      <div style={{ ...box, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
        <Spin />
      </div>
    );
  }
  if (formError) {
    return (
      <div style={box}>
        <Alert type="warning" showIcon title={formError} data-testid="try-form-error" />
      </div>
    );
  }
  if (error) {
    const code = error instanceof ApiError ? error.code : null;
    return (
      <div style={box}>
        <Alert
          type="error"
          showIcon
          title={nodeErrorMessage(t, error)}
          description={code ? <Typography.Text code>{code}</Typography.Text> : undefined}
          data-testid="try-error"
          data-code={code ?? ''}
        />
      </div>
    );
  }
  if (!answer) {
    return (
      <div style={{ ...box, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
        <Typography.Text type="secondary">{t('node.tryHint')}</Typography.Text>
      </div>
    );
  }
  const requestId = (
    <div style={{ marginTop: 12 }}>
      <Typography.Text type="secondary">
        {t('node.requestId')}
        {colon()}
      </Typography.Text>
      <Typography.Text copyable code data-testid="try-request-id">
        {answer.requestId}
      </Typography.Text>
    </div>
  );
  if (answer.mode === 'verify') {
    const a = answer.result.answer;
    const look =
      a === true
        ? { icon: <CheckCircleFilled />, color: '#389e0d', text: t('node.answerTrue') }
        : a === false
          ? { icon: <CloseCircleFilled />, color: '#cf1322', text: t('node.answerFalse') }
          : {
              icon: <QuestionCircleFilled />,
              color: '#d48806',
              text: enterprise ? t('node.notFoundEnterprise') : t('node.notFound'),
            };
    return (
      <div style={box}>
        <Typography.Text type="secondary">{t('node.resultTitle')}</Typography.Text>
        <div
          data-testid="verify-answer"
          data-answer={String(a)}
          style={{ display: 'flex', alignItems: 'center', gap: 16, color: look.color, padding: '24px 0 8px' }}
        >
          <span style={{ fontSize: 56, lineHeight: 1 }}>{look.icon}</span>
          <span style={{ fontSize: 48, fontWeight: 700, lineHeight: 1 }}>{look.text}</span>
        </div>
        {requestId}
      </div>
    );
  }
  return (
    <div style={box}>
      <Space style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary">{t('node.resultTitle')}</Typography.Text>
        <Tag color="purple">{t('node.masked')}</Tag>
      </Space>
      <RecordResultView result={answer.result} enterprise={enterprise} titleOf={titleOf} />
      {requestId}
    </div>
  );
}

function RecordResultView({
  result,
  enterprise,
  titleOf,
}: {
  result: RecordResult;
  enterprise: boolean;
  titleOf: (item: string) => string;
}) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="record-result">
      {result.map((r, index) => {
        if (!r.found) {
          return (
            <div key={r.subject}>
              <Tag color="warning" data-testid="record-not-found">
                {enterprise ? t('node.notFoundEnterprise') : t('node.notFound')}
              </Tag>
              {result.length > 1 && <Typography.Text type="secondary">#{index + 1}</Typography.Text>}
            </div>
          );
        }
        const keys = [...new Set(r.rows.flatMap((row) => Object.keys(row)))];
        return (
          <div key={r.subject}>
            {result.length > 1 && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                #{index + 1} · {t('node.found', { count: r.rows.length })}
              </Typography.Text>
            )}
            <Table
              size="small"
              bordered
              pagination={false}
              rowKey={(_, i) => String(i)}
              scroll={{ x: 'max-content' }}
              columns={keys.map((k) => ({
                key: k,
                title: titleOf(k),
                render: (_: unknown, row: Record<string, unknown>) => cellText(row[k]),
              }))}
              dataSource={r.rows}
              data-testid="record-table"
            />
          </div>
        );
      })}
    </Space>
  );
}
