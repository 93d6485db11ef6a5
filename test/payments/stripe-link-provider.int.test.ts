/**
 * The stripe_link provider against the local fake Stripe, without the rest of Omnia: the create call
 * (a Checkout Session with manual capture, expires_at and our payment id), its replay under the same
 * Idempotency-Key after a lost answer (one session, one link), a paid link, an expired one (by
 * Stripe, or by us once past its time), and the webhook's signature check for session events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { ManualClock } from '../../src/platform/clock.js';
import { StripeProvider } from '../../src/payments/stripe/provider.js';
import { StripeLinkProvider } from '../../src/payments/link/provider.js';
import { PaymentsService } from '../../src/payments/service.js';
import { StripeWebhooks } from '../../src/payments/stripe/webhook.js';
import { startStripeFake, type StripeFake } from './fakes/stripe-fake.js';

const KEY = 'sk_test_link_provider';
const WHSEC = 'whsec_link_provider';

describe('stripe_link provider on the fake Stripe', () => {
  let database: TestDatabase;
  let fake: StripeFake;
  let link: StripeLinkProvider;
  const clock = new ManualClock('2026-06-01T09:00:00Z');
  const request = { provider: 'stripe_link' };
  const input = (ref: string) => ({ amount: 4990, currency: 'EUR', reference: ref, request });

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await startStripeFake({ secretKey: KEY, webhookSecret: WHSEC, now: () => clock.now() });
    const u = new URL(fake.url);
    const cards = new StripeProvider({
      secretKey: KEY,
      db: database.db,
      clock,
      returnUrl: 'https://shop.example/paid',
      api: { host: u.hostname, port: Number(u.port), protocol: 'http' },
      maxNetworkRetries: 0,
    });
    link = new StripeLinkProvider({
      cards,
      db: database.db,
      clock,
      returnUrl: 'https://shop.example/paid',
      ttlMs: 2 * 3600_000,
    });
  });
  afterAll(async () => {
    await fake?.close();
    await database?.close();
  });

  it('creates a Checkout Session: the link, manual capture, expires_at, our id as metadata and key', async () => {
    const a = await link.authorise(input('ord_a'), { idempotency_key: 'pay_a' });
    expect(a).toMatchObject({ pending: true, next_action: { type: 'payment_link' } });
    if (!('pending' in a) || a.next_action?.type !== 'payment_link') throw new Error('not a link');
    expect(a.next_action.expires_at).toBe('2026-06-01T11:00:00.000Z');
    const s = fake.sessions.get(a.provider_ref)!;
    expect(s).toMatchObject({
      mode: 'payment',
      amount_total: 4990,
      currency: 'eur',
      metadata: { omnia_payment_id: 'pay_a' },
    });
    expect(s.payment_intent_data.capture_method).toBe('manual');
    expect(a.next_action.redirect_url).toBe(s.url);
    expect(fake.calls.filter((c) => c.path === '/v1/checkout/sessions').map((c) => c.key)).toEqual(['pay_a']);
  });

  it('a lost answer: the retrieve replays the same create under the same key — one session, one link', async () => {
    // Stripe makes the session, but the answer is held past our deadline.
    fake.faults.push({ match: (m, p) => m === 'POST' && p === '/v1/checkout/sessions', delayMs: 400, times: 1 });
    await expect(
      link.authorise(input('ord_b'), { idempotency_key: 'pay_b', signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow();
    const sessions = () => [...fake.sessions.values()].filter((s) => s.metadata.omnia_payment_id === 'pay_b');
    expect(sessions()).toHaveLength(1);
    const r = await link.retrieve('pay_b');
    expect(r).toMatchObject({ pending: true, provider_ref: sessions()[0]!.id });
    expect(sessions()).toHaveLength(1);
    const replays = fake.calls.filter((c) => c.path === '/v1/checkout/sessions' && c.key === 'pay_b');
    expect(replays.map((c) => c.replayed)).toEqual([false, true]);
    // a key never sent is unknown to us: null (the state machine then fails that payment)
    expect(await link.retrieve('pay_never')).toBeNull();
  });

  it('paid: the session’s PaymentIntent (held, manual capture) authorises, and capture goes through the card provider', async () => {
    const a = await link.authorise(input('ord_c'), { idempotency_key: 'pay_c' });
    if (!('pending' in a) || !a.next_action) throw new Error('not pending');
    expect(await fake.payLink(a.next_action.redirect_url)).toBe(302);
    const r = await link.retrieve('pay_c');
    expect(r).toMatchObject({ ok: true, details: { capture_method: 'manual', via: 'payment_link', last4: '4242' } });
    if (!r || !('ok' in r) || !r.ok) throw new Error('not authorised');
    expect(r.provider_ref).toMatch(/^pi_/);
    expect(fake.intents.get(r.provider_ref)!.status).toBe('requires_capture');
    expect(await link.capture(r.provider_ref, 4990, { idempotency_key: 'pop_c' })).toEqual({ ok: true });
    expect(fake.intents.get(r.provider_ref)!.status).toBe('succeeded');
  });

  it('a declined card on the page leaves the link open; expired by Stripe → declined payment_link_expired', async () => {
    const a = await link.authorise(input('ord_d'), { idempotency_key: 'pay_d' });
    if (!('pending' in a) || !a.next_action) throw new Error('not pending');
    expect(await fake.payLink(a.next_action.redirect_url, 'pm_card_visa_chargeDeclined')).toBe(402);
    expect(await link.retrieve('pay_d')).toMatchObject({ pending: true });
    await fake.expireSessions([a.provider_ref]);
    expect(await link.retrieve('pay_d')).toEqual({ ok: false, reason: 'payment_link_expired' });
    expect(await fake.payLink(a.next_action.redirect_url)).toBe(410);
  });

  it('past its expiry and still open (Stripe late, webhook lost): we expire it ourselves, then decline', async () => {
    const a = await link.authorise(input('ord_e'), { idempotency_key: 'pay_e' });
    if (!('pending' in a)) throw new Error('not pending');
    clock.advance(2 * 3600_000 + 1000);
    expect(await link.retrieve('pay_e')).toEqual({ ok: false, reason: 'payment_link_expired' });
    expect(fake.sessions.get(a.provider_ref)!.status).toBe('expired');
    const expire = fake.calls.find((c) => c.path === `/v1/checkout/sessions/${a.provider_ref}/expire`);
    expect(expire?.key).toBe('pay_e:expire');
  });

  it('the webhook: a session event with a bad signature is refused; a good one marks the payment due once', async () => {
    const payments = new PaymentsService(database.db, clock, [link]);
    let settled = 0;
    const hooks = new StripeWebhooks({
      db: database.db,
      clock,
      payments,
      secret: WHSEC,
      settle: async () => void settled++,
    });
    const p = await payments.begin({ order_id: 'ord_f', amount: 4990, currency: 'EUR', provider: 'stripe_link' });
    const a = await link.authorise(input('ord_f'), { idempotency_key: p.id });
    if (!('pending' in a) || !a.next_action) throw new Error('not pending');
    fake.autoWebhooks = false;
    await fake.payLink(a.next_action.redirect_url);
    const event = fake.events.filter((e) => e.type === 'checkout.session.completed').at(-1)!;
    const body = JSON.stringify(event);
    await expect(hooks.handle(Buffer.from(body), fake.sign(body, clock.now(), 'whsec_wrong'))).rejects.toMatchObject({
      type: 'validation_failed',
    });
    await expect(hooks.handle(Buffer.from(body), undefined)).rejects.toMatchObject({ type: 'validation_failed' });
    expect(await hooks.handle(Buffer.from(body), fake.sign(body))).toMatchObject({
      duplicate: false,
      applied: 'settle',
    });
    expect(await hooks.handle(Buffer.from(body), fake.sign(body))).toMatchObject({ duplicate: true });
    expect(settled).toBe(1);
    const row = await database.db
      .selectFrom('stripe_checkout_sessions')
      .selectAll()
      .where('payment_id', '=', p.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ session_id: a.provider_ref, status: 'complete' });
    expect(row.payment_intent_id).toMatch(/^pi_/);
  });
});
