import { useTranslation } from 'react-i18next';

/** Areas whose pages come with later issues: the shell already routes to them. */
export default function Placeholder({ area }: { area: string }) {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t(`placeholder.${area}.title`)}</h1>
      <p>{t('placeholder.coming')}</p>
    </section>
  );
}
