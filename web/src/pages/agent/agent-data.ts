/** Pure shaping of the agent's screens: the 360's tables and the order-for-a-customer choices. */

export interface Money {
  amount: number;
  currency: string;
}

export interface OrderView {
  id: string;
  status: string;
  channel_id: string;
  channel_type: string;
  location_id: string | null;
  placed_at: string;
  total: Money;
  delivery: { method: string; location_id?: string | null };
  lines: { line_id: string; sku: string; quantity: number; fulfilled_quantity: number; total: number }[];
}

export interface OrderRow {
  id: string;
  placed_at: string;
  channel: string;
  channel_type: string;
  /** online, store (till or store location) or assisted (contact center): what the agent reads first. */
  kind: 'online' | 'store' | 'assisted';
  where: string | null;
  status: string;
  total: Money;
  units: number;
  cancellable: boolean;
  /** Something was handed over or shipped: units can come back. */
  returnable: boolean;
}

/** Orders that may still be cancelled (the orders module refuses the rest with a 409 anyway). */
const CANCELLABLE = new Set(['payment_pending', 'placed', 'confirmed']);

/** Statuses in which units of a line may still be cancelled (before a store picks them; the API checks the tasks). */
const LINE_CANCELLABLE = new Set(['placed', 'confirmed', 'partially_fulfilled']);

export interface LineRow {
  line_id: string;
  sku: string;
  quantity: number;
  /** Units not yet shipped or handed over: at most this many can be cancelled. */
  open: number;
  total: number;
}

/** An order's lines with what could still be cancelled (empty when the order's status admits no line cancel). */
export function cancellableLines(order: Pick<OrderView, 'status' | 'lines'>): LineRow[] {
  if (!LINE_CANCELLABLE.has(order.status)) return [];
  return order.lines
    .map((l) => ({
      line_id: l.line_id,
      sku: l.sku,
      quantity: l.quantity,
      open: l.quantity - l.fulfilled_quantity,
      total: l.total,
    }))
    .filter((l) => l.open > 0);
}

export function orderKind(channelType: string, deliveryMethod: string): OrderRow['kind'] {
  if (channelType === 'pos' || deliveryMethod === 'in_store') return 'store';
  if (channelType === 'contact_center') return 'assisted';
  return 'online';
}

/** Orders of every channel in one list, newest first, with channel and store names resolved. */
export function orderRows(
  orders: OrderView[],
  channelNames: Map<string, string>,
  locationNames: Map<string, string>,
): OrderRow[] {
  return [...orders]
    .sort((a, b) => b.placed_at.localeCompare(a.placed_at))
    .map((o) => {
      const loc = o.location_id ?? o.delivery.location_id ?? null;
      return {
        id: o.id,
        placed_at: o.placed_at,
        channel: channelNames.get(o.channel_id) ?? o.channel_id,
        channel_type: o.channel_type,
        kind: orderKind(o.channel_type, o.delivery.method),
        where: loc ? (locationNames.get(loc) ?? loc) : null,
        status: o.status,
        total: o.total,
        units: o.lines.reduce((n, l) => n + l.quantity, 0),
        cancellable: CANCELLABLE.has(o.status),
        returnable: o.lines.some((l) => l.fulfilled_quantity > 0),
      };
    });
}

/** The consent's recorded source when an agent changes it: who and why, so the audit reads itself. */
export function consentSource(reason: string): string | null {
  const r = reason.trim().replace(/\s+/g, ' ');
  if (r.length < 3) return null;
  return `agent: ${r}`.slice(0, 200);
}

/** The three channel-kind shares of the channel mix, largest first, as whole percentages. */
export function mixShares(mix: {
  online_share: number;
  store_share: number;
  assisted_share: number;
}): { kind: 'online' | 'store' | 'assisted'; percent: number }[] {
  return (
    [
      { kind: 'online' as const, percent: Math.round(mix.online_share * 100) },
      { kind: 'store' as const, percent: Math.round(mix.store_share * 100) },
      { kind: 'assisted' as const, percent: Math.round(mix.assisted_share * 100) },
    ]
      // stable: equal shares keep online, store, assisted order
      .sort((a, b) => b.percent - a.percent)
  );
}

export interface DeliveryOption {
  id: string;
  kind: string;
  method: string;
  location_id: string | null;
  name: string;
  price: Money;
  promised_date: string;
}

/** How the agent's customer pays: on collection, a card read out on the phone, or a link mailed to them. */
export type PayChoice = 'pay_on_pickup' | 'card' | 'link';

/** The provider behind each choice (the API's `GET /v1/payments/methods` says which are allowed here). */
export const PROVIDER_OF: Record<PayChoice, string> = { pay_on_pickup: 'manual', card: 'test', link: 'stripe_link' };

/**
 * How the customer may pay for an order the agent places, by delivery: on collection for a pickup
 * (the contact-center channel allows it), a card read out on the phone, or a payment link. Whether
 * the link can be sent here (Stripe configured, the channel sends links) is the API's answer, shown
 * beside the choice when it cannot.
 */
export function paymentChoices(option: Pick<DeliveryOption, 'method'> | null): PayChoice[] {
  if (!option) return [];
  return option.method === 'click_collect' || option.method === 'pickup_point'
    ? ['pay_on_pickup', 'card', 'link']
    : ['card', 'link'];
}

export function checkoutBody(
  option: DeliveryOption,
  pay: PayChoice,
  card: string,
  address: { name: string; line1: string; city: string; postal_code: string; country: string } | null,
) {
  const delivery =
    option.method === 'home'
      ? { method: 'home' as const, ...(address ? { address } : {}) }
      : { method: option.method as 'click_collect' | 'pickup_point', location_id: option.location_id ?? undefined };
  const payment =
    pay === 'pay_on_pickup'
      ? { provider: 'manual' }
      : pay === 'link'
        ? { provider: 'stripe_link' }
        : { provider: 'test', card_number: card.replace(/\s/g, '') || undefined };
  return { delivery, payment };
}

/** An order placed and waiting for the customer to pay on the link mailed to them. */
export interface AwaitingLink {
  order_id: string;
  url: string;
  expires_at: string;
}

/**
 * The checkout's answer when the order waits on a payment link: 402 payment_action_required with the
 * order and the link (as for 3-D Secure, with `next_action.type = payment_link`); null for any other.
 */
export function awaitingLink(status: number, body: unknown): AwaitingLink | null {
  if (status !== 402 || !body || typeof body !== 'object') return null;
  const b = body as { code?: unknown; order_id?: unknown; next_action?: Record<string, unknown> | null };
  const next = b.next_action;
  if (b.code !== 'payment_action_required' || typeof b.order_id !== 'string' || next?.type !== 'payment_link')
    return null;
  return { order_id: b.order_id, url: String(next.redirect_url), expires_at: String(next.expires_at) };
}

/** The last payment-link mail of an order's message log (a resend is a newer row), or null before it leaves. */
export function lastLinkMail<T extends { template: string; status: string; created_at: string }>(items: T[]): T | null {
  return (
    items
      .filter((n) => n.template === 'payment_link' && n.status === 'sent')
      .sort((a, b) => b.created_at.localeCompare(a.created_at))[0] ?? null
  );
}

/**
 * A return started on the phone: the units come back by carrier with a prepaid label, so it is a
 * drop-off return — recorded `requested` with a return code (the label reference), nothing refunded
 * or restocked until a store or the warehouse receives it by that code.
 */
export function phoneReturnBody(
  orderId: string,
  channelId: string,
  picked: { line_id: string; quantity: number }[],
  reason: string,
  refund: 'original' | 'store_credit',
) {
  const lines = picked
    .filter((l) => l.quantity > 0)
    .map((l) => ({ line_id: l.line_id, quantity: l.quantity, reason: reason.trim() }));
  return {
    order_id: orderId,
    channel: channelId,
    lines,
    refund,
    dropoff: { method: 'carrier' as const },
  };
}
