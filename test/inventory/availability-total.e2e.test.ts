import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import { setupRetail, type Retail } from './fixtures.js';

/**
 * `fields=total` on GET /v1/availability and POST /v1/availability/query: the same answers without
 * `locations`, with `location_count`; without it the answer is unchanged; a bad value is the usual
 * validation problem; the OpenAPI document shows the parameter and the total answer's schema.
 */
describe('availability total answers over HTTP', () => {
  let t: TestApp;
  let r: Retail;
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let A: string, B: string, C: string;
  const totalOf = (a: { sku: string; channel: string; available: number; locations: unknown[] }) => ({
    sku: a.sku,
    channel: a.channel,
    available: a.available,
    location_count: a.locations.length,
  });

  beforeAll(async () => {
    t = await startTestApp({ clock });
    r = await setupRetail(t.omnia.services, { stores: 3, skus: 4, prefix: 'att' });
    [A, B, C] = r.skus as [string, string, string];
    await t.apiKey('web', ['inventory:read']);
    const receive = async (sku: string, location_id: string, quantity: number) =>
      expect(
        (
          await t.request('POST', '/v1/inventory/movements', {
            body: { sku, location_id, type: 'receipt', quantity },
          })
        ).status,
      ).toBe(201);
    await receive(A, r.stores[0]!.id, 10);
    await receive(A, r.stores[2]!.id, 4);
    await receive(A, r.warehouse.id, 20);
    await receive(B, r.stores[1]!.id, 3);
  });
  afterAll(async () => t?.close());

  it('GET: the full answer’s sum and count without the list; without the parameter, the full answer', async () => {
    for (const where of ['', '&lat=40.4&lng=-3.7', '&lat=40.4&lng=-3.7&radius_km=15']) {
      const full = await t.request('GET', `/v1/availability?sku=${A}&channel=web${where}`);
      expect(full.status).toBe(200);
      expect(full.body.locations.length).toBeGreaterThan(0);
      const total = await t.request('GET', `/v1/availability?sku=${A}&channel=web${where}&fields=total`);
      expect(total.status).toBe(200);
      expect(total.headers['content-type']).toMatch(/^application\/json/);
      expect(total.body).toEqual(totalOf(full.body));
    }
    const all = await t.request('GET', `/v1/availability?sku=${A}&channel=web&fields=total`);
    expect(all.body).toEqual({ sku: A, channel: 'web', available: 34, location_count: 3 });
    const near = await t.request('GET', `/v1/availability?sku=${A}&channel=web&lat=40.4&lng=-3.7&radius_km=15`);
    expect(near.body.locations).toHaveLength(1); // the radius applies as before
  });

  it('POST query: one total per distinct SKU, near a point within the radius', async () => {
    for (const point of [{}, { lat: 40.4, lng: -3.7 }, { lat: 40.45, lng: -3.65, radius_km: 20 }]) {
      const body = { channel: 'web', skus: [A, B, C, A], ...point };
      const full = await t.request('POST', '/v1/availability/query', { body });
      expect(full.status).toBe(200);
      const total = await t.request('POST', '/v1/availability/query', { body: { ...body, fields: 'total' } });
      expect(total.status).toBe(200);
      expect(total.body).toEqual({ items: full.body.items.map(totalOf) });
      expect(total.body.items.map((i: { sku: string }) => i.sku)).toEqual([A, B, C]);
    }
  });

  it('refuses a bad value with the validation problem', async () => {
    for (const res of [
      await t.request('GET', `/v1/availability?sku=${A}&channel=web&fields=locations`),
      await t.request('GET', `/v1/availability?sku=${A}&channel=web&fields=`),
      await t.request('POST', '/v1/availability/query', { body: { channel: 'web', skus: [A], fields: 'all' } }),
      await t.request('POST', '/v1/availability/query', { body: { channel: 'web', skus: [A], fields: ['total'] } }),
    ]) {
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.type).toMatch(/validation_failed$/);
    }
  });

  it('documents the parameter and the total answer in the OpenAPI document', async () => {
    const doc = await t.request('GET', '/openapi.json', { token: '' });
    const get = doc.body.paths['/v1/availability'].get;
    expect(get.parameters).toContainEqual(
      expect.objectContaining({ in: 'query', name: 'fields', schema: expect.objectContaining({ enum: ['total'] }) }),
    );
    const text = JSON.stringify(get.responses['200']);
    expect(text).toContain('location_count');
    expect(text).toContain('locations');
    const post = doc.body.paths['/v1/availability/query'].post;
    expect(JSON.stringify(post.requestBody)).toContain('"fields"');
    expect(JSON.stringify(post.responses['200'])).toContain('location_count');
  });
});
