// Verify questions (核验问题): the yes/no questions a verify agreement lets its consumer ask, in words, and the
// part of the application form that builds them. A value written `$…` is filled in at each check: the date
// of the check (`$asOf`, shifted as `$asOf-6M`) or the value the officer has in hand (the applicant's name).
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, type FormInstance, Input, InputNumber, Select, Space, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ComparisonOp, DataItem, ItemRef, Predicate, Scalar } from '../api/client';

const PARAMETER = /^\$([A-Za-z][A-Za-z0-9_]*)(?:([+-])(\d{1,3})([DMY]))?$/;

function isDateLike(value: Scalar): boolean {
  return typeof value === 'string' && (/^\d{4}-\d{2}-\d{2}$/.test(value) || /^\$asOf/.test(value));
}

/** A compared value in words: the check's date, a value given at the check, or the literal in 「」. */
function valueText(value: Scalar, t: TFunction): string {
  if (typeof value === 'string') {
    const match = PARAMETER.exec(value);
    if (match) {
      const [, name, sign, amount, unit] = match;
      if (name !== 'asOf') return t('question.supplied');
      if (!sign) return t('question.asOf');
      return t(sign === '-' ? 'question.asOfBefore' : 'question.asOfAfter', {
        n: Number(amount),
        unit: t(`question.unit.${unit}`),
      });
    }
  }
  if (typeof value === 'boolean') return t('question.literal', { value: t(value ? 'question.yes' : 'question.no') });
  return t('question.literal', { value: String(value) });
}

function itemText(item: ItemRef, titleOf: (name: string) => string): string {
  return typeof item === 'string' ? titleOf(item) : titleOf(item.of);
}

function comparisonText(
  op: ComparisonOp,
  item: ItemRef,
  value: Scalar,
  titleOf: (name: string) => string,
  t: TFunction,
): string {
  if (typeof item !== 'string') {
    return t(`question.age.${op}`, { item: titleOf(item.of), at: valueText(item.ageAt, t), n: value });
  }
  if (op === 'eq' && typeof value === 'string' && PARAMETER.test(value) && !value.startsWith('$asOf')) {
    return t('question.sameAsSupplied', { item: titleOf(item) });
  }
  const words = op === 'eq' || op === 'ne' ? op : `${op}${isDateLike(value) ? 'Date' : 'Number'}`;
  return t(`question.op.${words}`, { item: titleOf(item), value: valueText(value, t) });
}

/** One question in the reader's language, e.g. “按出生日期，核验之日年满 60 周岁”. */
export function describeQuestion(predicate: Predicate, titleOf: (name: string) => string, t: TFunction): string {
  switch (predicate.op) {
    case 'and':
    case 'or':
      return predicate.args
        .map((arg) => describeQuestion(arg, titleOf, t))
        .join(t(predicate.op === 'and' ? 'question.and' : 'question.or'));
    case 'not':
      return t('question.not', { text: describeQuestion(predicate.arg, titleOf, t) });
    case 'isNull':
      return t('question.isNull', { item: titleOf(predicate.item) });
    case 'in':
      return t('question.in', {
        item: itemText(predicate.item, titleOf),
        values: predicate.values.map((value) => valueText(value, t)).join(t('question.listSeparator')),
      });
    default:
      return comparisonText(predicate.op, predicate.item, predicate.value, titleOf, t);
  }
}

/** The agreement's questions as a numbered list (agreement details, approval, the node's try-it). */
export function QuestionList({
  predicates,
  titleOf,
  testId = 'question-list',
}: {
  predicates: readonly Predicate[];
  titleOf: (name: string) => string;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <ol style={{ margin: 0, paddingInlineStart: 20 }} data-testid={testId}>
      {predicates.map((predicate) => (
        <li key={JSON.stringify(predicate)}>{describeQuestion(predicate, titleOf, t)}</li>
      ))}
    </ol>
  );
}

/** One row of the application form's question builder. */
export interface QuestionDraft {
  kind: 'sameAsSupplied' | 'equals' | 'ageAtLeast';
  item?: string;
  value?: string | number | boolean | null;
}

/** The form rows as the agreement's question templates (rows not filled in are left out by validation). */
export function questionsFromDrafts(drafts: readonly QuestionDraft[], items: readonly DataItem[]): Predicate[] {
  return drafts.flatMap((draft): Predicate[] => {
    if (!draft.item) return [];
    if (draft.kind === 'sameAsSupplied') return [{ op: 'eq', item: draft.item, value: `$${draft.item}` }];
    if (draft.kind === 'ageAtLeast')
      return [{ op: 'gte', item: { ageAt: '$asOf', of: draft.item }, value: Number(draft.value) }];
    const info = items.find((candidate) => candidate.name === draft.item);
    const value =
      info?.type === 'boolean'
        ? draft.value === true
        : info && ['integer', 'decimal'].includes(info.type)
          ? Number(draft.value)
          : String(draft.value ?? '');
    return [{ op: 'eq', item: draft.item, value }];
  });
}

/**
 * The 核验问题 part of the application form: the consumer lists each yes/no question it needs; the provider's
 * node will answer these and no other. Items offered are those chosen above (ages only for dates).
 */
export function QuestionsField({
  form,
  items,
  chosen,
}: {
  form: FormInstance;
  items: readonly DataItem[];
  chosen: readonly string[];
}) {
  const { t } = useTranslation();
  const drafts = Form.useWatch('questions', form) as QuestionDraft[] | undefined;
  const offered = items.filter((item) => chosen.includes(item.name) && !item.subjectKey);
  const titleOf = (name: string) => items.find((item) => item.name === name)?.title ?? name;
  return (
    <Form.List
      name="questions"
      rules={[
        {
          validator: async (_, rows?: QuestionDraft[]) => {
            if (!rows || rows.length === 0) throw new Error(t('question.required'));
          },
        },
      ]}
    >
      {(fields, { add, remove }, { errors }) => (
        <div data-testid="apply-questions">
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {t('question.hint')}
          </Typography.Paragraph>
          {fields.map((field) => {
            const draft: QuestionDraft = drafts?.[field.name] ?? { kind: 'sameAsSupplied' };
            const info = items.find((item) => item.name === draft.item);
            const forKind = offered.filter((item) => (draft.kind === 'ageAtLeast' ? item.type === 'date' : true));
            const [built] = questionsFromDrafts([draft], items);
            return (
              <div key={field.key} style={{ marginBottom: 8 }} data-testid="apply-question">
                <Space wrap align="start" size={8}>
                  <Form.Item name={[field.name, 'kind']} noStyle>
                    <Select<QuestionDraft['kind']>
                      style={{ width: 200 }}
                      onChange={() => form.setFieldValue(['questions', field.name, 'value'], null)}
                      options={(['sameAsSupplied', 'equals', 'ageAtLeast'] as const).map((kind) => ({
                        value: kind,
                        label: t(`question.kind.${kind}`),
                      }))}
                      data-testid="question-kind"
                    />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'item']}
                    rules={[{ required: true, message: t('question.itemRequired') }]}
                    style={{ marginBottom: 0 }}
                  >
                    <Select<string>
                      style={{ width: 180 }}
                      placeholder={t('question.item')}
                      options={forKind.map((item) => ({ value: item.name, label: item.title }))}
                      data-testid="question-item"
                    />
                  </Form.Item>
                  {draft.kind !== 'sameAsSupplied' && (
                    <Form.Item
                      name={[field.name, 'value']}
                      rules={[{ required: true, message: t('question.valueRequired') }]}
                      style={{ marginBottom: 0 }}
                    >
                      {draft.kind === 'ageAtLeast' ? (
                        <InputNumber min={0} max={150} addonAfter={t('question.years')} data-testid="question-value" />
                      ) : info?.type === 'boolean' ? (
                        <Select<boolean, { value: boolean; label: string }>
                          style={{ width: 100 }}
                          options={[
                            { value: true, label: t('question.yes') },
                            { value: false, label: t('question.no') },
                          ]}
                          data-testid="question-value"
                        />
                      ) : info?.values ? (
                        <Select
                          style={{ width: 140 }}
                          options={info.values.map((value) => ({ value, label: value }))}
                          data-testid="question-value"
                        />
                      ) : (
                        <Input style={{ width: 160 }} maxLength={100} data-testid="question-value" />
                      )}
                    </Form.Item>
                  )}
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    aria-label={t('question.remove')}
                    onClick={() => remove(field.name)}
                  />
                </Space>
                {built && (draft.kind === 'sameAsSupplied' || (draft.value !== null && draft.value !== undefined)) && (
                  <Typography.Text type="secondary" style={{ display: 'block', marginTop: 2 }}>
                    {describeQuestion(built, titleOf, t)}
                  </Typography.Text>
                )}
              </div>
            );
          })}
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            onClick={() => add({ kind: 'sameAsSupplied', value: null } satisfies QuestionDraft)}
            data-testid="question-add"
          >
            {t('question.add')}
          </Button>
          <Form.ErrorList errors={errors} />
        </div>
      )}
    </Form.List>
  );
}
