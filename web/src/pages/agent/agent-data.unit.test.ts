import { describe, expect, it } from 'vitest';
import {
  awaitingLink,
  cancellableLines,
  checkoutBody,
  lastLinkMail,
  consentSource,
  mixShares,
  orderRows,
  paymentChoices,
  phoneReturnBody,
  type OrderView,
} from './agent-data';

const order = (id: string, channel_type: string, method: string, placed_at: string, status = 'placed'): OrderView => ({
  id,
  status,
  channel_id: `chn_${channel_type}`,
  channel_type,
  location_id: channel_type === 'pos' ? 'loc_sol' : null,
  placed_at,
  total: { amount: 2995, currency: 'EUR' },
  delivery: { method, location_id: method === 'click_collect' ? 'loc_gran' : null },
  lines: [
    { line_id: 'l1', sku: 'A', quantity: 2, fulfilled_quantity: 0, total: 2000 },
    { line_id: 'l2', sku: 'B', quantity: 1, fulfilled_quantity: 0, total: 995 },
  ],
});

describe('agent 360 shaping', () => {
  it('lists orders of every channel newest first, naming channel and store, and says which may be cancelled', () => {
    const rows = orderRows(
      [
        order('o1', 'web', 'home', '2026-01-01T10:00:00Z', 'fulfilled'),
        order('o2', 'pos', 'in_store', '2026-02-01T10:00:00Z', 'completed'),
        order('o3', 'contact_center', 'click_collect', '2026-03-01T10:00:00Z'),
      ],
      new Map([['chn_web', 'Web shop']]),
      new Map([
        ['loc_sol', 'Sol'],
        ['loc_gran', 'Gran Vía'],
      ]),
    );
    expect(rows.map((r) => r.returnable)).toEqual([false, false, false]);
    expect(rows.map((r) => [r.id, r.kind, r.channel, r.where, r.units, r.cancellable])).toEqual([
      ['o3', 'assisted', 'chn_contact_center', 'Gran Vía', 3, true],
      ['o2', 'store', 'chn_pos', 'Sol', 3, false],
      ['o1', 'online', 'Web shop', null, 3, false],
    ]);
  });

  it('records a consent change with the agent’s reason, refusing an empty one', () => {
    expect(consentSource('  customer   asked on the phone ')).toBe('agent: customer asked on the phone');
    expect(consentSource(' x ')).toBeNull();
    expect(consentSource('y'.repeat(300))!.length).toBe(200);
  });

  it('orders the channel mix by share', () => {
    expect(mixShares({ online_share: 0.25, store_share: 0.7, assisted_share: 0.05 })).toEqual([
      { kind: 'store', percent: 70 },
      { kind: 'online', percent: 25 },
      { kind: 'assisted', percent: 5 },
    ]);
  });

  it('offers pay on pickup only for collection, and builds the checkout body', () => {
    expect(paymentChoices(null)).toEqual([]);
    expect(paymentChoices({ method: 'home' })).toEqual(['card', 'link']);
    expect(paymentChoices({ method: 'click_collect' })).toEqual(['pay_on_pickup', 'card', 'link']);
    const cc = {
      id: 'x',
      kind: 'click_collect',
      method: 'click_collect',
      location_id: 'loc_sol',
      name: 'Sol',
      price: { amount: 0, currency: 'EUR' },
      promised_date: '2026-01-02',
    };
    expect(checkoutBody(cc, 'pay_on_pickup', '', null)).toEqual({
      delivery: { method: 'click_collect', location_id: 'loc_sol' },
      payment: { provider: 'manual' },
    });
    const address = { name: 'Ana', line1: 'Luna 3', city: 'Madrid', postal_code: '28004', country: 'ES' };
    expect(checkoutBody({ ...cc, method: 'home', location_id: null }, 'card', '4242 4242', address)).toEqual({
      delivery: { method: 'home', address },
      payment: { provider: 'test', card_number: '42424242' },
    });
    expect(checkoutBody(cc, 'link', '4242', null).payment).toEqual({ provider: 'stripe_link' });
  });

  it('reads an order waiting on a payment link from the checkout’s 402, and its last link mail', () => {
    const next = { type: 'payment_link', redirect_url: 'https://pay/cs_1', expires_at: '2026-01-02T10:00:00.000Z' };
    const body = { code: 'payment_action_required', order_id: 'ord_1', next_action: next };
    expect(awaitingLink(402, body)).toEqual({
      order_id: 'ord_1',
      url: 'https://pay/cs_1',
      expires_at: '2026-01-02T10:00:00.000Z',
    });
    // 3-D Secure (the bank's page) or any other problem is not a link
    expect(awaitingLink(402, { ...body, next_action: { type: 'redirect_to_url', redirect_url: 'x' } })).toBeNull();
    expect(awaitingLink(422, body)).toBeNull();
    const row = (template: string, created_at: string, status = 'sent') => ({ template, created_at, status });
    expect(
      lastLinkMail([
        row('payment_link', '2026-01-01T10:00:00Z'),
        row('payment_link', '2026-01-01T10:05:00Z'),
        row('payment_link', '2026-01-01T10:09:00Z', 'failed'),
        row('order_confirmation', '2026-01-01T11:00:00Z'),
      ])?.created_at,
    ).toBe('2026-01-01T10:05:00Z');
    expect(lastLinkMail([])).toBeNull();
  });
});

describe('a return started on the phone', () => {
  it('is a carrier drop-off of the picked units with the agent’s reason', () => {
    expect(
      phoneReturnBody(
        'ord_1',
        'chn_cc',
        [
          { line_id: 'l1', quantity: 1 },
          { line_id: 'l2', quantity: 0 },
        ],
        ' too small ',
        'original',
      ),
    ).toEqual({
      order_id: 'ord_1',
      channel: 'chn_cc',
      lines: [{ line_id: 'l1', quantity: 1, reason: 'too small' }],
      refund: 'original',
      dropoff: { method: 'carrier' },
    });
  });
});

describe('cancellableLines', () => {
  const line = (line_id: string, quantity: number, fulfilled_quantity: number) => ({
    line_id,
    sku: `S-${line_id}`,
    quantity,
    fulfilled_quantity,
    total: quantity * 1000,
  });
  it('lists lines with units not yet fulfilled, with how many', () => {
    const rows = cancellableLines({ status: 'partially_fulfilled', lines: [line('a', 2, 1), line('b', 1, 1)] });
    expect(rows).toEqual([{ line_id: 'a', sku: 'S-a', quantity: 2, open: 1, total: 2000 }]);
  });
  it('offers nothing once the order is fulfilled, cancelled or awaiting payment', () => {
    for (const status of ['fulfilled', 'completed', 'cancelled', 'payment_pending'])
      expect(cancellableLines({ status, lines: [line('a', 2, 0)] })).toEqual([]);
  });
});
