// i18next setup: zh-CN by default, English on demand; the choice survives reloads via localStorage.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zh } from './zh';

export type Lang = 'zh-CN' | 'en';
const LANG_KEY = 'hutong.lang';

export function storedLang(): Lang {
  return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh-CN';
}

export function setLang(lang: Lang): void {
  localStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang;
  void i18n.changeLanguage(lang);
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zh }, en: { translation: en } },
  lng: storedLang(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
});
document.documentElement.lang = storedLang();

export default i18n;
