// Approval with optional narrowing: the reviewer may grant fewer items or modes, an earlier end date
// or a lower rate than requested, never more (the server rejects widening as well).
import { Alert, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccessMode, Agreement, ApproveRequest } from '../api/client';
import { QuestionList } from './questions';
import { useSubmit } from './useSubmit';
import { useMemberName } from './memberNames';
import { paren } from '../i18n/punctuation';

interface ApproveForm {
  items: string[];
  modes: AccessMode[];
  validTo: Dayjs;
  rateLimitPerMinute: number;
  comment?: string;
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

export function ApproveModal({
  agreement,
  itemTitles,
  needsSuperior,
  onCancel,
  onSubmit,
}: {
  agreement: Agreement | null;
  itemTitles: Map<string, string>;
  /** The resource asks for a second approval by the department's leader (分管领导) after this one. */
  needsSuperior: boolean;
  onCancel: () => void;
  onSubmit: (body: ApproveRequest) => Promise<void>;
}) {
  const { t } = useTranslation();
  const memberName = useMemberName();
  const [form] = Form.useForm<ApproveForm>();
  const { busy, error, setError, submit: submitting } = useSubmit();
  const req = agreement?.requested;

  useEffect(() => {
    if (req) setError(null);
  }, [req, setError]);

  const finish = async (v: ApproveForm) => {
    if (!req) return;
    // Send only what was narrowed, so an unchanged approval grants exactly what was requested.
    const body: ApproveRequest = {};
    if (!sameSet(v.items, req.items)) body.items = v.items;
    if (!sameSet(v.modes, req.modes)) body.modes = v.modes;
    const validTo = v.validTo.format('YYYY-MM-DD');
    if (validTo !== dayjs(req.validTo).format('YYYY-MM-DD')) body.validTo = validTo;
    if (v.rateLimitPerMinute !== req.rateLimitPerMinute) body.rateLimitPerMinute = v.rateLimitPerMinute;
    if (v.comment?.trim()) body.comment = v.comment.trim();
    await submitting(async () => {
      await onSubmit(body);
    });
  };

  return (
    <Modal
      open={!!agreement}
      title={t('review.approveTitle')}
      width={640}
      onCancel={onCancel}
      onOk={() => form.submit()}
      okText={t('review.approve')}
      okButtonProps={{ loading: busy }}
      destroyOnHidden
    >
      {agreement && (
        <Typography.Paragraph type="secondary">
          {memberName(agreement.consumerName)} → {agreement.resourceName} · {t('review.narrowHint')}
        </Typography.Paragraph>
      )}
      {needsSuperior && (
        <Alert
          type="info"
          showIcon
          title={t('review.superiorNext')}
          style={{ marginBottom: 12 }}
          data-testid="approve-superior-next"
        />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<ApproveForm>
        form={form}
        layout="vertical"
        onFinish={finish}
        data-testid="approve-form"
        initialValues={
          req && {
            items: req.items,
            modes: req.modes,
            validTo: dayjs(req.validTo),
            rateLimitPerMinute: req.rateLimitPerMinute,
          }
        }
      >
        <Form.Item
          name="items"
          label={t('agreement.items')}
          rules={[{ required: true, type: 'array', min: 1, message: t('apply.itemsRequired') }]}
        >
          <Checkbox.Group
            style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 6 }}
            options={(req?.items ?? []).map((i) => ({ value: i, label: `${itemTitles.get(i) ?? i}${paren(i)}` }))}
          />
        </Form.Item>
        <Form.Item
          name="modes"
          label={t('agreement.modes')}
          rules={[{ required: true, type: 'array', min: 1, message: t('apply.modesRequired') }]}
        >
          <Checkbox.Group options={(req?.modes ?? []).map((m) => ({ value: m, label: t(`mode.${m}`) }))} />
        </Form.Item>
        {req?.predicates && req.predicates.length > 0 && (
          <Form.Item label={t('agreement.questions')}>
            <QuestionList predicates={req.predicates} titleOf={(item) => itemTitles.get(item) ?? item} />
          </Form.Item>
        )}
        <Space size="large" wrap>
          <Form.Item name="validTo" label={t('agreement.validTo')} rules={[{ required: true }]}>
            <DatePicker
              allowClear={false}
              disabledDate={(d) =>
                !!req && (d.isAfter(dayjs(req.validTo), 'day') || d.isBefore(dayjs(req.validFrom), 'day'))
              }
            />
          </Form.Item>
          <Form.Item name="rateLimitPerMinute" label={t('apply.rateLimit')} rules={[{ required: true }]}>
            <InputNumber min={1} max={req?.rateLimitPerMinute} style={{ width: 160 }} />
          </Form.Item>
        </Space>
        <Form.Item name="comment" label={t('review.comment')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
