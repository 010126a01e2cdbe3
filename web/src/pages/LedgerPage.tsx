// 审计账本: the hub's append-only audit log as anyone can check it. The latest checkpoint and which provider
// departments cosigned it (against the published quorum), each witness's state, the newest entries, and
// for any entry an inclusion proof the browser recomputes itself with WebCrypto (RFC 6962 / RFC 9162).
import { CheckCircleFilled, CloseCircleFilled, ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
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
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type LedgerEntry, type LedgerWitnessStatus, ledgerApi } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { fmtDateTime } from '../components/format';
import { useLoad } from '../components/useLoad';
import { useMembers } from '../components/useMembers';
import { type Checkpoint, type InclusionResult, parseCheckpoint, verifyEntryInclusion } from '../ledger/merkle';

/** How many of the newest entries the page loads. */
const NEWEST = 50;
const TYPE_COLORS: Record<string, string> = { access: 'blue', agreement: 'purple', member: 'cyan', resource: 'gold' };

// ---- the witness policy (c2sp.org/tlog-policy) ---------------------------------------------------------

interface Policy {
  /** Witness short name (member code) → the key name its cosignatures carry. */
  witnesses: { name: string; keyName: string }[];
  groups: Map<string, { k: number; members: string[] }>;
  quorum: string | null;
}

function parsePolicy(text: string): Policy {
  const policy: Policy = { witnesses: [], groups: new Map(), quorum: null };
  for (const raw of text.split('\n')) {
    const words = raw.trim().split(/\s+/);
    const [kind, name] = words;
    if (kind === 'witness' && name) {
      policy.witnesses.push({ name, keyName: (words[2] ?? '').split('+')[0] ?? '' });
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
  at: string | null;
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
  const departments = [
    ...new Set(
      [event.providerCode, event.consumerCode, event.memberCode, event.actor]
        .map(str)
        .filter((code): code is string => code !== null && code !== 'system'),
    ),
  ];
  return {
    index: entry.index,
    entry,
    event,
    type: str(event.type) ?? '—',
    action: str(event.action) ?? '—',
    at: str(event.at),
    departments,
    subject: str(event.resourceCode) ?? str(event.agreementId) ?? str(event.memberCode),
  };
}

function actionLabel(t: TFunction, type: string, action: string): string {
  if (type === 'agreement') return t(`action.${action}`, { defaultValue: action });
  return t(`ledger.actions.${action}`, { defaultValue: action });
}

async function loadNewest(size: number): Promise<EntryRow[]> {
  const indexes = Array.from({ length: Math.min(NEWEST, size) }, (_, i) => size - 1 - i);
  const entries = await Promise.all(indexes.map((i) => ledgerApi.entry(i)));
  return entries.map(toRow);
}

// ---- the page ---------------------------------------------------------------------------------------

export default function LedgerPage() {
  const { t } = useTranslation();
  const members = useMembers();
  const [tick, setTick] = useState(0);
  const state = useLoad(async () => {
    const [note, policyText, witnesses] = await Promise.all([
      ledgerApi.checkpoint(),
      ledgerApi.policy().catch(() => ''),
      ledgerApi.witnesses(),
    ]);
    const checkpoint = parseCheckpoint(note);
    return { checkpoint, policy: parsePolicy(policyText), witnesses: witnesses.items };
  }, [tick]);
  const size = state.data?.checkpoint.size ?? null;
  const entries = useLoad(() => (size === null ? Promise.resolve([]) : loadNewest(size)), [size, tick]);
  const [open, setOpen] = useState<EntryRow | null>(null);

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
            nameOf={members.nameOf}
            onReload={() => setTick((n) => n + 1)}
          />
          <WitnessTable
            checkpoint={state.data.checkpoint}
            policy={state.data.policy}
            statuses={state.data.witnesses}
            nameOf={members.nameOf}
          />
          <ErrorAlert error={entries.error} onRetry={entries.reload} />
          <EntriesTable rows={entries.data ?? []} loading={entries.loading} nameOf={members.nameOf} onOpen={setOpen} />
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
  nameOf,
  onReload,
}: {
  checkpoint: Checkpoint;
  policy: Policy;
  nameOf: (code: string) => string;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const cosigners = cosignersOf(checkpoint, policy);
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
                      {cosigners.map((code) => (
                        <Tooltip key={code} title={code}>
                          <Tag color="green" style={{ marginInlineEnd: 0 }}>
                            {nameOf(code)}
                          </Tag>
                        </Tooltip>
                      ))}
                    </Space>
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
  rows,
  loading,
  nameOf,
  onOpen,
}: {
  rows: EntryRow[];
  loading: boolean;
  nameOf: (code: string) => string;
  onOpen: (row: EntryRow) => void;
}) {
  const { t } = useTranslation();
  const [type, setType] = useState<string | null>(null);
  const [department, setDepartment] = useState<string | null>(null);
  const types = useMemo(() => [...new Set(rows.map((r) => r.type))].sort(), [rows]);
  const departments = useMemo(() => [...new Set(rows.flatMap((r) => r.departments))].sort(), [rows]);
  const shown = rows.filter(
    (r) => (type === null || r.type === type) && (department === null || r.departments.includes(department)),
  );

  const columns: ColumnsType<EntryRow> = [
    { key: 'index', title: t('ledger.index'), dataIndex: 'index', width: 80 },
    { key: 'time', title: t('ledger.time'), render: (_, r) => fmtDateTime(r.at), width: 150 },
    {
      key: 'type',
      title: t('ledger.type'),
      render: (_, r) => <Tag color={TYPE_COLORS[r.type]}>{t(`ledger.types.${r.type}`, { defaultValue: r.type })}</Tag>,
    },
    {
      key: 'action',
      title: t('ledger.action'),
      render: (_, r) => (
        <Typography.Text type={r.action === 'denied' ? 'danger' : undefined}>
          {actionLabel(t, r.type, r.action)}
        </Typography.Text>
      ),
    },
    {
      key: 'departments',
      title: t('ledger.departments'),
      render: (_, r) =>
        r.departments.length === 0 ? (
          '—'
        ) : (
          <Space size={[4, 4]} wrap>
            {r.departments.map((code) => (
              <Tag key={code} style={{ marginInlineEnd: 0 }}>
                {nameOf(code)}
              </Tag>
            ))}
          </Space>
        ),
    },
    {
      key: 'subject',
      title: t('ledger.subject'),
      render: (_, r) =>
        r.subject ? (
          <Space orientation="vertical" size={0}>
            <Typography.Text code>{r.subject}</Typography.Text>
            {r.subject !== r.event.agreementId && typeof r.event.agreementId === 'string' && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {r.event.agreementId}
              </Typography.Text>
            )}
          </Space>
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
          <Typography.Text type="secondary" style={{ fontWeight: 400 }}>
            {t('ledger.entriesHint', { count: NEWEST })}
          </Typography.Text>
        </Space>
      }
      extra={
        <Space wrap>
          <Select
            allowClear
            style={{ width: 140 }}
            placeholder={t('ledger.allTypes')}
            value={type}
            onChange={(v) => setType(v ?? null)}
            options={types.map((ty) => ({ value: ty, label: t(`ledger.types.${ty}`, { defaultValue: ty }) }))}
            data-testid="entries-type"
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 220 }}
            placeholder={t('ledger.allDepartments')}
            value={department}
            onChange={(v) => setDepartment(v ?? null)}
            options={departments.map((code) => ({ value: code, label: nameOf(code) }))}
            data-testid="entries-department"
          />
        </Space>
      }
    >
      <Table
        size="small"
        rowKey="index"
        loading={loading}
        columns={columns}
        dataSource={shown}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 'max-content' }}
        onRow={(r) => ({ onClick: () => onOpen(r), style: { cursor: 'pointer' } })}
        data-testid="entries-table"
      />
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
            <Typography.Text type="secondary">{fmtDateTime(row.at)}</Typography.Text>
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
