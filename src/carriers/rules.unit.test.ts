import { describe, expect, it } from 'vitest';
import {
  LABEL_MAX_ATTEMPTS,
  bestQuote,
  checkpointKey,
  currentStatus,
  deliveredAt,
  dhlStatus,
  kilograms,
  nextLabelTry,
  signBody,
  toMinor,
  verifySignature,
} from './rules.js';
import type { RateQuote, TrackingCheckpoint } from './types.js';

const q = (code: string, amount: number, days: number, currency = 'EUR'): RateQuote => ({
  carrier: 'dhl_express',
  product_code: code,
  product_name: code,
  amount,
  currency,
  transit_days: days,
});
const cp = (code: string, at: string): TrackingCheckpoint => ({
  code,
  status: dhlStatus(code),
  description: null,
  occurred_at: at,
});

describe('carrier rules', () => {
  it('offers the cheapest quote in the cart currency, the quicker one on a tie', () => {
    expect(bestQuote([q('T', 1790, 1), q('N', 790, 2), q('X', 790, 1)], 'EUR')?.product_code).toBe('X');
    expect(bestQuote([q('N', 500, 1, 'GBP')], 'EUR')).toBeNull();
    expect(bestQuote([], 'EUR')).toBeNull();
  });

  it('reads DHL checkpoint codes as our statuses', () => {
    expect(['OK', 'wc', 'PU', 'SD', 'AR', 'DF', 'RT', 'OH'].map(dhlStatus)).toEqual([
      'delivered',
      'out_for_delivery',
      'picked_up',
      'label_created',
      'in_transit',
      'in_transit',
      'exception',
      'exception',
    ]);
  });

  it('knows a checkpoint again whatever its spelling of time and code', () => {
    expect(checkpointKey({ code: 'ok', occurred_at: '2026-06-02T11:30:00+02:00' })).toBe(
      checkpointKey({ code: 'OK', occurred_at: '2026-06-02T09:30:00.000Z' }),
    );
  });

  it('stays delivered once delivered; else the newest checkpoint decides', () => {
    const pu = cp('PU', '2026-06-01T10:00:00Z');
    const ok = cp('OK', '2026-06-02T10:00:00Z');
    const late = cp('AR', '2026-06-03T10:00:00Z'); // a scan after delivery (a return leg) does not undo it
    expect(currentStatus([pu])).toBe('picked_up');
    expect(currentStatus([late, ok, pu])).toBe('delivered');
    expect(currentStatus([])).toBeNull();
    expect(deliveredAt([pu, ok, cp('OK', '2026-06-04T00:00:00Z')])).toBe('2026-06-02T10:00:00.000Z');
  });

  it('backs off a pending label, honours Retry-After, then gives up', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const wait = (attempts: number, ra: number | null = null) =>
      nextLabelTry(now, attempts, ra)!.getTime() - now.getTime();
    expect([wait(1), wait(2), wait(3)]).toEqual([30_000, 60_000, 120_000]);
    expect(wait(9)).toBe(7_200_000);
    expect(wait(1, 90_000)).toBe(90_000);
    expect(nextLabelTry(now, LABEL_MAX_ATTEMPTS, null)).toBeNull();
  });

  it('signs and verifies the webhook body; any change or another secret fails', () => {
    const body = '{"shipments":[]}';
    const sig = signBody('s3cret', body);
    expect(verifySignature('s3cret', body, sig)).toBe(true);
    expect(verifySignature('s3cret', `${body} `, sig)).toBe(false);
    expect(verifySignature('other', body, sig)).toBe(false);
    expect(verifySignature('s3cret', body, undefined)).toBe(false);
    expect(verifySignature('s3cret', body, 'sha256=00')).toBe(false);
  });

  it('converts prices and weights the way carriers quote', () => {
    expect([toMinor(7.9), toMinor(12.345), kilograms(0), kilograms(1201)]).toEqual([790, 1235, 0.1, 1.3]);
  });
});
