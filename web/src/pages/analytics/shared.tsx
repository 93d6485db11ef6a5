import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ApiError, toProblem } from '../../ui/problem';
import { ProblemView } from '../../ui/components';

export type ReportPath = '/v1/analytics/channel-mix' | '/v1/analytics/shipping' | '/v1/analytics/lost-sales';

/** Fetches one of the report's tables as CSV (with the staff token) and hands it to the browser as a file. */
async function downloadCsv(path: ReportPath, query: Record<string, string | number>, filename: string): Promise<void> {
  const { data, error, response } = await api.GET(path as '/v1/analytics/lost-sales', {
    params: { query: { ...query, format: 'csv' } as never },
    parseAs: 'text',
  });
  if (!response.ok || error !== undefined) throw new ApiError(toProblem(error, response.status));
  const url = URL.createObjectURL(new Blob([data as unknown as string], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/** A CSV export button for one table of a report. */
export function CsvButton({
  path,
  query,
  table,
  label,
}: {
  path: ReportPath;
  query: Record<string, string | number>;
  table: string;
  label: string;
}) {
  const [error, setError] = useState<unknown>(null);
  const name = `${path.split('/').pop()}-${table}-${String(query.from ?? '')}-${String(query.to ?? '')}.csv`;
  return (
    <>
      <button
        type="button"
        className="button"
        data-testid={`csv-${table}`}
        onClick={() => {
          setError(null);
          downloadCsv(path, { ...query, table }, name).catch(setError);
        }}
      >
        {label}
      </button>
      {error ? <ProblemView error={error} /> : null}
    </>
  );
}

/** The report window: from (inclusive) and to (exclusive) as dates. */
export function WindowFields({
  from,
  to,
  onChange,
}: {
  from: string;
  to: string;
  onChange: (w: { from: string; to: string }) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <label className="field">
        <span>{t('analytics.from')}</span>
        <input type="date" name="from" value={from} onChange={(e) => onChange({ from: e.target.value, to })} />
      </label>
      <label className="field">
        <span>{t('analytics.to')}</span>
        <input type="date" name="to" value={to} onChange={(e) => onChange({ from, to: e.target.value })} />
      </label>
    </>
  );
}
