import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';

const NOW = '2026-06-15T12:00:00.000Z';

describe('customers: identity, events, 360, consent, erasure, accounts, segments', () => {
  let t: TestApp;
  let web: string;
  let pos: string;
  const clock = new ManualClock(NOW);
  beforeAll(async () => {
    t = await startTestApp({ clock });
    web = await t.apiKey('web', ['events:write', 'customers:read', 'customers:write', 'customers:authenticate']);
    pos = await t.apiKey('pos', ['events:write', 'customers:read', 'customers:write', 'customers:authenticate'], {
      type: 'pos',
    });
  });
  afterAll(async () => t?.close());

  const ev = (type: string, extra: Record<string, unknown>, properties: Record<string, unknown> = {}, at = NOW) => ({
    type,
    timestamp: at,
    properties,
    ...extra,
  });
  const deliver = (data: Record<string, unknown>) =>
    t.omnia.ctx.db.transaction().execute((trx) =>
      t.omnia.services.customers.orders.onOrderPlaced(
        {
          id: `evt_${String(data.order_id)}`,
          type: 'order.placed',
          aggregate_id: String(data.order_id),
          occurred_at: NOW,
          data,
        },
        trx,
      ),
    );
  const identify = (body: unknown, token = web) => t.request('POST', '/v1/identify', { token, body });

  it('creates, links, and refuses malformed identifiers without changing anything', async () => {
    const a = await identify({
      identifiers: { email: 'Ana@Example.com', phone: '+34 600 111 222' },
      first_name: 'Ana',
    });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ created: true, merged: false });
    const again = await identify({ identifiers: { email: 'ana@example.com' } });
    expect(again.body).toMatchObject({ customer_id: a.body.customer_id, created: false });
    const bad = await identify({ identifiers: { email: 'not-an-email', phone: '12' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['identifiers/email', 'identifiers/phone']);
    const alone = await identify({ identifiers: { device_id: 'dev-1' } });
    expect(alone.status).toBe(400);
  });

  it('merges two profiles proven to be one person, resolves the old id, and unmerges', async () => {
    const web1 = await identify({ identifiers: { email: 'bea@example.com' } });
    const till = await identify({ identifiers: { loyalty_card: 'LOY-77', phone: '+34600222333' } }, pos);
    await t.request('POST', '/v1/events', {
      token: pos,
      body: { events: [ev('store_visit', { identifiers: { loyalty_card: 'LOY-77' } }, { location_id: 'loc_madrid' })] },
    });
    const merged = await identify({ identifiers: { email: 'bea@example.com', loyalty_card: 'LOY-77' } });
    expect(merged.body).toMatchObject({
      customer_id: web1.body.customer_id,
      merged: true,
      merged_ids: [till.body.customer_id],
    });
    const viaOld = await t.request('GET', `/v1/customers/${till.body.customer_id}`);
    expect(viaOld.status).toBe(200);
    expect(viaOld.body.id).toBe(web1.body.customer_id);
    expect(viaOld.body.merged_ids).toEqual([till.body.customer_id]);
    expect(viaOld.body.identifiers.map((i: { kind: string }) => i.kind).sort()).toEqual([
      'email',
      'loyalty_card',
      'phone',
    ]);
    expect(viaOld.body.metrics.channel_mix.class).toBe('store_only');

    const undo = await t.request('POST', `/v1/customers/${till.body.customer_id}/unmerge`);
    expect(undo.status).toBe(200);
    const a = await t.request('GET', `/v1/customers/${web1.body.customer_id}`);
    const b = await t.request('GET', `/v1/customers/${till.body.customer_id}`);
    expect(a.body.identifiers.map((i: { kind: string }) => i.kind)).toEqual(['email']);
    expect(b.body.id).toBe(till.body.customer_id);
    expect(b.body.metrics.visits).toBe(1);
    expect((await t.request('POST', `/v1/customers/${till.body.customer_id}/unmerge`)).status).toBe(409);
  });

  it('refuses to merge through a family phone or two verified emails, records why, changes nothing', async () => {
    const mum = await identify({ identifiers: { email: 'mum@example.com', phone: '+34600999000' } });
    const before = await t.request('GET', `/v1/customers/${mum.body.customer_id}`);
    const son = await identify({ identifiers: { email: 'son@example.com', phone: '+34600999000' } });
    expect(son.status).toBe(409);
    expect(son.body.code).toBe('merge_blocked');
    expect(son.body.conflicts[0]).toMatchObject({
      other_customer_id: mum.body.customer_id,
      reason: 'conflicting_identifiers',
    });
    const after = await t.request('GET', `/v1/customers/${mum.body.customer_id}`);
    expect(after.body.identifiers).toEqual(before.body.identifiers);
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from customer_identifiers where value = 'son@example.com'`.execute(t.omnia.ctx.db);
    expect(rows[0]!.n).toBe(0);
    const recorded = await sql<{
      reason: string;
    }>`select reason from customer_merge_conflicts where customer_b = ${mum.body.customer_id}`.execute(t.omnia.ctx.db);
    expect(recorded.rows.map((r) => r.reason)).toContain('conflicting_identifiers');
    // two verified emails: the reason says so
    const v1 = await identify({ identifiers: { email: 'v1@example.com' }, verified: ['email'] });
    const v2 = await identify({
      identifiers: { email: 'v2@example.com', loyalty_card: 'V-CARD' },
      verified: ['email'],
    });
    const join = await identify({ identifiers: { email: 'v1@example.com', loyalty_card: 'V-CARD' } });
    expect(join.status).toBe(409);
    expect(join.body.conflicts[0]).toMatchObject({
      other_customer_id: v2.body.customer_id,
      reason: 'different_verified_emails',
    });
    const kept = (await t.request('GET', `/v1/customers/${v1.body.customer_id}`)).body.identifiers;
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ kind: 'email', value: 'v1@example.com', verified: true });
    expect(kept[0].source).toMatch(/^identify:chn_/);
    // staff merge of two different people is refused the same way
    const other = await identify({ identifiers: { email: 'other@example.com' } });
    const staff = await t.request('POST', `/v1/customers/${mum.body.customer_id}/merge`, {
      body: { customer_id: other.body.customer_id },
    });
    expect(staff.status).toBe(409);
    expect(staff.body.code).toBe('merge_blocked');
  });

  it('ingests batches, rejecting bad events one by one with their index', async () => {
    const cus = (await identify({ identifiers: { email: 'carla@example.com' } })).body.customer_id;
    const future = new Date(Date.parse(NOW) + 3600_000).toISOString();
    const res = await t.request('POST', '/v1/events', {
      token: web,
      body: {
        events: [
          ev('product_viewed', { customer_id: cus }, { product_id: 'prd_shoe', category: 'shoes', size: '38' }),
          ev('teleported', { customer_id: cus }),
          ev('product_viewed', { customer_id: cus }, {}),
          ev('search', { customer_id: cus }, { query: 'boots' }, future),
          ev('search', { customer_id: cus }, { query: 'x'.repeat(400), blob: 'y'.repeat(9000) }),
          ev('search', { identifiers: { email: 'bad@' } }, { query: 'q' }),
          ev('search', { customer_id: 'cus_nobody' }, { query: 'q' }),
          ev('added_to_cart', { customer_id: cus }, { sku: 'SKU-SHOE-38', product_id: 'prd_shoe', quantity: 1 }),
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
    expect(
      res.body.rejected.map((r: { index: number; problem: { code: string } }) => [r.index, r.problem.code]),
    ).toEqual([
      [1, 'unknown_event_type'],
      [2, 'validation_failed'],
      [3, 'validation_failed'],
      [4, 'validation_failed'],
      [5, 'validation_failed'],
      [6, 'not_found'],
    ]);
    const view = await t.request('GET', `/v1/customers/${cus}`);
    expect(view.body.metrics.last_seen_at).toBe(NOW);
    expect(view.body.traits).toMatchObject({ preferred_sizes: ['38'], favourite_categories: ['shoes'] });
    expect(view.body.viewed_not_bought.map((v: { product_id: string }) => v.product_id)).toEqual(['prd_shoe']);
    // a retried batch with event ids is stored once
    const batch = { events: [ev('page_viewed', { id: 'e-1', customer_id: cus }, { path: '/' })] };
    await t.request('POST', '/v1/events', { token: web, body: batch });
    const retry = await t.request('POST', '/v1/events', { token: web, body: batch });
    expect(retry.body).toMatchObject({ accepted: 1, duplicates: 1 });
  });

  it('attaches anonymous history once the anonymous id is identified', async () => {
    const day = (d: number) => new Date(Date.parse(NOW) - d * 86_400_000).toISOString();
    const anon = await t.request('POST', '/v1/events', {
      token: web,
      body: {
        events: [
          ev('product_viewed', { anonymous_id: 'anon-42' }, { product_id: 'prd_bag', category: 'bags' }, day(20)),
          ev('product_viewed', { anonymous_id: 'anon-42' }, { product_id: 'prd_bag' }, day(10)),
        ],
      },
    });
    expect(anon.body.accepted).toBe(2);
    const res = await t.request('POST', '/v1/events', {
      token: web,
      body: {
        events: [
          ev('search', { anonymous_id: 'anon-42', identifiers: { email: 'dora@example.com' } }, { query: 'bag' }),
        ],
      },
    });
    expect(res.body.accepted).toBe(1);
    const id = (await identify({ identifiers: { email: 'dora@example.com' } })).body.customer_id;
    const view = await t.request('GET', `/v1/customers/${id}`);
    expect(view.body.metrics.visits).toBe(3);
    expect(view.body.metrics.visit_frequency_days).toBe(10);
    expect(view.body.viewed_not_bought[0]).toMatchObject({ product_id: 'prd_bag', views: 2 });
    expect(view.body.identifiers.map((i: { kind: string }) => i.kind).sort()).toEqual(['anonymous_id', 'email']);
  });

  it('feeds orders into metrics and recommendations, respecting personalisation consent', async () => {
    const buyer = (await identify({ identifiers: { email: 'eva@example.com' } })).body.customer_id;
    const other = (await identify({ identifiers: { email: 'fran@example.com' } })).body.customer_id;
    const order = (id: string, customer: string, products: string[], channel = 'web', channel_type = 'web') => ({
      order_id: id,
      customer_id: customer,
      channel,
      channel_type,
      location_id: null,
      placed_at: NOW,
      total: { amount: 5000, currency: 'EUR' },
      lines: products.map((p) => ({ sku: `${p}-M`, product_id: p, quantity: 1, amount: 2500 })),
    });
    // the handler as the dispatcher calls it (other modules' order.placed subscribers need real orders)
    await deliver(order('ord_1', other, ['prd_tee', 'prd_jeans']));
    await deliver(order('ord_2', other, ['prd_tee', 'prd_cap']));
    await deliver(order('ord_3', buyer, ['prd_tee'], 'pos', 'pos'));
    await deliver(order('ord_3', buyer, ['prd_tee'], 'pos', 'pos')); // redelivery changes nothing
    // a return and its refund, each delivered twice: counted once, spend is net of the refund
    const feed = t.omnia.services.customers.orders;
    for (let i = 0; i < 2; i++) {
      await t.omnia.ctx.db.transaction().execute(async (trx) => {
        await feed.onReturn(
          {
            id: 'evt_ret_1',
            type: 'return.created',
            aggregate_id: 'ret_1',
            occurred_at: NOW,
            data: { order_id: 'ord_3', return_id: 'ret_1' },
          },
          trx,
        );
        await feed.onReturn(
          {
            id: 'evt_ref_1',
            type: 'refund.issued',
            aggregate_id: 'ret_1',
            occurred_at: NOW,
            data: { order_id: 'ord_3', amount: { amount: 1500, currency: 'EUR' } },
          },
          trx,
        );
      });
    }
    const view = await t.request('GET', `/v1/customers/${buyer}`);
    expect(view.body.metrics).toMatchObject({
      orders_count: 1,
      total_spent: { amount: 3500, currency: 'EUR' },
      returns_count: 1,
    });
    expect(view.body.metrics.channel_mix.class).toBe('store_only');
    const recs = await t.request('GET', `/v1/customers/${buyer}/recommendations`);
    expect(recs.status).toBe(200);
    expect(recs.body.items.map((i: { product_id: string }) => i.product_id).sort()).toEqual(['prd_cap', 'prd_jeans']);
    expect(recs.body.items[0].reason).toBe('bought_together');

    const put = await t.request('PUT', `/v1/customers/${buyer}/consents`, {
      body: {
        consents: [
          { purpose: 'personalisation', granted: false },
          { purpose: 'marketing_email', granted: true },
        ],
      },
    });
    expect(put.status).toBe(200);
    const twice = await t.request('PUT', `/v1/customers/${buyer}/consents`, {
      body: {
        consents: [
          { purpose: 'marketing_sms', granted: true },
          { purpose: 'marketing_sms', granted: false },
        ],
      },
    });
    expect(twice.status).toBe(400);
    expect(twice.body.errors[0].field).toBe('consents/1/purpose');
    expect(await t.omnia.services.customers.hasConsent(buyer, 'marketing_email')).toBe(true);
    expect(await t.omnia.services.customers.hasConsent(buyer, 'marketing_sms')).toBe(false);
    const none = await t.request('GET', `/v1/customers/${buyer}/recommendations`);
    expect(none.body).toMatchObject({ personalised: false, items: [] });
    // withdrawn analytics consent: events are not stored
    await t.request('PUT', `/v1/customers/${buyer}/consents`, {
      body: { consents: [{ purpose: 'analytics', granted: false }] },
    });
    const suppressed = await t.request('POST', '/v1/events', {
      token: web,
      body: { events: [ev('search', { customer_id: buyer }, { query: 'q' })] },
    });
    expect(suppressed.body).toMatchObject({ accepted: 0, suppressed: 1 });
  });

  it('registers and logs customers in; a customer token sees only its own profile', async () => {
    const reg = await t.request('POST', '/v1/auth/customer/register', {
      token: web,
      body: { email: 'gil@example.com', password: 'a long enough secret' },
    });
    expect(reg.status).toBe(201);
    expect(
      (
        await t.request('POST', '/v1/auth/customer/register', {
          token: web,
          body: { email: 'gil@example.com', password: 'a long enough secret' },
        })
      ).status,
    ).toBe(409);
    const bad = await t.request('POST', '/v1/auth/customer/login', {
      token: web,
      body: { email: 'gil@example.com', password: 'wrong password!' },
    });
    expect(bad.status).toBe(401);
    const login = await t.request('POST', '/v1/auth/customer/login', {
      token: web,
      body: { email: 'gil@example.com', password: 'a long enough secret' },
    });
    expect(login.status).toBe(200);
    const mine = await t.request('GET', `/v1/customers/${reg.body.customer_id}`, { token: login.body.token });
    expect(mine.status).toBe(200);
    expect(mine.body.has_account).toBe(true);
    const someone = (await identify({ identifiers: { email: 'hugo@example.com' } })).body.customer_id;
    // Another customer does not exist for a customer token (the authorization policy's 404).
    expect((await t.request('GET', `/v1/customers/${someone}`, { token: login.body.token })).status).toBe(404);
    expect(
      (
        await t.request('POST', '/v1/identify', {
          token: login.body.token,
          body: { identifiers: { email: 'x@example.com' } },
        })
      ).status,
    ).toBe(403);
    const ownEvent = await t.request('POST', '/v1/events', {
      token: login.body.token,
      body: {
        events: [
          ev('search', {}, { query: 'socks' }),
          ev('search', { identifiers: { email: 'hugo@example.com' } }, { query: 'q' }),
        ],
      },
    });
    expect(ownEvent.body.accepted).toBe(1);
    expect(ownEvent.body.rejected[0]).toMatchObject({ index: 1, problem: { code: 'forbidden' } });
  });

  it('saves segments, validates them, and evaluates with a count and pages', async () => {
    const bad = await t.request('POST', '/v1/segments', {
      body: { name: 'bad', definition: { all: [{ field: 'nope', op: 'eq', value: 1 }] } },
    });
    expect(bad.status).toBe(400);
    const seg = await t.request('POST', '/v1/segments', {
      body: {
        name: 'shoe lookers',
        definition: { all: [{ field: 'viewed_category', op: 'contains', value: 'shoes' }] },
      },
    });
    expect(seg.status).toBe(201);
    const members = await t.request('GET', `/v1/segments/${seg.body.id}/members?limit=10`);
    expect(members.body.count).toBe(1);
    const active = await t.request('POST', '/v1/segments', {
      body: { name: 'everyone', definition: { field: 'orders_count', op: 'gte', value: 0 } },
    });
    const p1 = await t.request('GET', `/v1/segments/${active.body.id}/members?limit=2`);
    const p2 = await t.request('GET', `/v1/segments/${active.body.id}/members?limit=2&cursor=${p1.body.next_cursor}`);
    expect(p1.body.items).toHaveLength(2);
    expect(p2.body.items[0] > p1.body.items[1]).toBe(true);
    expect(p2.body.count).toBe(p1.body.count);
  });

  it('erases personal data everywhere, keeps orders, and refuses unknown customers', async () => {
    const email = 'ines.erase@example.com';
    const phone = '+34611223344';
    const id = (await identify({ identifiers: { email, phone, anonymous_id: 'anon-ines' }, first_name: 'Inés' })).body
      .customer_id;
    await t.request('POST', '/v1/events', {
      token: web,
      body: { events: [ev('search', { customer_id: id }, { query: `mail ${email} ${phone}` })] },
    });
    await t.request('PUT', `/v1/customers/${id}/consents`, {
      body: { consents: [{ purpose: 'marketing_sms', granted: true }] },
    });
    await deliver({
      order_id: 'ord_ines',
      customer_id: id,
      channel: 'web',
      channel_type: 'web',
      location_id: null,
      placed_at: NOW,
      total: { amount: 100, currency: 'EUR' },
      lines: [{ sku: 'S1', product_id: 'P1', quantity: 1, amount: 100 }],
    });
    const exported = await t.request('GET', `/v1/customers/${id}/export`);
    expect(JSON.stringify(exported.body)).toContain(email);
    expect(exported.body.events).toHaveLength(1);

    expect((await t.request('DELETE', '/v1/customers/cus_unknown')).status).toBe(404);
    const del = await t.request('DELETE', `/v1/customers/${id}`);
    expect(del.status).toBe(200);
    await t.omnia.dispatcher.drain();
    // search every table's text for the email, the phone and the name
    const db = t.omnia.ctx.db;
    const tables = await sql<{
      table_name: string;
    }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(
      db,
    );
    const found: string[] = [];
    for (const { table_name } of tables.rows) {
      const r = await sql<{
        n: number;
      }>`select count(*)::int as n from ${sql.table(table_name)} x where x::text ilike ${'%' + email + '%'} or x::text like ${'%' + phone + '%'} or x::text like ${'%Inés%'}`.execute(
        db,
      );
      if (r.rows[0]!.n > 0) found.push(table_name);
    }
    expect(found).toEqual([]);
    const order = await sql<{
      n: number;
    }>`select count(*)::int as n from customer_orders where order_id = 'ord_ines'`.execute(db);
    expect(order.rows[0]!.n).toBe(1);
    expect((await t.request('GET', `/v1/customers/${id}`)).status).toBe(404);
    const outbox = await sql<{
      n: number;
    }>`select count(*)::int as n from outbox where type = 'customer.erased'`.execute(db);
    expect(outbox.rows[0]!.n).toBe(1);
  });
});
