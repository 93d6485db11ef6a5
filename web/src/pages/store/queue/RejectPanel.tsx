import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { rejectBody, type SheetLine } from './queue';
import type { ActionBody } from './useTask';

export type Resourced = {
  decision_id: string;
  tasks: {
    id: string;
    location_id: string;
    location_name: string | null;
    status: string;
    lines: { line_id: string; sku: string; quantity: number }[];
  }[];
  unsourced: { line_id: string; sku: string; quantity: number }[];
}[];

/** Reject all, or only some units, with a reason; the refused units are sourced elsewhere. */
export function RejectPanel({
  lines,
  pending,
  onReject,
  onCancel,
}: {
  lines: SheetLine[];
  pending: boolean;
  onReject: (body: ActionBody) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<Record<string, number>>({});
  const [reason, setReason] = useState('');
  const [missingReason, setMissingReason] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = rejectBody(lines, chosen, reason);
    setMissingReason(!body);
    if (body) onReject(body);
  };
  return (
    <form className="sq-card-block sq-reject" onSubmit={submit} aria-labelledby="reject-title">
      <h2 id="reject-title">{t('store_queue.reject.title')}</h2>
      <p className="sq-note">{t('store_queue.reject.hint')}</p>
      {lines.map((l) => (
        <label key={l.line_id} className="sq-line">
          <span>
            {l.product_name ?? l.sku} {l.size ? `· ${l.size}` : ''} <small>{l.sku}</small>
          </span>
          <select
            name={`reject-${l.sku}`}
            value={chosen[l.line_id] ?? 0}
            onChange={(e) => setChosen({ ...chosen, [l.line_id]: Number(e.target.value) })}
          >
            {Array.from({ length: l.quantity + 1 }, (_, n) => (
              <option key={n} value={n}>
                {t('store_queue.reject.units', { n, of: l.quantity })}
              </option>
            ))}
          </select>
        </label>
      ))}
      <label className={missingReason ? 'field invalid' : 'field'}>
        <span>{t('store_queue.reject.reason')}</span>
        <input name="reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
        {missingReason ? <small className="field-error">{t('store_queue.reject.reason_needed')}</small> : null}
      </label>
      <div className="sq-actions">
        <button type="submit" className="danger" data-action="confirm-reject" disabled={pending}>
          {t('store_queue.reject.confirm')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('store_queue.cancel')}
        </button>
      </div>
    </form>
  );
}
