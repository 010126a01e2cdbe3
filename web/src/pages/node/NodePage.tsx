// 本单位前置机: the department's own node as its data officer sees it. Where the node is, whether it is in
// step with the hub, what it serves (resources, masking, computations), which agreements it knows, who
// used our data (auto-refreshed), and for consumers a "try it" that sends a real query through our node.
// One file per panel in this folder; shared.tsx holds what they share.
import { Alert, Button, Card, Empty, Space, Spin, Typography } from 'antd';
import dayjs from 'dayjs';
import relativeTime from 'dayjs/plugin/relativeTime';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, nodeApi } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { AgreementDrawer } from '../../components/AgreementDrawer';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLoad } from '../../components/useLoad';
import { useMembers } from '../../components/useMembers';
import { NodeAgreements } from './NodeAgreements';
import { NodeHeader } from './NodeHeader';
import { RecentRequests } from './RecentRequests';
import { ServedResources } from './ServedResources';
import { TryIt } from './TryIt';
import { OVERVIEW_EVERY_MS, TRY_MODES, nodeErrorMessage } from './shared';
import { PageTitle } from '../../components/PageTitle';
import { colon } from '../../i18n/punctuation';

dayjs.extend(relativeTime);

export default function NodePage() {
  const me = useMe();
  const { t } = useTranslation();
  const member = useLoad(() => api.member(me.memberCode), [me.memberCode]);
  const nodeUrl = member.data?.nodeUrl ?? null;

  return (
    <div data-testid="node-page">
      <PageTitle title={t('node.title')} />
      <ErrorAlert error={member.error} onRetry={member.reload} />
      {member.loading && !member.data ? (
        <Spin size="large" style={{ display: 'block', margin: '120px auto' }} />
      ) : member.data && !nodeUrl ? (
        <Card>
          <Empty
            description={
              <Space orientation="vertical" size={2}>
                <Typography.Text strong data-testid="node-not-connected">
                  {t('node.notConnected')}
                </Typography.Text>
                <Typography.Text type="secondary">{t('node.notConnectedHint')}</Typography.Text>
              </Space>
            }
          />
        </Card>
      ) : nodeUrl ? (
        <NodeView nodeUrl={nodeUrl} />
      ) : null}
    </div>
  );
}

function NodeView({ nodeUrl }: { nodeUrl: string }) {
  const me = useMe();
  const { t } = useTranslation();
  const client = useMemo(() => nodeApi(nodeUrl), [nodeUrl]);
  const overview = useLoad(() => client.overview(), [nodeUrl], { everyMs: OVERVIEW_EVERY_MS });
  const members = useMembers();
  // The hub's catalog gives the names, item titles and item types the node's lists only name by code.
  const catalog = useLoad(() => api.resources({ pageSize: 200 }).then((p) => p.items), []);
  const resources = useMemo(() => new Map((catalog.data ?? []).map((r) => [r.code, r])), [catalog.data]);
  const [requestsTick, setRequestsTick] = useState(0);
  const [openId, setOpenId] = useState<string | null>(null);
  const o = overview.data;

  const consumerAgreements = useMemo(
    () =>
      (o?.agreements ?? []).filter(
        (e) =>
          e.agreement.consumerCode === me.memberCode &&
          e.agreement.status === 'active' &&
          (e.agreement.granted?.modes ?? []).some((m) => TRY_MODES.includes(m)),
      ),
    [o, me.memberCode],
  );

  if (!o) {
    return overview.error ? (
      <Alert
        type="error"
        showIcon
        title={t('node.unreachable')}
        description={
          <span>
            {nodeErrorMessage(t, overview.error)} · <Typography.Text code>{nodeUrl}</Typography.Text>
          </span>
        }
        action={
          <Button size="small" onClick={overview.reload}>
            {t('common.refresh')}
          </Button>
        }
        data-testid="node-unreachable"
      />
    ) : (
      <Spin size="large" style={{ display: 'block', margin: '120px auto' }} />
    );
  }

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {overview.error ? (
        <Alert
          type="warning"
          showIcon
          title={`${t('node.unreachable')}${colon()}${nodeErrorMessage(t, overview.error)}`}
        />
      ) : null}
      <NodeHeader overview={o} onReload={overview.reload} />
      {me.memberRole === 'consumer' && (
        <TryIt
          client={client}
          agreements={consumerAgreements}
          otherActive={
            (o?.agreements ?? []).filter(
              (e) => e.agreement.consumerCode === me.memberCode && e.agreement.status === 'active',
            ).length - consumerAgreements.length
          }
          resources={resources}
          nameOf={members.nameOf}
          onDone={() => {
            overview.reload();
            setRequestsTick((n) => n + 1);
          }}
        />
      )}
      {me.memberRole === 'provider' && <ServedResources overview={o} resources={resources} />}
      <NodeAgreements
        entries={o.agreements}
        memberCode={me.memberCode}
        resources={resources}
        nameOf={members.nameOf}
        onOpen={setOpenId}
      />
      <RecentRequests client={client} tick={requestsTick} resources={resources} nameOf={members.nameOf} />
      <AgreementDrawer id={openId} onClose={() => setOpenId(null)} onChanged={overview.reload} />
    </Space>
  );
}
