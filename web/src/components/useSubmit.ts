// A form's submission: busy while it runs, and the message of its failure (cleared when it is tried again).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from './errors';

export function useSubmit() {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (action: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorMessage(t, e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, submit };
}
