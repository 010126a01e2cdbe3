// 审计账本: the hub's append-only audit log as anyone can check it. The latest checkpoint, its log signature
// and the provider departments' cosignatures verified in the browser (the ledger core's checks, against the log's
// vkey and the witness policy), each witness's state, the entries with filters (the hub's index: all for
// the auditor, a department's own otherwise), for any entry an inclusion proof the browser recomputes
// itself (RFC 6962 / RFC 9162), and for the auditor the accesses withheld from their subjects for now.
// One file per panel in this folder.
import { Space, Spin } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ledgerApi } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLoad } from '../../components/useLoad';
import { useMembers } from '../../components/useMembers';
import { parseCheckpoint } from '../../ledger/merkle';
import { CheckpointCard } from './CheckpointCard';
import { EntriesTable } from './EntriesTable';
import { EntryDrawer } from './EntryDrawer';
import { WithheldCard } from './WithheldCard';
import { WitnessTable } from './WitnessTable';
import { type EntryFilters, type EntryRow, noFilters, searchEntries, toRow } from './entries';
import { checkSignatures, parsePolicy } from './policy';
import { PageTitle } from '../../components/PageTitle';

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
      <PageTitle title={t('ledger.title')} intro={t('ledger.intro')} />
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
      <EntryDrawer
        row={open}
        checkpoint={state.data?.checkpoint ?? null}
        nameOf={members.nameOf}
        onClose={() => setOpen(null)}
      />
    </div>
  );
}
