import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../ui/hooks';
import type { PlacedOrder } from './TillCart';

/**
 * The receipt after payment: printable (receipt.css hides everything else on paper) and, when an
 * e-mail was given at the till, sent by the order confirmation mail.
 */
export function Receipt({ order, onNext }: { order: PlacedOrder; onNext: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const d = order.delivery as { method?: string; location_name?: string | null; promised_date?: string | null };
  return (
    <section className="floor" aria-labelledby="receipt-title">
      <div className="receipt" data-order={order.id}>
        <h1 id="receipt-title">{t('store_floor.receipt.title')}</h1>
        <p>
          {t('store_floor.receipt.order')} <strong>{order.id}</strong>
          <br />
          {fmt.dateTime(order.placed_at)}
        </p>
        <table>
          <tbody>
            {order.lines.map((l) => (
              <tr key={l.line_id}>
                <td>
                  {l.quantity} × {l.sku}
                </td>
                <td className="num">{fmt.money({ amount: l.total, currency: order.currency })}</td>
              </tr>
            ))}
            <tr>
              <td>{t('store_floor.receipt.shipping')}</td>
              <td className="num">
                {fmt.money({ amount: order.shipping.amount - order.shipping.discount, currency: order.currency })}
              </td>
            </tr>
            <tr>
              <td>{t('store_floor.receipt.tax')}</td>
              <td className="num">{fmt.money(order.tax_total)}</td>
            </tr>
            <tr className="total">
              <td>{t('store_floor.receipt.total')}</td>
              <td className="num">{fmt.money(order.total)}</td>
            </tr>
          </tbody>
        </table>
        <p data-delivery={d.method ?? ''}>
          {t(`store_floor.receipt.delivery.${d.method ?? 'in_store'}`, { place: d.location_name ?? '' })}
          {d.promised_date ? ` · ${t('store_floor.aisle.promised', { date: fmt.date(d.promised_date) })}` : ''}
        </p>
        {order.email ? <p role="status">{t('store_floor.receipt.emailed', { email: order.email })}</p> : null}
      </div>
      <div className="no-print">
        <button type="button" onClick={() => window.print()}>
          {t('store_floor.receipt.print')}
        </button>{' '}
        <button type="button" onClick={onNext}>
          {t('store_floor.receipt.next')}
        </button>
      </div>
    </section>
  );
}
