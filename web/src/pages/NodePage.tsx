// 本单位前置机: the department's own node as its data officer sees it. Where the node is, whether it is in
// step with the hub, what it serves (resources, masking, computations), which agreements it knows, who
// used our data (auto-refreshed), and for consumers a "try it" that sends a real query through our node.
import {
  CheckCircleFilled,
  CloseCircleFilled,
  QuestionCircleFilled,
  ReloadOutlined,
  SyncOutlined,
} from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Segmented,
  Select,
  Space,
  Spin,
  Statistic,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { TFunction } from 'i18next';
import dayjs from 'dayjs';
import relativeTime from 'dayjs/plugin/relativeTime';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type AccessMode,
  ApiError,
  type AuditDecision,
  api,
  type ComparisonOp,
  type DataItem,
  type NodeAnswer,
  type NodeApi,
  type NodeOverview,
  type NodeQuery,
  type NodeRequest,
  nodeApi,
  type Predicate,
  type RecordResult,
  type Resource,
  type Scalar,
} from '../api/client';
import { useMe } from '../auth/AuthContext';
import { AgreementDrawer } from '../components/AgreementDrawer';
import { ErrorAlert } from '../components/ErrorAlert';
import { errorMessage } from '../components/errors';
import { fmtDate, fmtDateTime } from '../components/format';
import { QuestionList } from '../components/questions';
import { ModeTags, SharingTag, StatusTag } from '../components/tags';
import { useLoad } from '../components/useLoad';
import { useMembers } from '../components/useMembers';

dayjs.extend(relativeTime);

const REQUESTS_EVERY_MS = 5_000;
const OVERVIEW_EVERY_MS = 15_000;
/** The node refuses service when it has not confirmed agreement states with the hub for this long. */
const STALE_AFTER_MS = 10 * 60_000;
const TRY_MODES: AccessMode[] = ['verify', 'record'];
const OPS: ComparisonOp[] = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte'];
const OP_SIGNS: Record<ComparisonOp, string> = { eq: '=', ne: '≠', lt: '<', lte: '≤', gt: '>', gte: '≥' };

type NodeAgreementEntry = NodeOverview['agreements'][number];
type RequestFilter = 'all' | AuditDecision;

// ---- helpers ----------------------------------------------------------------------------------------

/** Like useLoad, but re-runs every `everyMs` in the background without flashing the loading state. */
function usePolled<T>(loader: () => Promise<T>, deps: unknown[], everyMs: number | null) {
  const [data, setData] = useState<T | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const seq = useRef(0);
  const latest = useRef(loader);
  latest.current = loader;
  const key = JSON.stringify(deps);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is the caller's reload trigger
  const load = useCallback(
    (background: boolean) => {
      const mine = ++seq.current;
      if (!background) setLoading(true);
      latest
        .current()
        .then((d) => {
          if (mine === seq.current) {
            setData(d);
            setError(null);
          }
        })
        .catch((e: unknown) => {
          if (mine === seq.current) setError(e);
        })
        .finally(() => {
          if (mine === seq.current) setLoading(false);
        });
    },
    [key],
  );
  useEffect(() => {
    load(false);
    if (!everyMs) return;
    const timer = setInterval(() => {
      if (!document.hidden) load(true);
    }, everyMs);
    return () => clearInterval(timer);
  }, [load, everyMs]);
  const reload = useCallback(() => load(true), [load]);
  return { data, loading, error, reload };
}

/** The current time, ticking, so relative times and the staleness warning stay true while the page is open. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** A translated explanation of a node problem code, or null when the console does not know the code. */
function nodeCodeText(t: TFunction, code: string | null | undefined): string | null {
  if (!code) return null;
  const key = `node.errors.${code}`;
  const text = t(key);
  return text === key ? null : text;
}

/** The friendly message for a failed node call; the server's detail is added when it says more. */
function nodeErrorMessage(t: TFunction, e: unknown): string {
  if (e instanceof ApiError) {
    const friendly = nodeCodeText(t, e.code);
    if (friendly) {
      const specific = e.detail && !e.detail.includes(' / ') && !e.detail.includes(friendly);
      return specific ? `${friendly}（${e.detail}）` : friendly;
    }
  }
  return errorMessage(t, e);
}

function maskingLabel(t: TFunction, rule: string): string {
  const colon = rule.indexOf(':');
  const kind = colon < 0 ? rule.trim() : rule.slice(0, colon).trim();
  const arg = colon < 0 ? '' : rule.slice(colon + 1).trim();
  switch (kind) {
    case 'keep_prefix':
    case 'truncate_decimal':
      return t(`node.rules.${kind}`, { n: arg });
    case 'range':
      return t('node.rules.range', { bounds: arg.replace(/^\[|\]$/g, '').replaceAll(',', ', ') });
    case 'none':
    case 'hide':
    case 'id_number':
    case 'name':
    case 'phone':
    case 'date_to_year':
    case 'date_to_month':
      return t(`node.rules.${kind}`);
    default:
      return rule;
  }
}

function today(): string {
  return dayjs().format('YYYY-MM-DD');
}

function newCaseId(): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  const suffix = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
  return `CASE-${dayjs().format('YYYYMMDD')}-${suffix}`;
}

function splitSubjects(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,，;；、]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

function cellText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  return String(value);
}

/** Compact tag list: the first `max` tags, the rest behind a "+N" with a tooltip. */
function TagList({ values, max = 4, color }: { values: string[]; max?: number; color?: string }) {
  if (values.length === 0) return <>—</>;
  const shown = values.slice(0, max);
  const rest = values.slice(max);
  return (
    <Space size={[4, 4]} wrap>
      {shown.map((v) => (
        <Tag key={v} color={color} style={{ marginInlineEnd: 0 }}>
          {v}
        </Tag>
      ))}
      {rest.length > 0 && (
        <Tooltip title={rest.join('、')}>
          <Tag style={{ marginInlineEnd: 0 }}>+{rest.length}</Tag>
        </Tooltip>
      )}
    </Space>
  );
}

// ---- the page ---------------------------------------------------------------------------------------

export default function NodePage() {
  const me = useMe();
  const { t } = useTranslation();
  const member = useLoad(() => api.member(me.memberCode), [me.memberCode]);
  const nodeUrl = member.data?.nodeUrl ?? null;

  return (
    <div data-testid="node-page">
      <Typography.Title level={3} className="page-title">
        {t('node.title')}
      </Typography.Title>
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
  const overview = usePolled(() => client.overview(), [nodeUrl], OVERVIEW_EVERY_MS);
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
        <Alert type="warning" showIcon title={`${t('node.unreachable')}：${nodeErrorMessage(t, overview.error)}`} />
      ) : null}
      <NodeHeader overview={o} onReload={overview.reload} />
      {me.memberRole === 'consumer' && (
        <TryIt
          client={client}
          agreements={consumerAgreements}
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

// ---- 1. header --------------------------------------------------------------------------------------

function NodeHeader({ overview: o, onReload }: { overview: NodeOverview; onReload: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const now = useNow(10_000);
  const syncedAt = o.lastSync ? new Date(o.lastSync).getTime() : null;
  const stale = syncedAt === null || now - syncedAt > STALE_AFTER_MS;
  return (
    <Card
      size="small"
      title={
        <Space>
          <SyncOutlined style={{ color: stale ? '#fa541c' : '#52c41a' }} />
          {t('node.status')}
          <Typography.Text type="secondary" style={{ fontWeight: 400 }}>
            {me.memberCode === o.member ? me.memberName : o.member}
          </Typography.Text>
        </Space>
      }
      extra={
        <Button size="small" icon={<ReloadOutlined />} onClick={onReload}>
          {t('common.refresh')}
        </Button>
      }
      data-testid="node-header"
    >
      <Row gutter={[24, 16]} align="middle">
        <Col xs={24} xl={13}>
          <Descriptions
            column={1}
            size="small"
            items={[
              {
                key: 'url',
                label: t('node.url'),
                children: (
                  <Typography.Text copyable code data-testid="node-url">
                    {o.nodeUrl}
                  </Typography.Text>
                ),
              },
              {
                key: 'key',
                label: t('node.keyId'),
                children: <Typography.Text code>{o.keyId}</Typography.Text>,
              },
              {
                key: 'sync',
                label: t('node.lastSync'),
                children: (
                  <Space size={8} wrap data-testid="node-last-sync" data-stale={stale}>
                    <Tooltip title={fmtDateTime(o.lastSync)}>
                      <Typography.Text type={stale ? 'danger' : 'success'} strong>
                        {syncedAt === null ? t('node.neverSynced') : dayjs(syncedAt).from(now)}
                      </Typography.Text>
                    </Tooltip>
                    {stale && (
                      <Tag color="warning" data-testid="node-stale">
                        {t('node.stale')}
                      </Tag>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        </Col>
        <Col xs={24} xl={11}>
          <Row gutter={16} className="kpi">
            <Col span={6}>
              <Statistic
                title={t('node.served')}
                value={o.stats.served}
                styles={{ content: { color: '#389e0d' } }}
                data-testid="stat-served"
              />
            </Col>
            <Col span={6}>
              <Statistic
                title={t('node.denied')}
                value={o.stats.denied}
                styles={{ content: { color: o.stats.denied > 0 ? '#cf1322' : undefined } }}
                data-testid="stat-denied"
              />
            </Col>
            <Col span={6}>
              <Statistic title={t('node.dataReads')} value={o.stats.dataReads} data-testid="stat-reads" />
            </Col>
            <Col span={6}>
              <Statistic title={t('node.audited')} value={o.stats.audited} />
            </Col>
          </Row>
        </Col>
      </Row>
    </Card>
  );
}

// ---- 2. what a provider serves ----------------------------------------------------------------------

function ServedResources({ overview: o, resources }: { overview: NodeOverview; resources: Map<string, Resource> }) {
  const { t } = useTranslation();
  type Served = NodeOverview['resources'][number];
  type Computation = NodeOverview['computations'][number];
  const titleOf = (resource: string, item: string) =>
    resources.get(resource)?.items.find((i) => i.name === item)?.title ?? item;

  const resourceColumns: ColumnsType<Served> = [
    {
      key: 'resource',
      title: t('catalog.name'),
      width: 220,
      render: (_: unknown, r) => (
        <div>
          <div>{r.name}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.code}
          </Typography.Text>
        </div>
      ),
    },
    {
      key: 'sharing',
      title: t('catalog.sharingType'),
      width: 120,
      render: (_: unknown, r) => <SharingTag type={r.sharingType} />,
    },
    {
      key: 'modes',
      title: t('catalog.accessModes'),
      width: 200,
      render: (_: unknown, r) => <ModeTags modes={r.accessModes} />,
    },
    {
      key: 'masking',
      title: t('node.masking'),
      render: (_: unknown, r) => (
        <Space size={[4, 4]} wrap>
          {Object.entries(r.masking).map(([item, rule]) => (
            <Tooltip key={item} title={titleOf(r.code, item)}>
              <Tag color={rule === 'none' ? 'default' : 'purple'} style={{ marginInlineEnd: 0 }}>
                {item}: {maskingLabel(t, rule)}
              </Tag>
            </Tooltip>
          ))}
          {Object.keys(r.masking).length === 0 && <Typography.Text type="secondary">—</Typography.Text>}
        </Space>
      ),
    },
    {
      key: 'dimensions',
      title: t('node.dimensions'),
      width: 200,
      render: (_: unknown, r) => <TagList values={r.aggregateDimensions} color="cyan" />,
    },
  ];

  const computationColumns: ColumnsType<Computation> = [
    {
      key: 'id',
      title: t('node.computationId'),
      width: 220,
      render: (_: unknown, c) => <Typography.Text code>{c.id}</Typography.Text>,
    },
    {
      key: 'title',
      title: t('node.computationTitle'),
      render: (_: unknown, c) => (
        <div>
          <div>{c.title}</div>
          {c.description && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {c.description}
            </Typography.Text>
          )}
        </div>
      ),
    },
    {
      key: 'resource',
      title: t('agreement.resource'),
      width: 200,
      render: (_: unknown, c) => resources.get(c.resource)?.name ?? c.resource,
    },
    {
      key: 'params',
      title: t('node.params'),
      width: 200,
      render: (_: unknown, c) => <TagList values={c.params.map((p) => p.title)} />,
    },
    {
      key: 'outputs',
      title: t('node.outputs'),
      width: 260,
      render: (_: unknown, c) => <TagList values={c.outputs.map((p) => p.title)} color="blue" />,
    },
  ];

  return (
    <>
      <Card size="small" title={t('node.resources')} data-testid="node-resources">
        <Table<Served>
          rowKey="code"
          size="small"
          pagination={false}
          columns={resourceColumns}
          dataSource={o.resources}
          locale={{ emptyText: <Empty description={t('node.noResources')} /> }}
        />
      </Card>
      {o.computations.length > 0 && (
        <Card size="small" title={t('node.computations')} data-testid="node-computations">
          <Table<Computation>
            rowKey="id"
            size="small"
            pagination={false}
            columns={computationColumns}
            dataSource={o.computations}
          />
        </Card>
      )}
    </>
  );
}

// ---- 3. agreements known to the node ----------------------------------------------------------------

function NodeAgreements({
  entries,
  memberCode,
  resources,
  nameOf,
  onOpen,
}: {
  entries: NodeAgreementEntry[];
  memberCode: string;
  resources: Map<string, Resource>;
  nameOf: (code: string) => string;
  onOpen: (id: string) => void;
}) {
  const { t } = useTranslation();
  const columns: ColumnsType<NodeAgreementEntry> = [
    {
      key: 'resource',
      title: t('agreement.resource'),
      width: 210,
      render: (_: unknown, { agreement: a }) => (
        <div>
          <Typography.Link onClick={() => onOpen(a.id)}>
            {resources.get(a.resourceCode)?.name ?? a.resourceCode}
          </Typography.Link>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {a.resourceCode}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    {
      key: 'side',
      title: t('node.side'),
      width: 100,
      render: (_: unknown, { agreement: a }) =>
        a.providerCode === memberCode ? (
          <Tag color="volcano">{t('node.asProvider')}</Tag>
        ) : (
          <Tag color="blue">{t('node.asConsumer')}</Tag>
        ),
    },
    {
      key: 'counterpart',
      title: t('node.counterpart'),
      width: 190,
      render: (_: unknown, { agreement: a }) => nameOf(a.providerCode === memberCode ? a.consumerCode : a.providerCode),
    },
    {
      key: 'status',
      title: t('agreement.status'),
      width: 100,
      render: (_: unknown, e) => <StatusTag status={e.agreement.status} />,
    },
    {
      key: 'modes',
      title: t('agreement.modes'),
      render: (_: unknown, { agreement: a }) => <ModeTags modes={(a.granted ?? a.requested).modes} />,
    },
    {
      key: 'items',
      title: t('agreement.items'),
      render: (_: unknown, { agreement: a }) => {
        const r = resources.get(a.resourceCode);
        const titles = (a.granted ?? a.requested).items.map((i) => r?.items.find((x) => x.name === i)?.title ?? i);
        return <TagList values={titles} max={3} />;
      },
    },
    {
      key: 'validity',
      title: t('agreement.validity'),
      width: 200,
      render: (_: unknown, { agreement: a }) => {
        const terms = a.granted ?? a.requested;
        return `${fmtDate(terms.validFrom)} ~ ${fmtDate(terms.validTo)}`;
      },
    },
    {
      key: 'confirmedAt',
      title: t('node.confirmedAt'),
      width: 150,
      render: (_: unknown, e) => fmtDateTime(e.confirmedAt),
    },
  ];
  return (
    <Card size="small" title={t('node.agreements')} data-testid="node-agreements">
      <Table<NodeAgreementEntry>
        rowKey={(e) => e.agreement.id}
        size="small"
        columns={columns}
        dataSource={entries}
        pagination={entries.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
        locale={{ emptyText: <Empty description={t('node.noAgreements')} /> }}
      />
    </Card>
  );
}

// ---- 4. who used our data ---------------------------------------------------------------------------

function DecisionTag({ decision, code }: { decision: AuditDecision; code: string | null }) {
  const { t } = useTranslation();
  if (decision === 'served') {
    return (
      <Tag color="success" data-decision="served">
        {t('node.served')}
      </Tag>
    );
  }
  return (
    <Tooltip title={nodeCodeText(t, code) ?? code ?? undefined}>
      <Tag color="error" data-decision="denied">
        {t('node.denied')}
        {code ? ` · ${code}` : ''}
      </Tag>
    </Tooltip>
  );
}

function RecentRequests({
  client,
  tick,
  resources,
  nameOf,
}: {
  client: NodeApi;
  tick: number;
  resources: Map<string, Resource>;
  nameOf: (code: string) => string;
}) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<RequestFilter>('all');
  const [auto, setAuto] = useState(true);
  const decision = filter === 'all' ? undefined : filter;
  const requests = usePolled(
    () => client.requests({ limit: 50, decision }),
    [filter, client],
    auto ? REQUESTS_EVERY_MS : null,
  );
  const reload = requests.reload;
  // A query just ran (tick changed): show its audit record without waiting for the next poll.
  useEffect(() => {
    if (tick > 0) reload();
  }, [tick, reload]);

  const titleOf = (resource: string, item: string) =>
    resources.get(resource)?.items.find((i) => i.name === item)?.title ?? item;

  const columns: ColumnsType<NodeRequest> = [
    {
      key: 'at',
      title: t('node.time'),
      width: 120,
      render: (_: unknown, r) => (
        <Tooltip title={fmtDateTime(r.at)}>
          <span style={{ whiteSpace: 'nowrap' }}>{dayjs(r.at).format('MM-DD HH:mm:ss')}</span>
        </Tooltip>
      ),
    },
    {
      key: 'decision',
      title: t('node.decision'),
      width: 168,
      render: (_: unknown, r) => <DecisionTag decision={r.decision} code={r.code} />,
    },
    {
      key: 'consumer',
      title: `${t('agreement.consumer')} · ${t('node.officer')}`,
      width: 156,
      render: (_: unknown, r) => (
        <div>
          <Tooltip title={r.consumerCode}>
            <span data-consumer={r.consumerCode}>{nameOf(r.consumerCode)}</span>
          </Tooltip>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-officer={r.officer}>
              {r.officer || '—'}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    {
      key: 'resource',
      title: `${t('agreement.resource')} · ${t('node.mode')}`,
      width: 140,
      render: (_: unknown, r) => (
        <div>
          <Tooltip title={r.resourceCode}>
            <span>{resources.get(r.resourceCode)?.name ?? r.resourceCode}</span>
          </Tooltip>
          <div>{r.mode ? <ModeTags modes={[r.mode]} /> : '—'}</div>
        </div>
      ),
    },
    {
      key: 'items',
      title: t('agreement.items'),
      render: (_: unknown, r) => <TagList values={r.items.map((i) => titleOf(r.resourceCode, i))} max={3} />,
    },
    {
      key: 'purpose',
      title: t('agreement.purpose'),
      width: 140,
      ellipsis: { showTitle: false },
      render: (_: unknown, r) => (
        <Tooltip title={r.purpose}>
          <span>{r.purpose || '—'}</span>
        </Tooltip>
      ),
    },
    {
      key: 'case',
      title: t('node.caseId'),
      width: 150,
      render: (_: unknown, r) =>
        r.caseId ? <Typography.Text style={{ fontSize: 12 }}>{r.caseId}</Typography.Text> : '—',
    },
    {
      key: 'subjects',
      title: <Tooltip title={t('node.subjectsHint')}>{t('node.subjects')}</Tooltip>,
      width: 64,
      align: 'right',
      render: (_: unknown, r) => r.subjectHashes.length,
    },
  ];

  return (
    <Card
      size="small"
      title={
        <Space>
          {t('node.requests')}
          <Typography.Text type="secondary" style={{ fontWeight: 400, fontSize: 12 }}>
            {t('node.requestsHint')}
          </Typography.Text>
        </Space>
      }
      extra={
        <Space>
          <Segmented<RequestFilter>
            size="small"
            value={filter}
            onChange={setFilter}
            options={[
              { value: 'all', label: t('common.all') },
              { value: 'served', label: t('node.served') },
              { value: 'denied', label: t('node.denied') },
            ]}
            data-testid="requests-filter"
          />
          <Tooltip title={t('node.autoRefresh')}>
            <Switch size="small" checked={auto} onChange={setAuto} checkedChildren={<SyncOutlined spin={auto} />} />
          </Tooltip>
        </Space>
      }
      data-testid="node-requests"
    >
      <ErrorAlert error={requests.error ? new Error(nodeErrorMessage(t, requests.error)) : null} onRetry={reload} />
      <Table<NodeRequest>
        rowKey="eventId"
        size="small"
        loading={requests.loading && !requests.data}
        columns={columns}
        dataSource={requests.data?.items ?? []}
        scroll={{ x: 1120 }}
        pagination={{ pageSize: 10, showSizeChanger: false, showTotal: (total) => t('common.total', { total }) }}
        expandable={{
          expandedRowRender: (r) => (
            <Descriptions
              size="small"
              column={{ xs: 1, lg: 2 }}
              items={[
                {
                  key: 'rid',
                  label: t('node.requestId'),
                  children: <Typography.Text copyable>{r.requestId}</Typography.Text>,
                },
                { key: 'aid', label: t('agreement.id'), children: r.agreementId || '—' },
                { key: 'eid', label: t('node.eventId'), children: r.eventId },
                { key: 'provider', label: t('agreement.provider'), children: nameOf(r.providerCode) },
                {
                  key: 'rq',
                  label: t('node.requestDigest'),
                  children: <Typography.Text code>{r.requestDigest || '—'}</Typography.Text>,
                },
                {
                  key: 'rs',
                  label: t('node.responseDigest'),
                  children: <Typography.Text code>{r.responseDigest || '—'}</Typography.Text>,
                },
              ]}
            />
          ),
        }}
        locale={{ emptyText: <Empty description={t('node.noRequests')} /> }}
        data-testid="requests-table"
      />
    </Card>
  );
}

// ---- 5. try it (consumers) --------------------------------------------------------------------------

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

function TryIt({
  client,
  agreements,
  resources,
  nameOf,
  onDone,
}: {
  client: NodeApi;
  agreements: NodeAgreementEntry[];
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
        <Empty description={t('node.noActive')} />
      </Card>
    );
  }

  return (
    <Card
      size="small"
      title={
        <Space>
          {t('node.tryIt')}
          <Typography.Text type="secondary" style={{ fontWeight: 400, fontSize: 12 }}>
            {t('node.tryHint')}
          </Typography.Text>
        </Space>
      }
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
                  label: `${resources.get(a.resourceCode)?.name ?? a.resourceCode}（${a.resourceCode}）· ${nameOf(a.providerCode)}`,
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

function TryResult({
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
      <Typography.Text type="secondary">{t('node.requestId')}：</Typography.Text>
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
