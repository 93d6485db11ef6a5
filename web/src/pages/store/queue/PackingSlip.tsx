import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../ui/hooks';
import { slipLines, type SheetLine } from './queue';

interface SlipSheet {
  task: { id: string; order_id: string; parcels: number | null; weight_g: number | null };
  gift: boolean | null;
  gift_message: string | null;
  currency: string | null;
  order: {
    id: string;
    placed_at: string;
    ship_to: { name: string | null; line1: string; city: string; postal_code: string; country: string } | null;
    collect_at: string | null;
  } | null;
  location_name: string | null;
  lines: SheetLine[];
}

/**
 * The packing slip, printed with the print stylesheet (queue.css hides everything else). A gift
 * order's slip shows no prices.
 */
export function PackingSlip({ sheet }: { sheet: SlipSheet }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const rows = slipLines(sheet.lines, sheet.gift);
  const showPrices = !sheet.gift && sheet.currency !== null;
  return (
    <section className="sq-card-block">
      <button type="button" className="secondary" data-action="print-slip" onClick={() => window.print()}>
        {t('store_queue.slip.print')}
      </button>
      <article
        className="packing-slip"
        data-gift={sheet.gift ? 'true' : 'false'}
        aria-label={t('store_queue.slip.title')}
      >
        <h2>{t('store_queue.slip.title')}</h2>
        <p>
          {t('store_queue.slip.order', { id: sheet.task.order_id })}
          {sheet.order ? ` · ${fmt.date(sheet.order.placed_at)}` : ''}
        </p>
        {sheet.location_name ? <p>{t('store_queue.slip.from', { place: sheet.location_name })}</p> : null}
        {sheet.order?.ship_to ? (
          <address>
            {sheet.order.ship_to.name ? (
              <>
                {sheet.order.ship_to.name}
                <br />
              </>
            ) : null}
            {sheet.order.ship_to.line1}
            <br />
            {sheet.order.ship_to.postal_code} {sheet.order.ship_to.city} ({sheet.order.ship_to.country})
          </address>
        ) : sheet.order?.collect_at ? (
          <p>{t('store_queue.collect_at', { place: sheet.order.collect_at })}</p>
        ) : null}
        {sheet.gift ? <p className="slip-gift">{t('store_queue.slip.gift')}</p> : null}
        {sheet.gift_message ? <blockquote className="slip-gift-message">{sheet.gift_message}</blockquote> : null}
        <table>
          <thead>
            <tr>
              <th>{t('store_queue.slip.item')}</th>
              <th>{t('store_queue.slip.size')}</th>
              <th className="num">{t('store_queue.slip.qty')}</th>
              {showPrices ? <th className="num">{t('store_queue.slip.price')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={`${r.sku}-${i}`}>
                <td>
                  {r.name} <small>{r.sku}</small>
                </td>
                <td>{r.size ?? ''}</td>
                <td className="num">{fmt.number(r.quantity)}</td>
                {showPrices ? (
                  <td className="num" data-price="true">
                    {r.unit_price !== null ? fmt.money({ amount: r.unit_price, currency: sheet.currency! }) : ''}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
        {sheet.task.parcels ? (
          <p>
            {t('store_queue.slip.parcels', { count: sheet.task.parcels })}
            {sheet.task.weight_g ? ` · ${fmt.number(sheet.task.weight_g)} g` : ''}
          </p>
        ) : null}
      </article>
    </section>
  );
}
