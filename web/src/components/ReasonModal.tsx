// Asks for a mandatory reason (reject, suspend, revoke). The server enforces it too (REASON_REQUIRED);
// asking here saves a round trip and tells the user why.
import { Alert, Form, Input, Modal } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSubmit } from './useSubmit';

export function ReasonModal({
  open,
  title,
  requiredMessage,
  okText,
  danger,
  onCancel,
  onSubmit,
}: {
  open: boolean;
  title: string;
  requiredMessage: string;
  okText?: string;
  danger?: boolean;
  onCancel: () => void;
  onSubmit: (reason: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const { busy, error, setError, submit: submitting } = useSubmit();

  // Cleared when the dialog has closed, not when it opens: an effect runs after the dialog is painted, and on
  // a busy machine a click can come first — resetting then wiped the "reason required" message it had shown.
  useEffect(() => {
    if (open) setError(null);
  }, [open, setError]);

  const finish = async ({ reason }: { reason: string }) => {
    await submitting(async () => {
      await onSubmit(reason.trim());
    });
  };

  return (
    <Modal
      open={open}
      title={title}
      onCancel={onCancel}
      onOk={() => form.submit()}
      okText={okText ?? t('common.confirm')}
      okButtonProps={{ danger, loading: busy }}
      afterClose={() => form.resetFields()}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={finish}>
        <Form.Item
          name="reason"
          label={t('common.reason')}
          rules={[{ required: true, whitespace: true, message: requiredMessage }]}
        >
          <Input.TextArea
            rows={4}
            placeholder={t('review.reasonPlaceholder')}
            maxLength={500}
            showCount
            data-testid="reason-input"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
