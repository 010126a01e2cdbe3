// Panel 5 (consumers): a real verify or record query sent through our own node.
import { ReloadOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  ComparisonOp,
  DataItem,
  NodeAnswer,
  NodeApi,
  NodeQuery,
  Predicate,
  Resource,
  Scalar,
} from '../../api/client';
import { QuestionList } from '../../components/questions';
import { TryResult } from './TryResult';
import { type NodeAgreementEntry, OPS, OP_SIGNS, TRY_MODES, newCaseId, splitSubjects, today } from './shared';
import { CardTitle } from '../../components/card';
import { paren } from '../../i18n/punctuation';

interface Builder {
  item: string | undefined;
  op: ComparisonOp;
  value: Scalar | null;
  age: boolean;
}

function buildPredicate(b: Builder): Predicate | null {
  if (!b.item || b.value === null || b.value === '') return null;
  return { op: b.op, item: b.age ? { ageAt: today(), of: b.item } : b.item, value: b.value };
}

function ValueInput({
  item,
  age,
  value,
  onChange,
}: {
  item: DataItem | undefined;
  age: boolean;
  value: Scalar | null;
  onChange: (v: Scalar | null) => void;
}) {
  const { t } = useTranslation();
  const type = age ? 'age' : (item?.type ?? 'string');
  const common = { style: { width: 200 } };
  switch (type) {
    case 'age':
    case 'integer':
    case 'year':
      return (
        <InputNumber<number>
          {...common}
          precision={0}
          min={type === 'age' ? 0 : undefined}
          value={typeof value === 'number' ? value : null}
          onChange={(v) => onChange(v ?? null)}
          suffix={type === 'age' ? t('node.years') : undefined}
        />
      );
    case 'decimal':
      return (
        <InputNumber<number>
          {...common}
          value={typeof value === 'number' ? value : null}
          onChange={(v) => onChange(v ?? null)}
        />
      );
    case 'date':
    case 'month':
      return (
        <DatePicker
          {...common}
          picker={type === 'month' ? 'month' : 'date'}
          value={typeof value === 'string' && value ? dayjs(value) : null}
          onChange={(d) => onChange(d ? d.format(type === 'month' ? 'YYYY-MM' : 'YYYY-MM-DD') : null)}
        />
      );
    case 'boolean':
      return (
        <Select<string>
          {...common}
          value={typeof value === 'boolean' ? String(value) : undefined}
          onChange={(v) => onChange(v === 'true')}
          options={[
            { value: 'true', label: t('common.yes') },
            { value: 'false', label: t('common.no') },
          ]}
        />
      );
    case 'enum':
      return (
        <Select<string>
          {...common}
          value={typeof value === 'string' ? value : undefined}
          onChange={(v) => onChange(v)}
          options={(item?.values ?? []).map((v) => ({ value: v, label: v }))}
        />
      );
    default:
      return (
        <Input {...common} value={value === null ? '' : String(value)} onChange={(e) => onChange(e.target.value)} />
      );
  }
}

export function TryIt({
  client,
  agreements,
  otherActive,
  resources,
  nameOf,
  onDone,
}: {
  client: NodeApi;
  agreements: NodeAgreementEntry[];
  /** Active agreements of the member in modes that are not tried here (aggregate, compute). */
  otherActive: number;
  resources: Map<string, Resource>;
  nameOf: (code: string) => string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [agreementId, setAgreementId] = useState<string | undefined>();
  const [mode, setMode] = useState<'verify' | 'record'>('verify');
  const [subjectText, setSubjectText] = useState('');
  const [caseId, setCaseId] = useState(newCaseId);
  const [builder, setBuilder] = useState<Builder>({ item: undefined, op: 'eq', value: null, age: false });
  const [jsonMode, setJsonMode] = useState(false);
  const [jsonText, setJsonText] = useState('');
  const [recordItems, setRecordItems] = useState<string[]>([]);
  const [running, setRunning] = useState(false);
  const [answer, setAnswer] = useState<NodeAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [formError, setFormError] = useState<string | null>(null);

  const entry = agreements.find((e) => e.agreement.id === agreementId);
  const agreement = entry?.agreement;
  const resource = agreement ? resources.get(agreement.resourceCode) : undefined;
  const grantedModes = (agreement?.granted?.modes ?? []).filter((m): m is 'verify' | 'record' => TRY_MODES.includes(m));
  const grantedItems = agreement?.granted?.items ?? [];
  const itemInfo = (name: string): DataItem | undefined => resource?.items.find((i) => i.name === name);
  const titleOf = (name: string) => itemInfo(name)?.title ?? name;
  const subjectItem = resource?.items.find((i) => i.subjectKey);
  const enterprise = subjectItem?.subjectKey === 'enterprise';

  // Choose an agreement (the first one by default) and reset what depends on its grant.
  const choose = useCallback(
    (id: string | undefined) => {
      setAgreementId(id);
      setAnswer(null);
      setError(null);
      setFormError(null);
      const a = agreements.find((e) => e.agreement.id === id)?.agreement;
      const granted = a?.granted;
      if (!granted) return;
      const modes = granted.modes.filter((m) => TRY_MODES.includes(m));
      setMode(modes.includes('verify') ? 'verify' : 'record');
      setRecordItems(granted.items);
      const items = resources.get(a.resourceCode)?.items ?? [];
      const first = granted.items.find((i) => !items.find((x) => x.name === i)?.subjectKey) ?? granted.items[0];
      setBuilder({ item: first, op: 'eq', value: null, age: false });
      setJsonMode(false);
    },
    [agreements, resources],
  );
  useEffect(() => {
    if (!agreementId && agreements.length > 0) choose(agreements[0]?.agreement.id);
  }, [agreementId, agreements, choose]);

  const builtPredicate = buildPredicate(builder);
  const selectedItem = builder.item ? itemInfo(builder.item) : undefined;
  const opsFor = (item: DataItem | undefined, age: boolean): ComparisonOp[] =>
    !age && item && ['enum', 'boolean', 'string'].includes(item.type) ? ['eq', 'ne'] : OPS;

  const run = async () => {
    setFormError(null);
    setError(null);
    setAnswer(null);
    if (!agreement) return;
    const subjects = splitSubjects(subjectText);
    if (subjects.length === 0) {
      setFormError(t('node.subjectRequired'));
      return;
    }
    let body: NodeQuery;
    if (mode === 'verify') {
      let predicate: Predicate | null = builtPredicate;
      if (jsonMode) {
        try {
          predicate = JSON.parse(jsonText) as Predicate;
        } catch {
          setFormError(t('node.badJson'));
          return;
        }
      }
      if (!predicate) {
        setFormError(t('node.valueRequired'));
        return;
      }
      body = { agreementId: agreement.id, mode, caseId, subject: subjects[0] ?? '', predicate };
    } else {
      body = {
        agreementId: agreement.id,
        mode,
        caseId,
        subjects,
        ...(recordItems.length > 0 ? { items: recordItems } : {}),
      };
    }
    setRunning(true);
    try {
      setAnswer(await client.query(body));
    } catch (e) {
      setError(e);
    } finally {
      setRunning(false);
      onDone();
    }
  };

  if (agreements.length === 0) {
    return (
      <Card size="small" title={t('node.tryIt')} data-testid="try-it">
        <Empty description={otherActive > 0 ? t('node.noTryable', { count: otherActive }) : t('node.noActive')} />
      </Card>
    );
  }

  return (
    <Card
      size="small"
      title={<CardTitle title={t('node.tryIt')} note={t('node.tryHint')} small />}
      data-testid="try-it"
    >
      <Row gutter={24}>
        <Col xs={24} xl={14}>
          <Form layout="horizontal" labelCol={{ flex: '96px' }} labelAlign="left" colon={false}>
            <Form.Item label={t('node.agreement')} style={{ marginBottom: 12 }}>
              <Select<string>
                value={agreementId}
                onChange={choose}
                data-testid="try-agreement"
                options={agreements.map(({ agreement: a }) => ({
                  value: a.id,
                  label: `${resources.get(a.resourceCode)?.name ?? a.resourceCode}${paren(a.resourceCode)} · ${nameOf(a.providerCode)}`,
                }))}
              />
            </Form.Item>
            <Form.Item label={t('node.mode')} style={{ marginBottom: 12 }}>
              <Radio.Group
                value={mode}
                onChange={(e) => {
                  setMode(e.target.value);
                  setAnswer(null);
                  setError(null);
                }}
                optionType="button"
                buttonStyle="solid"
                data-testid="try-mode"
                options={grantedModes.map((m) => ({ value: m, label: t(`mode.${m}`) }))}
              />
            </Form.Item>
            <Form.Item label={t('node.subject')} style={{ marginBottom: 12 }}>
              <Input
                value={subjectText}
                onChange={(e) => setSubjectText(e.target.value)}
                placeholder={mode === 'record' ? t('node.subjectsPlaceholder') : t('node.subjectPlaceholder')}
                allowClear
                data-testid="try-subject"
                style={{ fontFamily: 'monospace' }}
              />
            </Form.Item>
            {mode === 'verify' ? (
              <Form.Item
                label={t('node.predicate')}
                style={{ marginBottom: 12 }}
                extra={
                  <Space size={8} style={{ marginTop: 6 }}>
                    <Switch
                      size="small"
                      checked={jsonMode}
                      onChange={(on) => {
                        if (on)
                          setJsonText(
                            JSON.stringify(builtPredicate ?? { op: 'eq', item: builder.item, value: '' }, null, 2),
                          );
                        setJsonMode(on);
                      }}
                      data-testid="predicate-json-toggle"
                    />
                    <Typography.Text type="secondary">{t('node.json')}</Typography.Text>
                  </Space>
                }
              >
                {jsonMode ? (
                  <Input.TextArea
                    value={jsonText}
                    onChange={(e) => setJsonText(e.target.value)}
                    autoSize={{ minRows: 4, maxRows: 14 }}
                    style={{ fontFamily: 'monospace', fontSize: 12 }}
                    data-testid="predicate-json"
                  />
                ) : (
                  <Space wrap size={8} data-testid="predicate-builder">
                    <Select<string>
                      style={{ width: 180 }}
                      value={builder.item}
                      placeholder={t('node.item')}
                      onChange={(item) => {
                        const info = itemInfo(item);
                        setBuilder((b) => ({
                          item,
                          op: opsFor(info, false).includes(b.op) ? b.op : 'eq',
                          value: null,
                          age: false,
                        }));
                      }}
                      options={grantedItems.map((i) => ({ value: i, label: titleOf(i) }))}
                      data-testid="predicate-item"
                    />
                    {selectedItem?.type === 'date' && (
                      <Space size={4}>
                        <Switch
                          size="small"
                          checked={builder.age}
                          onChange={(age) => setBuilder((b) => ({ ...b, age, value: null }))}
                          data-testid="predicate-age"
                        />
                        <Typography.Text>{t('node.age')}</Typography.Text>
                      </Space>
                    )}
                    <Select<ComparisonOp>
                      style={{ width: 120 }}
                      value={builder.op}
                      onChange={(op) => setBuilder((b) => ({ ...b, op }))}
                      options={opsFor(selectedItem, builder.age).map((op) => ({
                        value: op,
                        label: `${OP_SIGNS[op]} ${t(`node.ops.${op}`)}`,
                      }))}
                      data-testid="predicate-op"
                    />
                    <span data-testid="predicate-value">
                      <ValueInput
                        key={`${builder.item}-${builder.age}`}
                        item={selectedItem}
                        age={builder.age}
                        value={builder.value}
                        onChange={(value) => setBuilder((b) => ({ ...b, value }))}
                      />
                    </span>
                  </Space>
                )}
                {agreement?.granted?.predicates && agreement.granted.predicates.length > 0 && (
                  <div style={{ marginTop: 8 }}>
                    <Typography.Text type="secondary">{t('node.agreedQuestions')}</Typography.Text>
                    <QuestionList
                      predicates={agreement.granted.predicates}
                      titleOf={titleOf}
                      testId="agreed-questions"
                    />
                  </div>
                )}
              </Form.Item>
            ) : (
              <Form.Item label={t('node.items')} style={{ marginBottom: 12 }}>
                <Select<string[]>
                  mode="multiple"
                  value={recordItems}
                  onChange={setRecordItems}
                  options={grantedItems.map((i) => ({ value: i, label: titleOf(i) }))}
                  data-testid="try-items"
                />
              </Form.Item>
            )}
            <Form.Item label={t('node.case')} style={{ marginBottom: 12 }}>
              <Space.Compact style={{ width: 320 }}>
                <Input value={caseId} onChange={(e) => setCaseId(e.target.value)} data-testid="try-case" />
                <Tooltip title={t('node.newCase')}>
                  <Button icon={<ReloadOutlined />} onClick={() => setCaseId(newCaseId())} />
                </Tooltip>
              </Space.Compact>
            </Form.Item>
            <Form.Item label=" " style={{ marginBottom: 0 }}>
              <Space>
                <Button type="primary" loading={running} onClick={run} data-testid="try-run">
                  {t('node.run')}
                </Button>
                {mode === 'verify' && !jsonMode && builtPredicate && (
                  <Typography.Text type="secondary" data-testid="predicate-summary">
                    {builder.age ? t('node.ageOf', { date: today() }) : titleOf(builder.item ?? '')}{' '}
                    {OP_SIGNS[builder.op]} {String(builder.value)}
                  </Typography.Text>
                )}
              </Space>
            </Form.Item>
          </Form>
        </Col>
        <Col xs={24} xl={10}>
          <TryResult
            answer={answer}
            error={error}
            formError={formError}
            running={running}
            enterprise={enterprise}
            titleOf={titleOf}
          />
        </Col>
      </Row>
    </Card>
  );
}
