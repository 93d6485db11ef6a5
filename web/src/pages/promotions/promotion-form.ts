/** The promotion form's state to the API's body, and back. Pure. */

export const KINDS = [
  'item_percent',
  'item_amount',
  'basket_percent',
  'basket_amount',
  'tiered_spend',
  'buy_x_get_y',
  'bundle_price',
  'free_shipping',
] as const;
export type Kind = (typeof KINDS)[number];

export interface PromotionForm {
  name: string;
  kind: Kind;
  /** percent for *_percent kinds and buy_x_get_y's get_percent */
  percent: string;
  /** major units for *_amount kinds and the threshold of free shipping */
  amount: string;
  buy: string;
  get: string;
  /** tiered_spend: one "threshold percent%" or "threshold amount" per line, money in major units */
  tiers: string;
  /** bundle_price: one "SKU quantity" per line; the bundle's price is `amount` */
  components: string;
  status: 'active' | 'inactive';
  categories: string;
  skus: string;
  channels: string[];
  locations: string[];
  coupon_required: boolean;
  starts_at: string;
  ends_at: string;
}

export const emptyForm = (): PromotionForm => ({
  name: '',
  kind: 'item_percent',
  percent: '',
  amount: '',
  buy: '',
  get: '',
  tiers: '',
  components: '',
  status: 'active',
  categories: '',
  skus: '',
  channels: [],
  locations: [],
  coupon_required: false,
  starts_at: '',
  ends_at: '',
});

/** Which inputs a kind uses; the rest are hidden. */
export function fieldsFor(kind: Kind): ('percent' | 'amount' | 'buy' | 'get' | 'tiers' | 'components')[] {
  switch (kind) {
    case 'tiered_spend':
      return ['tiers'];
    case 'bundle_price':
      return ['components', 'amount'];
    case 'item_percent':
    case 'basket_percent':
      return ['percent'];
    case 'item_amount':
    case 'basket_amount':
    case 'free_shipping':
      return ['amount'];
    case 'buy_x_get_y':
      return ['buy', 'get', 'percent'];
  }
}

/** The form field an amount is typed in for each kind ("params.amount", "params.threshold", …). */
export function amountField(kind: Kind): string {
  if (kind === 'free_shipping') return 'params.threshold';
  if (kind === 'bundle_price') return 'params.bundle.price';
  return 'params.amount';
}

const list = (s: string) =>
  s
    .split(/[,\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * Numbers are passed as typed (Number('abc') is NaN and JSON sends null): the API, not the form,
 * decides what is valid and names the field. Money is typed in major units and sent in minor units.
 */
export function toBody(f: PromotionForm, currency = 'EUR') {
  const num = (s: string) => (s.trim() === '' ? undefined : Number(s.replace(',', '.')));
  const minor = (s: string) => {
    const n = num(s);
    return n === undefined ? undefined : Math.round(n * 100);
  };
  const params: Record<string, number> = {};
  const uses = fieldsFor(f.kind);
  if (uses.includes('percent')) {
    const p = num(f.percent);
    if (p !== undefined) params[f.kind === 'buy_x_get_y' ? 'get_percent' : 'percent'] = p;
  }
  if (uses.includes('amount') && f.kind !== 'bundle_price') {
    const a = minor(f.amount);
    if (a !== undefined) params[f.kind === 'free_shipping' ? 'threshold' : 'amount'] = a;
  }
  if (uses.includes('buy') && num(f.buy) !== undefined) params.buy = num(f.buy)!;
  if (uses.includes('get') && num(f.get) !== undefined) params.get = num(f.get)!;
  const extra: Record<string, unknown> = {};
  if (uses.includes('tiers')) extra.tiers = parseTiers(f.tiers);
  if (uses.includes('components'))
    extra.bundle = {
      components: parseBasket(f.components).map((c) => ({ skus: [c.sku], quantity: c.quantity })),
      ...(minor(f.amount) !== undefined ? { price: minor(f.amount) } : {}),
    };
  const scope: Record<string, string[]> = {};
  if (list(f.categories).length) scope.categories = list(f.categories);
  if (list(f.skus).length) scope.skus = list(f.skus);
  const conditions: Record<string, string[]> = {};
  if (f.channels.length) conditions.channels = f.channels;
  if (f.locations.length) conditions.locations = f.locations;
  return {
    name: f.name,
    kind: f.kind,
    status: f.status,
    currency,
    params: { ...params, ...extra },
    scope,
    conditions,
    coupon_required: f.coupon_required,
    ...(f.starts_at ? { starts_at: new Date(f.starts_at).toISOString() } : {}),
    ...(f.ends_at ? { ends_at: new Date(f.ends_at).toISOString() } : {}),
  };
}

/** "SKU qty" per line (qty defaults to 1) → quote lines. */
export function parseBasket(text: string): { sku: string; quantity: number }[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [sku = '', qty] = l.split(/\s+/);
      return { sku, quantity: qty === undefined ? 1 : Number(qty) };
    });
}

/**
 * "50 10%" (from 50 € spent, 10 % off) or "100 15" (from 100 €, 15 € off), one tier per line or
 * comma; money typed in major units goes out in minor units. Numbers go as typed: the API judges them.
 */
export function parseTiers(text: string): { threshold: number; percent?: number; amount?: number }[] {
  const n = (s: string | undefined) => Number((s ?? '').replace(',', '.'));
  return text
    .split(/[\n;]/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [threshold, off = ''] = l.split(/\s+/);
      const t = Math.round(n(threshold) * 100);
      return off.endsWith('%')
        ? { threshold: t, percent: n(off.slice(0, -1)) }
        : { threshold: t, amount: Math.round(n(off) * 100) };
    });
}

/** A saved promotion back into the form (to edit it); money back to major units. */
export function fromPromotion(
  p: {
    name: string;
    kind: string;
    status: string;
    params: Record<string, unknown>;
    scope: Record<string, unknown>;
    conditions: Record<string, unknown>;
    coupon_required: boolean;
    starts_at: string | null;
    ends_at: string | null;
  },
  channelCodes: Map<string, string> = new Map(),
): PromotionForm {
  const pr = p.params as {
    percent?: number;
    get_percent?: number;
    amount?: number;
    threshold?: number;
    buy?: number;
    get?: number;
    tiers?: { threshold: number; percent?: number; amount?: number }[];
    bundle?: { price?: number; components?: { skus?: string[]; quantity: number }[] };
  };
  const major = (m: number | undefined) => (m === undefined ? '' : String(m / 100));
  const strs = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);
  const local = (iso: string | null) => (iso ? toLocalInput(iso) : '');
  const kind = (KINDS as readonly string[]).includes(p.kind) ? (p.kind as Kind) : 'item_percent';
  return {
    name: p.name,
    kind,
    status: p.status === 'inactive' ? 'inactive' : 'active',
    percent: String(pr.percent ?? pr.get_percent ?? ''),
    amount: major(pr.amount ?? pr.threshold ?? pr.bundle?.price),
    buy: pr.buy === undefined ? '' : String(pr.buy),
    get: pr.get === undefined ? '' : String(pr.get),
    tiers: (pr.tiers ?? [])
      .map((t) => `${t.threshold / 100} ${t.percent !== undefined ? `${t.percent}%` : (t.amount ?? 0) / 100}`)
      .join('\n'),
    components: (pr.bundle?.components ?? []).map((c) => `${(c.skus ?? [])[0] ?? ''} ${c.quantity}`).join('\n'),
    categories: strs(p.scope.categories).join(', '),
    skus: strs(p.scope.skus).join(', '),
    channels: strs(p.conditions.channels).map((id) => channelCodes.get(id) ?? id),
    locations: strs(p.conditions.locations),
    coupon_required: p.coupon_required,
    starts_at: local(p.starts_at),
    ends_at: local(p.ends_at),
  };
}

/** An ISO time as a datetime-local input's value, in the browser's time zone. */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The body of a PATCH: everything but the kind, which a promotion keeps. */
export function toPatchBody(f: PromotionForm, currency = 'EUR') {
  const { kind: _kind, ...rest } = toBody(f, currency);
  return rest;
}
