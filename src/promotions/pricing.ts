/**
 * The service side of a quote: gathers the facts (channel, catalog prices and VAT, customer, coupons)
 * the same way whatever channel asks, then hands them to the pure engine. Promotions come from the
 * in-memory snapshot; the catalog answers prices and variants in two queries per quote.
 */
import type { Executor } from '../platform/db/schema.js';
import { AppError, problems, type FieldError } from '../platform/http/problems.js';
import { priceBasket } from './engine.js';
import { resolveCoupons } from './coupons.js';
import { MAX_AMOUNT } from './rules.js';
import type { PromotionsDeps } from './ports.js';
import type { PromotionSnapshot } from './compile.js';
import { catalogFacts, type CatalogCache } from './catalog-cache.js';
import type { CouponResult, CustomerFacts, PricedLine, Quote } from './types.js';

export const MAX_LINES = 500;
const INT4 = 2_147_483_647;

export interface QuoteInput {
  channel: string;
  currency?: string | undefined;
  customer_id?: string | null | undefined;
  location_id?: string | null | undefined;
  lines: { sku: string; quantity: number; line_id?: string | undefined }[];
  coupons?: string[] | undefined;
  shipping?: { method: string; amount: number } | null | undefined;
  /**
   * Build the `not_applied` verdicts (see engine.ts). Off unless asked: carts and checkout read only
   * amounts, `applied` and coupon verdicts; the quote API turns it on with `?explain=true`.
   */
  explain?: boolean | undefined;
}

function inputErrors(input: QuoteInput): FieldError[] {
  const e: FieldError[] = [];
  if (input.lines.length === 0) e.push({ field: 'lines', message: 'a quote needs at least one line' });
  if (input.lines.length > MAX_LINES) e.push({ field: 'lines', message: `at most ${MAX_LINES} lines` });
  const ids = new Set<string>();
  input.lines.forEach((l, i) => {
    if (!Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > INT4)
      e.push({ field: `lines/${i}/quantity`, message: `an integer from 1 to ${INT4}` });
    const id = l.line_id ?? `l${i + 1}`;
    if (ids.has(id)) e.push({ field: `lines/${i}/line_id`, message: `line_id ${id} is used twice` });
    ids.add(id);
  });
  const s = input.shipping;
  if (s && (!Number.isInteger(s.amount) || s.amount < 0 || s.amount > MAX_AMOUNT))
    e.push({ field: 'shipping/amount', message: `an integer amount from 0 to ${MAX_AMOUNT}` });
  return e;
}

export async function quoteBasket(
  deps: PromotionsDeps,
  snap: PromotionSnapshot,
  input: QuoteInput,
  opts: {
    trx?: Executor | undefined;
    at: Date;
    cache?: CatalogCache | undefined;
    /** Filled with the VAT country the quote used (quoteWithBasis). */
    seen?: { country: string } | undefined;
  },
): Promise<Quote> {
  const errors = inputErrors(input);
  if (errors.length) throw problems.validation('the basket is not valid', errors);
  const exec = opts.trx ?? deps.db;
  const channel = await deps.network.channel(input.channel, { trx: opts.trx });
  if (!channel) throw problems.field('channel', `channel ${input.channel} does not exist`);
  const location = input.location_id ? await deps.network.location(input.location_id, { trx: opts.trx }) : undefined;
  if (input.location_id && !location)
    throw problems.field('location_id', `location ${input.location_id} does not exist`);
  const currency = input.currency ?? channel.currency;
  // VAT follows where the sale happens: the store's country at a till, else the channel's
  const country = location?.address.country ?? channel.country;
  if (opts.seen) opts.seen.country = country;
  const skus = [...new Set(input.lines.map((l) => l.sku))];
  const customerId = input.customer_id ?? null;

  const priceCtx = { currency, channelId: channel.id, at: opts.at };
  const trxOpt = opts.trx ? { trx: opts.trx } : {};
  const [{ variants, prices }, facts, coupons] = await Promise.all([
    opts.cache ? opts.cache.lookup(skus, priceCtx) : catalogFacts(deps.catalog, skus, priceCtx, trxOpt),
    customerId && deps.customers
      ? deps.customers.facts(customerId, { trx: opts.trx, at: opts.at })
      : Promise.resolve(null),
    resolveCoupons(exec, snap, input.coupons ?? [], {
      at: opts.at,
      customer_id: customerId,
      guard: deps.couponGuard,
    }),
  ]);
  if (customerId && deps.customers && facts === undefined)
    throw problems.field('customer_id', `customer ${customerId} does not exist`);

  const lineErrors: FieldError[] = [];
  const unknown: string[] = [];
  const lines: PricedLine[] = input.lines.map((l, i) => {
    const v = variants.get(l.sku);
    const p = prices.get(l.sku);
    if (!v) {
      unknown.push(l.sku);
      lineErrors.push({ field: `lines/${i}/sku`, message: `SKU ${l.sku} does not exist` });
    } else if (!v.active) lineErrors.push({ field: `lines/${i}/sku`, message: `SKU ${l.sku} is not for sale` });
    else if (!p) lineErrors.push({ field: `lines/${i}/sku`, message: `SKU ${l.sku} has no price in ${currency}` });
    else if (p.amount * l.quantity > MAX_AMOUNT)
      lineErrors.push({ field: `lines/${i}/quantity`, message: `the line would cost more than ${MAX_AMOUNT}` });
    return {
      line_id: l.line_id ?? `l${i + 1}`,
      sku: l.sku,
      quantity: l.quantity,
      product_id: v?.product_id ?? '',
      category: v?.category ?? '',
      size: v?.size ?? null,
      unit_price: p?.amount ?? 0,
      list_amount: p?.list_amount ?? 0,
      tax_rate: v ? deps.vatRate(v.tax_class, country) : 0,
    };
  });
  if (lineErrors.length) {
    throw new AppError(
      'validation_failed',
      unknown.length
        ? `unknown SKU${unknown.length > 1 ? 's' : ''}: ${[...new Set(unknown)].join(', ')}`
        : 'some lines cannot be priced',
      {
        errors: lineErrors,
        ...(unknown.length ? { unknown_skus: [...new Set(unknown)] } : {}),
      },
    );
  }

  const customer: CustomerFacts = { id: customerId, segments: [], consents: [], first_order: false, ...(facts ?? {}) };
  const quote = priceBasket(
    snap.index,
    lines,
    {
      at: opts.at,
      currency,
      channel_id: channel.id,
      location_id: location?.id ?? null,
      customer,
      coupon_promotions: coupons.unlocked,
      shipping: input.shipping ?? null,
      shipping_tax_rate: deps.vatRate('standard', country),
    },
    { explain: input.explain === true },
  );
  // coupons in the order given: refused before pricing, or judged by whether their promotion applied
  const judged = new Map(quote.coupons.map((c) => [c.code, c]));
  quote.coupons = coupons.order.map((code): CouponResult => coupons.rejected.get(code) ?? judged.get(code)!);
  return quote;
}
