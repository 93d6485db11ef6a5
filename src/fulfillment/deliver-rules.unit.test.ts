/** The carrier's delivery (issue 18 part 3) in the one transition table, and when it finishes the order. */
import { describe, expect, it } from 'vitest';
import { decide, eventOf, orderDelivered } from './rules.js';

describe('delivered by the carrier', () => {
  it('given a shipped home delivery, when the carrier delivers, then delivered with its event', () => {
    expect(decide({ status: 'shipped', method: 'home', collectHere: false }, 'deliver')).toEqual({
      ok: true,
      to: 'delivered',
      actor: 'system',
      effects: [],
    });
    expect(eventOf('deliver', 'delivered')).toBe('fulfillment.delivered');
  });

  it('given a task not shipped, or shipped to a pickup point, then the delivery is refused', () => {
    expect(decide({ status: 'packed', method: 'home', collectHere: false }, 'deliver').ok).toBe(false);
    expect(decide({ status: 'delivered', method: 'home', collectHere: false }, 'deliver').ok).toBe(false);
    // The point readies and hands over what the carrier brought: that is its own lifecycle.
    expect(decide({ status: 'shipped', method: 'pickup_point', collectHere: false }, 'deliver').ok).toBe(false);
  });

  it('an order is delivered when every task is finished and one reached the customer', () => {
    expect(orderDelivered(['delivered'])).toBe(true);
    expect(orderDelivered(['delivered', 'rejected', 'handed_over'])).toBe(true);
    expect(orderDelivered(['delivered', 'shipped'])).toBe(false);
    expect(orderDelivered(['rejected', 'cancelled'])).toBe(false);
    expect(orderDelivered([])).toBe(false);
  });
});
