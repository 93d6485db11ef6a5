import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';

/**
 * PostgreSQL only (real concurrent connections): one person sends the same review many times at once,
 * from two of their profile rows (the web account and a merged till row, each with its own token).
 * The check in the transaction cannot see the others' uncommitted rows; the unique index on the
 * resolved person decides: exactly one review, every other answer a clean 409, never a 500.
 */
describe('one review per person and product, under concurrent submissions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ database: await createTestDatabase({ forcePg: true }) });
    await t.omnia.services.catalog.createProduct({
      code: 'RACE-TEE',
      name: 'Race tee',
      category: 'clothing',
      variants: [{ sku: 'RACE-TEE-M', weight_g: 200, prices: [{ currency: 'EUR', list_amount: 1990 }] }],
    } as never);
    await t.apiKey('race-web', [], { type: 'web', kind: 'publishable' });
  });
  afterAll(async () => t?.close());

  it('answers one 201 and 409s for the rest', async () => {
    const s = t.omnia.services;
    const web = (await s.network.channel('race-web'))!.id;
    const a = await s.customers.register({ email: 'race@rv.test', password: 'a long enough password', channelId: web });
    // A till's row of the same person (linked by an agent's merge), holding a token of its own.
    const till = await t.request('POST', '/v1/identify', { body: { identifiers: { pos_customer: 'POS-RACE' } } });
    const merged = await t.request('POST', `/v1/customers/${a.customer_id}/merge`, {
      body: { customer_id: till.body.customer_id },
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const b = s.auth.issueCustomerToken(till.body.customer_id, web);
    for (let round = 0; round < 3; round++) {
      const product =
        round === 0
          ? 'RACE-TEE'
          : (
              await s.catalog.createProduct({
                code: `RACE-${round}`,
                name: `Race ${round}`,
                category: 'clothing',
                variants: [{ sku: `RACE-${round}-M`, weight_g: 200, prices: [{ currency: 'EUR', list_amount: 990 }] }],
              } as never)
            ).id;
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          t.request('POST', '/v1/reviews', {
            token: i % 2 ? a.token : b.token,
            body: { product_id: product, rating: 4, text: `try ${i}` },
          }),
        ),
      );
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses, JSON.stringify(answers.map((r) => r.body))).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
      for (const r of answers.filter((x) => x.status === 409)) expect(r.body.type).toContain('duplicate');
      const rows = await t.database.db
        .selectFrom('reviews')
        .select('customer_id')
        .where('body', 'like', 'try %')
        .execute();
      expect(rows.length).toBe(round + 1);
      expect(new Set(rows.map((r) => r.customer_id))).toEqual(new Set([a.customer_id]));
    }
  });
});
