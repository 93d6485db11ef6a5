/**
 * Returns at the counter: the associate's picks per order line become the body of `POST /v1/returns`.
 * Pure. A quantity is refused (not clamped) when it is not a whole number or more than was bought;
 * every returned line needs a reason; an exchange swaps a returned unit for another size.
 */
export interface OrderLineLite {
  line_id: string;
  sku: string;
  quantity: number;
}

export interface LinePick {
  quantity: string;
  condition: 'sellable' | 'damaged';
  reason: string;
  /** Another size of the same product to hand over (or ship) instead of a refund. */
  exchange_sku: string;
}

export const emptyPick = (): LinePick => ({ quantity: '0', condition: 'sellable', reason: '', exchange_sku: '' });

export type PickError =
  { line_id: string; key: 'not_whole' | 'too_many' | 'reason_required' } | { line_id: null; key: 'nothing' };

export interface ReturnBody {
  order_id: string;
  /** Where the return happens: the store's point-of-sale channel (staff name it). */
  channel?: string;
  location_id?: string;
  refund: 'original' | 'store_credit';
  lines: { line_id: string; quantity: number; reason: string; condition: 'sellable' | 'damaged' }[];
  exchange?: { for_line_id: string; sku: string; quantity: number }[];
  /** now: handed over at the counter; ship: delivered to the order's address. Absent: the API decides. */
  exchange_delivery?: ExchangeDelivery;
}

/** How the exchanged size reaches the shopper; `auto` lets the API hand it over if the store has it. */
export type ExchangeDelivery = 'now' | 'ship';

export function returnBody(
  orderId: string,
  lines: readonly OrderLineLite[],
  picks: Readonly<Record<string, LinePick>>,
  refund: 'original' | 'store_credit',
  locationId: string | null,
  channel?: string,
  exchangeDelivery: ExchangeDelivery | 'auto' = 'auto',
): { body: ReturnBody | null; errors: PickError[] } {
  const errors: PickError[] = [];
  const out: ReturnBody['lines'] = [];
  const exchange: NonNullable<ReturnBody['exchange']> = [];
  for (const l of lines) {
    const p = picks[l.line_id];
    if (!p) continue;
    const raw = p.quantity.trim();
    const n = raw === '' ? 0 : Number(raw);
    if (!Number.isInteger(n) || n < 0) {
      errors.push({ line_id: l.line_id, key: 'not_whole' });
      continue;
    }
    if (n === 0) continue;
    if (n > l.quantity) {
      errors.push({ line_id: l.line_id, key: 'too_many' });
      continue;
    }
    if (!p.reason.trim()) {
      errors.push({ line_id: l.line_id, key: 'reason_required' });
      continue;
    }
    out.push({ line_id: l.line_id, quantity: n, reason: p.reason.trim(), condition: p.condition });
    if (p.exchange_sku) exchange.push({ for_line_id: l.line_id, sku: p.exchange_sku, quantity: n });
  }
  if (!errors.length && !out.length) errors.push({ line_id: null, key: 'nothing' });
  if (errors.length) return { body: null, errors };
  return {
    body: {
      order_id: orderId,
      ...(channel ? { channel } : {}),
      ...(locationId ? { location_id: locationId } : {}),
      refund,
      lines: out,
      ...(exchange.length ? { exchange } : {}),
      ...(exchange.length && exchangeDelivery !== 'auto' ? { exchange_delivery: exchangeDelivery } : {}),
    },
    errors,
  };
}
