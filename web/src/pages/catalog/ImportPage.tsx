import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ProblemView, SubmitButton, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';

/** CSV import: the file goes to POST /v1/imports/products as text/csv; the API reports each failed row. */
export default function ImportPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const run = useMutation({
    mutationFn: async (f: File) =>
      unwrap(
        api.POST('/v1/imports/products', {
          body: (await f.text()) as never,
          bodySerializer: (b: unknown) => b as string,
          headers: { 'content-type': 'text/csv', 'idempotency-key': crypto.randomUUID() },
        }),
      ),
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
      {/* The API answers once the whole file is checked: the bar runs until then, then shows the outcome. */}
      {run.isPending ? <progress aria-label={t('catalog.import.progress')} /> : null}
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
