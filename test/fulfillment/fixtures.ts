/** A small network for the fulfillment and returns scenarios, and an order placed through checkout. */
import type { TestApp } from '../helpers/app.js';
import type { Location } from '../../src/network/index.js';

const address = (city: string) => ({ line1: 'Calle Mayor 1', city, postal_code: '28013', country: 'ES' });
export const HOME = { name: 'Ana', line1: 'Calle Luna 3', city: 'Madrid', postal_code: '28004', country: 'ES' };
const CARD = '4242 4242 4242 4242';

export interface Net {
  warehouse: Location;
  sol: Location;
  gran: Location;
  point: Location;
  web: string;
  /** Staff tokens bound to a store. */
  solStaff: string;
  granStaff: string;
  pointStaff: string;
}

export async function setupNetwork(t: TestApp): Promise<Net> {
  const s = t.omnia.services;
  const [warehouse, sol, gran, point] = await s.network.createLocations([
    {
      code: 'f-wh',
      type: 'warehouse',
      name: 'Zaragoza DC',
      lat: 41.65,
      lng: -0.88,
      address: address('Zaragoza'),
      capabilities: ['ship', 'returns'],
    },
    {
      code: 'f-sol',
      type: 'store',
      name: 'Sol',
      lat: 40.417,
      lng: -3.703,
      address: address('Madrid'),
      capabilities: ['pickup', 'ship_from_store', 'returns'],
      daily_capacity: 50,
    },
    {
      code: 'f-gran',
      type: 'store',
      name: 'Gran Vía',
      lat: 40.42,
      lng: -3.705,
      address: address('Madrid'),
      capabilities: ['pickup', 'ship_from_store', 'returns'],
      daily_capacity: 50,
    },
    {
      code: 'f-locker',
      type: 'pickup_point',
      name: 'Locker Atocha',
      lat: 40.407,
      lng: -3.69,
      address: address('Madrid'),
      capabilities: ['pickup', 'returns'],
    },
  ]);
  const scopes = [
    'carts:read',
    'carts:write',
    'checkout:write',
    'orders:read',
    'orders:write',
    'pricing:read',
    'network:read',
    'returns:write',
  ] as const;
  const web = await t.apiKey('f-web', [...scopes], { type: 'web' });
  const staff = async (email: string, location: string) => {
    await s.auth.createStaff({ email, password: 'correct horse battery', role: 'store_associate', location });
    return (await s.auth.loginStaff(email, 'correct horse battery')).token;
  };
  return {
    warehouse: warehouse!,
    sol: sol!,
    gran: gran!,
    point: point!,
    web,
    solStaff: await staff('sol@test.omnia', sol!.id),
    granStaff: await staff('gran@test.omnia', gran!.id),
    pointStaff: await staff('locker@test.omnia', point!.id),
  };
}

export async function product(
  t: TestApp,
  code: string,
  variants: { sku: string; size?: string; price: number }[],
  opts: { returnable?: boolean } = {},
): Promise<void> {
  await t.omnia.services.catalog.createProduct({
    code,
    name: code,
    category: 'clothing',
    ...(opts.returnable === false ? { returnable: false } : {}),
    variants: variants.map((v) => ({
      sku: v.sku,
      size: v.size ?? null,
      weight_g: 300,
      prices: [{ currency: 'EUR', list_amount: v.price }],
    })),
  } as never);
}

export async function receive(t: TestApp, sku: string, location: Location, quantity: number): Promise<void> {
  await t.omnia.services.inventory.recordMovement({ sku, location_id: location.id, type: 'receipt', quantity });
}

/** Places an order through the public checkout and lets the dispatcher source it. */
export async function placeOrder(
  t: TestApp,
  net: Net,
  lines: [string, number][],
  delivery: Record<string, unknown>,
  card = CARD,
): Promise<{ id: string; lines: { line_id: string; sku: string; quantity: number }[]; total: { amount: number } }> {
  const cart = await t.request('POST', '/v1/carts', { token: net.web, body: {} });
  if (cart.status !== 201) throw new Error(JSON.stringify(cart.body));
  for (const [sku, quantity] of lines) {
    const r = await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token: net.web, body: { sku, quantity } });
    if (r.status !== 200) throw new Error(JSON.stringify(r.body));
  }
  const res = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
    token: net.web,
    body: { delivery, email: 'ana@example.com', payment: { provider: 'test', card_number: card } },
  });
  if (res.status !== 201) throw new Error(`checkout: ${JSON.stringify(res.body)}`);
  await drain(t);
  return res.body;
}

/**
 * Runs the dispatcher, then fulfillment's inbox (sourcing, transfers received, cancellations), then the
 * dispatcher again for the events that produced.
 */
export async function drain(t: TestApp): Promise<void> {
  t.omnia.services.network.invalidate();
  await t.omnia.services.network.snapshot();
  await t.omnia.dispatcher.drain();
  // what the inbox job does in a running server (jobs are off in tests)
  await t.omnia.services.fulfillment.processInbox();
  await t.omnia.dispatcher.drain();
}

export async function act(t: TestApp, id: string, body: Record<string, unknown>, token?: string) {
  return t.request('POST', `/v1/fulfillments/${id}/actions`, { body, ...(token ? { token } : {}) });
}

/** The pickup code as the customer gets it: from the `fulfillment.ready_for_pickup` event (tasks never show it). */
export async function pickupCodeMailed(t: TestApp, fulfillmentId: string): Promise<string> {
  const rows = await t.database.db
    .selectFrom('outbox')
    .select('payload')
    .where('type', '=', 'fulfillment.ready_for_pickup')
    .where('aggregate_id', '=', fulfillmentId)
    .execute();
  const p = rows.at(-1)?.payload;
  const code = (typeof p === 'string' ? JSON.parse(p) : p)?.pickup_code;
  if (typeof code !== 'string') throw new Error(`no ready_for_pickup event with a code for ${fulfillmentId}`);
  return code;
}

/**
 * A click & collect order of one SCARF at Gran Vía (which must hold the stock), taken to ready for
 * pickup by the store's associate; returns the task id and the code mailed to the customer.
 */
export async function readyForPickupAtGran(t: TestApp, net: Net): Promise<{ id: string; code: string }> {
  const order = await placeOrder(t, net, [['SCARF', 1]], { method: 'click_collect', location_id: net.gran.id });
  const [f] = await t.omnia.services.fulfillment.ofOrder(order.id);
  for (const action of ['accept', 'pick', 'pack', 'ready']) {
    const res = await act(t, f!.id, { action }, net.granStaff);
    if (res.status !== 200) throw new Error(`${action} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return { id: f!.id, code: await pickupCodeMailed(t, f!.id) };
}

/** A pickup code that is certainly not `code`. */
export const wrongPickupCode = (code: string) => (code === '000000' ? '111111' : '000000');
