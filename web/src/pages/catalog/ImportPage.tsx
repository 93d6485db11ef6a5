import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { paths } from '../../api/schema';
import { ProblemView, SubmitButton, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { sentShare, uploadWithProgress, type UploadProgress } from '../../ui/upload';

type ImportReport = paths['/v1/imports/products']['post']['responses']['200']['content']['application/json'];

/** CSV import: the file goes to POST /v1/imports/products as text/csv; the API reports each failed row. */
export default function ImportPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const run = useMutation({
    mutationFn: (f: File) => {
      setProgress({ loaded: 0, total: f.size, done: false });
      return uploadWithProgress<ImportReport>('/v1/imports/products', f, {
        contentType: 'text/csv',
        headers: { 'idempotency-key': crypto.randomUUID() },
        onProgress: setProgress,
      });
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['products'] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (file) run.mutate(file);
  };
  const r = run.data;
  return (
    <section>
      <h1>{t('catalog.import.title')}</h1>
      <p className="hint">{t('catalog.import.hint')}</p>
      <form onSubmit={submit} className="inline-form" aria-label={t('catalog.import.title')}>
        <label className="field">
          <span>{t('catalog.import.file')}</span>
          <input
            type="file"
            name="file"
            accept=".csv,text/csv"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <SubmitButton pending={run.isPending}>{t('catalog.import.run')}</SubmitButton>
      </form>
      {/* The bar follows the bytes sent; once all are sent the server checks and stores the rows. */}
      {run.isPending ? (
        <div data-testid="upload-progress">
          <progress
            max={1}
            value={sentShare(progress)}
            aria-label={t('catalog.import.progress')}
            data-sent={progress?.loaded ?? 0}
          />{' '}
          {progress?.done
            ? t('catalog.import.processing')
            : t('catalog.import.sent', { percent: fmt.percent(sentShare(progress)) })}
        </div>
      ) : null}
      <ProblemView error={run.error} />
      {r ? (
        <div data-testid="import-result">
          <progress max={r.rows || 1} value={r.imported} aria-label={t('catalog.import.progress')} />
          <p>
            {t('catalog.import.summary', {
              rows: fmt.number(r.rows),
              imported: fmt.number(r.imported),
              failed: fmt.number(r.failed),
              products: fmt.number(r.products),
            })}
          </p>
          {r.errors.length ? (
            <>
              <h2>{t('catalog.import.errors')}</h2>
              <Table
                rows={r.errors}
                rowKey={(e) => `${e.line}|${e.field}|${e.message}`}
                columns={[
                  { key: 'line', header: t('catalog.import.line'), render: (e) => e.line, numeric: true },
                  { key: 'field', header: t('catalog.import.field'), render: (e) => e.field },
                  { key: 'message', header: t('catalog.import.message'), render: (e) => e.message },
                ]}
              />
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
