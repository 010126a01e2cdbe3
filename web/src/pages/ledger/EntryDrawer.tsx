// Panel 4: one entry and its inclusion proof, recomputed in the browser.
import { CheckCircleFilled, CloseCircleFilled, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Collapse, Descriptions, Drawer, Space, Tag, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { fmtDateTime } from '../../components/format';
import { Subtitled } from '../../components/Subtitled';
import { useLoad } from '../../components/useLoad';
import { type Checkpoint, type InclusionResult, parseCheckpoint, verifyEntryInclusion } from '../../ledger/merkle';
import { nodeCodeText } from '../node/shared';
import { type EntryRow, TYPE_COLORS, actionLabel } from './entries';
import { colon } from '../../i18n/punctuation';

/** A resource by its catalogue name, its code underneath (the code alone while the name loads). */
function ResourceName({ code }: { code: string }) {
  const resource = useLoad(() => api.resource(code), [code]);
  return resource.data ? <Subtitled note={code}>{resource.data.name}</Subtitled> : code;
}

/** The entry as an auditor reads it: who, which data, how, the outcome, for how many people, when. */
function EntryFacts({ row, nameOf }: { row: EntryRow; nameOf: (code: string) => string }) {
  const { t } = useTranslation();
  const record =
    row.event.type === 'access' && row.event.record && typeof row.event.record === 'object'
      ? (row.event.record as Record<string, unknown>)
      : row.event;
  const text = (key: string) =>
    typeof record[key] === 'string' && record[key] !== '' ? (record[key] as string) : null;
  const provider = text('node') ?? text('providerCode');
  const consumer = text('consumerCode');
  const member = text('memberCode');
  const mode = text('mode');
  const decision = text('decision');
  const code = text('code');
  const subjects = Array.isArray(record.subjects) ? record.subjects.length : null;
  const items = [
    provider && { key: 'provider', label: t('agreement.provider'), children: nameOf(provider) },
    consumer && { key: 'consumer', label: t('agreement.consumer'), children: nameOf(consumer) },
    member && !provider && !consumer && { key: 'member', label: t('ledger.member'), children: nameOf(member) },
    text('resourceCode') && {
      key: 'resource',
      label: t('agreement.resource'),
      children: <ResourceName code={text('resourceCode') as string} />,
    },
    text('agreementId') && { key: 'agreement', label: t('ledger.agreement'), children: text('agreementId') },
    mode && { key: 'mode', label: t('catalog.accessModes'), children: t(`mode.${mode}`, { defaultValue: mode }) },
    text('purpose') && { key: 'purpose', label: t('ledger.purpose'), children: text('purpose') },
    decision && {
      key: 'outcome',
      label: t('ledger.outcome'),
      children: (
        <Tag color={decision === 'served' ? 'success' : 'error'}>
          {t(`ledger.actions.${decision}`, { defaultValue: decision })}
          {code ? `${colon()}${nodeCodeText(t, code) ?? t('ledger.refusedOther')}` : ''}
        </Tag>
      ),
    },
    subjects !== null && { key: 'subjects', label: t('ledger.subjectCount'), children: subjects },
  ].filter(Boolean) as { key: string; label: string; children: ReactNode }[];
  return <Descriptions column={1} size="small" bordered items={items} data-testid="entry-facts" />;
}

export function EntryDrawer({
  row,
  checkpoint,
  nameOf,
  onClose,
}: {
  row: EntryRow | null;
  checkpoint: Checkpoint | null;
  nameOf: (code: string) => string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [raw, setRaw] = useState(false);
  const [result, setResult] = useState<{ index: number; value: InclusionResult } | null>(null);
  const [busy, setBusy] = useState(false);
  const current = row && result?.index === row.index ? result.value : null;

  async function verify(r: EntryRow) {
    setBusy(true);
    try {
      // Against the page's (cosigned) checkpoint when the proof is for that tree; else the note it came with.
      const against =
        checkpoint && checkpoint.size === r.entry.treeSize ? checkpoint : parseCheckpoint(r.entry.checkpoint);
      setResult({ index: r.index, value: verifyEntryInclusion(r.entry, against) });
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
          <EntryFacts row={row} nameOf={nameOf} />
          {/* The entry's bytes as the log holds them, for whoever wants to check them by hand. */}
          <Collapse
            size="small"
            activeKey={raw ? ['raw'] : []}
            onChange={(keys) => setRaw(keys.length > 0)}
            items={[
              {
                key: 'raw',
                label: t('ledger.rawData'),
                children: (
                  <pre className="ledger-json" style={jsonStyle} data-testid="entry-json">
                    {json}
                  </pre>
                ),
              },
            ]}
          />
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
                      {t('ledger.computedRoot')}
                      {colon()}
                      <Typography.Text code>{current.root}</Typography.Text>
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
                title={`${t('ledger.failed')}${colon()}${t(`ledger.reasons.${current.reason}`)}`}
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
