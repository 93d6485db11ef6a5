import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { ApiError } from '../../../ui/problem';
import { ProblemView } from '../../../ui/components';
import {
  applyScan,
  groupBySize,
  matchLine,
  pickBody,
  pickedUnits,
  totalUnits,
  type PickProgress,
  type SheetLine,
} from './queue';
import type { ActionBody } from './useTask';

const progressKey = (taskId: string) => `omnia.pick.${taskId}`;

/** Progress survives a reload (a dropped connection, a locked phone) until the pick is sent. */
function loadProgress(taskId: string): PickProgress {
  try {
    return JSON.parse(localStorage.getItem(progressKey(taskId)) ?? '{}') as PickProgress;
  } catch {
    return {};
  }
}

/**
 * Picking by scanning or typing the GTIN/SKU. A code that is not in the task is refused on the
 * spot: by the sheet the page already holds and, for the authoritative answer, by the server's
 * scan check; the pick action itself refuses an item that is not in the task too.
 */
export function PickPanel({
  taskId,
  lines,
  pending,
  onPick,
}: {
  taskId: string;
  lines: SheetLine[];
  pending: boolean;
  onPick: (body: ActionBody) => void;
}) {
  const { t } = useTranslation();
  const [progress, setProgress] = useState<PickProgress>(() => loadProgress(taskId));
  const [code, setCode] = useState('');
  const [refusal, setRefusal] = useState<unknown>(null);
  const [last, setLast] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    localStorage.setItem(progressKey(taskId), JSON.stringify(progress));
  }, [taskId, progress]);

  const count = (sku: string) => {
    const r = applyScan(progress, lines, sku);
    if (!r.ok) {
      setRefusal(new ApiError({ detail: t('store_queue.pick.already_complete', { sku }) }));
      return;
    }
    setProgress(r.progress);
    setLast(r.line.sku);
    setRefusal(null);
  };

  const scan = async (e: FormEvent) => {
    e.preventDefault();
    const c = code.trim();
    if (!c) return;
    setCode('');
    input.current?.focus();
    const local = matchLine(lines, c);
    if (local) return count(local.sku);
    // Not in the task by what the page knows: the server says why (wrong_item), or the network is down.
    try {
      const hit = await unwrap(
        api.GET('/v1/fulfillments/{id}/scan', { params: { path: { id: taskId }, query: { code: c } } }),
      );
      count(hit.sku);
    } catch (err) {
      setLast(null);
      setRefusal(
        err instanceof ApiError
          ? err
          : new ApiError({ code: 'wrong_item', detail: t('store_queue.pick.wrong', { code: c }) }),
      );
    }
  };

  const body = pickBody(lines, progress);
  const found = pickedUnits(progress);
  const total = totalUnits(lines);
  const send = () => {
    if (!body) return;
    localStorage.removeItem(progressKey(taskId));
    onPick(body);
  };

  return (
    <section className="sq-card-block sq-pick" aria-labelledby="pick-title">
      <h2 id="pick-title">{t('store_queue.pick.title')}</h2>
      <form className="sq-scan" onSubmit={scan}>
        <label>
          <span>{t('store_queue.pick.code')}</span>
          <input
            ref={input}
            name="code"
            inputMode="numeric"
            autoComplete="off"
            autoFocus
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        </label>
        <button type="submit">{t('store_queue.pick.scan')}</button>
      </form>
      {refusal ? (
        <div className="sq-refused" data-refused="true">
          <ProblemView error={refusal} />
        </div>
      ) : last ? (
        <p className="sq-ok" data-scanned={last}>
          {t('store_queue.pick.counted', { sku: last })}
        </p>
      ) : null}
      <div className="sq-picklist">
        {groupBySize(lines).map((g) => (
          <div key={g.size ?? '-'} className="sq-size-group">
            <h3>{g.size ? t('store_queue.size', { size: g.size }) : t('store_queue.no_size')}</h3>
            {g.lines.map((l) => {
              const n = Math.min(progress[l.line_id] ?? 0, l.quantity);
              return (
                <div key={l.line_id} className={n >= l.quantity ? 'sq-line done' : 'sq-line'} data-line={l.sku}>
                  <span>
                    {l.product_name ?? l.sku}
                    <small>
                      {' '}
                      {l.sku}
                      {l.gtin ? ` · ${l.gtin}` : ''}
                    </small>
                  </span>
                  <strong data-picked={n}>
                    {n} / {l.quantity}
                  </strong>
                </div>
              );
            })}
          </div>
        ))}
      </div>
      <p className="sq-progress">{t('store_queue.pick.progress', { found, total })}</p>
      <div className="sq-actions">
        <button type="button" data-action="pick" disabled={pending || !body || found < total} onClick={send}>
          {t('store_queue.action.pick')}
        </button>
        <button
          type="button"
          className="secondary"
          data-action="short-pick"
          disabled={pending || !body || found >= total}
          onClick={send}
        >
          {t('store_queue.action.short_pick', { found, total })}
        </button>
        <button type="button" className="link" onClick={() => setProgress({})} disabled={found === 0}>
          {t('store_queue.pick.restart')}
        </button>
      </div>
    </section>
  );
}
