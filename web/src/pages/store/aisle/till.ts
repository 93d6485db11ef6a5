/**
 * The till's pure logic: delivery options grouped the way an associate offers them (take it now,
 * collect here later, send it home, elsewhere) and the checkout body. Pure.
 */
export interface DeliveryOption {
  id: string;
  kind: string;
  method: string;
  location_id: string | null;
  name: string;
  price: { amount: number; currency: string };
  promised_date: string;
}

export interface OptionGroups {
  /** Taken away now (the store has it). */
  now: DeliveryOption[];
  /** Collected here once a transfer brings it. */
  here: DeliveryOption[];
  /** Home delivery, shipped from any location. */
  home: DeliveryOption[];
  /** Other stores and pickup points. */
  elsewhere: DeliveryOption[];
}

export function groupOptions(options: readonly DeliveryOption[], storeId: string | null): OptionGroups {
  const g: OptionGroups = { now: [], here: [], home: [], elsewhere: [] };
  for (const o of options) {
    if (o.method === 'in_store') (o.location_id === storeId || o.location_id === null ? g.now : g.elsewhere).push(o);
    else if (o.method === 'home') g.home.push(o);
    else if (o.location_id !== null && o.location_id === storeId) g.here.push(o);
    else g.elsewhere.push(o);
  }
  const byDate = (a: DeliveryOption, b: DeliveryOption) =>
    a.promised_date.localeCompare(b.promised_date) || a.price.amount - b.price.amount;
  for (const k of Object.keys(g) as (keyof OptionGroups)[]) g[k].sort(byDate);
  return g;
}

export interface AddressInput {
  name: string;
  line1: string;
  city: string;
  postal_code: string;
  country: string;
}

export type Payment = { provider: 'test'; card_number: string } | { provider: 'manual' };

/** The checkout body; a home delivery carries the address, an e-mail sends the receipt. */
export function checkoutBody(
  option: DeliveryOption,
  address: AddressInput,
  payment: Payment,
  email: string,
): {
  delivery: {
    method: 'home' | 'click_collect' | 'pickup_point' | 'in_store';
    location_id?: string;
    address?: AddressInput;
  };
  payment: Payment;
  email?: string;
} {
  const method = option.method as 'home' | 'click_collect' | 'pickup_point' | 'in_store';
  const trimmed = Object.fromEntries(Object.entries(address).map(([k, v]) => [k, v.trim()])) as unknown as AddressInput;
  return {
    delivery: {
      method,
      ...(option.location_id ? { location_id: option.location_id } : {}),
      ...(method === 'home' ? { address: trimmed } : {}),
    },
    payment,
    ...(email.trim() ? { email: email.trim() } : {}),
  };
}

/** A hand-off code as typed, or the QR payload a scanner types in (`omnia:cart-handoff:ABCD-2345`). */
export function handoffCode(input: string): string {
  const s = input.trim();
  const m = /^omnia:cart-handoff:(.+)$/i.exec(s);
  return (m ? m[1]! : s).trim();
}
