/**
 * The contact-center desk over HTTP: search (every reading of a query, merged people, what a
 * channel-bound key may see), the one-call 360 with orders of every channel and merges, notes kept,
 * exported and erased with the person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { HOME_ADDRESS, GOOD_CARD, setupShop, type Shop } from '../checkout/fixtures.js';
import { foldName } from '../../src/customers/search-rules.js';

describe('customer desk: search, 360, notes', () => {
  let t: TestApp;
  let shop: Shop;
  let keyA: string;
  let keyB: string;
  let agent: string;
  let merch: string;
  let ana: string;
  beforeAll(async () => {
    t = await startTestApp();
    shop = await setupShop(t, { prefix: 'd', promotions: 0 });
    const scopes = ['customers:read', 'customers:write', 'events:write'] as const;
    keyA = await t.apiKey('d-web', [...scopes]);
    keyB = await t.apiKey('d-other', [...scopes]);
    const staff = async (role: 'agent' | 'merchandiser') => {
      const email = `${role}@desk.test`;
      await t.omnia.services.auth.createStaff({ email, password: 'correct horse battery', role });
      return (await t.omnia.services.auth.loginStaff(email, 'correct horse battery')).token;
    };
    agent = await staff('agent');
    merch = await staff('merchandiser');
    const a = await t.request('POST', '/v1/identify', {
      token: keyA,
      body: {
        identifiers: { email: 'ana.garcia@example.com', phone: '+34612345678', loyalty_card: 'LOY-1234-5678' },
        first_name: 'Ana',
        last_name: 'García',
      },
    });
    expect(a.status).toBe(200);
    ana = a.body.customer_id;
  });
  afterAll(async () => t?.close());

  const search = (query: string, token = agent) =>
    t.request('GET', `/v1/customers?query=${encodeURIComponent(query)}`, { token });
  const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((i) => i.id);

  it('finds a person by a phone typed any way, e-mail, card, name and customer id', async () => {
    for (const q of ['612 34 56 78', '+34 612-34-56-78', '0034612345678', '(612) 345 678']) {
      const r = await search(q);
      expect(r.status, q).toBe(200);
      expect(ids(r), q).toEqual([ana]);
      expect(r.body.items[0].matched).toContain('phone');
    }
    expect((await search('612 34 56 78')).body.read_as).toContain('phone:+34612345678');
    expect(ids(await search('  ANA.Garcia@Example.com '))).toEqual([ana]);
    expect(ids(await search('LOY-1234-5678'))).toEqual([ana]);
    expect(ids(await search('ana garc'))).toEqual([ana]);
    expect(ids(await search('garcía'))).toEqual([ana]);
    // accents and case never stand between an agent and a customer
    expect(ids(await search('GARCIA'))).toEqual([ana]);
    expect(ids(await search('ána garcia'))).toEqual([ana]);
    expect(ids(await search(ana))).toEqual([ana]);
    const hit = (await search('ana')).body.items[0];
    expect(hit).toMatchObject({
      id: ana,
      first_name: 'Ana',
      last_name: 'García',
      emails: ['ana.garcia@example.com'],
      phones: ['+34612345678'],
      loyalty_cards: ['LOY-1234-5678'],
      matched: ['name'],
    });
    expect((await search('699 99 99 99')).body.items).toEqual([]);
    // a name prefix is matched literally: no wildcard of the caller's
    expect((await search('%a')).body.items).toEqual([]);
  });

  it('folds names in SQL exactly as the search rules fold the query (migration 4300 and foldName are twins)', async () => {
    const sample = 'ÁÀÂÄÃÅáàâäãå ÉÈÊËéèêë ÍÌÎÏíìîï ÓÒÔÖÕØóòôöõø ÚÙÛÜúùûü ÇçÑñÝýÿ Ana GARCÍA Núñez';
    const res = await sql<{ f: string }>`select omnia_fold_name(${sample}) as f`.execute(t.omnia.ctx.db);
    expect(res.rows[0]!.f).toBe(foldName(sample));
    expect(foldName(sample)).toMatch(/^[a-z ]+$/);
  });

  it('refuses a query that says nothing searchable, with a field error', async () => {
    const short = await search('a');
    expect(short.status).toBe(400);
    const bad = await search('ana@');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('query');
    expect((await search('--')).body.items).toEqual([]);
  });

  it('finds the survivor through a merged profile’s identifier, and the absorbed one again after the undo', async () => {
    const till = await t.request('POST', '/v1/identify', {
      token: keyA,
      body: { identifiers: { pos_customer: 'POS-777' }, first_name: 'Ana', last_name: 'García López' },
    });
    const merged = await t.request('POST', `/v1/customers/${ana}/merge`, {
      body: { customer_id: till.body.customer_id },
    });
    expect(merged.status).toBe(200);
    expect(ids(await search('POS-777'))).toEqual([ana]);
    // both rows carry a name that matches: still one person
    expect(ids(await search('ana garcía'))).toEqual([ana]);

    const view = await t.request('GET', `/v1/customers/${ana}/360`, { token: agent });
    expect(view.status).toBe(200);
    expect(view.body.merges).toHaveLength(1);
    expect(view.body.merges[0]).toMatchObject({
      survivor_id: ana,
      absorbed_id: till.body.customer_id,
      undone_at: null,
      absorbed: { last_name: 'García López', identifiers: [{ kind: 'pos_customer', value: 'POS-777' }] },
    });
    expect(view.body.merges[0].reason).toContain('staff merge');

    const undo = await t.request('POST', `/v1/customers/${till.body.customer_id}/unmerge`, { token: agent });
    expect(undo.status).toBe(200);
    expect(ids(await search('POS-777'))).toEqual([till.body.customer_id]);
    const after = await t.request('GET', `/v1/customers/${ana}/360`, { token: agent });
    expect(after.body.merges[0].undone_at).not.toBeNull();
    expect(after.body.merges[0].undone_by).toMatch(/^staff:/);
  });

  it('shows a channel-bound key only the people its channel met; a merchandiser none', async () => {
    expect(ids(await search('612345678', keyA))).toEqual([ana]);
    const other = await search('612345678', keyB);
    expect(other.status).toBe(200);
    expect(other.body.items).toEqual([]);
    expect((await search('ana', keyB)).body.items).toEqual([]);
    // finding her by an identifier B already knows is no meeting: nothing of hers is in channel B
    await t.request('POST', '/v1/identify', {
      token: keyB,
      body: { identifiers: { email: 'ana.garcia@example.com' } },
    });
    expect((await search('612345678', keyB)).body.items).toEqual([]);
    // once channel B has met her (an event of hers in it), B finds her too
    const ev = await t.request('POST', '/v1/events', {
      token: keyB,
      body: {
        events: [
          { type: 'page_viewed', timestamp: new Date().toISOString(), customer_id: ana, properties: { path: '/help' } },
        ],
      },
    });
    expect(ev.body.accepted, JSON.stringify(ev.body)).toBe(1);
    expect(ids(await search('612345678', keyB))).toEqual([ana]);
    expect((await search('ana', merch)).status).toBe(403);
    expect((await search('ana', '')).status).toBe(401);
  });

  it('puts orders of every channel, identifier sources and recommendations in one 360 answer', async () => {
    const order = async (channel: string, delivery: Record<string, unknown>, payment: Record<string, unknown>) => {
      const cart = await t.request('POST', '/v1/carts', { body: { channel, customer_id: ana } });
      expect(cart.status).toBe(201);
      await t.request('POST', `/v1/carts/${cart.body.id}/items`, { body: { sku: shop.skus[0], quantity: 1 } });
      const placed = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, { body: { delivery, payment } });
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      return placed.body.id as string;
    };
    const web = await order(
      'd-web',
      { method: 'home', address: HOME_ADDRESS },
      { provider: 'test', card_number: GOOD_CARD },
    );
    const phone = await order(
      'd-phone',
      { method: 'click_collect', location_id: shop.store.id },
      { provider: 'manual' },
    );
    await t.omnia.dispatcher.drain();
    const view = await t.request('GET', `/v1/customers/${ana}/360`, { token: agent });
    expect(view.status).toBe(200);
    expect(view.body.orders.map((o: { id: string }) => o.id).sort()).toEqual([web, phone].sort());
    const types = view.body.orders.map((o: { channel_type: string }) => o.channel_type).sort();
    expect(types).toEqual(['contact_center', 'web']);
    expect(view.body.profile.metrics.orders_count).toBe(2);
    const email = view.body.profile.identifiers.find((i: { kind: string }) => i.kind === 'email');
    expect(email.source).toMatch(/^identify:chn_/);
    expect(email.linked_at).toBeTruthy();
    expect(view.body.recommendations).toHaveProperty('items');
    expect(view.body.returns).toEqual([]);
    // an order number finds its customer
    expect(ids(await search(phone))).toEqual([ana]);
    const denied = await t.request('GET', `/v1/customers/${ana}/360`, { token: merch });
    expect(denied.status).toBe(403);
  });

  it('keeps notes with the person: listed, exported, erased', async () => {
    const bea = (await t.request('POST', '/v1/identify', { body: { identifiers: { email: 'bea@example.com' } } })).body
      .customer_id as string;
    const add = await t.request('POST', `/v1/customers/${bea}/notes`, {
      token: agent,
      body: { body: 'Called about a late parcel; promised a call back.' },
    });
    expect(add.status).toBe(201);
    expect(add.body).not.toHaveProperty('body');
    const blank = await t.request('POST', `/v1/customers/${bea}/notes`, { token: agent, body: { body: '   ' } });
    expect(blank.status).toBe(400);
    const none = await t.request('POST', '/v1/customers/cus_nobody/notes', { token: agent, body: { body: 'x' } });
    expect(none.status).toBe(404);
    const list = await t.request('GET', `/v1/customers/${bea}/notes`, { token: agent });
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ body: 'Called about a late parcel; promised a call back.' });
    expect(list.body.items[0].author).toMatch(/^staff:/);
    const view = await t.request('GET', `/v1/customers/${bea}/360`, { token: agent });
    expect(view.body.notes).toHaveLength(1);
    const exported = await t.request('GET', `/v1/customers/${bea}/export`, { token: agent });
    expect(exported.body.notes.map((n: { body: string }) => n.body)).toEqual([
      'Called about a late parcel; promised a call back.',
    ]);
    const erased = await t.request('DELETE', `/v1/customers/${bea}`);
    expect(erased.status).toBe(200);
    const left = await sql<{
      n: number;
    }>`select count(*)::int as n from customer_notes where customer_id = ${bea}`.execute(t.omnia.ctx.db);
    expect(left.rows[0]!.n).toBe(0);
    expect((await t.request('GET', `/v1/customers/${bea}/notes`, { token: agent })).status).toBe(404);
    expect(
      (await t.request('POST', `/v1/customers/${bea}/notes`, { token: agent, body: { body: 'after' } })).status,
    ).toBe(404);
    expect((await search('bea@example.com')).body.items).toEqual([]);
  });
});
