import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { useSession } from '../../../app/session';
import { ProblemView, SubmitButton } from '../../../ui/components';
import { useFormat } from '../../../ui/hooks';
import { useIdempotentMutation } from '../../../ui/idempotent';
import {
  emptyPick,
  returnBody,
  type ExchangeDelivery,
  type LinePick,
  type PickError,
  type ReturnBody,
} from './return-form';

export interface CounterOrder {
  id: string;
  channel_type: string;
  currency: string;
  placed_at: string;
  total: { amount: number; currency: string };
  lines: { line_id: string; sku: string; product_id: string | null; quantity: number; total: number }[];
}

/** Taking units back: quantity, condition and reason per line, refund method, or another size instead. */
export function ReturnForm({
  order,
  channel,
  onBack,
}: {
  order: CounterOrder;
  /** The store's point-of-sale channel, where the return happens. */
  channel: string | undefined;
  onBack: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const store = useSession()?.user.location_id ?? null;
  const [picks, setPicks] = useState<Record<string, LinePick>>({});
  const [refund, setRefund] = useState<'original' | 'store_credit'>('original');
  const [delivery, setDelivery] = useState<ExchangeDelivery | 'auto'>('auto');
  const [errors, setErrors] = useState<PickError[]>([]);
  const pick = (id: string) => picks[id] ?? emptyPick();
  const set = (id: string, patch: Partial<LinePick>) => setPicks({ ...picks, [id]: { ...pick(id), ...patch } });
  const take = useIdempotentMutation({
    // The same return typed twice (a double tap, a retry after a dropped Wi-Fi) is refunded once.
    op: (b: ReturnBody) => `return:${order.id}:${JSON.stringify(b)}`,
    send: (b: ReturnBody, headers) => unwrap(api.POST('/v1/returns', { body: b, headers })),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = returnBody(order.id, order.lines, picks, refund, store, channel, delivery);
    setErrors(r.errors);
    if (r.body) take.mutate(r.body);
  };
  const errOf = (id: string | null) => errors.find((x) => x.line_id === id);

  if (take.data) {
    const r = take.data;
    return (
      <section className="floor" aria-labelledby="return-done">
        <h1 id="return-done">{t('store_floor.returns.done')}</h1>
        <div className="floor-card" data-return={r.id} role="status">
          <p>
            {t('store_floor.returns.return_id')} <strong>{r.id}</strong>
          </p>
          <ul className="plain">
            {r.lines.map((l) => (
              <li key={l.line_id}>
                {l.quantity} × {l.sku} · {t(`store_floor.returns.conditions.${l.condition}`)} ·{' '}
                {t(`store_floor.returns.restock.${l.restock}`)}
              </li>
            ))}
          </ul>
          <p data-refund={r.refund_method}>
            {t(`store_floor.returns.refunded.${r.refund_method}`, { amount: fmt.money(r.refund) })}
          </p>
          {r.exchange.length ? (
            <p data-exchange={r.exchange_reservation_id ? 'now' : 'shipped'}>
              {r.exchange_reservation_id
                ? t('store_floor.returns.exchange_now')
                : t('store_floor.returns.exchange_shipped')}
            </p>
          ) : null}
        </div>
        <button type="button" onClick={onBack}>
          {t('store_floor.returns.next')}
        </button>
      </section>
    );
  }
  return (
    <form className="floor" onSubmit={submit} aria-labelledby="return-title">
      <h1 id="return-title">
        {t('store_floor.returns.take_back')} <small>{order.id}</small>
      </h1>
      {order.lines.map((l) => {
        const p = pick(l.line_id);
        const err = errOf(l.line_id);
        return (
          <fieldset key={l.line_id} className="floor-card" data-line={l.sku}>
            <legend>
              {l.quantity} × {l.sku} · {fmt.money({ amount: l.total, currency: order.currency })}
            </legend>
            <label className={err ? 'field invalid' : 'field'}>
              <span>{t('store_floor.returns.quantity')}</span>
              <input
                name={`quantity-${l.sku}`}
                inputMode="numeric"
                value={p.quantity}
                onChange={(e) => set(l.line_id, { quantity: e.target.value })}
              />
              {err ? <small className="field-error">{t(`store_floor.returns.errors.${err.key}`)}</small> : null}
            </label>
            <label className="field">
              <span>{t('store_floor.returns.condition')}</span>
              <select
                name={`condition-${l.sku}`}
                value={p.condition}
                onChange={(e) => set(l.line_id, { condition: e.target.value as LinePick['condition'] })}
              >
                <option value="sellable">{t('store_floor.returns.conditions.sellable')}</option>
                <option value="damaged">{t('store_floor.returns.conditions.damaged')}</option>
              </select>
            </label>
            <label className="field">
              <span>{t('store_floor.returns.reason')}</span>
              <input
                name={`reason-${l.sku}`}
                value={p.reason}
                onChange={(e) => set(l.line_id, { reason: e.target.value })}
              />
            </label>
            {l.product_id ? (
              <ExchangeSize
                productId={l.product_id}
                sku={l.sku}
                value={p.exchange_sku}
                onChange={(sku) => set(l.line_id, { exchange_sku: sku })}
              />
            ) : null}
          </fieldset>
        );
      })}
      <fieldset className="floor-card">
        <legend>{t('store_floor.returns.refund')}</legend>
        <label className="field inline">
          <input type="radio" name="refund" checked={refund === 'original'} onChange={() => setRefund('original')} />
          <span>{t('store_floor.returns.refund_original')}</span>
        </label>
        <label className="field inline">
          <input
            type="radio"
            name="refund"
            checked={refund === 'store_credit'}
            onChange={() => setRefund('store_credit')}
          />
          <span>{t('store_floor.returns.refund_credit')}</span>
        </label>
      </fieldset>
      {Object.values(picks).some((p) => p.exchange_sku) ? (
        <fieldset className="floor-card" data-exchange-delivery={delivery}>
          <legend>{t('store_floor.returns.exchange_delivery')}</legend>
          {(['auto', 'now', 'ship'] as const).map((d) => (
            <label key={d} className="field inline">
              <input
                type="radio"
                name="exchange_delivery"
                value={d}
                checked={delivery === d}
                onChange={() => setDelivery(d)}
              />
              <span>{t(`store_floor.returns.exchange_deliveries.${d}`)}</span>
            </label>
          ))}
        </fieldset>
      ) : null}
      {errOf(null) ? <p className="problem">{t('store_floor.returns.errors.nothing')}</p> : null}
      <SubmitButton pending={take.isPending}>{t('store_floor.returns.submit')}</SubmitButton>{' '}
      <button type="button" className="link" onClick={onBack}>
        {t('store_floor.returns.back')}
      </button>
      <ProblemView error={take.error} />
    </form>
  );
}

/** Another size of the line's product, loaded only when the associate asks for an exchange. */
function ExchangeSize({
  productId,
  sku,
  value,
  onChange,
}: {
  productId: string;
  sku: string;
  value: string;
  onChange: (sku: string) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(value !== '');
  const product = useQuery({
    queryKey: ['product', productId],
    enabled: open,
    queryFn: () => unwrap(api.GET('/v1/products/{id}', { params: { path: { id: productId } } })),
  });
  if (!open)
    return (
      <button type="button" className="link" onClick={() => setOpen(true)}>
        {t('store_floor.returns.exchange')}
      </button>
    );
  return (
    <label className="field">
      <span>{t('store_floor.returns.exchange_for')}</span>
      <select name={`exchange-${sku}`} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('store_floor.returns.no_exchange')}</option>
        {product.data?.variants
          .filter((v) => v.sku !== sku && v.active)
          .map((v) => (
            <option key={v.sku} value={v.sku}>
              {[v.options.size, v.options.colour].filter(Boolean).join(' / ') || v.sku} ({v.sku})
            </option>
          ))}
      </select>
    </label>
  );
}
