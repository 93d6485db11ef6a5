import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import { en, es, pt } from './locales';

export const LANGUAGES = ['es', 'pt', 'en'] as const;
/** Intl locales for formatting: the retailer sells in Spain and Portugal. */
export const INTL_LOCALE: Record<string, string> = { es: 'es-ES', pt: 'pt-PT', en: 'en-GB' };

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { en: { translation: en }, es: { translation: es }, pt: { translation: pt } },
    supportedLngs: [...LANGUAGES],
    nonExplicitSupportedLngs: true,
    load: 'languageOnly',
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    detection: { order: ['localStorage', 'navigator'], caches: ['localStorage'], lookupLocalStorage: 'omnia.lang' },
  });

i18n.on('languageChanged', (lng) => document.documentElement.setAttribute('lang', lng));
document.documentElement.setAttribute('lang', i18n.resolvedLanguage ?? 'en');

export default i18n;
