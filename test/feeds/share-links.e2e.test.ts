import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

/** Share links: built with attribution parameters; a visit through one counts for social in the channel mix. */
describe('share links with attribution', () => {
  let t: TestApp;
  let pub: string;

  beforeAll(async () => {
    t = await startTestApp();
    await t.omnia.services.network.createChannel({ code: 'instagram', type: 'social', name: 'Instagram Shop' });
    pub = await t.apiKey('web', [], { kind: 'publishable', type: 'web' });
  });
  afterAll(async () => t?.close());

  it('builds the link with utm_source, utm_medium, utm_campaign and the share id', async () => {
    const res = await t.request('POST', '/v1/share-links', {
      token: pub,
      body: {
        channel: 'instagram',
        url: 'https://shop.example.com/p/tee?colour=white',
        campaign: 'Verano',
        sku: 'TEE-M',
      },
    });
    expect(res.status).toBe(201);
    const u = new URL(res.body.url);
    expect(u.origin + u.pathname).toBe('https://shop.example.com/p/tee');
    expect(Object.fromEntries(u.searchParams)).toEqual({
      colour: 'white',
      utm_source: 'instagram',
      utm_medium: 'social',
      utm_campaign: 'verano',
      omnia_share: res.body.id,
    });
    expect(res.body.id).toMatch(/^shl_/);
    expect(res.body.sharer_customer_id).toBeNull();
  });

  it('refuses a link for a channel that is not social, or to something that is not a web page', async () => {
    const web = await t.request('POST', '/v1/share-links', {
      token: pub,
      body: { channel: 'web', url: 'https://shop.example.com/p/tee' },
    });
    expect(web.status).toBe(400);
    expect(web.body.errors[0].field).toBe('channel');
    const js = await t.request('POST', '/v1/share-links', {
      token: pub,
      body: { channel: 'instagram', url: 'javascript:alert(1)//x' },
    });
    expect(js.status).toBe(400);
    expect(js.body.errors[0].field).toBe('url');
  });

  it('records a visit as a behaviour event of the social channel, which the channel mix counts as social', async () => {
    const before = await t.request('GET', '/v1/analytics/channel-mix');
    const visitsBefore = before.body.conversion.find((c: { channel: string }) => c.channel === 'social')?.visits ?? 0;
    const link = await t.request('POST', '/v1/share-links', {
      token: pub,
      body: { channel: 'instagram', url: 'https://shop.example.com/p/cap', campaign: 'launch' },
    });
    // Two friends who follow the link on their phones, logged in to the shop (the mix counts known people's visits).
    const web = (await t.omnia.services.network.channel('web'))!;
    const friends = await Promise.all(
      ['ana', 'rui'].map((n) =>
        t.omnia.services.customers.register({
          email: `${n}@example.com`,
          password: 'a long enough password',
          channelId: web.id,
        }),
      ),
    );
    for (const [i, f] of friends.entries()) {
      const v = await t.request('POST', `/v1/share-links/${link.body.id}/visits`, {
        token: f.token,
        body: { anonymous_id: `anon-visitor-${i}` },
      });
      expect(v.status).toBe(200);
      expect(v.body).toEqual({ channel: 'instagram', recorded: true });
    }
    expect(
      (await t.request('POST', '/v1/share-links/shl_nope/visits', { token: pub, body: { anonymous_id: 'a' } })).status,
    ).toBe(404);
    // The event: page_viewed in the instagram channel, carrying the attribution.
    const events = await t.database.db
      .selectFrom('customer_events')
      .selectAll()
      .where('channel', '=', 'instagram')
      .execute();
    expect(events).toHaveLength(2);
    expect(events.map((e) => e.customer_id).sort()).toEqual(friends.map((f) => f.customer_id).sort());
    expect(events[0]).toMatchObject({ type: 'page_viewed' });
    expect(JSON.stringify(events[0]!.properties)).toContain(link.body.id);
    expect(JSON.stringify(events[0]!.properties)).toContain('"utm_campaign":"launch"');
    // The channel mix: social is a channel of its own in the conversion table.
    const mix = await t.request('GET', '/v1/analytics/channel-mix');
    expect(mix.status).toBe(200);
    const social = mix.body.conversion.find((c: { channel: string }) => c.channel === 'social');
    expect(social).toMatchObject({ channel: 'social', visits: visitsBefore + 2 });
    expect(mix.body.total.channels.social).toBeDefined();
    const read = await t.request('GET', `/v1/share-links/${link.body.id}`);
    expect(read.body.visits).toBe(2);
  });

  it('records who shared with a customer token, and forgets it when that person is erased', async () => {
    const web = (await t.omnia.services.network.channel('web'))!;
    const eva = await t.omnia.services.customers.register({
      email: 'eva@example.com',
      password: 'a long enough password',
      channelId: web.id,
    });
    const link = await t.request('POST', '/v1/share-links', {
      token: eva.token,
      body: { channel: 'instagram', url: 'https://shop.example.com/p/tee' },
    });
    expect(link.status).toBe(201);
    expect(link.body.sharer_customer_id).toBe(eva.customer_id);
    const erased = await t.request('DELETE', `/v1/customers/${eva.customer_id}`);
    expect(erased.status).toBeLessThan(300);
    await t.omnia.dispatcher.drain();
    const after = await t.request('GET', `/v1/share-links/${link.body.id}`);
    expect(after.body.sharer_customer_id).toBeNull();
    expect(after.body.url).toContain(`omnia_share=${link.body.id}`); // the link itself keeps working
  });
});
