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
  categories: '',
  skus: '',
  channels: [],
  locations: [],
  coupon_required: false,
  starts_at: '',
  ends_at: '',
});

/** Which inputs a kind uses; the rest are hidden. */
export function fieldsFor(kind: Kind): ('percent' | 'amount' | 'buy' | 'get')[] {
  switch (kind) {
    case 'item_percent':
    case 'basket_percent':
      return ['percent'];
    case 'item_amount':
    case 'basket_amount':
    case 'free_shipping':
      return ['amount'];
    case 'buy_x_get_y':
      return ['buy', 'get', 'percent'];
    default:
      return [];
  }
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
  if (uses.includes('amount')) {
    const a = minor(f.amount);
    if (a !== undefined) params[f.kind === 'free_shipping' ? 'threshold' : 'amount'] = a;
  }
  if (uses.includes('buy') && num(f.buy) !== undefined) params.buy = num(f.buy)!;
  if (uses.includes('get') && num(f.get) !== undefined) params.get = num(f.get)!;
  const scope: Record<string, string[]> = {};
  if (list(f.categories).length) scope.categories = list(f.categories);
  if (list(f.skus).length) scope.skus = list(f.skus);
  const conditions: Record<string, string[]> = {};
  if (f.channels.length) conditions.channels = f.channels;
  if (f.locations.length) conditions.locations = f.locations;
  return {
    name: f.name,
    kind: f.kind,
    currency,
    params,
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
