import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { eventCatalog } from '../../src/events-catalog.js';
import { eventsMarkdown } from '../../src/platform/events/openapi.js';

/** Issue 12 (4): the event list with payload schemas is published, from the same map that types `emit`. */
describe('typed events: published in docs/events.md and the OpenAPI webhooks section', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('lists every declared event with its payload schema in /openapi.json', async () => {
    const doc = (await t.request('GET', '/openapi.json', { token: '' })).body;
    expect(Object.keys(doc.webhooks).sort()).toEqual(Object.keys(eventCatalog).sort());
    const placed = doc.webhooks['order.placed'].post.requestBody.content['application/json'].schema;
    expect(placed.properties.type.const).toBe('order.placed');
    expect(placed.properties.data.required).toEqual(expect.arrayContaining(['order_id', 'total', 'lines']));
  });

  it('keeps docs/events.md generated from the schemas (npx tsx scripts/events-doc.ts)', () => {
    const doc = fs.readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
    expect(doc).toBe(eventsMarkdown(eventCatalog));
  });

  it('declares every event type the modules emit', async () => {
    // A representative flow through the wiring: whatever lands in the outbox must be a declared type.
    await t.request('POST', '/v1/channels', { body: { code: 'ev-web', type: 'web', name: 'Web' } });
    const types = await t.omnia.ctx.db.selectFrom('outbox').select('type').distinct().execute();
    for (const { type } of types) expect(Object.keys(eventCatalog)).toContain(type);
  });
});
