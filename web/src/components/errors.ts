// Turns any thrown value into a message for the user: friendly text for the problem codes the console
// knows (the keys of `errors` in the dictionaries), otherwise the server's own `detail`.
import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';
import { zh } from '../i18n/zh';

const KNOWN = new Set(Object.keys(zh.errors).filter((k) => k !== 'generic' && k !== 'VALIDATION_FAILED'));

export function errorMessage(t: TFunction, e: unknown): string {
  if (e instanceof ApiError) {
    if (KNOWN.has(e.code)) {
      const friendly = t(`errors.${e.code}`);
      // The server's detail is worth adding when it is specific (names an item or a state); a detail
      // that is just the catalogue title ("中文 / English") or repeats the friendly text adds nothing.
      const specific = e.detail && !e.detail.includes(friendly) && !e.detail.includes(' / ');
      return specific ? `${friendly}（${e.detail}）` : friendly;
    }
    if (e.code === 'VALIDATION_FAILED' && e.errors.length > 0) {
      return `${t('errors.VALIDATION_FAILED')}: ${e.errors.map((x) => `${x.path} ${x.message}`).join('; ')}`;
    }
    return e.detail || t('errors.generic');
  }
  return e instanceof Error ? e.message : t('errors.generic');
}
