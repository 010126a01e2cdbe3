// Agreement detail drawer: parties, requested vs granted terms, and the full history timeline.
import { Card, Descriptions, Drawer, Empty, Space, Spin, Tag, Timeline, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { type Agreement, api, type Terms } from '../api/client';
import { AgreementActions } from './AgreementActions';
import { ErrorAlert } from './ErrorAlert';
import { fmtDate, fmtDateTime } from './format';
import { QuestionList } from './questions';
import { SlaCell } from './SlaCell';
import { ModeTags, STATUS_HEX, StatusTag } from './tags';
import { useLoad } from './useLoad';
import { colon } from '../i18n/punctuation';
import { useMemberName } from './memberNames';
import { useMembers } from './useMembers';

function TermsView({ terms, titles, granted }: { terms: Terms; titles: Map<string, string>; granted?: Terms | null }) {
  const { t } = useTranslation();
  // On the requested side, anything the provider did not grant is struck through.
  const dropped = (item: string) => !!granted && !granted.items.includes(item);
  return (
    <Descriptions column={1} size="small">
      <Descriptions.Item label={t('agreement.items')}>
        <Space size={[4, 4]} wrap>
          {terms.items.map((i) => (
            <Tooltip key={i} title={i}>
              <Tag
                color={dropped(i) ? 'default' : 'blue'}
                style={dropped(i) ? { textDecoration: 'line-through' } : undefined}
              >
                {titles.get(i) ?? i}
              </Tag>
            </Tooltip>
          ))}
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label={t('agreement.modes')}>
        <ModeTags modes={terms.modes} />
      </Descriptions.Item>
      {terms.predicates && terms.predicates.length > 0 && (
        <Descriptions.Item label={t('agreement.questions')}>
          <QuestionList predicates={terms.predicates} titleOf={(item) => titles.get(item) ?? item} />
        </Descriptions.Item>
      )}
      <Descriptions.Item label={t('agreement.validity')}>
        {fmtDate(terms.validFrom)} ~ {fmtDate(terms.validTo)}
      </Descriptions.Item>
      <Descriptions.Item label={t('agreement.rateLimit')}>
        {t('agreement.perMinute', { value: terms.rateLimitPerMinute })}
      </Descriptions.Item>
    </Descriptions>
  );
}

export function AgreementDrawer({
  id,
  onClose,
  onChanged,
}: {
  id: string | null;
  onClose: () => void;
  onChanged: (a: Agreement) => void;
}) {
  const { t } = useTranslation();
  const members = useMembers();
  const memberName = useMemberName();
  const { data: a, loading, error, reload } = useLoad(() => (id ? api.agreement(id) : Promise.resolve(null)), [id]);
  const resourceCode = a?.resourceCode;
  const { data: titles } = useLoad(
    () =>
      resourceCode
        ? api
            .resource(resourceCode)
            .then((r) => new Map(r.items.map((i) => [i.name, i.title])))
            .catch(() => new Map<string, string>())
        : Promise.resolve(new Map<string, string>()),
    [resourceCode],
  );

  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      size={720}
      title={t('agreement.drawerTitle')}
      extra={
        a && (
          <AgreementActions
            agreement={a}
            size="middle"
            onChanged={(n) => {
              reload();
              onChanged(n);
            }}
          />
        )
      }
      rootClassName="agreement-drawer"
    >
      <ErrorAlert error={error} onRetry={reload} />
      {loading && !a ? (
        <Spin style={{ display: 'block', margin: '80px auto' }} />
      ) : a ? (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label={t('agreement.resource')} span={2}>
              {a.resourceName} <Typography.Text code>{a.resourceCode}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('agreement.status')}>
              <StatusTag status={a.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('agreement.sla')}>
              <SlaCell a={a} />
            </Descriptions.Item>
            <Descriptions.Item label={t('agreement.consumer')}>{memberName(a.consumerName)}</Descriptions.Item>
            <Descriptions.Item label={t('agreement.provider')}>{memberName(a.providerName)}</Descriptions.Item>
            <Descriptions.Item label={t('agreement.appliedAt')}>{fmtDateTime(a.appliedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('agreement.dueAt')}>{fmtDateTime(a.dueAt)}</Descriptions.Item>
            <Descriptions.Item label={t('agreement.purpose')} span={2}>
              {a.purpose}
            </Descriptions.Item>
            <Descriptions.Item label={t('agreement.legalBasis')} span={2}>
              {a.legalBasis}
            </Descriptions.Item>
            <Descriptions.Item label={t('agreement.id')} span={2}>
              <Typography.Text type="secondary" copyable>
                {a.id}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
            <Card size="small" title={t('agreement.requested')}>
              <TermsView terms={a.requested} titles={titles ?? new Map()} granted={a.granted} />
            </Card>
            <Card size="small" title={t('agreement.granted')}>
              {a.granted ? (
                <TermsView terms={a.granted} titles={titles ?? new Map()} />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.none')} />
              )}
            </Card>
          </div>
          <Card size="small" title={t('agreement.history')}>
            <Timeline
              data-testid="history-timeline"
              items={a.history.map((h, i) => ({
                key: `${h.at}-${i}`,
                color: STATUS_HEX[h.toStatus],
                title: fmtDateTime(h.at),
                content: (
                  <div>
                    <Space wrap>
                      <Typography.Text strong>{t(`action.${h.action}`)}</Typography.Text>
                      <StatusTag status={h.toStatus} />
                      <Typography.Text type="secondary">
                        {members.nameOf(h.actorMember)}
                        {h.actorUser ? ` · ${h.actorUser}` : ''}
                      </Typography.Text>
                    </Space>
                    {h.reason && (
                      <div>
                        <Typography.Text type="secondary">
                          {h.action === 'approve' || h.action === 'superior_approve'
                            ? t('review.comment')
                            : t('common.reason')}
                          {colon()}
                        </Typography.Text>
                        {h.reason}
                      </div>
                    )}
                  </div>
                ),
              }))}
            />
          </Card>
        </Space>
      ) : null}
    </Drawer>
  );
}
