import { describe, expect, it } from 'vitest';
import { render, TEMPLATES } from './templates.js';

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
  it('formats amounts with the currency’s own minor units, in the shopper’s locale', () => {
    const text = (currency: string, locale?: string) =>
      render('order_confirmation', {
        order_id: 'ord_1',
        total: { amount: 1999, currency },
        lines: [{ sku: 'A', quantity: 1, total: 1999 }],
        locale,
      }).text.replace(/[\u00a0\u202f]/g, ' ');
    expect(text('EUR')).toContain('Total: €19.99');
    expect(text('EUR', 'es')).toContain('Total: 19,99 €');
    expect(text('JPY')).toContain('Total: ¥1,999');
    expect(text('KWD')).toContain('1 × A — KWD 1.999');
    const refund = render('refund_issued', { amount: { amount: -5, currency: 'BHD' } }).text;
    expect(refund.replace(/[\u00a0\u202f]/g, ' ')).toContain('-BHD 0.005');
  });
});
