// A page's list of agreements: its loading error, the table, and the drawer of the one opened; and the
// hook that keeps the list's page, its opened agreement and its load together.
import { Card, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import { AGREEMENT_STATUSES, type Agreement, type AgreementStatus, type Page } from '../api/client';
import { AgreementDrawer } from './AgreementDrawer';
import { type AgreementColumn, AgreementTable } from './AgreementTable';
import { ErrorAlert } from './ErrorAlert';
import { useLoad } from './useLoad';

export interface PageRequest {
  page: number;
  pageSize: number;
}

export interface AgreementListState {
  data: Page<Agreement> | null;
  loading: boolean;
  error: unknown;
  reload: () => void;
  onPage: (page: number, pageSize: number) => void;
  openId: string | null;
  onOpen: (id: string | null) => void;
}

/**
 * Loads one page of agreements with `load` (again when `filters` change) and remembers the opened one —
 * in the page's own state, or where `opened` keeps it (the address, so a link can open it). `arrange`
 * reorders the page before it is shown.
 */
export function useAgreementList(
  load: (page: PageRequest) => Promise<Page<Agreement>>,
  filters: unknown[],
  options: {
    opened?: [string | null, (id: string | null) => void];
    arrange?: (page: Page<Agreement>) => Page<Agreement>;
  } = {},
): { list: AgreementListState; firstPage: () => void } {
  const [page, setPage] = useState<PageRequest>({ page: 1, pageSize: 20 });
  const [ownOpenId, setOwnOpenId] = useState<string | null>(null);
  const { data, loading, error, reload } = useLoad(() => load(page), [...filters, page]);
  const [openId, onOpen] = options.opened ?? [ownOpenId, setOwnOpenId];
  return {
    list: {
      data: data && options.arrange ? options.arrange(data) : data,
      loading,
      error,
      reload,
      onPage: (p, pageSize) => setPage({ page: p, pageSize }),
      openId,
      onOpen,
    },
    firstPage: () => setPage((p) => ({ ...p, page: 1 })),
  };
}

export function AgreementList(props: AgreementListState & { columns: AgreementColumn[]; testId: string }) {
  return (
    <>
      <ErrorAlert error={props.error} onRetry={props.reload} />
      <Card size="small">
        <AgreementTable
          data={props.data}
          loading={props.loading}
          columns={props.columns}
          onOpen={(a) => props.onOpen(a.id)}
          onChanged={props.reload}
          onPage={props.onPage}
          testId={props.testId}
        />
      </Card>
      <AgreementDrawer id={props.openId} onClose={() => props.onOpen(null)} onChanged={props.reload} />
    </>
  );
}

/** The filter by status above a list of agreements (cleared: every status). */
export function AgreementStatusFilter(props: {
  value: AgreementStatus | undefined;
  onChange: (status: AgreementStatus | undefined) => void;
}) {
  const { t } = useTranslation();
  return (
    <Select
      allowClear
      placeholder={t('agreement.status')}
      style={{ width: 180 }}
      value={props.value}
      onChange={props.onChange}
      options={AGREEMENT_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
      data-testid="filter-status"
    />
  );
}
