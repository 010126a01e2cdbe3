// The application form (申请共享). Opened from a resource page with the resource fixed, or from
// "my applications" with a resource picker. Items and modes are limited to what the resource offers.
import {
  Alert,
  App,
  Button,
  Checkbox,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Spin,
  Tag,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemberName } from './memberNames';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AccessMode, type Agreement, api, type Resource } from '../api/client';
import { type QuestionDraft, QuestionsField, questionsFromDrafts } from './questions';
import { SensitivityTag } from './tags';
import { useSubmit } from './useSubmit';
import { paren } from '../i18n/punctuation';

interface ApplyForm {
  resourceCode: string;
  purpose: string;
  legalBasis: string;
  items: string[];
  modes: AccessMode[];
  validity: [Dayjs, Dayjs];
  rateLimitPerMinute: number;
  questions?: QuestionDraft[];
}

export function ApplyModal({
  open,
  resource: fixed,
  onClose,
  onDone,
}: {
  open: boolean;
  resource?: Resource | null;
  onClose: () => void;
  onDone: (a: Agreement) => void;
}) {
  const { t } = useTranslation();
  const memberName = useMemberName();
  const { message } = App.useApp();
  const [form] = Form.useForm<ApplyForm>();
  const [picked, setPicked] = useState<Resource | null>(null);
  const resource = fixed ?? picked;
  const [options, setOptions] = useState<Resource[]>([]);
  const [searching, setSearching] = useState(false);
  const { busy, error, setError, submit: submitting } = useSubmit();

  // The form starts from these at each opening (the dialog's content is mounted afresh) and is cleared after
  // the dialog has closed — not in an effect after it opens, which on a busy machine could run after the
  // person's first clicks and wipe them.
  const initialValues: Partial<ApplyForm> = {
    resourceCode: fixed?.code,
    items: [],
    modes: fixed?.accessModes.length === 1 ? fixed.accessModes : [],
    validity: [dayjs().startOf('day'), dayjs().add(1, 'year').startOf('day')],
    rateLimitPerMinute: 60,
  };
  const afterClose = () => {
    form.resetFields();
    setPicked(null);
    setError(null);
  };

  const search = async (q: string) => {
    setSearching(true);
    try {
      const res = await api.resources({ q: q || undefined, pageSize: 50 });
      setOptions(res.items.filter((r) => r.sharingType !== 'not_shared'));
    } catch {
      setOptions([]);
    } finally {
      setSearching(false);
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: load the picker once per opening
  useEffect(() => {
    if (open && !fixed) void search('');
  }, [open, fixed]);

  const pick = async (code: string) => {
    const r = options.find((o) => o.code === code) ?? (await api.resource(code));
    setPicked(r);
    form.setFieldsValue({ items: [], modes: r.accessModes.length === 1 ? r.accessModes : [] });
  };

  const submit = async (v: ApplyForm) => {
    if (!resource) return;
    await submitting(async () => {
      const a = await api.apply({
        resourceCode: resource.code,
        purpose: v.purpose.trim(),
        legalBasis: v.legalBasis.trim(),
        items: v.items,
        modes: v.modes,
        ...(v.modes.includes('verify') ? { predicates: questionsFromDrafts(v.questions ?? [], resource.items) } : {}),
        validFrom: v.validity[0].format('YYYY-MM-DD'),
        validTo: v.validity[1].format('YYYY-MM-DD'),
        rateLimitPerMinute: v.rateLimitPerMinute,
      });
      message.success(a.status === 'active' ? t('apply.autoApproved') : t('apply.success'));
      onDone(a);
    });
  };

  const chosenItems = Form.useWatch('items', form) ?? [];
  const chosenModes = Form.useWatch('modes', form) ?? [];
  const title = resource ? t('apply.title', { name: resource.name }) : t('apply.new');

  return (
    <Modal
      open={open}
      title={title}
      width={720}
      onCancel={onClose}
      afterClose={afterClose}
      destroyOnHidden
      footer={[
        <Button key="c" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="s" type="primary" loading={busy} onClick={() => form.submit()} data-testid="apply-submit">
          {t('common.submit')}
        </Button>,
      ]}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<ApplyForm>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={submit}
        data-testid="apply-form"
      >
        {!fixed && (
          <Form.Item
            name="resourceCode"
            label={t('apply.resource')}
            rules={[{ required: true, message: t('apply.resourceRequired') }]}
          >
            <Select
              showSearch={{ filterOption: false, onSearch: (q: string) => void search(q) }}
              placeholder={t('apply.resourcePlaceholder')}
              notFoundContent={searching ? <Spin size="small" /> : undefined}
              options={options.map((o) => ({ value: o.code, label: `${o.name}${paren(memberName(o.providerName))}` }))}
              onChange={(code: string) => void pick(code)}
            />
          </Form.Item>
        )}
        <Form.Item
          name="purpose"
          label={t('apply.purpose')}
          rules={[{ required: true, whitespace: true, message: t('apply.purposeRequired') }]}
        >
          <Input.TextArea rows={2} placeholder={t('apply.purposePlaceholder')} maxLength={500} showCount />
        </Form.Item>
        <Form.Item
          name="legalBasis"
          label={t('apply.legalBasis')}
          rules={[{ required: true, whitespace: true, message: t('apply.legalBasisRequired') }]}
        >
          <Input placeholder={t('apply.legalBasisPlaceholder')} maxLength={300} />
        </Form.Item>
        {resource && (
          <>
            <Form.Item
              label={
                <Space>
                  {t('apply.items')}
                  <Button
                    size="small"
                    type="link"
                    onClick={() => form.setFieldsValue({ items: resource.items.map((i) => i.name) })}
                  >
                    {t('apply.selectAll')}
                  </Button>
                </Space>
              }
              name="items"
              rules={[{ required: true, type: 'array', min: 1, message: t('apply.itemsRequired') }]}
            >
              <Checkbox.Group style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 6 }}>
                {resource.items.map((i) => (
                  <Checkbox key={i.name} value={i.name}>
                    {i.title} <Tag style={{ marginLeft: 4 }}>{i.name}</Tag>
                    <SensitivityTag level={i.sensitivity} />
                  </Checkbox>
                ))}
              </Checkbox.Group>
            </Form.Item>
            <Form.Item
              name="modes"
              label={t('apply.modes')}
              rules={[{ required: true, type: 'array', min: 1, message: t('apply.modesRequired') }]}
            >
              <Checkbox.Group options={resource.accessModes.map((m) => ({ value: m, label: t(`mode.${m}`) }))} />
            </Form.Item>
            {chosenModes.includes('verify') && (
              <Form.Item label={t('agreement.questions')} required>
                <QuestionsField form={form} items={resource.items} chosen={chosenItems} />
              </Form.Item>
            )}
          </>
        )}
        <Space size="large" align="start" wrap>
          <Form.Item
            name="validity"
            label={t('apply.validity')}
            rules={[{ required: true, message: t('apply.validityRequired') }]}
          >
            <DatePicker.RangePicker allowClear={false} />
          </Form.Item>
          <Form.Item name="rateLimitPerMinute" label={t('apply.rateLimit')} rules={[{ required: true }]}>
            <InputNumber min={1} max={100000} style={{ width: 160 }} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
