import { describe, expect, it } from 'vitest';
import { decideOrder, feedItems, linesBySku, nextSince, orderAddress, retryDelayMs, shipmentLines } from './rules.js';
import { backoffDelay, retryAfterMs, spacingFromRate } from './backoff.js';
import { SecretBox, SecretsUnreadable } from './secrets.js';

describe('feed items', () => {
  it('carry the availability read now, never negative, and a price only when it changed', () => {
    const items = feedItems(
      ['B', 'A', 'B', 'C'],
      new Map([
        ['A', 3],
        ['B', -2],
      ]),
      new Map([
        ['A', { amount: 100, currency: 'EUR' }],
        ['B', { amount: 200, currency: 'EUR' }],
      ]),
      new Map([
        ['A', { price: 100 }],
        ['B', { price: 150 }],
      ]),
    );
    expect(items).toEqual([
      { sku: 'A', quantity: 3 },
      { sku: 'B', quantity: 0, price: { amount: 200, currency: 'EUR' } },
      { sku: 'C', quantity: 0 },
    ]);
  });
});

describe('what a reported order asks of us', () => {
  it('imports a new payable order once; a duplicate is skipped', () => {
    expect(decideOrder('unshipped', null)).toEqual({ kind: 'import' });
    expect(decideOrder('unshipped', 'imported').kind).toBe('skip');
    expect(decideOrder('unshipped', 'exception').kind).toBe('skip');
  });
  it('waits for pending orders and ignores ones shipped elsewhere', () => {
    expect(decideOrder('pending', null).kind).toBe('skip');
    expect(decideOrder('shipped', null).kind).toBe('skip');
  });
  it('cancels what it knows when the marketplace cancels', () => {
    expect(decideOrder('cancelled', 'imported').kind).toBe('cancel');
    expect(decideOrder('cancelled', 'exception').kind).toBe('cancel');
    expect(decideOrder('cancelled', 'cancelled').kind).toBe('skip');
    expect(decideOrder('cancelled', null).kind).toBe('skip');
  });
});

describe('shipment lines', () => {
  const order = {
    lines: [
      { external_line_id: 'L1', sku: 'A', quantity: 2, unit_price: null },
      { external_line_id: 'L2', sku: 'A', quantity: 1, unit_price: null },
      { external_line_id: 'L3', sku: 'B', quantity: 1, unit_price: null },
    ],
  };
  it('takes shipped units from the SKU’s lines in order, never more than a line holds', () => {
    expect(shipmentLines(order, [{ sku: 'A', quantity: 3 }])).toEqual([
      { external_line_id: 'L1', quantity: 2 },
      { external_line_id: 'L2', quantity: 1 },
    ]);
    expect(
      shipmentLines(order, [
        { sku: 'A', quantity: 9 },
        { sku: 'Z', quantity: 1 },
      ]),
    ).toHaveLength(2);
  });
  it('skips what an earlier parcel confirmed', () => {
    expect(shipmentLines(order, [{ sku: 'A', quantity: 1 }], new Map([['L1', 2]]))).toEqual([
      { external_line_id: 'L2', quantity: 1 },
    ]);
  });
  it('aggregates a SKU on two lines for the checkout', () => {
    expect(linesBySku(order)).toEqual([
      { sku: 'A', quantity: 3 },
      { sku: 'B', quantity: 1 },
    ]);
  });
});

describe('retries and cursors', () => {
  it('backs off with full jitter, capped, never under the provider’s hint', () => {
    expect(backoffDelay(1, 0.5)).toBe(125);
    expect(backoffDelay(3, 0.5)).toBe(500);
    expect(backoffDelay(30, 0.999)).toBeLessThanOrEqual(20_000);
    expect(backoffDelay(1, 0, undefined, 5000)).toBe(5000);
    expect(backoffDelay(1, 0, undefined, 999_999)).toBe(20_000);
  });
  it('reads Retry-After and the announced rate', () => {
    expect(retryAfterMs('2', new Date())).toBe(2000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', new Date('2015-10-21T07:28:00Z'))).toBe(10_000);
    expect(retryAfterMs('soon', new Date())).toBeNull();
    expect(spacingFromRate('0.0167')).toBe(59_881);
    expect(spacingFromRate('0')).toBeNull();
  });
  it('moves the import cursor forward only', () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    expect(nextSince(t0, [new Date('2025-01-01'), new Date('2026-02-01')])).toEqual(new Date('2026-02-01'));
    expect(nextSince(t0, [])).toEqual(t0);
    expect(retryDelayMs(1)).toBe(30_000);
    expect(retryDelayMs(50)).toBe(3_600_000);
  });
  it('never invents a street the marketplace withheld', () => {
    const a = orderAddress(null, 'ES', '402-1');
    expect(a.line1).toContain('402-1');
    expect(a.country).toBe('ES');
  });
});

describe('sealed credentials', () => {
  const box = SecretBox.fromEnv('0f'.repeat(32))!;
  it('open only with the same key and on the same connection', () => {
    const sealed = box.seal({ refresh_token: 'Atzr|x' }, 'mkc_1');
    expect(sealed).not.toContain('Atzr');
    expect(box.open(sealed, 'mkc_1')).toEqual({ refresh_token: 'Atzr|x' });
    expect(() => box.open(sealed, 'mkc_2')).toThrow(SecretsUnreadable);
    expect(() => SecretBox.fromEnv('1e'.repeat(32))!.open(sealed, 'mkc_1')).toThrow(SecretsUnreadable);
    const parts = sealed.split('.');
    parts[3] = parts[3]!.slice(0, -2) + (parts[3]!.endsWith('A') ? 'BB' : 'AA');
    expect(() => box.open(parts.join('.'), 'mkc_1')).toThrow(SecretsUnreadable);
  });
  it('refuses a key that is not 32 bytes', () => {
    expect(() => SecretBox.fromEnv('abcd')).toThrow();
  });
});
