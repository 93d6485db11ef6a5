import { describe, expect, it } from 'vitest';
import { ManualClock } from '../platform/clock.js';
import { HINT_TTL_MS, SoldOutHints } from './sold-out-hints.js';

describe('sold-out hints', () => {
  it('hold for HINT_TTL_MS on the injected clock, per channel', () => {
    const clock = new ManualClock();
    const hints = new SoldOutHints(clock);
    hints.markSoldOut('chn_web', 'SKU-1');
    expect(hints.isSoldOut('chn_web', 'SKU-1')).toBe(true);
    expect(hints.isSoldOut('chn_pos', 'SKU-1')).toBe(false);
    expect(hints.isSoldOut('chn_web', 'SKU-2')).toBe(false);
    clock.advance(HINT_TTL_MS + 1);
    expect(hints.isSoldOut('chn_web', 'SKU-1')).toBe(false);
  });

  it('are dropped for every channel when the SKU gets stock', () => {
    const hints = new SoldOutHints(new ManualClock());
    hints.markSoldOut('chn_web', 'SKU-1');
    hints.markSoldOut('chn_pos', 'SKU-1');
    hints.markSoldOut('chn_web', 'SKU-2');
    hints.invalidate('SKU-1');
    expect(hints.isSoldOut('chn_web', 'SKU-1')).toBe(false);
    expect(hints.isSoldOut('chn_pos', 'SKU-1')).toBe(false);
    expect(hints.isSoldOut('chn_web', 'SKU-2')).toBe(true);
  });
});
