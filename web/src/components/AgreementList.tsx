// A page's list of agreements: its loading error, the table, and the drawer of the one opened.
import { Card } from 'antd';
import type { Agreement, Page } from '../api/client';
import { AgreementDrawer } from './AgreementDrawer';
import { type AgreementColumn, AgreementTable } from './AgreementTable';
import { ErrorAlert } from './ErrorAlert';

export function AgreementList(props: {
  data: Page<Agreement> | null;
  loading: boolean;
  error: unknown;
  reload: () => void;
  columns: AgreementColumn[];
  onPage: (page: number, pageSize: number) => void;
  openId: string | null;
  onOpen: (id: string | null) => void;
  testId: string;
}) {
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
