// Panel 2: each witness and its last cosignature.
import { Card, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { LedgerWitnessStatus } from '../../api/client';
import type { Checkpoint } from '../../ledger/merkle';
import type { Policy } from './policy';
import { Subtitled } from '../../components/Subtitled';

/** The witness's last answer in words: cosigned, unreachable or refused (the tooltip says why). */
function witnessAnswer(status: number): string {
  if (status === 200) return 'ledger.witnessCosigned';
  if (status === 0) return 'ledger.witnessUnreachable';
  return 'ledger.witnessRefused';
}

export function WitnessTable({
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
        <Subtitled note={w.name}>
          <Typography.Text>{nameOf(w.name)}</Typography.Text>
        </Subtitled>
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
            <Tag color={w.lastStatus === 200 ? 'success' : 'error'} data-status={w.lastStatus}>
              {t(witnessAnswer(w.lastStatus))}
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
