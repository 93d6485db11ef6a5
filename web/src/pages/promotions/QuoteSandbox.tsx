import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ProblemView, SubmitButton, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { useLocations } from '../catalog/ProductPage';
import { parseBasket } from './promotion-form';

/** The pricing engine's verdict for a basket in a channel (and store): per line, what applied and why not. */
export function QuoteSandbox({ channels }: { channels: { id: string; code: string; name: string }[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const locations = useLocations();
  const [channel, setChannel] = useState('');
  const [store, setStore] = useState('');
  const [basket, setBasket] = useState('');
  const quote = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/pricing/quote', {
          // the sandbox shows why promotions did not apply: explanations are built only when asked
          params: { query: { explain: true } },
          body: { channel, lines: parseBasket(basket), ...(store ? { location_id: store } : {}) },
        }),
      ),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    quote.mutate();
  };
  const q = quote.data;
  const money = (amount: number) => fmt.money({ amount, currency: q?.currency ?? 'EUR' });
  return (
    <div data-testid="sandbox">
      <form className="inline-form" onSubmit={submit} aria-label={t('promotions.sandbox.title')}>
        <label className="field">
          <span>{t('promotions.sandbox.channel')}</span>
          <select name="sandbox_channel" value={channel} onChange={(e) => setChannel(e.target.value)}>
            <option value="">{t('common.choose')}</option>
            {channels.map((c) => (
              <option key={c.id} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('promotions.sandbox.store')}</span>
          <select name="sandbox_store" value={store} onChange={(e) => setStore(e.target.value)}>
            <option value="">{t('promotions.sandbox.no_store')}</option>
            {(locations.data?.items ?? [])
              .filter((l) => l.type === 'store')
              .map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
          </select>
        </label>
        <label className="field">
          <span>{t('promotions.sandbox.basket')}</span>
          <textarea
            name="basket"
            rows={3}
            value={basket}
            onChange={(e) => setBasket(e.target.value)}
            placeholder="SKU 1"
          />
        </label>
        <SubmitButton pending={quote.isPending}>{t('promotions.sandbox.run')}</SubmitButton>
      </form>
      <ProblemView error={quote.error} />
      {q ? (
        <div data-testid="quote" data-channel={q.channel_id}>
          <Table
            rows={q.lines}
            rowKey={(l) => l.line_id}
            columns={[
              { key: 'sku', header: t('catalog.sku'), render: (l) => l.sku },
              { key: 'qty', header: t('orders.quantity'), render: (l) => fmt.number(l.quantity), numeric: true },
              { key: 'unit', header: t('orders.unit_price'), render: (l) => money(l.unit_price), numeric: true },
              { key: 'disc', header: t('orders.discount'), render: (l) => money(l.discount), numeric: true },
              { key: 'total', header: t('orders.total'), render: (l) => money(l.total), numeric: true },
              {
                key: 'applied',
                header: t('promotions.sandbox.applied'),
                render: (l) => (
                  <ul className="verdict">
                    {l.applied.map((a) => (
                      <li key={a.promotion_id} data-applied={a.promotion_id}>
                        {a.name}: −{money(a.amount)} <small>({a.reason})</small>
                      </li>
                    ))}
                  </ul>
                ),
              },
              {
                key: 'not',
                header: t('promotions.sandbox.not_applied'),
                render: (l) => (
                  <ul className="verdict">
                    {(l.not_applied ?? []).map((a) => (
                      <li key={a.promotion_id} data-not-applied={a.promotion_id}>
                        {a.promotion_id}: <small>{a.reason}</small>
                      </li>
                    ))}
                  </ul>
                ),
              },
            ]}
          />
          <p>{t('promotions.sandbox.totals', { discount: money(q.discount_total), total: money(q.total) })}</p>
        </div>
      ) : null}
    </div>
  );
}
