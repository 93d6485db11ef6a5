/**
 * The message templates. Pure: data in, subject/text/html out, the same whatever channel the order
 * came from (the channel changes nothing in the content, by design).
 */
import { formatMoney } from '../platform/money.js';

export const TEMPLATES = [
  'order_confirmation',
  'ready_for_pickup',
  'shipped',
  'return_received',
  'refund_issued',
  'cart_reminder',
  'gift_notice',
  'payment_link',
] as const;
export type TemplateName = (typeof TEMPLATES)[number];
export const TEMPLATE_KIND: Record<TemplateName, 'transactional' | 'marketing'> = {
  order_confirmation: 'transactional',
  ready_for_pickup: 'transactional',
  shipped: 'transactional',
  return_received: 'transactional',
  refund_issued: 'transactional',
  cart_reminder: 'marketing',
  gift_notice: 'transactional',
  payment_link: 'transactional',
};

export interface MessageData {
  order_id?: string | undefined;
  shop_name?: string | undefined;
  total?: { amount: number; currency: string } | undefined;
  lines?: { sku: string; quantity: number; total: number }[] | undefined;
  delivery_method?: string | undefined;
  promised_date?: string | null | undefined;
  pickup_code?: string | undefined;
  /** Pickup promise: the collect window's end (ISO) and the location's timezone to state it in. */
  collect_until?: string | null | undefined;
  location_timezone?: string | undefined;
  location_name?: string | undefined;
  tracking?: string | undefined;
  amount?: { amount: number; currency: string } | undefined;
  return_id?: string | undefined;
  /**
   * gift_notice, to the gift's recipient: what the parcel holds (product names and quantities — never
   * a price), who sends it, their message and the gift receipt code. Pickup: ready from `ready_by`.
   */
  items?: { name: string; quantity: number }[] | undefined;
  giver_name?: string | undefined;
  recipient_name?: string | undefined;
  gift_message?: string | undefined;
  gift_receipt_code?: string | undefined;
  ready_by?: string | null | undefined;
  /** payment_link: the link the shopper pays the order on (Stripe's page), and until when (ISO). */
  payment_url?: string | undefined;
  pay_by?: string | undefined;
  /** The shopper's locale (BCP 47) for amounts; the default locale when not known. */
  locale?: string | undefined;
}

export interface Rendered {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const DELIVERY_LABEL: Record<string, string> = {
  home: 'home delivery',
  click_collect: 'click & collect',
  pickup_point: 'pickup point',
  in_store: 'taken in store',
};

/** "21:30 on Thu 11 Jun" in the pickup location's own timezone (its wall clock is what the shopper reads). */
function localTime(iso: string, timeZone: string | undefined, locale: string | undefined): string {
  const at = new Date(iso);
  const tz = timeZone ?? 'UTC';
  const time = new Intl.DateTimeFormat(locale ?? 'en-GB', {
    timeZone: tz,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const day = new Intl.DateTimeFormat(locale ?? 'en-GB', {
    timeZone: tz,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  });
  return `${time.format(at)} on ${day.format(at)}`;
}

function body(t: TemplateName, d: MessageData): { subject: string; paragraphs: string[] } {
  const ref = d.order_id ?? '';
  const money = (m: { amount: number; currency: string }) => formatMoney(m, d.locale);
  const currency = d.total?.currency;
  // A line's amount is in the order's currency; without one it is left out rather than guessed.
  const lines = (d.lines ?? []).map(
    (l) => `${l.quantity} × ${l.sku}${currency ? ` — ${money({ amount: l.total, currency })}` : ''}`,
  );
  switch (t) {
    case 'order_confirmation':
      return {
        subject: `Your order ${ref} is confirmed`,
        paragraphs: [
          `Thank you for your order ${ref}.`,
          ...lines,
          d.total ? `Total: ${money(d.total)}` : '',
          d.delivery_method
            ? `Delivery: ${DELIVERY_LABEL[d.delivery_method] ?? d.delivery_method}${d.promised_date ? `, expected ${d.promised_date}` : ''}.`
            : '',
        ],
      };
    case 'ready_for_pickup':
      return {
        subject: `Order ${ref} is ready for pickup`,
        paragraphs: [
          `Your order ${ref} is ready${d.location_name ? ` at ${d.location_name}` : ''}.`,
          `Pickup code: ${d.pickup_code ?? '(ask in store)'}`,
          d.collect_until ? `Collect until ${localTime(d.collect_until, d.location_timezone, d.locale)}.` : '',
          'Show this code at the counter.',
        ],
      };
    case 'shipped':
      return {
        subject: `Order ${ref} has shipped`,
        paragraphs: [`Your order ${ref} is on its way.`, d.tracking ? `Tracking: ${d.tracking}` : ''],
      };
    case 'return_received':
      return {
        subject: `We received your return for order ${ref}`,
        paragraphs: [
          `We received the return${d.return_id ? ` ${d.return_id}` : ''} for order ${ref}.`,
          'We will let you know when the refund is issued.',
        ],
      };
    case 'refund_issued':
      return {
        subject: `Refund issued for order ${ref}`,
        paragraphs: [
          `We refunded ${d.amount ? money(d.amount) : 'your payment'} for order ${ref}.`,
          'It can take a few days to show on your statement.',
        ],
      };
    case 'cart_reminder':
      return { subject: 'You left something in your cart', paragraphs: ['Your cart is waiting for you.', ...lines] };
    case 'gift_notice':
      return giftNotice(d);
    case 'payment_link':
      return {
        subject: `Pay for your order ${ref}`,
        paragraphs: [
          `Your order ${ref} is waiting for payment${d.amount ? ` of ${money(d.amount)}` : ''}.`,
          ...lines,
          `Pay securely here: ${d.payment_url ?? ''}`,
          d.pay_by
            ? `The link works until ${localTime(d.pay_by, d.location_timezone, d.locale)}${d.location_timezone ? '' : ' (UTC)'}; after that the order is cancelled.`
            : '',
        ],
      };
  }
}

/** The recipient's mail: built from `items`, never from `lines` or totals, so no amount can slip in. */
function giftNotice(d: MessageData): { subject: string; paragraphs: string[] } {
  const giver = d.giver_name ?? 'Someone';
  const at = (iso: string) => localTime(iso, d.location_timezone, d.locale);
  const pickup = d.delivery_method === 'click_collect' || d.delivery_method === 'pickup_point';
  return {
    subject: `${giver} sent you a gift`,
    paragraphs: [
      d.recipient_name ? `Hello ${d.recipient_name},` : '',
      `${giver} sent you a gift.`,
      d.gift_message ? `“${d.gift_message}”` : '',
      'It contains:',
      ...(d.items ?? []).map((i) => `${i.quantity} × ${i.name}`),
      d.delivery_method === 'home'
        ? `It will be delivered to your door${d.promised_date ? ` by ${longDateEn(d.promised_date)}` : ''}.`
        : '',
      pickup
        ? `You can collect it${d.location_name ? ` at ${d.location_name}` : ''}${d.ready_by ? ` from ${at(d.ready_by)}` : d.promised_date ? ` from ${longDateEn(d.promised_date)}` : ''}${d.collect_until ? `, until ${at(d.collect_until)}` : ''}.`
        : '',
      `Gift receipt code: ${d.gift_receipt_code ?? ''}. With it you can exchange or return the gift in any of our stores for store credit — no account needed.`,
    ],
  };
}
const longDateEn = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T12:00:00Z`));

export function render(t: TemplateName, d: MessageData): Rendered {
  const { subject, paragraphs } = body(t, d);
  const ps = paragraphs.filter(Boolean);
  const shop = d.shop_name ?? 'Omnia';
  return {
    subject: `${subject} — ${shop}`,
    text: `${ps.join('\n')}\n\n${shop}\n`,
    html: `<!doctype html><html><body>${ps.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}<p>${escapeHtml(shop)}</p></body></html>`,
  };
}
