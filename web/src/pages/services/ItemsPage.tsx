// 办事事项定义: the service items as the data files define them — who issues each and on what basis, the
// facts asked of which department (and how), the checks with their reason codes and explanations, the
// benefit tiers and the certificate template. A new item is a new file, not new code.
import { Card, Col, Collapse, Descriptions, Empty, Menu, Row, Space, Spin, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMemberName } from '../../components/memberNames';
import { type FactDefinition, servicesApi } from '../../api/services';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLoad } from '../../components/useLoad';
import { PageTitle } from '../../components/PageTitle';
import { colon, paren } from '../../i18n/punctuation';

type Rule = { fact: string; is?: boolean | 'not_found' } | { all: Rule[] } | { any: Rule[] } | { not: Rule };

function ruleText(
  rule: unknown,
  facts: Record<string, FactDefinition>,
  t: (key: string) => string,
  en: boolean,
): string {
  const r = rule as Rule;
  if ('fact' in r) {
    const fact = facts[r.fact];
    const question = fact ? (en ? (fact.questionEn ?? fact.question) : fact.question) : r.fact;
    const is = r.is ?? true;
    const answer = is === 'not_found' ? t('services.items.notFound') : is ? t('common.yes') : t('common.no');
    return `「${question}」= ${answer}`;
  }
  if ('all' in r)
    return `(${r.all.map((inner) => ruleText(inner, facts, t, en)).join(` ${t('services.items.and')} `)})`;
  if ('any' in r) return `(${r.any.map((inner) => ruleText(inner, facts, t, en)).join(` ${t('services.items.or')} `)})`;
  return `${t('services.items.not')} ${ruleText(r.not, facts, t, en)}`;
}

export default function ItemsPage() {
  const { t, i18n } = useTranslation();
  const memberName = useMemberName();
  const en = i18n.language === 'en';
  const items = useLoad(() => servicesApi.items(), []);
  const [selected, setSelected] = useState<string>('elderly-card');
  const detail = useLoad(() => servicesApi.item(selected), [selected]);
  const def = detail.data?.definition;
  const summary = detail.data?.summary;
  const facts = useMemo(() => Object.entries(def?.facts ?? {}).map(([id, fact]) => ({ id, ...fact })), [def]);

  return (
    <div data-testid="items-page">
      <PageTitle title={t('services.items.title')} intro={t('services.items.intro')} />
      <ErrorAlert error={items.error ?? detail.error} />
      <Row gutter={16}>
        <Col xs={24} md={6}>
          <Card size="small" styles={{ body: { padding: 0 } }}>
            <Menu
              selectedKeys={[selected]}
              onClick={(e) => setSelected(e.key)}
              items={(items.data?.items ?? []).map((item) => ({
                key: item.id,
                label: en ? (item.nameEn ?? item.name) : item.name,
              }))}
              data-testid="items-menu"
            />
          </Card>
        </Col>
        <Col xs={24} md={18}>
          <Spin spinning={detail.loading}>
            {!def || !summary ? (
              <Empty />
            ) : (
              <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="item-detail">
                <Card size="small" title={en ? (summary.nameEn ?? summary.name) : summary.name}>
                  <Descriptions column={1} size="small" bordered>
                    <Descriptions.Item label={t('services.issuer')}>
                      {en ? (summary.issuer.nameEn ?? summary.issuer.name) : summary.issuer.name}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('services.legalBasis')}>
                      {en ? (summary.legalBasisEn ?? summary.legalBasis) : summary.legalBasis}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('services.promised')}>
                      {summary.promisedWorkingDays === 0
                        ? t('services.instant')
                        : t('services.days', { days: summary.promisedWorkingDays })}
                      {paren(
                        t('services.before', { days: summary.before.promisedWorkingDays, trips: summary.before.trips }),
                      )}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('services.documentsNotNeeded')}>
                      {summary.before.documents.map((doc, i) => (
                        <Tag key={doc}>{en ? (summary.before.documentsEn?.[i] ?? doc) : doc}</Tag>
                      ))}
                    </Descriptions.Item>
                    {summary.noApplication && (
                      <Descriptions.Item label={t('services.noApplicationTag')}>
                        {t('services.benefit.noApplication')}
                      </Descriptions.Item>
                    )}
                  </Descriptions>
                </Card>
                <Card size="small" title={t('services.items.facts')}>
                  <Table
                    size="small"
                    rowKey="id"
                    pagination={false}
                    dataSource={facts}
                    data-testid="facts-table"
                    scroll={{ x: 'max-content' }}
                    columns={[
                      {
                        title: t('services.items.source'),
                        render: (_: unknown, fact: FactDefinition) =>
                          fact.source === 'exchange' ? (
                            <Space orientation="vertical" size={0}>
                              <span>{memberName(fact.department ?? '')}</span>
                              <Typography.Text type="secondary">{fact.resource}</Typography.Text>
                            </Space>
                          ) : (
                            t(`services.items.sources.${fact.source}`)
                          ),
                      },
                      {
                        title: t('services.mode'),
                        render: (_: unknown, fact: FactDefinition) =>
                          fact.mode ? (
                            <Tag color="blue">
                              {fact.mode === 'verify' ? t('services.modeVerify') : t('services.modeCompute')}
                            </Tag>
                          ) : (
                            '—'
                          ),
                      },
                      {
                        title: t('services.question'),
                        render: (_: unknown, fact: FactDefinition) =>
                          en ? (fact.questionEn ?? fact.question) : fact.question,
                      },
                    ]}
                  />
                </Card>
                <Card size="small" title={t('services.items.checks')}>
                  <Table
                    size="small"
                    rowKey="code"
                    pagination={false}
                    dataSource={def.checks}
                    data-testid="checks-table"
                    columns={[
                      {
                        title: t('services.items.code'),
                        dataIndex: 'code',
                        render: (_: string, check) => (
                          <Space orientation="vertical" size={0}>
                            <Tag color="red">{en ? (check.titleEn ?? check.title) : check.title}</Tag>
                            {check.final && (
                              <Typography.Text type="secondary">{t('services.items.final')}</Typography.Text>
                            )}
                          </Space>
                        ),
                      },
                      {
                        title: t('services.items.rule'),
                        render: (_: unknown, check) =>
                          `${check.pass ? t('services.items.passWhen') : t('services.items.failWhen')} ${ruleText(
                            check.pass ?? check.fail,
                            def.facts,
                            t,
                            en,
                          )}`,
                      },
                      {
                        title: t('services.items.explanation'),
                        render: (_: unknown, check) =>
                          en ? (check.explanationEn ?? check.explanation) : check.explanation,
                      },
                    ]}
                  />
                </Card>
                {summary.tiers.length > 0 && (
                  <Card size="small" title={t('services.items.tiers')}>
                    <Table
                      size="small"
                      rowKey="id"
                      pagination={false}
                      dataSource={summary.tiers}
                      columns={[
                        {
                          title: t('services.benefit.tier'),
                          render: (_: unknown, tier) => (en ? (tier.nameEn ?? tier.name) : tier.name),
                        },
                        { title: t('services.items.minAge'), dataIndex: 'minAge' },
                        { title: t('services.items.maxAge'), dataIndex: 'maxAge', render: (v?: number) => v ?? '—' },
                        { title: t('services.items.monthly'), dataIndex: 'monthly', render: (v?: number) => v ?? '—' },
                      ]}
                    />
                    {(def.benefit?.supplements ?? []).map((s) => (
                      <Typography.Paragraph key={s.id} style={{ marginTop: 8, marginBottom: 0 }}>
                        + {s.name}
                        {colon()}
                        {t('services.benefit.yuan', { amount: s.monthly })}
                      </Typography.Paragraph>
                    ))}
                  </Card>
                )}
                {summary.certificate && (
                  <Card size="small" title={t('services.items.certificate')}>
                    <Descriptions column={1} size="small">
                      <Descriptions.Item label={t('services.items.certificateTitle')}>
                        {en ? (summary.certificate.titleEn ?? summary.certificate.title) : summary.certificate.title}
                      </Descriptions.Item>
                      <Descriptions.Item label={t('services.certificate.number')}>
                        {summary.certificate.numberPrefix}YYYY000001
                      </Descriptions.Item>
                      <Descriptions.Item label={t('services.certificate.validUntil')}>
                        {summary.certificate.validYears
                          ? t('services.items.years', { years: summary.certificate.validYears })
                          : t('services.items.noExpiry')}
                      </Descriptions.Item>
                    </Descriptions>
                  </Card>
                )}
                <Collapse
                  items={[
                    {
                      key: 'raw',
                      label: t('services.items.raw'),
                      children: (
                        <pre style={{ fontSize: 11, maxHeight: 480, overflow: 'auto' }} data-testid="item-raw">
                          {JSON.stringify(def, null, 2)}
                        </pre>
                      ),
                    },
                  ]}
                />
              </Space>
            )}
          </Spin>
        </Col>
      </Row>
    </div>
  );
}
