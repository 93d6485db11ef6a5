import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { matchesEventType, nextDelayMs, signPayload, verifySignature, MAX_ATTEMPTS } from './rules.js';

describe('webhook rules', () => {
  it('matches exact types, prefixes and *', () => {
    expect(matchesEventType(['order.created'], 'order.created')).toBe(true);
    expect(matchesEventType(['order.*'], 'order.created')).toBe(true);
    expect(matchesEventType(['order.*'], 'orders.created')).toBe(false);
    expect(matchesEventType(['*'], 'anything.at_all')).toBe(true);
    expect(matchesEventType(['inventory.changed'], 'order.created')).toBe(false);
  });
  it('signs so that receivers can verify, and detects tampering and replay', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 16 }),
        fc.string(),
        fc.integer({ min: 1_600_000_000, max: 2_000_000_000 }),
        (secret, body, t) => {
          const header = signPayload(secret, body, t);
          expect(verifySignature(secret, body, header, t)).toBe(true);
          expect(verifySignature(secret, `${body}x`, header, t)).toBe(false);
          expect(verifySignature(secret, body, header, t + 301)).toBe(false);
        },
      ),
      { numRuns: 50 },
    );
  });
  it('backs off exponentially, capped, and gives up after MAX_ATTEMPTS', () => {
    expect(nextDelayMs(1)).toBe(5_000);
    expect(nextDelayMs(2)).toBe(10_000);
    expect(nextDelayMs(9)).toBe(1_280_000);
    expect(nextDelayMs(11)).toBe(3_600_000);
    expect(nextDelayMs(MAX_ATTEMPTS)).toBeUndefined();
  });
});
