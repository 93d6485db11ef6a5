import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ProblemView, Spinner } from '../../ui/components';

const LOCALES = ['en', 'es', 'pt'] as const;
type Locale = (typeof LOCALES)[number];

/** Every template, and one previewed with sample data in a language (2 API calls). */
export default function TemplatesPage() {
  const { t } = useTranslation();
  const [name, setName] = useState('order_confirmation');
  const [locale, setLocale] = useState<Locale>('es');
  const list = useQuery({
    queryKey: ['messages', 'templates'],
    queryFn: () => unwrap(api.GET('/v1/notifications/templates')),
  });
  const preview = useQuery({
    queryKey: ['messages', 'preview', name, locale],
    queryFn: () =>
      unwrap(
        api.GET('/v1/notifications/templates/{name}/preview', {
          params: { path: { name }, query: { locale } },
        }),
      ),
  });
  return (
    <>
      <h1>{t('msg.title')}</h1>
      <p className="lead">{t('msg.intro')}</p>
      <ProblemView error={list.error ?? preview.error} />
      <div className="preview-controls">
        <label className="field">
          <span>{t('msg.template')}</span>
          <select name="template" value={name} onChange={(e) => setName(e.target.value)}>
            {(list.data?.items ?? []).map((x) => (
              <option key={x.name} value={x.name}>
                {t(`msg.names.${x.name}`, { defaultValue: x.name })} · {t(`msg.kinds.${x.kind}`)}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="locales">
          <legend>{t('msg.language')}</legend>
          {LOCALES.map((l) => (
            <label key={l}>
              <input type="radio" name="locale" value={l} checked={locale === l} onChange={() => setLocale(l)} />
              {t(`msg.locales.${l}`)}
            </label>
          ))}
        </fieldset>
      </div>
      {preview.isLoading ? <Spinner /> : null}
      {preview.data ? (
        <article className="message-preview" data-testid="preview">
          <h2>{preview.data.subject}</h2>
          <iframe title={t('msg.preview')} sandbox="" srcDoc={preview.data.html} className="message-html" />
          <details>
            <summary>{t('msg.plain_text')}</summary>
            <pre>{preview.data.text}</pre>
          </details>
        </article>
      ) : null}
    </>
  );
}
