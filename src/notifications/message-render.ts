/**
 * Rendering a message in the shopper's language, split from messages.ts (house rule: files under
 * ~400 lines): the language and Intl locale from `data.locale`, money, dates and times formatted for
 * it, the subject, text and HTML bodies, and the unsubscribe footer of marketing messages. The texts
 * themselves stay in messages.ts (and templates.ts for English order mails). Pure: data in, text out.
 */
import { formatMoney } from '../platform/money.js';
import { render as renderEnglish, TEMPLATES, type Rendered } from './templates.js';
import {
  MESSAGE_KIND,
  messageLocale,
  textsFor,
  type Fmt,
  type MessageInput,
  type MessageLocale,
  type MessageTemplate,
} from './messages.js';

/** A calendar date (`YYYY-MM-DD`) as the shopper writes it: "3 de diciembre de 2026". */
function longDate(iso: string, locale: string): string {
  const d = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}
function localTime(iso: string, timeZone: string | undefined, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: timeZone ?? 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

const FOOTER: Record<MessageLocale, { unsubscribe: string }> = {
  en: { unsubscribe: 'Unsubscribe from these messages' },
  es: { unsubscribe: 'Darse de baja de estos mensajes' },
  pt: { unsubscribe: 'Cancelar a subscrição destas mensagens' },
};

const INTL_DEFAULT: Record<MessageLocale, string> = { en: 'en', es: 'es-ES', pt: 'pt-PT' };

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Renders a template in the data's locale (es, pt, or en); marketing messages carry the unsubscribe link. */
export function renderMessage(t: MessageTemplate, d: MessageInput): Rendered & { locale: MessageLocale } {
  const locale = messageLocale(d.locale);
  // A bare language gets its European form for numbers and dates ("49,90 €", not "€ 49,90").
  const intl = d.locale && /[-_]/.test(d.locale) ? d.locale : INTL_DEFAULT[locale];
  const currency = d.total?.currency;
  const money = (m: { amount: number; currency: string }) => formatMoney(m, intl);
  const f: Fmt = {
    money,
    date: (iso) => longDate(iso, intl),
    time: (iso) => localTime(iso, d.location_timezone, intl),
    lines: (d.lines ?? []).map(
      (l) => `${l.quantity} × ${l.sku}${currency ? ` — ${money({ amount: l.total, currency })}` : ''}`,
    ),
    items: (d.items ?? []).map((i) => `${i.quantity} × ${i.name}`),
    pickup: d.delivery_method === 'click_collect' || d.delivery_method === 'pickup_point',
    ref: d.order_id ?? '',
  };
  // English order mails: templates.ts, as they always were.
  if (locale === 'en' && (TEMPLATES as readonly string[]).includes(t))
    return withUnsubscribe({ ...renderEnglish(t as (typeof TEMPLATES)[number], d), locale }, t, d, locale);
  const texts = textsFor(locale, d, f);
  const { subject, paragraphs } = texts[t]();
  const ps = paragraphs.filter(Boolean);
  const shop = d.shop_name ?? 'Omnia';
  return withUnsubscribe(
    {
      subject: `${subject} — ${shop}`,
      text: `${ps.join('\n')}\n\n${shop}\n`,
      html: `<!doctype html><html lang="${locale}"><body>${ps.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}<p>${escapeHtml(shop)}</p></body></html>`,
      locale,
    },
    t,
    d,
    locale,
  );
}

function withUnsubscribe<R extends Rendered>(r: R, t: MessageTemplate, d: MessageInput, locale: MessageLocale): R {
  if (MESSAGE_KIND[t] !== 'marketing' || !d.unsubscribe_url) return r;
  const label = FOOTER[locale].unsubscribe;
  return {
    ...r,
    text: `${r.text}\n${label}: ${d.unsubscribe_url}\n`,
    html: r.html.replace(
      '</body>',
      `<p><a href="${escapeHtml(d.unsubscribe_url)}">${escapeHtml(label)}</a></p></body>`,
    ),
  };
}
