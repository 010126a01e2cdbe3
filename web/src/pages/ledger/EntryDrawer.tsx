// Panel 4: one entry and its inclusion proof, recomputed in the browser.
import { CheckCircleFilled, CloseCircleFilled, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Drawer, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fmtDateTime } from '../../components/format';
import { type Checkpoint, type InclusionResult, parseCheckpoint, verifyEntryInclusion } from '../../ledger/merkle';
import { type EntryRow, TYPE_COLORS, actionLabel } from './entries';

export function EntryDrawer({
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
