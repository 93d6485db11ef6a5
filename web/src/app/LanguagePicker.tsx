import { useTranslation } from 'react-i18next';
import { LANGUAGES } from './i18n';

export function LanguagePicker() {
  const { t, i18n } = useTranslation();
  return (
    <label className="lang">
      <span>{t('common.language')}</span>
      <select name="language" value={i18n.resolvedLanguage} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
        {LANGUAGES.map((l) => (
          <option key={l} value={l}>
            {t(`languages.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
