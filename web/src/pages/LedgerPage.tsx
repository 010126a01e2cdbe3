// 审计账本: the hub's append-only audit log as anyone can check it. The latest checkpoint, its log signature
// and the provider departments' cosignatures verified in the browser (WebCrypto Ed25519, against the log's
// vkey and the witness policy), each witness's state, the entries with filters (the hub's index: all for
// the auditor, a department's own otherwise), for any entry an inclusion proof the browser recomputes
// itself (RFC 6962 / RFC 9162), and for the auditor the accesses withheld from their subjects for now.
import {
  CheckCircleFilled,
  CloseCircleFilled,
  EyeInvisibleOutlined,
  ReloadOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Drawer,
  Input,
  Row,
  Select,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type LedgerEntry, type LedgerWitnessStatus, ledgerApi } from '../api/client';
import { type IndexedEntry, type LedgerEntryKind, ledgerSearchApi, ledgerVkey } from '../api/ledger';
import { useMe } from '../auth/AuthContext';
import { ErrorAlert } from '../components/ErrorAlert';
import { fmtDate, fmtDateTime } from '../components/format';
import { useLoad } from '../components/useLoad';
import { useMembers } from '../components/useMembers';
import { type Checkpoint, type InclusionResult, parseCheckpoint, verifyEntryInclusion } from '../ledger/merkle';
import { ed25519Supported, type NoteCheck, parseVkey, verifyNote, type WebVkey } from '../ledger/note';

/** Entries per page of the entry search. */
const NEWEST = 20;
const KINDS: LedgerEntryKind[] = ['access', 'agreement', 'member', 'resource'];
const TYPE_COLORS: Record<string, string> = {
  access: 'blue',
  agreement: 'purple',
  member: 'cyan',
  resource: 'gold',
  disclosure: 'magenta',
};

// ---- the witness policy (c2sp.org/tlog-policy) ---------------------------------------------------------

interface Policy {
  /** Witness short name (member code) → the key name its cosignatures carry, and its vkey. */
  witnesses: { name: string; keyName: string; vkey: string }[];
  groups: Map<string, { k: number; members: string[] }>;
  quorum: string | null;
}

function parsePolicy(text: string): Policy {
  const policy: Policy = { witnesses: [], groups: new Map(), quorum: null };
  for (const raw of text.split('\n')) {
    const words = raw.trim().split(/\s+/);
    const [kind, name] = words;
    if (kind === 'witness' && name) {
      policy.witnesses.push({ name, keyName: (words[2] ?? '').split('+')[0] ?? '', vkey: words[2] ?? '' });
    } else if (kind === 'group' && name) {
      const members = words.slice(3);
      const k = words[2] === 'all' ? members.length : words[2] === 'any' ? 1 : Number(words[2]);
      policy.groups.set(name, { k: Number.isFinite(k) ? k : members.length, members });
    } else if (kind === 'quorum' && name) {
      policy.quorum = name === 'none' ? null : name;
    }
  }
  return policy;
}

/** Whether `name` (a witness or a group) is satisfied by the witnesses that cosigned. */
function satisfied(policy: Policy, name: string, cosigned: Set<string>, depth = 0): boolean {
  if (depth > 16) return false;
  const group = policy.groups.get(name);
  if (!group) return cosigned.has(name);
  return group.members.filter((m) => satisfied(policy, m, cosigned, depth + 1)).length >= group.k;
}

// ---- entries ----------------------------------------------------------------------------------------

interface EntryRow {
  index: number;
  entry: LedgerEntry;
  event: Record<string, unknown>;
  type: string;
  action: string;
  /** When the event happened (a node's decision, a transition). */
  at: string | null;
  /** When the log sequenced it (the log's own, monotone time). */
  loggedAt: string | null;
  departments: string[];
  subject: string | null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function toRow(entry: LedgerEntry): EntryRow {
  let event: Record<string, unknown> = {};
  if (entry.encoding === 'utf-8') {
    try {
      const parsed: unknown = JSON.parse(entry.data);
      if (parsed && typeof parsed === 'object') event = parsed as Record<string, unknown>;
    } catch {
      // not JSON: shown raw
    }
  }
  // An access entry carries the node's record (decided by its node, sealed by it); hub events are flat.
  const record =
    event.type === 'access' && event.record && typeof event.record === 'object'
      ? (event.record as Record<string, unknown>)
      : undefined;
  const fields = record ? { ...record, providerCode: record.node, action: record.decision } : event;
  const departments = [
    ...new Set(
      [fields.providerCode, fields.consumerCode, fields.memberCode, fields.actor]
        .map(str)
        .filter((code): code is string => code !== null && code !== 'system'),
    ),
  ];
  return {
    index: entry.index,
    entry,
    event,
    type: str(event.type) ?? '—',
    action: str(fields.action) ?? '—',
    at: str(fields.at),
    loggedAt: str(event.loggedAt),
    departments,
    subject: str(fields.resourceCode) ?? str(fields.agreementId) ?? str(fields.memberCode),
  };
}

function actionLabel(t: TFunction, type: string, action: string): string {
  if (type === 'agreement') return t(`action.${action}`, { defaultValue: action });
  return t(`ledger.actions.${action}`, { defaultValue: action });
}

interface EntryFilters {
  kind: LedgerEntryKind | null;
  member: string | null;
  requestId: string;
  period: [Dayjs | null, Dayjs | null] | null;
  page: number;
}

const noFilters: EntryFilters = { kind: null, member: null, requestId: '', period: null, page: 1 };

/** The entries the checkpoint proves, newest index first, from the hub's index (scoped by the hub). */
function searchEntries(size: number, f: EntryFilters) {
  return ledgerSearchApi.entries({
    order: 'index',
    before: size,
    kind: f.kind ?? undefined,
    member: f.member ?? undefined,
    requestId: f.requestId.trim() || undefined,
    from: f.period?.[0]?.format('YYYY-MM-DD'),
    to: f.period?.[1]?.format('YYYY-MM-DD'),
    page: f.page,
    pageSize: NEWEST,
  });
}

function departmentsOf(e: IndexedEntry): string[] {
  return [
    ...new Set([e.provider, e.consumer, e.actor].filter((code): code is string => code !== null && code !== 'system')),
  ];
}

// ---- the checkpoint's signatures, checked in the browser ------------------------------------------------

interface SignatureState {
  supported: boolean;
  check: NoteCheck | null;
  error: string | null;
}

async function checkSignatures(note: string, policy: Policy): Promise<SignatureState> {
  if (!(await ed25519Supported())) return { supported: false, check: null, error: null };
  try {
    const keys: WebVkey[] = [await parseVkey(await ledgerVkey())];
    for (const w of policy.witnesses) {
      // A malformed witness key is not trusted: its cosignature stays unchecked.
      const key = await parseVkey(w.vkey).catch(() => null);
      if (key) keys.push(key);
    }
    return { supported: true, check: await verifyNote(note, keys), error: null };
  } catch (e) {
    return { supported: true, check: null, error: e instanceof Error ? e.message : String(e) };
  }
}

// ---- the page ---------------------------------------------------------------------------------------

export default function LedgerPage() {
  const { t } = useTranslation();
  const me = useMe();
  const overseer = me.memberRole === 'auditor' || me.memberRole === 'operator';
  const members = useMembers();
  const [tick, setTick] = useState(0);
  const state = useLoad(async () => {
    const [note, policyText, witnesses] = await Promise.all([
      ledgerApi.checkpoint(),
      ledgerApi.policy().catch(() => ''),
      ledgerApi.witnesses(),
    ]);
    const checkpoint = parseCheckpoint(note);
    const policy = parsePolicy(policyText);
    return { checkpoint, policy, witnesses: witnesses.items, signatures: await checkSignatures(note, policy) };
  }, [tick]);
  const size = state.data?.checkpoint.size ?? null;
  const [filters, setFilters] = useState<EntryFilters>(noFilters);
  const entries = useLoad(
    () => (size === null ? Promise.resolve(null) : searchEntries(size, filters)),
    [
      size,
      tick,
      filters.kind,
      filters.member,
      filters.requestId,
      filters.period?.map((d) => d?.format('YYYY-MM-DD')),
      filters.page,
    ],
  );
  const [open, setOpen] = useState<EntryRow | null>(null);
  const [opening, setOpening] = useState<number | null>(null);
  const [openError, setOpenError] = useState<unknown>(null);

  async function openEntry(index: number) {
    setOpening(index);
    setOpenError(null);
    try {
      setOpen(toRow(await ledgerApi.entry(index)));
    } catch (e) {
      setOpenError(e);
    } finally {
      setOpening(null);
    }
  }

  return (
    <div data-testid="ledger-page">
      <Typography.Title level={3} className="page-title">
        {t('ledger.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('ledger.intro')}</Typography.Paragraph>
      <ErrorAlert error={state.error} onRetry={() => setTick((n) => n + 1)} />
      {state.loading && !state.data ? (
        <Spin size="large" style={{ display: 'block', margin: '120px auto' }} />
      ) : state.data ? (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <CheckpointCard
            checkpoint={state.data.checkpoint}
            policy={state.data.policy}
            signatures={state.data.signatures}
            nameOf={members.nameOf}
            onReload={() => setTick((n) => n + 1)}
          />
          <WitnessTable
            checkpoint={state.data.checkpoint}
            policy={state.data.policy}
            statuses={state.data.witnesses}
            nameOf={members.nameOf}
          />
          <ErrorAlert error={entries.error ?? openError} onRetry={entries.reload} />
          <EntriesTable
            result={entries.data}
            loading={entries.loading || opening !== null}
            filters={filters}
            onFilters={setFilters}
            members={members.list.map((m) => m.code)}
            overseer={overseer}
            nameOf={members.nameOf}
            onOpen={(index) => void openEntry(index)}
          />
          {overseer && <WithheldCard key={tick} nameOf={members.nameOf} />}
        </Space>
      ) : null}
      <EntryDrawer row={open} checkpoint={state.data?.checkpoint ?? null} onClose={() => setOpen(null)} />
    </div>
  );
}

// ---- 1. the checkpoint ------------------------------------------------------------------------------

function cosignersOf(checkpoint: Checkpoint, policy: Policy): string[] {
  const byKey = new Map(policy.witnesses.map((w) => [w.keyName, w.name]));
  const names = checkpoint.signatures
    .map((s) => byKey.get(s.name))
    .filter((name): name is string => name !== undefined);
  return [...new Set(names)].sort();
}

function CheckpointCard({
  checkpoint,
  policy,
  signatures,
  nameOf,
  onReload,
}: {
  checkpoint: Checkpoint;
  policy: Policy;
  signatures: SignatureState;
  nameOf: (code: string) => string;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const cosigners = cosignersOf(checkpoint, policy);
  const checkedBy = new Map((signatures.check?.checks ?? []).map((c) => [c.name, c]));
  const keyNameOf = new Map(policy.witnesses.map((w) => [w.name, w.keyName]));
  const logCheck = signatures.check?.checks.find((c) => c.kind === 'log');
  const cosignatureChecks = (signatures.check?.checks ?? []).filter((c) => c.kind === 'cosignature');
  const cosigned = new Set(cosigners);
  const quorumGroup = policy.quorum ? policy.groups.get(policy.quorum) : undefined;
  const final = policy.quorum !== null && satisfied(policy, policy.quorum, cosigned);
  const k = quorumGroup?.k ?? (policy.quorum ? 1 : 0);
  const n = quorumGroup?.members.length ?? policy.witnesses.length;
  const count = quorumGroup
    ? quorumGroup.members.filter((m) => satisfied(policy, m, cosigned)).length
    : cosigners.length;

  return (
    <Card
      size="small"
      title={
        <Space>
          <SafetyCertificateOutlined style={{ color: final ? '#52c41a' : '#fa8c16' }} />
          {t('ledger.checkpoint')}
          <Typography.Text type="secondary" style={{ fontWeight: 400 }}>
            {checkpoint.origin}
          </Typography.Text>
        </Space>
      }
      extra={
        <Button size="small" icon={<ReloadOutlined />} onClick={onReload}>
          {t('common.refresh')}
        </Button>
      }
      data-testid="ledger-checkpoint"
    >
      <Row gutter={[24, 16]} align="middle">
        <Col xs={24} md={6}>
          <Statistic title={t('ledger.size')} value={checkpoint.size} data-testid="checkpoint-size" />
        </Col>
        <Col xs={24} md={18}>
          <Descriptions
            column={1}
            size="small"
            items={[
              {
                key: 'root',
                label: t('ledger.root'),
                children: (
                  <Typography.Text code copyable data-testid="checkpoint-root">
                    {checkpoint.root}
                  </Typography.Text>
                ),
              },
              {
                key: 'quorum',
                label: t('ledger.quorum'),
                children: (
                  <Space size={8} wrap>
                    {policy.quorum === null ? (
                      <Tag data-testid="quorum-tag" data-final="false">
                        {t('ledger.noQuorum')}
                      </Tag>
                    ) : (
                      <>
                        <Typography.Text>{t('ledger.quorumValue', { count, k, n })}</Typography.Text>
                        <Tag
                          color={final ? 'success' : 'warning'}
                          icon={final ? <CheckCircleFilled /> : undefined}
                          data-testid="quorum-tag"
                          data-final={String(final)}
                        >
                          {final ? t('ledger.final') : t('ledger.notFinal')}
                        </Tag>
                      </>
                    )}
                  </Space>
                ),
              },
              {
                key: 'cosigned',
                label: t('ledger.cosigned'),
                children:
                  cosigners.length === 0 ? (
                    '—'
                  ) : (
                    <Space size={[4, 4]} wrap data-testid="checkpoint-cosigners">
                      {cosigners.map((code) => {
                        const check = checkedBy.get(keyNameOf.get(code) ?? '');
                        return (
                          <Tooltip key={code} title={code}>
                            <Tag
                              color={check ? (check.ok ? 'green' : 'red') : 'default'}
                              icon={check ? check.ok ? <CheckCircleFilled /> : <CloseCircleFilled /> : undefined}
                              style={{ marginInlineEnd: 0 }}
                              data-verified={check ? String(check.ok) : 'unchecked'}
                            >
                              {nameOf(code)}
                            </Tag>
                          </Tooltip>
                        );
                      })}
                    </Space>
                  ),
              },
              {
                key: 'signatures',
                label: t('usage.explorer.signatures'),
                children: !signatures.supported ? (
                  <Tag data-testid="checkpoint-signatures" data-ok="unsupported">
                    {t('usage.explorer.sigUnsupported')}
                  </Tag>
                ) : signatures.check?.ok ? (
                  <Tag color="success" icon={<CheckCircleFilled />} data-testid="checkpoint-signatures" data-ok="true">
                    {t('usage.explorer.signaturesOk', { count: cosignatureChecks.length })}
                  </Tag>
                ) : (
                  <Tooltip
                    title={
                      signatures.error ??
                      (logCheck
                        ? signatures.check?.checks.find((c) => !c.ok)?.detail
                        : t('usage.explorer.sigNotChecked'))
                    }
                  >
                    <Tag color="error" icon={<CloseCircleFilled />} data-testid="checkpoint-signatures" data-ok="false">
                      {t('usage.explorer.signaturesBad')}
                    </Tag>
                  </Tooltip>
                ),
              },
            ]}
          />
        </Col>
      </Row>
    </Card>
  );
}

// ---- 2. witnesses -----------------------------------------------------------------------------------

function WitnessTable({
  checkpoint,
  policy,
  statuses,
  nameOf,
}: {
  checkpoint: Checkpoint;
  policy: Policy;
  statuses: LedgerWitnessStatus[];
  nameOf: (code: string) => string;
}) {
  const { t } = useTranslation();
  const rows = useMemo(() => {
    const byName = new Map(statuses.map((s) => [s.name, s]));
    const names = [...new Set([...policy.witnesses.map((w) => w.name), ...statuses.map((s) => s.name)])];
    return names.map(
      (name): LedgerWitnessStatus =>
        byName.get(name) ?? { name, cosignedSize: 0, lastStatus: null, lastError: null, refusals: 0 },
    );
  }, [policy, statuses]);

  const columns: ColumnsType<LedgerWitnessStatus> = [
    {
      key: 'department',
      title: t('ledger.department'),
      render: (_, w) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text>{nameOf(w.name)}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {w.name}
          </Typography.Text>
        </Space>
      ),
    },
    { key: 'size', title: t('ledger.cosignedSize'), dataIndex: 'cosignedSize', align: 'right' },
    {
      key: 'lag',
      title: t('ledger.lag'),
      align: 'right',
      render: (_, w) => {
        const lag = Math.max(0, checkpoint.size - w.cosignedSize);
        return lag === 0 ? (
          <Tag color="success" style={{ marginInlineEnd: 0 }}>
            {t('ledger.upToDate')}
          </Tag>
        ) : (
          <Typography.Text type="warning" data-testid="witness-lag">
            {lag}
          </Typography.Text>
        );
      },
    },
    {
      key: 'status',
      title: t('ledger.lastStatus'),
      render: (_, w) =>
        w.lastStatus === null ? (
          <Typography.Text type="secondary">{t('ledger.neverAsked')}</Typography.Text>
        ) : (
          <Tooltip title={w.lastError ?? undefined}>
            <Tag color={w.lastStatus === 200 ? 'success' : 'error'}>
              {w.lastStatus === 0 ? '—' : w.lastStatus}
              {w.lastError ? ` · ${w.lastError.slice(0, 40)}` : ''}
            </Tag>
          </Tooltip>
        ),
    },
    {
      key: 'refusals',
      title: t('ledger.refusals'),
      dataIndex: 'refusals',
      align: 'right',
      render: (n: number) => (n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : n),
    },
  ];

  return (
    <Card size="small" title={t('ledger.witnesses')}>
      <Table
        size="small"
        rowKey="name"
        pagination={false}
        columns={columns}
        dataSource={rows}
        scroll={{ x: 'max-content' }}
        data-testid="witnesses-table"
      />
    </Card>
  );
}

// ---- 3. entries -------------------------------------------------------------------------------------

function EntriesTable({
  result,
  loading,
  filters,
  onFilters,
  members,
  overseer,
  nameOf,
  onOpen,
}: {
  result: { items: IndexedEntry[]; total: number; page: number; pageSize: number } | null;
  loading: boolean;
  filters: EntryFilters;
  onFilters: (f: EntryFilters) => void;
  members: string[];
  overseer: boolean;
  nameOf: (code: string) => string;
  onOpen: (index: number) => void;
}) {
  const { t } = useTranslation();
  const [requestId, setRequestId] = useState(filters.requestId);
  const set = (change: Partial<EntryFilters>) => onFilters({ ...filters, page: 1, ...change });

  const columns: ColumnsType<IndexedEntry> = [
    { key: 'index', title: t('ledger.index'), dataIndex: 'index', width: 80 },
    { key: 'time', title: t('ledger.time'), render: (_, r) => fmtDateTime(r.logtime), width: 150 },
    {
      key: 'eventTime',
      title: t('ledger.eventTime'),
      render: (_, r) => (r.eventTime ? fmtDateTime(r.eventTime) : '—'),
      width: 150,
    },
    {
      key: 'type',
      title: t('ledger.type'),
      render: (_, r) => <Tag color={TYPE_COLORS[r.kind]}>{t(`ledger.types.${r.kind}`, { defaultValue: r.kind })}</Tag>,
    },
    {
      key: 'action',
      title: t('ledger.action'),
      render: (_, r) => (
        <Space size={4}>
          <Typography.Text type={r.action === 'denied' ? 'danger' : undefined}>
            {actionLabel(t, r.kind, r.action ?? '—')}
          </Typography.Text>
          {r.code && <Typography.Text code>{r.code}</Typography.Text>}
          {r.covertUntil && (
            <Tooltip title={`${t('usage.explorer.until')} ${r.covertUntil}`}>
              <EyeInvisibleOutlined />
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      key: 'departments',
      title: t('ledger.departments'),
      render: (_, r) => {
        const codes = departmentsOf(r);
        return codes.length === 0 ? (
          '—'
        ) : (
          <Space size={[4, 4]} wrap>
            {codes.map((code) => (
              <Tag key={code} style={{ marginInlineEnd: 0 }}>
                {nameOf(code)}
              </Tag>
            ))}
          </Space>
        );
      },
    },
    {
      key: 'subject',
      title: t('ledger.subject'),
      render: (_, r) => {
        const subject = r.resource ?? r.agreementId;
        return subject ? (
          <Space orientation="vertical" size={0}>
            <Typography.Text code>{subject}</Typography.Text>
            {subject !== r.agreementId && r.agreementId && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {r.agreementId}
              </Typography.Text>
            )}
          </Space>
        ) : (
          '—'
        );
      },
    },
    {
      key: 'purpose',
      title: t('usage.explorer.purpose'),
      render: (_, r) =>
        r.purpose ? (
          <Typography.Text ellipsis={{ tooltip: r.purpose }} style={{ maxWidth: 220 }}>
            {r.purpose}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <Card
      size="small"
      title={
        <Space>
          {t('ledger.entries')}
          <Typography.Text type="secondary" style={{ fontWeight: 400 }} data-testid="entries-scope">
            {overseer ? t('usage.explorer.scopeAll') : t('usage.explorer.scopeOwn')}
          </Typography.Text>
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('ledger.allTypes')}
          value={filters.kind}
          onChange={(v) => set({ kind: v ?? null })}
          options={KINDS.map((kind) => ({ value: kind, label: t(`ledger.types.${kind}`, { defaultValue: kind }) }))}
          data-testid="entries-type"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          style={{ width: 220 }}
          placeholder={t('ledger.allDepartments')}
          value={filters.member}
          onChange={(v) => set({ member: v ?? null })}
          options={members.map((code) => ({ value: code, label: nameOf(code) }))}
          data-testid="entries-department"
        />
        <Input.Search
          allowClear
          style={{ width: 280 }}
          placeholder={t('usage.explorer.requestId')}
          value={requestId}
          onChange={(e) => setRequestId(e.target.value)}
          onSearch={(value) => set({ requestId: value })}
          data-testid="entries-request"
        />
        <DatePicker.RangePicker
          value={filters.period}
          onChange={(value) => set({ period: value })}
          allowEmpty={[true, true]}
          data-testid="entries-period"
        />
      </Space>
      <Table
        size="small"
        rowKey="index"
        loading={loading}
        columns={columns}
        dataSource={result?.items ?? []}
        pagination={{
          current: filters.page,
          pageSize: NEWEST,
          total: result?.total ?? 0,
          hideOnSinglePage: true,
          showSizeChanger: false,
          onChange: (page) => onFilters({ ...filters, page }),
        }}
        scroll={{ x: 'max-content' }}
        onRow={(r) => ({ onClick: () => onOpen(r.index), style: { cursor: 'pointer' } })}
        data-testid="entries-table"
      />
    </Card>
  );
}

// ---- 3b. accesses withheld from their subjects (auditor) ----------------------------------------------

function WithheldCard({ nameOf }: { nameOf: (code: string) => string }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const withheld = useLoad(() => ledgerSearchApi.withheld({ page, pageSize: 10 }), [page]);
  const data = withheld.data;
  const columns: ColumnsType<IndexedEntry> = [
    { key: 'index', title: t('ledger.index'), dataIndex: 'index', width: 80 },
    { key: 'time', title: t('ledger.time'), render: (_, r) => fmtDateTime(r.logtime), width: 150 },
    { key: 'consumer', title: t('usage.explorer.consumer'), render: (_, r) => nameOf(r.consumer ?? '') },
    {
      key: 'provider',
      title: t('usage.explorer.provider'),
      render: (_, r) => `${nameOf(r.provider ?? '')} · ${r.resourceName ?? r.resource ?? ''}`,
    },
    { key: 'subjects', title: t('ledger.subject'), dataIndex: 'subjects', align: 'right' },
    { key: 'until', title: t('usage.explorer.until'), render: (_, r) => fmtDate(r.covertUntil) },
  ];
  return (
    <Card
      size="small"
      title={
        <Space>
          <EyeInvisibleOutlined />
          {t('usage.explorer.withheld')}
        </Space>
      }
      data-testid="withheld-card"
    >
      <Typography.Paragraph type="secondary">{t('usage.explorer.withheldIntro')}</Typography.Paragraph>
      <ErrorAlert error={withheld.error} onRetry={withheld.reload} />
      {data && (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Space wrap>
            <Typography.Text strong data-testid="withheld-total" data-total={data.total}>
              {data.total === 0
                ? t('usage.explorer.withheldNone')
                : t('usage.explorer.withheldCount', { total: data.total, asOf: data.asOf })}
            </Typography.Text>
            {data.byConsumer.map((c) => (
              <Tag key={c.consumer} color="purple">
                {c.consumerName} · {c.count} · {t('usage.explorer.until')} ≤ {c.until}
              </Tag>
            ))}
            <Typography.Text type="secondary">
              {t('usage.explorer.allowListed')}: {data.allowListed.map(nameOf).join('、') || '—'}
            </Typography.Text>
          </Space>
          {data.total > 0 && (
            <Table
              size="small"
              rowKey="index"
              columns={columns}
              dataSource={data.items}
              pagination={{
                current: page,
                pageSize: 10,
                total: data.total,
                hideOnSinglePage: true,
                showSizeChanger: false,
                onChange: setPage,
              }}
              scroll={{ x: 'max-content' }}
              data-testid="withheld-table"
            />
          )}
        </Space>
      )}
    </Card>
  );
}

// ---- 4. one entry and its inclusion proof -------------------------------------------------------------

function EntryDrawer({
  row,
  checkpoint,
  onClose,
}: {
  row: EntryRow | null;
  checkpoint: Checkpoint | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [result, setResult] = useState<{ index: number; value: InclusionResult } | null>(null);
  const [busy, setBusy] = useState(false);
  const current = row && result?.index === row.index ? result.value : null;

  async function verify(r: EntryRow) {
    setBusy(true);
    try {
      // Against the page's (cosigned) checkpoint when the proof is for that tree; else the note it came with.
      const against =
        checkpoint && checkpoint.size === r.entry.treeSize ? checkpoint : parseCheckpoint(r.entry.checkpoint);
      setResult({ index: r.index, value: await verifyEntryInclusion(r.entry, against) });
    } catch (e) {
      setResult({
        index: r.index,
        value: { ok: false, reason: 'bad_proof', detail: e instanceof Error ? e.message : String(e) },
      });
    } finally {
      setBusy(false);
    }
  }

  const json =
    row && row.entry.encoding === 'utf-8' && Object.keys(row.event).length > 0
      ? JSON.stringify(row.event, null, 2)
      : (row?.entry.data ?? '');

  return (
    <Drawer
      open={!!row}
      onClose={onClose}
      size={720}
      title={row ? t('ledger.entry', { index: row.index }) : ''}
      data-testid="entry-drawer"
    >
      {row && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="entry-detail">
          <Space size={8} wrap>
            <Tag color={TYPE_COLORS[row.type]}>{t(`ledger.types.${row.type}`, { defaultValue: row.type })}</Tag>
            <Typography.Text strong>{actionLabel(t, row.type, row.action)}</Typography.Text>
            <Typography.Text type="secondary">
              {t('ledger.eventTime')} {fmtDateTime(row.at)} · {t('ledger.time')} {fmtDateTime(row.loggedAt)}
            </Typography.Text>
          </Space>
          <pre className="ledger-json" style={jsonStyle} data-testid="entry-json">
            {json}
          </pre>
          <Descriptions
            column={1}
            size="small"
            bordered
            items={[
              {
                key: 'leaf',
                label: t('ledger.leafHash'),
                children: <Typography.Text code>{row.entry.leafHash}</Typography.Text>,
              },
              { key: 'size', label: t('ledger.treeSize'), children: row.entry.treeSize },
              { key: 'proof', label: t('ledger.proofLength'), children: row.entry.inclusionProof.length },
            ]}
          />
          <Button
            type="primary"
            icon={<SafetyCertificateOutlined />}
            loading={busy}
            onClick={() => void verify(row)}
            data-testid="verify-inclusion"
          >
            {busy ? t('ledger.verifying') : t('ledger.verify')}
          </Button>
          {current &&
            (current.ok ? (
              <Alert
                type="success"
                showIcon
                icon={<CheckCircleFilled />}
                title={t('ledger.verified')}
                description={
                  <Space orientation="vertical" size={4}>
                    <span>{t('ledger.verifiedDetail')}</span>
                    <span>
                      {t('ledger.computedRoot')}：<Typography.Text code>{current.root}</Typography.Text>
                    </span>
                  </Space>
                }
                data-testid="verify-result"
                data-ok="true"
              />
            ) : (
              <Alert
                type="error"
                showIcon
                icon={<CloseCircleFilled />}
                title={`${t('ledger.failed')}：${t(`ledger.reasons.${current.reason}`)}`}
                description={<Typography.Text code>{current.detail}</Typography.Text>}
                data-testid="verify-result"
                data-ok="false"
              />
            ))}
        </Space>
      )}
    </Drawer>
  );
}

const jsonStyle = {
  background: '#f6f8fa',
  border: '1px solid #eaecef',
  borderRadius: 6,
  padding: 12,
  margin: 0,
  fontSize: 12,
  maxHeight: 360,
  overflow: 'auto',
  whiteSpace: 'pre-wrap' as const,
  wordBreak: 'break-all' as const,
};
