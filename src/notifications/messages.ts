/**
 * Messages in the shopper's language (issue 16): Spanish and Portuguese texts of every template, and
 * the account and campaign templates in all three languages. English order mails stay in
 * templates.ts (their text is shared with the pickup promise work); message-render.ts picks the
 * language from `data.locale`, formats money and dates for it with Intl and renders these texts.
 * Pure: data in, text out.
 */
import { TEMPLATES, TEMPLATE_KIND, type MessageData } from './templates.js';

export const ACCOUNT_TEMPLATES = ['account_code', 'account_exists', 'password_reset'] as const;
export const MESSAGE_TEMPLATES = [...TEMPLATES, ...ACCOUNT_TEMPLATES, 'campaign_coupon', 'review_request'] as const;
export type MessageTemplate = (typeof MESSAGE_TEMPLATES)[number];
export const MESSAGE_KIND: Record<MessageTemplate, 'transactional' | 'marketing'> = {
  ...TEMPLATE_KIND,
  account_code: 'transactional',
  account_exists: 'transactional',
  password_reset: 'transactional',
  campaign_coupon: 'marketing',
  /** Issue 19: after delivery or pickup, once per order, only with marketing consent. */
  review_request: 'marketing',
};
export const MESSAGE_LOCALES = ['en', 'es', 'pt'] as const;
export type MessageLocale = (typeof MESSAGE_LOCALES)[number];

export interface MessageInput extends MessageData {
  /** A one-time account code (account_code, password_reset). */
  code?: string | undefined;
  expires_in_min?: number | undefined;
  coupon_code?: string | undefined;
  /** What the coupon gives, as the campaign states it ("10 % off"). */
  offer?: string | undefined;
  first_name?: string | undefined;
  /** The signed unsubscribe link every marketing message carries. */
  unsubscribe_url?: string | undefined;
}

/** The language of a BCP 47 tag among ours (`pt-BR` → pt); English otherwise. */
export function messageLocale(tag: string | undefined): MessageLocale {
  const lang = (tag ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return (MESSAGE_LOCALES as readonly string[]).includes(lang) ? (lang as MessageLocale) : 'en';
}

export interface Body {
  subject: string;
  paragraphs: string[];
}
type Texts = (d: MessageInput, f: Fmt) => Record<MessageTemplate, () => Body>;
/** How a language writes money, dates and times, and the order's lines (message-render.ts builds it). */
export interface Fmt {
  money(m: { amount: number; currency: string }): string;
  date(iso: string): string;
  time(iso: string): string;
  lines: string[];
  /** gift_notice: names and quantities only (no amounts), and whether it is collected. */
  items: string[];
  pickup: boolean;
  ref: string;
}

const EN_EXTRA = (
  d: MessageInput,
  f: Fmt,
): Record<(typeof ACCOUNT_TEMPLATES)[number] | 'campaign_coupon' | 'review_request', () => Body> => ({
  account_code: () => ({
    subject: `Your code: ${d.code ?? ''}`,
    paragraphs: [
      `Your verification code is ${d.code ?? ''}.`,
      `It is valid for ${d.expires_in_min ?? 15} minutes. If you did not ask for it, ignore this message.`,
    ],
  }),
  account_exists: () => ({
    subject: 'You already have an account',
    paragraphs: [
      'Someone tried to register with this address, which already has an account.',
      'If it was you, log in or reset your password. If not, you can ignore this message.',
    ],
  }),
  password_reset: () => ({
    subject: 'Reset your password',
    paragraphs: [
      `Your password reset code is ${d.code ?? ''}, valid for ${d.expires_in_min ?? 15} minutes.`,
      'If you did not ask for it, ignore this message: your password stays as it is.',
    ],
  }),
  campaign_coupon: () => ({
    subject: `${d.first_name ? `${d.first_name}, a` : 'A'} gift for you${d.offer ? `: ${d.offer}` : ''}`,
    paragraphs: [
      `Here is your personal code: ${d.coupon_code ?? ''}${d.offer ? ` (${d.offer})` : ''}.`,
      'It can be used once, online or in store.',
      ...f.lines,
    ],
  }),
  review_request: () => ({
    subject: `${d.first_name ? `${d.first_name}, how` : 'How'} did it go?`,
    paragraphs: [
      'Tell other shoppers what you think of what you received, and whether the size was right:',
      ...f.items.map((i) => i.replace(/^\d+ × /, '')),
      'Write your review from your account, in the app or on the web.',
    ],
  }),
});

const ES: Texts = (d, f) => ({
  gift_notice: () => ({
    subject: `${d.giver_name ?? 'Alguien'} te ha enviado un regalo`,
    paragraphs: [
      d.recipient_name ? `Hola, ${d.recipient_name}:` : '',
      `${d.giver_name ?? 'Alguien'} te ha enviado un regalo.`,
      d.gift_message ? `«${d.gift_message}»` : '',
      'Contiene:',
      ...f.items,
      d.delivery_method === 'home'
        ? `Llegará a tu domicilio${d.promised_date ? ` el ${f.date(d.promised_date)}` : ''}.`
        : '',
      f.pickup
        ? `Puedes recogerlo${d.location_name ? ` en ${d.location_name}` : ''}${d.ready_by ? ` a partir del ${f.time(d.ready_by)}` : d.promised_date ? ` a partir del ${f.date(d.promised_date)}` : ''}${d.collect_until ? `, hasta el ${f.time(d.collect_until)}` : ''}.`
        : '',
      `Código de regalo: ${d.gift_receipt_code ?? ''}. Con él puedes cambiarlo o devolverlo en cualquiera de nuestras tiendas a cambio de saldo para compras, sin necesidad de cuenta.`,
    ],
  }),
  order_confirmation: () => ({
    subject: `Tu pedido ${f.ref} está confirmado`,
    paragraphs: [
      `Gracias por tu pedido ${f.ref}.`,
      ...f.lines,
      d.total ? `Total: ${f.money(d.total)}` : '',
      d.delivery_method
        ? `Entrega: ${ES_DELIVERY[d.delivery_method] ?? d.delivery_method}${d.promised_date ? `, prevista el ${f.date(d.promised_date)}` : ''}.`
        : '',
    ],
  }),
  ready_for_pickup: () => ({
    subject: `Tu pedido ${f.ref} está listo para recoger`,
    paragraphs: [
      `Tu pedido ${f.ref} está listo${d.location_name ? ` en ${d.location_name}` : ''}.`,
      `Código de recogida: ${d.pickup_code ?? '(pregunta en tienda)'}`,
      d.collect_until ? `Puedes recogerlo hasta el ${f.time(d.collect_until)}.` : '',
      'Muestra este código en el mostrador.',
    ],
  }),
  shipped: () => ({
    subject: `Tu pedido ${f.ref} ha salido`,
    paragraphs: [`Tu pedido ${f.ref} está en camino.`, d.tracking ? `Seguimiento: ${d.tracking}` : ''],
  }),
  return_received: () => ({
    subject: `Hemos recibido tu devolución del pedido ${f.ref}`,
    paragraphs: [
      `Hemos recibido la devolución${d.return_id ? ` ${d.return_id}` : ''} del pedido ${f.ref}.`,
      'Te avisaremos cuando emitamos el reembolso.',
    ],
  }),
  refund_issued: () => ({
    subject: `Reembolso emitido para el pedido ${f.ref}`,
    paragraphs: [
      `Hemos reembolsado ${d.amount ? f.money(d.amount) : 'tu pago'} del pedido ${f.ref}.`,
      'Puede tardar unos días en aparecer en tu extracto.',
    ],
  }),
  payment_link: () => ({
    subject: `Paga tu pedido ${f.ref}`,
    paragraphs: [
      `Tu pedido ${f.ref} está pendiente de pago${d.amount ? ` de ${f.money(d.amount)}` : ''}.`,
      ...f.lines,
      `Paga de forma segura aquí: ${d.payment_url ?? ''}`,
      d.pay_by
        ? `El enlace funciona hasta ${f.time(d.pay_by)}${d.location_timezone ? '' : ' (UTC)'}; después el pedido se cancela.`
        : '',
    ],
  }),
  cart_reminder: () => ({
    subject: 'Te has dejado algo en la cesta',
    paragraphs: ['Tu cesta te está esperando.', ...f.lines],
  }),
  account_code: () => ({
    subject: `Tu código: ${d.code ?? ''}`,
    paragraphs: [
      `Tu código de verificación es ${d.code ?? ''}.`,
      `Es válido durante ${d.expires_in_min ?? 15} minutos. Si no lo has pedido, ignora este mensaje.`,
    ],
  }),
  account_exists: () => ({
    subject: 'Ya tienes una cuenta',
    paragraphs: [
      'Alguien ha intentado registrarse con esta dirección, que ya tiene una cuenta.',
      'Si fuiste tú, inicia sesión o restablece tu contraseña. Si no, puedes ignorar este mensaje.',
    ],
  }),
  password_reset: () => ({
    subject: 'Restablece tu contraseña',
    paragraphs: [
      `Tu código para restablecer la contraseña es ${d.code ?? ''}, válido durante ${d.expires_in_min ?? 15} minutos.`,
      'Si no lo has pedido, ignora este mensaje: tu contraseña no cambia.',
    ],
  }),
  campaign_coupon: () => ({
    subject: `${d.first_name ? `${d.first_name}, un` : 'Un'} regalo para ti${d.offer ? `: ${d.offer}` : ''}`,
    paragraphs: [
      `Este es tu código personal: ${d.coupon_code ?? ''}${d.offer ? ` (${d.offer})` : ''}.`,
      'Se puede usar una vez, en la web o en tienda.',
      ...f.lines,
    ],
  }),
  review_request: () => ({
    subject: `${d.first_name ? `${d.first_name}, ¿qué` : '¿Qué'} tal ha ido?`,
    paragraphs: [
      'Cuéntanos qué te parece lo que has recibido y si la talla era la adecuada:',
      ...f.items.map((i) => i.replace(/^\d+ × /, '')),
      'Escribe tu opinión desde tu cuenta, en la app o en la web.',
    ],
  }),
});

const PT: Texts = (d, f) => ({
  gift_notice: () => ({
    subject: `${d.giver_name ?? 'Alguém'} enviou-lhe um presente`,
    paragraphs: [
      d.recipient_name ? `Olá, ${d.recipient_name},` : '',
      `${d.giver_name ?? 'Alguém'} enviou-lhe um presente.`,
      d.gift_message ? `«${d.gift_message}»` : '',
      'Contém:',
      ...f.items,
      d.delivery_method === 'home'
        ? `Será entregue no seu domicílio${d.promised_date ? ` a ${f.date(d.promised_date)}` : ''}.`
        : '',
      f.pickup
        ? `Pode levantá-lo${d.location_name ? ` em ${d.location_name}` : ''}${d.ready_by ? ` a partir de ${f.time(d.ready_by)}` : d.promised_date ? ` a partir de ${f.date(d.promised_date)}` : ''}${d.collect_until ? `, até ${f.time(d.collect_until)}` : ''}.`
        : '',
      `Código de oferta: ${d.gift_receipt_code ?? ''}. Com ele pode trocá-lo ou devolvê-lo em qualquer uma das nossas lojas por crédito em loja, sem precisar de conta.`,
    ],
  }),
  order_confirmation: () => ({
    subject: `A sua encomenda ${f.ref} está confirmada`,
    paragraphs: [
      `Obrigado pela sua encomenda ${f.ref}.`,
      ...f.lines,
      d.total ? `Total: ${f.money(d.total)}` : '',
      d.delivery_method
        ? `Entrega: ${PT_DELIVERY[d.delivery_method] ?? d.delivery_method}${d.promised_date ? `, prevista para ${f.date(d.promised_date)}` : ''}.`
        : '',
    ],
  }),
  ready_for_pickup: () => ({
    subject: `A encomenda ${f.ref} está pronta para levantamento`,
    paragraphs: [
      `A sua encomenda ${f.ref} está pronta${d.location_name ? ` em ${d.location_name}` : ''}.`,
      `Código de levantamento: ${d.pickup_code ?? '(pergunte na loja)'}`,
      d.collect_until ? `Pode levantá-la até ${f.time(d.collect_until)}.` : '',
      'Mostre este código no balcão.',
    ],
  }),
  shipped: () => ({
    subject: `A encomenda ${f.ref} foi expedida`,
    paragraphs: [`A sua encomenda ${f.ref} está a caminho.`, d.tracking ? `Seguimento: ${d.tracking}` : ''],
  }),
  return_received: () => ({
    subject: `Recebemos a sua devolução da encomenda ${f.ref}`,
    paragraphs: [
      `Recebemos a devolução${d.return_id ? ` ${d.return_id}` : ''} da encomenda ${f.ref}.`,
      'Avisaremos quando o reembolso for emitido.',
    ],
  }),
  refund_issued: () => ({
    subject: `Reembolso emitido para a encomenda ${f.ref}`,
    paragraphs: [
      `Reembolsámos ${d.amount ? f.money(d.amount) : 'o seu pagamento'} da encomenda ${f.ref}.`,
      'Pode demorar alguns dias a aparecer no seu extrato.',
    ],
  }),
  payment_link: () => ({
    subject: `Pague a sua encomenda ${f.ref}`,
    paragraphs: [
      `A sua encomenda ${f.ref} aguarda pagamento${d.amount ? ` de ${f.money(d.amount)}` : ''}.`,
      ...f.lines,
      `Pague em segurança aqui: ${d.payment_url ?? ''}`,
      d.pay_by
        ? `O link funciona até ${f.time(d.pay_by)}${d.location_timezone ? '' : ' (UTC)'}; depois disso a encomenda é cancelada.`
        : '',
    ],
  }),
  cart_reminder: () => ({
    subject: 'Deixou algo no seu carrinho',
    paragraphs: ['O seu carrinho está à sua espera.', ...f.lines],
  }),
  account_code: () => ({
    subject: `O seu código: ${d.code ?? ''}`,
    paragraphs: [
      `O seu código de verificação é ${d.code ?? ''}.`,
      `É válido durante ${d.expires_in_min ?? 15} minutos. Se não o pediu, ignore esta mensagem.`,
    ],
  }),
  account_exists: () => ({
    subject: 'Já tem uma conta',
    paragraphs: [
      'Alguém tentou registar-se com este endereço, que já tem uma conta.',
      'Se foi você, inicie sessão ou redefina a sua palavra-passe. Caso contrário, ignore esta mensagem.',
    ],
  }),
  password_reset: () => ({
    subject: 'Redefina a sua palavra-passe',
    paragraphs: [
      `O seu código para redefinir a palavra-passe é ${d.code ?? ''}, válido durante ${d.expires_in_min ?? 15} minutos.`,
      'Se não o pediu, ignore esta mensagem: a sua palavra-passe não muda.',
    ],
  }),
  campaign_coupon: () => ({
    subject: `${d.first_name ? `${d.first_name}, um` : 'Um'} presente para si${d.offer ? `: ${d.offer}` : ''}`,
    paragraphs: [
      `Este é o seu código pessoal: ${d.coupon_code ?? ''}${d.offer ? ` (${d.offer})` : ''}.`,
      'Pode ser usado uma vez, online ou na loja.',
      ...f.lines,
    ],
  }),
  review_request: () => ({
    subject: `${d.first_name ? `${d.first_name}, como` : 'Como'} correu?`,
    paragraphs: [
      'Diga-nos o que achou do que recebeu e se o tamanho era o certo:',
      ...f.items.map((i) => i.replace(/^\d+ × /, '')),
      'Escreva a sua opinião a partir da sua conta, na app ou na web.',
    ],
  }),
});

const ES_DELIVERY: Record<string, string> = {
  home: 'a domicilio',
  click_collect: 'recogida en tienda',
  pickup_point: 'punto de recogida',
  in_store: 'en tienda',
};
const PT_DELIVERY: Record<string, string> = {
  home: 'ao domicílio',
  click_collect: 'levantamento na loja',
  pickup_point: 'ponto de recolha',
  in_store: 'na loja',
};

/** The texts of every template in a language; English has only the account and campaign ones here. */
export function textsFor(locale: MessageLocale, d: MessageInput, f: Fmt): Record<MessageTemplate, () => Body> {
  return locale === 'es' ? ES(d, f) : locale === 'pt' ? PT(d, f) : { ...ES(d, f), ...EN_EXTRA(d, f) };
}

/** Sample data for the console's preview of each template. */
export function sampleData(locale: MessageLocale): MessageInput {
  return {
    locale,
    order_id: 'ord_PREVIEW',
    total: { amount: 4990, currency: 'EUR' },
    lines: [
      { sku: 'TSHIRT-M', quantity: 2, total: 2990 },
      { sku: 'CAP', quantity: 1, total: 2000 },
    ],
    delivery_method: 'click_collect',
    promised_date: '2026-12-03',
    pickup_code: 'PK-4821',
    collect_until: '2026-12-03T20:30:00Z',
    location_timezone: 'Europe/Madrid',
    location_name: 'Sol',
    tracking: 'TRK123456',
    amount: { amount: 1990, currency: 'EUR' },
    return_id: 'ret_PREVIEW',
    code: '123456',
    expires_in_min: 15,
    coupon_code: 'WELCOME-7K2P9Q',
    offer: '10 %',
    first_name: 'Ana',
    unsubscribe_url: 'https://shop.example/unsubscribe?token=preview',
    // gift_notice (to the recipient: no prices)
    items: [
      { name: 'T-shirt', quantity: 2 },
      { name: 'Cap', quantity: 1 },
    ],
    giver_name: 'Ana',
    recipient_name: 'Leo',
    gift_message: locale === 'es' ? '¡Feliz cumpleaños!' : locale === 'pt' ? 'Feliz aniversário!' : 'Happy birthday!',
    gift_receipt_code: 'GR-7K2P-9QX4-M3TB-8DWA',
    payment_url: 'https://checkout.stripe.com/c/pay/cs_test_preview',
    pay_by: '2026-12-04T10:00:00Z',
    ready_by: '2026-12-03T17:00:00Z',
  };
}
