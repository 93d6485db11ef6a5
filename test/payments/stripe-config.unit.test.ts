import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';

/** Stripe is configured from the environment (docs/connectors/payments.md); a wrong value stops the start. */
describe('Stripe configuration', () => {
  const base = { OMNIA_STRIPE_SECRET_KEY: 'sk_test_abc', OMNIA_STRIPE_RETURN_URL: 'https://shop.example/return' };

  it('is off without a secret key, and on with manual capture against api.stripe.com by default', () => {
    expect(loadConfig({}).stripe).toBeUndefined();
    expect(loadConfig(base).stripe).toEqual({
      secretKey: 'sk_test_abc',
      webhookSecret: undefined,
      returnUrl: 'https://shop.example/return',
      captureMethod: 'manual',
      api: undefined,
    });
  });

  it('points the SDK at another host (the local fake) by URL, and takes automatic capture', () => {
    const c = loadConfig({
      ...base,
      OMNIA_STRIPE_WEBHOOK_SECRET: 'whsec_x',
      OMNIA_STRIPE_API_URL: 'http://127.0.0.1:12111',
      OMNIA_STRIPE_CAPTURE: 'automatic',
    }).stripe;
    expect(c).toMatchObject({
      webhookSecret: 'whsec_x',
      captureMethod: 'automatic',
      api: { host: '127.0.0.1', port: 12111, protocol: 'http' },
    });
  });

  it('refuses a publishable key, a webhook secret of the wrong kind, no return page and an unknown capture', () => {
    const bad = () =>
      loadConfig({
        OMNIA_STRIPE_SECRET_KEY: 'pk_test_abc',
        OMNIA_STRIPE_WEBHOOK_SECRET: 'secret',
        OMNIA_STRIPE_CAPTURE: 'later',
      });
    expect(bad).toThrow(/OMNIA_STRIPE_SECRET_KEY/);
    expect(bad).toThrow(/OMNIA_STRIPE_WEBHOOK_SECRET/);
    expect(bad).toThrow(/OMNIA_STRIPE_RETURN_URL/);
    expect(bad).toThrow(/OMNIA_STRIPE_CAPTURE/);
  });
});
