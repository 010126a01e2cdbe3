// Inline error banner for failed loads, showing the mapped problem message.
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from './errors';

export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      title={errorMessage(t, error)}
      style={{ marginBottom: 16 }}
      data-testid="error-alert"
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('common.refresh')}
          </Button>
        ) : undefined
      }
    />
  );
}
