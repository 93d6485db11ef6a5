import { useState, type ReactNode, type InputHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { useQuery, keepPreviousData } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, fieldError, unplacedErrors, type Problem } from './problem';
import { currentCursor, firstPage, hasPrev, nextPage, prevPage } from './pager';

export function problemOf(err: unknown): Problem | undefined {
  if (!err) return undefined;
  if (err instanceof ApiError) return err.problem;
  return { detail: err instanceof Error ? err.message : String(err) };
}

/** A problem+json: its detail, and the field errors no form field shows. */
export function ProblemView({ error, shownFields = [] }: { error: unknown; shownFields?: readonly string[] }) {
  const { t } = useTranslation();
  const p = problemOf(error);
  if (!p) return null;
  const rest = unplacedErrors(p, shownFields);
  return (
    <div className="problem" role="alert" data-problem={p.code ?? p.type ?? ''}>
      <strong>{p.title ?? t('common.error')}</strong>
      {p.detail ? <div>{p.detail}</div> : null}
      {rest.length ? (
        <ul>
          {rest.map((e) => (
            <li key={e.field}>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function Spinner() {
  const { t } = useTranslation();
  return (
    <span className="spinner" role="status" aria-label={t('common.loading')}>
      {t('common.loading')}
    </span>
  );
}

/** A labelled input that shows the API's error for its field underneath. */
export function Field({
  label,
  name,
  error,
  nested,
  ...input
}: { label: string; name: string; error?: unknown; nested?: boolean } & InputHTMLAttributes<HTMLInputElement>) {
  const msg = fieldError(problemOf(error), name, nested);
  return (
    <label className={msg ? 'field invalid' : 'field'}>
      <span>{label}</span>
      <input name={name} aria-invalid={msg ? true : undefined} {...input} />
      {msg ? (
        <small className="field-error" data-field-error={name}>
          {msg}
        </small>
      ) : null}
    </label>
  );
}

export function SubmitButton({ pending, children }: { pending: boolean; children: ReactNode }) {
  return (
    <button type="submit" disabled={pending} aria-busy={pending}>
      {pending ? <Spinner /> : children}
    </button>
  );
}

export interface Column<T> {
  key: string;
  header: string;
  render: (row: T) => ReactNode;
  numeric?: boolean;
}

export function Table<T>({ rows, columns, rowKey }: { rows: T[]; columns: Column<T>[]; rowKey: (r: T) => string }) {
  const { t } = useTranslation();
  if (!rows.length) return <p className="empty">{t('common.empty')}</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} className={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={rowKey(r)}>
              {columns.map((c) => (
                <td key={c.key} className={c.numeric ? 'num' : undefined}>
                  {c.render(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

/** A list read page by page with the API's cursors; the cache refreshes it in the background. */
export function CursorTable<T>({
  queryKey,
  fetchPage,
  columns,
  rowKey,
}: {
  queryKey: readonly unknown[];
  fetchPage: (cursor: string | null) => Promise<Page<T>>;
  columns: Column<T>[];
  rowKey: (r: T) => string;
}) {
  const { t } = useTranslation();
  const [pager, setPager] = useState(firstPage);
  const cursor = currentCursor(pager);
  const q = useQuery({
    queryKey: [...queryKey, cursor],
    queryFn: () => fetchPage(cursor),
    placeholderData: keepPreviousData,
  });
  if (q.isPending) return <Spinner />;
  if (q.isError) return <ProblemView error={q.error} />;
  return (
    <div className="cursor-table">
      <Table rows={q.data.items} columns={columns} rowKey={rowKey} />
      <div className="pager">
        <button type="button" disabled={!hasPrev(pager)} onClick={() => setPager(prevPage)}>
          {t('common.previous')}
        </button>
        <span>{t('common.page', { n: pager.page + 1 })}</span>
        <button
          type="button"
          disabled={!q.data.next_cursor}
          onClick={() => setPager((p) => nextPage(p, q.data.next_cursor))}
        >
          {t('common.next')}
        </button>
        {q.isFetching ? <Spinner /> : null}
      </div>
    </div>
  );
}

/** A labelled text area with the API's error for its field (and, nested, its parts) underneath. */
export function TextField({
  label,
  name,
  error,
  nested,
  ...input
}: { label: string; name: string; error?: unknown; nested?: boolean } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const msg = fieldError(problemOf(error), name, nested);
  return (
    <label className={msg ? 'field invalid' : 'field'}>
      <span>{label}</span>
      <textarea name={name} aria-invalid={msg ? true : undefined} rows={3} {...input} />
      {msg ? (
        <small className="field-error" data-field-error={name}>
          {msg}
        </small>
      ) : null}
    </label>
  );
}
