// Punctuation follows the language: full-width in Chinese (“状态：”, “（3）”, “甲、乙”), ASCII with spaces
// in English. Read at render time: components re-render when the language changes (useTranslation).
import i18n from 'i18next';

const english = () => i18n.language === 'en';

/** After a label: “：” or “: ”. */
export function colon(): string {
  return english() ? ': ' : '：';
}

/** `text` in brackets after what precedes it: “（text）” or “ (text)”. */
export function paren(text: string | number): string {
  return english() ? ` (${text})` : `（${text}）`;
}

/** A short enumeration: “甲、乙” or “a, b”. */
export function joinList(items: readonly string[]): string {
  return items.join(english() ? ', ' : '、');
}

/** Clauses in a list of rules: “甲；乙” or “a; b”. */
export function joinClauses(items: readonly string[]): string {
  return items.join(english() ? '; ' : '；');
}
