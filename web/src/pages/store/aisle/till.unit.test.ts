import { describe, expect, it } from 'vitest';
import { checkoutBody, groupOptions, handoffCode, type DeliveryOption } from './till';

const opt = (id: string, method: string, location_id: string | null, date: string, amount = 0): DeliveryOption => ({
  id,
  kind: method,
  method,
  location_id,
  name: id,
  price: { amount, currency: 'EUR' },
  promised_date: date,
});

describe('till delivery options', () => {
  it('groups take-now, collect here, home and elsewhere, earliest first', () => {
    const g = groupOptions(
      [
        opt('home-std', 'home', null, '2026-12-04', 495),
        opt('home-exp', 'home', null, '2026-12-02', 995),
        opt('cc-here', 'click_collect', 'loc_here', '2026-12-03'),
        opt('cc-other', 'click_collect', 'loc_other', '2026-12-02'),
        opt('now', 'in_store', 'loc_here', '2026-11-30'),
        opt('locker', 'pickup_point', 'loc_pp', '2026-12-03'),
      ],
      'loc_here',
    );
    expect(g.now.map((o) => o.id)).toEqual(['now']);
    expect(g.here.map((o) => o.id)).toEqual(['cc-here']);
    expect(g.home.map((o) => o.id)).toEqual(['home-exp', 'home-std']);
    expect(g.elsewhere.map((o) => o.id)).toEqual(['cc-other', 'locker']);
  });
});

describe('till checkout body', () => {
  const address = { name: ' Ana ', line1: 'Calle Luna 3', city: 'Madrid', postal_code: '28004', country: 'ES' };
  it('home delivery carries the trimmed address and the receipt e-mail', () => {
    expect(checkoutBody(opt('h', 'home', null, 'x'), address, { provider: 'manual' }, ' ana@example.com ')).toEqual({
      delivery: { method: 'home', address: { ...address, name: 'Ana' } },
      payment: { provider: 'manual' },
      email: 'ana@example.com',
    });
  });
  it('collect here names the store and no address; no e-mail, none sent', () => {
    expect(
      checkoutBody(opt('c', 'click_collect', 'loc_here', 'x'), address, { provider: 'test', card_number: '4242' }, ''),
    ).toEqual({
      delivery: { method: 'click_collect', location_id: 'loc_here' },
      payment: { provider: 'test', card_number: '4242' },
    });
  });
});

describe('hand-off code', () => {
  it('takes a typed code as is and a scanned QR payload by its code', () => {
    expect(handoffCode(' abcd-2345 ')).toBe('abcd-2345');
    expect(handoffCode('omnia:cart-handoff:ABCD-2345')).toBe('ABCD-2345');
  });
});
