/**
 * Writes the demo retailer's history (history-plan.ts) into the modules' own tables in bulk: one
 * multi-row `insert … select from unnest(arrays)` per table and chunk, not the HTTP API (months of
 * orders through checkout would take an hour). Rows look like what the modules write themselves:
 * orders with lines, their sourcing decision and fulfilment task, returns with lines, the customer
 * 360's orders and daily activity, and demand answered out of stock.
 */
import { sql } from 'kysely';
import type { Db, Tx } from '../platform/db/schema.js';
import { inTx } from '../platform/db/tx.js';
import { planHistory, type History, type HistoryWorld } from './history-plan.js';

export interface HistorySummary {
  from: string;
  to: string;
  customers: number;
  orders: number;
  order_lines: number;
  returns: number;
  visit_days: number;
  lost_demand: number;
  ms: number;
}

const DAY_MS = 86_400_000;
const TABLES = [
  'customers',
  'customer_identifiers',
  'orders',
  'order_lines',
  'sourcing_decisions',
  'fulfillments',
  'returns',
  'return_lines',
  'customer_orders',
  'customer_daily',
  'analytics_lost_demand',
];
const CHUNK = 5000;
const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function enc(n: number, chars: number): string {
  let out = '';
  for (let i = 0; i < chars; i++) {
    const m = n % 32;
    out = B32[m] + out;
    n = (n - m) / 32;
  }
  return out;
}
/** The ids' own shape (prefix, time, sequence, tail), deterministic: the same history gets the same ids. */
function demoId(prefix: string, ms: number, n: number): string {
  return `${prefix}_${enc(ms, 10)}${enc(n % 32768, 3)}DEMO${enc(n, 9)}`;
}
const day = (d: number) => new Date(d * DAY_MS).toISOString().slice(0, 10);

/** Inserts column arrays in chunks: `cols` maps column → [sql type, values]. */
async function bulk(
  trx: Tx,
  table: string,
  cols: Record<string, [string, unknown[]]>,
  onProgress?: () => void,
): Promise<void> {
  const names = Object.keys(cols);
  const total = cols[names[0]!]![1].length;
  for (let i = 0; i < total; i += CHUNK) {
    const arrays = names.map((c) => {
      const [type, values] = cols[c]!;
      return sql`${sql.val(values.slice(i, i + CHUNK))}::${sql.raw(type)}[]`;
    });
    await sql`insert into ${sql.table(table)} (${sql.join(names.map((c) => sql.ref(c)))})
      select * from unnest(${sql.join(arrays)}) as t(${sql.join(names.map((c) => sql.raw(c)))})`.execute(trx);
    onProgress?.();
  }
}

async function loadWorld(db: Db | Tx): Promise<HistoryWorld> {
  const locs = await sql<{ id: string; type: string; region: string | null; country: string; caps: string[] }>`
    select id, type, address ->> 'region' as region, coalesce(address ->> 'country', 'ES') as country,
      capabilities as caps
    from locations where active order by code`.execute(db);
  const chans = await sql<{ id: string; code: string; type: string }>`select id, code, type from channels`.execute(db);
  const skus = await sql<{ product_id: string; sku: string; size: string | null; weight_g: number; price: string }>`
    select v.product_id, v.sku, v.size, v.weight_g, coalesce(p.sale_amount, p.list_amount) as price
    from variants v join products pr on pr.id = v.product_id
    join prices p on p.sku = v.sku and p.channel_id is null and p.currency = 'EUR'
    where v.active order by pr.code, v.position`.execute(db);
  const products: HistoryWorld['products'] = [];
  for (const r of skus.rows) {
    let p = products[products.length - 1];
    if (p?.id !== r.product_id) products.push((p = { id: r.product_id, skus: [] }));
    p.skus.push({ sku: r.sku, size: r.size, price: Number(r.price), weight_g: Number(r.weight_g) });
  }
  return {
    stores: locs.rows
      .filter((l) => l.type === 'store')
      .map((l) => ({
        id: l.id,
        region: l.region ?? l.country,
        country: l.country,
        ship_from_store: l.caps.includes('ship_from_store'),
      })),
    warehouses: locs.rows.filter((l) => l.type === 'warehouse').map((l) => ({ id: l.id, country: l.country })),
    pickup_points: locs.rows.filter((l) => l.type === 'pickup_point').map((l) => ({ id: l.id, country: l.country })),
    channels: Object.fromEntries(chans.rows.map((c) => [c.code, { id: c.id, type: c.type }])),
    products,
  };
}

export class HistoryNotPossibleError extends Error {}

export interface SeedHistoryOptions {
  seed: number;
  /** the first day after the history, YYYY-MM-DD */
  end: string;
  days: number;
  /** default: 75 known customers per store */
  customers?: number;
  onStep?: (step: string) => void;
}

/** Plans and writes the history in one transaction: a failure leaves no half history behind. */
export async function seedHistory(db: Db, opts: SeedHistoryOptions): Promise<HistorySummary> {
  const t0 = performance.now();
  const world = await loadWorld(db);
  for (const code of ['web', 'app', 'pos', 'contact_center', 'amazon', 'aliexpress'])
    if (!world.channels[code]) throw new HistoryNotPossibleError(`the demo channel ${code} is missing`);
  if (world.stores.length === 0 || world.warehouses.length === 0 || world.products.length === 0)
    throw new HistoryNotPossibleError('the history needs the demo stores, warehouses and products');
  const h = planHistory(world, {
    seed: opts.seed,
    end: opts.end,
    days: opts.days,
    customers: opts.customers ?? world.stores.length * 75,
  });
  opts.onStep?.(`history: ${h.orders.length} orders of ${h.customers.length} customers over ${opts.days} days`);
  await inTx(db, undefined, (trx) => write(trx, world, h));
  // Fresh bulk rows have no planner statistics (PGlite runs no autovacuum): without them a report's
  // joins run as nested loops over whole tables — 20 s instead of 1 s on the demo.
  for (const t of TABLES) await sql`analyze ${sql.table(t)}`.execute(db);
  return {
    from: day(h.start_day),
    to: opts.end,
    customers: h.customers.length,
    orders: h.orders.length,
    order_lines: h.orders.reduce((a, o) => a + o.lines.length, 0),
    returns: h.returns.length,
    visit_days: h.visits.length,
    lost_demand: h.lost.length,
    ms: Math.round(performance.now() - t0),
  };
}

async function write(trx: Tx, world: HistoryWorld, h: History): Promise<void> {
  const ch = world.channels;
  const custId = (n: number) => demoId('cus', h.customers[n]!.created_at, n);
  const orderId = (n: number) => demoId('ord', h.orders[n]!.placed_at, n);
  const lineId = (o: number, i: number) => demoId('oln', h.orders[o]!.placed_at, o * 8 + i);

  // customers and their e-mail identifier
  const cu = h.customers;
  const cuIds = cu.map((c) => custId(c.n));
  const cuAt = cu.map((c) => new Date(c.created_at).toISOString());
  await bulk(trx, 'customers', {
    id: ['text', cuIds],
    status: ['text', cu.map(() => 'active')],
    root_id: ['text', cuIds],
    first_name: ['text', cu.map((c) => FIRST[c.n % FIRST.length])],
    last_name: ['text', cu.map((c) => LAST[(c.n * 7) % LAST.length])],
    created_at: ['timestamptz', cuAt],
    updated_at: ['timestamptz', cuAt],
  });
  await bulk(trx, 'customer_identifiers', {
    kind: ['text', cu.map(() => 'email')],
    value: ['text', cu.map((c) => `cliente${c.n}@demo.nomada.es`)],
    customer_id: ['text', cuIds],
    verified: ['boolean', cu.map(() => true)],
    created_at: ['timestamptz', cuAt],
  });

  const os = h.orders;
  const at = os.map((o) => new Date(o.placed_at).toISOString());
  const merch = os.map((o) => o.lines.reduce((a, l) => a + l.quantity * l.unit_price, 0));
  const totals = os.map((o, i) => merch[i]! + o.shipping_paid);
  const vat = (gross: number) => Math.round((gross * 21) / 121);
  const stores = new Set(world.stores.map((s) => s.id));
  await bulk(trx, 'orders', {
    id: ['text', os.map((o) => orderId(o.n))],
    channel_id: ['text', os.map((o) => ch[o.channel_code]!.id)],
    channel_type: ['text', os.map((o) => ch[o.channel_code]!.type)],
    customer_id: ['text', os.map((o) => custId(o.customer))],
    location_id: ['text', os.map((o) => (o.method === 'in_store' ? o.location_id : null))],
    status: ['text', os.map((o) => (o.cancelled ? 'cancelled' : 'completed'))],
    currency: ['text', os.map(() => 'EUR')],
    subtotal: ['bigint', merch],
    discount_total: ['bigint', os.map(() => 0)],
    shipping_amount: ['bigint', os.map((o) => o.shipping_paid)],
    shipping_discount: ['bigint', os.map(() => 0)],
    tax_total: ['bigint', totals.map(vat)],
    total: ['bigint', totals],
    delivery: [
      'jsonb',
      os.map((o) =>
        JSON.stringify({
          method: o.method,
          location_id: o.method === 'in_store' ? null : o.location_id,
          address:
            o.method === 'home'
              ? { line1: 'Calle Demo 1', city: 'Demo', postal_code: '00000', country: o.country }
              : null,
          amount: o.shipping_paid,
          source_location_id: o.source_location_id,
        }),
      ),
    ],
    email: ['text', os.map((o) => `cliente${o.customer}@demo.nomada.es`)],
    placed_at: ['timestamptz', at],
    updated_at: ['timestamptz', at],
  });
  const ln = os.flatMap((o) => o.lines.map((l, i) => ({ o, l, i })));
  await bulk(trx, 'order_lines', {
    id: ['text', ln.map((x) => lineId(x.o.n, x.i))],
    order_id: ['text', ln.map((x) => orderId(x.o.n))],
    position: ['int', ln.map((x) => x.i)],
    sku: ['text', ln.map((x) => x.l.sku)],
    product_id: ['text', ln.map((x) => x.l.product_id)],
    quantity: ['int', ln.map((x) => x.l.quantity)],
    unit_price: ['bigint', ln.map((x) => x.l.unit_price)],
    discount: ['bigint', ln.map(() => 0)],
    total: ['bigint', ln.map((x) => x.l.quantity * x.l.unit_price)],
    tax_rate: ['numeric', ln.map(() => 0.21)],
    tax_amount: ['bigint', ln.map((x) => vat(x.l.quantity * x.l.unit_price))],
    location_id: ['text', ln.map((x) => x.l.location_id)],
    fulfilled_quantity: ['int', ln.map((x) => (x.o.cancelled ? 0 : x.l.quantity))],
  });

  // sourcing decisions and fulfilment tasks of remote orders (a till sale has neither)
  const remote = os.filter((o) => o.method !== 'in_store' && !o.cancelled);
  const decId = (o: (typeof os)[number]) => demoId('src', o.placed_at, o.n);
  await bulk(trx, 'sourcing_decisions', {
    id: ['text', remote.map(decId)],
    order_id: ['text', remote.map((o) => orderId(o.n))],
    attempt: ['int', remote.map(() => 1)],
    trigger: ['text', remote.map(() => 'order.placed')],
    cost: ['bigint', remote.map((o) => o.fulfilment_cost)],
    allocations: [
      'jsonb',
      remote.map((o) =>
        JSON.stringify([
          {
            location_id: o.source_location_id,
            lines: o.lines.map((l, i) => ({ line_id: lineId(o.n, i), sku: l.sku, quantity: l.quantity })),
          },
        ]),
      ),
    ],
    unsourced: ['jsonb', remote.map(() => '[]')],
    explanation: ['jsonb', remote.map(() => JSON.stringify({ reason: 'demo history' }))],
    created_at: ['timestamptz', remote.map((o) => new Date(o.placed_at + 60_000).toISOString())],
  });
  await bulk(trx, 'fulfillments', {
    id: ['text', remote.map((o) => demoId('ful', o.placed_at, o.n))],
    order_id: ['text', remote.map((o) => orderId(o.n))],
    location_id: ['text', remote.map((o) => o.source_location_id)],
    method: ['text', remote.map((o) => o.method)],
    destination_location_id: ['text', remote.map((o) => (o.method === 'home' ? null : o.location_id))],
    status: ['text', remote.map((o) => (o.method === 'home' ? 'shipped' : 'handed_over'))],
    lines: [
      'jsonb',
      remote.map((o) =>
        JSON.stringify(o.lines.map((l, i) => ({ line_id: lineId(o.n, i), sku: l.sku, quantity: l.quantity }))),
      ),
    ],
    sla_deadline: ['timestamptz', remote.map((o) => new Date(o.placed_at + DAY_MS).toISOString())],
    ready_at: [
      'timestamptz',
      remote.map((o) => (o.method === 'home' ? null : new Date(o.placed_at + 0.5 * DAY_MS).toISOString())),
    ],
    decision_id: ['text', remote.map(decId)],
    channel_id: ['text', remote.map((o) => ch[o.channel_code]!.id)],
    customer_id: ['text', remote.map((o) => custId(o.customer))],
    created_at: ['timestamptz', remote.map((o) => new Date(o.placed_at + 60_000).toISOString())],
    updated_at: ['timestamptz', remote.map((o) => new Date(o.placed_at + DAY_MS).toISOString())],
  });

  // returns
  const rs = h.returns;
  const refund = rs.map((r) =>
    r.lines.reduce((a, i) => a + os[r.order]!.lines[i]!.quantity * os[r.order]!.lines[i]!.unit_price, 0),
  );
  const rId = (k: number) => demoId('rtn', rs[k]!.at, k);
  await bulk(trx, 'returns', {
    id: ['text', rs.map((_, k) => rId(k))],
    order_id: ['text', rs.map((r) => orderId(r.order))],
    channel_id: ['text', rs.map((r) => ch[os[r.order]!.channel_code]!.id)],
    location_id: ['text', rs.map((r) => r.location_id)],
    customer_id: ['text', rs.map((r) => custId(os[r.order]!.customer))],
    status: ['text', rs.map(() => 'refunded')],
    refund_method: ['text', rs.map(() => 'original')],
    currency: ['text', rs.map(() => 'EUR')],
    refund_amount: ['bigint', refund],
    created_at: ['timestamptz', rs.map((r) => new Date(r.at).toISOString())],
    updated_at: ['timestamptz', rs.map((r) => new Date(r.at).toISOString())],
  });
  const rl = rs.flatMap((r, k) => r.lines.map((i) => ({ r, k, i, l: os[r.order]!.lines[i]! })));
  await bulk(trx, 'return_lines', {
    return_id: ['text', rl.map((x) => rId(x.k))],
    line_id: ['text', rl.map((x) => lineId(x.r.order, x.i))],
    sku: ['text', rl.map((x) => x.l.sku)],
    quantity: ['int', rl.map((x) => x.l.quantity)],
    reason: ['text', rl.map((x) => (x.k % 3 === 0 ? 'changed_mind' : 'does_not_fit'))],
    condition: ['text', rl.map(() => 'sellable')],
    refund_amount: ['bigint', rl.map((x) => x.l.quantity * x.l.unit_price)],
    restock: ['text', rl.map(() => 'restock')],
    restock_location_id: ['text', rl.map((x) => x.r.location_id)],
  });

  // the customer 360's view of the same orders
  const refundedBy = new Map<number, { amount: number; count: number }>();
  rs.forEach((r, k) => {
    const x = refundedBy.get(r.order) ?? { amount: 0, count: 0 };
    x.amount += refund[k]!;
    x.count++;
    refundedBy.set(r.order, x);
  });
  await bulk(trx, 'customer_orders', {
    order_id: ['text', os.map((o) => orderId(o.n))],
    customer_id: ['text', os.map((o) => custId(o.customer))],
    channel: ['text', os.map((o) => ch[o.channel_code]!.id)],
    channel_kind: [
      'text',
      os.map((o) => (o.channel_code === 'pos' ? 'store' : o.channel_code === 'contact_center' ? 'assisted' : 'online')),
    ],
    location_id: ['text', os.map((o) => (o.method === 'in_store' ? o.location_id : null))],
    placed_at: ['timestamptz', at],
    amount: ['bigint', totals],
    currency: ['text', os.map(() => 'EUR')],
    status: ['text', os.map((o) => (o.cancelled ? 'cancelled' : 'placed'))],
    refunded: ['bigint', os.map((o) => refundedBy.get(o.n)?.amount ?? 0)],
    returns_count: ['int', os.map((o) => refundedBy.get(o.n)?.count ?? 0)],
  });
  const vs = h.visits;
  await bulk(trx, 'customer_daily', {
    customer_id: ['text', vs.map((v) => custId(v.customer))],
    day: ['date', vs.map((v) => day(v.day))],
    channel: ['text', vs.map((v) => v.channel_code)],
    channel_kind: ['text', vs.map((v) => v.kind)],
    events: ['int', vs.map((v) => v.events)],
    views: ['int', vs.map((v) => v.views)],
    cart_adds: ['int', vs.map((v) => v.cart_adds)],
    store_visits: ['int', vs.map((v) => v.store_visits)],
    first_at: ['timestamptz', vs.map((v) => new Date(v.day * DAY_MS + 10 * 3_600_000).toISOString())],
    last_at: ['timestamptz', vs.map((v) => new Date(v.day * DAY_MS + 11 * 3_600_000).toISOString())],
  });
  const ls = h.lost;
  await bulk(trx, 'analytics_lost_demand', {
    day: ['date', ls.map((l) => day(l.day))],
    source: ['text', ls.map((l) => l.source)],
    channel_id: ['text', ls.map((l) => ch[l.channel_code]!.id)],
    location_id: ['text', ls.map((l) => (l.location_id && stores.has(l.location_id) ? l.location_id : null))],
    sku: ['text', ls.map((l) => l.sku)],
    units: ['int', ls.map((l) => l.units)],
    asks: ['int', ls.map(() => 1)],
    unit_price: ['bigint', ls.map((l) => l.unit_price)],
    currency: ['text', ls.map(() => 'EUR')],
    elsewhere: ['int', ls.map((l) => l.elsewhere)],
  });
}

const FIRST = [
  'Lucía',
  'Hugo',
  'Martina',
  'Mateo',
  'Sofía',
  'Leo',
  'Julia',
  'Daniel',
  'Inês',
  'João',
  'Carmen',
  'Pablo',
];
const LAST = [
  'García',
  'Fernández',
  'López',
  'Martínez',
  'Silva',
  'Santos',
  'Ruiz',
  'Moreno',
  'Costa',
  'Pereira',
  'Díaz',
];
