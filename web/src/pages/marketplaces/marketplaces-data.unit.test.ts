import { describe, expect, it } from 'vitest';
import {
  connectableChannels,
  createBody,
  emptyForm,
  formOf,
  healthOf,
  linesSummary,
  missingCredentials,
  patchBody,
  type Connection,
  type Provider,
} from './marketplaces-data';

const amazon: Provider = {
  provider: 'amazon',
  default_base_url: 'https://sellingpartnerapi-eu.amazon.com',
  credentials: ['client_id', 'client_secret', 'refresh_token'],
  settings: [{ name: 'seller_id', required: true }],
};

const conn: Connection = {
  id: 'mkc_1',
  channel_id: 'chn_amz',
  provider: 'amazon',
  base_url: 'https://sellingpartnerapi-eu.amazon.com',
  settings: { seller_id: 'A2' },
  credential_names: ['client_id', 'client_secret', 'refresh_token'],
  feed_interval_s: 60,
  orders_interval_s: 120,
  active: true,
  orders_since: '2026-11-01T00:00:00Z',
  last_error: null,
  last_import_at: null,
  last_import_count: null,
  last_feed: null,
  open_exceptions: 0,
  pending_updates: 0,
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
};

describe('marketplace connections, shaped for the console', () => {
  it('names the health of a connection: paused over failing over attention over ok', () => {
    expect(healthOf(conn)).toBe('ok');
    expect(healthOf({ ...conn, open_exceptions: 2 })).toBe('attention');
    expect(healthOf({ ...conn, open_exceptions: 2, last_error: 'orders: 403' })).toBe('failing');
    const failedFeed = { id: 'f', state: 'failed' as const, items: 3, error: 'x', created_at: '', finished_at: null };
    expect(healthOf({ ...conn, last_feed: failedFeed })).toBe('failing');
    expect(healthOf({ ...conn, active: false, last_error: 'x' })).toBe('paused');
  });

  it('never puts a credential into the form of a stored connection', () => {
    const f = formOf(conn);
    expect(f.credentials).toEqual({});
    expect(f.settings).toEqual({ seller_id: 'A2' });
  });

  it('sends on edit only what changed, and credentials only when typed (then whole)', () => {
    const f = formOf(conn);
    expect(patchBody(f, conn)).toEqual({});
    expect(patchBody({ ...f, active: false, feed_interval_s: ' 30 ' }, conn)).toEqual({
      active: false,
      feed_interval_s: 30,
    });
    expect(patchBody({ ...f, credentials: { client_id: ' a ', client_secret: '' } }, conn)).toEqual({
      credentials: { client_id: 'a' },
    });
    expect(patchBody({ ...f, settings: { seller_id: 'A3', lwa_url: ' ' } }, conn)).toEqual({
      settings: { seller_id: 'A3' },
    });
  });

  it('asks for every credential when creating, or when an edit types any', () => {
    const f = { ...emptyForm(amazon), channel: 'chn_amz' };
    expect(missingCredentials(f, amazon, false)).toEqual(['client_id', 'client_secret', 'refresh_token']);
    expect(missingCredentials(formOf(conn), amazon, true)).toEqual([]);
    expect(missingCredentials({ ...formOf(conn), credentials: { client_id: 'x' } }, amazon, true)).toEqual([
      'client_secret',
      'refresh_token',
    ]);
  });

  it('leaves a number it cannot read to the API rather than guessing', () => {
    const body = createBody({ ...emptyForm(amazon), channel: 'c', feed_interval_s: 'abc', orders_interval_s: '0' });
    expect(body.feed_interval_s).toBeUndefined();
    expect(body.orders_interval_s).toBe(0);
    expect(body.base_url).toBe('https://sellingpartnerapi-eu.amazon.com');
  });

  it('offers only marketplace and social channels without a connection', () => {
    const channels = [
      { id: 'chn_amz', type: 'marketplace' },
      { id: 'chn_ali', type: 'marketplace' },
      { id: 'chn_web', type: 'web' },
      { id: 'chn_ig', type: 'social' },
    ];
    expect(connectableChannels(channels, [conn]).map((c) => c.id)).toEqual(['chn_ali', 'chn_ig']);
  });

  it('sums up what an order wanted', () => {
    expect(
      linesSummary([
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ]),
    ).toBe('2 × A, 1 × B');
  });
});
