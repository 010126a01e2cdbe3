// What a panel's card shows in its header: a title with a quieter note beside it, and a refresh button.
import { ReloadOutlined } from '@ant-design/icons';
import { Button, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function CardTitle(props: {
  title: ReactNode;
  note?: ReactNode;
  icon?: ReactNode;
  /** A smaller note (a hint rather than a name). */
  small?: boolean;
  noteTestId?: string;
}) {
  return (
    <Space>
      {props.icon}
      {props.title}
      {props.note !== undefined && (
        <Typography.Text
          type="secondary"
          style={{ fontWeight: 400, ...(props.small ? { fontSize: 12 } : {}) }}
          data-testid={props.noteTestId}
        >
          {props.note}
        </Typography.Text>
      )}
    </Space>
  );
}

export function RefreshButton({ onClick }: { onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <Button size="small" icon={<ReloadOutlined />} onClick={onClick}>
      {t('common.refresh')}
    </Button>
  );
}
