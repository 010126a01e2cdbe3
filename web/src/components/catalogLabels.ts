// Catalogue classes, formats and update cycles in the console's language. Classes are paths ("部门信息资源/税收"):
// each level is translated on its own, and a level with no entry in the dictionary shows as registered.
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

export function useCatalogLabels() {
  const { t } = useTranslation();
  const category = useCallback(
    (path: string) =>
      path
        .split('/')
        .map((level) => t(`catalog.categories.${level}`, { defaultValue: level }))
        .join(' / '),
    [t],
  );
  const updateCycle = useCallback((cycle: string) => t(`catalog.updateCycles.${cycle}`, { defaultValue: cycle }), [t]);
  const format = useCallback((value: string) => t(`catalog.formats.${value}`, { defaultValue: value }), [t]);
  return { category, updateCycle, format };
}
