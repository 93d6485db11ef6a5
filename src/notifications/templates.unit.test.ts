import { describe, expect, it } from 'vitest';
import { money, render, TEMPLATES } from './templates.js';

describe('notification templates', () => {
  it('renders every template with subject, text and escaped html', () => {
    for (const t of TEMPLATES) {
      const r = render(t, {
        order_id: 'ord_1',
        total: { amount: 1999, currency: 'EUR' },
        pickup_code: '<b>X</b>',
        lines: [{ sku: 'A', quantity: 1, total: 1999 }],
      });
      expect(r.subject.length).toBeGreaterThan(5);
      expect(r.text.length).toBeGreaterThan(5);
      expect(r.html).not.toContain('<b>X</b>');
    }
  });
  it('puts the pickup code in the ready-for-pickup message', () => {
    const r = render('ready_for_pickup', { order_id: 'ord_1', pickup_code: 'PK-1', location_name: 'Sol' });
    expect(r.text).toContain('Pickup code: PK-1');
    expect(r.text).toContain('at Sol');
  });
  it('formats minor units', () => {
    expect(money({ amount: 5, currency: 'EUR' })).toBe('0.05 EUR');
    expect(money({ amount: -12345, currency: 'EUR' })).toBe('-123.45 EUR');
  });
});
